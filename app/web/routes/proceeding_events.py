"""Tracking pages, one decision each: record what happened (sending, receipt, identity
request, extension, answer, reminder, complaint, closing). The access answer's checker is in
app.web.routes.answer_checker."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from app.clock import today
from app.db import SessionDep
from app.errors import Conflict, Invalid, NotFound
from app.grants import ProceedingGrant, ReachableProceeding
from app.i18n import N_
from app.i18n import gettext as _
from app.letters.kinds import FOLLOW_UP_KINDS, KIND_INFO
from app.proceedings import actions, service
from app.proceedings.events import (
    AUTHORITY_LABELS,
    CHANNEL_LABELS,
    OUTCOME_LABELS,
    Event,
)
from app.proceedings.explain import CHECK_ITEMS, check_items, missing_items
from app.proceedings.lifecycle import allowed
from app.routing import Router
from app.web.date_form import date_values, read_date
from app.web.deps import csrf_protect
from app.web.forms import messages_from
from app.web.pages import redirect, render_page
from app.web.routes.proceedings import EVENT_SLUGS, SLUG_OF, member_name, reach_of

router = Router(dependencies=[Depends(csrf_protect)])

# What each event's page asks, and why (one decision per page).
EVENT_PAGES: dict[str, tuple[str, str, str]] = {
    "sent": (
        N_("Quand avez-vous envoyé la demande ?"),
        N_("La date d'envoi prouve votre démarche. Gardez le reçu du recommandé ou l'e-mail."),
        N_("Date d'envoi"),
    ),
    "received": (
        N_("Quand l'organisme a-t-il reçu la demande ?"),
        N_(
            "C'est la date de l'avis de réception (le papier rose du recommandé), ou celle de "
            "l'accusé de réception que l'organisme vous a envoyé. Le délai part de ce jour-là."
        ),
        N_("Date de réception"),
    ),
    "identity-requested": (
        N_("L'organisme vous demande un justificatif d'identité ?"),
        N_(
            "S'il a un doute raisonnable sur votre identité, l'organisme peut demander une "
            "information de plus (RGPD, article 12, paragraphe 6). Le délai de réponse est "
            "suspendu jusqu'à ce que vous la lui envoyiez."
        ),
        N_("Date de sa demande"),
    ),
    "identity-answered": (
        N_("Quand avez-vous envoyé le justificatif ?"),
        N_("Le délai reprend à partir de ce jour-là, là où il s'était arrêté."),
        N_("Date d'envoi du justificatif"),
    ),
    "extension": (
        N_("L'organisme annonce une prolongation ?"),
        N_(
            "Le RGPD permet à l'organisme de prolonger le délai de deux mois, s'il vous le dit, "
            "avec ses raisons, dans le premier mois. Annoncée plus tard, la prolongation ne "
            "compte pas : Reprise le vérifie."
        ),
        N_("Date de l'annonce"),
    ),
    "commission": (
        N_("La commission départementale des soins psychiatriques est-elle saisie ?"),
        N_(
            "Pour des informations recueillies lors de soins psychiatriques sans consentement, "
            "l'établissement peut demander qu'un médecin soit présent quand vous les consultez. "
            "Si vous refusez, il saisit la commission départementale des soins psychiatriques, "
            "dont l'avis s'impose à vous comme à lui. L'établissement a alors deux mois pour "
            "vous communiquer le dossier (article L. 1111-7 du code de la santé publique)."
        ),
        N_("Date de la saisine"),
    ),
    "answer": (
        N_("Qu'a répondu l'organisme ?"),
        N_("Indiquez la date de la réponse et ce qu'elle dit. Gardez-en une copie."),
        N_("Date de la réponse"),
    ),
    "reminder": (
        N_("Quand avez-vous envoyé la relance ?"),
        N_("Gardez la preuve d'envoi : elle ira dans le dossier de réclamation si besoin."),
        N_("Date d'envoi de la relance"),
    ),
    "complaint": (
        N_("Quand avez-vous déposé la réclamation ?"),
        N_("Gardez l'accusé de dépôt ou le reçu du courrier, et le numéro qu'on vous a donné."),
        N_("Date du dépôt"),
    ),
    "closed": (
        N_("Clôturer la démarche ?"),
        N_(
            "Une démarche close ne reçoit plus de rappels. Elle est effacée de Reprise, avec ses "
            "lettres, un an après sa clôture (ou selon le réglage de ce service)."
        ),
        N_("Date de clôture"),
    ),
}

INCOMPLETE_SENT_TITLE = N_("Quand avez-vous envoyé la lettre de réponse incomplète ?")
CHANNEL_HINTS: dict[str, str] = {
    "post": N_(
        "Une lettre recommandée avec accusé de réception prouve la date d'envoi et de réception."
    ),
    "email": N_("Gardez le message envoyé : il prouve la date."),
    "web-form": N_("Faites une capture d'écran de la confirmation du formulaire."),
}
OUTCOME_HINTS: dict[str, str] = {
    "complete": N_("La réponse donne tout ce que vous avez demandé."),
    "incomplete": N_("La réponse arrive, mais il manque des éléments."),
    "refusal": N_("L'organisme refuse, en tout ou en partie. Il doit dire pourquoi."),
    "erased": N_("L'organisme confirme avoir effacé vos données."),
}
OUTCOME_ORDER = ("erased", "complete", "incomplete", "refusal")
PARTIAL_ERASURE = (
    N_("Effacement partiel"),
    N_("L'organisme efface une partie de vos données, mais en garde d'autres."),
)
INCOMPLETE_ACCESS_HINT = N_(
    "Il manque des éléments. Cochez plus bas ce que la réponse contient : Reprise réclamera "
    "le reste."
)
AUTHORITY_HINTS: dict[str, str] = {
    "cnil": N_("La CNIL fait respecter vos droits sur vos données."),
    "cada": N_(
        "La CADA donne son avis quand un établissement public refuse ou ne donne pas un "
        "dossier médical."
    ),
}

# ------------------------------------------------------------------ events


def _event_kind(event: str) -> str:
    kind = EVENT_SLUGS.get(event)
    if kind is None:
        raise NotFound(_("Cette étape n'existe pas."))
    return kind


def _outcomes(view: service.ProceedingView) -> list[str]:
    """Every answer the platform may have given (an erasure is done, partly done or refused)."""
    keys = allowed(view.facts)
    outcomes = [key.partition(":")[2] for key in keys if key.startswith("answer:")]
    if view.right == "erasure":
        outcomes = [o for o in outcomes if o != "complete"]
    return sorted(outcomes, key=OUTCOME_ORDER.index)


def _outcome_choices(view: service.ProceedingView) -> list[tuple[str, str, str]]:
    choices = []
    for outcome in _outcomes(view):
        label, hint = _(OUTCOME_LABELS[outcome]).capitalize(), _(OUTCOME_HINTS[outcome])
        if view.right == "erasure" and outcome == "incomplete":
            label, hint = _(PARTIAL_ERASURE[0]), _(PARTIAL_ERASURE[1])
        elif view.right == "access" and outcome == "incomplete":
            hint = _(INCOMPLETE_ACCESS_HINT)
        choices.append((outcome, label, hint))
    return choices


def _check_choices(view: service.ProceedingView) -> list[tuple[str, str, str]]:
    """The answer checker's items (what an access answer must hold), for an access request."""
    if view.right != "access":
        return []
    return [
        (item, _(CHECK_ITEMS[item][0]), _(CHECK_ITEMS[item][1]))
        for item in check_items(view.options)
    ]


