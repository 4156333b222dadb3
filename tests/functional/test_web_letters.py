"""The letter pages for every kind: choosing the letter, its options, downloads; and packs."""

import datetime as dt
import email
import io
import re
import zipfile
from collections.abc import Iterator
from email.policy import default
from typing import Any

import pytest
from sqlmodel import Session, select

from app import clock
from app.clock import PARIS
from app.models.session import Draft
from tests.conftest import csrf_from
from tests.support.pagecheck import CheckedClient
from tests.support.pages import IDENTITY_FORM, PACK, error_messages, seed_selection, walk
from tests.support.texts import plain
from tests.support.world import typed_date

SITE_KINDS: list[tuple[str, dict[str, dict[str, Any]], list[str], str]] = [
    ("access", {}, ["hebergement"], "article 15"),
    ("erasure", {"motifs": {"grounds": ["unlawful"]}}, ["motifs", "compte"], "paragraphe 1, d)"),
    (
        "objection",
        {"utilisations": {"purposes": ["legitimate"]}, "situation": {"situation": "Je déménage"}},
        ["utilisations", "situation"],
        "situation particulière : Je déménage.",
    ),
    (
        "rectification",
        {"corrections": {"corrections.0.current": "Dupond", "corrections.0.corrected": "Dupont"}},
        ["corrections"],
        "« Dupond » est inexact",
    ),
    ("portability", {"destinataire": {"transmit_to": "Clinique"}}, ["destinataire"], "article 20"),
    (
        "medical-record",
        {"forme": {"delivery": "on-site"}},
        ["demandeur", "destinataire", "forme", "periode"],
        "consulter ces documents sur place",
    ),
    (
        "reminder",
        {
            "demande": {
                **typed_date("request_date", "2026-01-05"),
                **typed_date("received", "2026-01-07"),
            }
        },
        ["demande", "prolongation", "justificatif"],
        "Vous l'avez reçue le 7 janvier 2026",
    ),
    (
        "incomplete-answer",
        {"manques": {"missing": ["copy", "hds"]}},
        ["demande", "manques"],
        "la copie de mes données personnelles (article 15, paragraphe 3)",
    ),
    (
        "complaint-file",
        {"suite": {"outcome": "refused"}},
        ["demande", "suite"],
        "L'organisme a refusé de donner suite",
    ),
    (
        "mandate",
        {
            "mandataire": {
                "agent.name": "Jeanne Dupont",
                "agent.address_lines.0": "3 rue Haute",
                "agent.address_lines.1": "69001 Lyon",
            },
            "duree": {"answers_to": "agent"},
        },
        ["mandataire", "droits", "duree"],
        "adressées au mandataire, Jeanne Dupont, à l'adresse 3 rue Haute, 69001 Lyon",
    ),
]


