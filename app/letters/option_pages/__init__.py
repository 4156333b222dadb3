"""The questions each letter kind asks, one decision per page, as data.

The page template and the form parser are generic; the kind's options model checks every answer.
Each group of kinds has its module (first requests, medical record, follow-ups, mandate).
"""

from __future__ import annotations

from app.letters.option_pages.follow_ups import FOLLOW_UP_PAGES
from app.letters.option_pages.mandate import MANDATE_PAGES
from app.letters.option_pages.medical import MEDICAL_RECORD_PAGES
from app.letters.option_pages.questions import Choice, OptionPage, Options, Question
from app.letters.option_pages.rights import RIGHT_PAGES

__all__ = ["OPTION_PAGES", "Choice", "OptionPage", "Question", "option_page", "pages_for"]

OPTION_PAGES: tuple[OptionPage, ...] = (
    *RIGHT_PAGES,
    *MEDICAL_RECORD_PAGES,
    *FOLLOW_UP_PAGES,
    *MANDATE_PAGES,
)


def pages_for(kind: str, options: Options) -> list[OptionPage]:
    """The option pages that apply to this kind, given the answers so far."""
    return [page for page in OPTION_PAGES if page.kind == kind and page.applies(options)]


def option_page(kind: str, slug: str) -> OptionPage | None:
    return next((page for page in OPTION_PAGES if page.kind == kind and page.slug == slug), None)
