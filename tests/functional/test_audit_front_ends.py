"""The services record a helper's looks and downloads in the member's access log (issue 11
item 7): the site and the API call the same service, and each look or download leaves exactly
one line, whichever front end it came through."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from app import clock
from app.cookies import session_cookie_name
from app.models.organisation import AuditEntry
from app.organisations.audit import AuditAction
from tests.support.pagecheck import CheckedClient
from tests.support.world import World, api_token, build_world

HELPER = "helper_with_mandate"


@pytest.fixture
def world(db: Session) -> World:
    return build_world(db)


def _lines(db: Session, world: World, action: AuditAction) -> int:
    db.expire_all()
    query = select(func.count()).where(
        col(AuditEntry.file_id) == world.ids["member_file"], col(AuditEntry.action) == action
    )
    return int(db.exec(query).one())


def _site(app: Any, world: World) -> CheckedClient:
    client = CheckedClient(app)
    tokens = world.sign_in(HELPER)
    assert tokens is not None
    client.cookies.set(session_cookie_name(), tokens[0])
    return client


def _api(app: Any, db: Session, world: World) -> tuple[CheckedClient, dict[str, str]]:
    return CheckedClient(app), {"Authorization": f"Bearer {api_token(db, world.users[HELPER])}"}


def test_looking_at_a_member_page_and_dossier_leaves_one_line_each(
    app: Any, db: Session, world: World
) -> None:
    member = world.path("/association/membres/{file_id}")
    with _site(app, world) as site:
        assert site.get(member).status_code == 200
        assert _lines(db, world, AuditAction.MEMBER_VIEWED) == 1
        assert _lines(db, world, AuditAction.DOSSIER_VIEWED) == 0
        assert site.get(member + "/dossier").status_code == 200
        assert _lines(db, world, AuditAction.DOSSIER_VIEWED) == 1
        assert _lines(db, world, AuditAction.MEMBER_VIEWED) == 1


def test_downloading_a_member_letter_leaves_one_line_naming_its_recipient(
    app: Any, db: Session, world: World
) -> None:
    with _site(app, world) as site:
        answer = site.get(
            world.path("/association/membres/{file_id}/lettres/{letter_id}/lettre.pdf")
        )
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")
    assert _lines(db, world, AuditAction.LETTER_DOWNLOADED) == 1
    detail = db.exec(
        select(AuditEntry).where(col(AuditEntry.action) == AuditAction.LETTER_DOWNLOADED)
    ).one()
    assert detail.file_id == world.ids["member_file"]


def test_a_proceeding_looked_at_on_the_site_and_through_the_api_leaves_one_line_each(
    app: Any, db: Session, world: World
) -> None:
    with _site(app, world) as site:
        assert site.get(world.path("/suivi/{proceeding_id}")).status_code == 200
    assert _lines(db, world, AuditAction.TRACKING_VIEWED) == 1
    client, headers = _api(app, db, world)
    with client:
        answer = client.get(world.path("/api/v1/proceedings/{proceeding_id}"), headers=headers)
    assert answer.status_code == 200
    assert _lines(db, world, AuditAction.TRACKING_VIEWED) == 2


def test_a_proceeding_letter_downloaded_from_the_site_and_the_api_leaves_one_line_each(
    app: Any, db: Session, world: World
) -> None:
    with _site(app, world) as site:
        answer = site.get(world.path("/suivi/{proceeding_id}/lettres/{letter_id}/lettre.pdf"))
    assert answer.status_code == 200
    assert _lines(db, world, AuditAction.LETTER_DOWNLOADED) == 1
    client, headers = _api(app, db, world)
    with client:
        path = world.path("/api/v1/proceedings/{proceeding_id}/letters/{letter_id}")
        answer = client.get(path, headers=headers)
    assert answer.status_code == 200
    assert answer.content.startswith(b"%PDF")
    assert _lines(db, world, AuditAction.LETTER_DOWNLOADED) == 2
    # Another proceeding's letter: not found, and nothing written.
    client, headers = _api(app, db, world)
    with client:
        wrong = world.path("/api/v1/proceedings/{proceeding_id}/letters/") + str(
            world.ids["own_letter"]
        )
        assert client.get(wrong, headers=headers).status_code == 404
    assert _lines(db, world, AuditAction.LETTER_DOWNLOADED) == 2


def test_an_event_recorded_through_the_api_leaves_one_line(
    app: Any, db: Session, world: World
) -> None:
    client, headers = _api(app, db, world)
    with client:
        answer = client.post(
            world.path("/api/v1/proceedings/{proceeding_id}/events"),
            headers=headers,
            json={"kind": "sent", "date": clock.today().isoformat(), "channel": "email"},
        )
    assert answer.status_code == 201, answer.text
    assert _lines(db, world, AuditAction.TRACKING_UPDATED) == 1
