"""Reminder emails against a real SMTP server (aiosmtpd), on both databases: seven days before,
on the day, the day after with the next step, and for a letter never marked as sent; French or
English; no health detail. Exactly once (security.md 23): two runner processes at once, and a
runner killed (SIGKILL) in the middle of a job."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import clock
from app.clock import PARIS
from app.db import make_engine
from app.jobs.runner import KINDS, LEASE, run_due
from app.migrate import upgrade
from app.models.job import Job
from app.models.organisation import PatientFile
from app.models.proceeding import Proceeding
from app.notifications.mailer import SmtpMailer, use_mailer
from app.patients.files import store_letter
from app.proceedings import reminders
from app.proceedings.events import Event
from app.proceedings.service import record, track_letter
from tests.support.paths import PROJECT_ROOT
from tests.support.servers import Inbox, run_server
from tests.support.texts import plain
from tests.support.tracking import MARCH_2, D, tracked
from tests.support.world import IDENTITY, make_user

HEALTH_WORDS = ("doctolib", "livi", "accès", "access", "effacement", "santé", "médical", "medical")


@pytest.fixture
def only_reminders() -> Iterator[None]:
    """Run the reminder kind alone (the purges are tested elsewhere)."""
    saved = dict(KINDS)
    KINDS.clear()
    reminders.register_reminders()
    yield
    KINDS.clear()
    KINDS.update(saved)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, Any]]:
    inbox = Inbox()
    server = run_server(inbox)
    use_mailer(SmtpMailer.from_url(f"smtp://localhost:{server.port}"))
    yield inbox, server
    use_mailer(None)
    server.stop()


def at(day: D, hour: int = 9) -> dt.datetime:
    """A moment of `day` in Paris, in UTC."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=PARIS).astimezone(dt.UTC)


def subject(message: Any) -> str:
    return plain(str(make_header(decode_header(str(message["Subject"])))))


def bodies(inbox: Inbox) -> list[str]:
    return [plain(m.get_payload(decode=True).decode()) for m in inbox.received]


def assert_discreet(message: Any) -> None:
    body = message.get_payload(decode=True).decode().lower()
    title = subject(message).lower()
    for word in HEALTH_WORDS:
        assert word not in body, word
        assert word not in title, word


def test_before_on_and_after_the_due_date_each_once(
    engine: Engine, only_reminders: None, smtp: tuple[Inbox, Any]
) -> None:
    inbox, _server = smtp
    pid = tracked(engine, "marie@example.org")  # received 2 March: due 2 April (a Thursday)
    run_due(engine, at(D(2026, 3, 20)))
    assert inbox.received == []
    run_due(engine, at(D(2026, 3, 26)))
    run_due(engine, at(D(2026, 3, 26), 15))
    assert len(inbox.received) == 1
    before = inbox.received[0]
    assert before["To"] == "marie@example.org"
    assert "approche" in subject(before)
    body = bodies(inbox)[0]
    assert "dans 7 jours, le 2 avril 2026" in body
    assert f"/suivi/{pid}" in body
    assert "Prochaine étape : attendre la réponse." in body
    run_due(engine, at(D(2026, 4, 2)))
    run_due(engine, at(D(2026, 4, 3)))
    run_due(engine, at(D(2026, 4, 3), 18))
    assert len(inbox.received) == 3
    due = inbox.received[1]
    assert "aujourd'hui" in subject(due)
    assert "le 2 avril 2026" in bodies(inbox)[1]
    assert "Prochaine étape : envoyer une relance." in bodies(inbox)[2]
    for message in inbox.received:
        assert_discreet(message)
        assert message["Auto-Submitted"] == "auto-generated"
    assert len({m["Message-ID"] for m in inbox.received}) == 3
    run_due(engine, at(D(2026, 4, 20)))
    assert len(inbox.received) == 3  # nothing more: the next step is on the page


def test_a_reminder_is_sent_at_eight_in_paris_not_before(
    engine: Engine, only_reminders: None, smtp: tuple[Inbox, Any]
) -> None:
    inbox, _server = smtp
    tracked(engine, "marie@example.org")
    run_due(engine, at(D(2026, 3, 26), 7))
    assert inbox.received == []
    run_due(engine, at(D(2026, 3, 26), 8))
    assert len(inbox.received) == 1


