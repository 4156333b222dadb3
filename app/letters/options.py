"""What each letter kind lets the person choose, with sensible defaults (one model per kind)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from app.clock import today

TEXT_MAX = 1000
SHORT_MAX = 200

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
AddressLine = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]

ErasureGround = Literal[
    "no-longer-needed",
    "consent-withdrawn",
    "objection",
    "unlawful",
    "legal-obligation",
    "child",
]
ERASURE_GROUNDS: tuple[str, ...] = ErasureGround.__args__  # type: ignore[attr-defined]

ObjectionPurpose = Literal["research", "warehouse", "prospecting", "profiling", "legitimate"]
OBJECTION_PURPOSES: tuple[str, ...] = ObjectionPurpose.__args__  # type: ignore[attr-defined]

# What an answer to an access request must contain (GDPR art. 15), plus the hosting questions.
AccessItem = Literal[
    "confirmation",
    "copy",
    "purposes",
    "categories",
    "recipients",
    "retention",
    "rights",
    "complaint",
    "source",
    "automated",
    "safeguards",
    "hosting",
    "hds",
    "transfers",
]
ACCESS_ITEMS: tuple[str, ...] = AccessItem.__args__  # type: ignore[attr-defined]

RightKind = Literal[
    "access", "erasure", "objection", "rectification", "portability", "medical-record"
]
MandateRight = Literal[
    "access", "rectification", "erasure", "objection", "portability", "complaint"
]
MANDATE_RIGHTS: tuple[str, ...] = MandateRight.__args__  # type: ignore[attr-defined]
Channel = Literal["post", "email", "web-form"]


def _not_in_future(value: date | None) -> date | None:
    if value is not None and not date(1990, 1, 1) <= value <= today():
        raise ValueError("the date must be between 1990 and today")
    return value


class Options(BaseModel):
    """Base of every kind's options: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AccessOptions(Options):
    sovereignty: bool = True
    electronic: bool = True


def _default_grounds() -> list[ErasureGround]:
    return ["no-longer-needed", "consent-withdrawn"]


class ErasureOptions(Options):
    grounds: list[ErasureGround] = Field(default_factory=_default_grounds, min_length=1)
    close_account: bool = True
    # None: decided from the platform record (genetic tests; processors).
    genetic: bool | None = None
    processor_reminder: bool | None = None


def _default_purposes() -> list[ObjectionPurpose]:
    return ["research", "warehouse"]


class ObjectionOptions(Options):
    purposes: list[ObjectionPurpose] = Field(
        default_factory=_default_purposes, min_length=1, max_length=5
    )
    situation: LongText | None = None
    # None: decided from the platform record (health data warehouses and research).
    snds: bool | None = None
    also_erase: bool = False


