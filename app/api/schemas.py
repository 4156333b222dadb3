"""The JSON shapes of Reprise, for the API and the `reprise` command alike.

Pydantic models only (no web framework here), each made from the service's own objects by
its `of` class method, so that the API and the command line print the same thing the same
way. Where the command line prints fewer fields, it names them from these models
(`*_CLI_FIELDS`); where it prints one line per proceeding, `ProceedingLine` is that line.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.catalogue.loader import get_catalogue
from app.catalogue.organisation import Organisation
from app.deadlines.rules import Deadline
from app.errors import Invalid
from app.i18n import gettext as _
from app.letters.addressees import Addressee
from app.letters.identity import Identity
from app.proceedings.events import Event, FollowUpKind, RightKind

if TYPE_CHECKING:
    from app.catalogue.checklist import ChecklistItem
    from app.catalogue.companies import Company
    from app.catalogue.finess import EstablishmentRow
    from app.models.suggestion import CatalogueSuggestion
    from app.proceedings.views import ProceedingView


def ordered(model: BaseModel, fields: Sequence[str]) -> dict[str, Any]:
    """The model as JSON, only `fields`, in that order (what the command line prints)."""
    data = model.model_dump(mode="json", include=set(fields))
    return {name: data[name] for name in fields}


# ------------------------------------------------------------------ discovery


class ChecklistItemOut(BaseModel):
    key: str
    name: str
    platform: str | None
    organisation: dict[str, Any] | None
    kind: str
    kind_label: str
    choices: list[str]
    reason: str
    retention: str | None
    check_address: bool
    selected: bool
    suggested_by: str | None
    because: list[str]

    @classmethod
    def of(cls, item: ChecklistItem) -> ChecklistItemOut:
        from app.catalogue.labels import KIND_LABELS

        return cls(
            key=item.key,
            name=item.name,
            platform=item.platform.slug if item.platform else None,
            organisation=item.organisation.as_selection() if item.organisation else None,
            kind=item.kind,
            kind_label=_(KIND_LABELS[item.kind]),
            choices=list(item.choices),
            reason=item.reason,
            retention=item.retention,
            check_address=item.check_address,
            selected=item.selected,
            suggested_by=item.suggested_by,
            because=list(item.because),
        )

    @property
    def selection(self) -> dict[str, Any]:
        """What a pack of letters takes for this item (its recipient and proposed kind)."""
        if self.platform is not None:
            return {"platform": self.platform, "kind": self.kind}
        return {"organisation": self.organisation, "kind": self.kind}

    def cli_json(self) -> dict[str, Any]:
        """`reprise discover --json`: one item."""
        return {"key": self.key, "name": self.name, "selection": self.selection} | ordered(
            self, ("choices", "reason", "retention", "check_address", "selected")
        )


class EstablishmentOut(BaseModel):
    finess: str
    name: str
    address_lines: list[str]
    category: str | None
    public: bool | None
    siret: str | None
    phone: str | None

    @classmethod
    def of(cls, row: EstablishmentRow) -> EstablishmentOut:
        return cls(
            finess=row.finess,
            name=row.display_name,
            address_lines=row.address_lines,
            category=row.kind,
            public=row.public,
            siret=row.siret,
            phone=row.phone,
        )


ESTABLISHMENT_CLI_FIELDS = ("finess", "name", "address_lines", "category", "public")


class EstablishmentsOut(BaseModel):
    imported: bool
    total: int
    results: list[EstablishmentOut]


class CompanyOut(BaseModel):
    siren: str
    name: str
    address_lines: list[str]
    active: bool
    public: bool | None
    category: str | None
    finess: list[str]

    @classmethod
    def of(cls, company: Company) -> CompanyOut:
        return cls(
            siren=company.siren,
            name=company.name,
            address_lines=company.address_lines,
            active=company.active,
            public=company.public,
            category=company.category,
            finess=company.finess,
        )


COMPANY_CLI_FIELDS = ("siren", "name", "address_lines", "public", "category", "active")


class SuggestionOut(BaseModel):
    """An address suggested by a patient, for the catalogue's maintainers."""

    date: str
    platform: str
    kind: str
    value: str
    source_url: str | None

    @classmethod
    def of(cls, row: CatalogueSuggestion) -> SuggestionOut:
        return cls(
            date=row.created_at.isoformat(timespec="seconds"),
            platform=row.platform_slug,
            kind=row.kind,
            value=row.value,
            source_url=row.source_url,
        )


# ------------------------------------------------------------------ proceedings


class NextStepOut(BaseModel):
    code: str
    label: str
    letter: str | None = None
    event: str | None = None
    when: dt.date | None = Field(
        default=None, description="the date the step is about (for refer-cada: the last day)"
    )


class LetterOut(BaseModel):
    id: uuid.UUID
    kind: str
    created_at: dt.datetime


class OrganisationOut(BaseModel):
    """An organisation outside the catalogue, as the request was addressed to it."""

    name: str
    address_lines: list[str]
    email: str | None = None
    siren: str | None = None
    finess: str | None = None
    category: str | None = None
    public: bool | None = None
    country: str | None = Field(default=None, description="a country code; null: France")
    web_form: str | None = Field(default=None, description="the web form requests go to")


