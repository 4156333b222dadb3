"""In Chromium: every page Reprise serves without a path parameter, opened as a visitor, as a
patient, as a helper and as an association's administrator. Every request each page makes (styles,
scripts, fonts, images) goes to Reprise itself: no third party ever sees a visitor
(security.md item 11)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, select

from app.authorisation import app_routes
from app.main import create_app
from app.models.account import User
from tests.support.world import PASSWORD, build_world

pytestmark = pytest.mark.browser

# Not pages: JSON, health checks, the language switch (a redirect), files.
NOT_PAGES = ("/api/", "/healthz", "/readyz", "/langue/", "/static/")


def page_paths() -> list[str]:
    paths = [
        path
        for method, path in app_routes(create_app())
        if method == "GET" and "{" not in path and not path.startswith(NOT_PAGES)
    ]
    assert len(paths) > 30, paths
    return paths


def visit_all(page: Any, paths: list[str]) -> int:
    """Open every path; returns how many were pages (a file download is not a page)."""
    opened = 0
    for path in paths:
        try:
            response = page.goto(path)
        except Exception as error:  # Playwright refuses to "navigate" to a download
            if "Download is starting" in str(error):
                continue
            raise
        assert response is not None, path
        assert response.status < 500, f"{path}: {response.status}"
        if "text/html" in (response.headers.get("content-type") or ""):
            page.wait_for_load_state("load")
            opened += 1
    return opened


def sign_in(page: Any, address: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(address)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Me connecter").click()
    page.wait_for_url("**/compte")


@pytest.mark.parametrize("role", ["anonymous", "patient", "helper_with_mandate", "admin"])
def test_every_page_loads_only_from_reprise(browser: Any, live_server: Any, role: str) -> None:
    with Session(live_server.engine, expire_on_commit=False) as db:
        if db.exec(select(User)).first() is None:  # the people of tests/support/world.py, once
            build_world(db)
            db.commit()
    context = browser.new_context(accept_downloads=True, locale="fr-FR", base_url=live_server.url)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        if role != "anonymous":
            sign_in(page, f"{role.replace('_', '.')}@example.org")
        opened = visit_all(page, page_paths())
    finally:
        context.close()
    assert opened > 25, opened
    outside = sorted({url for url in requested if not url.startswith(live_server.url + "/")})
    assert outside == []
