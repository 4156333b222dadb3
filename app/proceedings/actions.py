"""What a person does with proceedings, the same from the site, the API and the command line:
list the proceedings they may see, start one, write a follow-up letter.

Each function decides who may (the owner of the file, or a helper whose mandates cover the
right and the recipient) and writes the helper's access in the member's log itself, so that
no front end can forget it. The front ends only translate their input and output.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.errors import Forbidden, Invalid, NotFound
from app.i18n import gettext as _
from app.letters.addressees import Addressee, addressee_of
from app.letters.document import Letter
from app.letters.identity import Identity
from app.models.organisation import PatientFile, StoredLetter
from app.models.proceeding import Proceeding
from app.organisations.access import Actor, mandated_file, own_files
from app.organisations.audit import AuditAction, record_access
from app.organisations.mandates import Cover
from app.patients.files import identity_of, letter_content, letter_of
from app.proceedings.access import (
    Reach,
    may_write_follow_up,
    member_proceedings,
    note_helper_access,
    require_covered,
    visible,
)
from app.proceedings.events import Event
from app.proceedings.follow_ups import make_follow_up
from app.proceedings.lifecycle import allowed
from app.proceedings.next_steps import useful_letters
from app.proceedings.service import listing, record, track_letter, track_new_letter, undo_last
from app.proceedings.views import ProceedingView, view_of

# ------------------------------------------------------------------ listing


@dataclass(frozen=True)
class Seen:
    """A proceeding in someone's list; `member` is the member's file when a helper follows
    it under a mandate (None in the person's own files)."""

    view: ProceedingView
    member: PatientFile | None = None


def list_order(view: ProceedingView) -> tuple[int, int, str, str]:
    """Open before closed; by due date, overdue first, those without one last; then the
    oldest first. The site, the API and the command line list in this order."""
    due = view.due.day
    return (
        int(view.facts.state == "closed"),
        0 if due is not None else 1,
        due.isoformat() if due else "",
        str(view.proceeding.created_at),
    )


def proceedings_seen_by(db: Session, actor: Actor, today: dt.date) -> list[Seen]:
    """Every proceeding `actor` may see: their files', and their members' that a mandate in
    force covers (each look written in that member's access log)."""
    seen = visible(db, actor, today)
    rows = [Seen(view_of(p, today)) for p in listing(db, seen.own_file_ids)]
    for file, cover in seen.member_files:
        found = member_proceedings(db, file, cover)
        if found:
            record_access(db, actor, file, AuditAction.TRACKING_VIEWED)
        rows += [Seen(view_of(p, today), file) for p in found]
    rows.sort(key=lambda row: list_order(row.view))
    return rows


# ------------------------------------------------------------------ one proceeding


def open_proceeding(db: Session, actor: Actor, found: Reach, today: dt.date) -> ProceedingView:
    """The proceeding as its page, its calendar file and the API show it (a helper's look
    written in the member's access log)."""
    note_helper_access(db, actor, found, AuditAction.TRACKING_VIEWED)
    return view_of(found.proceeding, today)


def record_event(
    db: Session, actor: Actor, found: Reach, event: Event, today: dt.date
) -> ProceedingView:
    """Record what happened (Invalid naming the field when the lifecycle or the date refuses
    it); a helper's change is written in the member's access log."""
    view = record(db, found.proceeding, event, today)
    note_helper_access(db, actor, found, AuditAction.TRACKING_UPDATED)
    return view


def undo_event(db: Session, actor: Actor, found: Reach, today: dt.date) -> Event:
    """Take back the last event recorded (returned); a helper's change is written in the
    member's access log."""
    undone = undo_last(db, found.proceeding, today)
    note_helper_access(db, actor, found, AuditAction.TRACKING_UPDATED)
    return undone


def proceeding_letter(db: Session, actor: Actor, found: Reach, letter_id: uuid.UUID) -> Letter:
    """One letter of the proceeding, made again from what was stored, to download (a helper's
    download written in the member's access log); NotFound for a letter of another one."""
    stored = db.get(StoredLetter, letter_id)
    if stored is None or stored.proceeding_id != found.proceeding.id:
        raise NotFound("no such letter in this proceeding")
    note_helper_access(db, actor, found, AuditAction.LETTER_DOWNLOADED)
    return letter_of(stored)


# ------------------------------------------------------------------ follow-up letters


def follow_ups_to_offer(view: ProceedingView, cover: Cover | None) -> list[str]:
    """The follow-up letters useful now that this person may write, in the order to offer."""
    keys = set(allowed(view.facts))
    useful = useful_letters(view.facts, view.due, view.today, hospital=view.hospital)
    return [
        kind for kind in useful if f"letter:{kind}" in keys and may_write_follow_up(cover, kind)
    ]


def write_follow_up(
    db: Session, actor: Actor, found: Reach, kind: str, today: dt.date
) -> StoredLetter:
    """Write the follow-up `kind` from the proceeding's data (Forbidden beyond the mandate,
    Invalid when the lifecycle refuses it)."""
    if not may_write_follow_up(found.cover, kind):
        raise Forbidden(_("Le mandat ne couvre pas cette lettre."))
    letter = make_follow_up(db, found.proceeding, kind, actor.user_id, today)
    note_helper_access(db, actor, found, AuditAction.FOLLOW_UP_WRITTEN)
    return letter


# ------------------------------------------------------------------ starting


def personal_file(db: Session, actor: Actor) -> PatientFile:
    """The person's own file (made at sign-up; made again here if it went missing)."""
    for file in own_files(db, actor):
        if file.association_id is None:
            return file
    file = PatientFile(user_id=actor.user_id)
    db.add(file)
    db.flush()
    return file


def _target(
    db: Session, actor: Actor, file_id: uuid.UUID | None, today: dt.date
) -> tuple[PatientFile, Cover | None]:
    if file_id is None:
        return personal_file(db, actor), None
    own = next((f for f in own_files(db, actor) if f.id == file_id), None)
    if own is not None:
        return own, None
    return mandated_file(db, actor, file_id, today)


def _check_cover(cover: Cover | None, kind: str, to: Addressee) -> None:
    if cover is not None:
        require_covered(cover, kind, to)


def start_proceeding(
    db: Session,
    actor: Actor,
    kind: str,
    to: Addressee,
    identity: dict[str, Any] | None,
    options: dict[str, Any] | None,
    today: dt.date,
    file_id: uuid.UUID | None = None,
) -> tuple[Proceeding, bool]:
    """Write the first request `kind` to `to` and follow it, in the person's own file or in
    a member's file (`file_id`) under a mandate that covers it; (proceeding, False) when one
    was already open. The identity is the file's unless one is given."""
    file, cover = _target(db, actor, file_id, today)
    _check_cover(cover, kind, to)
    signer = identity if identity is not None else identity_of(file)
    try:
        Identity.model_validate(signer)
    except ValueError as exc:
        raise Invalid(
            {"identity": _("Complétez d'abord l'identité : nom, prénom et adresse postale.")}
        ) from exc
    proceeding, created = track_new_letter(
        db, file, kind, to, signer, options, actor.user_id, today
    )
    if cover is not None:
        record_access(db, actor, file, AuditAction.TRACKING_STARTED, to.platform or to.name)
    return proceeding, created


def follow_letter(
    db: Session,
    actor: Actor,
    file: PatientFile,
    cover: Cover | None,
    letter: StoredLetter,
    today: dt.date,
) -> tuple[Proceeding, bool]:
    """Follow a letter already kept in `file` (a helper: only what `cover` covers)."""
    content = letter_content(letter)
    to = addressee_of(content)
    _check_cover(cover, str(content.get("kind")), to)
    proceeding, created = track_letter(db, file, letter, actor.user_id, today)
    if cover is not None:
        record_access(db, actor, file, AuditAction.TRACKING_STARTED, to.platform or to.name)
    return proceeding, created
