"""Every letter kind says what the law requires: articles, periods, recipients (table-driven)."""

from datetime import date
from typing import Any

import pytest

from app.catalogue.loader import get_catalogue
from app.errors import Invalid
from app.letters.compose import recipient_from_platform
from app.letters.document import Blank, Letter, Recipient
from app.letters.identity import Identity
from app.letters.kinds import OPTION_MODELS
from app.letters.render import letter_text
from app.letters.service import make_letter
from tests.support.texts import flat, plain

TODAY = date(2026, 3, 5)


def letter(
    identity: dict[str, Any],
    kind: str,
    slug: str = "doctolib",
    lang: str | None = None,
    recipient: Recipient | None = None,
    **options: Any,
) -> Letter:
    platform = get_catalogue().get(slug)
    assert platform is not None
    return make_letter(
        kind,
        Identity.model_validate(identity),
        recipient or recipient_from_platform(platform),
        OPTION_MODELS[kind].model_validate(options),
        TODAY,
        lang,
    )


# kind, options, what the letter must say (French).
MENTIONS: list[tuple[str, dict[str, Any], list[str]]] = [
    (
        "access",
        {},
        [
            "l'article 15 du règlement général sur la protection des données",
            "m'en communiquer une copie (article 15, paragraphe 3)",
            "(article 15, paragraphe 1)",
            "les finalités de chaque traitement (a)",
            "les catégories de données me concernant (b)",
            "en particulier ceux qui sont établis hors de l'Union européenne (c)",
            "les critères utilisés pour la fixer (d)",
            "mon droit de m'opposer à ce traitement (e)",
            "réclamation auprès de la CNIL (f)",
            "la source des données que vous n'avez pas recueillies auprès de moi (g)",
            "y compris un profilage",
            "(h).",
            "article 15, paragraphe 2, et article 46 du RGPD",
            "qui héberge mes données, et dans quel pays",
            "« hébergeur de données de santé » (HDS, article L. 1111-8",
            "accessibles depuis un pays situé hors de l'Union",
            "gratuitement (article 15, paragraphe 3, et article 12, paragraphe 5, du RGPD",
            "26 octobre 2023, FT contre DW, affaire C-307/22",
            "article 12, paragraphe 3, du RGPD",
            "un mois à compter de la réception",
            "article 12, paragraphe 6, du RGPD",
            "article 77 du RGPD",
            "en tant que sous-traitant",
            "Lettre recommandée avec accusé de réception",
        ],
    ),
    (
        "erasure",
        {"grounds": ["unlawful"]},
        [
            "article 17 du règlement général sur la protection des données",
            "(article 17, paragraphe 1, d)",
            "Je vous demande aussi de fermer mon compte",
            "article 19 du RGPD",
            "(article 17, paragraphe 3)",
            "un mois à compter de la réception",
            "en tant que sous-traitant",
            "article 77 du RGPD",
        ],
    ),
    (
        "objection",
        {"purposes": ["research", "warehouse", "prospecting"], "snds": True},
        [
            "l'article 21, paragraphes 2 et 3, du règlement général sur la protection des données",
            "Ce droit ne demande aucune justification",
            "l'article 21, paragraphe 6",
            "entrepôt de données de santé",
            "sans avoir à donner de raison",
            "1° du I de l'article L. 1461-3 du code de la santé publique",
            "l'article R. 1461-9",
            "ni la base principale du SNDS, ni les accès permanents des services de l'État",
            "un mois à compter de la réception",
        ],
    ),
    (
        "rectification",
        {"corrections": [{"current": "Dupond", "corrected": "Dupont"}]},
        [
            "l'article 16 du règlement général sur la protection des données",
            "« Dupond » est inexact : remplacez-le par « Dupont ».",
            "(article 18, paragraphe 1, a, du RGPD)",
            "article 19 du RGPD",
            "un mois à compter de la réception",
        ],
    ),
    (
        "portability",
        {"transmit_to": "Clinique du Parc"},
        [
            "l'article 20 du règlement général sur la protection des données",
            "structuré, couramment utilisé et lisible par machine",
            "(article 20, paragraphe 1)",
            "directement ces données à Clinique du Parc",
            "(article 20, paragraphe 2)",
            "n'est pas une demande d'effacement",
        ],
    ),
    (
        "medical-record",
        {},
        [
            "l'article L. 1111-7 du code de la santé publique",
            "À l'attention de la direction de l'établissement",
            "par courrier",
            "article R. 1111-2",
            "au plus tard dans les huit jours suivant la réception de la demande",
            "quarante-huit heures",
            "deux mois lorsque les informations datent de plus de cinq ans",
            "article R. 1111-1",
            "C-307/22",
            "Copie d'une pièce d'identité",
            "Commission d'accès aux documents administratifs (CADA)",
        ],
    ),
    (
        "medical-record",
        {
            "requester": "heir",
            "patient": {"given_name": "Paul", "family_name": "Dupont", "death_date": "2025-12-01"},
            "heir_purposes": ["cause-of-death", "rights"],
            "addressee": "practitioner",
            "delivery": "doctor",
            "doctor": {"name": "Dr Jeanne Martin", "address_lines": ["3 rue Haute", "69001 Lyon"]},
        },
        [
            "Je suis ayant droit de Paul Dupont",
            "date du décès : 1er décembre 2025",
            "articles L. 1110-4 (V) et L. 1111-7 du code de la santé publique",
            "connaître les causes de sa mort ;",
            "faire valoir mes droits.",
            "ne s'est pas opposée de son vivant",
            "À l'attention du praticien",
            "médecin que je désigne comme intermédiaire",
            "Dr Jeanne Martin, 3 rue Haute, 69001 Lyon",
            "Copie de l'acte de décès",
        ],
    ),
    (
        "medical-record",
        {
            "requester": "parent",
            "patient": {"given_name": "Léa", "family_name": "Dupont", "birth_date": "2015-06-01"},
        },
        [
            "titulaire de l'autorité parentale sur Léa Dupont (date de naissance : 1er juin 2015)",
            "articles L. 1111-7 et R. 1111-1",
            "Justificatif de l'autorité parentale",
        ],
    ),
    (
        "medical-record",
        {"requester": "legal-representative", "delivery": "on-site"},
        [
            "la mesure de protection juridique avec représentation relative à la personne",
            "consulter ces documents sur place, gratuitement",
            "Copie de la décision qui me confie la mesure de protection",
        ],
    ),
    (
        "reminder",
        {"request_date": "2026-01-05", "received": "2026-01-07", "channel": "post"},
        [
            "Le 5 janvier 2026, je vous ai adressé une demande d'accès",
            "(article 15 du RGPD), par lettre recommandée avec accusé de réception",
            "Vous l'avez reçue le 7 janvier 2026.",
            "Le délai d'un mois prévu par l'article 12, paragraphe 3, du RGPD a pris fin le "
            "9 février 2026",
            "Je renouvelle donc ma demande",
            "article 77 du RGPD",
            "Copie de ma demande",
        ],
    ),
    (
        "reminder",
        {"request_kind": "medical-record", "received": "2026-01-07"},
        [
            "demande de communication de mon dossier médical (article L. 1111-7",
            "Le délai de huit jours prévu par l'article L. 1111-7",
            "a pris fin le 15 janvier 2026",
        ],
    ),
    (
        "reminder",
        {"extended": True, "received": "2025-11-07"},
        ["Le délai de trois mois", "le plus long que permet l'article 12, paragraphe 3"],
    ),
    (
        "incomplete-answer",
        {"answer_date": "2026-02-01", "missing": ["copy", "retention", "hds"]},
        [
            "Vous m'avez répondu le 1er février 2026",
            "que l'article 15 du RGPD vous impose de me communiquer",
            "la copie de mes données personnelles (article 15, paragraphe 3) ;",
            "(article 15, paragraphe 1, d) ;",
            "(HDS, article L. 1111-8 du code de la santé publique) (question posée",
            "article 12, paragraphe 3, du RGPD",
            "Copie de votre réponse",
        ],
    ),
    (
        "complaint-file",
        {"request_date": "2026-01-05", "received": "2026-01-07", "reminder_date": "2026-02-10"},
        [
            "Commission nationale de l'informatique et des libertés (CNIL)",
            "3 place de Fontenoy",
            "TSA 80715",
            "75334 Paris cedex 07",
            "réclamation contre l'organisme Doctolib SAS (article 77 du RGPD)",
            "J'ai d'abord exercé mes droits auprès de lui",
            "Nom : Doctolib SAS",
            "Adresse : Doctolib – DPO, 54 quai Charles Pasqua, 92300 Levallois-Perret",
            "SIREN : [numéro SIREN, s'il est connu]",
            "1. 5 janvier 2026 : j'envoie une demande d'accès",
            "2. 7 janvier 2026 : l'organisme reçoit ma demande.",
            "3. 10 février 2026 : j'envoie une relance.",
            "article 77, paragraphe 2, du RGPD",
            "Preuve d'envoi de ma demande",
            "Copie de ma relance",
            "formulaire de plainte en ligne de la CNIL",
        ],
    ),
    (
        "cada-referral",
        {"request_date": "2026-01-05", "received": "2026-01-07"},
        [
            "Commission d'accès aux documents administratifs (CADA)",
            "l'article L. 1111-7 du code de la santé publique",
            "Ma demande a été reçue le 7 janvier 2026.",
            "ce silence vaut décision de refus depuis le 7 février 2026",
            "articles R. 311-12 et R. 311-13",
            "l'article L. 342-1 du code des relations entre le public et l'administration",
            "dans le délai de deux mois prévu par l'article R. 343-1",
            "Copie de ma demande restée sans réponse",
        ],
    ),
    (
        "mandate",
        {
            "agent": {
                "name": "Association Santé Libre",
                "kind": "association",
                "address_lines": ["1 rue Y", "75001 Paris"],
            },
            "rights": ["access", "erasure", "complaint"],
            "platforms": ["Doctolib", "Withings"],
            "start": "2026-03-05",
            "end": "2026-09-04",
            "answers_to": "agent",
        },
        [
            "Je soussigné(e), Marie Dupont, né(e) le 17 mai 1980",
            "donne mandat à Association Santé Libre, association",
            "le droit d'accès à mes données (article 15) ;",
            "le droit à l'effacement (article 17) ;",
            "que je dépose moi-même.",
            "Données concernées : toutes les données personnelles me concernant",
            "- Doctolib",
            "- Withings",
            "valable du 5 mars 2026 au 4 septembre 2026 inclus",
            "révoquer à tout moment",
            "adressées au mandataire, Association Santé Libre, à l'adresse 1 rue Y, 75001 Paris",
            "me tient au courant",
            "de son identité et de la mienne",
            "délibération n° 2021-070 du 27 mai 2021",
            "Le mandant",
            "Le mandataire",
        ],
    ),
]


