"""Reprise practises the GDPR (item 20): export everything, delete at once, purge on time;
the privacy page says what is kept and for how long."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

import app.privacy.purges  # noqa: F401
from app.cookies import session_cookie_name
from app.db import make_engine
from app.jobs.runner import run_due
from app.migrate import upgrade
from app.models import SQLModel
from app.models.account import User
from app.models.base import utcnow
from app.models.job import Job
from app.models.organisation import AuditEntry, Mandate, PatientFile, StoredLetter
from app.models.session import Draft, WebSession
from app.privacy.personal_data import PersonalData, register
from tests.conftest import CapturedMail, csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.world import PASSWORD, World, make_user


def signed_client(app: Any, world: World, role: str) -> CheckedClient:
    client = CheckedClient(app)
    tokens = world.sign_in(role)
    assert tokens
    client.cookies.set(session_cookie_name(), tokens[0])
    return client


def test_export_holds_everything_about_the_person(app: Any, db: Session, world: World) -> None:
    with signed_client(app, world, "helper_with_mandate") as helper:
        helper.get(f"/association/membres/{world.ids['member_file']}/dossier")
    with signed_client(app, world, "patient") as client:
        page = client.get("/compte/mes-donnees")
        response = client.post("/compte/mes-donnees", data={"csrf_token": csrf_from(page.text)})
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["cache-control"] == "no-store"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("donnees.json"))
    account = data["account"]
    assert account["email"] == "patient@example.org"
    files = {f["id"]: f for f in account["files"]}
    assert set(files) == {str(world.ids["own_file"]), str(world.ids["member_file"])}
    member = files[str(world.ids["member_file"])]
    assert member["identity"]["family_name"] == "Martin"
    assert member["platforms"] == ["doctolib"]
    assert member["mandates"][0]["rights"] == ["erasure", "access"]
    assert member["access_log"][0]["action"] == "dossier.consulte"
    assert member["letters"][0]["platform"] == "doctolib"
    pdfs = [name for name in archive.namelist() if name.endswith(".pdf")]
    assert len(pdfs) == 2
    assert all(archive.read(name).startswith(b"%PDF-") for name in pdfs)


# Every table, and where "Mes données" puts it, or why it is not there. A new table fails the
# test below until it is placed here, so that no personal data is left out of the export.
EXPORT_COVERAGE = {
    "user_account": "account: email, name, dates",
    "patient_file": "account.files: identity, platforms, notes, consent",
    "mandate": "account.files[].mandates",
    "stored_letter": "account.files[].letters, and each letter as a PDF",
    "audit_entry": "account.files[].access_log; account.actions_as_helper",
    "staff_role": "account.association",
    "proceeding": "tracking.proceedings",
    "tracking_preference": "tracking.reminders",
    "api_token": "tracking.api_tokens (label and dates; the secret is only a hash)",
    "web_session": "not exported: hashed sign-in secrets, gone at sign-out or expiry",
    "account_token": "not exported: hashed one-time email links, gone when used or expired",
    "throttle_hit": "not exported: keyed hashes, not tied to a person, kept for the sign-in window",
    "draft": "not exported: a visitor's draft belongs to a browser, not to an account (24 h)",
    "pack_job": "not exported: a pack being made, sealed, deleted with the drafts (24 h)",
    "catalogue_suggestion": "not personal: an address suggested for the catalogue, no person",
    "job": "not exported: job bookkeeping (kind, proceeding id, dates), no personal content",
    "invitation": "not exported: it is addressed to someone who has no account yet",
    "association": "not personal: the organisation itself",
    "establishment": "not personal: the public FINESS registry",
    "finess_import": "not personal: when the registry was imported",
    "observatory_fact": "observatory (counted or not, how many): dates under keyed hashes",
    "observatory_cell": "not personal: published figures (10 persons at least, rounded)",
    "observatory_publication": "not personal: the date of the published figures",
}


def test_every_table_is_placed_in_the_export_or_says_why_not() -> None:
    assert set(EXPORT_COVERAGE) == {table.name for table in SQLModel.metadata.sorted_tables}


def test_a_helper_finds_their_own_actions_in_their_export(
    app: Any, db: Session, world: World
) -> None:
    with signed_client(app, world, "helper_with_mandate") as helper:
        helper.get(f"/association/membres/{world.ids['member_file']}/dossier")
        page = helper.get("/compte/mes-donnees")
        response = helper.post("/compte/mes-donnees", data={"csrf_token": csrf_from(page.text)})
    data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("donnees.json"))
    actions = data["account"]["actions_as_helper"]
    assert {"action": "dossier.consulte", "file_id": str(world.ids["member_file"])}.items() <= (
        actions[0].items()
    )
    assert "Martin" not in json.dumps(actions)  # the member's data stays in the member's export


def test_export_includes_what_other_features_register(app: Any, db: Session, world: World) -> None:
    register(PersonalData("proceedings", export=lambda db, user: ({"count": 0}, {})))
    try:
        with signed_client(app, world, "other_patient") as client:
            page = client.get("/compte/mes-donnees")
            response = client.post("/compte/mes-donnees", data={"csrf_token": csrf_from(page.text)})
        data = json.loads(zipfile.ZipFile(io.BytesIO(response.content)).read("donnees.json"))
        assert data["proceedings"] == {"count": 0}
    finally:
        from app.privacy.personal_data import REGISTRY

        REGISTRY.hooks = [h for h in REGISTRY.hooks if h.name != "proceedings"]


def count(db: Session, model: Any, *where: Any) -> int:
    return int(db.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def test_deleting_the_account_removes_everything_at_once(
    app: Any, db: Session, world: World, mail: CapturedMail
) -> None:
    patient = world.users["patient"]
    with (
        signed_client(app, world, "patient") as client,
        signed_client(app, world, "patient") as phone,
    ):
        page = client.get("/compte/supprimer")
        wrong = client.post(
            "/compte/supprimer",
            data={"password": "not it at all!!", "csrf_token": csrf_from(page.text)},
        )
        assert wrong.status_code == 422
        response = client.post(
            "/compte/supprimer",
            data={
                "password": "un chat roux dort sous la pluie",
                "csrf_token": csrf_from(page.text),
            },
            follow_redirects=False,
        )
        assert response.headers["location"] == "/connexion?fait=compte-supprime"
        assert phone.get("/compte", follow_redirects=False).status_code == 303
    assert db.get(User, patient.id) is None
    assert count(db, WebSession, WebSession.user_id == patient.id) == 0
    for file_key in ("own_file", "member_file"):
        file_id = world.ids[file_key]
        assert db.get(PatientFile, file_id) is None
        assert count(db, StoredLetter, StoredLetter.file_id == file_id) == 0
        assert count(db, Mandate, Mandate.file_id == file_id) == 0
        assert count(db, AuditEntry, AuditEntry.file_id == file_id) == 0
    # nobody else lost anything
    assert db.get(User, world.users["other_patient"].id) is not None
    assert mail.messages[-1]["Subject"] == "Votre compte Reprise a été supprimé"


def test_a_helper_leaving_keeps_the_members_files(app: Any, db: Session, world: World) -> None:
    from app.privacy.personal_data import delete_account

    delete_account(db, world.users["helper_with_mandate"])
    mandate = db.get(Mandate, world.ids["mandate"])
    assert mandate is not None
    assert mandate.agent_user_id is None  # the mandate stays, nobody holds it any more
    assert db.get(PatientFile, world.ids["member_file"]) is not None


def test_the_privacy_page_says_what_how_long_and_where(client: CheckedClient) -> None:
    text = client.get("/confidentialite").text
    assert "24 heures" in text
    assert "2.0 ans" in text or "2 ans" in text
    assert "30 jours" in text
    assert "hébergement" in text.lower()


# ------------------------------------------------------------------ purges through the jobs


def test_purges_drafts_sessions_unverified_and_inactive_accounts(
    engine: Engine, mail: CapturedMail
) -> None:
    now = utcnow()
    with Session(engine, expire_on_commit=False) as db:
        fresh = make_user(db, "fresh@example.org")
        idle = make_user(db, "idle@example.org")
        unverified = make_user(db, "nobody@example.org", verified=False)
        unverified.created_at = now - timedelta(days=8)
        idle.last_active_at = now - timedelta(days=710)  # 730 - 20 days: inside the warning
        old_session = WebSession(token_hash="a" * 64, expires_at=now - timedelta(seconds=1))
        db.add_all([unverified, idle, old_session])
        db.flush()
        db.add(Draft(session_id=old_session.id, payload=b"x", expires_at=now - timedelta(hours=1)))
        db.commit()

    first = run_due(engine, now)
    assert first.failed == 0
    with Session(engine) as db:
        assert db.get(User, unverified.id) is None
        assert count(db, WebSession) == 0
        assert count(db, Draft) == 0
        warned = db.get(User, idle.id)
        assert warned is not None
        assert warned.purge_warned_at is not None
        assert db.get(User, fresh.id) is not None
    warnings = [m for m in mail.messages if m["To"] == "idle@example.org"]
    assert len(warnings) == 1
    assert "supprimés dans 30 jours" in str(warnings[0].get_content())

    # running again the same hour does nothing twice
    again = run_due(engine, now + timedelta(minutes=5))
    assert again.done.get("inactive-account-warning", 0) == 0
    assert len([m for m in mail.messages if m["To"] == "idle@example.org"]) == 1

    # 31 days later, still inactive: the account goes, with everything in it
    later = now + timedelta(days=31)
    run_due(engine, later)
    with Session(engine) as db:
        assert db.get(User, idle.id) is None
        assert db.get(User, fresh.id) is not None


def test_signing_in_after_the_warning_keeps_the_account(engine: Engine, mail: CapturedMail) -> None:
    now = utcnow()
    with Session(engine, expire_on_commit=False) as db:
        idle = make_user(db, "idle@example.org")
        idle.last_active_at = now - timedelta(days=710)
        db.add(idle)
        db.commit()
    run_due(engine, now)
    with Session(engine, expire_on_commit=False) as db:
        from app.accounts.users import authenticate

        authenticate(db, "idle@example.org", PASSWORD, "127.0.0.1", now + timedelta(days=1))
        db.commit()
    run_due(engine, now + timedelta(days=31))
    with Session(engine) as db:
        assert db.get(User, idle.id) is not None


def test_closed_proceedings_purge_walks_registered_hooks(engine: Engine) -> None:
    seen: list[Any] = []
    register(PersonalData("closed-things", purge=lambda db, now: seen.append(now) or 0))
    try:
        now = utcnow()
        run_due(engine, now)
        assert seen == [now]
    finally:
        from app.privacy.personal_data import REGISTRY

        REGISTRY.hooks = [h for h in REGISTRY.hooks if h.name != "closed-things"]


def test_every_table_is_reached_by_deletion(db: Session, world: World) -> None:
    """After deleting every account, no personal row is left in any table."""
    from app.models.organisation import Association
    from app.privacy.personal_data import delete_account

    for user in list(world.users.values()):
        delete_account(db, user)
    leftovers = {
        table.name: int(db.execute(select(func.count()).select_from(table)).scalar_one())
        for table in SQLModel.metadata.sorted_tables
    }
    # associations are organisations, not people; their member files went with the members
    # who had accounts; a member file without an account stays with its association.
    assert leftovers.pop("association") == count(db, Association)
    assert {name: n for name, n in leftovers.items() if n} == {}


def test_the_web_process_runs_the_purges_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded default: with REPRISE_JOBS_INTERVAL_SECONDS set, no cron is needed."""
    import time

    from app.main import create_app
    from tests.conftest import clear_caches

    url = f"sqlite:///{tmp_path / 'embedded.db'}"
    upgrade("head", url)
    monkeypatch.setenv("REPRISE_DATABASE_URL", url)
    monkeypatch.setenv("REPRISE_JOBS_INTERVAL_SECONDS", "1")
    clear_caches()
    engine = make_engine(url)
    try:
        with Session(engine) as db:
            session = WebSession(token_hash="b" * 64, expires_at=utcnow() - timedelta(seconds=1))
            db.add(session)
            db.commit()
        with CheckedClient(create_app()):
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                with Session(engine) as db:
                    if count(db, WebSession) == 0:
                        break
                time.sleep(0.2)
        with Session(engine) as db:
            assert count(db, WebSession) == 0
            assert count(db, Job) > 0
    finally:
        from app.db import get_engine

        get_engine().dispose()
        engine.dispose()
        monkeypatch.undo()
        clear_caches()
