"""Issue 13.9: an association's office registers many members from one network address. The
per-address limit on sign-ups and resets counts failures, not new accounts; administrators
create member files without any member signing up."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from app.accounts import users
from app.models.organisation import PatientFile
from tests.conftest import CapturedMail, csrf_from
from tests.support.pages import as_role
from tests.support.world import build_world, make_user

PASSWORD = "un chat roux dort sous la pluie"
OFFICE = "203.0.113.7"


def test_an_office_signs_up_many_people_from_one_address(db: Session, mail: CapturedMail) -> None:
    for number in range(15):
        users.sign_up(db, f"membre{number}@example.org", PASSWORD, OFFICE)
    assert len(mail.messages) == 15


def test_failures_from_one_address_are_still_limited(db: Session, mail: CapturedMail) -> None:
    make_user(db, "deja@example.org")
    for _attempt in range(10):
        users.sign_up(db, "deja@example.org", PASSWORD, OFFICE)
    with pytest.raises(users.SignInRefused):
        users.sign_up(db, "deja@example.org", PASSWORD, OFFICE)
    with pytest.raises(users.SignInRefused):
        users.reset(db, "personne@example.org", OFFICE)


def test_resets_for_accounts_that_exist_do_not_count(db: Session, mail: CapturedMail) -> None:
    for number in range(12):
        make_user(db, f"membre{number}@example.org")
        users.reset(db, f"membre{number}@example.org", OFFICE)
    assert len(mail.messages) == 12


def test_administrators_create_member_files_without_sign_ups(app: Any, db: Session) -> None:
    world = build_world(db)
    db.commit()
    with as_role(app, world, "admin") as admin:
        token = csrf_from(admin.get("/association/membres/nouveau").text)
        for number in range(12):
            created = admin.post(
                "/association/membres",
                data={
                    "given_name": f"Membre {number}",
                    "family_name": "Roux",
                    "consent": "oui",
                    "csrf_token": token,
                },
                follow_redirects=False,
            )
            assert created.status_code == 303
    files = db.exec(select(PatientFile).where(PatientFile.user_id == None)).all()  # noqa: E711
    assert len(files) == 12
