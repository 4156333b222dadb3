"""Health establishments imported from the FINESS registry (public data, not personal)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, new_id, utcnow


class Establishment(SQLModel, table=True):
    """One establishment of the last FINESS import: names, postal address, category."""

    __tablename__ = "establishment"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    finess: str = Field(max_length=9, unique=True)
    finess_ej: str | None = Field(default=None, max_length=9)
    name: str = Field(max_length=120)
    long_name: str | None = Field(default=None, max_length=120)
    complement: str | None = Field(default=None, max_length=120)
    distribution: str | None = Field(default=None, max_length=120)
    street: str | None = Field(default=None, max_length=160)
    locality: str | None = Field(default=None, max_length=120)
    postal_code: str = Field(max_length=5)
    town: str = Field(max_length=120)
    department: str = Field(max_length=3)
    department_name: str | None = Field(default=None, max_length=60)
    phone: str | None = Field(default=None, max_length=10)
    category_code: str | None = Field(default=None, max_length=4)
    category_label: str | None = Field(default=None, max_length=120)
    aggregate_code: str | None = Field(default=None, max_length=4)
    aggregate_label: str | None = Field(default=None, max_length=120)
    kind: str | None = Field(default=None, max_length=20)
    siret: str | None = Field(default=None, max_length=14)
    public_status: str | None = Field(default=None, max_length=120)
    updated_on: date | None = None


class FinessImport(SQLModel, table=True):
    """One import of the FINESS file: when, from which extraction, how many rows."""

    __tablename__ = "finess_import"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    imported_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    file_name: str = Field(max_length=255)
    extracted_on: date | None = None
    rows: int
    skipped: int = 0
