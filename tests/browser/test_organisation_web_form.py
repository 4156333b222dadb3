"""In Chromium, in the letter wizard: an organisation abroad that takes requests through a web
form. A web form typed wrongly is said next to its field; typed right, with the country chosen,
the letter that follows says where to send it."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

FORM = "https://www.example.org/donnees-personnelles"


def test_an_organisation_abroad_with_a_web_form(page: Any) -> None:
    page.goto("/lettres/organisme")
    page.get_by_label("Nom de l'organisme").fill("Clinique Exemple")
    page.get_by_label("Code postal et ville").fill("1000 Bruxelles")
    page.get_by_label("Pays").select_option("BE")
    page.get_by_label("Formulaire en ligne pour les données personnelles").fill("www.example.org")
    page.get_by_role("button", name="Continuer").click()
    message = page.locator("#error-web_form")
    assert "https://" in message.inner_text()
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "field-web_form"
    assert page.get_by_label("Pays").input_value() == "BE"  # the choice is kept
    page.get_by_label("Formulaire en ligne pour les données personnelles").fill(FORM)
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url("**/lettres/demande")
    page.goto("/lettres/organisme")
    assert page.get_by_label("Pays").input_value() == "BE"
    assert (
        page.get_by_label("Formulaire en ligne pour les données personnelles").input_value() == FORM
    )
