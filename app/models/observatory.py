"""The observatory's summary: one row per tracked request that reached its organisation.

Only what the published figures need: the organisation, the right, and the dates the
lifecycle gives (receipt, legal due date, first answer, first incomplete answer, refusal,
reminder, complaint). No identity, note, letter text or reference. A row is found again by a
keyed hash of its proceeding and counted per person by a keyed hash of that person
(app.observatory.facts), so the table alone does not say whose request it is.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, sealed_column, utcnow


class ObservatoryFact(SQLModel, table=True):
    __tablename__ = "observatory_fact"
    __table_args__ = (
        # All organisations' figures: the rows old enough to count, by cell.
        Index("ix_observatory_fact_counted", "counted_from", "organisation", "right"),
        # One organisation's figures.
        Index("ix_observatory_fact_organisation", "organisation", "counted_from"),
    )

    id: str = Field(primary_key=True, max_length=64)
    person: str = Field(max_length=64, index=True)
    association: str | None = Field(default=None, max_length=64, index=True)
    # A keyed hash of "platform:<slug>" or of the organisation's key (FINESS, SIREN, or name
    # and postal code): which organisations someone wrote to stays out of a database dump.
    organisation: str = Field(max_length=64)
    # For an organisation outside the catalogue, sealed: its key, name and category (read only
    # for a published cell, to name it).
    recipient_sealed: bytes | None = Field(default=None, sa_column=sealed_column())
    right: str = Field(max_length=16)
    year: int
    received_on: date
    due_on: date
    # The legal period plus one month: the request counts from this day on.
    counted_from: date
    answered_on: date | None = None
    answer_days: int | None = None
    incomplete_on: date | None = None
    refused_on: date | None = None
    reminded_on: date | None = None
    complaint_on: date | None = None


class PublishedCell(SQLModel, table=True):
    """One published cell (already thresholded and rounded), read by the pages and the API
    until the next publication: the figures of the first day of the month, made again when a
    change reaches a counted request or a person leaves the figures."""

    __tablename__ = "observatory_cell"

    organisation: str = Field(primary_key=True, max_length=200)
    right: str = Field(primary_key=True, max_length=16)
    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    name: str = Field(max_length=200)
    category: str | None = Field(default=None, max_length=32)
    persons: int
    requests: int
    on_time: int
    answered: int
    incomplete: int
    refused: int
    reminded: int
    complaint: int
    unanswered: int
    median_days: int | None = None
    p90_days: int | None = None


class Publication(SQLModel, table=True):
    """The date of the published cells; none while they must be made again."""

    __tablename__ = "observatory_publication"

    as_of: date = Field(primary_key=True)
    computed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
