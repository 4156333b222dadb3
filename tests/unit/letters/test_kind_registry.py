"""The letter-kind registry is the one list of kinds: every other list agrees with it.

A kind added to the registry only, or to one list only, fails here and names the place to
change. Lists that must stay literal (pydantic and mypy need a `Literal`) are compared with
the registry; any other literal in app/ or templates/ that names two kinds or more must be
exactly one of the registry's groups, or one of the few deliberate subsets listed below.
"""

from __future__ import annotations

import ast
import re
import typing
from pathlib import Path

import pytest

from app.catalogue import contacts, labels
from app.catalogue import schema as catalogue_schema
from app.i18n import gettext, use_locale
from app.letters import kinds as registry
from app.letters import option_pages, options, packs
from app.letters.compose import common as compose_common
from app.letters.compose import mandate as compose_mandate
from app.letters.kinds import (
    FOLLOW_UP_KINDS,
    GDPR_KINDS,
    KINDS,
    LETTER_KINDS,
    MANDATE_RIGHTS,
    RIGHT_KINDS,
)
from app.organisations import mandates
from app.proceedings import events, lifecycle
from tests.support.paths import PROJECT_ROOT

ROOT = PROJECT_ROOT


def literal(alias: object) -> set[str]:
    return set(typing.get_args(alias))


# --------------------------------------------------------------- literals kept for typing


