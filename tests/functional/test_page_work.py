"""Less work per page: no session row before something is stored, the catalogue list rendered
once per language, and public pages without a cookie never reach the database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlmodel import Session

from app.cookies import session_cookie_name
from app.models.session import Draft, WebSession
from app.web.routes.platforms import catalogue_html
from tests.conftest import csrf_from
from tests.support.pagecheck import CheckedClient


def sessions(db: Session) -> int:
    return int(db.execute(select(func.count()).select_from(WebSession)).scalar_one())


@pytest.mark.parametrize(
    "page", ["/decouvrir/questions/rendez-vous", "/lettres", "/connexion", "/plateformes/doctolib"]
)
def test_a_page_with_a_form_writes_no_session_until_a_form_is_sent(
    client: CheckedClient, db: Session, page: str
) -> None:
    shown = client.get(page)
    assert shown.status_code == 200
    token = client.cookies.get(session_cookie_name())
    assert token  # the browser has its token, so the form's CSRF token is bound to it
    assert sessions(db) == 0
    client.get("/decouvrir")  # more pages: the same token, still no row
    assert client.cookies.get(session_cookie_name()) == token
    assert sessions(db) == 0
    sent = client.post(
        "/decouvrir/questions/rendez-vous",
        data={"csrf_token": csrf_from(shown.text), "choice": ["doctolib"]},
        follow_redirects=False,
    )
    assert sent.status_code == 303  # the form shown first is accepted
    assert sessions(db) == 1
    assert int(db.execute(select(func.count()).select_from(Draft)).scalar_one()) == 1
    assert client.cookies.get(session_cookie_name()) == token


@pytest.fixture
def statements(db: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    connection = db.connection()

    def record(*args: Any) -> None:
        if "SAVEPOINT" not in str(args[2]):  # the test's own transaction, not the page's
            seen.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", record)
    yield seen
    event.remove(connection, "before_cursor_execute", record)


@pytest.mark.parametrize("page", ["/", "/decouvrir", "/plateformes", "/confidentialite"])
def test_public_pages_without_a_cookie_do_not_reach_the_database(
    client: CheckedClient, statements: list[str], page: str
) -> None:
    assert client.get(page).status_code == 200
    assert statements == []


def test_a_platform_page_reads_only_the_published_figures(
    client: CheckedClient, statements: list[str]
) -> None:
    """A platform's page shows the observatory's published figures: the month's first reader
    publishes them once; every later visitor only looks them up and computes nothing."""
    assert client.get("/plateformes/doctolib").status_code == 200
    assert any("observatory_fact" in sql for sql in statements)  # the month's publication
    statements.clear()
    for _visit in range(2):
        assert client.get("/plateformes/doctolib").status_code == 200
    read = [sql for sql in statements if "observatory" in sql]
    assert read
    assert all("observatory_publication" in sql or "observatory_cell" in sql for sql in read)


def test_the_catalogue_list_is_rendered_once_per_language(client: CheckedClient) -> None:
    catalogue_html.cache_clear()
    for _round in range(3):
        for language in ("fr", "en"):
            page = client.get("/plateformes", headers={"accept-language": language})
            assert "platform-item" in page.text
    info = catalogue_html.cache_info()
    assert (info.misses, info.hits) == (2, 4)
    english = client.get("/plateformes", headers={"accept-language": "en"}).text
    assert "Hospitals and clinics" in english


def test_the_session_its_person_and_their_role_come_in_one_query(
    db: Session, statements: list[str]
) -> None:
    from app.accounts.sessions import find_session_with_actor, start_session
    from tests.support.world import make_association, make_staff, make_user

    user = make_user(db, "benevole@example.org")
    staff = make_staff(db, make_association(db, "Association A"), user, "helper")
    started = start_session(db, user_id=user.id)
    db.commit()
    db.expunge_all()  # nothing known in advance: everything comes from the database
    statements.clear()
    found = find_session_with_actor(db, started.token)
    assert found is not None
    session, person, role = found
    assert (session.id, person and person.id, role and role.id) == (
        started.session.id,
        user.id,
        staff.id,
    )
    assert len(statements) == 1


def test_a_web_process_loads_what_it_uses_only_when_it_uses_it() -> None:
    """Start-up: the company search's HTTP client (httpx, the certificate authorities) and the
    PDF merger of packs (pikepdf) load with their first use, not with every web process."""
    import subprocess
    import sys

    code = (
        "import sys, app.main; app.main.create_app(); "
        "from app.catalogue.companies import build_company_search; "
        "from app.config import Settings; "
        "url = Settings.model_fields['company_search_url'].default; "
        "assert build_company_search(url).enabled; "
        "print(sorted(m for m in ('httpx', 'pikepdf', 'weasyprint') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
