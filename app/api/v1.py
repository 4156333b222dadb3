"""JSON API, version 1: platforms and letters."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.catalogue.loader import get_catalogue
from app.catalogue.schema import Platform
from app.catalogue.search import search_platforms
from app.clock import today
from app.errors import NotFound
from app.letters.email import letter_eml
from app.letters.identity import Identity
from app.letters.render import letter_pdf, letter_text
from app.letters.service import (
    RecipientInput,
    make_letter,
    parse_options,
    resolve_recipient,
    supported_kinds,
)

router = APIRouter(prefix="/api/v1", tags=["v1"])


@router.get("/platforms", response_model=list[Platform])
def list_platforms(q: Annotated[str, Query(max_length=100)] = "") -> list[Platform]:
    """Every platform record, or those matching `q` (name, brand, alias, domain)."""
    catalogue = get_catalogue()
    return search_platforms(catalogue, q) if q.strip() else list(catalogue.platforms)


@router.get("/platforms/{slug}", response_model=Platform)
def get_platform(slug: Annotated[str, Field(max_length=80)]) -> Platform:
    platform = get_catalogue().get(slug)
    if platform is None:
        raise NotFound("no platform with this slug")
    return platform


class LetterRequest(BaseModel):
    """One letter: its kind, to whom (a catalogue slug or a recipient), from whom, options."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["erasure"]
    platform: str | None = Field(default=None, max_length=80)
    recipient: RecipientInput | None = None
    identity: Identity
    options: dict[str, Any] = Field(default_factory=dict)
    lang: Literal["fr", "en"] | None = None
    format: Literal["pdf", "txt", "eml"] = "pdf"
    date: dt.date | None = None


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "txt": "text/plain; charset=utf-8",
    "eml": "message/rfc822",
}


@router.post(
    "/letters",
    response_class=Response,
    responses={200: {"content": {value: {} for value in MEDIA_TYPES.values()}}},
)
def create_letter(body: Annotated[LetterRequest, Body()]) -> Response:
    """The letter as PDF (default), plain text or an email message."""
    assert body.kind in supported_kinds()
    recipient = resolve_recipient(body.platform, body.recipient)
    letter = make_letter(
        body.kind,
        body.identity,
        recipient,
        parse_options(body.kind, body.options),
        body.date or today(),
        body.lang,
    )
    if body.format == "pdf":
        content = letter_pdf(letter)
    elif body.format == "txt":
        content = letter_text(letter).encode()
    else:
        content = letter_eml(letter, body.identity.email)
    filename = f"{letter.file_stem}.{body.format}"
    return Response(
        content,
        media_type=MEDIA_TYPES[body.format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
