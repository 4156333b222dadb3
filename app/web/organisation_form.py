"""The form of an organisation typed by hand (the discovery, the mandate form): its fields as
typed, checked by the one set of rules of app.catalogue.organisation, returned as an
Organisation for the services; the messages are keyed by the form's own field names."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from app.catalogue.organisation import LINE_MAX, Organisation, errors_of, town_line
from app.i18n import gettext as _

FIELDS = (
    "name",
    "line1",
    "line2",
    "postal_code",
    "town",
    "email",
    "web_form",
    "finess",
    "siren",
    "category",
)


def organisation_from_form(
    values: Mapping[str, str], prefix: str = "", *, postal_address: bool = True
) -> tuple[Organisation | None, dict[str, str]]:
    """The organisation typed in the fields `<prefix><field>` (None, and no message, when they
    are all empty). It needs a name, and a postal address (postal code and town); with
    `postal_address=False` an email address or a web form will do instead. Messages by form
    field."""
    typed = {name: " ".join(str(values.get(prefix + name) or "").split()) for name in FIELDS}
    if not any(typed.values()):
        return None, {}
    errors: dict[str, str] = {}
    if not typed["name"]:
        errors["name"] = _("Indiquez le nom de l'organisme.")
    for name in ("line1", "line2"):
        if len(typed[name]) > LINE_MAX:
            errors[name] = _("Ce texte est trop long : %(max)s caractères au plus.", max=LINE_MAX)
    town, town_errors = town_line(typed["postal_code"], typed["town"])
    errors.update(town_errors)
    if town is None and not town_errors:
        if postal_address:
            errors["postal_code"] = _("Indiquez le code postal à cinq chiffres, par exemple 75014.")
            errors["town"] = _("Indiquez la ville.")
        elif not typed["email"] and not typed["web_form"]:
            errors["postal_code"] = _(
                "Indiquez le code postal et la ville, ou au moins une adresse e-mail ou un "
                "formulaire en ligne."
            )
    organisation = None
    try:
        organisation = Organisation.model_validate(
            {
                "name": typed["name"],
                "address_lines": [typed["line1"], typed["line2"], town or ""],
                "email": typed["email"] or None,
                "web_form": typed["web_form"] or None,
                "finess": typed["finess"] or None,
                "siren": typed["siren"] or None,
                "category": typed["category"] or None,
            }
        )
    except ValidationError as exc:
        for name, message in errors_of(exc, {"address_lines": "line1"}).items():
            if name == "line1" and "line2" in errors:
                continue  # the line already named
            errors.setdefault(name, message)
    if errors:
        return None, {prefix + name: message for name, message in errors.items()}
    return organisation, {}


WIZARD_FIELDS = (
    "name",
    "line1",
    "line2",
    "line3",
    "country",
    "email",
    "web_form",
    "category",
    "public",
)


def wizard_organisation(values: Mapping[str, str]) -> tuple[Organisation | None, dict[str, str]]:
    """The letter wizard's organisation: a name, three free address lines and the country (France
    unless chosen), an email address, the web form requests go to, what kind of organisation
    it is and whether it is public. Messages by form field."""
    country = values.get("country") or ""
    try:
        organisation = Organisation.model_validate(
            {
                "name": values.get("name") or "",
                "address_lines": [values.get(f"line{n}") or "" for n in (1, 2, 3)],
                "country": None if country in {"", "FR"} else country,
                "email": values.get("email") or None,
                "web_form": values.get("web_form") or None,
                "category": values.get("category")
                if values.get("category") in {"hospital", "practitioner"}
                else None,
                "public": {"yes": True, "no": False}.get(values.get("public") or ""),
            }
        )
    except ValidationError as exc:
        return None, errors_of(exc, {"address_lines": "line1"})
    return organisation, {}
