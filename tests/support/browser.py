"""Using Reprise's pages in a real browser (Playwright), and what the live server stored."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlmodel import Session

from app import clock
from app.accounts.sessions import find_session
from app.cookies import session_cookie_name
from app.letters.drafts import load_draft
from app.letters.identity import Identity
from app.models.organisation import PatientFile
from app.patients.files import set_identity, store_letter
from app.proceedings.service import track_letter
from tests.support.world import IDENTITY, PASSWORD, make_user


def fill_date(page: Any, day: dt.date) -> None:
    """Type a date in the day, month and year fields of the page's date widget."""
    page.get_by_label("Jour", exact=True).fill(str(day.day))
    page.get_by_label("Mois", exact=True).select_option(str(day.month))
    page.get_by_label("Année", exact=True).fill(str(day.year))


def sign_in(page: Any, email: str) -> None:
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Me connecter").click()


def tracked_request(
    engine: Any, email: str, kind: str = "access", written: dt.date | None = None
) -> uuid.UUID:
    """A patient with a first request to Doctolib, written on `written` (today) and tracked."""
    with Session(engine, expire_on_commit=False) as db:
        user = make_user(db, email)
        file = PatientFile(user_id=user.id)
        db.add(file)
        db.flush()
        set_identity(db, file, Identity.model_validate(IDENTITY))
        letter = store_letter(
            db, file, kind, "doctolib", IDENTITY, None, user.id, written or clock.today()
        )
        proceeding, _created = track_letter(db, file, letter, user.id, clock.today())
        db.commit()
        return proceeding.id


def fill_identity(page: Any, given_name: str) -> None:
    page.get_by_label("Prénom", exact=True).fill(given_name)
    page.get_by_label("Nom de famille", exact=True).fill("Dupont")
    page.get_by_label("Numéro et rue", exact=True).fill("12 rue des Lilas")
    page.get_by_label("Code postal", exact=True).fill("75011")
    page.get_by_label("Ville", exact=True).fill("Paris")
    page.get_by_label("Adresse e-mail du compte").fill("zoe@example.org")


def heading(page: Any) -> str:
    return str(page.get_by_role("heading", level=1).inner_text())


def stored_draft(page: Any, live_server: Any) -> dict[str, Any]:
    cookies = {cookie["name"]: cookie["value"] for cookie in page.context.cookies()}
    with Session(live_server.engine) as db:
        session = find_session(db, cookies.get(session_cookie_name()))
        return load_draft(db, session)
