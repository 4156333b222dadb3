"""Issue 10, item 12: sign-ins, failures and refusals name the account and the client's address,
as pseudonyms (keyed hashes), and still no personal data."""

from __future__ import annotations

import logging
import re
from typing import Any

import pytest
from sqlmodel import Session

from app.security.fields import pseudonym
from tests.conftest import csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.pages import as_role
from tests.support.world import PASSWORD, build_world

EVENT = re.compile(r"account=([0-9a-f]{16}|-) from=([0-9a-f]{16})$")


def sign_in(app: Any, email: str, password: str) -> None:
    with CheckedClient(app) as client:
        page = client.get("/connexion")
        client.post(
            "/connexion",
            data={"email": email, "password": password, "csrf_token": csrf_from(page.text)},
        )


def lines(caplog: pytest.LogCaptureFixture, start: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith(start)]


def test_sign_ins_and_failures_name_a_pseudonymous_account_and_the_address(
    app: Any, db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    world = build_world(db)
    db.commit()
    patient = world.users["patient"]
    caplog.set_level(logging.INFO)
    sign_in(app, "patient@example.org", "pas le bon mot de passe du tout")
    sign_in(app, "patient@example.org", PASSWORD)
    sign_in(app, "personne@example.org", "pas le bon mot de passe du tout")
    failed = lines(caplog, "sign-in failed")
    succeeded = lines(caplog, "sign-in succeeded")
    assert len(failed) == 2
    assert len(succeeded) == 1
    for line in (*failed, *succeeded):
        match = EVENT.search(line)
        assert match, line
        assert match.group(2) == pseudonym("address:testclient")
    # The same account reads the same in every line; an unknown one reads differently.
    assert EVENT.search(failed[0]).group(1) == pseudonym(f"account:{patient.id}")  # type: ignore[union-attr]
    assert EVENT.search(succeeded[0]).group(1) == pseudonym(f"account:{patient.id}")  # type: ignore[union-attr]
    assert EVENT.search(failed[1]).group(1) != pseudonym(f"account:{patient.id}")  # type: ignore[union-attr]
    logged = caplog.text
    for personal in ("patient@example.org", "personne@example.org", str(patient.id), "testclient"):
        assert personal not in logged


def test_a_refusal_names_who_was_refused(
    app: Any, db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    world = build_world(db)
    db.commit()
    caplog.set_level(logging.WARNING)
    with as_role(app, world, "other_patient") as client:
        assert client.get(f"/association/membres/{world.ids['member_file']}").status_code == 403
    refused = lines(caplog, "authorisation refused")
    assert len(refused) == 1
    match = EVENT.search(refused[0])
    assert match
    assert match.group(1) == pseudonym(f"account:{world.users['other_patient'].id}")
    assert match.group(2) == pseudonym("address:testclient")
    assert "other.patient@example.org" not in caplog.text
