"""A mandate's scope: which rights, toward which platforms, for which data, answers to whom."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.i18n import N_

# No medical-record right here: the Code de la santé publique (R1111-1) says who may ask for a
# medical record, and an association is not among them; the helper prepares that letter for the
# member to sign.
Right = Literal["access", "erasure", "objection", "rectification", "portability", "complaint"]
RIGHTS: dict[str, str] = {
    "access": N_("Droit d'accès : obtenir une copie des données"),
    "erasure": N_("Droit à l'effacement : faire supprimer les données"),
    "objection": N_("Droit d'opposition : refuser une utilisation des données"),
    "rectification": N_("Droit de rectification : faire corriger les données"),
    "portability": N_("Droit à la portabilité : recevoir ses données dans un format réutilisable"),
    "complaint": N_("Porter réclamation auprès de la CNIL"),
}
ANSWERS_TO: dict[str, str] = {
    "member": N_("Au membre, à son adresse"),
    "association": N_("À l'association, qui les transmet au membre"),
}
MAX_MONTHS = 36


class MandateScope(BaseModel):
    """What the member signed: kept sealed with the mandate."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rights: list[Right] = Field(min_length=1, max_length=len(RIGHTS))
    platforms: list[str] = Field(min_length=1, max_length=50)
    data: str = Field(default="", max_length=500)
    answers_to: Literal["member", "association"] = "member"
    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _dates_in_order(self) -> MandateScope:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on before starts_on")
        return self

    def allows(self, kind: str, platform: str) -> bool:
        """True when this mandate covers writing `kind` to `platform`."""
        return kind in self.rights and platform in self.platforms
