"""Every letter can be sent as the page says, and says nothing Reprise did not check (issue 12,
section 3): follow-ups without dates, the head that matches the channel, a recipient address
that is never left blank unless the person chose it, English letters without French."""

import io
import re
import zipfile
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from app.catalogue.loader import get_catalogue
from app.i18n import use_locale
from app.letters.compose import recipient_from_platform
from app.letters.document import Letter, Recipient
from app.letters.identifier_labels import LETTER_LABELS, letter_label
from app.letters.identity import LABEL_MAX, Identity
from app.letters.kinds import OPTION_MODELS
from app.letters.render import letter_body_text, letter_text
from app.letters.service import make_letter
from tests.conftest import csrf_from
from tests.support.letter_strategies import OPTIONS, RECIPIENTS
from tests.support.pagecheck import CheckedClient
from tests.support.pages import IDENTITY_FORM, seed_selection, walk
from tests.support.texts import plain

TODAY = date(2026, 12, 5)


def make(
    identity_data: dict[str, Any],
    kind: str,
    slug: str | Recipient = "doctolib",
    lang: str | None = "fr",
    address_found: tuple[str, ...] = (),
    **options: Any,
) -> Letter:
    recipient = (
        slug if isinstance(slug, Recipient) else recipient_from_platform(get_catalogue().get(slug))  # type: ignore[arg-type]
    )
    return make_letter(
        kind,
        Identity.model_validate(identity_data),
        recipient,
        OPTION_MODELS[kind].model_validate(options),
        TODAY,
        lang,
        check_dates=False,
        address_found=address_found,
    )


def flat(text: str) -> str:
    return " ".join(plain(text).split())


