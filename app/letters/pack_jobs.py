"""Packs made in the background: queued in the database, run in order of arrival by whichever
instance is free, with their progress (letters done out of the total) and, at the end, the file.

A job survives a restart: a runner holds it under a lease it renews after each letter; a runner
that stops leaves the job to another once the lease is over. Every write of a runner is fenced
by its attempt number, so a late runner cannot overwrite what another one took over.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, or_, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.clock import now as clock_now
from app.config import get_settings
from app.errors import Invalid, NotFound
from app.heap import give_back
from app.i18n import get_locale, use_locale
from app.jobs.runner import claim_first
from app.letters.identity import Identity
from app.letters.packs import assemble_pack, build_letters, pack_documents, parse_items
from app.letters.render import background_pdf
from app.models.job import PackJob
from app.security.crypto import context_for, get_keyring
from app.security.fields import seal, unseal

logger = logging.getLogger("reprise.packs")

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
FEW = 3  # a pack of up to this many letters is made while the person waits
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 3
PACK_POLL_SECONDS = 1.0  # how soon a pack queued on another instance is noticed
MEDIA_TYPES = {"pdf": "application/pdf", "zip": "application/zip"}
_wake = threading.Event()  # set when this process queues a job, so its runner starts at once


@dataclass(frozen=True)
class Progress:
    state: str
    done: int
    total: int
    format: str
    error: str | None


def in_background(letters: int) -> bool:
    return letters > FEW


def queue_pack(
    db: Session,
    selection: list[dict[str, Any]],
    identity: Identity,
    fmt: str,
    *,
    lang: str | None = None,
    day: date,
    session_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
) -> PackJob:
    """Queue a pack (checked first: a bad item is a 422 now, not a failed job later)."""
    letters = build_letters(parse_items(selection), identity, day, lang)
    now = clock_now()
    job = PackJob(
        format=fmt,
        total=len(letters),
        payload=b"",
        session_id=session_id,
        user_id=user_id,
        created_at=now,
        expires_at=now + timedelta(hours=get_settings().draft_ttl_hours),
    )
    job.payload = seal(
        job,
        "payload",
        {
            "items": selection,
            "identity": identity.model_dump(mode="json"),
            "lang": lang,
            "locale": get_locale(),
            "date": day.isoformat(),
        },
    )
    db.add(job)
    db.flush()
    _wake.set()
    return job


def find_pack(db: Session, job_id: uuid.UUID, session_id: uuid.UUID | None = None) -> PackJob:
    """The job, if it is the asker's: a page's job belongs to its browser session; an API job
    is reached through its unguessable address alone."""
    job = db.get(PackJob, job_id)
    if job is None or job.expires_at <= clock_now() or job.session_id != session_id:
        raise NotFound()
    return job


def progress(job: PackJob) -> Progress:
    return Progress(job.state, job.done, job.total, job.format, job.error)


def pack_result(job: PackJob) -> bytes:
    if job.state != DONE or job.result is None:
        raise NotFound()
    return get_keyring().decrypt(bytes(job.result), _result_context(job.id))


def _result_context(job_id: uuid.UUID) -> bytes:
    return context_for("pack_job", "result", job_id)


# ---------------------------------------------------------------- the runner

_table = PackJob.__table__  # type: ignore[attr-defined]


def _claimable(now: datetime) -> Any:
    return (
        select(_table.c.id, _table.c.attempts)
        .where(
            _table.c.attempts < MAX_ATTEMPTS,
            _table.c.expires_at > now,
            or_(
                _table.c.state == QUEUED,
                and_(_table.c.state == RUNNING, _table.c.lease_until < now),
            ),
        )
        .order_by(_table.c.created_at, _table.c.id)
        .limit(1)
    )


def claim_pack(engine: Engine, now: datetime) -> tuple[uuid.UUID, int] | None:
    """Lease the oldest waiting pack to this runner (a stalled one counts as waiting)."""

    def take(connection: Connection, row: Any) -> tuple[uuid.UUID, int]:
        attempt = int(row.attempts) + 1
        connection.execute(
            update(_table)
            .where(_table.c.id == row.id)
            .values(state=RUNNING, attempts=attempt, lease_until=now + LEASE, started_at=now)
        )
        return row.id, attempt

    return claim_first(engine, _claimable(now), take)


def _mine(job_id: uuid.UUID, attempt: int) -> Any:
    return and_(_table.c.id == job_id, _table.c.attempts == attempt, _table.c.state == RUNNING)


def _write(engine: Engine, job_id: uuid.UUID, attempt: int, **values: Any) -> bool:
    """Record progress or the outcome, unless another runner has taken the job over."""
    with engine.begin() as connection:
        result = connection.execute(update(_table).where(_mine(job_id, attempt)).values(**values))
        return bool(result.rowcount)


def run_pack(engine: Engine, job_id: uuid.UUID, attempt: int) -> bool:
    """Make one claimed pack, letter by letter (after every single letter waiting for a
    worker); returns whether this runner finished it (done or failed)."""
    with Session(engine) as db:
        job = db.get(PackJob, job_id)
        if job is None:
            return False
        spec = unseal(job, "payload")
        fmt = job.format
    identity = Identity.model_validate(spec["identity"])
    try:
        with use_locale(spec["locale"]):
            letters = build_letters(
                parse_items(spec["items"]), identity, date.fromisoformat(spec["date"]), spec["lang"]
            )
            documents = pack_documents(letters, identity, fmt)
            extra = len(documents) - len(letters)  # the checklist, first in the PDF to print
            pdfs: list[bytes] = []
            for html in documents:
                pdfs.append(background_pdf(html))
                done = max(0, len(pdfs) - extra)
                lease = clock_now() + LEASE
                if not _write(engine, job_id, attempt, done=done, lease_until=lease):
                    return False
            data = assemble_pack(letters, identity, fmt, pdfs)
    except Invalid as exc:
        error = "too-slow" if "render" in exc.errors else "invalid"
        return _write(engine, job_id, attempt, state=FAILED, error=error, finished_at=clock_now())
    except Exception as exc:
        logger.error("pack job failed: %s", type(exc).__name__)
        return _write(
            engine, job_id, attempt, state=FAILED, error="failed", finished_at=clock_now()
        )
    sealed = get_keyring().encrypt(data, _result_context(job_id))
    return _write(
        engine,
        job_id,
        attempt,
        state=DONE,
        result=sealed,
        lease_until=None,
        finished_at=clock_now(),
    )


def run_pending_packs(engine: Engine, limit: int = 1000) -> int:
    """Run waiting packs one after the other, oldest first; returns how many were finished."""
    finished = 0
    for _ in range(limit):
        claimed = claim_pack(engine, clock_now())
        if claimed is None:
            break
        finished += run_pack(engine, *claimed)
    return finished


def wake_runner() -> None:
    _wake.set()


def run_packs_forever(engine: Engine, stop: threading.Event, poll: float) -> None:
    """The web process's pack runner: at once when this process queues a pack, and every
    `poll` seconds for packs queued on another instance."""
    while not stop.is_set():
        try:
            if run_pending_packs(engine):
                give_back()  # the pages of the packs just made
        except Exception as exc:  # a failed round must not stop the next one
            logger.error("pack runner failed: %s", type(exc).__name__)
        _wake.wait(poll)
        _wake.clear()
