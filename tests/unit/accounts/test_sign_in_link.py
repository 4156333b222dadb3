"""Issue 10, item 10: a stranger cannot lock a person out. Sign-in failures count per account
and address (with a high ceiling for the account from everywhere), and an owner whose sign-ins
are throttled gets in through a one-time link sent by email."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from app.accounts import users
from app.config import get_settings
from tests.conftest import CapturedMail, csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.pages import sign_in
from tests.support.world import PASSWORD, make_user

EMAIL = "camille.durand@example.org"
WRONG = "devine devine devine"


def test_a_stranger_elsewhere_cannot_lock_the_owner_out(db: Session) -> None:
    make_user(db, EMAIL)
    db.commit()
    for _attempt in range(5):
        with pytest.raises(users.SignInRefused, match="wrong"):
            users.authenticate(db, EMAIL, WRONG, "198.51.100.9")
        db.commit()  # as the route does with a failure
    with pytest.raises(users.SignInRefused, match="throttled"):
        users.authenticate(db, EMAIL, WRONG, "198.51.100.9")
    db.rollback()  # as the route does with a refused attempt
    assert users.authenticate(db, EMAIL, PASSWORD, "203.0.113.5").email_index


def test_guessing_from_many_addresses_meets_a_ceiling(
    db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(get_settings(), "login_failures_per_account", 1)
    make_user(db, EMAIL)
    for number in range(10):  # one failure from each of ten addresses: the ceiling
        with pytest.raises(users.SignInRefused, match="wrong"):
            users.authenticate(db, EMAIL, WRONG, f"198.51.100.{number}")
    with pytest.raises(users.SignInRefused, match="throttled"):
        users.authenticate(db, EMAIL, PASSWORD, "203.0.113.5")


def test_a_throttled_owner_gets_in_through_an_emailed_link(
    app: Any, db: Session, mail: CapturedMail
) -> None:
    make_user(db, EMAIL)
    db.commit()
    with CheckedClient(app) as client:
        for _attempt in range(5):
            assert sign_in(client, EMAIL, WRONG).status_code == 422
        throttled = sign_in(client, EMAIL, PASSWORD)
        assert throttled.status_code == 429
        assert "Recevoir un lien de connexion" in throttled.text
        sent = client.post(
            "/connexion/lien", data={"email": EMAIL, "csrf_token": csrf_from(throttled.text)}
        )
        assert sent.status_code == 200
        link = mail.link("/connexion/lien/")
        page = client.get(link)
        form = {"token": link.rsplit("/", 1)[1], "csrf_token": csrf_from(page.text)}
        entered = client.post("/connexion/lien/valider", data=form, follow_redirects=False)
        assert entered.status_code == 303, entered.text[:500]
        assert entered.headers["location"] == "/compte"
        account = client.get("/compte")
        assert account.status_code == 200
        # The link served once.
        form["csrf_token"] = csrf_from(account.text)
        again = client.post("/connexion/lien/valider", data=form, follow_redirects=False)
        assert again.headers["location"] == "/connexion?fait=lien-invalide"


def test_a_link_is_asked_for_an_unknown_address_with_the_same_answer(
    app: Any, db: Session, mail: CapturedMail
) -> None:
    make_user(db, EMAIL)
    db.commit()
    answers = []
    with CheckedClient(app) as client:
        for address in (EMAIL, "personne@example.org"):
            token = csrf_from(client.get("/connexion").text)
            response = client.post("/connexion/lien", data={"email": address, "csrf_token": token})
            answers.append((response.status_code, response.text.count("Regardez vos e-mails")))
    assert answers[0] == answers[1] == (200, 1)
    assert [m["To"] for m in mail.messages] == [EMAIL]
