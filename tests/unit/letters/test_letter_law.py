"""Each right as the law states it: what each letter must say, and must never say (a table)."""

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from app.catalogue.loader import get_catalogue
from app.letters.compose import recipient_from_platform
from app.letters.document import Letter, Recipient
from app.letters.identity import Identity
from app.letters.kinds import OPTION_MODELS
from app.letters.render import letter_text
from app.letters.service import make_letter
from tests.support.texts import flat, plain

TODAY = date(2026, 3, 5)
HEIR = {
    "requester": "heir",
    "patient": {
        "given_name": "Paul",
        "family_name": "Dupont",
        "birth_date": "1940-02-01",
        "death_date": "2025-12-01",
    },
}
BY_EMAIL_ONLY = Recipient(name="Santé Express", address_lines=(), email="contact@sante.example")


def make(
    identity: dict[str, Any],
    kind: str,
    slug: str | Recipient = "doctolib",
    lang: str | None = "fr",
    **options: Any,
) -> Letter:
    if isinstance(slug, Recipient):
        recipient = slug
    else:
        platform = get_catalogue().get(slug)
        assert platform is not None
        recipient = recipient_from_platform(platform)
    return make_letter(
        kind,
        Identity.model_validate(identity),
        recipient,
        OPTION_MODELS[kind].model_validate(options),
        TODAY,
        lang,
    )


