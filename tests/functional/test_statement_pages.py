"""The accessibility statement and the legal notice, linked from every page, in both languages:
they state only what is true of Reprise and leave the operator's identity for the operator."""

from __future__ import annotations

import html

import pytest

from app.config import get_settings
from tests.support.pagecheck import CheckedClient
from tests.support.texts import plain


@pytest.mark.parametrize(
    ("locale", "path", "heading", "says"),
    [
        ("fr", "/accessibilite", "Déclaration d'accessibilité", "déclaré non conforme au RGAA"),
        ("en", "/accessibilite", "Accessibility statement", "declared not compliant"),
        ("fr", "/mentions-legales", "Mentions légales", "À compléter par l'organisme"),
        ("en", "/mentions-legales", "Legal notice", "To be completed by the organisation"),
    ],
)
def test_statement_pages(
    client: CheckedClient, locale: str, path: str, heading: str, says: str
) -> None:
    client.get(f"/langue/{locale}")
    page = plain(html.unescape(client.get(path).text))
    assert f"<h1>{heading}</h1>" in page
    assert says in page
    assert "http://" in page or "https://" in page  # the address the statement covers


def test_every_page_links_to_both(client: CheckedClient) -> None:
    home = client.get("/").text
    assert 'href="/accessibilite"' in home
    assert 'href="/mentions-legales"' in home
    assert "Accessibilité : non conforme" in plain(html.unescape(home))


@pytest.mark.parametrize(
    ("url", "footer"),
    [
        ("", "n'utilise aucun service extérieur"),
        (
            "https://recherche-entreprises.api.gouv.fr",
            "Une seule recherche sort de ce serveur : celle d'une entreprise",
        ),
    ],
)
def test_the_footer_says_what_leaves_the_server(
    client: CheckedClient, monkeypatch: pytest.MonkeyPatch, url: str, footer: str
) -> None:
    settings = get_settings().model_copy(update={"company_search_url": url})
    monkeypatch.setattr("app.web.pages.get_settings", lambda: settings)
    page = plain(html.unescape(client.get("/").text))
    assert footer in page
    if url:
        assert "aucun service extérieur" not in page
