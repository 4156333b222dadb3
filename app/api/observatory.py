"""GET /api/v1/observatory: the observatory's published figures, as JSON."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Query

from app.api import ERROR_RESPONSES
from app.catalogue.schema import Category
from app.db import SessionDep
from app.observatory.exchange import as_json
from app.observatory.figures import filtered
from app.observatory.published import published
from app.routing import Router

router = Router(prefix="/api/v1", tags=["observatory"], responses=ERROR_RESPONSES)
Right = Literal["access", "erasure", "objection", "medical-record"]


@router.get("/observatory")
def observatory(
    db: SessionDep,
    category: Annotated[Category | None, Query()] = None,
    right: Annotated[Right | None, Query()] = None,
) -> dict[str, Any]:
    """Per organisation, right and year: counts rounded to 5, shares from those counts, delays
    in days; only cells resting on at least 10 persons (Licence Ouverte 2.0)."""
    figures = filtered(published(db), category=category or "", right=right or "")
    return as_json(figures)
