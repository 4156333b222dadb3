"""A kind's option page: the form's fields <-> the options model, with a message per field."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from app.errors import Invalid
from app.i18n import N_
from app.i18n import gettext as _
from app.letters.document import Recipient
from app.letters.kinds import OPTION_MODELS
from app.letters.options import Options
from app.letters.service import check_follow_up_dates
from app.letters.wizard import OptionPage, Question, get_path, set_path
from app.web.date_form import field_names, iso_values, read_date
from app.web.forms import messages_from

SPECIFIC: dict[str, str] = {
    "too_short": N_("Cochez au moins une case."),
    "missing": N_("Ce champ est obligatoire."),
    "value_error": N_("Cette date n'est pas possible : elle doit être passée."),
}


def defaults_for(kind: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """The model's defaults overlaid with what the person chose so far (for prefilling)."""
    merged = OPTION_MODELS[kind]().model_dump(mode="json")
    merged.update(copy.deepcopy(dict(options)))
    return merged


def field_values(page: OptionPage, options: Mapping[str, Any]) -> dict[str, Any]:
    """Each question's current value as the page shows it."""
    current = defaults_for(page.kind, options)
    values: dict[str, Any] = {}
    for question in page.questions:
        value = get_path(current, question.name)
        if question.type == "yesno":
            values[question.name] = "" if value is None else ("yes" if value else "no")
        elif question.type == "date":
            values[question.name] = "" if value is None else str(value)
            values |= iso_values(question.name, value)
        elif question.type in {"checkboxes", "lines"}:
            values[question.name] = list(value or [])
        else:
            values[question.name] = "" if value is None else str(value)
    return values


def _remove_path(options: dict[str, Any], path: str) -> None:
    parts = path.split(".")
    target: Any = options
    for part in parts[:-1]:
        if isinstance(target, list):
            position = int(part)
            target = target[position] if position < len(target) else None
        elif isinstance(target, dict):
            target = target.get(part)
        else:
            return
        if target is None:
            return
    if isinstance(target, dict):
        target.pop(parts[-1], None)


def _read(question: Question, form: FormData, errors: dict[str, str]) -> Any:
    name = question.name
    if question.type == "checkboxes":
        allowed = {choice.value for choice in question.choices}
        return [value for value in form.getlist(name) if value in allowed]
    if question.type == "lines":
        lines = [str(form.get(f"{name}.{index}") or "").strip() for index in range(question.lines)]
        return [line for line in lines if line] or None
    if question.type == "date":
        label = _(question.label, number=question.number)
        day = read_date(form, name, errors, label=label, required=False)
        return None if day is None else day.isoformat()
    raw = str(form.get(name) or "").strip()
    if not raw:
        return None
    if question.type == "yesno":
        return {"yes": True, "no": False}.get(raw)
    if question.type == "radio":
        if raw not in {choice.value for choice in question.choices}:
            errors[name] = _("Choisissez une des propositions.")
            return None
        return raw
    return raw


def _prune(options: dict[str, Any]) -> None:
    """Drop empty groups so the letter shows blanks instead of asking for every sub-field."""
    for key, needed in (
        ("agent", ("name", "address_lines")),
        ("doctor", ("name", "address_lines")),
        ("patient", ("given_name", "family_name", "birth_date", "death_date")),
    ):
        group = options.get(key)
        if isinstance(group, dict) and not any(group.get(part) for part in needed):
            del options[key]
    corrections = options.get("corrections")
    if isinstance(corrections, list):
        options["corrections"] = [
            item
            for item in corrections
            if isinstance(item, dict) and (item.get("current") or item.get("corrected"))
        ]


def apply_page(
    page: OptionPage, options: Mapping[str, Any], form: FormData
) -> tuple[dict[str, Any] | None, dict[str, str], dict[str, Any]]:
    """(new options, {}) when the answers are valid; (None, errors by field, typed values)."""
    errors: dict[str, str] = {}
    updated = copy.deepcopy(dict(options))
    typed: dict[str, Any] = {}
    for question in page.questions:
        value = _read(question, form, errors)
        if question.type in {"checkboxes", "lines"}:
            typed[question.name] = value or []
        elif question.type == "date":
            typed |= {part: str(form.get(part) or "")[:10] for part in field_names(question.name)}
        else:
            typed[question.name] = str(form.get(question.name) or "")
        _remove_path(updated, question.name)
        if value is not None:
            set_path(updated, question.name, value)
    _prune(updated)
    try:
        OPTION_MODELS[page.kind].model_validate(updated)
    except ValidationError as exc:
        specific = {question.name: SPECIFIC for question in page.questions}
        for location, message in messages_from(exc, specific).items():
            errors.setdefault(_owner(page, location), message)
    if errors:
        # In the order of the page, so the error summary reads like the form.
        order = [question.name for question in page.questions]
        ranked = sorted(errors.items(), key=lambda item: order.index(item[0]))
        return None, dict(ranked), typed
    return updated, {}, typed


def date_errors(
    page: OptionPage, recipient: Recipient, options: Options, today: date
) -> dict[str, str]:
    """A follow-up too early or too late for its dates: the message goes next to the date
    field it rests on (or to the page's first question when that field is on another page)."""
    try:
        check_follow_up_dates(page.kind, recipient, options, today)
    except Invalid as exc:
        names = [question.name for question in page.questions]
        errors: dict[str, str] = {}
        for field, message in exc.errors.items():
            name = field.removeprefix("options.")
            errors.setdefault(name if name in names else names[0], message)
        return errors
    return {}


def _owner(page: OptionPage, location: str) -> str:
    """The question a validation error belongs to (the longest name that prefixes it)."""
    matches = [
        question.name
        for question in page.questions
        if location == question.name or location.startswith(question.name + ".")
    ]
    if matches:
        return max(matches, key=len)
    parent = [q.name for q in page.questions if q.name.startswith(location + ".")]
    return parent[0] if parent else page.questions[0].name
