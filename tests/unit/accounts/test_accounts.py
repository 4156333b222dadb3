"""Accounts: passwords (items 3-4), sign-up and sign-in, throttling (5), sessions (6),
cookies (7), CSRF on every POST (8)."""

from __future__ import annotations

import html
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlmodel import Session, col, select, update

from app.accounts import passwords
from app.accounts.sessions import IDLE_TIMEOUT, find_session
from app.authorisation import app_routes
from app.cookies import session_cookie_name
from app.models.account import ThrottleHit, User
from app.models.base import utcnow
from app.models.session import WebSession
from tests.conftest import CapturedMail, csrf_from, drop_postgres_database, fresh_database_url
from tests.support.pagecheck import CheckedClient
from tests.support.pages import sign_in
from tests.support.world import PASSWORD, build_world, make_user

EMAIL = "camille.durand@example.org"


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("court", False),
        ("x" * 14 + "y", False),  # 15 long but 2 distinct characters
        ("un chat roux dort sous la pluie", True),
        ("Tr0ub4dor&3-longer!", True),
        ("é" * 3 + "ü" * 3 + "ñ" * 3 + "ø" * 6, True),  # no composition rule, any script
        ("0123456789azerty", False),  # in the breach list
        ("0123456789AZERTY", False),
        ("1234567890AZERTY", False),
        ("p" * 60 + "assphrase", True),  # long is fine
        ("a" + "b" * 128, False),  # over 128
        ("camille.durand et ses chats", False),  # contains the email's local part
        ("reprise est un joli site", False),  # the site's name
    ],
)
def test_password_rules(password: str, accepted: bool) -> None:
    assert (passwords.password_problem(password, EMAIL) is None) is accepted


def test_64_characters_are_accepted() -> None:
    assert passwords.password_problem("abcdefgh" * 8, EMAIL) is None
    assert len("abcdefgh" * 8) == 64


def test_argon2id_above_owasp_floor() -> None:
    stored = passwords.hash_password(PASSWORD)
    assert stored.startswith("$argon2id$v=19$")
    params = dict(item.split("=") for item in stored.split("$")[3].split(","))
    assert int(params["m"]) >= 19 * 1024
    assert int(params["t"]) >= 2
    assert int(params["p"]) >= 1
    assert passwords.verify_password(stored, PASSWORD)
    assert not passwords.verify_password(stored, PASSWORD + "x")


def test_an_unknown_account_costs_a_check_with_todays_parameters() -> None:
    """The hash checked when no account exists is made with the parameters of real hashes, so
    a sign-in for an unknown address takes as long as one for a known address."""
    assert not passwords.needs_rehash(passwords.DUMMY_HASH)
    # Even the phrase the hash was made from opens nothing.
    made_from = "reprise: no such account, this hash only spends time"
    assert not passwords.verify_password(None, made_from)
    assert not passwords.verify_password(None, PASSWORD)


def test_an_old_hash_is_upgraded_at_sign_in(
    client: CheckedClient, db: Session, mail: CapturedMail
) -> None:
    user = make_user(db, EMAIL)
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    db.add(user)
    db.flush()
    assert passwords.needs_rehash(user.password_hash)
    response = sign_in(client, EMAIL, PASSWORD)
    assert response.status_code == 303
    db.refresh(user)
    assert not passwords.needs_rehash(user.password_hash)
    assert f"m={passwords.MEMORY_COST_KIB},t={passwords.TIME_COST}" in user.password_hash


