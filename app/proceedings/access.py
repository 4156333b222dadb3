"""Who may see a proceeding: the person whose file holds it, or a helper whose mandate in force
covers its right and its recipient (a catalogue platform, or an organisation the mandate names:
the same FINESS number, else SIREN, else name and postal code). Anything else is refused."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.errors import Forbidden
from app.i18n import gettext as _
from app.letters.addressees import Addressee, addressee_of
from app.letters.kinds import LETTER_KINDS
from app.models.organisation import PatientFile
from app.models.proceeding import Proceeding
from app.organisations.access import Actor, cover_for, own_files
from app.organisations.audit import AuditAction, record_access
from app.organisations.mandates import Cover
from app.organisations.service import members
from app.proceedings.service import content_of


@dataclass(frozen=True)
class Reach:
    """A proceeding reached by `actor`, with what the helper's mandates cover (None for the
    file's owner)."""

    proceeding: Proceeding
    file: PatientFile
    cover: Cover | None

    @property
    def as_helper(self) -> bool:
        return self.cover is not None


def allows_addressee(cover: Cover, kind: str, to: Addressee) -> bool:
    """Whether the mandates cover writing `kind` to `to` (a platform or an organisation)."""
    if to.organisation is not None:
        return cover.allows(kind, to.organisation)
    return to.platform is not None and cover.allows(kind, to.platform)


def require_covered(cover: Cover, kind: str, to: Addressee) -> None:
    """Forbidden unless the helper's mandates cover writing `kind` to `to`."""
    if not allows_addressee(cover, kind, to):
        raise Forbidden(_("Le mandat ne couvre pas ce droit pour ce destinataire."))


def may_write_follow_up(cover: Cover | None, kind: str) -> bool:
    """Whether follow-up letter `kind` may be written: always by the file's owner; by a helper
    as the letter-kind registry says (never the referral to the CADA, the member's own act; the
    complaint only under a mandate that covers complaints)."""
    return cover is None or LETTER_KINDS[kind].helper_may_write(cover.rights)


def covers(cover: Cover, proceeding: Proceeding) -> bool:
    content = content_of(proceeding)
    return allows_addressee(cover, str(content.get("right")), addressee_of(content))


def reach(db: Session, actor: Actor, proceeding_id: uuid.UUID, today: dt.date) -> Reach:
    """The proceeding if `actor` may act on it; Forbidden otherwise (unknown ids included)."""
    if actor.user is None:
        raise Forbidden()
    proceeding = db.get(Proceeding, proceeding_id)
    if proceeding is None:
        raise Forbidden()
    file = db.get(PatientFile, proceeding.file_id)
    if file is None:
        raise Forbidden()
    if file.user_id is not None and file.user_id == actor.user.id:
        return Reach(proceeding, file, None)
    cover = cover_for(db, actor, file, today)
    if cover is None or not covers(cover, proceeding):
        raise Forbidden()
    return Reach(proceeding, file, cover)


def note_helper_access(db: Session, actor: Actor, found: Reach, action: AuditAction) -> None:
    """Helpers leave a line in the member's access log at every look or change."""
    if found.as_helper:
        record_access(db, actor, found.file, action)


@dataclass(frozen=True)
class Visible:
    """The proceedings a person may list: their files', and members' under mandates."""

    own_file_ids: list[uuid.UUID]
    member_files: list[tuple[PatientFile, Cover]]


def visible(db: Session, actor: Actor, today: dt.date) -> Visible:
    own = [file.id for file in own_files(db, actor)]
    followed: list[tuple[PatientFile, Cover]] = []
    if actor.is_staff:
        for file in members(db, actor, today):
            if file.id in own:
                continue
            cover = cover_for(db, actor, file, today)
            if cover is not None:
                followed.append((file, cover))
    return Visible(own, followed)


def member_proceedings(db: Session, file: PatientFile, cover: Cover) -> list[Proceeding]:
    """A member's proceedings that the mandates cover."""
    rows = db.exec(select(Proceeding).where(col(Proceeding.file_id) == file.id)).all()
    return [row for row in rows if covers(cover, row)]
