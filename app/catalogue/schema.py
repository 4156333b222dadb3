"""The platform record: what Reprise knows of one organisation holding health data."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from babel import Locale
from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.catalogue.text import fold
from app.i18n import french_spacing

Category = Literal[
    "booking",
    "hospital",
    "laboratory",
    "pharmacy",
    "public-insurance",
    "insurer",
    "research",
    "genetics",
    "wearables",
    "fitness",
    "cycle",
    "mental-health",
    "symptom-checker",
    "health-record",
    "pharma",
    "occupational",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

Right = Literal["access", "erasure", "objection", "rectification", "portability", "medical-record"]
RIGHTS: tuple[str, ...] = Right.__args__  # type: ignore[attr-defined]
Quality = Literal["verified", "secondary", "unverified"]

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PARTIAL_DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
# The freshest a "verified" source may be dated before it counts as old.
VERIFIED_SINCE = "2024"

# The identity form already asks for these: an identifier repeating them would ask twice.
IDENTITY_FIELD_STARTS = ("nom prenom", "nom et prenom", "prenom et nom", "prenom nom")
IDENTITY_FIELD_LABELS = frozenset(
    {"nom", "prenom", "adresse postale", "adresse e mail", "adresse", "numero de telephone"}
)


def _check_email(value: str) -> str:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {value}") from exc
    return value


def _check_url(value: str, schemes: tuple[str, ...] = ("https",)) -> str:
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in schemes or not re.match(r"^[a-z]+://[^\s/$.?#][^\s]*$", value):
        raise ValueError(f"not an {' or '.join(schemes)} URL: {value}")
    return value


def _check_source_url(value: str) -> str:
    # Sources are cited as they were read, and some sites still answer over plain http.
    return _check_url(value, ("https", "http"))


def country_name(code: str, locale: str = "fr") -> str:
    """The name of a country for a postal address (French by default)."""
    return str(Locale.parse(locale).territories.get(code, code))


def siren_is_valid(siren: str) -> bool:
    """SIREN check: nine digits passing the Luhn test (La Poste's 356000000 excepted)."""
    if not re.fullmatch(r"\d{9}", siren):
        return False
    if siren == "356000000":
        return True
    total = 0
    for index, char in enumerate(reversed(siren)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Strict):
    """Where a fact was read, and when."""

    url: str
    title: str = Field(min_length=1)
    dated: str | None = None
    kind: Literal["primary", "secondary"]
    seen: date

    _url = field_validator("url")(_check_source_url)

    @field_validator("dated")
    @classmethod
    def _partial_date(cls, value: str | None) -> str | None:
        if value is not None and not PARTIAL_DATE_RE.match(value):
            raise ValueError("dated must read YYYY-MM or YYYY-MM-DD")
        return value

    @property
    def current(self) -> bool:
        """A primary source dated recently enough to call a contact verified."""
        return self.kind == "primary" and self.dated is not None and self.dated >= VERIFIED_SINCE


class PostalAddress(Strict):
    recipient: str | None = None
    lines: list[str] = Field(min_length=1, max_length=5)
    postal_code: str | None = Field(default=None, min_length=2, max_length=12)
    city: str = Field(min_length=1)
    country: str = Field(default="FR", pattern=r"^[A-Z]{2}$")
    # The source gives the head office, not an address meant for privacy requests.
    head_office: bool = False
    source: str

    @model_validator(mode="after")
    def _french_code(self) -> PostalAddress:
        if self.country == "FR" and not re.fullmatch(r"\d{5}", self.postal_code or ""):
            raise ValueError("a French address needs a five-digit postal code")
        return self

    @property
    def town_line(self) -> str:
        return f"{self.postal_code} {self.city}" if self.postal_code else self.city


class Contact(Strict):
    email: str | None = None
    email_source: str | None = None
    web_form: str | None = None
    web_form_source: str | None = None
    postal: PostalAddress | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return _check_email(value) if value else value

    @field_validator("web_form")
    @classmethod
    def _form(cls, value: str | None) -> str | None:
        return _check_url(value) if value else value

    @model_validator(mode="after")
    def _sourced(self) -> Contact:
        if self.email and not self.email_source:
            raise ValueError("email needs email_source")
        if self.web_form and not self.web_form_source:
            raise ValueError("web_form needs web_form_source")
        return self

    def source_keys(self) -> list[str]:
        keys = [self.email_source if self.email else None]
        keys.append(self.web_form_source if self.web_form else None)
        keys.append(self.postal.source if self.postal else None)
        return [key for key in keys if key]

    @property
    def empty(self) -> bool:
        return not (self.email or self.web_form or self.postal)


class Representative(Strict):
    """A non-EU controller's representative in the Union (GDPR art. 27)."""

    name: str
    email: str | None = None
    lines: list[str] = Field(default_factory=list)
    postal_code: str | None = None
    city: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    source: str

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return _check_email(value) if value else value


class Hosting(Strict):
    provider: str | None = None
    location: str | None = None
    hds_certified: bool | None = None
    source: str


class Platform(Strict):
    """One organisation that may hold a patient's data."""

    slug: str
    name: str = Field(min_length=1, max_length=120)
    legal_name: str | None = None
    siren: str | None = None
    aliases: list[str] = Field(default_factory=list)
    brands: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    categories: list[Category] = Field(min_length=1)
    country: str = Field(pattern=r"^[A-Z]{2}$")
    region: Literal["alsace-moselle"] | None = None
    # A public establishment (or one with a public-service mission): its refusals to give a
    # medical record go to the CADA first. None when the record does not say.
    public: bool | None = None
    summary: str = Field(min_length=1)
    role: Literal["controller", "processor", "both"]
    role_note: str | None = None
    request_language: Literal["fr", "en"] = "fr"
    recommended_right: Right
    recommended_reason: str = Field(min_length=1)
    # Every request that makes sense toward this platform, the recommended one first.
    rights: list[Right] = Field(default_factory=list)
    retention: str | None = None
    instructions: str | None = None
    # Other records the person should usually write to as well (e.g. a hospital's data warehouse).
    related: list[str] = Field(default_factory=list)
    identifiers: list[str] = Field(default_factory=list)
    quality: Quality
    contact: Contact = Field(default_factory=Contact)
    eu_representative: Representative | None = None
    hosting: Hosting | None = None
    sources: dict[str, Source] = Field(default_factory=dict)

    @field_validator("summary", "role_note", "recommended_reason", "retention", "instructions")
    @classmethod
    def _french_typography(cls, value: str | None) -> str | None:
        # The records are written in French: the same no-break spaces as every French message.
        return french_spacing(value) if value else value

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG_RE.match(value):
            raise ValueError("slug must be lowercase letters, digits and single hyphens")
        return value

    @field_validator("siren")
    @classmethod
    def _siren(cls, value: str | None) -> str | None:
        if value is not None and not siren_is_valid(value):
            raise ValueError(f"not a valid SIREN: {value}")
        return value

    @field_validator("domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        for domain in value:
            if not DOMAIN_RE.match(domain):
                raise ValueError(f"not a bare domain name: {domain}")
        if len(set(value)) != len(value):
            raise ValueError("a domain is listed twice")
        return value

    @field_validator("identifiers")
    @classmethod
    def _identifiers(cls, value: list[str]) -> list[str]:
        for label in value:
            folded = fold(label)
            if (
                folded in IDENTITY_FIELD_LABELS
                or folded.startswith(IDENTITY_FIELD_STARTS)
                or "date de naissance" in folded
            ):
                raise ValueError(
                    f"the identity form already asks for this (names, birth date, address): {label}"
                )
        return value

    @field_validator("related")
    @classmethod
    def _related(cls, value: list[str]) -> list[str]:
        for slug in value:
            if not SLUG_RE.match(slug):
                raise ValueError(f"not a slug: {slug}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Platform:
        used = self.contact.source_keys()
        if self.eu_representative:
            used.append(self.eu_representative.source)
        if self.hosting:
            used.append(self.hosting.source)
        missing = sorted({key for key in used if key not in self.sources})
        if missing:
            raise ValueError(f"cites undefined sources: {', '.join(missing)}")
        if self.role in {"processor", "both"} and not self.role_note:
            raise ValueError("role_note is required when the platform acts as a processor")
        if not self.sources:
            raise ValueError("a record needs at least one source, even when unverified")
        if self.rights and self.rights[0] != self.recommended_right:
            raise ValueError("rights must start with the recommended right")
        if len(set(self.rights)) != len(self.rights):
            raise ValueError("a right is listed twice in rights")
        if self.slug in self.related:
            raise ValueError("a record cannot be related to itself")
        expected = self.expected_quality()
        if self.quality != expected:
            raise ValueError(
                f"quality is {self.quality!r} but its contacts and sources make it {expected!r}"
            )
        return self

    def expected_quality(self) -> Quality:
        """What the sources allow this record to claim."""
        keys = self.contact.source_keys()
        if not keys:
            return "unverified"
        if all(self.sources[key].current for key in keys if key in self.sources):
            return "verified"
        return "secondary"

    @property
    def verified(self) -> bool:
        return self.quality == "verified"

    @property
    def relevant_rights(self) -> list[str]:
        """The requests that make sense here, the recommended one first."""
        return list(self.rights) if self.rights else [self.recommended_right]

    @property
    def erasure_limited(self) -> bool:
        """The law or the platform's role keeps some data: erasure is not proposed first."""
        return self.recommended_right != "erasure"

    @property
    def has_address(self) -> bool:
        return self.contact.postal is not None

    def recipient_lines(self) -> list[str]:
        """The address block of a letter to this platform (may be empty: unverified)."""
        if self.contact.postal is None:
            return [self.legal_name or self.name]
        postal = self.contact.postal
        name = self.legal_name or self.name
        lines = [name]
        if postal.recipient and postal.recipient != name:
            lines.append(postal.recipient)
        lines.extend(postal.lines)
        lines.append(postal.town_line)
        if postal.country != "FR":
            lines.append(country_name(postal.country).upper())
        return lines
