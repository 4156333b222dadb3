"""Addresses people suggest for the catalogue: no personal data, nothing applied by itself."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, new_id, utcnow


class CatalogueSuggestion(SQLModel, table=True):
    """One address for an organisation, as a patient typed it, waiting for a maintainer."""

    __tablename__ = "catalogue_suggestion"

    id: uuid.UUID = Field(default_factory=new_id, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    platform_slug: str = Field(max_length=80, index=True)
    kind: str = Field(max_length=10)  # email, postal or web_form
    value: str = Field(max_length=500)
    source_url: str | None = Field(default=None, max_length=500)
