"""The questionnaire and the checklist: pure rules, checked by tables."""

from typing import Any

import pytest

from app.catalogue.checklist import (
    build_checklist,
    organisation_item,
    selection_from_choices,
)
from app.catalogue.discovery import Discovery, chosen_before
from app.catalogue.loader import get_catalogue
from app.catalogue.organisation import Organisation
from app.catalogue.questionnaire import (
    NONE,
    OTHER,
    QUESTIONS,
    clean_answer,
    first_unanswered,
    next_question,
    position,
    previous_question,
    question_named,
)

CATALOGUE = get_catalogue()

# The topics, each asked by at least one question (by the categories it proposes).
TOPICS = {
    "rendez-vous": "doctolib",
    "teleconsultation": "livi",
    "hopital": "ap-hp",
    "analyses": "cerba",
    "pharmacie": "1001pharmacies",
    "mutuelle": "harmonie-mutuelle",
    "assurance-maladie": "mon-espace-sante",
    "objets-connectes": "withings",
    "sport": "strava",
    "cycle": "clue",
    "sante-mentale": "petit-bambou",
    "adn": "23andme",
    "symptomes": "ada-health",
    "recherche": "health-data-hub",
}


def test_at_least_twelve_questions_each_proposing_real_platforms() -> None:
    assert len(QUESTIONS) >= 12
    assert len({question.id for question in QUESTIONS}) == len(QUESTIONS)
    for question in QUESTIONS:
        assert question.candidates(CATALOGUE), question.id
        for slug in question.slugs:
            assert CATALOGUE.get(slug) is not None, (question.id, slug)


@pytest.mark.parametrize(("question_id", "slug"), sorted(TOPICS.items()))
def test_each_topic_of_a_patients_life_leads_to_its_platforms(question_id: str, slug: str) -> None:
    question = question_named(question_id)
    assert question is not None
    assert slug in [platform.slug for platform in question.candidates(CATALOGUE)]


def test_every_category_of_the_catalogue_is_reached_by_some_question() -> None:
    reached = {
        category
        for question in QUESTIONS
        for platform in question.candidates(CATALOGUE)
        for category in platform.categories
    }
    every = {category for platform in CATALOGUE.platforms for category in platform.categories}
    assert reached == every


def test_navigation_goes_through_every_question_once() -> None:
    seen = [QUESTIONS[0].id]
    while (following := next_question(seen[-1])) is not None:
        seen.append(following.id)
    assert seen == [question.id for question in QUESTIONS]
    assert previous_question(seen[0]) is None
    assert previous_question(seen[1]) == QUESTIONS[0]
    assert position(seen[2]) == (3, len(QUESTIONS))
    assert first_unanswered({}) == QUESTIONS[0]
    assert first_unanswered({question.id: [] for question in QUESTIONS}) is None
    assert first_unanswered({QUESTIONS[0].id: []}) == QUESTIONS[1]


@pytest.mark.parametrize(
    ("question_id", "values", "expected"),
    [
        ("rendez-vous", ["doctolib", "maiia", "doctolib"], ["doctolib", "maiia"]),
        ("rendez-vous", [], []),
        ("rendez-vous", [NONE], [NONE]),
        ("rendez-vous", [NONE, "doctolib"], ["doctolib"]),
        ("hopital", ["ap-hp", OTHER], ["ap-hp", OTHER]),
    ],
)
def test_answers_are_cleaned(question_id: str, values: list[str], expected: list[str]) -> None:
    question = question_named(question_id)
    assert question is not None
    assert clean_answer(question, CATALOGUE, values) == expected


@pytest.mark.parametrize(
    ("question_id", "values"),
    [("rendez-vous", ["withings"]), ("rendez-vous", [OTHER]), ("adn", ["<script>"])],
)
def test_answers_outside_the_question_are_refused(question_id: str, values: list[str]) -> None:
    question = question_named(question_id)
    assert question is not None
    with pytest.raises(ValueError, match=values[0]):
        clean_answer(question, CATALOGUE, values)


@pytest.mark.parametrize(
    ("answers", "slug", "kind", "reason_words"),
    [
        ({"adn": ["23andme"]}, "23andme", "erasure", "destruction de l'échantillon"),
        ({"hopital": ["ap-hp"]}, "ap-hp", "medical-record", "20 ans"),
        ({"analyses": ["cerba"]}, "cerba", "access", "pendant des années"),
        ({"pharmacie": ["universpharmacie"]}, "universpharmacie", "access", "registres"),
        ({"recherche": ["snds"]}, "snds", "objection", "recherches"),
        ({"recherche": ["health-data-hub"]}, "health-data-hub", "objection", "recherche"),
        # A laboratory chosen because of research reuse: objection, not access.
        ({"recherche": ["biogroup"]}, "biogroup", "objection", "opposer"),
        ({"analyses": ["biogroup"]}, "biogroup", "access", "pendant des années"),
        ({"objets-connectes": ["withings"]}, "withings", "erasure", "effacées"),
        ({"mutuelle": ["alan"]}, "alan", "access", "contrat"),
        ({"travail": ["acms"]}, "acms", "medical-record", "8 jours"),
    ],
)
def test_the_recommended_request_and_why(
    answers: dict[str, list[str]], slug: str, kind: str, reason_words: str
) -> None:
    item = next(
        i for i in build_checklist(CATALOGUE, answers) if i.platform and i.platform.slug == slug
    )
    assert item.kind == kind
    assert item.choices[0] == kind
    assert reason_words in item.reason
    assert item.selected


