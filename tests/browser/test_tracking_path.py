"""In Chromium: sign in, write an access letter, track it, record its sending and receipt, see
the due date, check the answer, and download the incomplete-answer letter. Every request stays
on Reprise."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from app.clock import today
from app.deadlines.rules import gdpr_deadline
from app.i18n import long_date
from tests.support.browser import fill_date, fill_identity, heading
from tests.support.texts import plain
from tests.support.world import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_write_track_record_check_and_write_the_follow_up(
    page: Any, live_server: Any, tmp_path: Path
) -> None:
    with Session(live_server.engine, expire_on_commit=False) as db:
        make_user(db, "suivi.navigateur@example.org")
        db.commit()
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill("suivi.navigateur@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Me connecter").click()
    assert plain(heading(page)) == "Mon compte"

    # write an access letter to Doctolib
    page.goto("/lettres?q=doctolib")
    page.get_by_role("button", name="Choisir Doctolib", exact=True).click()
    page.get_by_label("Obtenir une copie de mes données").check()
    page.get_by_role("button", name="Continuer").click()
    assert plain(heading(page)) == "Voulez-vous aussi savoir où vos données sont hébergées ?"
    page.get_by_role("button", name="Continuer").click()
    assert plain(heading(page)) == "Qui êtes-vous ?"
    fill_identity(page, "Zoé")
    page.get_by_role("button", name="Voir ma lettre").click()
    assert plain(heading(page)) == "Relisez votre lettre"

    # track it
    page.get_by_role("button", name="Suivre cette demande").click()
    assert plain(heading(page)) == "Demande à Doctolib"
    assert "La démarche est suivie" in page.locator("[role=status]").inner_text()

    # record its sending (by registered post) and its receipt
    day = today()
    page.get_by_role("link", name="Indiquer la date d'envoi").click()
    assert plain(heading(page)) == "Quand avez-vous envoyé la demande ?"
    fill_date(page, day)
    page.get_by_label("Par courrier").check()
    page.get_by_label("Numéro du recommandé ou référence").fill("1A 123 456 7890 1")
    page.get_by_role("button", name="Enregistrer").click()
    assert plain(heading(page)) == "Demande à Doctolib"
    assert "estimation" in page.locator("main").inner_text()
    page.get_by_role("link", name="Indiquer la date de réception").click()
    fill_date(page, day)
    page.get_by_role("button", name="Enregistrer").click()

    # the due date, with the rule that produced it
    due = gdpr_deadline(day).due
    assert due is not None
    main = page.locator("main").inner_text()
    assert f"Le {long_date(due, 'fr')}" in main
    assert "Le RGPD (article 12) donne un mois" in main
    assert "1A 123 456 7890 1" in main

    # the answer arrived: the answer step checks it; the retention period is missing
    page.get_by_role("link", name="Indiquer la réponse reçue").click()
    assert plain(heading(page)) == "Qu'a répondu l'organisme ?"
    page.get_by_label("Réponse incomplète").check()
    fill_date(page, day)
    boxes = page.locator("input[name=contained]")
    for index in range(boxes.count()):
        box = boxes.nth(index)
        if box.get_attribute("value") != "retention":
            box.check()
    page.get_by_role("button", name="Enregistrer").click()
    main = page.locator("main").inner_text()
    assert "Réponse incomplète" in main
    assert "Écrivez la lettre de réponse incomplète" in main

    # the incomplete-answer letter, written from the proceeding's own data
    page.get_by_role("link", name="Préparer la lettre de réponse incomplète").click()
    assert "durée de conservation" in page.locator(".paper").inner_text()
    page.get_by_role("button", name="Écrire cette lettre et la garder dans la démarche").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger Signaler une réponse incomplète").click()
    target = tmp_path / "reponse-incomplete.pdf"
    download_info.value.save_as(target)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "durée de conservation" in text
    assert "1A 123 456 7890 1" in text
    assert long_date(day, "fr") in text

    page.get_by_role("link", name="Mes démarches", exact=True).first.click()
    assert plain(heading(page)) == "Mes démarches"
    assert "Doctolib" in page.locator("main").inner_text()

    origins = {url.split("/", 3)[2] for url in page.requested if url.startswith("http")}
    assert origins == {f"127.0.0.1:{live_server.port}"}
