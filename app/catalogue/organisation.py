"""An organisation outside the catalogue: the one value type, with one set of rules, for an
organisation typed by hand (the letter wizard, the discovery, the mandate form, the JSON API)
or found in the FINESS registry or the company register.

An organisation is kept as its name and address lines (the town line last, "75014 Paris"); a form
that asks for the postal code and the town apart builds that line with `town_line`, which
checks both. Like a catalogue record it may say its country (a country code; none: France),
printed under an address abroad, and the web form its requests go to (an https URL), where the
letter says to send it when there is neither an address nor an email. Glossary:
docs/glossary.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
)

from app.catalogue.contacts import check_url
from app.catalogue.schema import CATEGORIES, country_name, siren_is_valid
from app.catalogue.text import fold
from app.i18n import gettext as _

# No control character (a line break would forge a header or a second address line).
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
NAME_MAX, LINE_MAX, TOWN_MAX, EMAIL_MAX, LINES_MAX, URL_MAX = 200, 120, 80, 254, 6, 500
# A FINESS number: nine characters, the second a letter only for Corsica (2A, 2B).
FINESS = re.compile(r"^[0-9][0-9AB][0-9]{7}$")
# The catalogue's categories, and the letters' own for a practitioner's practice.
ORGANISATION_CATEGORIES: frozenset[str] = frozenset({*CATEGORIES, "practitioner"})
_POSTAL_CODE = re.compile(r"^[0-9]{5}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
# Codes Babel names that are no country one writes to (the unknown region, the EU, the UN...).
_NOT_COUNTRIES = frozenset({"XA", "XB", "EU", "EZ", "UN", "QO", "ZZ"})


def parse_country(value: str) -> str:
    """A country code (ISO 3166-1 alpha-2, "BE"), upper case; ValueError for anything else."""
    code = value.strip().upper()
    known = code in Locale.parse("fr").territories and code not in _NOT_COUNTRIES
    if not _COUNTRY.match(code) or not known:
        raise ValueError("not a country code (two letters, such as BE)")
    return code


def parse_web_form(value: str) -> str:
    """The address of a web form: one https URL; ValueError for anything else."""
    url = value.strip()
    if len(url) > URL_MAX or not re.match(ONE_LINE, url):
        raise ValueError("a web form's address is one https URL of at most 500 characters")
    return check_url(url)


def parse_postal_code(value: str) -> str:
    """A French postal code: five digits, spaces allowed between them ("75 014"); ValueError
    for anything else."""
    code = "".join(value.split())
    if not _POSTAL_CODE.match(code):
        raise ValueError("a French postal code has five digits")
    return code


def parse_email(value: str) -> str:
    """One email address, normalised; ValueError for anything else (a list of addresses, a line
    break, a `javascript:` URL, more than 254 characters)."""
    if len(value.strip()) > EMAIL_MAX:
        raise ValueError("an email address has at most 254 characters")
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError("not a valid email address") from exc


def _one_line(value: str) -> str:
    return " ".join(value.split())


class Organisation(BaseModel):
    """An organisation outside the catalogue (see the module's docstring)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: Annotated[str, StringConstraints(min_length=1, max_length=NAME_MAX, pattern=ONE_LINE)]
    address_lines: list[str] = Field(default_factory=list, max_length=LINES_MAX)
    email: str | None = Field(default=None, max_length=EMAIL_MAX)
    language: Literal["fr", "en"] = "fr"
    siren: str | None = None
    finess: str | None = None
    category: str | None = Field(default=None, max_length=40)
    public: bool | None = None
    country: str | None = None  # a country code; None: France
    web_form: str | None = None  # an https URL

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _one_line(value)

    @field_validator("address_lines")
    @classmethod
    def _lines(cls, value: list[str]) -> list[str]:
        lines = [_one_line(line) for line in value if line.strip()]
        if any(len(line) > LINE_MAX for line in lines):
            raise ValueError("an address line has at most 120 characters")
        if any(not re.match(ONE_LINE, line) for line in lines):
            raise ValueError("an address line holds no control character")
        return lines

    @field_validator("email", "siren", "finess", "category", "country", "web_form", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return None if value is None else parse_email(value)

    @field_validator("siren", "finess", mode="before")
    @classmethod
    def _without_spaces(cls, value: object) -> object:
        # "552 100 554" as printed on documents.
        return "".join(value.split()).upper() if isinstance(value, str) else value

    @field_validator("siren")
    @classmethod
    def _siren(cls, value: str | None) -> str | None:
        if value is not None and not siren_is_valid(value):
            raise ValueError("not a valid SIREN")
        return value

    @field_validator("finess")
    @classmethod
    def _finess(cls, value: str | None) -> str | None:
        if value is not None and not FINESS.match(value):
            raise ValueError("not a FINESS number")
        return value

    @field_validator("category")
    @classmethod
    def _category(cls, value: str | None) -> str | None:
        if value is not None and value not in ORGANISATION_CATEGORIES:
            raise ValueError("not a category of organisation")
        return value

    @field_validator("country")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        return None if value is None else parse_country(value)

    @field_validator("web_form")
    @classmethod
    def _web_form(cls, value: str | None) -> str | None:
        return None if value is None else parse_web_form(value)

    @property
    def postal_lines(self) -> list[str]:
        """The address as a letter prints it: abroad, the country's name last (unless the
        lines already end with it), as the catalogue's records print theirs."""
        lines = list(self.address_lines)
        if lines and self.country is not None and self.country != "FR":
            name = country_name(self.country).upper()
            if fold(lines[-1]) != fold(name):
                lines.append(name)
        return lines

    def as_selection(self) -> dict[str, Any]:
        """The organisation as it is kept (every key present; the language only when not
        French, the country and the web form only when known: what was kept before they
        existed reads the same)."""
        kept: dict[str, Any] = {
            "name": self.name,
            "address_lines": list(self.address_lines),
            "email": self.email,
            "siren": self.siren,
            "finess": self.finess,
            "category": self.category,
            "public": self.public,
        }
        if self.language != "fr":
            kept["language"] = self.language
        if self.country is not None:
            kept["country"] = self.country
        if self.web_form is not None:
            kept["web_form"] = self.web_form
        return kept


def town_line(postal_code: str, town: str) -> tuple[str | None, dict[str, str]]:
    """The town line of an address typed as a postal code and a town ("75014 Paris"), or None
    when both are empty; with the messages of what is wrong, by field (`postal_code`, `town`)."""
    code, town = postal_code.strip(), _one_line(town)
    if not code and not town:
        return None, {}
    errors: dict[str, str] = {}
    try:
        code = parse_postal_code(code)
    except ValueError:
        errors["postal_code"] = _("Indiquez le code postal à cinq chiffres, par exemple 75014.")
    if not town:
        errors["town"] = _("Indiquez la ville.")
    elif len(town) > TOWN_MAX:
        errors["town"] = _("Ce texte est trop long : %(max)s caractères au plus.", max=TOWN_MAX)
    return (None if errors else f"{code} {town}"), errors


def field_message(field: str, missing: bool = False) -> str:
    """The message for a refused field of an Organisation, in the reader's language (`missing`:
    the field was left empty)."""
    if field == "name":
        if missing:
            return _("Indiquez le nom de l'organisme.")
        return _("Le nom de l'organisme tient sur une ligne, en 200 caractères au plus.")
    messages = {
        "address_lines": _("Une ligne d'adresse a 120 caractères au plus."),
        "email": _(
            "Indiquez une adresse e-mail complète, par exemple dpo@exemple.fr, ou laissez vide."
        ),
        "siren": _(
            "Ce numéro SIREN n'est pas valable : vérifiez ses neuf chiffres, ou laissez vide."
        ),
        "finess": _(
            "Un numéro FINESS a neuf caractères, par exemple 750712184. Laissez vide si vous "
            "ne le connaissez pas."
        ),
        "category": _("Choisissez une des propositions."),
        "country": _("Choisissez un pays de la liste."),
        "web_form": _(
            "Indiquez l'adresse complète du formulaire, commençant par https://, ou laissez vide."
        ),
    }
    return messages.get(field, _("Vérifiez ce champ."))


def errors_of(exc: ValidationError, fields: Mapping[str, str] | None = None) -> dict[str, str]:
    """The messages of a refused Organisation, by field (renamed through `fields`: a form's
    own field names)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "name"
        missing = error["type"] in {"missing", "string_too_short"}
        errors.setdefault((fields or {}).get(field, field), field_message(field, missing))
    return errors


def organisation_of(raw: Mapping[str, Any]) -> Organisation:
    """Check `raw` against the one set of rules (pydantic's ValidationError when wrong)."""
    return Organisation.model_validate(dict(raw))