# A follow-up written without its dates: Reprise cannot count the period, so the letter states
# the rule and what the person observes; no end date to fill in as if it had been checked.
# kind, options, lang, slug, must say, must never say
UNDATED: list[tuple[str, dict[str, Any], str, str, list[str], list[str]]] = [
    ("reminder", {}, "fr", "doctolib",
     ["vous donne un mois à compter de la réception de ma demande",
      "À la date de cette lettre, je n'ai reçu ni réponse"],
     ["a pris fin", "date de fin du délai", "est dépassé", "est écoulé"]),
    ("reminder", {}, "en", "doctolib",
     ["gives you one month from the receipt of my request",
      "As of the date of this letter, I have received neither an answer"],
     ["ended on", "end of the time limit", "has passed", "has expired"]),
    ("reminder", {"extended": True}, "fr", "doctolib",
     ["Vous m'avez annoncé une prolongation", "trois mois au plus"],
     ["a pris fin", "date de fin du délai", "a lui aussi"]),
    ("reminder", {"extended": True}, "en", "doctolib",
     ["You informed me of an extension", "three months at most"],
     ["ended on", "end of the time limit"]),
    ("reminder", {"request_kind": "medical-record"}, "fr", "ap-hp",
     ["au plus tard huit jours après la réception de la demande",
      "je n'ai reçu ni mon dossier, ni aucune réponse"],
     ["a pris fin", "date de fin du délai", "RGPD"]),
    ("reminder", {"request_kind": "medical-record"}, "en", "ap-hp",
     ["no later than eight days after the request is received"],
     ["ended on", "end of the time limit", "GDPR"]),
    # the CNIL complaint is always in French
    ("complaint-file", {}, "fr", "doctolib",
     ["donne à l'organisme un mois", "À la date de cette réclamation"],
     ["a pris fin", "date de fin du délai"]),
    ("complaint-file", {"extended": True}, "fr", "doctolib",
     ["L'organisme m'a annoncé une prolongation", "il n'a pas répondu"],
     ["a pris fin", "date de fin du délai"]),
    # the CADA referral: the rule on silence, no day it became a refusal
    ("cada-referral", {}, "fr", "ap-hp",
     ["le silence gardé pendant un mois à compter de la réception d'une demande vaut décision "
      "de refus", "l'établissement ne m'a pas répondu"],
     ["vaut décision de refus depuis le", "un mois après la réception]"]),
    ("cada-referral", {"received": "2026-10-07"}, "fr", "ap-hp",
     ["ce silence vaut décision de refus depuis le 7 novembre 2026"], ["après la réception]"]),
    # with dates, the day the period ended is stated: it was counted
    ("reminder", {"received": "2026-10-07"}, "fr", "doctolib",
     ["a pris fin le 9 novembre 2026"], ["date de fin du délai"]),
    ("reminder", {"received": "2026-10-07"}, "en", "doctolib",
     ["ended on 9 November 2026"], ["end of the time limit"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "options", "lang", "slug", "must", "never"),
    UNDATED,
    ids=[f"{case[0]}-{case[2]}-{index}" for index, case in enumerate(UNDATED)],
)
def test_a_follow_up_without_dates_states_no_end_of_period(
    identity_data: dict[str, Any],
    kind: str,
    options: dict[str, Any],
    lang: str,
    slug: str,
    must: list[str],
    never: list[str],
) -> None:
    text = flat(letter_text(make(identity_data, kind, slug, lang, **options)))
    assert [words for words in must if flat(words) not in text] == []
    assert [words for words in never if flat(words) in text] == []


POSTED = "Lettre recommandée avec accusé de réception"
BLANK_ADDRESS = "[adresse postale à compléter]"
FOUND = ("Service clients", "12 rue du Port", "13002 Marseille")
HAND_WITH_ADDRESS = Recipient(
    name="Clinique du Parc", address_lines=("4 avenue du Parc", "69006 Lyon")
)
HAND_EMAIL_ONLY = Recipient(name="Santé Express", address_lines=(), email="dpo@sante.example")
HAND_NOTHING = Recipient(name="Cabinet Exemple", address_lines=())

# The letter's head and address block follow the channel it travels by (issue 12, section 3):
# kind, recipient, address found by the person, head (the line under the date), must say in the
# head of the text, must never say anywhere.
HEADS: list[tuple[str, str | Recipient, tuple[str, ...], str | None, list[str], list[str]]] = [
    ("access", "doctolib", (), POSTED, ["54 quai Charles Pasqua"], [BLANK_ADDRESS]),
    # catalogue records without a postal address
    ("access", "23andme", (), "Envoyée par e-mail à privacy@23andMe.com",
     ["privacy@23andMe.com"], ["recommandée", BLANK_ADDRESS]),
    ("access", "ch-salon", (), "Envoyée par le formulaire en ligne de l'organisme",
     ["https://www.ch-salon.fr/protection-des-donnees/"], ["recommandée", BLANK_ADDRESS]),
    ("access", "1001pharmacies", FOUND, POSTED, list(FOUND), [BLANK_ADDRESS]),
    # nothing known and nothing given (the person chose to write it by hand): a posted letter
    ("access", "1001pharmacies", (), POSTED, [BLANK_ADDRESS], ["compléter avant l'envoi"]),
    # organisations typed in
    ("medical-record", HAND_WITH_ADDRESS, (), POSTED, ["4 avenue du Parc"], [BLANK_ADDRESS]),
    ("access", HAND_EMAIL_ONLY, (), "Envoyée par e-mail à dpo@sante.example",
     ["dpo@sante.example"], ["recommandée", BLANK_ADDRESS]),
    ("medical-record", HAND_NOTHING, FOUND, POSTED, list(FOUND), [BLANK_ADDRESS]),
    ("medical-record", HAND_NOTHING, (), POSTED, [BLANK_ADDRESS], []),
    # the CNIL complaint is filed online or posted, as its head says; a mandate has no head
    ("complaint-file", "doctolib", (), "À déposer avec les pièces jointes sur le formulaire de "
     "plainte en ligne de la CNIL, ou à envoyer par courrier", ["3 place de Fontenoy"], []),
    ("mandate", "doctolib", (), None, [], ["recommandée"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "slug", "found", "head", "must", "never"),
    HEADS,
    ids=[
        f"{case[0]}-{case[1] if isinstance(case[1], str) else case[1].name}-{index}"
        for index, case in enumerate(HEADS)
    ],
)
def test_the_head_of_a_letter_matches_its_channel(
    identity_data: dict[str, Any],
    kind: str,
    slug: str | Recipient,
    found: tuple[str, ...],
    head: str | None,
    must: list[str],
    never: list[str],
) -> None:
    letter = make(identity_data, kind, slug, "fr", address_found=found)
    assert (plain(letter.delivery) if letter.delivery else None) == head
    text = letter_text(letter)
    top = plain(text.split(letter.place_date, 1)[0])  # the addresses, above the date
    assert [words for words in must if words not in top] == []
    assert [words for words in never if words in plain(text)] == []
    body = letter_body_text(letter)  # what an email or a web form receives
    assert BLANK_ADDRESS not in body


# Proper names an English letter keeps in French (the authorities and bodies' own names).
FRENCH_NAMES = re.compile(
    r"Commission nationale de l'informatique et des libertés|"
    r"Commission d'accès aux documents administratifs|"
    r"Système national des données de santé|Mon espace santé|Code de la santé publique|"
    r"Code des relations entre le public et l'administration"
)
FRENCH_WORDS = re.compile(
    r"\b(le|la|les|des|du|et|pour|avec|sans|vous|votre|vos|je|mon|mes|adresse|compléter|"
    r"objet|madame|monsieur|pièces|délibération|né\(e\)|née|soussigné|demeurant|inconnu|"
    r"à l'attention)\b|\[[^\]]*[éèàç][^\]]*\]",
    re.IGNORECASE,
)
TYPED_VALUES = (
    "je suis suivie pour une maladie chronique",
    "2019 à 2024",
    "1 rue de la Paix",
    "3 rue Haute",
    "Dupont",
)


def english_leftovers(letter: Letter) -> list[str]:
    """French words in an English letter, outside the addresses, names and typed values."""
    text = letter_text(letter)
    recipient = letter.recipient
    for line in (*letter.sender_lines, recipient.name, *recipient.address_lines, *TYPED_VALUES):
        text = text.replace(line, " ")
    text = FRENCH_NAMES.sub(" ", text)
    return [
        text[max(0, match.start() - 40) : match.end() + 20] for match in FRENCH_WORDS.finditer(text)
    ]


ENGLISH_KINDS = [kind for kind in OPTION_MODELS if kind not in {"complaint-file", "cada-referral"}]


@pytest.mark.parametrize("kind", ENGLISH_KINDS)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_english_letters_hold_no_french(kind: str, data: st.DataObject) -> None:
    """Every kind, its options drawn by Hypothesis, to catalogue and typed-in recipients, with
    every catalogue identifier filled in: no French words, closed brackets, English dates."""
    options = data.draw(OPTIONS[kind], label="options")
    recipient = data.draw(RECIPIENTS, label="recipient")
    storable = [label for label in CATALOGUE_LABELS if len(label) <= LABEL_MAX]
    labels = data.draw(st.lists(st.sampled_from(storable), max_size=4, unique=True))
    identity = {
        "given_name": "Marie",
        "family_name": "Dupont",
        "title": data.draw(st.sampled_from([None, "madame", "monsieur"])),
        "birth_date": "1980-05-17",
        "email": "marie.dupont@example.org",
        "postal_address": {"lines": ["12 rue des Lilas"], "postal_code": "75011", "city": "Paris"},
        "identifiers": dict.fromkeys(labels, "X-123"),
    }
    if kind == "cada-referral" and recipient.public is False:
        return
    letter = make(identity, kind, recipient, "en", **options)
    assert letter.lang == "en"
    text = letter_text(letter)
    assert english_leftovers(letter) == []
    assert text.count("(") == text.count(")")
    assert "5 December 2026" in text
    for label in labels:
        assert letter_label_en(label) + ": X-123" in text or letter.layout == "document"


CATALOGUE_LABELS = sorted(
    {label for platform in get_catalogue().platforms for label in platform.identifiers}
)


def letter_label_en(label: str) -> str:
    with use_locale("en"):
        return letter_label(label)


@pytest.mark.parametrize("label", CATALOGUE_LABELS)
def test_every_catalogue_identifier_has_a_letter_label_in_both_languages(label: str) -> None:
    """A catalogue label is a question to the person; the letter names the reference, without
    the form's hint ("si vous l'avez"), and an English letter translates it."""
    with use_locale("fr"):
        french = letter_label(label)
    english = letter_label_en(label)
    assert label in LETTER_LABELS
    assert not re.search(r"\b(vous|votre|vos|si)\b", french), french
    assert english != french or english.isupper() or " ID" in english, english
    assert english_free(english), english


def english_free(text: str) -> bool:
    return FRENCH_WORDS.search(text) is None and not re.search(r"[éèàç]", text)


def test_a_catalogue_record_without_an_address_asks_for_the_one_found(
    client: CheckedClient,
) -> None:
    """1001pharmacies' record gives no channel: the page links its source and asks for the
    address; no format is handed over blank until the person gives it or chooses to write it
    by hand; the letter then goes by post to the address given."""
    walk(client, "1001pharmacies", "access")
    preview = client.get("/lettres/apercu")
    page = plain(preview.text).replace("&#39;", "'")
    assert "À quelle adresse envoyer cette lettre ?" in page
    source = get_catalogue().get("1001pharmacies").sources  # type: ignore[union-attr]
    assert f'href="{next(iter(source.values())).url}"' in preview.text
    assert "adresse ci-dessus" not in page
    for fmt in ("pdf", "txt", "eml"):
        held = client.get(f"/lettres/lettre.{fmt}", follow_redirects=False)
        assert held.headers["location"] == "/lettres/apercu#adresse", fmt
    token = csrf_from(preview.text)
    client.post(
        "/lettres/adresse",
        data={"address_1": "12 rue du Port", "address_2": "13002 Marseille", "csrf_token": token},
    )
    text = client.get("/lettres/lettre.txt").text
    assert "12 rue du Port\n13002 Marseille" in text
    assert POSTED in text
    assert BLANK_ADDRESS not in text


def test_an_organisation_typed_in_without_an_address_links_the_public_directory(
    client: CheckedClient,
) -> None:
    token = csrf_from(client.get("/lettres/organisme").text)
    client.post(
        "/lettres/organisme",
        data={"name": "Cabinet Exemple", "category": "other", "public": "", "csrf_token": token},
    )
    client.post("/lettres/demande", data={"kind": "access", "csrf_token": token})
    client.post("/lettres/options/hebergement", data={"sovereignty": "no", "csrf_token": token})
    client.post("/lettres/identite", data={**IDENTITY_FORM, "csrf_token": token})
    preview = client.get("/lettres/apercu").text
    assert "À quelle adresse envoyer cette lettre ?" in plain(preview)
    assert 'href="https://annuaire-entreprises.data.gouv.fr/rechercher?terme=Cabinet+Exemple"' in (
        preview
    )
    assert client.get("/lettres/lettre.eml", follow_redirects=False).status_code == 303


def test_a_record_with_a_web_form_only_links_the_form_and_asks_for_no_address(
    client: CheckedClient,
) -> None:
    walk(client, "ch-salon", "access")
    preview = client.get("/lettres/apercu").text
    assert "À quelle adresse envoyer cette lettre ?" not in plain(preview)
    assert 'href="https://www.ch-salon.fr/protection-des-donnees/"' in preview
    assert "Ouvrir le formulaire en ligne de" in preview
    text = client.get("/lettres/lettre.txt").text
    assert "Envoyée par le formulaire en ligne de l'organisme" in plain(text)
    assert POSTED not in text
    assert client.get("/lettres/lettre.pdf").content.startswith(b"%PDF-")


def test_the_french_pack_page_warns_before_its_english_letters(
    client: CheckedClient, db: Session
) -> None:
    token = seed_selection(
        client,
        db,
        [{"platform": "doctolib", "kind": "erasure"}, {"platform": "23andme", "kind": "erasure"}],
    )
    client.post("/lettres/lot/identite", data={**IDENTITY_FORM, "csrf_token": token})
    page = plain(client.get("/lettres/lot/apercu").text).replace("&#39;", "'")
    warning = page.split("1 lettre est en anglais", 1)[1].split("</div>", 1)[0]
    assert "leurs lettres sont donc écrites en anglais" in warning
    assert "23andMe" in warning
    assert "Doctolib" not in warning
    assert page.index("1 lettre est en anglais") < page.index("/lettres/lot.pdf")


def test_the_english_pages_say_a_french_letter_is_in_french(client: CheckedClient) -> None:
    """Doctolib receives requests in French: the English page says the letter is in French
    (not "in English")."""
    client.get("/langue/en?next=/lettres")
    walk(client, "doctolib", "access")
    page = plain(client.get("/lettres/apercu").text).replace("&#39;", "'")
    assert "This letter is in French" in page
    assert "This letter is in English" not in page


def test_a_pack_letter_without_an_address_is_held_until_the_person_gives_it(
    client: CheckedClient, db: Session
) -> None:
    """In a pack too: a letter Reprise knows no way to send is not handed over blank; the page
    asks for the address found (linking where to look) or the choice to write it by hand."""
    token = seed_selection(
        client,
        db,
        [
            {"platform": "doctolib", "kind": "access"},
            {"platform": "1001pharmacies", "kind": "erasure"},
            {"organisation": {"name": "Cabinet Exemple"}, "kind": "access"},
        ],
    )
    client.post("/lettres/lot/identite", data={**IDENTITY_FORM, "csrf_token": token})
    page = client.get("/lettres/lot/apercu").text
    assert "2 adresses à trouver avant de télécharger" in plain(page)
    assert 'href="/lettres/lot.pdf"' not in page
    assert "annuaire-entreprises.data.gouv.fr/rechercher?terme=Cabinet+Exemple" in page
    for fmt in ("pdf", "zip"):
        held = client.get(f"/lettres/lot.{fmt}", follow_redirects=False)
        assert held.headers["location"] == "/lettres/lot/apercu#adresses", fmt
    short = client.post(
        "/lettres/lot/adresse", data={"index": "1", "address_1_1": "3 rue X", "csrf_token": token}
    )
    assert short.status_code == 422
    assert "deux lignes au moins" in plain(short.text)
    client.post(
        "/lettres/lot/adresse",
        data={
            "index": "1",
            "address_1_1": "12 rue du Port",
            "address_1_2": "13002 Marseille",
            "csrf_token": token,
        },
    )
    page = client.get("/lettres/lot/apercu").text
    assert "1 adresse à trouver avant de télécharger" in plain(page)
    client.post("/lettres/lot/adresse", data={"index": "2", "by_hand": "yes", "csrf_token": token})
    page = client.get("/lettres/lot/apercu").text
    assert "à trouver avant de télécharger" not in plain(page)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/lettres/lot.zip").content))
    checklist = archive.read("LISEZ-MOI.txt").decode()
    pharmacy, cabinet = checklist.split("\n\n")[3:5]
    assert "12 rue du Port" in pharmacy
    assert "à l'adresse écrite sur la lettre" in pharmacy
    assert "Reprise ne connaît pas l'adresse de cet organisme" in cabinet
