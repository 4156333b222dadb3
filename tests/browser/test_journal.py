"""In Chromium, at 390 px: the member's access journal gives times in Paris time, as people
say them, with the helper and their association, and no sideways scrolling."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlmodel import Session

from app.models.organisation import AuditEntry, PatientFile
from app.security.fields import seal
from tests.support.browser import sign_in
from tests.support.world import make_association, make_user

pytestmark = pytest.mark.browser


def test_the_journal_reads_in_paris_time_on_a_phone(page: Any, live_server: Any) -> None:
    with Session(live_server.engine, expire_on_commit=False) as db:
        member = make_user(db, "membre.journal@example.org")
        association = make_association(db, "Association des patients du Grand Est")
        file = PatientFile(user_id=member.id, association_id=association.id)
        db.add(file)
        db.flush()
        entry = AuditEntry(
            file_id=file.id,
            action="suivi.consulte",
            at=dt.datetime(2026, 12, 5, 3, 53, tzinfo=dt.UTC),
        )
        entry.actor_sealed = seal(
            entry, "actor_sealed", "Claire Aide (Association des patients du Grand Est)"
        )
        db.add(entry)
        db.commit()
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, "membre.journal@example.org")
    page.goto("/compte/journal")
    text = page.locator("main").inner_text()
    assert "5 décembre 2026 à 4 h 53" in text
    assert "UTC" not in text
    assert "2026-12-05" not in text
    assert "Claire Aide (Association des patients du Grand Est)" in text
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


def test_the_privacy_page_has_no_sideways_scrolling_on_a_phone(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto("/confidentialite")
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
