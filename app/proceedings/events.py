"""The dated events of a proceeding, as plain data (the same model for pages, API and storage)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.i18n import N_
from app.letters.options import ACCESS_ITEMS, AccessItem

EventKind = Literal[
    "generated",
    "sent",
    "received",
    "identity-requested",
    "identity-answered",
    "extension",
    "commission",
    "answer",
    "reminder",
    "complaint",
    "closed",
]
EVENT_KINDS: tuple[str, ...] = EventKind.__args__  # type: ignore[attr-defined]
Channel = Literal["post", "email", "web-form"]
CHANNELS: tuple[str, ...] = Channel.__args__  # type: ignore[attr-defined]
Outcome = Literal["complete", "incomplete", "refusal", "erased"]
OUTCOMES: tuple[str, ...] = Outcome.__args__  # type: ignore[attr-defined]
Authority = Literal["cnil", "cada"]
# The kinds of app.letters.kinds a proceeding names, as types for the API and the stored events
# (tests/unit/letters/test_kind_registry.py checks them against the registry).
FollowUpKind = Literal["reminder", "incomplete-answer", "complaint-file", "cada-referral"]
RightKind = Literal[
    "access", "erasure", "objection", "rectification", "portability", "medical-record"
]
LetterKind = Literal[
    "access",
    "erasure",
    "objection",
    "rectification",
    "portability",
    "medical-record",
    "reminder",
    "incomplete-answer",
    "complaint-file",
    "cada-referral",
]

Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class Event(BaseModel):
    """One thing that happened, on one day. Which fields matter depends on `kind`.

    - generated: `letter` (the kind of the letter Reprise made);
    - sent, reminder: `channel`, `reference` (a registered-letter number, for instance);
      a reminder's `letter` says which follow-up was sent (reminder or incomplete-answer);
    - answer: `outcome`, and `missing` for an incomplete answer to an access request;
    - complaint: `authority` (CNIL or CADA), `reference` (the complaint's number);
    - commission: the departmental psychiatric care commission was seized (medical records);
    - every event may carry a `note`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: EventKind
    date: dt.date
    channel: Channel | None = None
    reference: Reference | None = None
    outcome: Outcome | None = None
    missing: tuple[AccessItem, ...] = Field(default=(), max_length=len(ACCESS_ITEMS))
    letter: LetterKind | None = None
    authority: Authority | None = None
    note: Note | None = None


EVENT_LABELS: dict[str, str] = {
    "generated": N_("Lettre préparée"),
    "sent": N_("Demande envoyée"),
    "received": N_("Demande reçue par l'organisme"),
    "identity-requested": N_("L'organisme demande un justificatif d'identité"),
    "identity-answered": N_("Justificatif d'identité envoyé"),
    "extension": N_("L'organisme annonce une prolongation du délai"),
    "commission": N_("La commission départementale des soins psychiatriques est saisie"),
    "answer": N_("Réponse reçue"),
    "reminder": N_("Relance envoyée"),
    "complaint": N_("Réclamation déposée"),
    "closed": N_("Démarche close"),
}
OUTCOME_LABELS: dict[str, str] = {
    "complete": N_("réponse complète"),
    "incomplete": N_("réponse incomplète"),
    "refusal": N_("refus"),
    "erased": N_("données effacées"),
}
CHANNEL_LABELS: dict[str, str] = {
    "post": N_("par courrier"),
    "email": N_("par e-mail"),
    "web-form": N_("par le formulaire du site"),
}
AUTHORITY_LABELS: dict[str, str] = {
    "cnil": N_("auprès de la CNIL"),
    "cada": N_("auprès de la CADA"),
}