class Correction(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    current: ShortText | None = None
    corrected: ShortText


class RectificationOptions(Options):
    corrections: list[Correction] = Field(default_factory=list, max_length=10)


class PortabilityOptions(Options):
    transmit_to: ShortText | None = None


class Patient(BaseModel):
    """The person whose medical record it is, when someone else asks for it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    given_name: ShortText
    family_name: ShortText
    birth_date: date | None = None
    death_date: date | None = None

    @field_validator("birth_date", "death_date")
    @classmethod
    def _past(cls, value: date | None) -> date | None:
        # A deceased patient may have been born long ago: any past date.
        if value is not None and value > today():
            raise ValueError("the date must be in the past")
        return value

    @model_validator(mode="after")
    def _death_after_birth(self) -> Patient:
        if self.birth_date and self.death_date and self.death_date < self.birth_date:
            raise ValueError("the death date must come after the birth date")
        return self


class DesignatedDoctor(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: ShortText
    address_lines: list[AddressLine] = Field(default_factory=list, max_length=5)


HeirPurpose = Literal["cause-of-death", "memory", "rights"]
HEIR_PURPOSES: tuple[str, ...] = HeirPurpose.__args__  # type: ignore[attr-defined]
Requester = Literal["self", "heir", "cohabitant", "pacs-partner", "parent", "legal-representative"]
REQUESTERS: tuple[str, ...] = Requester.__args__  # type: ignore[attr-defined]


def _default_heir_purposes() -> list[HeirPurpose]:
    return ["rights"]


class MedicalRecordOptions(Options):
    addressee: Literal["director", "practitioner"] = "director"
    delivery: Literal["post", "email", "on-site", "doctor"] = "post"
    requester: Requester = "self"
    patient: Patient | None = None
    heir_purposes: list[HeirPurpose] = Field(
        default_factory=_default_heir_purposes, min_length=1, max_length=3
    )
    doctor: DesignatedDoctor | None = None
    period: ShortText | None = None
    older_than_5_years: bool = False
    id_copy: bool = True
    # A legal representative's measure: representation, or assistance (the person consents).
    protection: Literal["representation", "assistance"] = "representation"


class FollowUpOptions(Options):
    """What a follow-up refers to; every date is optional (a blank is printed instead)."""

    request_kind: RightKind = "access"
    request_date: date | None = None
    received: date | None = None
    channel: Channel | None = None
    reference: ShortText | None = None

    _dates = field_validator("request_date", "received")(_not_in_future)


class TimedFollowUpOptions(FollowUpOptions):
    """A follow-up that says the period has passed: what the deadline depends on."""

    extended: bool = False
    older_than_5_years: bool = False
    identity_requested: date | None = None
    identity_answered: date | None = None

    _identity = field_validator("identity_requested", "identity_answered")(_not_in_future)


class ReminderOptions(TimedFollowUpOptions):
    pass


class IncompleteAnswerOptions(FollowUpOptions):
    answer_date: date | None = None
    missing: list[AccessItem] = Field(default_factory=list, max_length=len(ACCESS_ITEMS))

    _answer = field_validator("answer_date")(_not_in_future)


class ChronologyEntry(BaseModel):
    """One dated step of a tracked request, for the complaint file's chronology."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    date: date
    event: Literal[
        "sent",
        "received",
        "identity-requested",
        "identity-answered",
        "extension",
        "answer",
        "reminder",
    ]
    channel: Channel | None = None
    reference: ShortText | None = None
    outcome: Literal["complete", "incomplete", "refusal", "erased"] | None = None

    _date = field_validator("date")(_not_in_future)


class Person(BaseModel):
    """Someone a letter names besides its signatory (the person whose data it is)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    given_name: ShortText
    family_name: ShortText


class ComplaintFileOptions(TimedFollowUpOptions):
    outcome: Literal["no-answer", "incomplete", "refused", "wrong"] = "no-answer"
    reminder_date: date | None = None
    answer_date: date | None = None
    details: LongText | None = None
    on_behalf: bool = False
    # With on_behalf: the person whose data it is (the signatory acts for them).
    data_subject: Person | None = None
    # A tracked request's every step (Reprise fills it in); empty: the dates above are used.
    chronology: list[ChronologyEntry] = Field(default_factory=list, max_length=40)

    _more_dates = field_validator("reminder_date", "answer_date")(_not_in_future)


class CadaReferralOptions(Options):
    request_date: date | None = None
    received: date | None = None
    refusal_date: date | None = None
    documents: LongText | None = None

    _dates = field_validator("request_date", "received", "refusal_date")(_not_in_future)


class Agent(BaseModel):
    """Who acts for the patient: a relative or an association."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: ShortText
    kind: Literal["person", "association"] = "person"
    address_lines: list[AddressLine] = Field(default_factory=list, max_length=5)
    email: str | None = Field(default=None, max_length=254)


def _default_mandate_rights() -> list[MandateRight]:
    return ["access", "rectification", "erasure", "objection"]


MAX_MANDATE_NAMES = 20


class MandateOptions(Options):
    agent: Agent | None = None
    rights: list[MandateRight] = Field(
        default_factory=_default_mandate_rights, min_length=1, max_length=len(MANDATE_RIGHTS)
    )
    data: LongText | None = None
    # The platforms and organisations covered (an association's mandate names 20 at most).
    platforms: list[ShortText] = Field(default_factory=list, max_length=MAX_MANDATE_NAMES)
    start: date | None = None
    end: date | None = None
    answers_to: Literal["principal", "agent"] = "principal"
    # The association declares that it meets the statutory conditions to complain in the
    # person's name (GDPR art. 80, loi Informatique et Libertés): only then may it say so.
    article_80: bool = False

    @model_validator(mode="after")
    def _end_after_start(self) -> MandateOptions:
        if self.start and self.end and self.end < self.start:
            raise ValueError("the end date must come after the start date")
        return self
