"""Pages and answers made once: a cached page is the page a fresh rendering gives, with the
parts of its own request (the form token, the language, the signed-in state) put in."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session
from starlette.requests import Request

from app.accounts.sessions import csrf_token_for, start_session
from app.catalogue.loader import get_catalogue
from app.catalogue.schema import Platform
from app.catalogue.search import search_platforms
from app.config import get_settings
from app.cookies import LANG_COOKIE, session_cookie_name
from app.i18n import use_locale
from app.web.pages import CSRF_STAND_IN, clear_rendered_pages, render_page
from tests.conftest import csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.world import make_user


@pytest.fixture(autouse=True)
def _fresh_pages() -> None:
    clear_rendered_pages()


def fresh_rendering(template: str, path: str, locale: str, context: dict[str, Any]) -> str:
    """The page as render_page makes it without the cache, for a visitor without a cookie."""
    request = Request({"type": "http", "method": "GET", "path": path, "headers": [], "state": {}})
    with use_locale(locale):
        return bytes(render_page(request, template, context).body).decode()


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_a_cached_page_is_the_page_a_fresh_rendering_gives(
    client: CheckedClient, locale: str
) -> None:
    first = client.get("/", headers={"accept-language": locale})
    again = client.get("/", headers={"accept-language": locale})
    expected = fresh_rendering(
        "home/index.html", "/", locale, {"draft_hours": get_settings().draft_ttl_hours}
    )
    assert first.text == again.text == expected
    assert f'<html lang="{locale}">' in first.text
    assert CSRF_STAND_IN not in first.text


def page_request(token: str | None) -> Request:
    request = Request({"type": "http", "method": "GET", "path": "/decouvrir", "headers": []})
    if token:
        request.state.session_token = token
    return request


def test_each_visitor_gets_the_cached_page_with_their_own_form_token() -> None:
    from app.catalogue.questionnaire import QUESTIONS

    context = {"started": True, "resume": QUESTIONS[1], "first": QUESTIONS[0], "count": 9}
    pages = []
    for token in ("a" * 43, "b" * 43, "c" * 43):
        cached = render_page(page_request(token), "discovery/index.html", context, cache_key="k")
        fresh = render_page(page_request(token), "discovery/index.html", context)
        assert cached.body == fresh.body
        assert csrf_from(bytes(cached.body).decode()) == csrf_token_for(token)
        assert CSRF_STAND_IN.encode() not in cached.body
        pages.append(cached.body)
    assert len(set(pages)) == 3


def test_a_public_page_gives_each_new_visitor_a_token_of_their_own(app: Any) -> None:
    cookies = set()
    for _visitor in range(3):
        with CheckedClient(app) as visitor:
            assert visitor.get("/decouvrir").status_code == 200
            cookies.add(visitor.cookies.get(session_cookie_name()))
    assert len(cookies) == 3
    assert None not in cookies


def test_a_language_is_never_served_from_the_other_languages_page(
    client: CheckedClient,
) -> None:
    french = client.get("/plateformes", headers={"accept-language": "fr"}).text
    english = client.get("/plateformes", headers={"accept-language": "en"}).text
    assert '<html lang="fr">' in french
    assert "Se connecter" in french
    assert '<html lang="en">' in english
    assert "Sign in" in english
    # A chosen language (the cookie) wins over the browser's, cached page or not.
    client.cookies.set(LANG_COOKIE, "en")
    chosen = client.get("/plateformes", headers={"accept-language": "fr"}).text
    assert chosen == english


def test_a_signed_in_person_never_gets_the_anonymous_page(
    client: CheckedClient, db: Session
) -> None:
    anonymous = client.get("/").text
    assert "Se connecter" in anonymous
    assert "Mon compte" not in anonymous
    user = make_user(db, "lectrice@example.org")
    started = start_session(db, user_id=user.id)
    db.commit()
    client.cookies.set(session_cookie_name(), started.token)
    signed_in = client.get("/").text
    assert "Mon compte" in signed_in
    assert "Se connecter" not in signed_in
    client.cookies.delete(session_cookie_name())
    assert client.get("/").text == anonymous


def test_a_page_with_a_query_or_answers_is_not_taken_from_the_cache(
    client: CheckedClient,
) -> None:
    listed = client.get("/plateformes").text
    found = client.get("/plateformes?q=doctolib").text
    assert found != listed
    assert "Doctolib" in found
    shown = client.get("/decouvrir")
    asked = client.get("/decouvrir/questions/rendez-vous")
    client.post(
        "/decouvrir/questions/rendez-vous",
        data={"csrf_token": csrf_from(asked.text), "choice": ["doctolib"]},
    )
    resumed = client.get("/decouvrir").text
    assert resumed != shown.text


def test_the_platform_answers_are_the_records_serialised(client: CheckedClient) -> None:
    from app.api.v1 import platforms_json

    platforms_json.cache_clear()
    catalogue = get_catalogue()
    for query in ("docto", "", "nothing-like-this"):
        for _round in range(2):
            answer = client.get("/api/v1/platforms", params={"q": query})
            assert answer.status_code == 200
            assert answer.headers["content-type"] == "application/json"
            found = search_platforms(catalogue, query) if query else list(catalogue.platforms)
            assert answer.json() == [
                Platform.model_validate(p).model_dump(mode="json", by_alias=True) for p in found
            ]
    info = platforms_json.cache_info()
    assert (info.misses, info.hits) == (3, 3)
