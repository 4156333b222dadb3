"""In Chromium, axe-core finds no WCAG 2.1 A or AA violation on the pages a patient or a helper
uses, in French and in English, on a phone (390 px) and on a desktop screen.

axe-core is installed at the version locked in tests/browser/axe by `make setup-test` and
injected from that file: nothing is loaded from the network while the test runs."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from app.clock import today
from app.letters.identity import Identity
from app.models.base import utcnow
from app.models.organisation import PatientFile
from app.organisations.access import ADMIN
from app.patients.files import set_identity, store_letter
from app.proceedings.events import Event
from app.proceedings.service import record, track_letter
from tests.support.browser import sign_in
from tests.support.world import IDENTITY, make_association, make_mandate, make_staff, make_user

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / ".tools/axe/node_modules/axe-core/axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
WIDTHS = {"phone": 390, "desktop": 1280}


def axe_script() -> Path:
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make setup-test`, which installs it")
    return AXE


def violations(page: Any) -> list[str]:
    """axe's WCAG 2.1 A/AA violations on the page as shown, one line per rule and element."""
    page.add_script_tag(path=str(axe_script()))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['failureSummary']}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


@pytest.fixture
def axe_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh context where the page's CSP lets the test inject axe (the site's stays on)."""
    context = browser.new_context(bypass_csp=True, base_url=live_server.url, locale="fr-FR")
    yield context.new_page()
    context.close()


def patient_and_helper(engine: Any, email: str) -> tuple[uuid.UUID, uuid.UUID]:
    """A patient with a tracked request, who also runs an association with one member."""
    with Session(engine, expire_on_commit=False) as db:
        user = make_user(db, email)
        own = PatientFile(user_id=user.id)
        db.add(own)
        db.flush()
        set_identity(db, own, Identity.model_validate(IDENTITY))
        letter = store_letter(db, own, "access", "doctolib", IDENTITY, None, user.id, today())
        proceeding, _created = track_letter(db, own, letter, user.id, today())
        sent = Event(kind="sent", date=today(), channel="post", reference="1A 123 456 7890 1")
        record(db, proceeding, sent, today())
        association = make_association(db, f"Les Amis {email}")
        make_staff(db, association, user, ADMIN)
        member = PatientFile(association_id=association.id, consent_at=utcnow())
        db.add(member)
        db.flush()
        set_identity(db, member, Identity.model_validate(IDENTITY))
        make_mandate(db, member, user)
        db.commit()
        return proceeding.id, member.id


def pages(proceeding: uuid.UUID, member: uuid.UUID) -> list[str]:
    return [
        "/",
        "/decouvrir",
        "/decouvrir/questions/rendez-vous",
        "/decouvrir/liste",
        "/plateformes",
        "/plateformes/doctolib",
        "/observatoire",
        "/connexion",
        "/inscription",
        "/confidentialite",
        "/compte",
        "/compte/identite",
        "/compte/lettres",
        "/compte/journal",
        "/compte/rappels",
        "/compte/mot-de-passe",
        "/compte/supprimer",
        "/suivi",
        f"/suivi/{proceeding}",
        f"/suivi/{proceeding}/etapes/reception",
        f"/suivi/{proceeding}/verifier",
        "/association",
        f"/association/membres/{member}",
        f"/association/membres/{member}/mandats/nouveau",
    ]


def letter_form(page: Any) -> list[str]:
    """Walk the letter form to Doctolib; axe's findings on each step, by step."""
    found: list[str] = []
    page.goto("/lettres?q=doctolib")
    found += [f"/lettres: {line}" for line in violations(page)]
    page.locator("form:has(input[name=slug][value=doctolib]) button").click()
    assert page.url.endswith("/lettres/demande"), page.url
    found += [f"/lettres/demande: {line}" for line in violations(page)]
    page.locator("input[name=kind][value=access]").check()
    page.locator("form[action='/lettres/demande'] button[type=submit]").click()
    assert "/lettres/options/" in page.url, page.url
    found += [f"{page.url}: {line}" for line in violations(page)]
    page.goto("/lettres/identite")
    found += [f"/lettres/identite: {line}" for line in violations(page)]
    page.goto("/lettres/apercu")
    found += [f"/lettres/apercu: {line}" for line in violations(page)]
    return found


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("locale", ["fr", "en"])
def test_axe_finds_no_violation_on_the_main_pages(
    axe_page: Any, live_server: Any, locale: str, width: str
) -> None:
    page = axe_page
    email = f"axe.{locale}.{width}@example.org"
    proceeding, member = patient_and_helper(live_server.engine, email)
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    sign_in(page, email)
    page.goto(f"/langue/{locale}")
    found: list[str] = []
    for path in pages(proceeding, member):
        response = page.goto(path)
        assert response is not None, path
        assert response.status == 200, (path, response.status)
        assert page.locator("html").get_attribute("lang") == locale, path
        found += [f"{path}: {line}" for line in violations(page)]
    found += letter_form(page)
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)


def test_the_check_reports_a_field_without_a_label(axe_page: Any) -> None:
    axe_page.goto("/connexion")
    axe_page.evaluate("document.querySelector('label[for=field-email]').remove()")
    assert any(line.startswith("label ") for line in violations(axe_page))
