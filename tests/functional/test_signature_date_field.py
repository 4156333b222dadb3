"""A member's page with several mandates not yet signed: each signature date field has ids of
its own, and a refused date comes back next to the mandate it was typed for (a 422 page, the
error summary's link leading to that field), not as a general error page."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from typing import Any

from sqlmodel import Session

from app.clock import today
from app.models.organisation import Mandate, PatientFile
from app.organisations.mandates import MandateScope
from app.security.fields import seal
from tests.conftest import csrf_from
from tests.support.pages import as_role
from tests.support.world import build_world, typed_date


def _unsigned(db: Session, file_id: uuid.UUID, starts: dt.date) -> Mandate:
    scope = MandateScope(
        rights=["access"],
        platforms=["doctolib"],
        starts_on=starts,
        ends_on=starts + dt.timedelta(days=90),
    )
    mandate = Mandate(file_id=file_id, scope_sealed=b"", starts_on=starts, ends_on=scope.ends_on)
    mandate.scope_sealed = seal(mandate, "scope_sealed", scope.model_dump(mode="json"))
    db.add(mandate)
    db.flush()
    return mandate


def test_a_refused_signature_date_is_said_next_to_its_own_mandate(app: Any, db: Session) -> None:
    world = build_world(db)
    file_id = world.ids["member_file"]
    day = today()
    first = _unsigned(db, file_id, day)
    second = _unsigned(db, file_id, day + dt.timedelta(days=1))
    db.commit()
    member_path = f"/association/membres/{file_id}"
    with as_role(app, world, "admin") as admin:
        page = admin.get(member_path)
        for mandate in (first, second):
            assert f'id="field-signed_on-{mandate.id}"' in page.text
        refused = admin.post(
            f"{member_path}/mandats/{second.id}/signature",
            data={
                **typed_date("signed_on", day + dt.timedelta(days=3)),
                "csrf_token": csrf_from(page.text),
            },
        )
    assert refused.status_code == 422
    text = refused.text
    assert f'id="error-signed_on-{second.id}"' in text
    assert f'id="error-signed_on-{first.id}"' not in text
    assert re.findall(r'<div class="error-summary".*?href="(#[^"]+)"', text, re.S) == [
        f"#field-signed_on-{second.id}"
    ]
    # What was typed stays in that mandate's field; the other keeps today's date.
    typed = str((day + dt.timedelta(days=3)).year)
    assert re.search(rf'id="field-signed_on-{second.id}_year"[^>]*value="{typed}"', text), (
        "the typed year is shown again"
    )
    db.expire_all()
    for mandate in (first, second):
        stored = db.get(Mandate, mandate.id)
        assert stored is not None
        assert stored.signed_on is None
    assert db.get(PatientFile, file_id) is not None
