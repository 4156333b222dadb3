"""The letter wizard: which letter, its options, who you are (the draft every step shares).

The holder is chosen in app.web.routes.letter_holder; the letter is checked and downloaded in
app.web.routes.letter_preview.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.catalogue.loader import get_catalogue
from app.clock import today as clock_today
from app.db import SessionDep
from app.errors import NotFound
from app.i18n import gettext as _
from app.letters.document import Letter
from app.letters.drafts import load_draft, update_draft
from app.letters.holders import Holder, holder_from_organisation, holder_from_platform
from app.letters.identity import Identity
from app.letters.kinds import GROUP_TITLES, KIND_INFO, kinds_for
from app.letters.service import make_letter, parse_options
from app.letters.wizard import first_incomplete, next_step, option_page, progress, reachable
from app.routing import Router
from app.web.deps import WebSessionDep, csrf_protect
from app.web.identity_form import FIELDS, countries, form_from_identity, identity_from_form
from app.web.option_form import apply_page, date_errors, field_values
from app.web.pages import redirect, render_page

router = Router(dependencies=[Depends(csrf_protect)])


def draft_holder(draft: dict[str, Any]) -> Holder:
    """The letter's holder: the catalogue platform, or the organisation the person typed in."""
    if draft.get("organisation"):
        return holder_from_organisation(draft["organisation"])
    platform = get_catalogue().get(draft.get("platform") or "")
    if platform is None:
        raise NotFound(_("Cette plateforme n'est pas dans le catalogue."))
    return holder_from_platform(platform)


def draft_kind(draft: dict[str, Any]) -> str:
    """The kind of letter chosen (erasure until one is)."""
    kind = draft.get("kind") or "erasure"
    return kind if kind in KIND_INFO else "erasure"


def draft_letter(draft: dict[str, Any], today: date | None = None) -> Letter:
    """The letter as the draft describes it, dated today."""
    holder = draft_holder(draft)
    kind = draft_kind(draft)
    return make_letter(
        kind,
        Identity.model_validate(draft["identity"]),
        holder.recipient,
        parse_options(kind, draft.get("options")),
        today or clock_today(),
        address_found=tuple(draft.get("recipient_address") or ()),
    )


def go_to_current_step(draft: dict[str, Any]) -> RedirectResponse:
    return redirect(first_incomplete(draft).path)


def _kind_page(
    request: Request, draft: dict[str, Any], errors: dict[str, str], status: int = 200
) -> HTMLResponse:
    platform = draft_holder(draft)
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
            "chosen": draft_kind(draft),
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
        return go_to_current_step(draft)
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
        return go_to_current_step(draft)
    holder = draft_holder(draft)
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
    kind = draft_kind(draft)
    page = option_page(kind, slug)
    if page is None:
        raise NotFound(_("Cette question n'existe pas pour ce type de lettre."))
    return render_page(
        request,
        "letters/options.html",
        {
            "platform": draft_holder(draft),
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
        return go_to_current_step(draft)
    return _options_page(request, draft, slug, None, {})


@router.post("/lettres/options/{slug}", response_class=HTMLResponse)
async def submit_options(
    request: Request, db: SessionDep, session: WebSessionDep, slug: str
) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, f"options:{slug}"):
        return go_to_current_step(draft)
    page = option_page(draft_kind(draft), slug)
    if page is None:
        raise NotFound(_("Cette question n'existe pas pour ce type de lettre."))
    options, errors, typed = apply_page(page, draft.get("options") or {}, await request.form())
    if options is not None:
        kind = draft_kind(draft)
        errors = date_errors(
            page, draft_holder(draft).recipient, parse_options(kind, options), clock_today()
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
    platform = draft_holder(draft)
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
        return go_to_current_step(draft)
    return _identity_page(request, draft, form_from_identity(draft.get("identity")), {})


@router.post("/lettres/identite", response_class=HTMLResponse)
async def submit_identity(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    draft = load_draft(db, session)
    if not reachable(draft, "identity"):
        return go_to_current_step(draft)
    form = await request.form()
    platform = draft_holder(draft)
    names = list(FIELDS) + [f"identifier_{i}" for i in range(len(platform.identifiers))]
    values = {name: str(form.get(name) or "") for name in names}
    identity, errors = identity_from_form(values, platform.identifiers)
    if identity is None:
        return _identity_page(request, draft, values, errors, status=422)
    update_draft(db, session, identity=identity.model_dump(mode="json"))
    return redirect("/lettres/apercu")
