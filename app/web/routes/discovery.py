"""Discovery: questions about the person's life, then the checklist that feeds the letters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from app.catalogue.checklist import selection_from_choices
from app.catalogue.discovery import DRAFT_KEY, Discovery, chosen_before
from app.catalogue.labels import CATEGORY_LABELS, KIND_CHOICES
from app.catalogue.loader import get_catalogue
from app.catalogue.questionnaire import (
    OTHER,
    QUESTIONS,
    clean_answer,
    first_unanswered,
    next_question,
    position,
    previous_question,
    question_named,
)
from app.db import SessionDep
from app.errors import NotFound
from app.i18n import gettext as _
from app.i18n import ngettext
from app.letters.drafts import load_draft, update_draft
from app.models.session import WebSession
from app.routing import Router
from app.web.deps import WebSessionDep, csrf_protect
from app.web.pages import redirect, render_page

router = Router(dependencies=[Depends(csrf_protect)])

LETTERS_PATH = "/lettres/lot"


def current_discovery(draft: dict[str, Any]) -> Discovery:
    return Discovery.from_draft(draft, get_catalogue())


def save(db: Session, session: WebSession, discovery: Discovery) -> None:
    update_draft(db, session, **{DRAFT_KEY: discovery.to_draft()})


@router.get("/decouvrir", response_class=HTMLResponse)
def start(request: Request, db: SessionDep, session: WebSessionDep) -> HTMLResponse:
    discovery = current_discovery(load_draft(db, session))
    resume = first_unanswered(discovery.answers)
    started = bool(discovery.answers or discovery.added or discovery.organisations)
    return render_page(
        request,
        "discovery/index.html",
        {"started": started, "resume": resume, "first": QUESTIONS[0], "count": len(QUESTIONS)},
        # Nothing answered yet: the same page for everyone (with their own form token).
        cache_key=None if started else "not started",
    )


@router.post("/decouvrir/recommencer")
def restart(db: SessionDep, session: WebSessionDep) -> RedirectResponse:
    """Forget the answers, the additions and the checklist choices."""
    update_draft(db, session, **{DRAFT_KEY: Discovery().to_draft(), "selection": []})
    return redirect(f"/decouvrir/questions/{QUESTIONS[0].id}")


def _question_page(
    request: Request,
    question_id: str,
    chosen: list[str],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    question = question_named(question_id)
    if question is None:
        raise NotFound(_("Cette question n'existe pas."))
    previous = previous_question(question_id)
    return render_page(
        request,
        "discovery/question.html",
        {
            "question": question,
            "candidates": question.candidates(get_catalogue()),
            "chosen": chosen,
            "other": OTHER,
            "errors": errors,
            "step": position(question_id),
            "previous": previous,
        },
        status=status,
    )


@router.get("/decouvrir/questions/{question_id}", response_class=HTMLResponse)
def show_question(
    request: Request, question_id: str, db: SessionDep, session: WebSessionDep
) -> HTMLResponse:
    discovery = current_discovery(load_draft(db, session))
    return _question_page(request, question_id, discovery.answers.get(question_id, []), {})


@router.post("/decouvrir/questions/{question_id}", response_class=HTMLResponse)
async def answer_question(
    request: Request, question_id: str, db: SessionDep, session: WebSessionDep
) -> Response:
    question = question_named(question_id)
    if question is None:
        raise NotFound(_("Cette question n'existe pas."))
    form = await request.form()
    values = [str(value) for value in form.getlist("choice")][:100]
    catalogue = get_catalogue()
    try:
        chosen = clean_answer(question, catalogue, values)
    except ValueError:
        errors = {"choice": _("Choisissez parmi les propositions de cette page.")}
        return _question_page(request, question_id, [], errors, status=422)
    discovery = current_discovery(load_draft(db, session))
    discovery.answers[question.id] = chosen
    save(db, session, discovery)
    following = next_question(question.id)
    return redirect(f"/decouvrir/questions/{following.id}" if following else "/decouvrir/liste")


def _checklist_page(
    request: Request,
    discovery: Discovery,
    draft: dict[str, Any],
    errors: dict[str, str],
    submitted: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    items = discovery.checklist(get_catalogue())
    chosen = submitted if submitted is not None else chosen_before(items, draft.get("selection"))
    return render_page(
        request,
        "discovery/checklist.html",
        {
            "items": items,
            "chosen": chosen,
            "errors": errors,
            "kind_labels": KIND_CHOICES,
            "category_labels": CATEGORY_LABELS,
            "missing_others": discovery.missing_others(),
            "answered_text": ngettext(
                "Vous avez répondu à %(num)s question sur %(count)s.",
                "Vous avez répondu à %(num)s questions sur %(count)s.",
                len(discovery.answers),
                count=len(QUESTIONS),
            ),
            "resume": first_unanswered(discovery.answers),
        },
        status=status,
    )


@router.get("/decouvrir/liste", response_class=HTMLResponse)
def checklist(request: Request, db: SessionDep, session: WebSessionDep) -> HTMLResponse:
    draft = load_draft(db, session)
    return _checklist_page(request, current_discovery(draft), draft, {})


@router.post("/decouvrir/liste", response_class=HTMLResponse)
async def choose(request: Request, db: SessionDep, session: WebSessionDep) -> Response:
    """Store the ticked items and their requests as the letters' selection, then go write them."""
    draft = load_draft(db, session)
    discovery = current_discovery(draft)
    form = await request.form()
    included = {str(value) for value in form.getlist("include")}
    items = discovery.checklist(get_catalogue())
    kinds = {item.key: str(form.get(f"kind-{item.key}") or "") for item in items}
    selection, errors = selection_from_choices(items, included, kinds)
    if errors:
        submitted = {key: kinds[key] or "" for key in included if key in kinds}
        return _checklist_page(request, discovery, draft, errors, submitted, status=422)
    update_draft(db, session, selection=selection)
    return redirect(LETTERS_PATH)


@router.post("/decouvrir/plateformes")
def add_platform(
    db: SessionDep, session: WebSessionDep, slug: Annotated[str, Form(max_length=80)]
) -> RedirectResponse:
    """Add a catalogue platform to the checklist (from its page)."""
    if get_catalogue().get(slug) is None:
        raise NotFound(_("Cette plateforme n'est pas dans le catalogue."))
    discovery = current_discovery(load_draft(db, session))
    discovery.add_platform(slug)
    save(db, session, discovery)
    return redirect("/decouvrir/liste")
