"""The platform record: what Reprise knows of one organisation holding health data."""

from __future__ import annotations

import re
from typing import Literal

from babel import Locale
from pydantic import Field, computed_field, field_validator, model_validator

from app.catalogue.contacts import (
    RIGHTS,
    VERIFIED_SINCE,
    Channel,
    Contact,
    NoChannel,
    PostalAddress,
    Right,
    Source,
    Strict,
    check_email,
)
from app.catalogue.text import fold
from app.i18n import french_spacing

# The record's parts live in contacts.py; they are named here too for the callers of this module.
__all__ = [
    "CATEGORIES",
    "RIGHTS",
    "VERIFIED_SINCE",
    "Channel",
    "Contact",
    "NoChannel",
    "Platform",
    "PostalAddress",
    "Right",
    "Source",
    "country_name",
    "siren_is_valid",
]

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
    "public-body",
    "data-broker",
    "health-media",
]
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]

Quality = Literal["verified", "secondary", "unverified"]

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DOMAIN_RE = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")

# The identity form already asks for these: an identifier repeating them would ask twice.
IDENTITY_FIELD_STARTS = ("nom prenom", "nom et prenom", "prenom et nom", "prenom nom")
IDENTITY_FIELD_LABELS = frozenset(
    {"nom", "prenom", "adresse postale", "adresse e mail", "adresse", "numero de telephone"}
)


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
        return check_email(value) if value else value


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
    # Per right the record accepts: where the request goes and to whom, first match wins.
    channels: list[Channel] = Field(default_factory=list)
    # Required when some right has no channel: why, and what the person can do instead.
    no_channel: NoChannel | None = None
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
        used = self.contact_source_keys()
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
        covered = {right for channel in self.channels for right in channel.rights}
        stray = sorted(covered - set(self.relevant_rights))
        if stray:
            listed = ", ".join(stray)
            raise ValueError(f"a channel covers rights the record does not list: {listed}")
        if self.uncovered_rights and self.no_channel is None:
            raise ValueError(
                "no channel for "
                + ", ".join(self.uncovered_rights)
                + ": add one or say why in no_channel"
            )
        if self.no_channel is not None and not self.uncovered_rights:
            raise ValueError("no_channel is given but every right has a channel")
        expected = self.expected_quality()
        if self.quality != expected:
            raise ValueError(
                f"quality is {self.quality!r} but its contacts and sources make it {expected!r}"
            )
        return self

    def contact_source_keys(self) -> list[str]:
        """The sources behind every contact of every channel."""
        return [key for channel in self.channels for key in channel.source_keys()]

    def channel(self, right: str) -> Channel | None:
        """Where a request for this right goes, or None when the record has no channel for it."""
        for channel in self.channels:
            if right in channel.rights:
                return channel
        return None

    @property
    def uncovered_rights(self) -> list[str]:
        """The rights the record accepts that no channel takes."""
        return [right for right in self.relevant_rights if self.channel(right) is None]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def contact(self) -> Contact:
        """The channel of the recommended right (else the first one), as the public JSON had it."""
        chosen = self.channel(self.recommended_right) or (
            self.channels[0] if self.channels else None
        )
        return chosen.contact() if chosen else Contact()

    def expected_quality(self) -> Quality:
        """What the sources allow this record to claim."""
        keys = self.contact_source_keys()
        if not keys:
            return "unverified"
        if all(self.sources[key].current for key in keys if key in self.sources):
            return "verified"
        return "secondary"

    @property
    def verified(self) -> bool:
        """Every contact checked in a recent first-hand document, and every right has one.

        A record whose sources are verified but which has no channel for some right (a hospital
        known only by its DPO, for a medical record) still asks the person to check the address.
        """
        return self.quality == "verified" and not self.uncovered_rights

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

    def recipient_lines(self, right: str | None = None) -> list[str]:
        """The address block of a letter to this platform (may be empty: unverified).

        With a right, the address of that right's channel (a medical record goes to the director).
        """
        chosen = self.channel(right) if right else None
        return self.address_block(chosen.postal if chosen else self.contact.postal)

    def address_block(self, postal: PostalAddress | None) -> list[str]:
        """The organisation's name, then the postal address's recipient and lines."""
        name = self.legal_name or self.name
        if postal is None:
            return [name]
        lines = [name]
        if postal.recipient and postal.recipient != name:
            lines.append(postal.recipient)
        lines.extend(postal.lines)
        lines.append(postal.town_line)
        if postal.country != "FR":
            lines.append(country_name(postal.country).upper())
        return lines
