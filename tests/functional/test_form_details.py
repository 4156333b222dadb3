"""Form details a patient meets: the country list, a French postal code, deleting an account."""

from __future__ import annotations

from typing import Any

import pytest

from app.i18n import use_locale
from app.web.identity_form import countries, identity_from_form
from tests.conftest import csrf_from


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_country_list_holds_countries_only(locale: str) -> None:
    with use_locale(locale):
        codes = [code for code, _name in countries()]
    assert codes[0] == "FR"
    for not_a_country in ("XA", "XB", "EZ", "EU", "UN", "ZZ"):
        assert not_a_country not in codes
    assert "XK" in codes  # Kosovo is a country


def test_countries_sort_as_french_readers_sort() -> None:
    with use_locale("fr"):
        names = [name for _code, name in countries()]
    assert names.index("Espagne") < names.index("États-Unis") < names.index("Éthiopie")
    assert names.index("États-Unis") < names.index("Finlande")


BASE = {
    "given_name": "Zoé",
    "family_name": "Dupont",
    "address_line1": "12 rue des Lilas",
    "city": "Paris",
}


@pytest.mark.parametrize(
    ("country", "postal_code", "error"),
    [
        ("FR", "75011", None),
        ("FR", "7501", "Un code postal français a cinq chiffres, par exemple 69001."),
        ("FR", "750111", "Un code postal français a cinq chiffres, par exemple 69001."),
        ("FR", "ABCDE", "Un code postal français a cinq chiffres, par exemple 69001."),
        ("BE", "1000", None),
        ("GB", "SW1A 1AA", None),
    ],
)
def test_a_french_postal_code_has_five_digits(
    country: str, postal_code: str, error: str | None
) -> None:
    with use_locale("fr"):
        identity, errors = identity_from_form(
            {**BASE, "country": country, "postal_code": postal_code}, []
        )
    assert errors.get("postal_code") == error
    assert (identity is None) == (error is not None)


def signed_patient(client: Any, db: Any) -> Any:
    """The world's patient, signed in on `client`."""
    from app.cookies import session_cookie_name
    from tests.support.world import build_world

    world = build_world(db)
    db.commit()
    tokens = world.sign_in("patient")
    assert tokens
    db.commit()
    client.cookies.set(session_cookie_name(), tokens[0])
    return world


def test_an_empty_password_on_deletion_says_it_is_empty(client: Any, db: Any) -> None:
    signed_patient(client, db)
    token = csrf_from(client.get("/compte/supprimer").text)
    response = client.post("/compte/supprimer", data={"csrf_token": token, "password": ""})
    assert response.status_code == 422
    assert "Indiquez votre mot de passe actuel." in response.text
    assert "Ce n'est pas votre mot de passe actuel." not in response.text.replace("&#39;", "'")


def test_my_letters_show_the_kind_and_the_state(client: Any, db: Any) -> None:
    world = signed_patient(client, db)
    page = client.get("/compte/lettres").text.replace("&#39;", "'")
    assert "Pas suivie" in page
    token = csrf_from(page)
    client.post(f"/compte/lettres/{world.ids['own_letter']}/suivre", data={"csrf_token": token})
    page = client.get("/compte/lettres").text.replace("&#39;", "'")
    assert "Lettre prête, pas encore envoyée" in page
    assert "Faire effacer mes données" in page or "Obtenir une copie de mes données" in page


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_the_follow_up_preview_page_passes_the_page_checks(
    client: Any, db: Any, locale: str
) -> None:
    import datetime as dt

    from app.clock import today
    from app.models.organisation import PatientFile
    from app.proceedings.events import Event
    from app.proceedings.service import record, track_new_letter
    from tests.support.world import IDENTITY

    world = signed_patient(client, db)
    file = db.get(PatientFile, world.ids["own_file"])
    day = today()
    proceeding, _created = track_new_letter(
        db, file, "access", "doctolib", IDENTITY, None, None, day - dt.timedelta(days=60)
    )
    record(
        db, proceeding, Event(kind="sent", date=day - dt.timedelta(days=60), channel="post"), day
    )
    db.commit()
    client.get(f"/langue/{locale}")
    page = client.get(f"/suivi/{proceeding.id}/lettres/nouvelle?type=reminder")
    assert page.status_code == 200
    assert 'name="suite" value="reminder"' in page.text  # the receipt date is asked first
    assert (
        client.get(f"/suivi/{proceeding.id}/lettres/nouvelle?type=cada-referral").status_code == 409
    )


def test_my_letters_offer_to_keep_the_letter_being_written_only_once(client: Any, db: Any) -> None:
    """A letter being written is offered for keeping; once the account keeps it (or follows
    it), "Garder la lettre en cours" is not asked about it again."""
    from app.accounts.sessions import find_session
    from app.cookies import session_cookie_name
    from app.letters.drafts import load_draft, save_draft
    from tests.support.world import IDENTITY

    signed_patient(client, db)
    session = find_session(db, client.cookies.get(session_cookie_name()))
    assert session is not None
    draft = {"platform": "withings", "kind": "access", "identity": dict(IDENTITY)}
    save_draft(db, session, {**load_draft(db, session), **draft})
    db.commit()
    page = client.get("/compte/lettres").text.replace("&#39;", "'")
    assert "Garder la lettre en cours" in page
    client.post("/compte/lettres", data={"csrf_token": csrf_from(page)})
    again = client.get("/compte/lettres").text.replace("&#39;", "'")
    assert "Garder la lettre en cours" not in again
