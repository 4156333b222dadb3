"""In Chromium: sign up, confirm by the emailed link, sign in, sign out; a helper acts under a
mandate, then loses access as soon as the mandate is revoked. Every request stays on Reprise."""

from __future__ import annotations

import email
import re
import time
from typing import Any

import pytest
from sqlmodel import Session

from app.config import get_settings
from tests.support.texts import plain
from tests.support.world import PASSWORD, build_world

pytestmark = pytest.mark.browser


def outbox_link(prefix: str, before: set[str]) -> str:
    """The link in the newest email. The email leaves after the page has answered (see
    app/web/after_answer.py), so it may arrive a moment after the page shows."""
    folder = get_settings().var_dir / "outbox"
    deadline = time.monotonic() + 15
    while True:
        new = sorted(p for p in folder.glob("*.eml") if p.name not in before)
        if new or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert new, "no email written to the outbox"
    body = email.message_from_bytes(new[-1].read_bytes()).get_payload(decode=True).decode()
    match = re.search(rf"https?://[^\s]+({re.escape(prefix)}[^\s]+)", body)
    assert match, body
    return match.group(1)


def outbox_names() -> set[str]:
    folder = get_settings().var_dir / "outbox"
    return {p.name for p in folder.glob("*.eml")} if folder.exists() else set()


def same_origin(page: Any, live_server: Any) -> None:
    origins = {url.split("/", 3)[2] for url in page.requested if url.startswith("http")}
    assert origins == {f"127.0.0.1:{live_server.port}"}


def test_sign_up_confirm_sign_in_sign_out(page: Any, live_server: Any) -> None:
    before = outbox_names()
    page.goto("/")
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Adresse e-mail").fill("zoe.browser@example.org")
    page.get_by_label("Mot de passe").fill("court")
    page.get_by_role("button", name="Créer mon compte").click()
    assert plain(page.title()).startswith("Erreur :")
    assert "au moins 15 caractères" in page.locator(".error-summary").inner_text()
    page.get_by_label("Mot de passe").fill("une phrase assez longue pour zoe")
    page.get_by_role("button", name="Créer mon compte").click()
    assert plain(page.get_by_role("heading", level=1).inner_text()) == "Regardez vos e-mails"

    page.goto(outbox_link("/inscription/confirmer/", before))
    page.get_by_role("button", name="Confirmer mon adresse").click()
    assert "Votre adresse est confirmée" in page.locator("[role=status]").inner_text()

    page.get_by_label("Adresse e-mail").fill("zoe.browser@example.org")
    page.get_by_label("Mot de passe").fill("une phrase assez longue pour zoe")
    page.get_by_role("button", name="Me connecter").click()
    assert plain(page.get_by_role("heading", level=1).inner_text()) == "Mon compte"
    assert "zoe.browser@example.org" in page.locator("main").inner_text()

    page.get_by_role("button", name="Me déconnecter", exact=True).click()
    page.goto("/compte")
    assert plain(page.get_by_role("heading", level=1).inner_text()) == "Se connecter"
    same_origin(page, live_server)


def sign_in(page: Any, address: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(address)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Me connecter").click()
    assert plain(page.get_by_role("heading", level=1).inner_text()) == "Mon compte"


def test_a_helper_acts_under_a_mandate_then_loses_access_on_revocation(
    browser: Any, page: Any, live_server: Any
) -> None:
    with Session(live_server.engine, expire_on_commit=False) as db:
        build_world(db)
        db.commit()
    sign_in(page, "helper.with.mandate@example.org")
    page.get_by_role("link", name="Mon association").click()
    page.get_by_role("link", name="Ouvrir Paulette Martin").click()
    page.get_by_role("link", name="Ouvrir le dossier et agir pour ce membre").click()
    assert plain(page.get_by_role("heading", level=1).inner_text()) == "Dossier de Paulette Martin"
    page.get_by_role("button", name="Préparer la lettre").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger Doctolib").first.click()
    assert download.value.suggested_filename.endswith(".pdf")
    dossier = page.url

    admin_context = browser.new_context(base_url=live_server.url, locale="fr-FR")
    admin = admin_context.new_page()
    sign_in(admin, "admin@example.org")
    admin.goto("/association")
    admin.get_by_role("link", name="Ouvrir Paulette Martin").click()
    admin.get_by_role("button", name="Révoquer ce mandat confié à helper_with_mandate").click()
    assert "Révoqué" in admin.locator("main").inner_text()
    admin_context.close()

    response = page.goto(dossier)
    assert response.status == 403
    assert plain(page.get_by_role("heading", level=1).inner_text()) == "Accès refusé"

    member = browser.new_context(base_url=live_server.url, locale="fr-FR")
    patient = member.new_page()
    sign_in(patient, "patient@example.org")
    patient.get_by_role("link", name="Qui a consulté mon dossier").click()
    trail = patient.locator("table").inner_text()
    assert "helper_with_mandate" in trail
    assert "Dossier consulté" in trail
    assert "Lettre téléchargée" in trail
    member.close()
    same_origin(page, live_server)