def _event_page(
    request: Request,
    access: ProceedingGrant,
    view: service.ProceedingView,
    kind: str,
    values: dict[str, Any],
    errors: dict[str, str],
    status: int = 200,
) -> HTMLResponse:
    title, explanation, date_label = EVENT_PAGES[kind]
    if kind == "reminder" and _reminder_letter(view) == "incomplete-answer":
        title = INCOMPLETE_SENT_TITLE
    return render_page(
        request,
        "proceedings/event.html",
        {
            "view": view,
            "member": member_name(access),
            "kind": kind,
            "slug": SLUG_OF[kind],
            "title": _(title),
            "explanation": _(explanation),
            "date_label": _(date_label),
            "values": values,
            "errors": errors,
            "channels": [
                (c, _(CHANNEL_LABELS[c]).capitalize(), _(CHANNEL_HINTS[c])) for c in CHANNEL_LABELS
            ],
            "outcomes": _outcome_choices(view),
            "check_items": _check_choices(view) if kind == "answer" else [],
            "authorities": [
                (a, _(AUTHORITY_LABELS[a]).capitalize(), _(AUTHORITY_HINTS[a]))
                for a in AUTHORITY_LABELS
                if a == "cnil" or view.right == "medical-record"
            ],
            "kind_info": KIND_INFO,
        },
        status,
    )


