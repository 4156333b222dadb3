"""The wizard's last step: the letter checked, its address completed, then downloaded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response

from app.db import SessionDep
from app.deadlines.periods import answer_periods
from app.i18n import get_locale
from app.i18n import gettext as _
from app.letters.address_sources import address_source
from app.letters.channels import needs_address
from app.letters.document import Letter
from app.letters.drafts import load_draft, update_draft
from app.letters.email import letter_eml, mailto_has_body, mailto_link
from app.letters.kinds import KIND_INFO
from app.letters.render import letter_body_text, letter_pdf, letter_text
from app.letters.wizard import progress, reachable
from app.routing import Router
from app.web.deps import OptionalWebSession, WebSessionDep, csrf_protect
from app.web.pages import redirect, render_page
from app.web.routes.letters import draft_holder, draft_letter, go_to_current_step

router = Router(dependencies=[Depends(csrf_protect)])


def _address_missing(draft: dict[str, Any], letter: Letter) -> bool:
    """No way to send the letter is known, and the person did not choose to write it by hand:
    the letter is not handed over before they give the address they found."""
    return (
        letter.layout == "letter"
        and needs_address(letter.recipient)
        and not draft.get("address_by_hand")
    )


def _address_source(letter: Letter) -> str | None:
    """Where the person may find the address: the record's privacy policy (or its first
    source), or the public directory of companies for an organisation typed in."""
    return address_source(letter.recipient)


def _preview_page(
    request: Request,
    draft: dict[str, Any],
    address_values: dict[str, str] | None = None,
    address_errors: dict[str, str] | None = None,
) -> HTMLResponse:
    """The letter to check; with `address_errors`, the address the person typed is refused."""
    platform = draft_holder(draft)
    letter = draft_letter(draft)
    refused = address_errors is not None
    mailto = None if refused else mailto_link(letter)
    return render_page(
        request,
        "letters/preview.html",
        {
            "platform": platform,
            "letter": letter,
            "address_missing": refused or _address_missing(draft, letter),
            "address_source": _address_source(letter),
            "address_values": address_values or {},
            "address_errors": address_errors or {},
            "errors": address_errors or {},
            "other_language": letter.lang != get_locale(),
            "kind_info": KIND_INFO[letter.kind],
            "mailto": mailto,
            "mailto_complete": False if refused else mailto_has_body(mailto),
            "step": progress(draft, "preview"),
            "periods": answer_periods(),
        },
        status=422 if refused else 200,
    )


@router.get("/lettres/apercu", response_class=HTMLResponse)
def preview(request: Request, db: SessionDep, session: OptionalWebSession) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "preview"):
        return go_to_current_step(draft)
    return _preview_page(request, draft)


@router.get("/lettres/texte", response_class=HTMLResponse)
def text_to_paste(request: Request, db: SessionDep, session: OptionalWebSession) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "preview"):
        return go_to_current_step(draft)
    letter = draft_letter(draft)
    return render_page(
        request,
        "letters/text.html",
        {"platform": draft_holder(draft), "letter": letter, "text": letter_body_text(letter)},
    )


def _download(letter: Letter, data: bytes, extension: str, media_type: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{letter.file_stem}.{extension}"'},
    )


def _ready_download(
    db: SessionDep,
    session: OptionalWebSession,
    make: Callable[[dict[str, Any], Letter], tuple[bytes, str, str]],
) -> Response:
    """The letter as a file, once the preview is reachable and the address is known (else
    back to the step or the address form); `make` gives its bytes, extension and type."""
    draft = load_draft(db, session)
    if not reachable(draft, "preview"):
        return go_to_current_step(draft)
    letter = draft_letter(draft)
    if _address_missing(draft, letter):
        return redirect("/lettres/apercu#adresse")
    data, extension, media_type = make(draft, letter)
    return _download(letter, data, extension, media_type)


@router.get("/lettres/lettre.pdf")
def download_pdf(db: SessionDep, session: OptionalWebSession) -> Response:
    return _ready_download(
        db, session, lambda draft, letter: (letter_pdf(letter), "pdf", "application/pdf")
    )


@router.get("/lettres/lettre.eml")
def download_eml(db: SessionDep, session: OptionalWebSession) -> Response:
    def eml(draft: dict[str, Any], letter: Letter) -> tuple[bytes, str, str]:
        sender = (draft.get("identity") or {}).get("email")
        return letter_eml(letter, sender), "eml", "message/rfc822"

    return _ready_download(db, session, eml)


@router.get("/lettres/lettre.txt")
def download_text(db: SessionDep, session: OptionalWebSession) -> Response:
    return _ready_download(
        db,
        session,
        lambda draft, letter: (letter_text(letter).encode(), "txt", "text/plain; charset=utf-8"),
    )


ADDRESS_LINES = 4


@router.post("/lettres/adresse", response_class=HTMLResponse)
async def set_recipient_address(
    request: Request, db: SessionDep, session: WebSessionDep
) -> Response:
    """The postal address the person found for a recipient Reprise has none for, or their
    choice to write it by hand on the printed letter."""
    draft = load_draft(db, session)
    if not reachable(draft, "preview"):
        return go_to_current_step(draft)
    form = await request.form()
    if form.get("by_hand") == "yes":
        update_draft(db, session, address_by_hand=True, recipient_address=None)
        return redirect("/lettres/apercu")
    values = {f"address_{i}": str(form.get(f"address_{i}") or "").strip() for i in range(1, 5)}
    lines = [value for value in values.values() if value]
    errors: dict[str, str] = {}
    if len(lines) < 2:
        errors["address_1"] = _(
            "Écrivez l'adresse sur deux lignes au moins : la rue, puis le code postal et la ville."
        )
    elif any(len(line) > 120 for line in lines):
        errors["address_1"] = _("Chaque ligne a 120 caractères au plus.")
    if errors:
        return _preview_page(request, draft, values, errors)
    update_draft(db, session, recipient_address=lines, address_by_hand=False)
    return redirect("/lettres/apercu")
