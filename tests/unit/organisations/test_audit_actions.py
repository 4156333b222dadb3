"""The member's access log says what a helper did in words, never with a stored code (issue 11
item 7): every AuditAction has its label beside it, in French and English, and the services
record the changes themselves (a route cannot forget)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from sqlmodel import Session, select

from app.cookies import session_cookie_name
from app.i18n import use_locale
from app.models.organisation import AuditEntry, Mandate, PatientFile
from app.organisations import service
from app.organisations.access import actor_for
from app.organisations.audit import AUDIT_LABELS, AuditAction, AuditLine
from tests.support.pagecheck import CheckedClient
from tests.support.world import World, build_world

CODE = re.compile(r"\b[a-z]+\.[a-z]+\b")


def as_role(app: Any, world: World, role: str) -> CheckedClient:
    client = CheckedClient(app)
    tokens = world.sign_in(role)
    assert tokens is not None
    client.cookies.set(session_cookie_name(), tokens[0])
    return client


@pytest.fixture
def world(db: Session) -> World:
    return build_world(db)


@pytest.mark.parametrize("action", list(AuditAction))
def test_every_action_has_a_label_in_french_and_english(action: AuditAction) -> None:
    assert action in AUDIT_LABELS
    with use_locale("fr"):
        french = action.label
    with use_locale("en"):
        english = action.label
    assert french
    assert english
    assert french != english, "the English label is translated"
    assert not CODE.search(french)
    assert not CODE.search(english)


@pytest.mark.parametrize(
    ("code", "french"),
    [
        ("mandat.cree", "Mandat enregistré"),
        ("suivi.consulte", "Suivi d'une demande consulté"),
        ("lettre.telechargee", "Lettre téléchargée"),
        # a code an older version wrote still reads as words
        ("ancien.code", "Autre consultation ou modification"),
    ],
)
def test_a_logged_line_reads_as_its_label(code: str, french: str) -> None:
    import datetime as dt

    line = AuditLine(dt.datetime(2026, 12, 5, tzinfo=dt.UTC), "Claire", code, "")
    with use_locale("fr"):
        assert line.label == french


def test_the_journal_shows_labels_never_codes(app: Any, db: Session, world: World) -> None:
    file_id = world.ids["member_file"]
    for code in [*(str(action) for action in AuditAction), "ancien.code"]:
        db.add(AuditEntry(file_id=file_id, action=code))
    db.commit()
    with as_role(app, world, "patient") as member:
        page = html.unescape(member.get("/compte/journal").text)
    main = page[page.index("<main") :]
    with use_locale("fr"):
        for action in AuditAction:
            assert action.label in main
    assert "Autre consultation ou modification" in main
    assert [code for code in CODE.findall(main) if code in {*AuditAction, "ancien.code"}] == []


def test_the_services_record_the_changes_they_make(db: Session, world: World) -> None:
    """Revoking, signing and creating a mandate leave their line without the route's help."""
    admin = actor_for(db, world.users["admin"])
    file = db.get(PatientFile, world.ids["member_file"])
    assert file is not None
    mandate = db.get(Mandate, world.ids["mandate"])
    assert mandate is not None
    service.revoke_mandate(db, admin, file, mandate.id)

    def actions() -> list[str]:
        rows = db.exec(select(AuditEntry.action).where(AuditEntry.file_id == file.id)).all()
        return list(rows)

    assert actions() == [AuditAction.MANDATE_REVOKED]
    service.record_signature(db, admin, file, world.ids["own_mandate"], mandate.starts_on)
    assert sorted(actions()) == sorted([AuditAction.MANDATE_REVOKED, AuditAction.MANDATE_SIGNED])
