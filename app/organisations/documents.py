"""The mandate as a document: a stored mandate printed as the `mandate` letter kind.

`mandate_options` turns the stored scope into what the mandate letter prints (principal, agent,
rights, data, platforms, dates, who receives the answers); `mandate_letter` composes it.
"""

from __future__ import annotations

from sqlmodel import Session

from app.accounts.files import identity_of
from app.clock import today
from app.letters.document import Letter
from app.letters.identity import Identity
from app.letters.options import Agent, MandateOptions
from app.letters.service import make_mandate
from app.models.organisation import Association, Mandate, PatientFile
from app.organisations.service import association_name, mandate_scope


def mandate_options(db: Session, file: PatientFile, mandate: Mandate) -> MandateOptions:
    """The stored mandate as the mandate letter prints it: the association is the agent."""
    scope = mandate_scope(mandate)
    association = db.get(Association, file.association_id) if file.association_id else None
    agent = (
        Agent(
            name=association_name(association) if association else "",
            kind="association",
        )
        if association
        else None
    )
    return MandateOptions(
        agent=agent,
        rights=list(scope.rights),
        data=scope.data or None,
        platforms=list(scope.platforms),
        start=scope.starts_on,
        end=scope.ends_on,
        answers_to="agent" if scope.answers_to == "association" else "principal",
    )


def mandate_letter(db: Session, file: PatientFile, mandate: Mandate) -> Letter:
    """The mandate document the member signs, from what is stored."""
    identity = Identity.model_validate(identity_of(file))
    return make_mandate(identity, mandate_options(db, file, mandate), today())
