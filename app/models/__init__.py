"""Tables only, one module per aggregate; importing this package registers them all."""

from sqlmodel import SQLModel

from app.models.establishment import Establishment, FinessImport
from app.models.session import Draft, WebSession

__all__ = ["Draft", "Establishment", "FinessImport", "SQLModel", "WebSession"]
