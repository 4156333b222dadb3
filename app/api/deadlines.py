"""JSON API, version 1: legal deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Query
from fastapi.exceptions import RequestValidationError

from app.api import ERROR_RESPONSES
from app.deadlines.rules import Deadline, DeadlineQuery, Regime, compute_deadline
from app.errors import Invalid
from app.routing import Router

router = Router(prefix="/api/v1", tags=["v1"], responses=ERROR_RESPONSES)


@router.get("/deadlines", response_model=Deadline)
async def get_deadline(
    regime: Annotated[Regime, Query(description="gdpr or medical-record")],
    received: Annotated[dt.date, Query(description="the day the platform received the request")],
    extended: Annotated[
        bool, Query(description="GDPR: the platform announced an extension")
    ] = False,
    older_than_5_years: Annotated[
        bool, Query(description="medical record: information over five years old")
    ] = False,
    psychiatric_commission: Annotated[
        bool, Query(description="medical record: the psychiatric care commission is seized")
    ] = False,
    alsace_moselle: Annotated[
        bool, Query(description="the platform is in Moselle, Bas-Rhin or Haut-Rhin")
    ] = False,
    identity_requested: Annotated[
        dt.date | None, Query(description="GDPR: the day the platform asked for proof of identity")
    ] = None,
    identity_answered: Annotated[
        dt.date | None, Query(description="GDPR: the day the platform received that proof")
    ] = None,
) -> Deadline:
    """The day a platform must answer by, counted as the law counts it."""
    query = DeadlineQuery(
        regime=regime,
        received=received,
        extended=extended,
        older_than_5_years=older_than_5_years,
        psychiatric_commission=psychiatric_commission,
        alsace_moselle=alsace_moselle,
        identity_requested=identity_requested,
        identity_answered=identity_answered,
    )
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
