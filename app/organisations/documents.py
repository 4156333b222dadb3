"""The mandate as a document: the seam to the `mandate` letter kind.

`mandate_options` gathers what the mandate letter prints (principal, agent, rights, data,
platforms, dates, who receives the answers); `mandate_letter` composes it once the letters
feature provides the `mandate` kind. The route /association/membres/{file}/mandats/{id}/mandat.pdf
answers 404 until then.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.accounts.files import identity_of
from app.accounts.users import name_of
from app.clock import today
from app.letters.document import Letter, Recipient
from app.letters.identity import Identity
from app.letters.service import make_letter, parse_options
from app.models.account import User
from app.models.organisation import Association, Mandate, PatientFile
from app.organisations.service import association_name, mandate_scope


def mandate_options(db: Session, file: PatientFile, mandate: Mandate) -> dict[str, Any]:
    scope = mandate_scope(mandate)
    association = db.get(Association, file.association_id) if file.association_id else None
    agent = db.get(User, mandate.agent_user_id) if mandate.agent_user_id else None
    return {
        "agent": {
            "association": association_name(association) if association else "",
            "name": name_of(agent) if agent else "",
        },
        "rights": list(scope.rights),
        "data": scope.data,
        "platforms": list(scope.platforms),
        "starts_on": scope.starts_on.isoformat(),
        "ends_on": scope.ends_on.isoformat(),
        "answers_to": scope.answers_to,
        "signed_on": mandate.signed_on.isoformat() if mandate.signed_on else None,
    }


def mandate_letter(db: Session, file: PatientFile, mandate: Mandate) -> Letter:
    identity = Identity.model_validate(identity_of(file))
    options = mandate_options(db, file, mandate)
    recipient = Recipient(
        name=options["agent"]["association"], address_lines=(), email=None, verified=False
    )
    return make_letter("mandate", identity, recipient, parse_options("mandate", options), today())
