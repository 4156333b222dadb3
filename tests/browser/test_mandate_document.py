"""In Chromium: an association's administrator registers a member, prepares the mandate and
prints it, before anyone knows the member's address (blanks, never an error), and with the
member's and the association's addresses typed in the mandate form."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from app.clock import today
from app.organisations.access import ADMIN
from tests.browser.conftest import shoot
from tests.support.browser import sign_in
from tests.support.texts import plain
from tests.support.world import make_association, make_staff, make_user

pytestmark = pytest.mark.browser


def admin_of_new_association(engine: Any, email: str) -> None:
    with Session(engine, expire_on_commit=False) as db:
        admin = make_user(db, email, "Claire Admin")
        make_staff(db, make_association(db, "Les Amis du Cœur"), admin, ADMIN)
        db.commit()


def register_member(page: Any) -> None:
    page.goto("/association/membres/nouveau")
    page.get_by_label("Prénom du membre").fill("Lucienne")
    page.get_by_label("Nom de famille du membre").fill("Perrin")
    page.get_by_label("Le membre accepte que l'association tienne son dossier").check()
    page.get_by_role("button", name="Créer le dossier").click()
    assert plain(page.get_by_role("heading", level=1).inner_text()) == "Lucienne Perrin"


def fill_mandate(page: Any) -> None:
    page.get_by_label("Droit d'accès : obtenir une copie des données").check()
    page.locator("summary", has_text="Prise de rendez-vous et téléconsultation").click()
    page.get_by_label("Doctolib", exact=True).check()
    end = today() + dt.timedelta(days=300)
    field = page.get_by_role("group", name="Fin du mandat")
    field.get_by_label("Jour").fill(str(end.day))
    field.get_by_label("Mois").select_option(str(end.month))
    field.get_by_label("Année").fill(str(end.year))


def mandate_text(page: Any, tmp_path: Path, index: int = 0) -> str:
    link = page.get_by_role("link", name="Document du mandat à faire signer (PDF)").nth(index)
    response = page.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    target = tmp_path / f"mandat-{index}.pdf"
    target.write_bytes(response.body())
    return " ".join(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(target), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )


def test_the_mandate_prints_with_marked_blanks_before_the_address_is_known(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    admin_of_new_association(live_server.engine, "admin.mandat@example.org")
    sign_in(page, "admin.mandat@example.org")
    register_member(page)
    page.get_by_role("link", name="Préparer un nouveau mandat").click()
    fill_mandate(page)
    page.get_by_role("button", name="Enregistrer le mandat").click()
    text = mandate_text(page, tmp_path)
    assert "Lucienne Perrin" in text
    assert "[adresse du mandant]" in text
    assert "[adresse du mandataire]" in text


def test_the_administrator_types_both_addresses_while_preparing_the_mandate(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    admin_of_new_association(live_server.engine, "admin.adresses@example.org")
    sign_in(page, "admin.adresses@example.org")
    register_member(page)
    page.get_by_role("link", name="Préparer un nouveau mandat").click()
    shoot(page, "6-new-mandate-form")
    fill_mandate(page)
    page.get_by_label("Numéro et rue du membre").fill("8 allée des Roses")
    page.get_by_label("Code postal du membre").fill("690")
    page.get_by_label("Ville du membre").fill("Lyon")
    page.get_by_label("Adresse de l'association, écrite sur le mandat").fill(
        "14 rue de la Paix\n75002 Paris"
    )
    page.get_by_role("button", name="Enregistrer le mandat").click()
    # a wrong postal code is said next to the field; nothing typed is lost
    assert "cinq chiffres" in page.locator("#error-member_postal_code").inner_text()
    assert page.get_by_label("Doctolib", exact=True).is_checked()
    assert page.get_by_label("Numéro et rue du membre").input_value() == "8 allée des Roses"
    page.get_by_label("Code postal du membre").fill("69003")
    page.get_by_role("button", name="Enregistrer le mandat").click()
    text = mandate_text(page, tmp_path)
    assert "demeurant 8 allée des Roses, 69003 Lyon" in text
    assert "14 rue de la Paix, 75002 Paris" in text
    assert "[adresse du mandant]" not in text
    shoot(page, "6-member-page")


def test_the_mandate_form_groups_platforms_by_category_with_a_search(
    page: Any, live_server: Any
) -> None:
    admin_of_new_association(live_server.engine, "admin.groupes@example.org")
    sign_in(page, "admin.groupes@example.org")
    register_member(page)
    page.get_by_role("link", name="Préparer un nouveau mandat").click()
    page.set_viewport_size({"width": 1280, "height": 900})
    shoot(page, "7-mandate-form-grouped")
    height = page.locator("#field-platforms").bounding_box()["height"]
    assert height < 2000, height  # 142 platforms in one column: about 6,000 px
    summaries = [
        plain(s) for s in page.locator("details.platform-group > summary").all_inner_texts()
    ]
    assert any(s.startswith("Prise de rendez-vous et téléconsultation (") for s in summaries)
    assert len(summaries) >= 8

    search = page.get_by_label("Chercher une plateforme dans la liste")
    search.fill("doctoli")
    assert page.get_by_label("Doctolib", exact=True).is_visible()
    assert page.locator("details.platform-group:visible").count() == 1
    assert "1 plateforme trouvée" in page.locator("#platform-filter-count").inner_text()
    page.get_by_label("Doctolib", exact=True).check()
    search.fill("")

    # an error elsewhere: the ticks come back, their category open
    page.get_by_label("Droit d'accès : obtenir une copie des données").check()
    page.get_by_role("button", name="Enregistrer le mandat").click()
    assert page.locator(".error-summary").is_visible()
    assert page.get_by_label("Doctolib", exact=True).is_checked()
    assert page.get_by_label("Doctolib", exact=True).is_visible()
    assert page.get_by_label("Droit d'accès : obtenir une copie des données").is_checked()
    shoot(page, "7-mandate-form-after-error")
