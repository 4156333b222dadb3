"""Who writes: the patient's identity as a letter needs it, with every field capped."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from app.clock import today

NAME_MAX = 100
LINE_MAX = 120
CITY_MAX = 80
LABEL_MAX = 80
VALUE_MAX = 200
MAX_LINES = 4
MAX_IDENTIFIERS = 10

# One line of text: no line break or other control character (a name goes into email headers).
ONE_LINE = r"^[^\x00-\x1f\x7f]*$"
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=NAME_MAX, pattern=ONE_LINE),
]
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=LINE_MAX, pattern=ONE_LINE),
]


def one_email_address(value: str) -> str:
    """One email address, normalised; ValueError for anything else (a list of addresses, a
    line break, a `javascript:` URL)."""
    try:
        return validate_email(value.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError("not a valid email address") from exc


class PostalAddress(BaseModel):
    """A postal address as printed on an envelope."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    lines: list[Line] = Field(min_length=1, max_length=MAX_LINES)
    postal_code: str = Field(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9 -]+$")
    city: str = Field(min_length=1, max_length=CITY_MAX)
    country: str = Field(default="FR", pattern=r"^[A-Z]{2}$")


class Identity(BaseModel):
    """The person a request is for (or from): only names and postal address are required."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    given_name: Name
    family_name: Name
    # How the person wants to be addressed (optional): French agreements follow it.
    title: Literal["madame", "monsieur"] | None = None
    birth_date: date | None = None
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=40, pattern=r"^[0-9+()./ -]{6,40}$")
    postal_address: PostalAddress
    identifiers: dict[
        Annotated[
            str, StringConstraints(strip_whitespace=True, min_length=1, max_length=LABEL_MAX)
        ],
        Annotated[
            str, StringConstraints(strip_whitespace=True, min_length=1, max_length=VALUE_MAX)
        ],
    ] = Field(default_factory=dict, max_length=MAX_IDENTIFIERS)

    @field_validator("email", "phone", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        return None if value is None else one_email_address(value)

    @field_validator("birth_date")
    @classmethod
    def _plausible_birth(cls, value: date | None) -> date | None:
        if value is not None and not date(1900, 1, 1) <= value <= today():
            raise ValueError("birth date must be between 1900 and today")
        return value

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def agreed(self, masculine: str, feminine: str, unknown: str) -> str:
        """A French word agreed with the person's form of address ("né", "née", "né(e)")."""
        if self.title == "monsieur":
            return masculine
        if self.title == "madame":
            return feminine
        return unknown
