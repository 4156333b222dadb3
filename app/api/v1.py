"""JSON API, version 1: platforms and letters."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from fastapi import Body, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model

from app.api import ERROR_RESPONSES, ErrorOut
from app.api.jobs import PackJobOut, job_json
from app.catalogue.loader import get_catalogue
from app.catalogue.organisation import Organisation
from app.catalogue.schema import Platform
from app.catalogue.search import search_platforms
from app.clock import now, today
from app.db import SessionDep
from app.errors import NotFound
from app.letters.email import letter_eml
from app.letters.identity import Identity
from app.letters.kinds import OPTION_MODELS
from app.letters.options import Options
from app.letters.pack_jobs import FEW, in_background, queue_pack
from app.letters.packs import MAX_PACK, build_letters, pack_file, parse_items
from app.letters.quotas import charge_renders
from app.letters.render import letter_pdf, letter_text
from app.letters.service import FORMATS, make_letter, resolve_recipient
from app.routing import Router

router = Router(prefix="/api/v1", tags=["v1"], responses=ERROR_RESPONSES)


@router.get("/platforms", response_model=list[Platform])
async def list_platforms(q: Annotated[str, Query(max_length=100)] = "") -> Response:
    """Every platform record, or those matching `q` (name, brand, alias, domain)."""
    catalogue = get_catalogue()
    return json_answer(platforms_json(q, id(catalogue)))


@lru_cache(maxsize=1024)
def platforms_json(q: str, catalogue_id: int) -> bytes:
    """The answer to `q`, serialised once: the catalogue changes only with a deployment
    (`catalogue_id` keeps a reloaded catalogue from an old answer)."""
    catalogue = get_catalogue()
    found = search_platforms(catalogue, q) if q.strip() else list(catalogue.platforms)
    return PLATFORMS.dump_json(found, by_alias=True)


PLATFORMS: TypeAdapter[list[Platform]] = TypeAdapter(list[Platform])


def json_answer(body: bytes) -> Response:
    return Response(body, media_type="application/json")


@router.get("/platforms/{slug}", response_model=Platform)
async def get_platform(slug: Annotated[str, Field(max_length=80)]) -> Platform:
    platform = get_catalogue().get(slug)
    if platform is None:
        raise NotFound("no platform with this slug")
    return platform


class LetterFields(BaseModel):
    """What every letter request carries besides its kind and options."""

    model_config = ConfigDict(extra="forbid")

    platform: str | None = Field(default=None, max_length=80)
    recipient: Organisation | None = None
    identity: Identity
    lang: Literal["fr", "en"] | None = None
    format: Literal["pdf", "txt", "eml"] = "pdf"
    date: dt.date | None = None


class PackItemFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    platform: str | None = Field(default=None, max_length=80)
    organisation: Organisation | None = None


def _camel(kind: str) -> str:
    return "".join(part.capitalize() for part in kind.split("-"))


def _per_kind(base: type[BaseModel], suffix: str) -> Any:
    """One model per kind (its own options), joined in a union discriminated by `kind`."""
    models = [
        create_model(
            f"{_camel(kind)}{suffix}",
            __base__=base,
            kind=(Literal[kind], ...),  # type: ignore[arg-type]
            options=(model, Field(default_factory=model)),
        )
        for kind, model in OPTION_MODELS.items()
    ]
    return Annotated[Union[tuple(models)], Field(discriminator="kind")]  # noqa: UP007


if TYPE_CHECKING:
    LetterRequest = LetterFields
    PackItemRequest = PackItemFields
else:
    LetterRequest = _per_kind(LetterFields, "Letter")
    PackItemRequest = _per_kind(PackItemFields, "PackItem")


class PackRequest(BaseModel):
    """Many letters for one person: one PDF to print, or a ZIP of single PDFs."""

    model_config = ConfigDict(extra="forbid")

    identity: Identity
    items: list[PackItemRequest] = Field(min_length=1, max_length=MAX_PACK)
    lang: Literal["fr", "en"] | None = None
    format: Literal["pdf", "zip"] = "pdf"
    date: dt.date | None = None


MEDIA_TYPES = {
    "pdf": "application/pdf",
    "zip": "application/zip",
    "txt": "text/plain; charset=utf-8",
    "eml": "message/rfc822",
}


@router.post(
    "/letters",
    response_class=Response,
    responses={200: {"content": {MEDIA_TYPES[name]: {} for name in FORMATS}}},
)
def create_letter(
    request: Request, db: SessionDep, body: Annotated[LetterRequest, Body()]
) -> Response:
    """The letter as PDF (default), plain text or an email message."""
    options: Options = body.options  # type: ignore[attr-defined]
    kind: str = body.kind  # type: ignore[attr-defined]
    recipient = resolve_recipient(body.platform, body.recipient)
    letter = make_letter(kind, body.identity, recipient, options, body.date or today(), body.lang)
    if body.format == "pdf":
        _charge(request, db, 1)
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


def _charge(request: Request, db: SessionDep, letters: int) -> None:
    """Count the letters against the caller's account (personal token), else its address."""
    user = request.state.access.actor.user
    address = request.client.host if request.client else "unknown"
    charge_renders(db, letters, address, user.id if user else None, now())


@router.post(
    "/letters/pack",
    response_class=Response,
    status_code=200,
    responses={
        200: {"content": {MEDIA_TYPES["pdf"]: {}, MEDIA_TYPES["zip"]: {}}},
        202: {
            "model": PackJobOut,
            "description": f"More than {FEW} letters: the pack is made in the background; "
            "poll the address in Location",
        },
        429: {"model": ErrorOut, "description": "Too many letters rendered lately"},
        503: {"model": ErrorOut, "description": "Every render worker is busy: retry later"},
    },
)
def create_pack(request: Request, db: SessionDep, body: Annotated[PackRequest, Body()]) -> Response:
    """Every letter in one PDF to print (default), or a ZIP of single PDFs and a checklist.

    Up to a few letters, the file comes at once; a bigger pack answers 202 with a Location
    (`/api/v1/jobs/{id}`) that gives its progress, then the file."""
    # parse_items checks what the body's schema cannot (one recipient per letter...) and
    # names the failing item's field in a 422.
    selection = [
        {
            "kind": item.kind,  # type: ignore[attr-defined]
            "platform": item.platform,
            "organisation": (
                item.organisation.model_dump(mode="json") if item.organisation else None
            ),
            "options": item.options.model_dump(mode="json"),  # type: ignore[attr-defined]
        }
        for item in body.items
    ]
    items = parse_items(selection)
    day = body.date or today()
    _charge(request, db, len(items))
    if in_background(len(items)):
        job = queue_pack(db, selection, body.identity, body.format, lang=body.lang, day=day)
        location = f"/api/v1/jobs/{job.id}"
        return JSONResponse(job_json(job), status_code=202, headers={"Location": location})
    letters = build_letters(items, body.identity, day, body.lang)
    content = pack_file(letters, body.identity, body.format)
    return Response(
        content,
        media_type=MEDIA_TYPES[body.format],
        headers={"Content-Disposition": f'attachment; filename="reprise-lettres.{body.format}"'},
    )
