"""JSON API, version 1: legal deadlines."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query
from fastapi.exceptions import RequestValidationError
from pydantic import ConfigDict

from app.api import ERROR_RESPONSES
from app.deadlines.rules import Deadline, DeadlineQuery, compute_deadline
from app.errors import Invalid
from app.routing import Router

router = Router(prefix="/api/v1", tags=["v1"], responses=ERROR_RESPONSES)


class DeadlineParams(DeadlineQuery):
    """The query string of GET /api/v1/deadlines: the fields of DeadlineQuery, read and checked
    in one pass (names it does not know are ignored, as for any query string)."""

    model_config = ConfigDict(frozen=True, extra="ignore")


@router.get("/deadlines", response_model=Deadline)
async def get_deadline(query: Annotated[DeadlineParams, Query()]) -> Deadline:
    """The day a platform must answer by, counted as the law counts it."""
    try:
        return compute_deadline(query)
    except Invalid as exc:
        # Query parameters, not a body: name them where FastAPI's own errors would.
        raise RequestValidationError(
            [
                {"loc": ("query", field), "msg": message, "type": "value_error"}
                for field, message in exc.errors.items()
            ]
        ) from exc