def test_sign_up_verify_sign_in_sign_out(
    client: CheckedClient, db: Session, mail: CapturedMail
) -> None:
    token = csrf_from(client.get("/inscription").text)
    response = client.post(
        "/inscription",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/inscription/envoye"
    assert "Confirmez" in mail.messages[-1]["Subject"]
    # not confirmed yet: sign-in refused, a new link is sent
    refused = sign_in(client, EMAIL, PASSWORD)
    assert refused.status_code == 422
    assert "Confirmez d'abord votre adresse" in html.unescape(refused.text)
    link = mail.link("/inscription/confirmer/")
    page = client.get(link)
    confirm = client.post(
        "/inscription/confirmer",
        data={"token": link.rsplit("/", 1)[1], "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert confirm.headers["location"] == "/connexion?fait=adresse-confirmee"
    # the link is single-use
    again = client.post(
        "/inscription/confirmer",
        data={"token": link.rsplit("/", 1)[1], "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert again.headers["location"] == "/connexion?fait=lien-invalide"
    signed = sign_in(client, EMAIL, PASSWORD)
    assert signed.headers["location"] == "/compte"
    account = client.get("/compte")
    assert EMAIL in account.text
    out = client.post(
        "/deconnexion", data={"csrf_token": csrf_from(account.text)}, follow_redirects=False
    )
    assert out.status_code == 303
    assert (
        client.get("/compte", follow_redirects=False).headers["location"].startswith("/connexion")
    )


def test_sign_up_does_not_reveal_existing_accounts(
    client: CheckedClient, db: Session, mail: CapturedMail
) -> None:
    make_user(db, EMAIL)
    token = csrf_from(client.get("/inscription").text)
    response = client.post(
        "/inscription",
        data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/inscription/envoye"
    assert mail.messages[-1]["Subject"] == "Vous avez déjà un compte"
    assert len(db.exec(select(User)).all()) == 1


def test_bad_sign_up_input_is_explained_and_changes_nothing(
    client: CheckedClient, db: Session, mail: CapturedMail
) -> None:
    token = csrf_from(client.get("/inscription").text)
    response = client.post(
        "/inscription", data={"email": "pas-une-adresse", "password": "court", "csrf_token": token}
    )
    assert response.status_code == 422
    assert 'id="error-email"' in response.text
    assert 'id="error-password"' in response.text
    assert "au moins 15 caractères" in response.text
    assert db.exec(select(User)).all() == []
    assert mail.messages == []


def test_password_reset_ends_every_session(
    client: CheckedClient, db: Session, mail: CapturedMail
) -> None:
    make_user(db, EMAIL)
    sign_in(client, EMAIL, PASSWORD)
    old_cookie = client.cookies.get(session_cookie_name())
    token = csrf_from(client.get("/mot-de-passe-oublie").text)
    client.post("/mot-de-passe-oublie", data={"email": EMAIL, "csrf_token": token})
    link = mail.link("/mot-de-passe/nouveau/")
    form = client.get(link)
    new = "la mer est calme ce matin"
    done = client.post(
        "/mot-de-passe/nouveau",
        data={"token": link.rsplit("/", 1)[1], "password": new, "csrf_token": csrf_from(form.text)},
        follow_redirects=False,
    )
    assert done.headers["location"] == "/connexion?fait=mot-de-passe-change"
    assert find_session(db, old_cookie) is None
    assert sign_in(client, EMAIL, PASSWORD).status_code == 422
    assert sign_in(client, EMAIL, new).status_code == 303


# ------------------------------------------------------------------ throttling (item 5)


def test_throttling_per_account_then_a_legitimate_sign_in_after_the_window(
    client: CheckedClient, db: Session
) -> None:
    make_user(db, EMAIL)
    for _ in range(5):
        assert sign_in(client, EMAIL, "wrong password here!").status_code == 422
    # the 6th attempt is refused even with the right password
    refused = sign_in(client, EMAIL, PASSWORD)
    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.text
    # the window passes (the rows age): the right password works
    db.exec(update(ThrottleHit).values(at=utcnow() - timedelta(minutes=16)))  # type: ignore[call-overload]
    assert sign_in(client, EMAIL, PASSWORD).status_code == 303


def test_throttling_per_address_across_accounts(
    client: CheckedClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.config import get_settings

    monkeypatch.setattr(get_settings(), "login_failures_per_address", 3)
    make_user(db, EMAIL)
    for index in range(3):
        sign_in(client, f"someone{index}@example.org", "wrong password here!")
    assert sign_in(client, EMAIL, PASSWORD).status_code == 429


def test_simultaneous_attempts_cannot_all_pass_the_check(backend: str, tmp_path: Path) -> None:
    """Twelve wrong passwords sent at the same moment, each in its own transaction on a real
    database: no more than the limit get a password check; the others are refused."""
    from app.accounts import users
    from app.db import make_engine
    from app.migrate import upgrade

    url = fresh_database_url(backend, tmp_path, "throttle")
    upgrade("head", url)
    engine = make_engine(url)
    try:
        with Session(engine) as db:
            make_user(db, EMAIL)
            db.commit()
        start = threading.Barrier(12)

        def attempt(number: int) -> str:
            with Session(engine) as db:
                start.wait()
                try:
                    users.authenticate(db, EMAIL, "wrong password here!", "10.0.0.1")
                except users.SignInRefused as refused:
                    if refused.reason == "throttled":
                        db.rollback()  # as the route does: the refused attempt leaves nothing
                    else:
                        db.commit()
                    return refused.reason
            return "signed-in"

        with ThreadPoolExecutor(max_workers=12) as pool:
            outcomes = sorted(pool.map(attempt, range(12)))
        assert outcomes == ["throttled"] * 7 + ["wrong"] * 5
        with Session(engine) as db:
            assert (
                len(db.exec(select(ThrottleHit).where(ThrottleHit.bucket == "login-account")).all())
                == 5
            )
    finally:
        engine.dispose()
        if backend == "postgresql":
            drop_postgres_database(engine.url.database or "")


def test_throttling_is_stored_keyed_never_in_clear(client: CheckedClient, db: Session) -> None:
    sign_in(client, EMAIL, "wrong password here!")
    hits = db.exec(select(ThrottleHit)).all()
    assert {hit.bucket for hit in hits} == {"login-account", "login-account-all", "login-address"}
    for hit in hits:
        assert EMAIL not in hit.key_hash
        assert "testclient" not in hit.key_hash
        assert len(hit.key_hash) == 64


# ------------------------------------------------------------------ sessions (6) and cookies (7)


def test_new_token_at_sign_in_and_old_cookie_rejected_after_sign_out(
    client: CheckedClient, db: Session
) -> None:
    make_user(db, EMAIL)
    client.get("/connexion")
    anonymous = client.cookies.get(session_cookie_name())
    sign_in(client, EMAIL, PASSWORD)
    signed = client.cookies.get(session_cookie_name())
    assert signed != anonymous
    assert find_session(db, anonymous) is None  # the pre-sign-in session is gone
    page = client.get("/compte")
    client.post("/deconnexion", data={"csrf_token": csrf_from(page.text)})
    client.cookies.set(session_cookie_name(), signed)  # replay the old cookie
    assert client.get("/compte", follow_redirects=False).status_code == 303


def test_sign_out_everywhere_and_disabled_accounts(db: Session, app: Any) -> None:
    user = make_user(db, EMAIL)
    with CheckedClient(app) as first, CheckedClient(app) as second:
        sign_in(first, EMAIL, PASSWORD)
        sign_in(second, EMAIL, PASSWORD)
        page = first.get("/compte")
        first.post("/compte/deconnexion-partout", data={"csrf_token": csrf_from(page.text)})
        assert second.get("/compte", follow_redirects=False).status_code == 303
        sign_in(second, EMAIL, PASSWORD)
        assert second.get("/compte").status_code == 200
        user.disabled_at = utcnow()
        db.add(user)
        db.flush()
        assert second.get("/compte", follow_redirects=False).status_code == 303


def test_changing_the_password_ends_every_other_session(db: Session, app: Any) -> None:
    """security.md 6: a password change ends every session; old cookies replayed are refused,
    the browser that made the change gets a new one."""
    make_user(db, EMAIL)
    new = "la mer est calme ce matin"
    with CheckedClient(app) as first, CheckedClient(app) as second:
        sign_in(first, EMAIL, PASSWORD)
        sign_in(second, EMAIL, PASSWORD)
        old_cookie = first.cookies.get(session_cookie_name())
        form = first.get("/compte/mot-de-passe")
        done = first.post(
            "/compte/mot-de-passe",
            data={
                "current_password": PASSWORD,
                "password": new,
                "csrf_token": csrf_from(form.text),
            },
            follow_redirects=False,
        )
        assert done.headers["location"] == "/compte?fait=mot-de-passe"
        fresh = first.cookies.get(session_cookie_name())
        assert fresh
        assert fresh != old_cookie
        assert first.get("/compte", follow_redirects=False).status_code == 200
        assert second.get("/compte", follow_redirects=False).status_code == 303
        assert find_session(db, old_cookie) is None
    with CheckedClient(app) as replay:
        replay.cookies.set(session_cookie_name(), old_cookie or "")  # replay the old cookie
        assert replay.get("/compte", follow_redirects=False).status_code == 303


def test_sessions_are_hashed_and_expire(db: Session, client: CheckedClient) -> None:
    make_user(db, EMAIL)
    sign_in(client, EMAIL, PASSWORD)
    token = client.cookies.get(session_cookie_name())
    assert token is not None
    assert len(token) >= 43  # 32 random bytes, base64
    stored = db.exec(select(WebSession).where(col(WebSession.user_id).is_not(None))).one()
    assert stored.token_hash != token
    assert token not in stored.token_hash
    later = utcnow() + IDLE_TIMEOUT + timedelta(seconds=1)
    assert find_session(db, token, now=later) is None
    assert find_session(db, token, now=stored.expires_at + timedelta(seconds=1)) is None


def parse_set_cookie(header: str) -> dict[str, str]:
    cookie: SimpleCookie = SimpleCookie()
    cookie.load(header)
    name = next(iter(cookie))
    morsel = cookie[name]
    lowered = header.lower()
    return {
        "name": name,
        "secure": str("; secure" in lowered),
        "httponly": str("; httponly" in lowered),
        "samesite": morsel["samesite"],
        "path": morsel["path"],
    }


def test_cookies_have_the_host_prefix_and_flags_outside_local_development(
    db: Session, app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.config import get_settings

    monkeypatch.setattr(get_settings(), "base_url", "https://reprise.example")
    make_user(db, EMAIL)
    with CheckedClient(app, base_url="https://testserver") as client:
        first = client.get("/connexion")
        cookie = parse_set_cookie(first.headers["set-cookie"])
        assert cookie == {
            "name": "__Host-reprise_session",
            "secure": "True",
            "httponly": "True",
            "samesite": "Lax",
            "path": "/",
        }
        signed = sign_in(client, EMAIL, PASSWORD)
        again = parse_set_cookie(signed.headers["set-cookie"])
        assert again["name"] == "__Host-reprise_session"
        assert again["secure"] == "True"
        # the language preference follows the same rules, and is still read back
        language = client.get("/langue/en?next=/", follow_redirects=False)
        assert parse_set_cookie(language.headers["set-cookie"]) == {
            "name": "__Host-reprise_lang",
            "secure": "True",
            "httponly": "True",
            "samesite": "Lax",
            "path": "/",
        }
        assert '<html lang="en">' in client.get("/").text


def test_local_development_cookie_is_still_httponly_and_samesite(client: CheckedClient) -> None:
    cookie = parse_set_cookie(client.get("/connexion").headers["set-cookie"])
    assert cookie["httponly"] == "True"
    assert cookie["samesite"] == "Lax"


# ------------------------------------------------------------------ CSRF (item 8)

# The JSON API is stateless: it takes no cookie, so it has no ambient authority to protect.
API_PREFIX = "/api/"


def post_routes(app: Any) -> list[str]:
    return [path for method, path in app_routes(app) if method == "POST"]


def test_every_post_route_refuses_a_missing_or_forged_token(app: Any, db: Session) -> None:
    world = build_world(db)
    session_token, _csrf = world.sign_in("helper_with_mandate") or ("", "")
    db.commit()  # a refused request rolls back its own work only
    checked = 0
    with CheckedClient(app) as client:
        client.cookies.set(session_cookie_name(), session_token)
        for template in post_routes(app):
            if template.startswith(API_PREFIX):
                continue
            path = world.path(template)
            assert client.post(path, data={}).status_code == 403, path
            assert client.post(path, data={"csrf_token": "forged"}).status_code == 403, path
            checked += 1
    assert checked >= 25


def test_every_post_route_refuses_cross_site_requests(app: Any, db: Session) -> None:
    world = build_world(db)
    session_token, csrf = world.sign_in("admin") or ("", "")
    db.commit()
    with CheckedClient(app) as client:
        client.cookies.set(session_cookie_name(), session_token)
        for template in post_routes(app):
            path = world.path(template)
            for headers in ({"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}):
                response = client.post(path, data={"csrf_token": csrf}, headers=headers)
                assert response.status_code == 403, (path, headers)


def test_no_state_changes_on_get(app: Any, db: Session) -> None:
    """Every GET route, as every role: no table changes, except sessions, the audit trail and
    the observatory's month publication (the month's first reader publishes it once: a cache
    of public figures, the same for everyone, never a person's data)."""
    from sqlalchemy import func

    from app.models import SQLModel
    from tests.support.world import ROLES

    world = build_world(db)
    sessions = {role: world.sign_in(role) for role in ROLES}
    db.commit()
    watched = [
        t
        for t in SQLModel.metadata.sorted_tables
        if t.name
        not in {
            "web_session",
            "audit_entry",
            "draft",
            "observatory_publication",
            "observatory_cell",
        }
    ]

    def counts() -> dict[str, int]:
        return {
            t.name: int(db.execute(select(func.count()).select_from(t)).scalar_one())
            for t in watched
        }

    before = counts()
    gets = [path for method, path in app_routes(app) if method == "GET"]
    with CheckedClient(app) as client:
        for role in ROLES:
            client.cookies.clear()
            if sessions[role] is not None:
                client.cookies.set(session_cookie_name(), sessions[role][0])  # type: ignore[index]
            for template in gets:
                client.get(world.path(template), follow_redirects=False)
    assert counts() == before