@pytest.mark.parametrize(
    ("kind", "options", "mentions"),
    MENTIONS,
    ids=[f"{kind}-{index}" for index, (kind, _o, _m) in enumerate(MENTIONS)],
)
def test_each_kind_states_the_law(
    identity_data: dict[str, Any], kind: str, options: dict[str, Any], mentions: list[str]
) -> None:
    text = flat(letter_text(letter(identity_data, kind, **options)))
    missing = [mention for mention in mentions if flat(mention) not in text]
    assert missing == [], missing


@pytest.mark.parametrize(
    ("kind", "options", "absent"),
    [
        ("access", {"sovereignty": False}, "hébergeur de données de santé"),
        ("erasure", {"close_account": False}, "fermer mon compte"),
        ("erasure", {"processor_reminder": False}, "sous-traitant"),
        ("erasure", {}, "test génétique"),
        ("objection", {}, "L. 1461-3"),
        ("objection", {"purposes": ["research"]}, "paragraphe 2, me permet"),
        ("medical-record", {"id_copy": False}, "pièce d'identité"),
        ("medical-record", {}, "L. 1110-4"),
        ("mandate", {"rights": ["access"]}, "article 80"),
        ("complaint-file", {}, "retrouver mes données"),
        ("incomplete-answer", {"missing": ["copy"]}, "(article 15, paragraphe 1, d)"),
        ("withings-erasure", {}, "test génétique"),
    ],
)
def test_options_leave_out_what_was_not_chosen(
    identity_data: dict[str, Any], kind: str, options: dict[str, Any], absent: str
) -> None:
    slug = "doctolib"
    if kind.startswith("withings-"):
        slug, kind = "withings", kind.removeprefix("withings-")
    assert absent not in letter_text(letter(identity_data, kind, slug=slug, **options))


