"""The platform page: to whom each request goes, when Reprise checked it, and where."""

import html
import re

from tests.support.pagecheck import CheckedClient
from tests.support.texts import page_text, plain


def test_each_channel_says_to_whom_and_when_it_was_checked_with_a_link(
    client: CheckedClient,
) -> None:
    page = plain(html.unescape(client.get("/plateformes/doctolib").text))
    assert "Délégué à la protection des données (DPO)" in page
    assert "contact.dataprivacy@doctolib.com" in page
    # The day Reprise read the source, and the source itself for the patient to check.
    assert re.search(
        r"vérifié le 28 novembre 2026, <a href=\"https://doctolib.legal/privacy-policy-B2C-FR\"",
        page,
    ), page
    assert "document daté de 2026-07" in page


def test_a_right_without_a_channel_says_why_and_what_to_do(client: CheckedClient) -> None:
    page = page_text(client.get("/plateformes/ap-hm").text)
    assert "Sans adresse connue : Dossier médical." in page
    assert "Écrivez au directeur de l'établissement" in page
    # The DPO still receives the other requests.
    assert "dpo@ap-hm.fr" in page


def test_a_record_with_recent_sources_but_no_channel_for_a_right_still_asks_to_check() -> None:
    from app.catalogue.loader import get_catalogue

    aphp = get_catalogue().get("ap-hp")
    assert aphp is not None
    assert aphp.quality == "verified"
    assert aphp.uncovered_rights == ["medical-record"]
    assert aphp.verified is False  # the letters and the checklist flag its address