class CadaOut(BaseModel):
    """For a medical record refused (or left unanswered) by an establishment that may be
    public: the last day to refer to the CADA (CRPA R311-15, R343-1)."""

    due: dt.date = Field(description="the last day to refer to the CADA")
    refused_on: dt.date = Field(description="the refusal's date, or the day silence counts as one")
    implicit: bool = Field(description="true: silence one month after receipt counts as refusal")
    estimated: bool = Field(description="true: counted from the sending, the receipt unknown")
    started: bool = Field(description="true: the refusal has happened (the period is running)")


class ProceedingOut(BaseModel):
    """A tracked request: its due date, why, and the one next step. It goes to a catalogue
    platform (`platform`) or to an organisation outside the catalogue (`organisation`)."""

    id: uuid.UUID
    file_id: uuid.UUID
    platform: str | None = Field(description="the catalogue platform's slug (null: organisation)")
    organisation: OrganisationOut | None = None
    platform_name: str = Field(description="the name of the platform or organisation")
    right: str
    status: str
    due: dt.date | None = Field(description="the date the page shows (null: none to watch)")
    due_basis: Literal["legal", "practical", "none"]
    receipt: dt.date | None
    receipt_estimated: bool
    days_left: int | None
    next_step: NextStepOut
    deadline: Deadline | None = Field(description="the deadline rules' result for the events")
    cada: CadaOut | None = None
    allowed_events: list[str]
    events: list[Event]
    letters: list[LetterOut]

    @classmethod
    def of(cls, view: ProceedingView, letters: Sequence[LetterOut]) -> ProceedingOut:
        from app.proceedings.lifecycle import allowed
        from app.proceedings.next_steps import STEP_LABELS

        due = view.due
        return cls(
            id=view.id,
            file_id=view.proceeding.file_id,
            platform=view.platform,
            organisation=OrganisationOut.model_validate(view.organisation)
            if view.organisation is not None
            else None,
            platform_name=view.recipient_name,
            right=view.right,
            status=view.facts.state,
            due=due.day,
            due_basis=due.basis,
            receipt=due.receipt.day if due.receipt else None,
            receipt_estimated=bool(due.receipt and due.receipt.estimated),
            days_left=view.days_left,
            next_step=NextStepOut(
                code=view.step.code,
                label=_(STEP_LABELS[view.step.code]),
                letter=view.step.letter,
                event=view.step.event,
                when=view.step.when,
            ),
            deadline=due.deadline,
            cada=CadaOut(
                due=view.cada.due,
                refused_on=view.cada.refused_on,
                implicit=view.cada.implicit,
                estimated=view.cada.estimated,
                started=view.cada.started(view.today),
            )
            if view.cada is not None
            else None,
            allowed_events=allowed(view.facts),
            events=list(view.facts.events),
            letters=list(letters),
        )


class ProceedingLine(BaseModel):
    """One proceeding as `reprise proceedings list --json` and `record` print it: the
    `ProceedingOut` fields a script watches, with the next step's code and the CADA's day."""

    id: uuid.UUID
    platform: str | None
    organisation: dict[str, Any] | None = Field(description="as the request was addressed")
    recipient_name: str
    right: str
    status: str
    due: dt.date | None
    due_basis: Literal["legal", "practical", "none"]
    receipt: dt.date | None
    receipt_estimated: bool
    days_left: int | None
    next_step: str
    cada_due: dt.date | None

    @classmethod
    def of(cls, view: ProceedingView) -> ProceedingLine:
        due = view.due
        return cls(
            id=view.id,
            platform=view.platform,
            organisation=view.organisation,
            recipient_name=view.recipient_name,
            right=view.right,
            status=view.facts.state,
            due=due.day,
            due_basis=due.basis,
            receipt=due.receipt.day if due.receipt else None,
            receipt_estimated=bool(due.receipt and due.receipt.estimated),
            days_left=view.days_left,
            next_step=view.step.code,
            cada_due=view.cada.due if view.cada else None,
        )


# ------------------------------------------------------------------ proceedings: input


class ProceedingCreate(BaseModel):
    """Write a first request and follow it: in the caller's own file, or in a member's file
    (`file_id`) under a mandate in force that covers this right and platform.

    The request goes to a catalogue platform (`platform`) or to an organisation outside the
    catalogue (`organisation`: from FINESS, the company register, or typed), never both.
    A mandate covers the catalogue platforms and the organisations it names (the same FINESS
    number, else SIREN, else name and postal code)."""

    model_config = ConfigDict(extra="forbid")

    kind: RightKind
    platform: str | None = Field(default=None, max_length=80)
    organisation: Organisation | None = None
    options: dict[str, Any] = Field(default_factory=dict)
    file_id: uuid.UUID | None = None
    identity: Identity | None = None

    def addressee(self) -> Addressee:
        """The request's recipient: one of `platform` and `organisation` (422 naming the field)."""
        if self.platform is not None and self.organisation is not None:
            raise Invalid(
                {"organisation": _("Indiquez une plateforme ou un organisme, pas les deux.")}
            )
        if self.organisation is not None:
            return Addressee.of_organisation(self.organisation.model_dump(mode="json"))
        if self.platform is None:
            message = _("Indiquez une plateforme du catalogue ou un organisme.")
            raise Invalid({"platform": message, "organisation": message})
        if get_catalogue().get(self.platform) is None:
            raise Invalid({"platform": _("Cette plateforme n'est pas dans le catalogue.")})
        return Addressee(platform=self.platform)


class FollowUpCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: FollowUpKind
