"""JSON API routers (v1) and what every one of their operations may answer."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class ErrorOut(BaseModel):
    """An error: a message, or for bad input the list of fields with their reasons."""

    detail: str | list[dict[str, Any]]


# Documented on every operation so that clients (and schemathesis) know them.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorOut, "description": "Refused: not allowed, or sent from another site"},
    404: {"model": ErrorOut, "description": "No such resource"},
    413: {"model": ErrorOut, "description": "The request body is too large"},
    422: {"model": ErrorOut, "description": "Bad input: each field with its reason"},
}

# Operations that need a personal API token (Authorization: Bearer ...).
AUTHENTICATED_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorOut, "description": "No valid personal API token"},
    **ERROR_RESPONSES,
}