@pytest.mark.parametrize(
    ("where", "values", "expected"),
    [
        ("letters/options.py RightKind", literal(options.RightKind), set(RIGHT_KINDS)),
        ("letters/options.py MandateRight", literal(options.MandateRight), set(MANDATE_RIGHTS)),
        ("letters/options.py MANDATE_RIGHTS", set(options.MANDATE_RIGHTS), set(MANDATE_RIGHTS)),
        ("proceedings/events.py RightKind", literal(events.RightKind), set(RIGHT_KINDS)),
        (
            "proceedings/events.py FollowUpKind",
            literal(events.FollowUpKind),
            set(FOLLOW_UP_KINDS),
        ),
        (
            "proceedings/events.py LetterKind",
            literal(events.LetterKind),
            set(RIGHT_KINDS) | set(FOLLOW_UP_KINDS),
        ),
        ("organisations/mandates.py Right", literal(mandates.Right), set(MANDATE_RIGHTS)),
        ("organisations/mandates.py RIGHTS", set(mandates.RIGHTS), set(MANDATE_RIGHTS)),
        ("catalogue/contacts.py Right", literal(contacts.Right), set(RIGHT_KINDS)),
        ("catalogue/schema.py RIGHTS", set(catalogue_schema.RIGHTS), set(RIGHT_KINDS)),
        ("catalogue/labels.py KIND_LABELS", set(labels.KIND_LABELS), set(RIGHT_KINDS)),
        ("catalogue/labels.py KIND_CHOICES", set(labels.KIND_CHOICES), set(RIGHT_KINDS)),
        ("catalogue/labels.py KIND_SHORT", set(labels.KIND_SHORT), set(RIGHT_KINDS)),
        (
            "letters/compose/common.py REQUEST_NAMES",
            set(compose_common.REQUEST_NAMES),
            set(RIGHT_KINDS),
        ),
        (
            "letters/compose/mandate.py MANDATE_RIGHT_TEXT",
            set(compose_mandate.MANDATE_RIGHT_TEXT),
            set(MANDATE_RIGHTS),
        ),
        ("letters/compose/mandate.py ORDER", set(compose_mandate.ORDER), set(MANDATE_RIGHTS)),
        (
            "letters/packs.py DEADLINES",
            set(packs.DEADLINES),
            {kind.regime for kind in LETTER_KINDS.values() if kind.regime},
        ),
        (
            "proceedings/lifecycle.py EVENT_KEYS",
            {key.removeprefix("letter:") for key in lifecycle.EVENT_KEYS if "letter:" in key},
            set(FOLLOW_UP_KINDS),
        ),
        (
            "proceedings/lifecycle.py TABLE",
            {
                key.removeprefix("letter:")
                for row in lifecycle.TABLE.values()
                for key in row
                if key.startswith("letter:")
            },
            set(FOLLOW_UP_KINDS),
        ),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_list_of_kinds_agrees_with_the_registry(
    where: str, values: set[str], expected: set[str]
) -> None:
    assert values == expected, f"{where}: add or remove {sorted(values ^ expected)}"


def choices_of(kind: str, name: str) -> set[str]:
    return {
        choice.value
        for page in option_pages.OPTION_PAGES
        if page.kind == kind
        for question in page.questions
        if question.name == name
        for choice in question.choices
    }


@pytest.mark.parametrize("kind", ["reminder", "complaint-file"])
def test_a_follow_up_asks_which_first_request_it_follows_among_every_right(kind: str) -> None:
    assert choices_of(kind, "request_kind") == set(RIGHT_KINDS)


def test_the_mandate_pages_offer_every_right_a_mandate_may_give() -> None:
    assert choices_of("mandate", "rights") == set(MANDATE_RIGHTS)


def test_every_option_page_belongs_to_a_registered_kind() -> None:
    assert {page.kind for page in option_pages.OPTION_PAGES} <= set(KINDS)
    for page in option_pages.OPTION_PAGES:
        fields = LETTER_KINDS[page.kind].options.model_fields
        for question in page.questions:
            assert question.name.split(".")[0] in fields, (page.kind, question.name)


# --------------------------------------------------------------- each kind is complete


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_is_complete_and_translated(kind: str) -> None:
    definition = LETTER_KINDS[kind]
    assert definition.name == kind
    assert issubclass(definition.options, options.Options)
    definition.options()  # a letter with every default can be written
    texts = [definition.label, definition.explanation]
    if definition.group == "follow-up":
        assert definition.write_button
        assert definition.sent_button
        texts += [definition.write_button, definition.sent_button]
    else:
        assert definition.write_button is None
        assert definition.sent_button is None
    with use_locale("en"):
        for text in texts:
            assert gettext(text) != text, f"{kind}: no English translation of {text!r}"


def test_file_words_and_option_models_are_not_shared() -> None:
    words = [kind.file_word for kind in LETTER_KINDS.values()]
    models = [kind.options for kind in LETTER_KINDS.values()]
    assert len(set(words)) == len(words)
    assert len(set(models)) == len(models)


# A helper acting under a member's mandate: which letters they may write, by the rights given.
HELPER_CASES = [
    ({"access"}, {"access", "reminder", "incomplete-answer"}),
    ({"erasure", "objection"}, {"erasure", "objection", "reminder", "incomplete-answer"}),
    ({"access", "complaint"}, {"access", "reminder", "incomplete-answer", "complaint-file"}),
    (set(MANDATE_RIGHTS), {*GDPR_KINDS, "reminder", "incomplete-answer", "complaint-file"}),
]


@pytest.mark.parametrize(("rights", "may_write"), HELPER_CASES)
def test_a_helper_writes_what_the_mandate_covers_and_never_a_medical_record_or_the_cada(
    rights: set[str], may_write: set[str]
) -> None:
    allowed = {kind.name for kind in LETTER_KINDS.values() if kind.helper_may_write(rights)}
    assert allowed == may_write


# --------------------------------------------------------------- no other copy of a list

# Lists that deliberately name only some kinds: each is a rule about those kinds.
SUBSETS: dict[str, list[set[str]]] = {
    # The observatory counts the requests it can compare across organisations.
    "app/observatory/facts.py": [{"access", "erasure", "objection", "medical-record"}],
    "app/observatory/labels.py": [{"access", "erasure", "objection", "medical-record"}],
    "app/api/observatory.py": [{"access", "erasure", "objection", "medical-record"}],
    # The checklist's recommended requests, by category of organisation.
    "app/catalogue/checklist.py": [
        {"medical-record", "access", "rectification", "objection"},
        {"access", "erasure", "rectification", "objection"},
        {"medical-record", "access", "rectification"},
        {"access", "rectification", "objection", "erasure", "portability"},
        {"objection", "access", "rectification"},
        {"erasure", "access", "portability", "rectification", "objection"},
        {"access", "rectification", "objection", "erasure", "portability"},
    ],
    # A mandate's rights ticked by default (portability and complaints are asked for).
    "app/letters/options.py": [{"access", "rectification", "erasure", "objection"}],
}
GROUPS = [
    set(KINDS),
    set(RIGHT_KINDS),
    set(FOLLOW_UP_KINDS),
    set(GDPR_KINDS),
    set(RIGHT_KINDS) | set(FOLLOW_UP_KINDS),
]
KIND_NAMES = set(KINDS)


def python_literals(path: Path) -> list[tuple[int, set[str]]]:
    """Every tuple, list, set, dict or Literal in `path` naming two kinds or more."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            elements: list[ast.expr | None] = list(node.elts)
        elif isinstance(node, ast.Dict):
            elements = list(node.keys)
        else:
            continue
        names = {
            element.value
            for element in elements
            if isinstance(element, ast.Constant) and element.value in KIND_NAMES
        }
        if len(names) >= 2:
            found.append((node.lineno, names))
    return found


def stray_lists(found: list[tuple[str, int, set[str]]]) -> list[str]:
    out = []
    for where, line, names in found:
        if names in GROUPS or names in SUBSETS.get(where, []):
            continue
        out.append(f"{where}:{line} lists {sorted(names)}")
    return out


def test_no_module_keeps_its_own_partial_list_of_kinds() -> None:
    found = [
        (str(path.relative_to(ROOT)), line, names)
        for path in sorted((ROOT / "app").rglob("*.py"))
        if path.name != "kinds.py"
        for line, names in python_literals(path)
    ]
    assert found, "the scan finds the lists kept for typing"
    assert stray_lists(found) == []


TEMPLATE_LIST = re.compile(r"[(\[]\s*(\"[^\"]*\"(?:\s*,\s*\"[^\"]*\")+)\s*,?\s*[)\]]")


def template_lists(text: str) -> list[set[str]]:
    return [
        names
        for match in TEMPLATE_LIST.finditer(text)
        if len(names := set(re.findall(r"\"([^\"]*)\"", match.group(1))) & KIND_NAMES) >= 2
    ]


def test_templates_take_their_kinds_from_the_registry() -> None:
    stray = [
        f"{path.relative_to(ROOT)} lists {sorted(names)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for names in template_lists(path.read_text(encoding="utf-8"))
    ]
    assert stray == []


def test_the_scans_see_a_copied_list() -> None:
    """The two scans above would catch a kind added to a copy and not to the registry."""
    assert template_lists('{% if k in ("access", "erasure", "new-kind") %}') == [
        {"access", "erasure"}
    ]
    copy = [("app/x.py", 1, set(GDPR_KINDS) - {"portability"})]
    assert stray_lists(copy) == ["app/x.py:1 lists " + str(sorted(copy[0][2]))]
    assert stray_lists([("app/x.py", 1, set(GDPR_KINDS))]) == []


def test_the_registry_derives_its_groups_in_its_own_order() -> None:
    assert tuple(LETTER_KINDS) == registry.KINDS
    assert RIGHT_KINDS + FOLLOW_UP_KINDS + ("mandate",) == KINDS
    assert {name: kind.options for name, kind in LETTER_KINDS.items()} == registry.OPTION_MODELS
