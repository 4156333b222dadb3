"""A route's signature says what it may touch (issue 11 item 3): the grant it asks for
(`MemberFile`, `MandatedFile`, `ReachableProceeding`, ...) is one its policy hands out. A route
asking for more than its policy grants would be refused on every call; this test finds it first.
"""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from app.authorisation import GRANTS, ROUTE_POLICIES, Policy, policy_key
from app.errors import Forbidden
from app.grants import (
    Access,
    AdminMemberFileGrant,
    MandatedFileGrant,
    MandatedLetterGrant,
    MemberFileGrant,
    OwnLetterGrant,
    ProceedingGrant,
    _granted,
)
from app.organisations.access import ANONYMOUS


def _asked_grants(route: Any) -> list[type[Access]]:
    """The grant types a route's signature asks for (directly or through its helpers)."""
    found: list[type[Access]] = []
    pending = list(route.dependant.dependencies)
    while pending:
        dependant = pending.pop()
        grant = getattr(dependant.call, "grant", None)
        if grant is not None:
            found.append(grant)
        pending.extend(dependant.dependencies)
    return found


def _routes(app: Any) -> list[tuple[str, str, Any]]:
    """(method, path template, route) for every route of the app, mounts excepted."""
    from fastapi.routing import APIRoute, iter_route_contexts

    found = []
    for context in iter_route_contexts(app.routes):
        if isinstance(context.route, APIRoute) and context.methods:
            found += [(m, context.path, context.route) for m in context.methods if m != "HEAD"]
    return found


def test_every_route_asks_only_for_what_its_policy_grants(app: Any) -> None:
    wrong = []
    asking = 0
    for method, path, route in _routes(app):
        policy = ROUTE_POLICIES[policy_key(method, path)]
        for grant in _asked_grants(route):
            asking += 1
            if not issubclass(GRANTS[policy], grant):
                wrong.append(f"{method} {path}: {policy.name} gives no {grant.__name__}")
    assert wrong == []
    # The routes on a member, a mandate, a letter or a proceeding all ask for their grant.
    assert asking >= 30


def test_routes_on_a_resource_name_it_in_their_signature(app: Any) -> None:
    """A route whose policy reaches a file, a letter or a proceeding takes that grant, so the
    resource comes typed and whole (no optional field, no assert)."""
    plain = []
    for method, path, route in _routes(app):
        policy = ROUTE_POLICIES[policy_key(method, path)]
        if GRANTS[policy] is not Access and not _asked_grants(route):
            plain.append(f"{method} {path}")
    assert plain == []


@pytest.mark.parametrize(
    ("handed", "asked", "allowed"),
    [
        (MemberFileGrant, MemberFileGrant, True),
        (AdminMemberFileGrant, MemberFileGrant, True),
        (MemberFileGrant, AdminMemberFileGrant, False),
        (MemberFileGrant, MandatedFileGrant, False),
        (MandatedLetterGrant, MandatedFileGrant, True),
        (MandatedFileGrant, MandatedLetterGrant, False),
        (OwnLetterGrant, MandatedLetterGrant, False),
        (Access, ProceedingGrant, False),
        (ProceedingGrant, Access, True),
    ],
)
def test_a_grant_is_handed_only_where_the_policy_gave_it(
    handed: type[Access], asked: type[Access], allowed: bool
) -> None:
    fields: dict[str, Any] = {
        "file": object(),
        "cover": object(),
        "letter": object(),
        "proceeding": object(),
    }
    wanted = set(handed.__dataclass_fields__) - {"actor", "session"}
    grant = handed(ANONYMOUS, None, **{name: fields[name] for name in wanted})
    request: Any = SimpleNamespace(state=SimpleNamespace(access=grant))
    dependency = _granted(asked)
    if allowed:
        assert asyncio.run(dependency(request)) is grant
    else:
        with pytest.raises(Forbidden):
            asyncio.run(dependency(request))


def test_every_policy_hands_a_grant() -> None:
    assert set(GRANTS) == set(Policy)
