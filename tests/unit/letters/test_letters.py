"""Letters: the legal mentions, the layout data, and the PDF's real text."""

import email
from dataclasses import replace
from datetime import date
from email.policy import default
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from app.catalogue.loader import get_catalogue
from app.letters.compose import recipient_from_platform
from app.letters.document import Letter, Paragraph
from app.letters.email import MAILTO_MAX, letter_eml, mailto_has_body, mailto_link
from app.letters.identity import Identity
from app.letters.options import ErasureOptions
from app.letters.render import letter_body_text, letter_pdf, letter_text
from app.letters.service import make_letter
from tests.support.documents import pdf_text
from tests.support.texts import plain

TODAY = date(2026, 3, 5)


def erasure(
    identity: dict[str, Any], slug: str = "doctolib", lang: str | None = None, **options: Any
) -> Letter:
    platform = get_catalogue().get(slug)
    assert platform is not None
    return make_letter(
        "erasure",
        Identity.model_validate(identity),
        recipient_from_platform(platform),
        ErasureOptions(**options),
        TODAY,
        lang,
    )


FRENCH_MENTIONS = [
    "article 17 du règlement général sur la protection des données",
    "article 19 du RGPD",
    "article 12, paragraphe 3, du RGPD",
    "un mois à compter de la réception",
    "Je ne joins pas de copie de pièce d'identité",
    "article 17, paragraphe 3",
    "article 77 du RGPD",
    "Lettre recommandée avec accusé de réception",
]


@pytest.mark.parametrize("mention", FRENCH_MENTIONS)
def test_erasure_letter_states_the_law(identity_data: dict[str, Any], mention: str) -> None:
    assert mention in letter_text(erasure(identity_data))


def test_erasure_letter_layout(identity_data: dict[str, Any]) -> None:
    letter = erasure(identity_data)
    assert letter.sender_lines == ("Marie Dupont", "12 rue des Lilas", "75011 Paris")
    assert letter.recipient.name == "Doctolib SAS"
    assert letter.recipient.address_lines[-1] == "92300 Levallois-Perret"
    assert letter.place_date == "À Paris, le 5 mars 2026"
    assert plain(letter.subject).startswith("Objet : demande d'effacement")
    assert letter.subject.startswith("Objet\u00a0:")  # French typography: no lone colon
    assert ("Date de naissance", "17 mai 1980") in letter.references
    assert ("Adresse du compte", "marie.dupont@example.org") in letter.references
    assert letter.signature_name == "Marie Dupont"
    assert letter.file_stem == "reprise-effacement-doctolib"


@pytest.mark.parametrize(
    ("grounds", "expected", "absent"),
    [
        (["no-longer-needed"], "paragraphe 1, a)", "paragraphe 1, b)"),
        (["consent-withdrawn"], "paragraphe 1, b)", "paragraphe 1, a)"),
        (["objection"], "paragraphe 1, c)", "paragraphe 1, d)"),
        (["unlawful"], "paragraphe 1, d)", "paragraphe 1, c)"),
        (["legal-obligation"], "paragraphe 1, e)", "paragraphe 1, f)"),
        (["child"], "paragraphe 1, f)", "paragraphe 1, e)"),
    ],
)
def test_only_the_chosen_grounds_are_cited(
    identity_data: dict[str, Any], grounds: list[str], expected: str, absent: str
) -> None:
    text = letter_body_text(erasure(identity_data, grounds=grounds))
    assert expected in text
    assert absent not in text


def test_english_letter_for_english_speaking_platforms(identity_data: dict[str, Any]) -> None:
    text = letter_text(erasure(identity_data, slug="23andme"))
    assert "Article 17 of the General Data Protection Regulation" in text
    assert "within one month of receiving" in text
    assert "Article 19" in text
    assert "Madame, Monsieur" not in text


def test_a_foreign_address_prints_its_country(identity_data: dict[str, Any]) -> None:
    identity_data["postal_address"] = {
        "lines": ["Rue Haute 1"],
        "postal_code": "1000",
        "city": "Bruxelles",
        "country": "BE",
    }
    assert erasure(identity_data).sender_lines[-1] == "BELGIQUE"