def test_english_when_the_account_prefers_it(
    engine: Engine, only_reminders: None, smtp: tuple[Inbox, Any]
) -> None:
    inbox, _server = smtp
    tracked(engine, "mary@example.org", locale="en")
    run_due(engine, at(D(2026, 3, 26)))
    assert len(inbox.received) == 1
    body = bodies(inbox)[0]
    assert "7 days" in body
    assert "2 April 2026" in body
    assert_discreet(inbox.received[0])


def test_a_letter_never_marked_as_sent(
    engine: Engine, only_reminders: None, smtp: tuple[Inbox, Any]
) -> None:
    inbox, _server = smtp
    pid = tracked(engine, "marie@example.org", sent=None)
    run_due(engine, at(D(2026, 3, 4)))
    assert inbox.received == []
    run_due(engine, at(D(2026, 3, 5)))
    assert len(inbox.received) == 1
    assert "pas été envoyée" in subject(inbox.received[0])
    assert "Prochaine étape : envoyer la lettre préparée" in bodies(inbox)[0]
    with Session(engine) as db:
        proceeding = db.get(Proceeding, pid)
        assert proceeding is not None
        assert proceeding.next_reminder is None


def test_no_reminder_once_answered_or_when_turned_off(
    engine: Engine, only_reminders: None, smtp: tuple[Inbox, Any]
) -> None:
    inbox, _server = smtp
    answered = tracked(engine, "marie@example.org")
    tracked(engine, "paul@example.org", reminders_on=False)
    with Session(engine) as db:
        proceeding = db.get(Proceeding, answered)
        assert proceeding is not None
        record(
            db,
            proceeding,
            Event(kind="answer", date=D(2026, 3, 20), outcome="refusal"),
            D(2026, 3, 20),
        )
        db.commit()
    for day in (D(2026, 3, 26), D(2026, 4, 2), D(2026, 4, 3)):
        run_due(engine, at(day))
    assert inbox.received == []


def test_a_reminder_planned_before_an_answer_is_not_sent_after_it(
    engine: Engine, only_reminders: None, smtp: tuple[Inbox, Any]
) -> None:
    """The job was planned, then the person recorded the answer: the runner checks again."""
    from app.jobs.runner import plan

    inbox, _server = smtp
    pid = tracked(engine, "marie@example.org")
    plan(engine, at(D(2026, 3, 26), 7))  # planned for 8:00
    with Session(engine) as db:
        proceeding = db.get(Proceeding, pid)
        assert proceeding is not None
        record(
            db,
            proceeding,
            Event(kind="answer", date=D(2026, 3, 26), outcome="refusal"),
            D(2026, 3, 26),
        )
        db.commit()
    run_due(engine, at(D(2026, 3, 26)))
    assert inbox.received == []


# ------------------------------------------------------------------ exactly once (item 23)


def runner(engine: Engine, now: dt.datetime, smtp_port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, REPRISE_SMTP_URL=f"smtp://localhost:{smtp_port}")
    url = engine.url.render_as_string(hide_password=False)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.reminder_runner", url, now.isoformat()],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def jobs_done(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count()).select_from(Job).where(Job.done_at.is_not(None))  # type: ignore[union-attr]
            ).scalar_one()
        )


