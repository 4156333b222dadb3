"""The mandate as a document: a stored mandate printed as the `mandate` letter kind.

`mandate_options` turns the stored scope into what the mandate letter prints (principal, agent,
rights, data, the platforms and organisations it covers, dates, who receives the answers);
`mandate_letter` composes it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from app.catalogue.labels import CATEGORY_LABELS
from app.catalogue.loader import get_catalogue
from app.clock import today
from app.errors import Invalid
from app.i18n import gettext as _
from app.letters.document import Letter
from app.letters.identity import Identity, PostalAddress
from app.letters.options import Agent, MandateOptions
from app.letters.service import make_mandate
from app.models.organisation import Association, Mandate, PatientFile
from app.organisations.access import mandate_scope
from app.organisations.service import association_name
from app.patients.files import identity_of

# What MandateOptions accepts for one organisation's line.
LINE_LIMIT = 200


def platform_line(slug: str) -> str:
    platform = get_catalogue().get(slug)
    return (platform.legal_name or platform.name) if platform else slug


def organisation_line(organisation: Mapping[str, Any]) -> str:
    """An organisation as the mandate names it: its name, address and number (FINESS, SIREN),
    so that the controller can recognise itself (CNIL délibération 2021-070)."""
    name = str(organisation.get("name") or "")
    lines = [str(line) for line in organisation.get("address_lines") or []]
    if organisation.get("finess"):
        number = _("FINESS n° %(number)s", number=organisation["finess"])
    elif organisation.get("siren"):
        number = _("SIREN n° %(number)s", number=organisation["siren"])
    else:
        number = ""
    for kept in (lines, lines[-1:], []):
        text = ", ".join([name, *kept]) + (f" ({number})" if number else "")
        if len(text) <= LINE_LIMIT:
            return text
    return name[:LINE_LIMIT]


def mandate_options(db: Session, file: PatientFile, mandate: Mandate) -> MandateOptions:
    """The stored mandate as the mandate letter prints it: the association is the agent."""
    scope = mandate_scope(mandate)
    association = db.get(Association, file.association_id) if file.association_id else None
    agent = (
        Agent(
            name=association_name(association) if association else "",
            kind="association",
            address_lines=[line for line in scope.agent_address if line],
        )
        if association
        else None
    )
    return MandateOptions(
        agent=agent,
        rights=list(scope.rights),
        data=scope.data or None,
        platforms=[
            *(platform_line(slug) for slug in scope.platforms),
            *(organisation_line(organisation) for organisation in scope.organisations),
        ],
        start=scope.starts_on,
        end=scope.ends_on,
        answers_to="agent" if scope.answers_to == "association" else "principal",
    )


def partial_identity(data: Mapping[str, Any]) -> Identity:
    """The member's identity as far as it is known: what is missing stays empty, and the
    mandate prints a marked blank in its place (never a made-up value)."""
    try:
        return Identity.model_validate(data)
    except ValidationError:
        pass
    address = data.get("postal_address") or {}
    return Identity.model_construct(
        given_name=str(data.get("given_name") or ""),
        family_name=str(data.get("family_name") or ""),
        birth_date=None,
        email=None,
        phone=None,
        identifiers={},
        postal_address=PostalAddress.model_construct(
            lines=[str(line) for line in address.get("lines") or [] if str(line).strip()],
            postal_code=str(address.get("postal_code") or ""),
            city=str(address.get("city") or ""),
            country=str(address.get("country") or "FR"),
        ),
    )


def mandate_letter(db: Session, file: PatientFile, mandate: Mandate) -> Letter:
    """The mandate document the member signs, from what is stored (blanks where unknown)."""
    identity = partial_identity(identity_of(file))
    return make_mandate(identity, mandate_options(db, file, mandate), today())


MEMBER_ADDRESS_FIELDS = ("member_line", "member_postal_code", "member_city")


def member_identity_with_address(file: PatientFile, values: Mapping[str, str]) -> Identity | None:
    """The member's identity with the postal address typed while preparing the mandate; None
    when the address was left empty. Invalid names each wrong field."""
    line, code, city = (str(values.get(name) or "").strip() for name in MEMBER_ADDRESS_FIELDS)
    if not (line or code or city):
        return None
    errors: dict[str, str] = {}
    if not line:
        errors["member_line"] = _("Indiquez le numéro et la rue du membre.")
    if not re.fullmatch(r"[0-9]{5}", code):
        errors["member_postal_code"] = _(
            "Indiquez un code postal de cinq chiffres, par exemple 69001."
        )
    if not city:
        errors["member_city"] = _("Indiquez la ville du membre.")
    if errors:
        raise Invalid(errors)
    data = dict(identity_of(file))
    data["postal_address"] = {"lines": [line], "postal_code": code, "city": city, "country": "FR"}
    try:
        return Identity.model_validate(data)
    except ValidationError as exc:
        raise Invalid({"member_line": _("Vérifiez l'adresse du membre.")}) from exc


def member_address_values(file: PatientFile) -> dict[str, str]:
    """The mandate form's address fields, filled from what the member's file holds."""
    address = identity_of(file).get("postal_address") or {}
    lines = address.get("lines") or [""]
    return {
        "member_line": str(lines[0]),
        "member_postal_code": str(address.get("postal_code") or ""),
        "member_city": str(address.get("city") or ""),
    }


def platform_groups() -> list[tuple[str, str, list[Any]]]:
    """The catalogue's platforms by category, for the mandate form: (code, label, platforms);
    each platform once, in its first category."""
    groups: dict[str, list[Any]] = {code: [] for code in CATEGORY_LABELS}
    for platform in get_catalogue().platforms:
        groups.setdefault(platform.categories[0], []).append(platform)
    return [
        (code, _(CATEGORY_LABELS.get(code, code)), platforms)
        for code, platforms in groups.items()
        if platforms
    ]
