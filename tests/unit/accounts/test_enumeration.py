"""Issue 10, item 5: sign-up and password reset do the same work whether or not the address
has an account, so neither their answer nor their timing tells who uses Reprise.
(bench/enumeration.py prints the median time of each path side by side.)"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import Session

from app.accounts import sign_in_links, users
from tests.conftest import CapturedMail, csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.world import make_user

PASSWORD = "un chat roux dort sous la pluie"


@pytest.fixture
def hashes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password the Argon2id hasher is asked to hash."""
    seen: list[str] = []
    real = users.hash_password

    def counting(password: str) -> str:
        seen.append(password)
        return real(password)

    monkeypatch.setattr(users, "hash_password", counting)
    return seen


@pytest.mark.parametrize("known", ["new", "verified", "unverified"])
def test_sign_up_hashes_once_and_sends_one_email_on_every_path(
    db: Session, mail: CapturedMail, hashes: list[str], known: str
) -> None:
    address = "claire.dumas@example.org"
    if known != "new":
        make_user(db, address, verified=known == "verified")
    hashes.clear()
    users.sign_up(db, address, PASSWORD, "192.0.2.1")
    assert hashes == [PASSWORD]
    assert len(mail.messages) == 1
    assert mail.messages[0]["To"] == address


@pytest.mark.parametrize("known", [True, False])
def test_reset_sends_one_email_whether_or_not_the_address_is_known(
    db: Session, mail: CapturedMail, known: bool
) -> None:
    address = "claire.dumas@example.org"
    if known:
        make_user(db, address)
    users.reset(db, address, "192.0.2.1")
    assert len(mail.messages) == 1
    body = mail.last_body()
    assert ("/mot-de-passe/nouveau/" in body) is known
    assert ("Aucun compte actif" in body) is not known


def test_the_page_answers_the_same_for_a_known_and_an_unknown_address(
    app: Any, db: Session, mail: CapturedMail
) -> None:
    make_user(db, "connue@example.org")
    db.commit()
    pages = []
    with CheckedClient(app) as client:
        for address in ("connue@example.org", "inconnue@example.org"):
            form = client.get("/inscription")
            response = client.post(
                "/inscription",
                data={"email": address, "password": PASSWORD, "csrf_token": csrf_from(form.text)},
                follow_redirects=False,
            )
            pages.append((response.status_code, response.headers.get("location")))
    assert pages[0] == pages[1] == (303, "/inscription/envoye")


class Statements:
    """The SQL statements a piece of work runs (their text, without the values)."""

    def __init__(self, db: Session) -> None:
        self.engine = db.get_bind()
        self.seen: list[str] = []

    def __enter__(self) -> list[str]:
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self.seen

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        self.seen.append(statement)


REQUESTS = {
    "sign-up": lambda db, address: users.request_sign_up(db, address, PASSWORD, "192.0.2.7"),
    "reset": lambda db, address: users.request_reset(db, address, "192.0.2.7"),
    "sign-in link": lambda db, address: sign_in_links.request_sign_in_link(
        db, address, "192.0.2.7"
    ),
}


@pytest.mark.parametrize("form", sorted(REQUESTS))
def test_what_happens_before_the_answer_is_the_same_for_every_address(
    db: Session, mail: CapturedMail, hashes: list[str], form: str
) -> None:
    """The answer is sent once the form is accepted; until then the same statements run, no
    password is hashed and no email leaves, whether or not the address has an account."""
    make_user(db, "connue@example.org")
    db.flush()
    hashes.clear()
    runs = []
    for address in ("connue@example.org", "inconnue@example.org"):
        with Statements(db) as seen:
            REQUESTS[form](db, address)
        runs.append(seen)
    assert runs[0] == runs[1]
    assert runs[0], "accepting the form counts the attempt"
    assert hashes == []
    assert mail.messages == []


@pytest.mark.parametrize("known", [True, False])
def test_the_reset_email_leaves_after_the_answer(
    app: Any, db: Session, mail: CapturedMail, known: bool
) -> None:
    """Through the site: the page answers, then the email (a link, or a note that there is no
    account) is sent by the work done after the answer."""
    address = "claire.dumas@example.org"
    if known:
        make_user(db, address)
        db.commit()
    with CheckedClient(app) as client:
        form = client.get("/mot-de-passe-oublie")
        response = client.post(
            "/mot-de-passe-oublie", data={"email": address, "csrf_token": csrf_from(form.text)}
        )
    assert response.status_code == 200
    # A next request on the same connection would wait for that work: the connection closes.
    assert response.headers["connection"] == "close"
    assert len(mail.messages) == 1
    assert ("/mot-de-passe/nouveau/" in mail.last_body()) is known