@pytest.mark.parametrize(
    ("kind", "answers", "pages", "expected"), SITE_KINDS, ids=[case[0] for case in SITE_KINDS]
)
def test_every_kind_from_the_site_in_every_format(
    client: CheckedClient,
    kind: str,
    answers: dict[str, dict[str, Any]],
    pages: list[str],
    expected: str,
) -> None:
    assert walk(client, "doctolib", kind, answers) == pages
    preview = client.get("/lettres/apercu")
    assert preview.status_code == 200
    text = " ".join(re.sub(r"<[^>]+>", " ", preview.text).split())
    assert " ".join(expected.replace("'", "&#39;").split()) in " ".join(
        re.sub(r"<[^>]+>", " ", preview.text).split()
    ) or expected in text.replace("&#39;", "'")
    pdf = client.get("/lettres/lettre.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    eml = client.get("/lettres/lettre.eml")
    assert eml.headers["content-type"] == "message/rfc822"
    if kind == "medical-record":  # to the director, never to the privacy contact
        assert b"dataprivacy" not in eml.content
    elif kind not in {"complaint-file", "mandate"}:  # to the CNIL by its form; to the agent
        assert b"To: Doctolib SAS <contact.dataprivacy@doctolib.com>" in eml.content
    txt = client.get("/lettres/lettre.txt")
    assert txt.headers["content-type"] == "text/plain; charset=utf-8"
    assert expected in " ".join(txt.text.split())
    paste = client.get("/lettres/texte")
    assert paste.status_code == 200
    assert "<textarea" in paste.text
    if kind not in {"complaint-file", "mandate", "medical-record"}:
        assert 'href="mailto:contact.dataprivacy@doctolib.com?subject=' in preview.text
        # a letter longer than a mailto: link may be is left out of it, and the page says so
        whole = "&amp;body=" in preview.text
        assert whole != ("trop longue pour être mise dans l'e-mail" in plain(preview.text))
        assert whole == (kind == "reminder")


def test_the_recommended_letter_comes_first_with_its_reason(client: CheckedClient) -> None:
    token = csrf_from(client.get("/lettres").text)
    client.post("/lettres/plateforme", data={"slug": "23andme", "csrf_token": token})
    page = client.get("/lettres/demande")
    assert "Notre conseil : Faire effacer mes données" in plain(page.text)
    assert "destruction de l&#39;échantillon" in page.text  # the record's recommended_reason
    assert re.search(r'value="erasure" checked', page.text)
    assert "Faire effacer mes données — recommandé" in page.text
    assert "Saisir la CADA" not in page.text  # not a hospital
    response = client.post("/lettres/demande", data={"kind": "divination", "csrf_token": token})
    assert response.status_code == 422
    assert "Choisissez le type de lettre" in error_messages(response.text)["kind"]


def test_heirs_are_asked_who_the_patient_was_and_why(client: CheckedClient) -> None:
    pages = walk(
        client,
        "doctolib",
        "medical-record",
        {
            "demandeur": {"requester": "heir"},
            "patient": {"patient.given_name": "Paul", "patient.family_name": "Dupont"},
            "deces": {"patient.death_date": "2025-12-01", "heir_purposes": ["memory"]},
        },
    )
    assert pages == ["demandeur", "patient", "deces", "destinataire", "forme", "periode"]
    text = " ".join(client.get("/lettres/lettre.txt").text.split())
    assert "Je suis ayant droit de Paul Dupont" in text
    assert "défendre sa mémoire." in text
    assert "L. 1110-4 (V)" in text


@pytest.mark.parametrize(
    ("page", "data", "field", "message"),
    [
        ("motifs", {}, "grounds", "Cochez au moins une case."),
        ("motifs", {"grounds": "boredom"}, "grounds", "Cochez au moins une case."),
        ("compte", {"close_account": "maybe"}, None, None),
    ],
)
def test_option_errors_are_shown_next_to_the_field_and_change_nothing(
    client: CheckedClient,
    db: Session,
    page: str,
    data: dict[str, Any],
    field: str | None,
    message: str | None,
) -> None:
    token = csrf_from(client.get("/lettres").text)
    client.post("/lettres/plateforme", data={"slug": "doctolib", "csrf_token": token})
    client.post("/lettres/demande", data={"kind": "erasure", "csrf_token": token})
    if page == "compte":
        client.post("/lettres/options/motifs", data={"grounds": "unlawful", "csrf_token": token})
    before = db.exec(select(Draft)).one().payload
    response = client.post(f"/lettres/options/{page}", data={**data, "csrf_token": token})
    if field is None:  # an unknown yes/no answer counts as no answer: the default stays
        assert response.status_code == 200
        return
    assert response.status_code == 422
    assert message in error_messages(response.text)[field]
    assert f'href="#field-{field}"' in response.text
    assert db.exec(select(Draft)).one().payload == before


def test_a_date_that_does_not_exist_is_explained(client: CheckedClient) -> None:
    token = csrf_from(client.get("/lettres").text)
    client.post("/lettres/plateforme", data={"slug": "doctolib", "csrf_token": token})
    client.post("/lettres/demande", data={"kind": "reminder", "csrf_token": token})
    response = client.post(
        "/lettres/options/demande",
        data={
            **typed_date("request_date", "2026-02-28"),
            "request_date_day": "31",
            **typed_date("received", "2099-01-01"),
            "csrf_token": token,
        },
    )
    assert response.status_code == 422
    errors = error_messages(response.text)
    assert errors["request_date"] == (
        "Date d'envoi de votre demande : cette date n'existe pas. Vérifiez le jour et le mois."
    )
    assert "elle doit être passée" in errors["received"]


def test_option_pages_cannot_be_skipped(client: CheckedClient) -> None:
    token = csrf_from(client.get("/lettres").text)
    client.post("/lettres/plateforme", data={"slug": "doctolib", "csrf_token": token})
    response = client.get("/lettres/options/motifs", follow_redirects=False)
    assert response.headers["location"] == "/lettres/demande"
    client.post("/lettres/demande", data={"kind": "erasure", "csrf_token": token})
    response = client.get("/lettres/identite", follow_redirects=False)
    assert response.headers["location"] == "/lettres/options/motifs"
    response = client.get("/lettres/options/nope", follow_redirects=False)
    assert response.headers["location"] == "/lettres/options/motifs"


def test_a_pack_from_review_to_downloads(client: CheckedClient, db: Session) -> None:
    token = seed_selection(client, db, PACK)
    review = client.get("/lettres/lot")
    assert review.status_code == 200
    assert "3 lettres vous sont proposées" in review.text
    assert "Centre hospitalier d&#39;Exempleville" in review.text
    # first requests only: no reminder, complaint or CADA referral before anything was sent
    for follow_up in ("cada-referral", "reminder", "complaint-file", "incomplete-answer"):
        assert f'value="{follow_up}"' not in review.text
    client.post("/lettres/lot/modifier", data={"index": 0, "kind": "access", "csrf_token": token})
    client.post("/lettres/lot/retirer", data={"index": 1, "csrf_token": token})
    review = client.get("/lettres/lot")
    assert "2 lettres vous sont proposées" in review.text
    assert 'name="suite" value="identite"' in review.text
    assert client.get("/lettres/lot/apercu", follow_redirects=False).status_code == 303
    assert client.get("/lettres/lot/identite").status_code == 200
    response = client.post(
        "/lettres/lot/identite",
        data={**IDENTITY_FORM, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/lettres/lot/apercu"
    preview = client.get("/lettres/lot/apercu")
    assert preview.status_code == 200
    assert "2 lettres sont prêtes." in preview.text
    assert "Demande d&#39;accès à mes données personnelles - Doctolib SAS" in preview.text
    pdf = client.get("/lettres/lot.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    archive = zipfile.ZipFile(io.BytesIO(client.get("/lettres/lot.zip").content))
    assert archive.namelist() == [
        "LISEZ-MOI.txt",
        "1-reprise-acces-doctolib.pdf",
        "2-reprise-dossier-medical-organisme.pdf",
    ]


def test_a_pack_reuses_the_identity_already_given(client: CheckedClient, db: Session) -> None:
    walk(client, "doctolib", "access")
    seed_selection(client, db, PACK[:1])
    review = client.get("/lettres/lot")
    assert 'name="suite" value="apercu"' in review.text  # "Voir mes lettres" keeps the choices
    assert client.get("/lettres/lot/apercu").status_code == 200


def test_an_empty_pack_says_so(client: CheckedClient) -> None:
    page = client.get("/lettres/lot")
    assert page.status_code == 200
    assert "Votre liste est vide." in page.text


ORGANISATION = {
    "name": "Centre hospitalier de Valence",
    "line1": "Direction",
    "line2": "179 boulevard Maréchal Juin",
    "line3": "26953 Valence cedex 9",
    "email": "",
    "category": "hospital",
    "public": "yes",
}


@pytest.fixture
def early_march() -> Iterator[None]:
    """Follow-ups about January requests are written in early March (inside their periods)."""
    with clock.running_from(dt.datetime(2026, 3, 5, 10, tzinfo=PARIS)):
        yield


def test_a_letter_to_an_organisation_typed_in(early_march: None, client: CheckedClient) -> None:
    page = client.get("/lettres")
    assert 'href="/lettres/organisme"' in page.text
    token = csrf_from(client.get("/lettres/organisme").text)
    response = client.post(
        "/lettres/organisme", data={**ORGANISATION, "csrf_token": token}, follow_redirects=False
    )
    assert response.headers["location"] == "/lettres/demande"
    kinds = client.get("/lettres/demande")
    assert "Obtenir mon dossier médical — recommandé" in kinds.text
    assert "Saisir la CADA" in kinds.text  # a public hospital
    response = client.post(
        "/lettres/demande",
        data={"kind": "cada-referral", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/lettres/options/demande"
    client.post(
        "/lettres/options/demande",
        data={
            **typed_date("request_date", "2026-01-05"),
            **typed_date("received", "2026-01-07"),
            "csrf_token": token,
        },
    )
    client.post("/lettres/identite", data={**IDENTITY_FORM, "csrf_token": token})
    preview = client.get("/lettres/apercu")
    assert "Vérifiez l'adresse de la CADA" in plain(preview.text).replace("&#39;", "'")
    text = " ".join(client.get("/lettres/lettre.txt").text.split())
    assert "j'ai demandé à l'établissement public de santé Centre hospitalier de Valence" in text
    assert client.get("/lettres/lettre.pdf").content.startswith(b"%PDF-")


def test_an_organisation_needs_a_name_and_a_real_email(client: CheckedClient) -> None:
    token = csrf_from(client.get("/lettres/organisme").text)
    response = client.post(
        "/lettres/organisme",
        data={**ORGANISATION, "name": "", "email": "dpo@", "csrf_token": token},
    )
    assert response.status_code == 422
    errors = error_messages(response.text)
    assert errors["name"] == "Indiquez le nom de l'organisme."
    assert "adresse e-mail complète" in errors["email"]


def test_a_private_organisation_is_not_offered_the_cada(client: CheckedClient) -> None:
    token = csrf_from(client.get("/lettres/organisme").text)
    client.post(
        "/lettres/organisme",
        data={**ORGANISATION, "public": "no", "csrf_token": token},
    )
    assert "Saisir la CADA" not in client.get("/lettres/demande").text
    response = client.post("/lettres/demande", data={"kind": "cada-referral", "csrf_token": token})
    assert response.status_code == 422


def test_the_letter_pages_in_english(client: CheckedClient) -> None:
    client.get("/langue/en?next=/lettres")
    token = csrf_from(client.get("/lettres").text)
    client.post("/lettres/plateforme", data={"slug": "doctolib", "csrf_token": token})
    kinds = client.get("/lettres/demande")
    assert "Which letter do you want to write to Doctolib?" in kinds.text
    assert "Have my data erased — recommended" in kinds.text
    client.post("/lettres/demande", data={"kind": "erasure", "csrf_token": token})
    grounds = client.get("/lettres/options/motifs")
    assert "Why do you ask for erasure?" in grounds.text
    assert "I no longer use this service" in grounds.text


def test_a_cada_referral_from_the_site_in_every_format(
    early_march: None, client: CheckedClient
) -> None:
    """Offered for a public hospital only; in every format, always addressed to the CADA."""
    assert walk(
        client,
        "ap-hp",
        "cada-referral",
        {
            "demande": {
                **typed_date("request_date", "2026-01-05"),
                **typed_date("received", "2026-01-07"),
            }
        },
    ) == ["demande"]
    preview = plain(client.get("/lettres/apercu").text).replace("&#39;", "'")
    assert "Commission d'accès aux documents administratifs (CADA)" in preview
    txt = " ".join(client.get("/lettres/lettre.txt").text.split())
    assert (
        "Le 5 janvier 2026, j'ai demandé à l'établissement public de santé Assistance Publique"
        in plain(txt)
    )
    assert "article R. 343-1" in plain(txt)
    assert "(CADA) TSA 50730 75334 Paris Cedex 07" in txt
    assert client.get("/lettres/lettre.pdf").content.startswith(b"%PDF-")
    eml = email.message_from_bytes(client.get("/lettres/lettre.eml").content, policy=default)
    assert eml["Subject"].startswith("Saisine de la Commission d'accès")
    assert "L. 342-1" in eml.get_content()
    assert "<textarea" in client.get("/lettres/texte").text


def test_without_an_address_the_person_gives_the_one_they_found(client: CheckedClient) -> None:
    token = csrf_from(client.get("/lettres/organisme").text)
    client.post(
        "/lettres/organisme",
        data={"name": "Cabinet Exemple", "category": "other", "public": "", "csrf_token": token},
    )
    client.post("/lettres/demande", data={"kind": "access", "csrf_token": token})
    client.post("/lettres/options/hebergement", data={"sovereignty": "no", "csrf_token": token})
    client.post("/lettres/identite", data={**IDENTITY_FORM, "csrf_token": token})
    preview = client.get("/lettres/apercu")
    assert "À quelle adresse envoyer cette lettre ?" in plain(preview.text)
    token = csrf_from(preview.text)
    assert 'href="/lettres/lettre.pdf"' not in preview.text
    # no letter with a blank address is handed over before the person chooses
    held = client.get("/lettres/lettre.pdf", follow_redirects=False)
    assert held.status_code == 303
    assert held.headers["location"] == "/lettres/apercu#adresse"
    short = client.post("/lettres/adresse", data={"address_1": "3 rue X", "csrf_token": token})
    assert short.status_code == 422
    assert "deux lignes au moins" in error_messages(short.text)["address_1"]
    client.post(
        "/lettres/adresse",
        data={"address_1": "3 rue des Tilleuls", "address_2": "69001 Lyon", "csrf_token": token},
    )
    text = client.get("/lettres/lettre.txt").text
    assert "Cabinet Exemple\n3 rue des Tilleuls\n69001 Lyon" in text
    assert "Lettre recommandée avec accusé de réception" in text
    # or the person chooses to write it by hand
    client.post("/lettres/adresse", data={"by_hand": "yes", "csrf_token": token})
    assert client.get("/lettres/lettre.pdf").content.startswith(b"%PDF-")


def test_the_french_pages_warn_before_an_english_letter(client: CheckedClient) -> None:
    walk(client, "23andme", "access")
    preview = plain(client.get("/lettres/apercu").text).replace("&#39;", "'")
    assert "Cette lettre est en anglais" in preview
    token = csrf_from(client.get("/lettres").text)
    client.post("/lettres/plateforme", data={"slug": "doctolib", "csrf_token": token})
    client.post("/lettres/demande", data={"kind": "access", "csrf_token": token})
    client.post("/lettres/options/hebergement", data={"sovereignty": "no", "csrf_token": token})
    assert "Cette lettre est en anglais" not in client.get("/lettres/apercu").text
