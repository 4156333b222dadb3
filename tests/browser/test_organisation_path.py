"""In Chromium: sign in, write to a clinic typed by hand (it is not in the catalogue), follow
the request, record its sending, and see the due date counted with Alsace-Moselle's holidays
and the CADA's date to come. Every request stays on Reprise."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session

from app.clock import today
from app.deadlines.cada import implicit_refusal_on
from app.deadlines.rules import medical_record_deadline
from app.i18n import long_date
from tests.support.browser import fill_date, heading
from tests.support.texts import plain
from tests.support.world import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_write_to_an_organisation_typed_by_hand_and_follow_it(page: Any, live_server: Any) -> None:
    with Session(live_server.engine, expire_on_commit=False) as db:
        make_user(db, "organisme.navigateur@example.org")
        db.commit()
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill("organisme.navigateur@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Me connecter").click()
    assert plain(heading(page)) == "Mon compte"

    # the clinic is not in the catalogue: type its name and address
    page.goto("/lettres")
    page.get_by_role(
        "link", name="Votre organisme n'est pas dans la liste ? Indiquez son nom et son adresse."
    ).click()
    assert plain(heading(page)) == "À quel organisme écrivez-vous ?"
    page.get_by_label("Nom de l'organisme").fill("Clinique de l'Exemple")
    page.get_by_label("Service ou destinataire").fill("Direction")
    page.get_by_label("Numéro et rue").fill("1 place de l'Exemple")
    page.get_by_label("Code postal et ville").fill("67000 Strasbourg")
    page.get_by_label("Un hôpital, une clinique ou un centre de santé").check()
    page.get_by_label("Oui", exact=True).check()
    page.get_by_role("button", name="Continuer").click()

    # the medical record is the recommended letter; its questions left as they are
    assert plain(heading(page)).startswith("Quelle lettre")
    assert page.get_by_label("Obtenir mon dossier médical — recommandé").is_checked()
    page.get_by_role("button", name="Continuer").click()
    for _page in range(6):
        if plain(heading(page)) == "Qui êtes-vous ?":
            break
        page.get_by_role("button", name="Continuer").click()
    assert plain(heading(page)) == "Qui êtes-vous ?"
    page.get_by_label("Prénom", exact=True).fill("Zoé")
    page.get_by_label("Nom de famille", exact=True).fill("Dupont")
    page.get_by_label("Numéro et rue", exact=True).fill("12 rue des Lilas")
    page.get_by_label("Code postal", exact=True).fill("75011")
    page.get_by_label("Ville", exact=True).fill("Paris")
    page.get_by_role("button", name="Voir ma lettre").click()
    assert plain(heading(page)) == "Relisez votre lettre"
    assert "67000 Strasbourg" in page.locator(".paper").inner_text()

    # follow it
    page.get_by_role("button", name="Suivre cette demande").click()
    assert plain(heading(page)) == "Demande à Clinique de l'Exemple"
    assert "La démarche est suivie" in page.locator("[role=status]").inner_text()

    # sent today by e-mail: received the same day (estimate); eight days in Alsace-Moselle
    day = today()
    page.get_by_role("link", name="Indiquer la date d'envoi").click()
    assert plain(heading(page)) == "Quand avez-vous envoyé la demande ?"
    fill_date(page, day)
    page.get_by_label("Par e-mail").check()
    page.get_by_role("button", name="Enregistrer").click()
    assert plain(heading(page)) == "Demande à Clinique de l'Exemple"
    main = plain(page.locator("main").inner_text())
    due = medical_record_deadline(day, alsace_moselle=True).due
    assert due is not None
    assert f"Le {long_date(due, 'fr')}" in main
    assert "L'organisme est en Alsace-Moselle" in main
    assert "Le code de la santé publique (article L. 1111-7) donne huit jours" in main
    # a public clinic: when its silence would count as a refusal, and the CADA after it
    silence = long_date(implicit_refusal_on(day), "fr")
    assert f"Si l'établissement ne vous répond pas d'ici le {silence}" in main

    # the request is among the person's, and the letter in "Mes lettres"
    page.get_by_role("link", name="Mes démarches", exact=True).first.click()
    assert plain(heading(page)) == "Mes démarches"
    assert "Clinique de l'Exemple" in page.locator("main").inner_text()
    page.goto("/compte/lettres")
    assert "Clinique de l'Exemple" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Voir le suivi Clinique de l'Exemple").count() == 1

    origins = {url.split("/", 3)[2] for url in page.requested if url.startswith("http")}
    assert origins == {f"127.0.0.1:{live_server.port}"}