def test_pdf_is_an_a4_tagged_document_with_metadata(
    identity_data: dict[str, Any], tmp_path: Path
) -> None:
    data = letter_pdf(erasure(identity_data))
    path = tmp_path / "l.pdf"
    path.write_bytes(data)
    reader = PdfReader(path)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert reader.metadata is not None
    assert reader.metadata.title == "Demande d'effacement de données personnelles - Doctolib SAS"
    assert reader.metadata.author == "Marie Dupont"
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "fr"


def test_pdf_text_holds_sender_recipient_and_law(
    identity_data: dict[str, Any], tmp_path: Path
) -> None:
    text = " ".join(pdf_text(letter_pdf(erasure(identity_data)), tmp_path).split())
    for expected in (
        "Marie Dupont",
        "12 rue des Lilas",
        "75011 Paris",
        "Doctolib SAS",
        "54 quai Charles Pasqua",
        "92300 Levallois-Perret",
        "article 17",
        "un mois à compter de la réception",
        "article 19",
        "Signature",
    ):
        assert expected in text, expected


HOSTILE_NAMES = [
    "<b>Zoé</b>",
    '<img src="http://127.0.0.1:9/x.png">',
    'O\'Brien "Le Grand" & Fils',
    "Ærøskøbing Łukasz Ñúñez",
    "Zoë 😀 🎉",
    "</div><script>alert(1)</script>",
    "{{ 7*7 }} {% raw %}",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_names_come_out_as_literal_text(
    identity_data: dict[str, Any], tmp_path: Path, name: str
) -> None:
    identity_data["given_name"] = name
    letter = erasure(identity_data)
    text = pdf_text(letter_pdf(letter), tmp_path)
    assert name in text
    assert f"{name} Dupont" in letter_text(letter)


@pytest.mark.parametrize(
    ("slug", "subject"),
    [
        ("doctolib", "Demande d'effacement de mes données personnelles"),
        ("23andme", "Request for erasure of my personal data (Article 17 GDPR)"),
    ],
)
def test_the_email_subject_is_the_letter_subject_without_its_label(
    identity_data: dict[str, Any], slug: str, subject: str
) -> None:
    """French typography puts a no-break space before the colon of "Objet :": the email's
    Subject still loses the whole label, in the .eml and in the mailto: link."""
    letter = erasure(identity_data, slug=slug)
    message = email.message_from_bytes(letter_eml(letter, "marie@example.org"), policy=default)
    assert message["Subject"].startswith(subject[:20])
    assert not message["Subject"].lower().startswith(("objet", "subject"))
    link = mailto_link(letter)
    assert link is not None
    assert unquote(link.split("subject=", 1)[1].split("&", 1)[0]) == message["Subject"]


@given(st.text(min_size=0, max_size=900))
def test_a_mailto_link_never_outgrows_what_mail_programs_keep(text: str) -> None:
    """Up to MAILTO_MAX characters the link carries the whole text, exactly; beyond, its subject
    only (the page then says to paste the text): never a letter cut short."""
    full = erasure(
        {
            "given_name": "Marie",
            "family_name": "Dupont",
            "postal_address": {"lines": ["1 rue A"], "postal_code": "75011", "city": "Paris"},
        }
    )
    letter = replace(full, blocks=(Paragraph((text,)),), references=())
    link = mailto_link(letter)
    assert link is not None
    if mailto_has_body(link):
        assert len(link) <= MAILTO_MAX
        assert unquote(link.split("&body=", 1)[1]) == letter_body_text(letter)
    else:
        assert len(f"{link}&body={quote(letter_body_text(letter))}") > MAILTO_MAX
        assert "&body=" not in link


def test_a_whole_letter_is_too_long_for_a_mailto_link(identity_data: dict[str, Any]) -> None:
    assert not mailto_has_body(mailto_link(erasure(identity_data)))
