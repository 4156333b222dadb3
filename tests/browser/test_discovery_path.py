"""A patient finds who holds their data in Chromium: questions, checklist, adjustments, letters."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import stored_draft
from tests.support.texts import plain

pytestmark = pytest.mark.browser


def test_questions_checklist_adjust_and_write_the_letters(page: Any, live_server: Any) -> None:
    page.goto("/")
    page.get_by_role("link", name="Trouver qui a mes données").click()
    assert (
        plain(page.get_by_role("heading", level=1).inner_text()) == "Qui a vos données de santé ?"
    )
    page.get_by_role("link", name="Commencer").click()

    assert "Question 1 sur" in page.locator(".step-count").inner_text()
    page.get_by_label("Doctolib", exact=True).check()
    page.get_by_role("button", name="Continuer").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Avez-vous consulté")
    page.get_by_role("button", name="Continuer").click()  # no teleconsultation: nothing ticked
    page.get_by_label("AP-HP (Assistance publique – Hôpitaux de Paris)", exact=True).check()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("link", name="Aller directement à ma liste").click()

    assert plain(page.get_by_role("heading", level=1).inner_text()) == "Votre liste : à qui écrire"
    hospital = page.locator(".checklist-item").first
    assert "R1112-7" in hospital.inner_text()
    request = page.get_by_label(
        "Demande à envoyer à AP-HP (Assistance publique – Hôpitaux de Paris)"
    )
    assert request.input_value() == "medical-record"
    request.select_option("access")
    page.get_by_label("Entrepôt de données de santé de l'AP-HP", exact=True).check()
    page.get_by_label("Doctolib", exact=True).uncheck()
    page.get_by_role("button", name="Écrire les lettres").click()

    assert page.url.endswith("/lettres/lot")
    assert stored_draft(page, live_server)["selection"] == [
        {"platform": "ap-hp", "kind": "access"},
        {"platform": "eds-aphp", "kind": "objection"},
    ]
    origins = {url.split("/", 3)[2] for url in page.requested if url.startswith("http")}
    assert origins == {f"127.0.0.1:{live_server.port}"}


def test_an_empty_choice_is_announced_and_focused(page: Any) -> None:
    page.goto("/decouvrir/questions/adn")
    page.get_by_label("23andMe", exact=True).check()
    page.get_by_role("button", name="Continuer").click()
    page.goto("/decouvrir/liste")
    page.get_by_label("23andMe", exact=True).uncheck()
    page.get_by_role("button", name="Écrire les lettres").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    summary.get_by_role("link", name="Cochez au moins un organisme à qui écrire.").click()
    assert page.evaluate("document.activeElement.id") == "field-include"


def test_the_path_works_without_javascript(browser: Any, live_server: Any) -> None:
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, locale="fr-FR"
    )
    page = context.new_page()
    page.goto("/decouvrir/questions/objets-connectes")
    page.get_by_label("Withings", exact=True).check()
    page.get_by_role("button", name="Continuer").click()
    page.goto("/decouvrir/organisme")
    page.get_by_label("Nom de l'organisme").fill("Clinique du Parc")
    page.get_by_label("Numéro et rue").fill("1 rue du Parc")
    page.get_by_label("Code postal").fill("69006")
    page.locator("#field-town").fill("Lyon")
    page.get_by_label("Type d'organisme").select_option("hospital")
    page.get_by_role("button", name="Ajouter à ma liste").click()
    assert plain(page.get_by_role("heading", level=1).inner_text()) == "Votre liste : à qui écrire"
    assert (
        page.get_by_label("Demande à envoyer à Clinique du Parc").input_value() == "medical-record"
    )
    page.get_by_role("button", name="Écrire les lettres").click()
    assert page.url.endswith("/lettres/lot")
    context.close()
