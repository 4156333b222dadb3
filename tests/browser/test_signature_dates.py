"""In Chromium, as an association's administrator: a member with two mandates not yet signed,
a signature date refused for the second one. The page comes back with the message next to that
mandate's date field (each field has ids of its own), the error summary's link leads to it, and
the other mandate's field says nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlmodel import Session

from app import clock
from app.models.base import utcnow
from app.models.organisation import Mandate, PatientFile
from app.organisations.access import ADMIN
from app.organisations.mandates import MandateScope
from app.security.fields import seal
from tests.support.browser import sign_in
from tests.support.world import make_association, make_staff, make_user

pytestmark = pytest.mark.browser


def _unsigned(db: Session, file: PatientFile, starts: dt.date) -> Mandate:
    scope = MandateScope(
        rights=["access"],
        platforms=["doctolib"],
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=90),
    )
    mandate = Mandate(
        file_id=file.id, scope_sealed=b"", starts_on=scope.starts_on, ends_on=scope.ends_on
    )
    mandate.scope_sealed = seal(mandate, "scope_sealed", scope.model_dump(mode="json"))
    db.add(mandate)
    db.flush()
    return mandate


def test_a_refused_signature_date_shows_next_to_its_own_mandate(
    page: Any, live_server: Any
) -> None:
    day = clock.today()
    with Session(live_server.engine, expire_on_commit=False) as db:
        admin = make_user(db, "admin.signatures@example.org", "Claire Admin")
        association = make_association(db, "Association des patients du Grand Est")
        make_staff(db, association, admin, ADMIN)
        file = PatientFile(association_id=association.id, consent_at=utcnow())
        db.add(file)
        db.flush()
        first = _unsigned(db, file, day)
        second = _unsigned(db, file, day + dt.timedelta(days=1))
        db.commit()
    sign_in(page, "admin.signatures@example.org")
    page.goto(f"/association/membres/{file.id}")
    fields = page.locator("fieldset.date-field")
    assert fields.count() == 2
    # The second mandate's date: a day that does not exist.
    target = page.locator(f"#field-signed_on-{second.id}")
    target.fill("32")
    target.locator("xpath=ancestor::form").get_by_role(
        "button", name="Enregistrer la signature"
    ).click()
    message = page.locator(f"#error-signed_on-{second.id}")
    assert message.is_visible()
    assert "jour" in message.inner_text()
    assert page.locator(f"#error-signed_on-{first.id}").count() == 0
    assert page.locator(f"#field-signed_on-{second.id}").get_attribute("aria-invalid") == "true"
    assert page.locator(f"#field-signed_on-{second.id}").input_value() == "32"
    assert page.locator(f"#field-signed_on-{first.id}").input_value() == str(day.day)
    link = page.locator(".error-summary a")
    assert link.count() == 1
    assert link.get_attribute("href") == f"#field-signed_on-{second.id}"
    link.click()
    assert page.evaluate("document.activeElement.id") == f"field-signed_on-{second.id}"