class SlowInbox(Inbox):
    """A mail server that takes its time over each message, so that two runners overlap."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.sleep(0.15)
        return await super().handle_DATA(server, session, envelope)


def test_two_runners_at_once_send_each_reminder_exactly_once(engine: Engine, backend: str) -> None:
    inbox = SlowInbox()
    server = run_server(inbox)
    for number in range(24):
        tracked(engine, f"personne{number}@example.org")
    now = at(D(2026, 3, 26))
    try:
        processes = [runner(engine, now, server.port) for _ in range(2)]
        outputs = [process.communicate(timeout=300) for process in processes]
    finally:
        server.stop()
    for process, (_out, err) in zip(processes, outputs, strict=True):
        assert process.returncode == 0, err.decode()[-2000:]
    ids = Counter(str(m["Message-ID"]) for m in inbox.received)
    assert len(inbox.received) == 24
    assert set(ids.values()) == {1}
    assert sorted(str(m["To"]) for m in inbox.received) == sorted(
        f"personne{n}@example.org" for n in range(24)
    )
    assert jobs_done(engine) == 24
    done = [int(out.decode().split()[1]) for out, _err in outputs]
    assert sum(done) == 24
    if backend == "postgresql":
        # SKIP LOCKED: both runners took part (0.15 s per message outlasts the second start)
        assert all(count > 0 for count in done), done


class HoldingInbox(Inbox):
    """An SMTP server that holds the client at one command until released."""

    def __init__(self, hold_at: str) -> None:
        super().__init__()
        self.hold_at = hold_at
        self.held = threading.Event()
        self.release = threading.Event()
        self.holding = True

    async def _hold(self) -> None:
        if not self.holding:
            return
        self.held.set()
        while not self.release.is_set():
            await asyncio.sleep(0.02)
        self.holding = False

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.hold_at == "RCPT":
            await self._hold()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        reply = await super().handle_DATA(server, session, envelope)
        if self.hold_at == "DATA":
            await self._hold()  # the message is kept; the client has no reply yet
        return reply


def kill_runner_while_held(
    engine: Engine, inbox: HoldingInbox, port: int, now: dt.datetime
) -> None:
    process = runner(engine, now, port)
    try:
        assert inbox.held.wait(timeout=120), (
            process.stderr.read().decode() if process.stderr else ""
        )
        os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=30)
    finally:
        inbox.release.set()
    assert process.returncode == -signal.SIGKILL


def test_a_runner_killed_mid_job_before_the_server_accepted_the_message(
    engine: Engine, tmp_path: Path
) -> None:
    """Killed while the mail server was still receiving: nothing was delivered; once the lease
    is over, another runner sends the reminder, once."""
    inbox = HoldingInbox("RCPT")
    server = run_server(inbox)
    try:
        pid = tracked(engine, "marie@example.org")
        now = at(D(2026, 3, 26))
        kill_runner_while_held(engine, inbox, server.port, now)
        time.sleep(0.2)
        assert inbox.received == []
        assert jobs_done(engine) == 0
        # the same day, after the lease of the dead runner
        later = now + LEASE + dt.timedelta(minutes=1)
        out, err = runner(engine, later, server.port).communicate(timeout=120)
        assert b"done 1 failed 0" in out, err.decode()[-2000:]
        # and again: nothing more to send
        out, _err = runner(engine, later + LEASE * 2, server.port).communicate(timeout=120)
        assert b"done 0 failed 0" in out
    finally:
        server.stop()
    assert len(inbox.received) == 1
    assert f"/suivi/{pid}" in bodies(inbox)[0]
    assert jobs_done(engine) == 1


def test_the_window_that_remains_resends_with_the_same_message_id(engine: Engine) -> None:
    """The one window no runner can close: killed after the server kept the message and before
    the job's transaction committed. The lease runs out and the reminder goes again, with the
    same Message-ID, so a mail system can recognise the copy. (Documented in reminders.py.)"""
    inbox = HoldingInbox("DATA")
    server = run_server(inbox)
    try:
        tracked(engine, "marie@example.org")
        now = at(D(2026, 3, 26))
        kill_runner_while_held(engine, inbox, server.port, now)
        assert jobs_done(engine) == 0
        later = now + LEASE + dt.timedelta(minutes=1)
        out, err = runner(engine, later, server.port).communicate(timeout=120)
        assert b"done 1 failed 0" in out, err.decode()[-2000:]
    finally:
        server.stop()
    assert len(inbox.received) == 2
    assert inbox.received[0]["Message-ID"] == inbox.received[1]["Message-ID"]
    assert jobs_done(engine) == 1


def test_a_failing_mail_server_leaves_the_reminder_to_a_later_run(
    engine: Engine, only_reminders: None
) -> None:
    """The server refuses: nothing is marked done, the next run sends it."""
    inbox = Inbox()
    server = run_server(inbox)
    port = server.port
    server.stop()  # nobody listens
    use_mailer(SmtpMailer.from_url(f"smtp://localhost:{port}"))
    try:
        tracked(engine, "marie@example.org")
        report = run_due(engine, at(D(2026, 3, 26)))
        assert report.failed == 1
        assert jobs_done(engine) == 0
        server = run_server(inbox)
        use_mailer(SmtpMailer.from_url(f"smtp://localhost:{server.port}"))
        report = run_due(engine, at(D(2026, 3, 26)) + LEASE + dt.timedelta(minutes=1))
        server.stop()
    finally:
        use_mailer(None)
    assert len(inbox.received) == 1
    assert jobs_done(engine) == 1


def test_the_web_process_sends_due_reminders_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded default: the web process's own runner (REPRISE_JOBS_INTERVAL_SECONDS)
    sends a reminder that is due, through REPRISE_SMTP_URL, with no cron and no command."""
    from app.main import create_app
    from tests.conftest import clear_caches
    from tests.support.pagecheck import CheckedClient

    url = f"sqlite:///{tmp_path / 'embedded.db'}"
    upgrade("head", url)
    inbox = Inbox()
    server = run_server(inbox)
    monkeypatch.setenv("REPRISE_DATABASE_URL", url)
    monkeypatch.setenv("REPRISE_JOBS_INTERVAL_SECONDS", "1")
    monkeypatch.setenv("REPRISE_SMTP_URL", f"smtp://localhost:{server.port}")
    clear_caches()
    use_mailer(None)
    engine = make_engine(url)
    try:
        # a letter written three days ago and never marked as sent: its reminder is due today,
        # and it is 9:00 in Paris, past the hour reminders leave, whenever the test runs
        written = dt.date(2026, 3, 6)
        pid = tracked(engine, "marie@example.org", letter_on=written, sent=None)
        with (
            clock.running_from(dt.datetime(2026, 3, 9, 9, 0, tzinfo=PARIS)),
            CheckedClient(create_app()),
        ):
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not inbox.received:
                time.sleep(0.2)
            time.sleep(2.5)  # two more runs: the reminder does not go again
        assert len(inbox.received) == 1
        assert str(inbox.received[0]["To"]) == "marie@example.org"
        assert f"/suivi/{pid}" in bodies(inbox)[0]
    finally:
        server.stop()
        from app.db import get_engine

        get_engine().dispose()
        engine.dispose()
        monkeypatch.undo()
        clear_caches()
        use_mailer(None)