# name, kind, recipient, options, identity changes, must say, must never say
Case = tuple[str, str, str | Recipient, dict[str, Any], dict[str, Any], list[str], list[str]]
LAW: list[Case] = [
    ("marketing objection: absolute, no reason, no balancing",
     "objection", "doctolib", {"purposes": ["prospecting"]}, {},
     ["article 21, paragraphes 2 et 3", "aucune justification", "(article 21, paragraphe 3)"],
     ["impérieux", "situation particulière", "paragraphe 1,", "SNDS"]),
    ("research objection at a hospital warehouse: 21(6), no reason, no SNDS",
     "objection", "eds-aphp", {"purposes": ["research", "warehouse"]}, {},
     ["l'article 21, paragraphe 6", "sans avoir à donner de raison", "entrepôt de données"],
     ["impérieux", "SNDS", "situation particulière", "Caisse d'assurance maladie"]),
    ("research objection to a consent-based genetic test: consent withdrawn, sample destroyed",
     "objection", "23andme", {"purposes": ["research"]}, {},
     ["article 7, paragraphe 3", "je le retire", "détruire mon échantillon biologique"],
     ["impérieux"]),
    ("SNDS objection: to the director of the person's own fund",
     "objection", "snds", {}, {},
     ["Caisse d'assurance maladie dont je relève", "À l'attention du directeur ou de la directrice",
      "n'ayant pas la personnalité juridique", "R. 1461-9", "1° du I de l'article L. 1461-3"],
     ["Health Data Hub"]),
    ("objection to legitimate-interest processing: the 21(1) test",
     "objection", "doctolib", {"purposes": ["legitimate"], "situation": "je suis suivie"}, {},
     ["article 21, paragraphe 1", "situation particulière : je suis suivie", "impérieux"], []),
    ("heir: no GDPR, no CNIL, the CADA for a public hospital",
     "medical-record", "ap-hp", HEIR, {},
     ["date de naissance : 1er février 1940", "date du décès : 1er décembre 2025",
      "L. 1110-4", "je saisirai la Commission d'accès aux documents administratifs (CADA)"],
     ["RGPD", "CNIL", "né(e)", "décédé(e)", "C-307/22", "15, paragraphe 3"]),
    ("heir at a private clinic: the courts",
     "medical-record", "ramsay-sante", HEIR, {},
     ["je pourrai saisir le juge"], ["CNIL", "CADA", "RGPD"]),
    ("legal representative: representation relating to the person",
     "medical-record", "ap-hp", {"requester": "legal-representative"}, {},
     ["mesure de protection juridique avec représentation relative à la personne"],
     ["CNIL", "RGPD", "né(e)"]),
    ("assistance measure: the protected person consents and signs",
     "medical-record", "ap-hp", {"requester": "legal-representative", "protection": "assistance"},
     {}, ["mesure de protection juridique avec assistance", "consent à la présente demande",
          "Accord écrit de la personne protégée"], []),
    ("medical record: to the director, never to the DPO",
     "medical-record", "doctolib", {}, {},
     ["À l'attention de la direction de l'établissement", "54 quai Charles Pasqua"],
     ["DPO", "dataprivacy"]),
    ("erasure at a hospital: narrowed, restriction of what is kept",
     "erasure", "ap-hp", {"grounds": ["consent-withdrawn"]}, {},
     ["d'effacer les données suivantes", "mon compte sur votre portail",
      "prospection", "durée de conservation est écoulée", "(article 18 du RGPD)"],
     ["aucun autre fondement", "toutes les données", "effacez toutes les autres"]),
    ("erasure keeping the account: categories, not all the data",
     "erasure", "doctolib", {"close_account": False}, {},
     ["Je garde mon compte", "l'historique de mon utilisation", "d'effacer les données suivantes"],
     ["toutes les données personnelles", "fermer mon compte", "mon compte sur votre portail"]),
    ("rectification of an error: restriction while checked, no supplementary statement",
     "rectification", "doctolib", {"corrections": [{"current": "Dupond", "corrected": "Dupont"}]},
     {}, ["(article 18, paragraphe 1, a, du RGPD)"], ["déclaration complémentaire"]),
    ("rectification completing data: the supplementary statement",
     "rectification", "doctolib", {"corrections": [{"corrected": "allergie à la pénicilline"}]},
     {}, ["déclaration complémentaire", "(article 18, paragraphe 1, a, du RGPD)"], []),
    ("access: the identity of actual recipients",
     "access", "doctolib", {}, {},
     ["l'identité des destinataires", "C-154/21", "identité précise, et non leurs seules "
      "catégories"],
     ["destinataires ou catégories de destinataires", "article 11, paragraphe 2"]),
    ("access to a pseudonymised warehouse: identifiers offered",
     "access", "eds-aphp", {}, {}, ["pseudonymisées", "article 11, paragraphe 2"], []),
    ("mandate to an association that did not declare the art. 80 conditions",
     "mandate", "doctolib",
     {"agent": {"name": "Asso Santé", "kind": "association"}, "rights": ["access", "complaint"]},
     {}, ["que je dépose moi-même", "de son identité et de la mienne"],
     ["article 80", "en mon nom (article", "établi(e)", "informé(e)"]),
    ("mandate to an association that declared them",
     "mandate", "doctolib",
     {"agent": {"name": "Asso Santé", "kind": "association"}, "rights": ["complaint"],
      "article_80": True},
     {}, ["déclare remplir les conditions", "article 80, paragraphe 1"], []),
    ("mandate signed by a woman: agreed, no (e)",
     "mandate", "doctolib", {}, {"title": "madame"},
     ["Je soussignée, Marie Dupont, née le 17 mai 1980"], ["(e)"]),
    ("mandate signed by a man",
     "mandate", "doctolib", {}, {"title": "monsieur"}, ["Je soussigné, Marie Dupont, né le"],
     ["(e)"]),
    ("no address, an email: the head says email, not registered letter",
     "access", BY_EMAIL_ONLY, {}, {}, ["Envoyée par e-mail à contact@sante.example"],
     ["Lettre recommandée"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "kind", "slug", "options", "who", "must", "never"),
    LAW,
    ids=[case[0] for case in LAW],
)
def test_each_right_as_the_law_states_it(
    identity_data: dict[str, Any],
    name: str,
    kind: str,
    slug: str | Recipient,
    options: dict[str, Any],
    who: dict[str, Any],
    must: list[str],
    never: list[str],
) -> None:
    text = flat(letter_text(make({**identity_data, **who}, kind, slug, **options)))
    assert [words for words in must if flat(words) not in text] == []
    assert [words for words in never if flat(words) in text] == []


def test_a_deceased_patient_born_long_ago_is_accepted_and_no_future_date() -> None:
    model = OPTION_MODELS["medical-record"]
    assert model.model_validate(HEIR)
    with pytest.raises(ValidationError):
        model.model_validate(
            {"requester": "heir", "patient": {**HEIR["patient"], "death_date": "2099-01-01"}}
        )
    with pytest.raises(ValidationError):
        model.model_validate(
            {"requester": "heir", "patient": {**HEIR["patient"], "death_date": "1939-01-01"}}
        )


def test_the_laboratory_retention_reason_cites_a_limitation_period() -> None:
    from app.catalogue.checklist import ORGANISATION_RETENTION

    text = plain(ORGANISATION_RETENTION["laboratory"])
    assert "se prescrit par 10 ans (Code de la santé publique, art. L1142-28)" in text
    assert "gardés 10 ans (Code" not in text


def test_letters_use_a_bundled_typeface_without_a_slashed_zero() -> None:
    """Atkinson Hyperlegible slashes its zero: letters are set in the bundled DejaVu Sans."""
    from app.config import STATIC_DIR

    css = (STATIC_DIR / "css" / "letter.css").read_text()
    letter_rule = css[css.index(".letter {") :].split("}", 1)[0]
    assert '"DejaVu Sans Reprise"' in letter_rule
    assert "Atkinson" not in letter_rule.split("font-family:", 1)[1].split(";", 1)[0]
    assert (STATIC_DIR / "fonts" / "DejaVuSans.woff2").exists()


def test_the_form_of_address_is_asked_once_and_optional(identity_data: dict[str, Any]) -> None:
    from app.web.identity_form import form_from_identity, identity_from_form

    values = form_from_identity(identity_data)
    assert values["title"] == ""
    identity, errors = identity_from_form({**values, "title": "madame"}, [])
    assert errors == {}
    assert identity is not None
    assert identity.title == "madame"
    untold, _errors = identity_from_form({**values, "title": "autre"}, [])
    assert untold is not None
    assert untold.title is None
    assert form_from_identity(identity.model_dump(mode="json"))["title"] == "madame"


@pytest.mark.parametrize("kind", ["access", "erasure", "reminder", "incomplete-answer", "mandate"])
def test_english_letters_close_their_brackets_and_translate_labels(
    identity_data: dict[str, Any], kind: str
) -> None:
    options = {"incomplete-answer": {"missing": ["copy", "retention", "hds"]}}.get(kind, {})
    made = make_letter(
        kind,
        Identity.model_validate(
            {**identity_data, "identifiers": {"Adresse e-mail du compte": "m@example.org"}}
        ),
        recipient_from_platform(get_catalogue().get("23andme")),  # type: ignore[arg-type]
        OPTION_MODELS[kind].model_validate(options),
        TODAY,
        check_dates=False,
    )
    text = letter_text(made)
    assert made.lang == "en"
    assert text.count("(") == text.count(")")
    if made.layout == "letter":  # a mandate prints no references
        assert "Account email address: m@example.org" in text
    assert "5 March 2026" in text
    for french in ("Adresse", "né(e)", "[adresse", " : "):
        assert french not in text


@pytest.mark.parametrize(
    ("kind", "must", "must_not"),
    [
        # HCL's record: access goes to the DPO (its email and address), a medical record to the
        # director; each letter follows the channel of its own right, not the record's first one
        ("access", ["délégué à la protection des données HCL", "dpo@chu-lyon.fr"], ["directeur"]),
        ("medical-record", ["3, Quai des Célestins"], ["dpo@chu-lyon.fr", "délégué"]),
    ],
)
def test_each_right_goes_where_the_catalogue_sends_it(
    identity_data: dict[str, Any], kind: str, must: list[str], must_not: list[str]
) -> None:
    letter = make(identity_data, kind, "hcl")
    head = flat(" ".join((*letter.recipient.address_lines, letter.recipient.email or "")))
    for text in must:
        assert text in head, (kind, text, head)
    for text in must_not:
        assert text not in head, (kind, text, head)
    attention = (letter.recipient.attention or "", *letter.recipient.address_lines)
    assert sum(line.startswith("À l'attention") for line in attention) <= 1, attention


def test_the_catalogue_never_cites_l1142_28_as_a_duty_to_keep_records() -> None:
    """L1142-28 is the 10-year limitation period for liability claims: a record that cites it
    says so, and the SNDS record sends an objection where R1461-9 does (the person's fund)."""
    for platform in get_catalogue().platforms:
        texts = [platform.retention or "", platform.instructions or ""]
        for text in texts:
            if "L1142-28" in text:
                assert "prescription" in text, (platform.slug, text)
    snds = get_catalogue().get("snds")
    assert snds is not None
    assert snds.instructions is not None
    assert "R1461-9" in snds.instructions
    assert "caisse d'assurance maladie" in snds.instructions
    assert "écrivez au Health Data Hub" not in snds.instructions
