"""A mandate's scope: which rights, toward which platforms and organisations, for which data,
answers to whom.

A mandate names catalogue platforms (their slugs), organisations outside the catalogue (a
hospital found in FINESS, a company by its SIREN, an address typed by hand), or both: CNIL
délibération 2021-070 asks it to say which controllers it covers. Organisations are kept as the
letters keep them (`app.letters.addressees.organisation_from`) and told apart as tracking tells
them apart: FINESS number, else SIREN, else name and postal code (`organisation_key`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.i18n import N_
from app.letters.addressees import organisation_key

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
MAX_ORGANISATIONS = 20


class MandateScope(BaseModel):
    """What the member signed: kept sealed with the mandate."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rights: list[Right] = Field(min_length=1, max_length=len(RIGHTS))
    platforms: list[str] = Field(default_factory=list, max_length=50)
    # Each as the letters keep an organisation (name, address_lines, email, siren, finess,
    # category, public); scopes stored before organisations could be named have none.
    organisations: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_ORGANISATIONS)
    data: str = Field(default="", max_length=500)
    answers_to: Literal["member", "association"] = "member"
    # The association's postal address, as the mandate prints it for the agent.
    agent_address: list[Annotated[str, StringConstraints(max_length=120)]] = Field(
        default_factory=list, max_length=3
    )
    starts_on: date
    ends_on: date

    @model_validator(mode="after")
    def _names_a_controller(self) -> MandateScope:
        if not self.platforms and not self.organisations:
            raise ValueError("platforms: name a platform or an organisation")
        return self

    @model_validator(mode="after")
    def _dates_in_order(self) -> MandateScope:
        if self.ends_on < self.starts_on:
            raise ValueError("ends_on before starts_on")
        return self

    @property
    def organisation_keys(self) -> set[str]:
        return {organisation_key(organisation) for organisation in self.organisations}

    def organisation(self, key: str) -> dict[str, Any] | None:
        """The organisation of this mandate whose key is `key`, if any."""
        for organisation in self.organisations:
            if organisation_key(organisation) == key:
                return dict(organisation)
        return None

    def allows(self, kind: str, to: str | Mapping[str, Any]) -> bool:
        """True when this mandate covers writing `kind` to `to`: a catalogue platform's slug,
        or an organisation (the same one as a named organisation: same FINESS number, else
        SIREN, else name and postal code). Anything else is refused."""
        if kind not in self.rights:
            return False
        if isinstance(to, str):
            return bool(to) and to in self.platforms
        return organisation_key(to) in self.organisation_keys


class Cover:
    """What one helper's mandates in force for one member cover together: the union of what
    each covers. A letter is allowed when one mandate allows that right toward that recipient
    (two mandates for erasure at A and access at B do not allow erasure at B)."""

    def __init__(self, scopes: Sequence[MandateScope]) -> None:
        if not scopes:
            raise ValueError("a cover needs at least one mandate")
        self.scopes = tuple(scopes)

    @property
    def rights(self) -> list[str]:
        return _union(right for scope in self.scopes for right in scope.rights)

    @property
    def platforms(self) -> list[str]:
        return _union(slug for scope in self.scopes for slug in scope.platforms)

    @property
    def organisations(self) -> list[dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for scope in self.scopes:
            for organisation in scope.organisations:
                found.setdefault(organisation_key(organisation), organisation)
        return list(found.values())

    @property
    def ends_on(self) -> date:
        return max(scope.ends_on for scope in self.scopes)

    def organisation(self, key: str) -> dict[str, Any] | None:
        return next((o for s in self.scopes if (o := s.organisation(key)) is not None), None)

    def allows(self, kind: str, to: str | Mapping[str, Any]) -> bool:
        return any(scope.allows(kind, to) for scope in self.scopes)


def _union(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