def test_where_the_law_keeps_the_data_the_rule_is_shown() -> None:
    [hospital] = build_checklist(CATALOGUE, {"hopital": ["ap-hp"]})[:1]
    assert "erasure" not in hospital.choices
    assert hospital.retention is not None
    assert "R1112-7" in hospital.retention


def test_related_records_are_suggested_but_not_ticked() -> None:
    items = build_checklist(CATALOGUE, {"hopital": ["ap-hp"]})
    warehouse = next(item for item in items if item.key == "p-eds-aphp")
    assert warehouse.kind == "objection"
    assert not warehouse.selected
    assert warehouse.suggested_by
    assert "AP-HP" in warehouse.suggested_by


def test_unverified_addresses_are_flagged() -> None:
    items = {
        item.key: item
        for item in build_checklist(
            CATALOGUE, {"rendez-vous": ["doctolib"], "teleconsultation": ["qare"]}
        )
    }
    assert items["p-doctolib"].check_address is False
    assert items["p-qare"].check_address is True
    assert items["p-doctolib"].because == ("rendez-vous",)


CLINIC = Organisation(
    name="Clinique du Parc",
    address_lines=["1 rue du Parc", "69006 Lyon"],
    category="hospital",
    public=False,
)


@pytest.mark.parametrize(
    ("category", "kind", "excluded"),
    [
        ("hospital", "medical-record", "erasure"),
        ("laboratory", "access", "erasure"),
        ("pharmacy", "access", None),
        ("occupational", "medical-record", "erasure"),
        (None, "access", None),
    ],
)
def test_organisations_get_the_request_their_category_allows(
    category: str | None, kind: str, excluded: str | None
) -> None:
    item = organisation_item(0, CLINIC.model_copy(update={"category": category}))
    assert item.kind == kind
    assert item.check_address
    if excluded:
        assert excluded not in item.choices


def test_the_selection_has_the_letters_shape() -> None:
    items = build_checklist(
        CATALOGUE, {"rendez-vous": ["doctolib"], "hopital": ["ap-hp"]}, [CLINIC]
    )
    selection, errors = selection_from_choices(
        items, {"p-doctolib", "p-ap-hp", "o-0"}, {"p-ap-hp": "access"}
    )
    assert errors == {}
    assert selection == [
        {"platform": "ap-hp", "kind": "access"},
        {"platform": "doctolib", "kind": "erasure"},
        {
            "organisation": {
                "name": "Clinique du Parc",
                "address_lines": ["1 rue du Parc", "69006 Lyon"],
                "email": None,
                "siren": None,
                "finess": None,
                "category": "hospital",
                "public": False,
            },
            "kind": "medical-record",
        },
    ]


@pytest.mark.parametrize(
    ("included", "kinds", "field"),
    [
        (set(), {}, "include"),
        ({"p-doctolib"}, {"p-doctolib": "medical-record"}, "kind-p-doctolib"),
        ({"p-doctolib"}, {"p-doctolib": "gossip"}, "kind-p-doctolib"),
        ({"p-nowhere"}, {}, "include"),
    ],
)
def test_bad_choices_are_named_and_select_nothing(
    included: set[str], kinds: dict[str, str], field: str
) -> None:
    items = build_checklist(CATALOGUE, {"rendez-vous": ["doctolib"]})
    selection, errors = selection_from_choices(items, included, kinds)
    assert selection == []
    assert field in errors


def test_the_draft_round_trips_and_drops_what_no_longer_fits() -> None:
    discovery = Discovery({"rendez-vous": ["doctolib"]}, ["withings"], [CLINIC])
    draft: dict[str, Any] = {"discovery": discovery.to_draft()}
    assert Discovery.from_draft(draft, CATALOGUE) == discovery
    draft["discovery"]["answers"]["gone"] = ["x"]
    draft["discovery"]["answers"]["adn"] = ["not-a-platform"]
    draft["discovery"]["added"].append("vanished")
    draft["discovery"]["organisations"].append({"name": ""})
    reread = Discovery.from_draft(draft, CATALOGUE)
    assert reread.answers == {"rendez-vous": ["doctolib"], "adn": []}
    assert reread.added == ["withings"]
    assert reread.organisations == [CLINIC]


def test_the_previous_selection_is_shown_again() -> None:
    items = build_checklist(CATALOGUE, {"rendez-vous": ["doctolib"]}, [CLINIC])
    selection, _errors = selection_from_choices(items, {"o-0"}, {"o-0": "access"})
    assert chosen_before(items, selection) == {"o-0": "access"}
    assert chosen_before(items, None) is None


def test_another_one_asks_for_a_search() -> None:
    discovery = Discovery({"hopital": [OTHER], "analyses": [OTHER]})
    assert discovery.missing_others() == ["hospital", "laboratory"]
    discovery.add_organisation(CLINIC)
    assert discovery.missing_others() == ["laboratory"]
    assert discovery.add_organisation(CLINIC) is False  # not twice
