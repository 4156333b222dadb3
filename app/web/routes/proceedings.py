"""Tracking pages: the dashboard, one proceeding, its event forms, the answer checker, letters."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.clock import today
from app.db import SessionDep
from app.deadlines.cada import CADA_BASIS
from app.errors import Conflict, Invalid, NotFound
from app.grants import (
    Access,
    AccessDep,
    MandatedLetter,
    OwnLetter,
    ProceedingGrant,
    ReachableProceeding,
)
from app.i18n import N_, get_locale
from app.i18n import gettext as _
from app.letters.addressees import Addressee
from app.letters.drafts import load_draft
from app.letters.kinds import KIND_INFO, RIGHT_KINDS
from app.letters.packs import parse_items
from app.letters.render import letter_pdf
from app.models.proceeding import Proceeding
from app.patients import files as patient_files
from app.proceedings import actions, service
from app.proceedings.access import (
    Reach,
)
from app.proceedings.calendar import proceeding_calendar
from app.proceedings.due_changes import due_changes
from app.proceedings.events import (
    AUTHORITY_LABELS,
    CHANNEL_LABELS,
    EVENT_LABELS,
    OUTCOME_LABELS,
)
from app.proceedings.explain import explain, explain_cada, legal_basis
from app.proceedings.lifecycle import STATE_LABELS, allowed
from app.proceedings.next_steps import STEP_LABELS
from app.proceedings.preferences import preferences_of, remember_locale
from app.routing import Router
from app.web.deps import csrf_protect
from app.web.pages import redirect, render_page
from app.web.routes.account import draft_addressee

router = Router(dependencies=[Depends(csrf_protect)])
Text = Annotated[str, Form(max_length=60)]

# The address of each event's form, and back.
EVENT_SLUGS: dict[str, str] = {
    "envoi": "sent",
    "reception": "received",
    "justificatif": "identity-requested",
    "justificatif-envoye": "identity-answered",
    "prolongation": "extension",
    "commission": "commission",
    "reponse": "answer",
    "relance": "reminder",
    "reclamation": "complaint",
    "cloture": "closed",
}
SLUG_OF = {kind: slug for slug, kind in EVENT_SLUGS.items()}

# What each event's page asks, and why (one decision per page).
NOTICES: dict[str, str] = {
    "suivi": N_("La démarche est suivie. Indiquez la date d'envoi dès que la lettre est partie."),
    "deja": N_("Cette demande était déjà suivie : la voici."),
    "evenement": N_("C'est noté. La date limite et la prochaine étape sont à jour."),
    "lettre": N_("La lettre est prête : téléchargez-la ci-dessous."),
    "annule": N_("Le dernier événement est annulé."),
    "lot": N_("Les demandes du lot sont suivies."),
}


# ------------------------------------------------------------------ helpers


def reach_of(access: ProceedingGrant) -> Reach:
    return access.reach


def member_name(access: ProceedingGrant) -> str | None:
    if access.cover is None:
        return None
    return patient_files.display_name(access.file)


def _event_choices(view: service.ProceedingView) -> list[tuple[str, str]]:
    """The event forms open now: (slug, label)."""
    keys = allowed(view.facts)
    kinds: list[str] = []
    for key in keys:
        kind = key.partition(":")[0]
        if kind in SLUG_OF and kind not in kinds:
            kinds.append(kind)
    return [(SLUG_OF[kind], _(EVENT_LABELS[kind])) for kind in kinds]


def _letters(db: SessionDep, proceeding: Proceeding) -> list[tuple[Any, dict[str, Any], date]]:
    """Each letter of the proceeding, with what it was made from and the date it bears."""
    out = []
    for letter in service.letters_of_proceeding(db, proceeding):
        content = patient_files.letter_content(letter)
        dated = date.fromisoformat(str(content.get("date") or letter.created_at.date()))
        out.append((letter, content, dated))
    return out


def follow_ups(view: service.ProceedingView, access: ProceedingGrant) -> list[tuple[str, str]]:
    """Follow-up letters that can be written now: (kind, label)."""
    return [
        (kind, _(KIND_INFO[kind].label)) for kind in actions.follow_ups_to_offer(view, access.cover)
    ]


# ------------------------------------------------------------------ dashboard


@router.get("/suivi", response_class=HTMLResponse)
def dashboard(request: Request, db: SessionDep, access: AccessDep, fait: str = "") -> HTMLResponse:
    day = today()
    rows = [
        (row.view, patient_files.display_name(row.member) if row.member else None)
        for row in actions.proceedings_seen_by(db, access.actor, day)
    ]
    return render_page(
        request,
        "proceedings/dashboard.html",
        {
            "rows": rows,
            "state_labels": STATE_LABELS,
            "step_labels": STEP_LABELS,
            "kind_info": KIND_INFO,
            "notice": _(NOTICES[fait]) if fait in NOTICES else "",
            "today": day,
        },
    )


# ------------------------------------------------------------------ creating


def _start_from_draft(db: SessionDep, access: Access) -> Proceeding:
    draft = load_draft(db, access.session)
    kind = draft.get("kind") or "erasure"
    to = draft_addressee(draft)
    if not draft.get("identity") or to is None:
        raise Invalid({"letter": _("Aucune lettre en cours à suivre.")})
    if kind not in RIGHT_KINDS:
        raise Invalid(
            {"letter": _("Seules les premières demandes (accès, effacement...) se suivent ainsi.")}
        )
    proceeding, created = actions.start_proceeding(
        db, access.actor, kind, to, draft["identity"], draft.get("options"), today()
    )
    file = actions.personal_file(db, access.actor)
    if file.identity_sealed is None:
        from app.letters.identity import Identity

        patient_files.set_identity(db, file, Identity.model_validate(draft["identity"]))
    remember_locale(db, access.user, get_locale())
    return proceeding if created else _already(proceeding)


class _Already(Exception):
    def __init__(self, proceeding: Proceeding) -> None:
        self.proceeding = proceeding


def _already(proceeding: Proceeding) -> Proceeding:
    raise _Already(proceeding)


@router.post("/suivi")
def track_draft(db: SessionDep, access: AccessDep) -> Response:
    """Follow the letter being written in the wizard ("Suivre cette demande")."""
    try:
        proceeding = _start_from_draft(db, access)
    except _Already as exc:
        return redirect(f"/suivi/{exc.proceeding.id}?fait=deja")
    return redirect(f"/suivi/{proceeding.id}?fait=suivi")


@router.post("/suivi/lot")
def track_pack(db: SessionDep, access: AccessDep) -> Response:
    """Follow every first request of the pack being prepared, to platforms and organisations."""
    draft = load_draft(db, access.session)
    identity = draft.get("identity")
    items = [i for i in parse_items(list(draft.get("selection") or [])) if i.kind in RIGHT_KINDS]
    if not identity or not items:
        raise Invalid({"letter": _("Aucune demande du lot ne peut être suivie.")})
    day = today()
    for item in items:
        to = (
            Addressee.of_organisation(item.organisation.model_dump(mode="json"))
            if item.organisation is not None
            else Addressee(platform=str(item.platform))
        )
        actions.start_proceeding(db, access.actor, item.kind, to, identity, item.options, day)
    remember_locale(db, access.user, get_locale())
    return redirect("/suivi?fait=lot")


@router.post("/compte/lettres/{letter_id}/suivre")
def track_stored(db: SessionDep, access: OwnLetter, letter_id: uuid.UUID) -> Response:
    from app.models.organisation import PatientFile

    file = db.get(PatientFile, access.letter.file_id)
    if file is None:
        raise NotFound()
    proceeding, created = actions.follow_letter(
        db, access.actor, file, None, access.letter, today()
    )
    remember_locale(db, access.user, get_locale())
    return redirect(f"/suivi/{proceeding.id}?fait={'suivi' if created else 'deja'}")


@router.post("/association/membres/{file_id}/lettres/{letter_id}/suivre")
def track_member_letter(
    db: SessionDep, access: MandatedLetter, file_id: uuid.UUID, letter_id: uuid.UUID
) -> Response:
    proceeding, created = actions.follow_letter(
        db, access.actor, access.file, access.cover, access.letter, today()
    )
    return redirect(f"/suivi/{proceeding.id}?fait={'suivi' if created else 'deja'}")


# ------------------------------------------------------------------ one proceeding


EVENT_BUTTONS: dict[str, str] = {
    "sent": N_("Indiquer la date d'envoi"),
    "received": N_("Indiquer la date de réception"),
    "identity-answered": N_("Indiquer l'envoi du justificatif"),
    "answer": N_("Indiquer la réponse reçue"),
    "reminder": N_("Indiquer l'envoi de la relance"),
    "complaint": N_("Indiquer le dépôt de la réclamation"),
    "closed": N_("Clôturer la démarche"),
}


# A follow-up letter's buttons: read it before it is written, then say it was sent.
WRITE_BUTTONS: dict[str, str] = {
    kind.name: kind.write_button for kind in KIND_INFO.values() if kind.write_button
}


def event_button(view: service.ProceedingView, event: str) -> str:
    """What the button recording `event` says, naming the letter sent when there is one."""
    pending = view.facts.pending_letter
    if event in {"reminder", "complaint"} and pending is not None and pending.letter:
        return _(KIND_INFO[pending.letter].sent_button or EVENT_BUTTONS[event])
    return _(EVENT_BUTTONS[event])


def preview_link(view: service.ProceedingView, kind: str) -> str:
    return f"/suivi/{view.id}/lettres/nouvelle?type={kind}"


def _actions(view: service.ProceedingView, access: ProceedingGrant) -> list[tuple[str, str, str]]:
    """The buttons of the next step: read its letter, record its event, give the answer."""
    step = view.step
    actions: list[tuple[str, str, str]] = []
    if step.letter and step.code != "send" and step.letter in dict(follow_ups(view, access)):
        actions.append(("link", preview_link(view, step.letter), _(WRITE_BUTTONS[step.letter])))
    open_slugs = dict(_event_choices(view))
    event = step.event
    if event and SLUG_OF.get(event) in open_slugs:
        actions.append(
            ("link", f"/suivi/{view.id}/etapes/{SLUG_OF[event]}", event_button(view, event))
        )
    # While an answer is awaited, the answer step is always one click away.
    if step.code in {"wait", "record-receipt"} and event != "answer" and "reponse" in open_slugs:
        actions.append(("link", f"/suivi/{view.id}/etapes/reponse", _(EVENT_BUTTONS["answer"])))
    return actions


def _detail_context(
    db: SessionDep, access: ProceedingGrant, view: service.ProceedingView
) -> dict[str, Any]:
    facts = view.facts
    return {
        "view": view,
        "member": member_name(access),
        "kind_info": KIND_INFO,
        "state_labels": STATE_LABELS,
        "step_labels": STEP_LABELS,
        "event_labels": EVENT_LABELS,
        "outcome_labels": OUTCOME_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "authority_labels": AUTHORITY_LABELS,
        "explanation": explain(view),
        "cada_explanation": explain_cada(view),
        "legal_basis": legal_basis(view),
        "cada_basis": CADA_BASIS,
        "events": _event_choices(view),
        # The next step's letter has its button above; the others are listed.
        "follow_ups": [f for f in follow_ups(view, access) if f[0] != view.step.letter],
        "write_buttons": WRITE_BUTTONS,
        "letters": _letters(db, view.proceeding),
        "timeline": list(facts.events),
        "due_changes": due_changes(view),
        "slug_of": SLUG_OF,
        "actions": _actions(view, access),
        "can_undo": len(facts.events) > 1,
    }


@router.get("/suivi/{proceeding_id}", response_class=HTMLResponse)
def detail(
    request: Request,
    db: SessionDep,
    access: ReachableProceeding,
    proceeding_id: uuid.UUID,
    fait: str = "",
) -> HTMLResponse:
    view = actions.open_proceeding(db, access.actor, reach_of(access), today())
    context = _detail_context(db, access, view)
    context["notice"] = _(NOTICES[fait]) if fait in NOTICES else ""
    return render_page(request, "proceedings/detail.html", context)


@router.post("/suivi/{proceeding_id}/annuler")
def undo(db: SessionDep, access: ReachableProceeding, proceeding_id: uuid.UUID) -> Response:
    found = reach_of(access)
    actions.undo_event(db, access.actor, found, today())
    return redirect(f"/suivi/{found.proceeding.id}?fait=annule")


# ------------------------------------------------------------------ letters and calendar


@router.post("/suivi/{proceeding_id}/lettres")
def write_follow_up(
    db: SessionDep,
    access: ReachableProceeding,
    proceeding_id: uuid.UUID,
    kind: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    found = reach_of(access)
    view = service.view_of(found.proceeding, today())
    if kind not in actions.follow_ups_to_offer(view, found.cover):
        raise Conflict(_("Cette lettre n'est pas possible à ce stade de la démarche."))
    actions.write_follow_up(db, access.actor, found, kind, today())
    return redirect(f"/suivi/{found.proceeding.id}?fait=lettre#lettres")


@router.get("/suivi/{proceeding_id}/lettres/{letter_id}/lettre.pdf")
def follow_up_pdf(
    db: SessionDep, access: ReachableProceeding, proceeding_id: uuid.UUID, letter_id: uuid.UUID
) -> Response:
    letter = actions.proceeding_letter(db, access.actor, reach_of(access), letter_id)
    return Response(
        letter_pdf(letter),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{letter.file_stem}.pdf"'},
    )


@router.get("/suivi/{proceeding_id}/echeances.ics")
def proceeding_ics(
    db: SessionDep, access: ReachableProceeding, proceeding_id: uuid.UUID
) -> Response:
    view = actions.open_proceeding(db, access.actor, reach_of(access), today())
    names = preferences_of(db, access.actor.user_id).feed_names
    body = proceeding_calendar([view], names)
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="reprise-echeances.ics"'},
    )
