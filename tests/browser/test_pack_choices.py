"""In Chromium: the pack page keeps the request each letter should make without a separate
"Change" step, and offers only first requests, in the checklist's words."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.browser import stored_draft
from tests.support.texts import plain

pytestmark = pytest.mark.browser


def test_a_changed_request_is_kept_on_continue_and_only_first_requests_are_offered(
    page: Any, live_server: Any
) -> None:
    page.goto("/decouvrir/questions/adn")
    page.get_by_label("23andMe", exact=True).check()
    page.get_by_role("button", name="Continuer").click()
    page.goto("/decouvrir/liste")
    checklist_words = page.get_by_label("Demande à envoyer à 23andMe").locator("option")
    checklist = [plain(w).removesuffix(" (conseillé)") for w in checklist_words.all_inner_texts()]
    page.get_by_role("button", name="Écrire les lettres").click()
    assert page.url.endswith("/lettres/lot")

    request = page.get_by_label("Demande à envoyer à 23andMe")
    offered = [plain(option) for option in request.locator("option").all_inner_texts()]
    assert offered == checklist
    for follow_up in ("Relancer", "Porter plainte", "Saisir la CADA", "Signaler"):
        assert not any(option.startswith(follow_up) for option in offered)

    request.select_option("access")
    page.get_by_role("button", name="Continuer : mes coordonnées").click()
    assert page.url.endswith("/lettres/lot/identite")
    assert stored_draft(page, live_server)["selection"] == [
        {"platform": "23andme", "kind": "access", "options": {}}
    ]
