"""What a person answered and added during discovery, as kept in their sealed draft."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.catalogue.checklist import (
    MAX_ORGANISATIONS,
    ChecklistItem,
    build_checklist,
    parse_organisations,
    wanted_others,
)
from app.catalogue.loader import Catalogue
from app.catalogue.organisation import Organisation
from app.catalogue.questionnaire import clean_answer, question_named

DRAFT_KEY = "discovery"
MAX_ADDED = 100


@dataclass
class Discovery:
    """Answers per question, platforms added by hand, organisations found by name."""

    answers: dict[str, list[str]] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)

    @classmethod
    def from_draft(cls, draft: Mapping[str, Any], catalogue: Catalogue) -> Discovery:
        """Read the draft, dropping whatever no longer fits the questions or the catalogue."""
        raw = draft.get(DRAFT_KEY)
        if not isinstance(raw, dict):
            return cls()
        answers: dict[str, list[str]] = {}
        for question_id, values in (raw.get("answers") or {}).items():
            question = question_named(str(question_id))
            if question is None or not isinstance(values, list):
                continue
            kept = [str(value) for value in values]
            try:
                answers[question.id] = clean_answer(question, catalogue, kept)
            except ValueError:
                answers[question.id] = []
        added = [
            str(slug) for slug in (raw.get("added") or []) if catalogue.get(str(slug)) is not None
        ]
        return cls(answers, added[:MAX_ADDED], parse_organisations(raw.get("organisations")))

    def to_draft(self) -> dict[str, Any]:
        return {
            "answers": self.answers,
            "added": self.added,
            "organisations": [organisation.as_selection() for organisation in self.organisations],
        }

    def checklist(self, catalogue: Catalogue) -> list[ChecklistItem]:
        return build_checklist(catalogue, self.answers, self.organisations, self.added)

    def add_platform(self, slug: str) -> None:
        if slug not in self.added and len(self.added) < MAX_ADDED:
            self.added.append(slug)

    def add_organisation(self, organisation: Organisation) -> bool:
        """Add it unless it is already there or the list is full; True when added."""
        if organisation in self.organisations or len(self.organisations) >= MAX_ORGANISATIONS:
            return False
        self.organisations.append(organisation)
        return True

    def remove_organisation(self, index: int) -> None:
        if 0 <= index < len(self.organisations):
            del self.organisations[index]

    def missing_others(self) -> list[str]:
        """Categories where the person said "another one" and has added no organisation yet."""
        have = {organisation.category for organisation in self.organisations}
        return [category for category in wanted_others(self.answers) if category not in have]


def chosen_before(items: list[ChecklistItem], selection: object) -> dict[str, str] | None:
    """What the person chose last time (item key -> kind), from the stored selection."""
    if not isinstance(selection, list):
        return None
    chosen: dict[str, str] = {}
    for entry in selection:
        if not isinstance(entry, dict):
            continue
        for item in items:
            if item.selection(str(entry.get("kind"))) == entry:
                chosen[item.key] = str(entry["kind"])
    return chosen
