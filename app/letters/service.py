"""Making letters: checks the request, finds the recipient, composes, renders."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import ValidationError

from app.catalogue.loader import get_catalogue
from app.catalogue.organisation import Organisation
from app.errors import Invalid, NotFound
from app.i18n import gettext as _
from app.letters.assembly import compose
from app.letters.compose import Helper, Request, recipient_from_platform
from app.letters.document import Letter, Recipient
from app.letters.identity import Identity
from app.letters.kinds import KIND_TEXTS, OPTION_MODELS
from app.letters.options import MandateOptions, Options
from app.letters.timing import check_timing, holder_in_alsace_moselle

Format = Literal["pdf", "txt", "eml"]
FORMATS: tuple[str, ...] = ("pdf", "txt", "eml")


def supported_kinds() -> tuple[str, ...]:
    return tuple(KIND_TEXTS)


def recipient_from_input(recipient: Organisation) -> Recipient:
    return Recipient(
        name=recipient.name,
        address_lines=tuple(recipient.postal_lines),
        email=recipient.email,
        verified=False,
        language=recipient.language,
        siren=recipient.siren,
        public=recipient.public,
        category=recipient.category,
        web_form=recipient.web_form,
    )


def resolve_recipient(platform_slug: str | None, recipient: Organisation | None) -> Recipient:
    if platform_slug:
        platform = get_catalogue().get(platform_slug)
        if platform is None:
            raise NotFound(_("Cette plateforme n'est pas dans le catalogue."))
        return recipient_from_platform(platform)
    if recipient is None:
        raise Invalid({"platform": _("Choisissez une plateforme ou indiquez un destinataire.")})
    return recipient_from_input(recipient)


def parse_options(kind: str, raw: dict[str, Any] | None) -> Options:
    if kind not in OPTION_MODELS:
        raise Invalid({"kind": _("Ce type de lettre n'existe pas.")})
    try:
        return OPTION_MODELS[kind].model_validate(raw or {})
    except ValidationError as exc:
        raise Invalid(
            {
                "options." + ".".join(str(part) for part in error["loc"]): error["msg"]
                for error in exc.errors()
            }
        ) from exc


def check_applies(kind: str, recipient: Recipient) -> None:
    """Refuse a letter the law does not allow toward this recipient."""
    if kind == "cada-referral" and recipient.public is False:
        raise Invalid(
            {
                "kind": _(
                    "La CADA ne traite que les refus des établissements publics. Pour une "
                    "clinique privée ou un médecin libéral, adressez une réclamation à la CNIL."
                )
            }
        )


def check_follow_up_dates(kind: str, recipient: Recipient, options: Options, today: date) -> None:
    """Refuse a follow-up dated `today` that comes too early or too late for its dates
    (Invalid naming the date option, with the first day the letter becomes possible)."""
    platform = get_catalogue().get(recipient.platform_slug) if recipient.platform_slug else None
    check_timing(kind, options, today, holder_in_alsace_moselle(recipient, platform))


def make_letter(
    kind: str,
    identity: Identity,
    recipient: Recipient,
    options: Options,
    today: date,
    lang: str | None = None,
    *,
    check_dates: bool = True,
    helper: Helper | None = None,
    address_found: tuple[str, ...] = (),
) -> Letter:
    """Compose one letter; `lang` defaults to the recipient's request language.

    A follow-up dated `today` too early or too late is refused (app.letters.timing); a letter
    kept earlier is made again as it was (`check_dates=False`)."""
    if kind not in KIND_TEXTS:
        raise Invalid({"kind": _("Ce type de lettre n'existe pas.")})
    if not isinstance(options, OPTION_MODELS[kind]):
        raise Invalid({"options": _("Ces options ne correspondent pas à ce type de lettre.")})
    check_applies(kind, recipient)
    if check_dates:
        check_follow_up_dates(kind, recipient, options, today)
    platform = get_catalogue().get(recipient.platform_slug) if recipient.platform_slug else None
    request = Request(kind, identity, recipient, options, today, platform, helper, address_found)
    return compose(request, lang)


def make_mandate(
    identity: Identity, options: MandateOptions, today: date, lang: str = "fr"
) -> Letter:
    """A mandate on its own (it has no addressee): for helpers acting under a stored mandate."""
    return compose(
        Request("mandate", identity, Recipient(name="", address_lines=()), options, today),
        lang,
    )