def test_seven_days_before_the_last_day_to_seize_the_cada(
    engine: Engine, only_reminders: None, smtp: tuple[Inbox, Any]
) -> None:
    """A public hospital refused a medical record on 20 March: the CADA may be seized until
    20 May. A reminder goes on 13 May, once, still naming neither the hospital nor the request."""
    inbox, _server = smtp
    with Session(engine, expire_on_commit=False) as db:
        user = make_user(db, "marie@example.org")
        file = PatientFile(user_id=user.id)
        db.add(file)
        db.flush()
        letter = store_letter(db, file, "medical-record", "ap-hp", IDENTITY, None, user.id, MARCH_2)
        proceeding, _created = track_letter(db, file, letter, user.id, MARCH_2)
        for event in (
            Event(kind="sent", date=D(2026, 3, 3), channel="email"),
            Event(kind="received", date=D(2026, 3, 5)),
            Event(kind="answer", date=D(2026, 3, 20), outcome="refusal"),
        ):
            record(db, proceeding, event, event.date)
        db.commit()
        pid = proceeding.id
    run_due(engine, at(D(2026, 5, 12)))
    assert inbox.received == []
    run_due(engine, at(D(2026, 5, 13)))
    run_due(engine, at(D(2026, 5, 13), 17))
    assert len(inbox.received) == 1
    message = inbox.received[0]
    assert "dernier jour pour un recours" in subject(message)
    body = bodies(inbox)[0]
    assert "le dernier jour pour faire un recours est le 20 mai 2026, dans 7 jours" in body
    assert f"/suivi/{pid}" in body
    assert "Prochaine étape : préparer une réclamation." in body
    assert_discreet(message)
    assert "cada" not in body.lower()
    run_due(engine, at(D(2026, 5, 21)))
    assert len(inbox.received) == 1
