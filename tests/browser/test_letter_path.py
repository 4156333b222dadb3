"""A patient walks the whole path in Chromium and downloads the PDF."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import fill_identity
from tests.support.texts import plain

pytestmark = pytest.mark.browser

HOSTILE_NAME = '<b>Zoé</b> <img src=x onerror=alert(1)> "l\'Été" 😀'


def accept_the_recommended_erasure(page: Any) -> None:
    """The kind page, then the two erasure questions, left as they are."""
    assert page.get_by_role("heading", level=1).inner_text().startswith("Quelle lettre")
    assert page.get_by_label("Faire effacer mes données — recommandé").is_checked()
    page.get_by_role("button", name="Continuer").click()
    heading = page.get_by_role("heading", level=1).inner_text()
    assert plain(heading) == "Pourquoi demandez-vous l'effacement ?"
    assert page.get_by_label("Je n'utilise plus ce service").is_checked()
    page.get_by_role("button", name="Continuer").click()
    assert (
        plain(page.get_by_role("heading", level=1).inner_text())
        == "Voulez-vous aussi fermer votre compte ?"
    )
    page.get_by_role("button", name="Continuer").click()


def test_walk_the_path_and_download_the_letter(page: Any, live_server: Any, tmp_path: Path) -> None:
    page.goto("/")
    page.get_by_role("link", name="Écrire une lettre").first.click()
    page.get_by_label("Nom de la plateforme", exact=True).fill("doctolib")
    page.get_by_role("button", name="Rechercher").click()
    page.get_by_role("button", name="Choisir Doctolib", exact=True).click()
    accept_the_recommended_erasure(page)
    assert plain(page.get_by_role("heading", level=1).inner_text()) == "Qui êtes-vous ?"

    fill_identity(page, HOSTILE_NAME)
    page.get_by_role("button", name="Voir ma lettre").click()
    assert plain(page.get_by_role("heading", level=1).inner_text()) == "Relisez votre lettre"
    assert HOSTILE_NAME in page.locator(".paper").inner_text()
    assert page.locator(".paper img").count() == 0  # the name stayed text

    with page.expect_download() as download_info:
        page.get_by_role("link", name="La lettre en PDF, à imprimer").click()
    download = download_info.value
    assert download.suggested_filename == "reprise-effacement-doctolib.pdf"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert HOSTILE_NAME in text
    assert "article 17" in text
    assert "Doctolib SAS" in text

    origins = {url.split("/", 3)[2] for url in page.requested if url.startswith("http")}
    assert origins == {f"127.0.0.1:{live_server.port}"}


def test_errors_are_announced_and_focused(page: Any) -> None:
    page.goto("/lettres?q=withings")
    page.get_by_role("button", name="Choisir Withings", exact=True).click()
    accept_the_recommended_erasure(page)
    page.get_by_role("button", name="Voir ma lettre").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    assert plain(page.title()).startswith("Erreur :")
    summary.get_by_role("link", name="Indiquez votre prénom.").click()
    assert page.evaluate("document.activeElement.id") == "field-given_name"


def test_keyboard_users_can_skip_to_content(page: Any) -> None:
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Aller au contenu principal"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"


def test_pages_work_without_javascript(browser: Any, live_server: Any) -> None:
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, locale="fr-FR"
    )
    page = context.new_page()
    page.goto("/lettres?q=livi")
    page.get_by_role("button", name="Choisir Livi", exact=True).click()
    page.get_by_label("Obtenir mon dossier médical").check()
    page.get_by_role("button", name="Continuer").click()
    for _question in range(4):  # who asks, to whom, how, how old: the defaults
        page.get_by_role("button", name="Continuer").click()
    fill_identity_without_identifier(page)
    page.get_by_role("button", name="Voir ma lettre").click()
    assert plain(page.get_by_role("heading", level=1).inner_text()) == "Relisez votre lettre"
    context.close()


def fill_identity_without_identifier(page: Any) -> None:
    page.get_by_label("Prénom", exact=True).fill("Jean")
    page.get_by_label("Nom de famille", exact=True).fill("Martin")
    page.get_by_label("Numéro et rue", exact=True).fill("3 place du Marché")
    page.get_by_label("Code postal", exact=True).fill("69001")
    page.get_by_label("Ville", exact=True).fill("Lyon")


def test_option_errors_are_announced_and_focused(page: Any) -> None:
    page.goto("/lettres?q=doctolib")
    page.get_by_role("button", name="Choisir Doctolib").click()
    page.get_by_role("button", name="Continuer").click()
    page.get_by_label("Je n'utilise plus ce service").uncheck()
    page.get_by_label("Je retire mon accord").uncheck()
    page.get_by_role("button", name="Continuer").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('error-summary')")
    summary.get_by_role("link", name="Cochez au moins une case.").click()
    assert page.evaluate("document.activeElement.id") == "field-grounds"
