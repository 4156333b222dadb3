"""The letter wizard's steps as data: each knows when it applies and when it is complete.

Platform -> kind (the recommended one first) -> the kind's questions, one decision per page
-> identity -> preview. The option pages are data too: the page template and the form parser
are generic, and the kind's options model checks every answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.letters.option_pages import OPTION_PAGES, OptionPage, Question, option_page, pages_for

__all__ = ["OPTION_PAGES", "OptionPage", "Question", "option_page", "pages_for"]

Draft = Mapping[str, Any]


@dataclass(frozen=True)
class Step:
    name: str
    path: str
    applies: Callable[[Draft], bool]
    complete: Callable[[Draft], bool]


def _option_steps(draft: Draft) -> list[Step]:
    kind = draft.get("kind") or ""
    done = set(draft.get("pages_done") or ())
    return [
        Step(
            f"options:{page.slug}",
            f"/lettres/options/{page.slug}",
            applies=lambda draft: True,
            complete=lambda draft, slug=page.slug: slug in done,  # type: ignore[misc]
        )
        for page in pages_for(kind, draft.get("options") or {})
    ]


def steps(draft: Draft) -> list[Step]:
    """Every step of this draft's path, in order."""
    return [
        Step(
            "platform",
            "/lettres",
            applies=lambda draft: True,
            complete=lambda draft: bool(draft.get("platform") or draft.get("organisation")),
        ),
        Step(
            "kind",
            "/lettres/demande",
            applies=lambda draft: True,
            complete=lambda draft: bool(draft.get("kind_chosen")),
        ),
        *_option_steps(draft),
        Step(
            "identity",
            "/lettres/identite",
            applies=lambda draft: True,
            complete=lambda draft: bool(draft.get("identity")),
        ),
        Step("preview", "/lettres/apercu", applies=lambda draft: True, complete=lambda d: False),
    ]


def first_incomplete(draft: Draft) -> Step:
    """Where the person should be: the first step that applies and is not complete."""
    all_steps = steps(draft)
    for step in all_steps:
        if step.applies(draft) and not step.complete(draft):
            return step
    return all_steps[-1]


def reachable(draft: Draft, name: str) -> bool:
    """A step can be shown once every step before it is complete."""
    for step in steps(draft):
        if step.name == name:
            return True
        if step.applies(draft) and not step.complete(draft):
            return False
    return False


def next_step(draft: Draft, name: str) -> Step:
    """The step after `name` that is not complete yet (or the preview)."""
    all_steps = steps(draft)
    names = [step.name for step in all_steps]
    start = names.index(name) + 1 if name in names else 0
    for step in all_steps[start:]:
        if not step.complete(draft):
            return step
    return all_steps[-1]


# The stages a person goes through, whatever the letter: its questions count as one stage, so
# the total said on the first page stays true until the last (their number depends on the
# letter and on the answers, unknown at the start).
STAGES = ("platform", "kind", "options", "identity", "preview")


def progress(draft: Draft, name: str) -> tuple[int, int]:
    """(stage of the step, number of stages), for 'Étape 3 sur 5': the same total throughout."""
    stage = name.split(":", 1)[0]
    position = STAGES.index(stage) + 1 if stage in STAGES else 1
    return position, len(STAGES)


def set_path(options: dict[str, Any], path: str, value: Any) -> None:
    """Set `corrections.0.current` style paths in nested dicts and lists."""
    parts = path.split(".")
    target: Any = options
    for index, part in enumerate(parts[:-1]):
        following = parts[index + 1]

        def container(following: str = following) -> Any:
            return [] if following.isdigit() else {}

        if isinstance(target, list):
            position = int(part)
            while len(target) <= position:
                target.append(container())
            target = target[position]
        else:
            target = target.setdefault(part, container())
    last = parts[-1]
    if isinstance(target, list):
        position = int(last)
        while len(target) <= position:
            target.append(None)
        target[position] = value
    else:
        target[last] = value


def get_path(options: Any, path: str) -> Any:
    target = options
    for part in path.split("."):
        if isinstance(target, list):
            position = int(part)
            target = target[position] if position < len(target) else None
        elif isinstance(target, dict):
            target = target.get(part)
        else:
            return None
    return target
