"""Data at rest and in logs: the journeys run with canary values on a real database (both
backends), then every table's raw content and every log line are searched for them
(security.md 15, 18); key rotation (16); email look-ups through a keyed blind index (17);
no personal data in any URL the pages generate (10)."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.clock import today
from app.cookies import session_cookie_name
from app.db import make_engine
from app.main import create_app
from app.migrate import upgrade
from app.models import SQLModel
from app.models.account import User
from app.notifications.mailer import use_mailer
from app.security import crypto
from app.security.crypto import DecryptionError, Keyring, context_for
from app.security.fields import email_index
from tests.conftest import (
    TEST_DATA_KEY,
    CapturedMail,
    csrf_from,
    drop_postgres_database,
    fresh_database_url,
)
from tests.support.apps import app_on
from tests.support.pagecheck import CheckedClient
from tests.support.pages import start_letter
from tests.support.world import typed_date

TAG = uuid.uuid4().hex[:6]
CANARIES = {
    "patient_email": f"canari.patient.{TAG}@example.org",
    "helper_email": f"canari.aidant.{TAG}@example.org",
    "admin_email": f"canari.admin.{TAG}@example.org",
    "member_email": f"canari.membre.{TAG}@example.org",
    "given": f"Canariprenom{TAG}",
    "family": f"Canarinom{TAG}",
    "street": f"{TAG} rue du Canari",
    "member_given": f"Canarimembre{TAG}",
    "member_family": f"Canarifamille{TAG}",
    "association": f"Association Canari {TAG}",
    "consent": f"Accord papier canari {TAG}",
    "mandate_data": f"Donnees canari {TAG}",
    "helper_name": f"Aidant Canari {TAG}",
    "password": f"le canari chante {TAG} au matin",
    "registered_letter": f"1A CANARI {TAG}",
    "tracking_note": f"Note de suivi canari {TAG}",
    "token_label": f"Jeton canari {TAG}",
    "complaint_number": f"PLAINTE-CANARI-{TAG}",
    "organisation": f"Clinique Canari {TAG}",
    "organisation_street": f"{TAG} avenue du Canari",
}
# Which platforms someone used reveals their health: the slugs must not appear either.
PLATFORMS = ("doctolib", "livi")


@dataclass
class Journey:
    engine: Engine
    secrets: list[str] = field(default_factory=list)  # tokens seen: session, emailed links
    urls: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)


class RecordingClient(CheckedClient):
    """Collects every URL a page links to, and every redirect."""

    journey: Journey

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        response = super().request(method, url, *args, **kwargs)
        if "location" in response.headers:
            self.journey.urls.append(response.headers["location"])
        if response.headers.get("content-type", "").startswith("text/html"):
            # mailto: links are not requests: the person's own mail program opens them, with
            # the letter's text they asked for; nothing goes to a server or into a log.
            self.journey.urls += [
                url
                for url in re.findall(r'(?:href|action|src)="([^"]*)"', response.text)
                if not url.startswith("mailto:")
            ]
        token = self.cookies.get(session_cookie_name())
        if token:
            self.journey.secrets.append(token)
        return response


def client_for(app: Any, journey: Journey) -> RecordingClient:
    client = RecordingClient(app)
    client.journey = journey
    return client


def post(client: CheckedClient, page: str, action: str, data: dict[str, Any]) -> Any:
    token = csrf_from(client.get(page).text)
    return client.post(action, data={**data, "csrf_token": token}, follow_redirects=False)


def sign_up_and_in(
    client: CheckedClient, mail: CapturedMail, address: str, journey: Journey
) -> None:
    post(
        client, "/inscription", "/inscription", {"email": address, "password": CANARIES["password"]}
    )
    link = mail.link("/inscription/confirmer/")
    journey.secrets.append(link.rsplit("/", 1)[1])
    post(client, link, "/inscription/confirmer", {"token": link.rsplit("/", 1)[1]})
    response = post(
        client, "/connexion", "/connexion", {"email": address, "password": CANARIES["password"]}
    )
    assert response.status_code == 303, response.text[:500]


IDENTITY_FORM = {
    "given_name": CANARIES["given"],
    "family_name": CANARIES["family"],
    "address_line1": CANARIES["street"],
    "postal_code": "75011",
    "city": "Paris",
    "country": "FR",
    "email": CANARIES["patient_email"],
}


def run_journeys(engine: Engine, journey: Journey) -> None:
    app = app_on(engine)
    mail = CapturedMail()
    use_mailer(mail)
    try:
        _journeys(app, mail, journey)
    finally:
        use_mailer(None)
    for message in mail.messages:
        for line in str(message.get_content()).splitlines():
            if (
                "/inscription/confirmer/" in line
                or "/mot-de-passe/nouveau/" in line
                or "/invitation/" in line
            ):
                journey.secrets.append(line.rsplit("/", 1)[1].strip())


def _journeys(app: Any, mail: CapturedMail, journey: Journey) -> None:
    day = today()
    # A patient writes a letter without an account, then keeps it in a new account.
    with client_for(app, journey) as patient:
        start_letter(patient)  # Doctolib, erasure, its option pages
        post(
            patient,
            "/lettres/identite",
            "/lettres/identite",
            {**IDENTITY_FORM, "identifier_0": CANARIES["patient_email"]},
        )
        assert patient.get("/lettres/apercu").status_code == 200
        sign_up_and_in(patient, mail, CANARIES["patient_email"], journey)
        assert post(patient, "/compte/lettres", "/compte/lettres", {}).status_code == 303
        assert (
            post(patient, "/compte/identite", "/compte/identite", IDENTITY_FORM).status_code == 303
        )
        patient.get("/compte/lettres")
        _track(patient, journey)
        patient.get("/compte/mes-donnees")
        assert post(patient, "/compte/mes-donnees", "/compte/mes-donnees", {}).status_code == 200
        # failed sign-ins are counted (throttling rows) and logged
        patient.cookies.clear()
        post(
            patient,
            "/connexion",
            "/connexion",
            {"email": CANARIES["patient_email"], "password": "wrong " + CANARIES["password"]},
        )

    # An association: its administrator, a helper, a member under a mandate.
    with client_for(app, journey) as admin, client_for(app, journey) as helper:
        sign_up_and_in(admin, mail, CANARIES["admin_email"], journey)
        post(
            admin,
            "/association",
            "/association",
            {"name": CANARIES["association"], "your_name": "Admin Canari"},
        )
        post(
            admin,
            "/association",
            "/association/invitations",
            {"email": CANARIES["helper_email"], "role": "helper"},
        )
        invitation = mail.link("/invitation/")
        sign_up_and_in(helper, mail, CANARIES["helper_email"], journey)
        post(
            helper,
            invitation,
            "/invitation",
            {"token": invitation.rsplit("/", 1)[1], "name": CANARIES["helper_name"]},
        )
        created = post(
            helper,
            "/association/membres/nouveau",
            "/association/membres",
            {
                "given_name": CANARIES["member_given"],
                "family_name": CANARIES["member_family"],
                "consent": "oui",
                "consent_note": CANARIES["consent"],
            },
        )
        member = created.headers["location"]
        post(
            helper,
            f"{member}/mandats/nouveau",
            f"{member}/mandats",
            {
                "rights": ["erasure", "access"],
                "platforms": list(PLATFORMS),
                "data": CANARIES["mandate_data"],
                **typed_date("starts_on", day),
                **typed_date("ends_on", (day + timedelta(days=60))),
            },
        )
        # The helper prepared a draft; an administrator records the member's signature.
        signature = re.search(
            r'action="(/association/membres/[^"]+/signature)"', admin.get(member).text
        )
        assert signature
        post(admin, member, signature.group(1), {**typed_date("signed_on", day)})
        dossier = f"{member}/dossier"
        form = {
            **IDENTITY_FORM,
            "given_name": CANARIES["member_given"],
            "family_name": CANARIES["member_family"],
            "email": CANARIES["member_email"],
        }
        assert post(helper, dossier, f"{member}/identite", form).status_code == 303
        assert (
            post(
                helper, dossier, f"{member}/lettres", {"kind": "erasure", "platform": "livi"}
            ).status_code
            == 303
        )
        page = helper.get(dossier).text
        pdf = re.search(r'href="(/association/membres/[^"]+/lettre\.pdf)"', page)
        assert pdf
        assert helper.get(pdf.group(1)).status_code == 200
        follow = re.search(r'action="(/association/membres/[^"]+/suivre)"', page)
        assert follow
        tracked = post(helper, dossier, follow.group(1), {})
        assert tracked.status_code == 303
        base = tracked.headers["location"].split("?")[0]
        when = {"date_day": str(day.day), "date_month": str(day.month), "date_year": str(day.year)}
        event = {**when, "channel": "email", "note": CANARIES["tracking_note"]}
        assert post(helper, dossier, f"{base}/etapes/envoi", event).status_code == 303
        assert base in helper.get("/suivi").text
        post(admin, member, f"{member}/acces", {"email": CANARIES["member_email"]})
        mandate = re.search(
            r'action="(/association/membres/[^"]+/revoquer)"', admin.get(member).text
        )
        assert mandate
        post(admin, member, mandate.group(1), {})
        assert helper.get(dossier).status_code == 403  # refused: logged without personal data


def _track(patient: CheckedClient, journey: Journey) -> None:
    """The patient follows the kept letter: sending with its registered-letter number, a
    refusal, the complaint file, a calendar feed and an API token."""
    page = patient.get("/compte/lettres").text
    follow = re.search(r'action="(/compte/lettres/[^"]+/suivre)"', page)
    assert follow
    created = post(patient, "/compte/lettres", follow.group(1), {})
    base = created.headers["location"].split("?")[0]
    day = today()
    when = {"date_day": str(day.day), "date_month": str(day.month), "date_year": str(day.year)}
    sent = post(
        patient,
        f"{base}/etapes/envoi",
        f"{base}/etapes/envoi",
        {
            **when,
            "channel": "post",
            "reference": CANARIES["registered_letter"],
            "note": CANARIES["tracking_note"],
        },
    )
    assert sent.status_code == 303, sent.text[:500]
    post(
        patient, f"{base}/etapes/reponse", f"{base}/etapes/reponse", {**when, "outcome": "refusal"}
    )
    assert post(patient, base, f"{base}/lettres", {"kind": "complaint-file"}).status_code == 303
    complaint = {**when, "authority": "cnil", "reference": CANARIES["complaint_number"]}
    post(patient, f"{base}/etapes/reclamation", f"{base}/etapes/reclamation", complaint)
    assert CANARIES["registered_letter"] in patient.get(base).text
    assert patient.get(f"{base}/echeances.ics").status_code == 200
    feed = post(patient, "/compte/rappels", "/compte/calendrier", {}).text
    secret = re.search(r"/calendrier/([A-Za-z0-9_-]+)", feed)
    assert secret
    journey.secrets.append(secret.group(1))
    tokens = post(
        patient,
        "/compte/jetons",
        "/compte/jetons",
        {"label": CANARIES["token_label"], "password": CANARIES["password"]},
    )
    token = re.search(r"<code>(rpr_[^<]+)</code>", tokens.text)
    assert token
    journey.secrets.append(token.group(1))
    api = patient.get("/api/v1/proceedings", headers={"Authorization": f"Bearer {token.group(1)}"})
    assert api.status_code == 200
    assert api.json()[0]["platform"] == "doctolib"
    _track_organisation(patient, token.group(1))


def _track_organisation(patient: CheckedClient, token: str) -> None:
    """A letter to a clinic typed by hand (not in the catalogue), followed from its preview."""
    organisation = {
        "name": CANARIES["organisation"],
        "line1": "",
        "line2": CANARIES["organisation_street"],
        "line3": "67000 Strasbourg",
        "email": "",
        "category": "hospital",
        "public": "yes",
    }
    response = post(patient, "/lettres/organisme", "/lettres/organisme", organisation)
    assert response.headers["location"] == "/lettres/demande"
    response = post(patient, "/lettres/demande", "/lettres/demande", {"kind": "medical-record"})
    location = response.headers["location"]
    while location.startswith("/lettres/options/"):
        location = post(patient, location, location, {}).headers["location"]
    assert location == "/lettres/apercu"
    created = post(patient, "/lettres/apercu", "/suivi", {})
    base = created.headers["location"].split("?")[0]
    day = today()
    when = {"date_day": str(day.day), "date_month": str(day.month), "date_year": str(day.year)}
    sent = post(
        patient, f"{base}/etapes/envoi", f"{base}/etapes/envoi", {**when, "channel": "email"}
    )
    assert sent.status_code == 303
    assert CANARIES["organisation"] in patient.get(base).text
    api = patient.get("/api/v1/proceedings", headers={"Authorization": f"Bearer {token}"})
    assert any(item["platform_name"] == CANARIES["organisation"] for item in api.json())


def raw_dump(engine: Engine) -> bytes:
    """Everything the database holds, as raw as each backend allows."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        path = Path(engine.url.database or "")
        files = [path, Path(f"{path}-wal"), Path(f"{path}-journal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    chunks: list[bytes] = []
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for row in connection.execute(select(table)):
                for value in row:
                    chunks.append(
                        bytes(value)
                        if isinstance(value, (bytes, memoryview))
                        else str(value).encode()
                    )
            cursor = connection.connection.cursor()  # the COPY text form as well
            with cursor.copy(f'COPY "{table.name}" TO STDOUT') as copy:  # type: ignore[attr-defined]
                for block in copy:
                    chunks.append(bytes(block))
    return b"\n".join(chunks)


@pytest.fixture(scope="module")
def journey(
    backend: str, tmp_path_factory: pytest.TempPathFactory, test_settings: None
) -> Iterator[Journey]:
    url = fresh_database_url(backend, tmp_path_factory.mktemp("canary"), "canary")
    upgrade("head", url)
    engine = make_engine(url)
    result = Journey(engine)
    handler = _ListHandler(result.logs)
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        run_journeys(engine, result)
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    yield result
    engine.dispose()
    if backend == "postgresql":
        drop_postgres_database(engine.url.database or "")


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.DEBUG)
        self.sink = sink
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        # The test client's own HTTP library logs the URLs it requests: not the server's logs.
        if record.name.startswith(("httpx", "httpcore")):
            return
        self.sink.append(self.format(record))


def forms(value: str) -> list[bytes]:
    """A canary as it could appear: as typed, case-folded, in UTF-16 (PostgreSQL never, SQLite
    maybe), and as an unkeyed SHA-256."""
    return [
        value.encode(),
        value.casefold().encode(),
        value.encode("utf-16-le"),
        hashlib.sha256(value.encode()).hexdigest().encode(),
        hashlib.sha256(value.strip().casefold().encode()).hexdigest().encode(),
    ]


def test_the_journeys_stored_something(journey: Journey) -> None:
    with Session(journey.engine) as db:
        assert len(db.exec(select(User)).all()) == 3  # type: ignore[call-overload]


def test_no_canary_in_the_raw_database(journey: Journey) -> None:
    dump = raw_dump(journey.engine)
    assert len(dump) > 10_000
    found = [name for name, value in CANARIES.items() if any(f in dump for f in forms(value))]
    assert found == []
    assert [slug for slug in PLATFORMS if slug.encode() in dump] == []
    assert [s for s in set(journey.secrets) if s.encode() in dump] == []
    assert len(journey.secrets) > 5


def test_no_canary_in_the_logs(journey: Journey) -> None:
    logs = "\n".join(journey.logs)
    assert "sign-in succeeded" in logs
    assert "sign-in failed" in logs
    assert "authorisation refused" in logs
    found = [name for name, value in CANARIES.items() if value.casefold() in logs.casefold()]
    assert found == []
    assert [s for s in set(journey.secrets) if s in logs] == []
    assert "testclient" not in logs  # no client address


def test_no_personal_data_in_any_url(journey: Journey) -> None:
    urls = "\n".join(journey.urls)
    assert "/compte/lettres/" in urls
    for value in CANARIES.values():
        assert value.casefold() not in urls.casefold()
        assert value.replace(" ", "%20").casefold() not in urls.casefold()
        assert value.replace(" ", "+").casefold() not in urls.casefold()
    for slug in PLATFORMS:
        assert not re.search(rf"/(compte|association)/[^\s]*{slug}", urls)


def test_a_ciphertext_moved_to_another_row_does_not_open(journey: Journey) -> None:
    from app.models.organisation import PatientFile
    from app.security.fields import unseal

    with Session(journey.engine) as db:
        files = [f for f in db.exec(select(PatientFile)).scalars() if f.identity_sealed]  # type: ignore[call-overload]
        assert len(files) >= 2
        first, second = files[0], files[1]
        second.identity_sealed = first.identity_sealed
        with pytest.raises(DecryptionError):
            unseal(second, "identity_sealed")
        db.rollback()


def test_email_look_up_goes_through_a_keyed_blind_index(journey: Journey) -> None:
    email = CANARIES["patient_email"]
    with Session(journey.engine) as db:
        user = db.exec(select(User).where(User.email_index == email_index(email))).scalar_one()  # type: ignore[call-overload]
        assert user.email_index != hashlib.sha256(email.encode()).hexdigest()
        # the blind-index key is not the data key nor the CSRF key
        from app.security.fields import _email_key

        assert _email_key() not in {raw for _id, raw in crypto.get_keyring().keys}
        stored = db.execute(text("SELECT email_index FROM user_account")).scalars().all()
        assert hashlib.sha256(email.encode()).hexdigest() not in stored


def test_rotate_then_drop_the_old_key_and_every_row_still_reads(
    journey: Journey,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """On a copy of the journeys' database: the rotation rewrites every sealed value, so the
    database shared by this module's other tests keeps its key."""
    from app.cli import main
    from app.db import get_engine
    from app.security.rotation import sealed_columns
    from tests.conftest import clear_caches, copy_database

    url = copy_database(journey.engine, tmp_path, "rotation")
    engine = make_engine(url)
    new_key = "knew:" + base64.urlsafe_b64encode(os.urandom(32)).decode()
    monkeypatch.setenv("REPRISE_DATABASE_URL", url)
    monkeypatch.setenv("REPRISE_DATA_KEYS", f"{new_key},{TEST_DATA_KEY}")
    clear_caches()
    try:
        assert main(["keys", "rotate"]) == 0
        assert "re-encrypted under key knew" in capsys.readouterr().out
        assert main(["keys", "rotate"]) == 0  # idempotent: nothing left
        assert "0 value(s) re-encrypted" in capsys.readouterr().out
        only_new = Keyring.parse(new_key)
        opened = 0
        with engine.connect() as connection:
            for table, column in sealed_columns():
                for row_id, blob in connection.execute(
                    select(table.c.id, column).where(column.is_not(None))
                ):
                    if not blob:
                        continue
                    only_new.decrypt(bytes(blob), context_for(table.name, column.name, row_id))
                    opened += 1
        assert opened > 20
    finally:
        get_engine().dispose()  # the command's own engine: close its connections
        engine.dispose()
        monkeypatch.undo()
        clear_caches()
        if engine.dialect.name == "postgresql":
            drop_postgres_database(engine.url.database or "")


def test_a_new_secret_key_then_reindex_finds_every_account_again(
    backend: str,
    tmp_path: Path,
    test_settings: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The email index is keyed by REPRISE_SECRET_KEY: after the secret changes, accounts are
    not found until `reprise keys reindex` recomputes the index from the sealed emails."""
    from sqlmodel import Session as RowSession
    from sqlmodel import select as select_rows

    from app.accounts.users import email_of, find_by_email
    from app.cli import main
    from app.db import get_engine
    from app.models.account import User
    from tests.conftest import clear_caches
    from tests.support.world import make_user

    url = fresh_database_url(backend, tmp_path, "reindex")
    upgrade("head", url)
    engine = make_engine(url)
    emails = [f"personne{number}@example.org" for number in range(3)]
    with RowSession(engine) as db:
        for address in emails:
            make_user(db, address)
        db.commit()
    monkeypatch.setenv("REPRISE_DATABASE_URL", url)
    monkeypatch.setenv("REPRISE_SECRET_KEY", "another secret key, long enough: " + "x" * 16)
    clear_caches()
    try:
        with RowSession(engine) as db:
            assert sorted(email_of(user) for user in db.exec(select_rows(User)).all()) == emails
            assert all(find_by_email(db, email) is None for email in emails)
        assert main(["keys", "reindex"]) == 0
        assert f"{len(emails)} account(s) re-indexed" in capsys.readouterr().out
        assert main(["keys", "reindex"]) == 0  # idempotent
        assert "0 account(s) re-indexed" in capsys.readouterr().out
        with RowSession(engine) as db:
            assert all(find_by_email(db, email) is not None for email in emails)
    finally:
        get_engine().dispose()
        engine.dispose()
        monkeypatch.undo()
        clear_caches()
        if backend == "postgresql":
            drop_postgres_database(engine.url.database or "")


def test_routes_carry_only_opaque_identifiers(test_settings: None) -> None:
    """Path parameters are random row ids, one-time tokens, a language, a catalogue slug or a
    questionnaire step:
    never a name, an email or anything typed by a person (security.md 10)."""
    from app.authorisation import app_routes

    allowed = {
        "file_id",
        "letter_id",
        "mandate_id",
        "staff_id",
        "token",
        "locale",
        "slug",
        "question_id",
        "proceeding_id",
        "token_id",
        "event",
        "job_id",
    }
    parameters = {
        name for _method, path in app_routes(create_app()) for name in re.findall(r"{(\w+)}", path)
    }
    assert parameters <= allowed
    # only public catalogue routes take a slug; personal routes take random ids
    for _method, path in app_routes(create_app()):
        if path.startswith(("/compte", "/association")):
            assert "{slug}" not in path
            assert "{token}" not in path
