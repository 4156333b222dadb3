"""Tables only, one module per aggregate; importing this package registers them all."""

from sqlmodel import SQLModel

from app.models.account import AccountToken, ThrottleHit, User
from app.models.establishment import Establishment, FinessImport
from app.models.job import Job, PackJob
from app.models.observatory import ObservatoryFact
from app.models.organisation import (
    Association,
    AuditEntry,
    Invitation,
    Mandate,
    PatientFile,
    StaffRole,
    StoredLetter,
)
from app.models.proceeding import ApiToken, Proceeding, TrackingPreference
from app.models.session import Draft, WebSession
from app.models.suggestion import CatalogueSuggestion

__all__ = [
    "AccountToken",
    "ApiToken",
    "Association",
    "AuditEntry",
    "CatalogueSuggestion",
    "Draft",
    "Establishment",
    "FinessImport",
    "Invitation",
    "Job",
    "Mandate",
    "ObservatoryFact",
    "PackJob",
    "PatientFile",
    "Proceeding",
    "SQLModel",
    "StaffRole",
    "StoredLetter",
    "ThrottleHit",
    "TrackingPreference",
    "User",
    "WebSession",
]
