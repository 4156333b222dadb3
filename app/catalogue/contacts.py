"""Where a request goes, to whom, and the document that says so (parts of a platform record)."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.i18n import french_spacing

Right = Literal["access", "erasure", "objection", "rectification", "portability", "medical-record"]
RIGHTS: tuple[str, ...] = Right.__args__  # type: ignore[attr-defined]

# To whom a request goes. For a medical record, the law's addressee is the establishment (its
# director, its patients' relations service or its medical records service), never only the DPO.
Addressee = Literal[
    "dpo",
    "privacy-team",
    "director",
    "patient-relations",
    "medical-records",
    "customer-service",
    "legal",
    "organisation",
]
ADDRESSEES: tuple[str, ...] = Addressee.__args__  # type: ignore[attr-defined]
MEDICAL_RECORD_ADDRESSEES = frozenset({"director", "patient-relations", "medical-records"})

PARTIAL_DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
# The freshest a "verified" source may be dated before it counts as old.
VERIFIED_SINCE = "2024"


def check_email(value: str) -> str:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid email address: {value}") from exc
    return value


def check_url(value: str, schemes: tuple[str, ...] = ("https",)) -> str:
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in schemes or not re.match(r"^[a-z]+://[^\s/$.?#][^\s]*$", value):
        raise ValueError(f"not an {' or '.join(schemes)} URL: {value}")
    return value


def _check_source_url(value: str) -> str:
    # Sources are cited as they were read, and some sites still answer over plain http.
    return check_url(value, ("https", "http"))


def partial_date(value: str) -> date:
    """The first day a partial date (YYYY, YYYY-MM or YYYY-MM-DD) can mean."""
    parts = [int(part) for part in value.split("-")]
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Source(Strict):
    """Where a fact was read, and when.

    `kind` says whether the document is first-hand ("primary": the organisation's own privacy
    policy, legal notice or register) or secondary (a directory, another site, open data).
    `dated` is the date the document bears; `seen` the day it was read.
    """

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
    def first_hand(self) -> bool:
        return self.kind == "primary"

    @property
    def as_of(self) -> date:
        """How old the fact is: the date the document bears, else the day it was read."""
        return partial_date(self.dated) if self.dated else self.seen

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
        return check_email(value) if value else value

    @field_validator("web_form")
    @classmethod
    def _form(cls, value: str | None) -> str | None:
        return check_url(value) if value else value

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


class Channel(Contact):
    """Where requests for some rights go (postal address, email, web form) and to whom."""

    rights: list[Right] = Field(min_length=1)
    to: Addressee
    # The organisation's document gives these contacts for data-protection (or medical-record)
    # requests; False for a general contact or a head office's address.
    for_privacy: bool
    note: str | None = None

    _note = field_validator("note")(lambda value: french_spacing(value) if value else value)

    @model_validator(mode="after")
    def _usable(self) -> Channel:
        if self.empty:
            raise ValueError("a channel needs a postal address, an email or a web form")
        if len(set(self.rights)) != len(self.rights):
            raise ValueError("a right is listed twice in a channel")
        if "medical-record" in self.rights and self.to not in MEDICAL_RECORD_ADDRESSEES:
            raise ValueError(
                "a medical record is asked of the establishment's director, patients' "
                f"relations or medical records service, not {self.to!r}"
            )
        return self

    def contact(self) -> Contact:
        return Contact(
            email=self.email,
            email_source=self.email_source,
            web_form=self.web_form,
            web_form_source=self.web_form_source,
            postal=self.postal,
        )


class NoChannel(Strict):
    """Why a record has no channel for some of its rights, and what the person can do."""

    why: str = Field(min_length=1)
    what_to_do: str = Field(min_length=1)

    _french = field_validator("why", "what_to_do")(french_spacing)
