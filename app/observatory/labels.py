"""Words for the observatory's figures (French first; English in observatory.po)."""

from __future__ import annotations

from app.i18n import N_

# The shares shown for each cell, in the order of the table.
SHARE_LABELS: dict[str, str] = {
    "on_time": N_("Réponse dans le délai légal"),
    "incomplete": N_("Réponse incomplète"),
    "refused": N_("Refus"),
    "reminded": N_("Relance nécessaire"),
    "complaint": N_("Réclamation à la CNIL ou à la CADA"),
    "unanswered": N_("Toujours sans réponse après le délai"),
}
RIGHT_LABELS: dict[str, str] = {
    "access": N_("Accès"),
    "erasure": N_("Effacement"),
    "objection": N_("Opposition"),
    "medical-record": N_("Dossier médical"),
}