def test_genetic_test_erasure_destroys_the_sample_and_withdraws_research_consent(
    identity_data: dict[str, Any],
) -> None:
    text = flat(letter_text(letter(identity_data, "erasure", lang="fr", slug="23andme")))
    assert "détruire mon échantillon biologique" in text
    assert "retrait de mon consentement à toute utilisation de mes données" in text
    assert "données génétiques brutes" in text


@pytest.mark.parametrize(
    ("kind", "labels"),
    [
        ("reminder", ["date d'envoi", "date de réception", "moyen d'envoi"]),
        ("incomplete-answer", ["date de la réponse", "élément manquant"]),
        ("complaint-file", ["date", "moyen d'envoi"]),
        ("cada-referral", ["date de la demande", "date de réception"]),
        ("mandate", ["nom du mandataire", "adresse du mandataire"]),
        ("rectification", ["donnée inexacte", "donnée exacte"]),
    ],
)
def test_missing_facts_leave_marked_blanks(
    identity_data: dict[str, Any], kind: str, labels: list[str]
) -> None:
    composed = letter(identity_data, kind)
    found = {
        part.label
        for block in composed.blocks
        for parts in (
            [block.parts] if hasattr(block, "parts") else list(getattr(block, "items", []))
        )
        for part in parts
        if isinstance(part, Blank)
    }
    assert set(labels) <= found
    for label in labels:
        assert f"[{label}]" in letter_text(composed)


