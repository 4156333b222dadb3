"""Who a letter goes to, as the wizard sees it: a catalogue platform or an organisation typed in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.catalogue.organisation import Organisation
from app.catalogue.schema import Platform
from app.i18n import N_
from app.letters.compose import recipient_from_platform
from app.letters.document import Recipient
from app.letters.service import recipient_from_input

CARE_CATEGORIES = frozenset({"hospital", "practitioner", "laboratory"})
CARE_REASON = N_(
    "Un établissement ou un professionnel de santé doit garder votre dossier pendant des "
    "années : demandez-en la communication. Vous saurez ce qu'il contient."
)
OTHER_REASON = N_(
    "Pour un organisme que Reprise ne connaît pas, commencez par la demande d'accès : elle "
    "vous dit quelles données il a sur vous, avant de décider quoi faire."
)


@dataclass(frozen=True)
class Contact:
    web_form: str | None = None


@dataclass(frozen=True)
class Holder:
    """The attributes the pages and letters need, whatever the holder's origin."""

    name: str
    recipient: Recipient
    categories: list[str]
    public: bool | None
    recommended_right: str
    recommended_reason: str  # already in the page's language for a platform; N_ marked else
    reason_is_message: bool
    identifiers: list[str] = field(default_factory=list)
    verified: bool = False
    quality: str = "unverified"
    role_note: str | None = None
    contact: Contact = field(default_factory=Contact)
    slug: str | None = None


def holder_from_platform(platform: Platform) -> Holder:
    return Holder(
        name=platform.name,
        recipient=recipient_from_platform(platform),
        categories=list(platform.categories),
        public=None,
        recommended_right=platform.recommended_right,
        recommended_reason=platform.recommended_reason,
        reason_is_message=False,
        identifiers=list(platform.identifiers),
        verified=platform.verified,
        quality=platform.quality,
        role_note=platform.role_note,
        contact=Contact(platform.contact.web_form),
        slug=platform.slug,
    )


def holder_from_organisation(raw: dict[str, Any]) -> Holder:
    organisation = Organisation.model_validate(raw)
    care = (organisation.category or "") in CARE_CATEGORIES
    return Holder(
        name=organisation.name,
        recipient=recipient_from_input(organisation),
        categories=[organisation.category or "other"],
        public=organisation.public,
        recommended_right="medical-record" if care else "access",
        recommended_reason=CARE_REASON if care else OTHER_REASON,
        reason_is_message=True,
        contact=Contact(organisation.web_form),
    )
