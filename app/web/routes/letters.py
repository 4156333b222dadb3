"""The letter wizard: platform, which letter, its options, who you are, check it, download it."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.catalogue.loader import get_catalogue
from app.catalogue.search import search_platforms
from app.clock import today as clock_today
from app.db import SessionDep
from app.errors import NotFound
from app.i18n import get_locale
from app.i18n import gettext as _
from app.letters.address_sources import address_source
from app.letters.channels import needs_address
from app.letters.document import Letter
from app.letters.drafts import load_draft, update_draft
from app.letters.email import letter_eml, mailto_has_body, mailto_link
from app.letters.holders import Holder, holder_from_organisation, holder_from_platform
from app.letters.identity import Identity
from app.letters.kinds import GROUP_TITLES, KIND_INFO, kinds_for
from app.letters.render import letter_body_text, letter_pdf, letter_text
from app.letters.service import make_letter, parse_options
from app.letters.wizard import first_incomplete, next_step, option_page, progress, reachable
from app.web.deps import OptionalWebSession, WebSessionDep, csrf_protect
from app.web.identity_form import FIELDS, countries, form_from_identity, identity_from_form
from app.web.option_form import apply_page, date_errors, field_values, organisation_errors
from app.web.pages import redirect, render_page

router = APIRouter(dependencies=[Depends(csrf_protect)])

MAX_RESULTS = 40


def _holder(draft: dict[str, Any]) -> Holder:
    """The letter's holder: the catalogue platform, or the organisation the person typed in."""
    if draft.get("organisation"):
        return holder_from_organisation(draft["organisation"])
    platform = get_catalogue().get(draft.get("platform") or "")
    if platform is None:
        raise NotFound(_("Cette plateforme n'est pas dans le catalogue."))
    return holder_from_platform(platform)


def _kind(draft: dict[str, Any]) -> str:
    kind = draft.get("kind") or "erasure"
    return kind if kind in KIND_INFO else "erasure"


def _letter(draft: dict[str, Any], today: date | None = None) -> Letter:
    holder = _holder(draft)
    kind = _kind(draft)
    return make_letter(
        kind,
        Identity.model_validate(draft["identity"]),
        holder.recipient,
        parse_options(kind, draft.get("options")),
        today or clock_today(),
        address_found=tuple(draft.get("recipient_address") or ()),
    )


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


def _go_to_current_step(draft: dict[str, Any]) -> RedirectResponse:
    return redirect(first_incomplete(draft).path)


@router.get("/lettres", response_class=HTMLResponse)
def choose_holder(
    request: Request, db: SessionDep, session: WebSessionDep, q: str = ""
) -> HTMLResponse:
    draft = load_draft(db, session)
    query = q.strip()[:100]
    results = search_platforms(get_catalogue(), query)[:MAX_RESULTS] if query else []
    return render_page(
        request,
        "letters/platform.html",
        {
            "query": query,
            "results": results,
            "everything": get_catalogue().platforms if not query else (),
            "chosen": draft.get("platform"),
            "step": progress(draft, "platform"),
        },
    )


@router.post("/lettres/plateforme")
def set_holder(
    db: SessionDep, session: WebSessionDep, slug: Annotated[str, Form(max_length=80)]
) -> RedirectResponse:
    platform = get_catalogue().get(slug)
    if platform is None:
        raise NotFound(_("Cette plateforme n'est pas dans le catalogue."))
    update_draft(
        db,
        session,
        platform=platform.slug,
        organisation=None,
        kind=platform.recommended_right,
        kind_chosen=False,
        options={},
        pages_done=[],
    )
    return redirect("/lettres/demande")


