"""From answers to a checklist: who to write to, which request, and why.

Erasure where it can work; where the law keeps the data (hospitals, laboratories, pharmacies,
practitioners) the reason is shown and access, objection or a medical-record request is proposed
instead; objection for secondary uses (SNDS, Health Data Hub, hospital data warehouses).
The person adjusts the checklist; `selection_from_choices` turns it into the letters' selection:
items `{"platform": slug, "kind": kind}` or `{"organisation": {...}, "kind": kind}`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from app.catalogue.loader import Catalogue
from app.catalogue.organisation import Organisation
from app.catalogue.questionnaire import OTHER, QUESTIONS, Answers, question_named
from app.catalogue.schema import RIGHTS, Platform
from app.i18n import N_
from app.i18n import gettext as _

MAX_ORGANISATIONS = 30

# Requests that make sense toward an organisation found by name, by its category.
ORGANISATION_RIGHTS: dict[str | None, tuple[str, ...]] = {
    "hospital": ("medical-record", "access", "rectification", "objection"),
    "laboratory": ("access", "medical-record", "rectification", "objection"),
    "pharmacy": ("access", "erasure", "rectification", "objection"),
    "occupational": ("medical-record", "access", "rectification"),
    "insurer": ("access", "rectification", "objection", "erasure", "portability"),
    "research": ("objection", "access", "rectification"),
    None: ("access", "erasure", "rectification", "objection", "portability", "medical-record"),
}
APP_RIGHTS = ("erasure", "access", "portability", "rectification", "objection")

ORGANISATION_REASONS: dict[str | None, str] = {
    "hospital": N_(
        "Un établissement de santé doit garder votre dossier médical au moins 20 ans après "
        "votre dernier passage : il ne peut pas l'effacer. Demandez plutôt une copie de votre "
        "dossier médical."
    ),
    "laboratory": N_(
        "Le laboratoire doit garder vos résultats d'analyses pendant des années : il ne peut pas "
        "tout effacer. Demandez plutôt une copie de vos données et la liste de ce qui est gardé."
    ),
    "pharmacy": N_(
        "Une pharmacie doit garder certains registres pendant des années. Demandez d'abord une "
        "copie de vos données ; un compte en ligne ou une carte de fidélité peut ensuite être "
        "effacé."
    ),
    "occupational": N_(
        "Le dossier médical en santé au travail se demande comme un dossier médical : le service "
        "doit vous le transmettre au plus tard 8 jours après votre demande, ou 2 mois si les "
        "informations ont plus de 5 ans."
    ),
    "insurer": N_(
        "Tant que votre contrat court, l'assureur doit garder vos données. Demandez d'abord une "
        "copie de vos données ; l'effacement n'est possible qu'après la fin du contrat et des "
        "délais légaux."
    ),
    "research": N_(
        "Vous pouvez vous opposer à l'utilisation de vos données pour la recherche, sans vous "
        "justifier et sans effet sur vos soins."
    ),
    None: N_(
        "Demandez d'abord une copie de vos données : la réponse vous dira ce qui est gardé, "
        "pourquoi et jusqu'à quand. Vous pourrez ensuite demander l'effacement."
    ),
}
# The reason shown when a question asks for another request than the platform's usual one.
PREFERRED_REASON = {"objection": "research"}

ORGANISATION_RETENTION: dict[str, str] = {
    "hospital": N_(
        "Code de la santé publique, art. R1112-7 : dossier conservé 20 ans après le dernier "
        "séjour ou la dernière consultation."
    ),
    "laboratory": N_(
        "Comptes rendus d'analyses : aucun texte n'impose de durée aux laboratoires privés ; "
        "le secteur recommande de les garder, notamment parce que l'action en responsabilité se "
        "prescrit par 10 ans (Code de la santé publique, art. L1142-28). 20 ans dans les "
        "établissements publics (art. R1112-7)."
    ),
    "pharmacy": N_(
        "Registres des médicaments listés, des stupéfiants et des préparations : gardés 10 ans "
        "(Code de la santé publique, art. R5132-10 et R5125-45)."
    ),
}


def organisation_rights(category: str | None) -> tuple[str, ...]:
    return ORGANISATION_RIGHTS.get(category, APP_RIGHTS if category else ORGANISATION_RIGHTS[None])


@dataclass(frozen=True)
class ChecklistItem:
    """One line of the checklist: to whom, the proposed request and why, the alternatives."""

    key: str
    name: str
    kind: str
    choices: tuple[str, ...]
    reason: str
    retention: str | None
    check_address: bool
    platform: Platform | None = None
    organisation: Organisation | None = None
    suggested_by: str | None = None
    selected: bool = True
    because: tuple[str, ...] = field(default_factory=tuple)

    def selection(self, kind: str) -> dict[str, Any]:
        if self.platform is not None:
            return {"platform": self.platform.slug, "kind": kind}
        assert self.organisation is not None
        return {"organisation": self.organisation.as_selection(), "kind": kind}


def _platform_item(
    platform: Platform, because: tuple[str, ...], suggested_by: str | None = None
) -> ChecklistItem:
    kind: str = platform.recommended_right
    reason = platform.recommended_reason
    for question_id in because:
        question = question_named(question_id)
        prefer = question.prefer if question else None
        if prefer and prefer != kind and prefer in platform.relevant_rights:
            kind = prefer
            reason = _(ORGANISATION_REASONS.get(PREFERRED_REASON[prefer], ""))
    choices = (kind, *(right for right in platform.relevant_rights if right != kind))
    return ChecklistItem(
        key=f"p-{platform.slug}",
        name=platform.name,
        kind=kind,
        choices=choices,
        reason=reason,
        retention=platform.retention,
        check_address=not platform.verified,
        platform=platform,
        suggested_by=suggested_by,
        selected=suggested_by is None,
        because=because,
    )


def organisation_item(index: int, organisation: Organisation) -> ChecklistItem:
    category = organisation.category
    choices = organisation_rights(category)
    retention = ORGANISATION_RETENTION.get(category or "")
    return ChecklistItem(
        key=f"o-{index}",
        name=organisation.name,
        kind=choices[0],
        choices=choices,
        reason=_(ORGANISATION_REASONS.get(category, ORGANISATION_REASONS[None])),
        retention=_(retention) if retention else None,
        # Addresses from the registers are head offices or establishments, never checked by us.
        check_address=True,
        organisation=organisation,
    )


ADDED = "ajout"


def build_checklist(
    catalogue: Catalogue,
    answers: Answers,
    organisations: Sequence[Organisation] = (),
    added: Sequence[str] = (),
) -> list[ChecklistItem]:
    """The checklist for these answers: chosen platforms, then related ones, then organisations.

    `added` are platforms the person added from the catalogue pages, outside the questions.
    """
    because: dict[str, list[str]] = {}
    for question in QUESTIONS:
        for value in answers.get(question.id, ()):
            if catalogue.get(value) is not None:
                because.setdefault(value, []).append(question.id)
    for slug in added:
        if catalogue.get(slug) is not None:
            because.setdefault(slug, []).append(ADDED)
    items = [
        _platform_item(platform, tuple(because[platform.slug]))
        for platform in catalogue.platforms
        if platform.slug in because
    ]
    suggested: dict[str, str] = {}
    for item in items:
        assert item.platform is not None
        for slug in item.platform.related:
            if slug not in because and slug not in suggested:
                suggested[slug] = item.platform.name
    items += [
        _platform_item(platform, (), suggested_by=suggested[platform.slug])
        for platform in catalogue.platforms
        if platform.slug in suggested
    ]
    items += [organisation_item(i, org) for i, org in enumerate(organisations)]
    return items


def wanted_others(answers: Answers) -> list[str]:
    """Categories where the person said "another one": organisations to look up by name."""
    return [
        question.other_category
        for question in QUESTIONS
        if question.other_category and OTHER in answers.get(question.id, ())
    ]


def selection_from_choices(
    items: Sequence[ChecklistItem], included: set[str], kinds: Mapping[str, str]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The letters' selection from what the person ticked; or an error message per field."""
    errors: dict[str, str] = {}
    selection: list[dict[str, Any]] = []
    known = {item.key for item in items}
    unknown = sorted(included - known)
    if unknown:
        errors["include"] = _("Cette liste a changé. Rechargez la page, puis recommencez.")
        return [], errors
    for item in items:
        if item.key not in included:
            continue
        kind = kinds.get(item.key) or item.kind
        if kind not in item.choices or kind not in RIGHTS:
            errors[f"kind-{item.key}"] = _(
                "Choisissez une des demandes proposées pour %(name)s.", name=item.name
            )
            continue
        selection.append(item.selection(kind))
    if not selection and not errors:
        errors["include"] = _("Cochez au moins un organisme à qui écrire.")
    return (selection, errors) if not errors else ([], errors)


def parse_organisations(raw: object) -> list[Organisation]:
    """Organisations kept in a draft; unreadable entries are dropped."""
    if not isinstance(raw, list):
        return []
    found: list[Organisation] = []
    for entry in raw[:MAX_ORGANISATIONS]:
        try:
            found.append(Organisation.model_validate(entry))
        except ValidationError:
            continue
    return found
