"""What an option page is made of, and the questions several kinds ask."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from app.i18n import N_

Options = Mapping[str, Any]


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    hint: str | None = None


@dataclass(frozen=True)
class Question:
    """One field of an option page; `name` is the option's path (`agent.name`)."""

    name: str
    type: Literal["radio", "checkboxes", "yesno", "date", "text", "textarea", "lines"]
    label: str
    hint: str | None = None
    choices: tuple[Choice, ...] = ()
    maxlength: int = 200
    lines: int = 2  # for "lines": how many inputs
    number: int = 0  # fills %(number)s in the label (repeated groups)


@dataclass(frozen=True)
class OptionPage:
    kind: str
    slug: str
    title: str
    questions: tuple[Question, ...]
    intro: str | None = None
    applies: Callable[[Options], bool] = field(default=lambda options: True)


YES_NO = (Choice("yes", N_("Oui")), Choice("no", N_("Non")))

OLDER_QUESTION = Question(
    "older_than_5_years",
    "yesno",
    N_("Certaines informations datent de plus de cinq ans"),
    N_("Le délai est alors de deux mois au lieu de huit jours."),
    YES_NO,
)
