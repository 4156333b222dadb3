"""In Chromium on a phone (390 px): a date is typed as day, month name and year, a mistake is
said next to the field, and what was typed stays."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from tests.browser.conftest import shoot
from tests.support.browser import sign_in
from tests.support.texts import plain
from tests.support.world import make_user

pytestmark = pytest.mark.browser


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_birth_date_on_a_phone(page: Any, live_server: Any) -> None:
    with Session(live_server.engine, expire_on_commit=False) as db:
        make_user(db, "date.telephone@example.org")
        db.commit()
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "date.telephone@example.org")
    page.goto("/compte/identite")
    page.get_by_label("Prénom", exact=True).fill("Zoé")
    page.get_by_label("Nom de famille", exact=True).fill("Dupont")
    page.get_by_label("Numéro et rue", exact=True).fill("12 rue des Lilas")
    page.get_by_label("Code postal", exact=True).fill("75011")
    page.get_by_label("Ville", exact=True).fill("Paris")
    birth = page.get_by_role("group", name="Date de naissance")
    assert birth.get_by_label("Mois").locator("option").nth(5).inner_text() == "mai"
    birth.get_by_label("Jour").fill("31")
    birth.get_by_label("Mois").select_option(label="février")
    birth.get_by_label("Année").fill("1980")
    assert no_sideways_scroll(page)
    page.locator("main form button[type=submit]").first.click()

    message = "Date de naissance : cette date n'existe pas. Vérifiez le jour et le mois."
    assert plain(page.locator(".error-summary").inner_text()).count(message) == 1
    birth = page.get_by_role("group", name="Date de naissance")
    said = " ".join(plain(birth.locator(".error-message").inner_text()).split())
    assert said == "Erreur : " + message
    assert birth.get_by_label("Jour").input_value() == "31"
    assert birth.get_by_label("Mois").input_value() == "2"
    assert birth.get_by_label("Année").input_value() == "1980"
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.name") == "birth_day"
    shoot(page, "11-birth-date-error")

    birth.get_by_label("Jour").fill("28")
    page.locator("main form button[type=submit]").first.click()
    page.goto("/compte/identite")
    birth = page.get_by_role("group", name="Date de naissance")
    assert birth.get_by_label("Jour").input_value() == "28"
    assert birth.get_by_label("Mois").locator("option:checked").inner_text() == "février"
    assert no_sideways_scroll(page)
