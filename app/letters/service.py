"""Making letters: checks the request, finds the recipient, composes, renders."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from app.catalogue.loader import get_catalogue
from app.errors import Invalid, NotFound
from app.i18n import gettext as _
from app.letters.compose import KIND_TEXTS, Request, compose, recipient_from_platform
from app.letters.document import Letter, Recipient
from app.letters.identity import Identity
from app.letters.options import ErasureOptions, Options

OPTION_MODELS: dict[str, type[Options]] = {"erasure": ErasureOptions}
Format = Literal["pdf", "txt", "eml"]


class RecipientInput(BaseModel):
    """An organisation that is not in the catalogue, typed by hand."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    address_lines: list[str] = Field(default_factory=list, max_length=6)
    email: str | None = Field(default=None, max_length=254)
    language: Literal["fr", "en"] = "fr"


def supported_kinds() -> tuple[str, ...]:
    return tuple(KIND_TEXTS)


def resolve_recipient(platform_slug: str | None, recipient: RecipientInput | None) -> Recipient:
    if platform_slug:
        platform = get_catalogue().get(platform_slug)
        if platform is None:
            raise NotFound(_("Cette plateforme n'est pas dans le catalogue."))
        return recipient_from_platform(platform)
    if recipient is None:
        raise Invalid({"platform": _("Choisissez une plateforme ou indiquez un destinataire.")})
    return Recipient(
        name=recipient.name,
        address_lines=tuple(line[:120] for line in recipient.address_lines),
        email=recipient.email,
        verified=False,
        language=recipient.language,
    )


def parse_options(kind: str, raw: dict[str, Any] | None) -> Options:
    try:
        return OPTION_MODELS[kind].model_validate(raw or {})
    except ValidationError as exc:
        raise Invalid(
            {
                "options." + ".".join(str(part) for part in error["loc"]): error["msg"]
                for error in exc.errors()
            }
        ) from exc


def make_letter(
    kind: str,
    identity: Identity,
    recipient: Recipient,
    options: Options,
    today: date,
    lang: str | None = None,
) -> Letter:
    """Compose one letter; `lang` defaults to the recipient's request language."""
    if kind not in KIND_TEXTS:
        raise Invalid({"kind": _("Ce type de lettre n'existe pas.")})
    platform = get_catalogue().get(recipient.platform_slug) if recipient.platform_slug else None
    request = Request(kind, identity, recipient, options, today, platform)
    return compose(request, lang)