def test_follow_ups_with_their_dates_leave_no_blank(identity_data: dict[str, Any]) -> None:
    text = letter_text(
        letter(
            identity_data,
            "reminder",
            request_date="2026-01-05",
            received="2026-01-07",
            channel="email",
        )
    )
    assert "[" not in text


def test_cada_is_refused_for_a_private_establishment(identity_data: dict[str, Any]) -> None:
    clinic = Recipient(
        name="Clinique privée", address_lines=("1 rue X", "69001 Lyon"), public=False
    )
    with pytest.raises(Invalid) as caught:
        letter(identity_data, "cada-referral", recipient=clinic)
    assert "kind" in caught.value.errors


def test_complaint_file_names_the_siren_when_known(identity_data: dict[str, Any]) -> None:
    hospital = Recipient(
        name="Hôpital Exemple",
        address_lines=("1 place Centrale", "69002 Lyon"),
        siren="356000000",
    )
    text = letter_text(letter(identity_data, "complaint-file", recipient=hospital))
    assert "SIREN : 356000000" in plain(text)
    assert "réclamation contre l'organisme Hôpital Exemple" in text


def test_mandate_defaults_to_one_year_from_today(identity_data: dict[str, Any]) -> None:
    text = flat(letter_text(letter(identity_data, "mandate")))
    assert "valable du 5 mars 2026 au 4 mars 2027 inclus" in text
    assert "m'être adressées directement" in text
    assert "- Doctolib SAS" in text


