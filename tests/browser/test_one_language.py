"""In Chromium, in English: the shared macros and partials speak English too, and the
catalogue's French text is marked as French for screen readers (WCAG 3.1.2)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import sign_in, tracked_request

pytestmark = pytest.mark.browser


def test_error_boxes_and_identity_fields_are_in_english(page: Any, live_server: Any) -> None:
    tracked_request(live_server.engine, "english.reader@example.org")
    sign_in(page, "english.reader@example.org")
    page.goto("/langue/en")
    page.goto("/compte/identite")
    assert page.locator("html").get_attribute("lang") == "en"
    legends = page.locator("legend").all_inner_texts()
    assert "Name" in legends
    assert "Platforms often answer by post, to this address." in page.locator("main").inner_text()
    page.get_by_label("First name", exact=True).fill("")
    page.locator("main form button[type=submit]").first.click()
    summary = page.locator(".error-summary")
    assert summary.get_by_role("heading").inner_text() == "There is a problem"
    assert "Il y a un problème" not in page.content()


def test_french_catalogue_text_in_an_english_page_is_marked_french(page: Any) -> None:
    page.goto("/langue/en")
    page.goto("/plateformes/doctolib")
    summary = page.locator("p.lead")
    assert summary.get_attribute("lang") == "fr"
    page.goto("/langue/fr")
    page.goto("/plateformes/doctolib")
    assert page.locator("p.lead").get_attribute("lang") is None


def test_a_password_can_be_shown_to_check_what_was_typed(page: Any) -> None:
    page.goto("/connexion")
    field = page.get_by_label("Mot de passe", exact=True)
    field.fill("le chat dort")
    assert field.get_attribute("type") == "password"
    page.get_by_role("button", name="Afficher le mot de passe").click()
    assert field.get_attribute("type") == "text"
    page.get_by_role("button", name="Masquer le mot de passe").click()
    assert field.get_attribute("type") == "password"
