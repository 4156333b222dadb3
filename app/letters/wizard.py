"""The letter wizard's steps as data: each knows when it applies and when it is complete."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Draft = Mapping[str, Any]


@dataclass(frozen=True)
class Step:
    name: str
    path: str
    applies: Callable[[Draft], bool]
    complete: Callable[[Draft], bool]


STEPS: tuple[Step, ...] = (
    Step(
        "platform",
        "/lettres",
        applies=lambda draft: True,
        complete=lambda draft: bool(draft.get("platform")),
    ),
    Step(
        "identity",
        "/lettres/identite",
        applies=lambda draft: True,
        complete=lambda draft: bool(draft.get("identity")),
    ),
    Step(
        "preview",
        "/lettres/apercu",
        applies=lambda draft: True,
        complete=lambda draft: False,
    ),
)


def step_named(name: str) -> Step:
    return next(step for step in STEPS if step.name == name)


def first_incomplete(draft: Draft) -> Step:
    """Where the person should be: the first step that applies and is not complete."""
    for step in STEPS:
        if step.applies(draft) and not step.complete(draft):
            return step
    return STEPS[-1]


def reachable(draft: Draft, name: str) -> bool:
    """A step can be shown once every step before it is complete."""
    for step in STEPS:
        if step.name == name:
            return True
        if step.applies(draft) and not step.complete(draft):
            return False
    return False


def progress(draft: Draft, name: str) -> tuple[int, int]:
    """(position of the step, number of steps that apply), for 'Étape 2 sur 3'."""
    applicable = [step for step in STEPS if step.applies(draft)]
    position = next(index for index, step in enumerate(applicable, 1) if step.name == name)
    return position, len(applicable)
