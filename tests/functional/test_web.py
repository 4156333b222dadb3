"""The pages: the letter path, validation, CSRF, headers, errors, language."""

import re
from typing import Any

import pytest
from sqlmodel import Session, select

from app.models.session import Draft
from tests.conftest import csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.pages import IDENTITY_FORM, error_messages, start_letter
from tests.support.texts import plain


def test_home_page_explains_reprise(client: CheckedClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Reprenez la main sur vos données de santé" in page.text
    assert 'href="/lettres"' in page.text


def test_the_whole_path_ends_with_a_pdf(client: CheckedClient) -> None:
    token = start_letter(client)
    form = client.get("/lettres/identite")
    assert "Adresse e-mail du compte" in form.text  # Doctolib's own identifier
    response = client.post(
        "/lettres/identite", data={**IDENTITY_FORM, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    preview = client.get("/lettres/apercu")
    assert "Marie Dupont" in preview.text
    assert "article 17" in preview.text
    pdf = client.get("/lettres/lettre.pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == (
        'attachment; filename="reprise-effacement-doctolib.pdf"'
    )
    assert pdf.headers["cache-control"] == "no-store"
    assert pdf.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"given_name": ""}, "given_name", "Indiquez votre prénom."),
        ({"family_name": "   "}, "family_name", "Indiquez votre nom de famille."),
        ({"address_line1": ""}, "address_line1", "Indiquez votre adresse (numéro et rue)."),
        ({"postal_code": ""}, "postal_code", "Indiquez votre code postal."),
        ({"city": ""}, "city", "Indiquez votre ville."),
        ({"email": "marie@"}, "email", "Indiquez une adresse e-mail complète"),
        ({"birth_day": "31", "birth_month": "2"}, "birth", "cette date n'existe pas"),
        ({"birth_year": "1850"}, "birth", "le 1er janvier 1900 ou après"),
        ({"birth_year": "2999"}, "birth", "ou avant"),
        ({"birth_day": "dix"}, "birth", "Date de naissance : indiquez le jour en chiffres"),
        ({"birth_month": ""}, "birth", "Date de naissance : choisissez le mois"),
        ({"given_name": "x" * 101}, "given_name", "100 caractères au plus"),
        ({"phone": "appelez-moi"}, "phone", "numéro de téléphone"),
        ({"country": "ZZZ"}, "country", "Choisissez un pays"),
    ],
)
def test_bad_input_is_explained_next_to_the_field_and_changes_nothing(
    client: CheckedClient, db: Session, changes: dict[str, str], field: str, message: str
) -> None:
    token = start_letter(client)
    client.post("/lettres/identite", data={**IDENTITY_FORM, "csrf_token": token})
    before = db.exec(select(Draft)).one().payload
    response = client.post(
        "/lettres/identite", data={**IDENTITY_FORM, **changes, "csrf_token": token}
    )
    assert response.status_code == 422
    errors = error_messages(response.text)
    assert field in errors, errors
    assert message in errors[field]
    assert f'href="#field-{field}"' in response.text  # listed in the error summary
    assert "<title>Erreur :" in plain(response.text)
    assert db.exec(select(Draft)).one().payload == before


def test_the_form_keeps_what_was_typed_after_an_error(client: CheckedClient) -> None:
    token = start_letter(client)
    response = client.post(
        "/lettres/identite",
        data={**IDENTITY_FORM, "given_name": "", "city": "Saint-Étienne", "csrf_token": token},
    )
    assert 'value="Saint-Étienne"' in response.text