ENGLISH: dict[str, list[str]] = {
    "access": ["Article 15", "Article 15(3)", "Article 15(2)", "one month", "C-307/22"],
    "erasure": ["Article 17", "Article 19", "destroy my biological sample", "research"],
    "objection": ["Article 21(6)", "without giving any reason"],
    "rectification": ["Article 16", "Article 19"],
    "portability": ["Article 20", "machine-readable"],
    "medical-record": ["Article L. 1111-7", "eight days", "two months", "48 hours"],
    "reminder": ["Article 12(3)", "one month", "Article 77"],
    "incomplete-answer": ["Article 15", "incomplete"],
    "mandate": ["Article 15", "2021-070", "revoke"],
}
TO_FRENCH_AUTHORITIES = {"complaint-file": "CNIL", "cada-referral": "CADA"}


def test_every_kind_is_in_english_or_goes_to_a_french_authority() -> None:
    assert set(ENGLISH) | set(TO_FRENCH_AUTHORITIES) == set(OPTION_MODELS)


@pytest.mark.parametrize("kind", sorted(TO_FRENCH_AUTHORITIES))
@pytest.mark.parametrize("lang", [None, "en"])
def test_what_goes_to_a_french_authority_is_in_french(
    identity_data: dict[str, Any], kind: str, lang: str | None
) -> None:
    """The CNIL takes complaints in French, whatever the platform's language (domain.md 6)."""
    made = letter(identity_data, kind, slug="23andme", lang=lang)
    assert made.lang == "fr"
    text = flat(letter_text(made))
    assert "Madame, Monsieur" in text
    assert TO_FRENCH_AUTHORITIES[kind] in text
    assert "Dear Sir or Madam" not in text


@pytest.mark.parametrize("kind", sorted(ENGLISH))
def test_every_kind_in_english_for_english_speaking_platforms(
    identity_data: dict[str, Any], kind: str
) -> None:
    text = flat(letter_text(letter(identity_data, kind, slug="23andme")))
    missing = [mention for mention in ENGLISH[kind] if mention not in text]
    assert missing == [], missing
    for french in ("Madame, Monsieur", "je vous demande", "Je vous demande", " du RGPD"):
        assert french not in text


def test_a_stored_mandate_renders_without_a_platform(identity_data: dict[str, Any]) -> None:
    from app.letters.options import MandateOptions
    from app.letters.service import make_mandate

    options = MandateOptions.model_validate(
        {
            "agent": {"name": "Association Santé Libre", "kind": "association"},
            "platforms": ["Doctolib", "Withings"],
            "start": "2026-03-05",
            "end": "2027-03-04",
        }
    )
    mandate = make_mandate(Identity.model_validate(identity_data), options, TODAY)
    text = flat(letter_text(mandate))
    assert mandate.layout == "document"
    assert "- Doctolib - Withings" in text
    assert "valable du 5 mars 2026 au 4 mars 2027 inclus" in text
    assert "Madame, Monsieur" not in text


@pytest.mark.parametrize(
    ("slug", "offered"),
    [
        ("ap-hp", True),
        ("chu-lille", True),
        ("ramsay-sante", False),
        ("clinique-pessac", False),
        ("institut-curie", True),
        ("doctolib", False),
    ],
)
def test_the_cada_is_offered_only_where_it_can_act(slug: str, offered: bool) -> None:
    """The CADA hears refusals of public establishments only (CRPA L342-1); unknown: offered."""
    from app.letters.kinds import kinds_for

    platform = get_catalogue().get(slug)
    assert platform is not None
    assert ("cada-referral" in kinds_for(platform.categories, platform.public)) is offered


def test_a_cada_referral_to_a_private_clinic_is_refused(identity_data: dict[str, Any]) -> None:

    with pytest.raises(Invalid) as refused:
        letter(identity_data, "cada-referral", slug="ramsay-sante")
    assert "établissements publics" in plain(refused.value.errors["kind"])
