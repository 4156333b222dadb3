"""In Chromium: the tracking page tells the truth about the dates it uses, and says when and
why the due date moves."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app import clock
from app.clock import PARIS
from tests.browser.conftest import shoot
from tests.support.browser import fill_date, sign_in, tracked_request
from tests.support.texts import plain

pytestmark = pytest.mark.browser

# A Saturday: by post, the receipt is estimated three working days later (Wednesday 9),
# so the month ends on Saturday 9 January 2027, moved to Monday 11.
SATURDAY = dt.datetime(2026, 12, 5, 10, 0, tzinfo=PARIS)


def record_sending_by_post(page: Any, day: dt.date) -> None:
    page.get_by_role("link", name="Indiquer la date d'envoi").click()
    fill_date(page, day)
    page.get_by_label("Par courrier").check()
    page.get_by_role("button", name="Enregistrer").click()


def main_text(page: Any) -> str:
    return plain(str(page.locator("main").inner_text()))


def test_an_answer_before_the_estimated_receipt_moves_the_due_date_and_says_why(
    page: Any, live_server: Any
) -> None:
    with clock.running_from(SATURDAY):
        pid = tracked_request(live_server.engine, "suivi.explique@example.org")
        sign_in(page, "suivi.explique@example.org")
        page.goto(f"/suivi/{pid}")
        record_sending_by_post(page, SATURDAY.date())
        main = main_text(page)
        assert "Le 11 janvier 2027" in main
        assert "est arrivée le 9 décembre 2026, 3 jours ouvrables plus tard" in main

        # the incomplete answer arrives the same day: the platform had the request by then
        page.goto(f"/suivi/{pid}/verifier")
        fill_date(page, SATURDAY.date())
        page.locator("input[name=contained]").first.check()
        page.get_by_role("button", name="Enregistrer la vérification").click()
        shoot(page, "1-tracking-explained")
        main = main_text(page)
        assert "Le 5 janvier 2027" in main
        assert "3 jours ouvrables plus tard" not in main
        assert "l'organisme a répondu le 5 décembre 2026" in main.lower() or (
            "L'organisme a répondu le 5 décembre 2026" in main
        )
        assert (
            "La date limite passe du 11 janvier 2027 au 5 janvier 2027, parce que "
            "l'organisme a répondu le 5 décembre 2026 : il avait donc reçu votre demande au "
            "plus tard ce jour-là." in main
        )


def test_a_known_receipt_date_replacing_the_estimate_is_announced(
    page: Any, live_server: Any
) -> None:
    with clock.running_from(SATURDAY + dt.timedelta(days=5)):
        pid = tracked_request(
            live_server.engine, "suivi.reception@example.org", written=SATURDAY.date()
        )
        sign_in(page, "suivi.reception@example.org")
        page.goto(f"/suivi/{pid}")
        record_sending_by_post(page, SATURDAY.date())
        page.get_by_role("link", name="Demande reçue par l'organisme").click()
        fill_date(page, dt.date(2026, 12, 8))
        page.get_by_role("button", name="Enregistrer").click()
        main = main_text(page)
        assert "Le 8 janvier 2027" in main
        assert (
            "La date limite passe du 11 janvier 2027 au 8 janvier 2027, parce que la date de "
            "réception que vous avez indiquée, le 8 décembre 2026, remplace l'estimation." in main
        )


def outcome_labels(page: Any) -> list[str]:
    legend = page.locator("fieldset", has_text="Ce que dit la réponse")
    return [plain(label) for label in legend.locator("label").all_inner_texts()]


def test_one_answer_step_offers_every_answer_and_checks_an_incomplete_one(
    page: Any, live_server: Any
) -> None:
    with clock.running_from(SATURDAY):
        pid = tracked_request(live_server.engine, "suivi.reponse@example.org")
        sign_in(page, "suivi.reponse@example.org")
        page.goto(f"/suivi/{pid}")
        record_sending_by_post(page, SATURDAY.date())
        page.get_by_role("link", name="Indiquer la réponse reçue").click()
        assert plain(page.get_by_role("heading", level=1).inner_text()) == (
            "Qu'a répondu l'organisme ?"
        )
        assert outcome_labels(page) == ["Réponse complète", "Réponse incomplète", "Refus"]
        # everything ticked, yet "incomplete": said next to the boxes, and the ticks stay
        page.get_by_label("Réponse incomplète").check()
        boxes = page.locator("input[name=contained]")
        for index in range(boxes.count()):
            boxes.nth(index).check()
        page.get_by_role("button", name="Enregistrer").click()
        assert "Vous avez tout coché" in plain(page.locator(".error-summary").inner_text())
        assert page.locator("input[name=contained]:checked").count() == boxes.count()
        page.get_by_label("Combien de temps elle les garde").uncheck()
        page.get_by_role("button", name="Enregistrer").click()
        main = main_text(page)
        assert "Réponse incomplète" in main
        assert "1 élément manquant" in main
        assert "Écrivez la lettre de réponse incomplète" in main


def test_an_erasure_answer_can_be_a_partial_erasure(page: Any, live_server: Any) -> None:
    with clock.running_from(SATURDAY):
        pid = tracked_request(live_server.engine, "suivi.effacement@example.org", "erasure")
        sign_in(page, "suivi.effacement@example.org")
        page.goto(f"/suivi/{pid}")
        record_sending_by_post(page, SATURDAY.date())
        page.get_by_role("link", name="Indiquer la réponse reçue").click()
        assert outcome_labels(page) == ["Données effacées", "Effacement partiel", "Refus"]
        assert page.locator("input[name=contained]").count() == 0
        page.get_by_label("Effacement partiel").check()
        page.get_by_role("button", name="Enregistrer").click()
        assert "Réponse incomplète" in main_text(page)


def test_a_follow_up_is_read_first_and_its_missing_receipt_date_asked(
    page: Any, live_server: Any
) -> None:
    with clock.running_from(SATURDAY + dt.timedelta(days=5)):
        pid = tracked_request(
            live_server.engine, "suivi.relance@example.org", written=SATURDAY.date()
        )
        sign_in(page, "suivi.relance@example.org")
        page.goto(f"/suivi/{pid}")
        record_sending_by_post(page, SATURDAY.date())
        page.get_by_role("link", name="Indiquer la réponse reçue").click()
        page.get_by_label("Réponse incomplète").check()
        page.get_by_label("Une copie de vos données").check()
        fill_date(page, dt.date(2026, 12, 10))
        page.get_by_role("button", name="Enregistrer").click()
        assert "rien à retaper" not in main_text(page)

        # the button says which letter; the letter is shown, nothing is written yet
        page.get_by_role("link", name="Préparer la lettre de réponse incomplète").click()
        assert plain(page.get_by_role("heading", level=1).inner_text()) == (
            "Relisez la lettre avant de l'écrire"
        )
        letter = plain(page.locator(".paper").inner_text())
        assert "[date de réception]" in letter
        assert "Il manque la date de réception" in main_text(page)
        shoot(page, "3-follow-up-preview")

        # the receipt date, asked before writing, goes into the letter
        fill_date(page, dt.date(2026, 12, 8))
        page.get_by_role("button", name="Indiquer la date de réception").click()
        letter = plain(page.locator(".paper").inner_text())
        assert "[date de réception]" not in letter
        assert "Vous l'avez reçue le 8 décembre 2026" in letter.replace("’", "'")
        assert "Il manque la date de réception" not in main_text(page)

        page.get_by_role("button", name="Écrire cette lettre et la garder dans la démarche").click()
        assert "La lettre est prête" in main_text(page)
        page.get_by_role("link", name="Indiquer l'envoi de la lettre de réponse incomplète").click()
        assert plain(page.get_by_role("heading", level=1).inner_text()) == (
            "Quand avez-vous envoyé la lettre de réponse incomplète ?"
        )