def _kind_page(
    request: Request, draft: dict[str, Any], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    platform = _holder(draft)
    offered = kinds_for(platform.categories, platform.public)
    recommended = platform.recommended_right
    groups = [
        (
            _(title),
            [
                (
                    info.name,
                    _(info.label) + (" — " + _("recommandé") if info.name == recommended else ""),
                    _(info.explanation),
                )
                for info in (KIND_INFO[name] for name in offered)
                if info.group == group
            ],
        )
        for group, title in GROUP_TITLES.items()
    ]
    return render_page(
        request,
        "letters/kind.html",
        {
            "platform": platform,
            "reason": _(platform.recommended_reason)
            if platform.reason_is_message
            else platform.recommended_reason,
            "recommended": _(KIND_INFO[recommended].label),
            "chosen": _kind(draft),
            "groups": groups,
            "errors": errors,
            "step": progress(draft, "kind"),
        },
        status=status,
    )


@router.get("/lettres/demande", response_class=HTMLResponse)
def choose_kind(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "kind"):
        return _go_to_current_step(draft)
    return _kind_page(request, draft, {})


@router.post("/lettres/demande", response_class=HTMLResponse)
def set_kind(
    request: Request,
    db: SessionDep,
    session: WebSessionDep,
    kind: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "kind"):
        return _go_to_current_step(draft)
    holder = _holder(draft)
    if kind not in kinds_for(holder.categories, holder.public):
        return _kind_page(
            request, draft, {"kind": _("Choisissez le type de lettre à écrire.")}, 422
        )
    changes: dict[str, Any] = {"kind": kind, "kind_chosen": True}
    if kind != draft.get("kind"):
        changes |= {"options": {}, "pages_done": []}
    draft = update_draft(db, session, **changes)
    return redirect(next_step(draft, "kind").path)


def _options_page(
    request: Request,
    draft: dict[str, Any],
    slug: str,
    values: dict[str, Any] | None,
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    kind = _kind(draft)
    page = option_page(kind, slug)
    if page is None:
        raise NotFound(_("Cette question n'existe pas pour ce type de lettre."))
    return render_page(
        request,
        "letters/options.html",
        {
            "platform": _holder(draft),
            "page": page,
            "kind_info": KIND_INFO[kind],
            "values": values
            if values is not None
            else field_values(page, draft.get("options") or {}),
            "items": {
                question.name: [
                    (choice.value, _(choice.label), _(choice.hint) if choice.hint else None)
                    for choice in question.choices
                ]
                for question in page.questions
            },
            "errors": errors,
            "step": progress(draft, f"options:{slug}"),
        },
        status=status,
    )


@router.get("/lettres/options/{slug}", response_class=HTMLResponse)
def options_form(request: Request, db: SessionDep, session: WebSessionDep, slug: str) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, f"options:{slug}"):
        return _go_to_current_step(draft)
    return _options_page(request, draft, slug, None, {})


@router.post("/lettres/options/{slug}", response_class=HTMLResponse)
async def submit_options(
    request: Request, db: SessionDep, session: WebSessionDep, slug: str
) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, f"options:{slug}"):
        return _go_to_current_step(draft)
    page = option_page(_kind(draft), slug)
    if page is None:
        raise NotFound(_("Cette question n'existe pas pour ce type de lettre."))
    options, errors, typed = apply_page(page, draft.get("options") or {}, await request.form())
    if options is not None:
        kind = _kind(draft)
        errors = date_errors(
            page, _holder(draft).recipient, parse_options(kind, options), clock_today()
        )
    if options is None or errors:
        return _options_page(request, draft, slug, typed, errors, status=422)
    done = [name for name in draft.get("pages_done") or [] if name != slug] + [slug]
    draft = update_draft(db, session, options=options, pages_done=done)
    return redirect(next_step(draft, f"options:{slug}").path)


def _identity_page(
    request: Request,
    draft: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    platform = _holder(draft)
    return render_page(
        request,
        "letters/identity.html",
        {
            "platform": platform,
            "identifiers": platform.identifiers,
            "action": "/lettres/identite",
            "values": values,
            "errors": errors,
            "countries": countries(),
            "step": progress(draft, "identity"),
        },
        status=status,
    )


@router.get("/lettres/identite", response_class=HTMLResponse)
def identity_form(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "identity"):
        return _go_to_current_step(draft)
    return _identity_page(request, draft, form_from_identity(draft.get("identity")), {})


@router.post("/lettres/identite", response_class=HTMLResponse)
async def submit_identity(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "identity"):
        return _go_to_current_step(draft)
    form = await request.form()
    platform = _holder(draft)
    names = list(FIELDS) + [f"identifier_{i}" for i in range(len(platform.identifiers))]
    values = {name: str(form.get(name) or "") for name in names}
    identity, errors = identity_from_form(values, platform.identifiers)
    if identity is None:
        return _identity_page(request, draft, values, errors, status=422)
    update_draft(db, session, identity=identity.model_dump(mode="json"))
    return redirect("/lettres/apercu")


@router.get("/lettres/apercu", response_class=HTMLResponse)
def preview(request: Request, db: SessionDep, session: OptionalWebSession) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "preview"):
        return _go_to_current_step(draft)
    platform = _holder(draft)
    letter = _letter(draft)
    mailto = mailto_link(letter)
    return render_page(
        request,
        "letters/preview.html",
        {
            "platform": platform,
            "letter": letter,
            "address_missing": _address_missing(draft, letter),
            "address_source": _address_source(letter),
            "address_values": {},
            "address_errors": {},
            "errors": {},
            "other_language": letter.lang != get_locale(),
            "kind_info": KIND_INFO[letter.kind],
            "mailto": mailto,
            "mailto_complete": mailto_has_body(mailto),
            "step": progress(draft, "preview"),
        },
    )


