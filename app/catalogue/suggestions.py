"""Addresses suggested by patients for a catalogue record, kept for the maintainers to check.

Only the organisation's address and the link the person gives are kept: no name, no account, no
session. Nothing changes in the catalogue until a maintainer edits the record by hand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from email_validator import EmailNotValidError, validate_email
from sqlmodel import Session, col, select

from app.catalogue.contacts import check_url
from app.i18n import N_
from app.i18n import gettext as _
from app.models.suggestion import CatalogueSuggestion

SuggestionKind = Literal["email", "postal", "web_form"]
KINDS: tuple[str, ...] = SuggestionKind.__args__  # type: ignore[attr-defined]
KIND_LABELS = {
    "email": N_("Adresse e-mail"),
    "postal": N_("Adresse postale"),
    "web_form": N_("Formulaire en ligne"),
}
MAX_VALUE = 500
MAX_SOURCE = 500


@dataclass(frozen=True)
class Suggestion:
    kind: str
    value: str
    source_url: str | None


def read_suggestion(form: Mapping[str, str]) -> tuple[Suggestion | None, dict[str, str]]:
    """The suggestion in a submitted form, or the messages to show next to each field."""
    errors: dict[str, str] = {}
    kind = form.get("kind", "")
    value = re.sub(r"[ \t]+", " ", form.get("value", "")).strip()
    source = form.get("source_url", "").strip() or None
    if kind not in KINDS:
        errors["kind"] = _(
            "Choisissez ce que vous proposez : e-mail, adresse postale ou formulaire."
        )
    if not value:
        errors["value"] = _("Écrivez l'adresse que vous proposez.")
    elif len(value) > MAX_VALUE:
        errors["value"] = _("L'adresse est trop longue (500 caractères au plus).")
    elif kind == "email" and not _is_email(value):
        errors["value"] = _("Indiquez une adresse e-mail complète, par exemple dpo@exemple.fr.")
    elif kind == "web_form" and not _is_url(value, ("https",)):
        errors["value"] = _("Indiquez l'adresse complète du formulaire, qui commence par https://.")
    if source is not None and (len(source) > MAX_SOURCE or not _is_url(source, ("https", "http"))):
        errors["source_url"] = _(
            "Indiquez l'adresse complète de la page où vous l'avez lue, qui commence par https://."
        )
    if errors:
        return None, errors
    return Suggestion(kind=kind, value=value, source_url=source), {}


def _is_email(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def _is_url(value: str, schemes: tuple[str, ...]) -> bool:
    try:
        check_url(value, schemes)
    except ValueError:
        return False
    return True


def record_suggestion(db: Session, slug: str, suggestion: Suggestion) -> CatalogueSuggestion:
    row = CatalogueSuggestion(
        platform_slug=slug,
        kind=suggestion.kind,
        value=suggestion.value,
        source_url=suggestion.source_url,
    )
    db.add(row)
    db.commit()
    return row


def list_suggestions(db: Session) -> list[CatalogueSuggestion]:
    """Every suggestion, oldest first."""
    query = select(CatalogueSuggestion).order_by(col(CatalogueSuggestion.created_at))
    return list(db.exec(query))