def _open_event(view: service.ProceedingView, kind: str) -> None:
    keys = allowed(view.facts)
    if not any(key.partition(":")[0] == kind for key in keys):
        raise Conflict(_("Cette étape n'est pas possible à ce stade de la démarche."))


@router.get("/suivi/{proceeding_id}/etapes/{event}", response_class=HTMLResponse)
def event_form(
    request: Request,
    db: SessionDep,
    access: ReachableProceeding,
    proceeding_id: uuid.UUID,
    event: str,
) -> HTMLResponse:
    found = reach_of(access)
    kind = _event_kind(event)
    day = today()
    view = service.view_of(found.proceeding, day)
    _open_event(view, kind)
    values = date_values("date", None if kind == "received" else day)
    if kind in {"sent", "reminder"}:
        values["channel"] = view.facts.channel or "post"
    return _event_page(request, access, view, kind, values, {})


FORM_FIELDS = (
    "date_day",
    "date_month",
    "date_year",
    "channel",
    "reference",
    "outcome",
    "authority",
    "note",
    "suite",
)


def _reminder_letter(view: service.ProceedingView) -> str:
    pending = view.facts.pending_letter
    if (
        pending is not None
        and pending.letter
        and KIND_INFO[pending.letter].sent_event == "reminder"
    ):
        return str(pending.letter)
    return (
        "incomplete-answer"
        if view.facts.state == "incomplete" and view.right == "access"
        else "reminder"
    )


def _event_from(kind: str, values: dict[str, Any], view: service.ProceedingView) -> Event:
    errors: dict[str, str] = {}
    day = read_date(values, "date", errors, label=_(EVENT_PAGES[kind][2]))
    raw: dict[str, Any] = {"kind": kind, "date": day}
    if kind in {"sent", "reminder"}:
        raw["channel"] = values.get("channel") or None
        raw["reference"] = values.get("reference") or None
        if kind == "reminder":
            raw["letter"] = _reminder_letter(view)
    if kind == "answer":
        raw["outcome"] = values.get("outcome") or None
        if raw["outcome"] == "incomplete" and view.right == "access":
            raw["missing"] = missing_items(view.options, values.get("contained") or [])
            if not raw["missing"]:
                errors["contained"] = _(
                    "Vous avez tout coché : la réponse est donc complète. Choisissez « Réponse "
                    "complète », ou décochez ce qui manque."
                )
    if kind == "complaint":
        raw["authority"] = values.get("authority") or None
        raw["reference"] = values.get("reference") or None
    raw["note"] = values.get("note") or None
    if kind == "sent" and raw["channel"] is None:
        errors["channel"] = _("Indiquez comment vous avez envoyé la demande.")
    if kind == "answer" and raw["outcome"] not in _outcomes(view):
        errors["outcome"] = _("Choisissez ce que dit la réponse.")
    if errors:
        raise Invalid(errors)
    try:
        return Event.model_validate(raw)
    except ValidationError as exc:
        raise Invalid(messages_from(exc)) from exc


@router.post("/suivi/{proceeding_id}/etapes/{event}", response_class=HTMLResponse)
async def record_event(
    request: Request,
    db: SessionDep,
    access: ReachableProceeding,
    proceeding_id: uuid.UUID,
    event: str,
) -> Response:
    found = reach_of(access)
    kind = _event_kind(event)
    day = today()
    view = service.view_of(found.proceeding, day)
    _open_event(view, kind)
    form = await request.form()
    values: dict[str, Any] = {name: str(form.get(name) or "")[:600] for name in FORM_FIELDS}
    asked = check_items(view.options)
    values["contained"] = [str(v) for v in form.getlist("contained") if str(v) in asked]
    try:
        actions.record_event(db, access.actor, found, _event_from(kind, values, view), day)
    except Invalid as exc:
        errors = {
            ("date" if name == "kind" else name): message for name, message in exc.errors.items()
        }
        return _event_page(request, access, view, kind, values, errors, 422)
    if values["suite"] in FOLLOW_UP_KINDS:
        # The date was asked before writing a follow-up: back to that letter.
        return redirect(f"/suivi/{found.proceeding.id}/lettres/nouvelle?type={values['suite']}")
    return redirect(f"/suivi/{found.proceeding.id}?fait=evenement")
