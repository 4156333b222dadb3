"""What the gate (app.authorisation, in front of every route) hands a route: who is calling, and
the resource the route's policy let them reach. A route asks for its grant by type, so its
signature says what it may touch; no field a route reads is optional.

This module imports neither the pages nor the JSON API: both take their grants from here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request

from app.errors import Forbidden, SignInRequired
from app.models.account import User
from app.models.organisation import PatientFile, StoredLetter
from app.models.proceeding import Proceeding
from app.models.session import WebSession
from app.organisations.access import Actor
from app.organisations.mandates import Cover
from app.proceedings.access import Reach


@dataclass(frozen=True)
class Access:
    """What the gate found out, handed to the route: who is calling. The grants below add the
    resource the route's policy let them reach; a route asks for one by its type."""

    actor: Actor
    session: WebSession | None

    @property
    def user(self) -> User:
        if self.actor.user is None:
            raise SignInRequired()
        return self.actor.user


@dataclass(frozen=True)
class OwnLetterGrant(Access):
    """A letter kept in the caller's own file."""

    letter: StoredLetter


@dataclass(frozen=True)
class MemberFileGrant(Access):
    """A member's file as the association manages it (name, consent, mandates)."""

    file: PatientFile


@dataclass(frozen=True)
class AdminMemberFileGrant(MemberFileGrant):
    """A member's file, reached by an administrator of the member's association."""


@dataclass(frozen=True)
class MandatedFileGrant(Access):
    """A member's data, and what the caller's mandates in force for that member cover."""

    file: PatientFile
    cover: Cover


@dataclass(frozen=True)
class MandatedLetterGrant(MandatedFileGrant):
    """A letter of a member's file, reached under the caller's mandates."""

    letter: StoredLetter


@dataclass(frozen=True)
class ProceedingGrant(Access):
    """A proceeding the caller may act on: their own file's, or a member's whose mandates cover
    its right and recipient (`cover` is then what they cover; None for the file's owner)."""

    proceeding: Proceeding
    file: PatientFile
    cover: Cover | None

    @property
    def reach(self) -> Reach:
        return Reach(self.proceeding, self.file, self.cover)


# The dependencies handing routes their grant only read what the gate left: they are
# coroutines, so FastAPI runs them on the event loop (a plain function would cost each request a
# hand-off to a worker thread and back).
async def current_access(request: Request) -> Access:
    access: Access = request.state.access
    return access


G = TypeVar("G", bound=Access)


def _granted(kind: type[G]) -> Callable[[Request], Awaitable[G]]:
    """The dependency handing a route its grant. A route asking for more than its policy grants
    is refused (a test checks that none does)."""

    async def dependency(request: Request) -> G:
        access = request.state.access
        if not isinstance(access, kind):
            raise Forbidden()
        return access

    dependency.__name__ = f"granted_{kind.__name__}"
    # Read by tests/unit/grants/test_grants.py: which grant a route asks for.
    dependency.grant = kind  # type: ignore[attr-defined]
    return dependency


# What a route may touch, read off its signature.
AccessDep = Annotated[Access, Depends(current_access)]
OwnLetter = Annotated[OwnLetterGrant, Depends(_granted(OwnLetterGrant))]
MemberFile = Annotated[MemberFileGrant, Depends(_granted(MemberFileGrant))]
AdminMemberFile = Annotated[AdminMemberFileGrant, Depends(_granted(AdminMemberFileGrant))]
MandatedFile = Annotated[MandatedFileGrant, Depends(_granted(MandatedFileGrant))]
MandatedLetter = Annotated[MandatedLetterGrant, Depends(_granted(MandatedLetterGrant))]
ReachableProceeding = Annotated[ProceedingGrant, Depends(_granted(ProceedingGrant))]