def test_steps_cannot_be_skipped(client: CheckedClient) -> None:
    response = client.get("/lettres/apercu", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/lettres"
    response = client.get("/lettres/lettre.pdf", follow_redirects=False)
    assert response.headers["location"] == "/lettres"


def test_unknown_platform_is_a_clear_404(client: CheckedClient) -> None:
    token = csrf_from(client.get("/lettres").text)
    response = client.post("/lettres/plateforme", data={"slug": "nope", "csrf_token": token})
    assert response.status_code == 404
    assert "pas dans le catalogue" in response.text


def test_the_draft_is_sealed_in_the_database(client: CheckedClient, db: Session) -> None:
    token = start_letter(client)
    client.post(
        "/lettres/identite",
        data={**IDENTITY_FORM, "family_name": "Canarideaux", "csrf_token": token},
    )
    payload = db.exec(select(Draft)).one().payload
    assert b"Canarideaux" not in payload
    assert b"Lilas" not in payload


@pytest.mark.parametrize(
    ("path", "data"),
    [("/lettres/plateforme", {"slug": "doctolib"}), ("/lettres/identite", IDENTITY_FORM)],
)
def test_post_without_csrf_token_is_refused(
    client: CheckedClient, path: str, data: dict[str, str]
) -> None:
    start_letter(client)
    response = client.post(path, data=data)
    assert response.status_code == 403
    response = client.post(path, data={**data, "csrf_token": "forged"})
    assert response.status_code == 403


@pytest.mark.parametrize(
    "headers",
    [
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Origin": "https://evil.example"},
    ],
)
def test_cross_site_posts_are_refused(client: CheckedClient, headers: dict[str, str]) -> None:
    token = start_letter(client)
    response = client.post(
        "/lettres/plateforme", data={"slug": "livi", "csrf_token": token}, headers=headers
    )
    assert response.status_code == 403


EXPECTED_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/lettres"),
        ("GET", "/nowhere"),
        ("GET", "/healthz"),
        ("GET", "/static/css/site.css"),
        ("GET", "/api/v1/platforms"),
        ("POST", "/lettres/plateforme"),
    ],
)
def test_security_headers_on_every_kind_of_response(
    client: CheckedClient, method: str, path: str
) -> None:
    response = client.request(method, path)
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers[name].startswith(value), name
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "form-action 'self'" in response.headers["content-security-policy"]
    if not path.startswith("/static/"):
        assert response.headers["cache-control"] == "no-store"


def test_oversized_posts_get_413(client: CheckedClient) -> None:
    token = start_letter(client)
    response = client.post(
        "/lettres/identite", data={**IDENTITY_FORM, "city": "x" * 2_000_000, "csrf_token": token}
    )
    assert response.status_code == 413


def test_error_pages_are_french_pages(client: CheckedClient) -> None:
    response = client.get("/nulle-part")
    assert response.status_code == 404
    assert "Page introuvable" in response.text


def test_unexpected_errors_show_no_traceback(
    app: Any, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.authorisation import ROUTE_POLICIES, Policy

    monkeypatch.setitem(ROUTE_POLICIES, "GET /boom", Policy.PUBLIC)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret detail 42")

    with CheckedClient(app) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert "secret detail" not in response.text
    assert "Traceback" not in response.text
    assert "Une erreur est survenue" in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


@pytest.mark.parametrize("middleware", ["SessionCookieMiddleware", "LocaleMiddleware", "BodyLimit"])
def test_a_crash_inside_a_middleware_still_gets_the_error_page_and_headers(
    app: Any, monkeypatch: pytest.MonkeyPatch, middleware: str
) -> None:
    """security.md 9: errors included. Starlette's own 500 handler sits outside every
    middleware; Reprise's error page must answer first, inside the header middleware."""
    from app.web import middleware as module

    async def crash(self: Any, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":  # the lifespan passes through
            await self.app(scope, receive, send)
            return
        raise RuntimeError("secret detail 43")

    monkeypatch.setattr(getattr(module, middleware), "__call__", crash)
    with CheckedClient(app, raise_server_exceptions=False) as client:
        response = client.get("/")
    assert response.status_code == 500
    assert "secret detail" not in response.text
    assert "Une erreur est survenue" in response.text
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert response.headers["cache-control"] == "no-store"


def test_health_endpoints(client: CheckedClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok", "database": "up"}


def test_english_on_request(client: CheckedClient) -> None:
    response = client.get("/langue/en?next=/lettres", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/lettres"
    page = client.get("/lettres")
    assert '<html lang="en">' in page.text
    assert "Which platform do you want to write to?" in page.text
    client.cookies.clear()
    browser_choice = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in browser_choice.text
    client.get("/langue/fr")
    chosen = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="fr">' in chosen.text


def test_language_switch_only_goes_back_to_this_site(client: CheckedClient) -> None:
    response = client.get("/langue/en?next=https://evil.example/", follow_redirects=False)
    assert response.headers["location"] == "/"
    response = client.get("/langue/en?next=//evil.example/", follow_redirects=False)
    assert response.headers["location"] == "/"


def test_stylesheets_load_nothing_from_elsewhere() -> None:
    """security.md 11: no CSS url() or @import reaches outside Reprise's own files."""
    from app.config import STATIC_DIR

    sheets = sorted(STATIC_DIR.glob("**/*.css"))
    assert sheets
    for sheet in sheets:
        css = sheet.read_text(encoding="utf-8")
        references = re.findall(r"url\(\s*['\"]?([^'\")\s]+)", css)
        references += re.findall(r"@import\s+['\"]([^'\"]+)", css)
        for reference in references:
            assert not re.match(r"^([a-z][a-z0-9+.-]*:|//)", reference, re.I), (sheet, reference)
            assert (sheet.parent / reference).resolve().is_file(), (sheet, reference)
