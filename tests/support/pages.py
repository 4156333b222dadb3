"""Walking the site as a person does: the letter wizard, signed-in clients, what a page says."""

from __future__ import annotations

import datetime as dt
import html
import re
from html.parser import HTMLParser
from typing import Any

from sqlmodel import Session

from app.accounts.sessions import find_session, start_session
from app.cookies import session_cookie_name
from app.letters.drafts import load_draft, save_draft
from tests.conftest import csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.texts import plain
from tests.support.world import World, api_token

IDENTITY_FORM = {
    "given_name": "Marie",
    "family_name": "Dupont",
    "address_line1": "12 rue des Lilas",
    "postal_code": "75011",
    "city": "Paris",
    "country": "FR",
    "birth_day": "17",
    "birth_month": "5",
    "birth_year": "1980",
    "email": "marie.dupont@example.org",
    "identifier_0": "marie.dupont@example.org",
}

# A pack of three letters: two platforms and a hospital outside the catalogue.
PACK = [
    {"platform": "doctolib", "kind": "erasure"},
    {"platform": "23andme", "kind": "erasure"},
    {
        "organisation": {
            "name": "Centre hospitalier d'Exempleville",
            "address_lines": ["1 avenue de l'Hôpital", "01000 Exempleville"],
            "email": None,
            "siren": None,
            "finess": "010000000",
            "category": "hospital",
            "public": True,
        },
        "kind": "medical-record",
    },
]


def text(response: Any) -> str:
    """The page as a person reads it (entities decoded)."""
    return html.unescape(response.text)


def error_messages(page: str) -> dict[str, str]:
    found = re.findall(
        r'<p class="error-message" id="error-([a-z_0-9]+)">.*?</span>\s*(.*?)</p>', page, re.S
    )
    return {name: plain(html.unescape(message.strip())) for name, message in found}


def date_form(day: dt.date) -> dict[str, str]:
    return {"date_day": str(day.day), "date_month": str(day.month), "date_year": str(day.year)}


def sign_in(client: CheckedClient, email: str, password: str, **headers: str) -> Any:
    token = csrf_from(client.get("/connexion").text)
    return client.post(
        "/connexion",
        data={"email": email, "password": password, "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )


def as_role(app: Any, world: World, role: str) -> CheckedClient:
    """A client signed in as one of the world's roles."""
    client = CheckedClient(app)
    tokens = world.sign_in(role)
    assert tokens is not None
    client.cookies.set(session_cookie_name(), tokens[0])
    return client


def signed(app: Any, world: World, role: str) -> tuple[CheckedClient, str]:
    """A client signed in as one of the world's roles, and its CSRF token."""
    client = CheckedClient(app)
    tokens = world.sign_in(role)
    assert tokens
    world.db.commit()  # a refused request rolls back: the session must outlive it
    client.cookies.set(session_cookie_name(), tokens[0])
    return client, tokens[1]


def start_letter(client: CheckedClient, slug: str = "doctolib") -> str:
    """An erasure letter to `slug` written up to the identity step; returns the CSRF token."""
    page = client.get("/lettres")
    token = csrf_from(page.text)
    response = client.post(
        "/lettres/plateforme", data={"slug": slug, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/lettres/demande"
    response = client.post(
        "/lettres/demande", data={"kind": "erasure", "csrf_token": token}, follow_redirects=False
    )
    assert response.headers["location"] == "/lettres/options/motifs"
    response = client.post(
        "/lettres/options/motifs",
        data={"grounds": ["no-longer-needed", "consent-withdrawn"], "csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/lettres/options/compte"
    response = client.post(
        "/lettres/options/compte",
        data={"close_account": "yes", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/lettres/identite"
    return token


class FormDefaults(HTMLParser):
    """What a browser would send for a form left as it is (checked boxes, typed values)."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag != "input" or not name or name == "csrf_token":
            return
        kind = a.get("type", "text")
        if kind in {"radio", "checkbox"} and "checked" not in a:
            return
        if a.get("value"):
            self.values.append((name, a["value"] or ""))


def defaults(html: str) -> dict[str, Any]:
    parser = FormDefaults()
    parser.feed(html)
    out: dict[str, Any] = {}
    for name, value in parser.values:
        out.setdefault(name, []).append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in out.items()}


def walk(
    client: CheckedClient,
    slug: str,
    kind: str,
    answers: dict[str, dict[str, Any]] | None = None,
) -> list[str]:
    """Go from the platform to the preview; returns the option pages seen."""
    answers = answers or {}
    token = csrf_from(client.get("/lettres").text)
    client.post("/lettres/plateforme", data={"slug": slug, "csrf_token": token})
    response = client.post(
        "/lettres/demande", data={"kind": kind, "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    seen: list[str] = []
    while location.startswith("/lettres/options/"):
        page_slug = location.rsplit("/", 1)[1]
        seen.append(page_slug)
        page = client.get(location)
        assert page.status_code == 200
        data = {**defaults(page.text), **answers.get(page_slug, {}), "csrf_token": token}
        response = client.post(location, data=data, follow_redirects=False)
        assert response.status_code == 303, error_messages(response.text)
        location = response.headers["location"]
    assert location == "/lettres/identite"
    response = client.post(
        "/lettres/identite", data={**IDENTITY_FORM, "csrf_token": token}, follow_redirects=False
    )
    assert response.headers["location"] == "/lettres/apercu"
    return seen


def seed_selection(client: CheckedClient, db: Session, selection: list[dict[str, Any]]) -> str:
    token = csrf_from(client.get("/lettres").text)
    # A page with a form gives the browser its token; the row waits for something to store.
    cookie = client.cookies.get(session_cookie_name())
    session = find_session(db, cookie) or start_session(db, token=cookie).session
    save_draft(db, session, {**load_draft(db, session), "selection": selection})
    return token


def bearer(db: Session, world: World, role: str) -> dict[str, str]:
    """The Authorization header of an API token of one of the world's roles."""
    token = api_token(db, world.users[role])
    db.commit()
    return {"Authorization": f"Bearer {token}"}