@router.get("/lettres/texte", response_class=HTMLResponse)
def text_to_paste(request: Request, db: SessionDep, session: OptionalWebSession) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "preview"):
        return _go_to_current_step(draft)
    letter = _letter(draft)
    return render_page(
        request,
        "letters/text.html",
        {"platform": _holder(draft), "letter": letter, "text": letter_body_text(letter)},
    )


def _download(letter: Letter, data: bytes, extension: str, media_type: str) -> Response:
    return Response(
        data,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{letter.file_stem}.{extension}"'},
    )


@router.get("/lettres/lettre.pdf")
def download_pdf(db: SessionDep, session: OptionalWebSession) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "preview"):
        return _go_to_current_step(draft)
    letter = _letter(draft)
    if _address_missing(draft, letter):
        return redirect("/lettres/apercu#adresse")
    return _download(letter, letter_pdf(letter), "pdf", "application/pdf")


@router.get("/lettres/lettre.eml")
def download_eml(db: SessionDep, session: OptionalWebSession) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "preview"):
        return _go_to_current_step(draft)
    letter = _letter(draft)
    if _address_missing(draft, letter):
        return redirect("/lettres/apercu#adresse")
    sender = (draft.get("identity") or {}).get("email")
    return _download(letter, letter_eml(letter, sender), "eml", "message/rfc822")


@router.get("/lettres/lettre.txt")
def download_text(db: SessionDep, session: OptionalWebSession) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "preview"):
        return _go_to_current_step(draft)
    letter = _letter(draft)
    if _address_missing(draft, letter):
        return redirect("/lettres/apercu#adresse")
    return _download(letter, letter_text(letter).encode(), "txt", "text/plain; charset=utf-8")


ADDRESS_LINES = 4


@router.post("/lettres/adresse", response_class=HTMLResponse)
async def set_recipient_address(
    request: Request, db: SessionDep, session: WebSessionDep
) -> Response:
    """The postal address the person found for a recipient Reprise has none for, or their
    choice to write it by hand on the printed letter."""
    draft = load_draft(db, session)
    if not reachable(draft, "preview"):
        return _go_to_current_step(draft)
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
        platform = _holder(draft)
        letter = _letter(draft)
        return render_page(
            request,
            "letters/preview.html",
            {
                "platform": platform,
                "letter": letter,
                "address_missing": True,
                "address_source": _address_source(letter),
                "address_values": values,
                "address_errors": errors,
                "errors": errors,
                "other_language": letter.lang != get_locale(),
                "kind_info": KIND_INFO[letter.kind],
                "mailto": None,
                "mailto_complete": False,
                "step": progress(draft, "preview"),
            },
            status=422,
        )
    update_draft(db, session, recipient_address=lines, address_by_hand=False)
    return redirect("/lettres/apercu")


ORGANISATION_FIELDS = ("name", "line1", "line2", "line3", "email", "category", "public")


def _organisation_page(
    request: Request, values: dict[str, str], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    return render_page(
        request,
        "letters/organisation.html",
        {"values": values, "errors": errors},
        status=status,
    )


@router.get("/lettres/organisme", response_class=HTMLResponse)
def organisation_form(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    draft = load_draft(db, session)
    stored = draft.get("organisation") or {}
    lines = [*(stored.get("address_lines") or []), "", "", ""]
    public = stored.get("public")
    values = {
        "name": stored.get("name") or "",
        "line1": lines[0],
        "line2": lines[1],
        "line3": lines[2],
        "email": stored.get("email") or "",
        "category": stored.get("category") or "other",
        "public": "" if public is None else ("yes" if public else "no"),
    }
    return _organisation_page(request, values, {})


@router.post("/lettres/organisme", response_class=HTMLResponse)
async def submit_organisation(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    form = await request.form()
    values = {name: str(form.get(name) or "").strip() for name in ORGANISATION_FIELDS}
    raw = {
        "name": values["name"],
        "address_lines": [values[f"line{index}"] for index in (1, 2, 3) if values[f"line{index}"]],
        "email": values["email"] or None,
        "category": values["category"]
        if values["category"] in {"hospital", "practitioner"}
        else None,
        "public": {"yes": True, "no": False}.get(values["public"]),
    }
    errors = organisation_errors(raw)
    if errors:
        return _organisation_page(request, values, errors, status=422)
    holder = holder_from_organisation(raw)
    update_draft(
        db,
        session,
        platform=None,
        organisation=raw,
        kind=holder.recommended_right,
        kind_chosen=False,
        options={},
        pages_done=[],
    )
    return redirect("/lettres/demande")
