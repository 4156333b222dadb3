"""The mandate as a document: a stored mandate printed as the `mandate` letter kind.

`mandate_options` turns the stored scope into what the mandate letter prints (principal, agent,
rights, data, the platforms and organisations it covers, dates, who receives the answers);
`mandate_letter` composes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from app.accounts.access import mandate_scope
from app.accounts.files import identity_of
from app.catalogue.loader import get_catalogue
from app.clock import today
from app.i18n import gettext as _
from app.letters.document import Letter
from app.letters.identity import Identity
from app.letters.options import Agent, MandateOptions
from app.letters.service import make_mandate
from app.models.organisation import Association, Mandate, PatientFile
from app.organisations.service import association_name

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


def mandate_letter(db: Session, file: PatientFile, mandate: Mandate) -> Letter:
    """The mandate document the member signs, from what is stored."""
    identity = Identity.model_validate(identity_of(file))
    return make_mandate(identity, mandate_options(db, file, mandate), today())
