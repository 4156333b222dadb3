"""Deny by default, in one place: every route of the app has a line in ROUTE_POLICIES.

`enforce_access` runs before every route (a dependency of the whole app). It finds who is
calling, looks up the route's policy and applies app.organisations.access; a route without a policy
is refused (403) and logged. What the policy let the caller reach is handed to the route as a
typed grant (app.grants: `MemberFile`, `MandatedFile`, `ReachableProceeding`, ...), so a route's
signature says what it may touch. Adding a route means adding one line here, and one line in the
route x role table of tests/functional/test_authorisation.py.
"""

from __future__ import annotations

import logging
import uuid
from enum import Enum
from typing import Any

from fastapi import Request
from fastapi.concurrency import run_in_threadpool

from app.accounts.sessions import find_session_with_actor
from app.clock import today
from app.db import SessionDep
from app.errors import Forbidden, SignInRequired
from app.grants import (
    Access,
    AdminMemberFileGrant,
    MandatedFileGrant,
    MandatedLetterGrant,
    MemberFileGrant,
    OwnLetterGrant,
    ProceedingGrant,
)
from app.logs import who
from app.models.session import WebSession
from app.organisations.access import (
    ANONYMOUS,
    Actor,
    actor_for,
    mandated_file,
    mandated_letter,
    member_file,
    own_letter,
)
from app.proceedings.access import reach

logger = logging.getLogger("reprise.access")


class Policy(Enum):
    PUBLIC = "anyone"
    SIGNED_IN = "a signed-in person (their own account and files)"
    OWN_LETTER = "the person whose file holds the letter"
    STAFF = "an administrator or helper of an association"
    ADMIN = "an administrator of the association"
    MEMBER = "the association's administrators, or a helper with a mandate for this member"
    MEMBER_ADMIN = "an administrator of the member's association"
    MANDATE = "the helper holding a mandate in force for this member"
    MANDATE_LETTER = "the helper holding a mandate in force, for a letter of this member"
    PROCEEDING = (
        "the person whose file holds the proceeding, or a helper whose mandate in force "
        "covers its platform and right"
    )


P = Policy
# "METHOD /path/template": policy. HEAD is checked as GET.
ROUTE_POLICIES: dict[str, Policy] = {
    "GET /": P.PUBLIC,
    "GET /langue/{locale}": P.PUBLIC,
    "GET /healthz": P.PUBLIC,
    "GET /readyz": P.PUBLIC,
    "GET /confidentialite": P.PUBLIC,
    "GET /accessibilite": P.PUBLIC,
    "GET /mentions-legales": P.PUBLIC,
    # the letter wizard (anonymous, data in a sealed draft)
    "GET /lettres": P.PUBLIC,
    "POST /lettres/plateforme": P.PUBLIC,
    "GET /lettres/identite": P.PUBLIC,
    "POST /lettres/identite": P.PUBLIC,
    "GET /lettres/apercu": P.PUBLIC,
    "POST /lettres/adresse": P.PUBLIC,
    "GET /lettres/lettre.pdf": P.PUBLIC,
    "GET /lettres/demande": P.PUBLIC,
    "POST /lettres/demande": P.PUBLIC,
    "GET /lettres/options/{slug}": P.PUBLIC,
    "POST /lettres/options/{slug}": P.PUBLIC,
    "GET /lettres/organisme": P.PUBLIC,
    "POST /lettres/organisme": P.PUBLIC,
    "GET /lettres/lettre.eml": P.PUBLIC,
    "GET /lettres/lettre.txt": P.PUBLIC,
    "GET /lettres/texte": P.PUBLIC,
    "GET /lettres/lot": P.PUBLIC,
    "POST /lettres/lot": P.PUBLIC,
    "POST /lettres/lot/modifier": P.PUBLIC,
    "POST /lettres/lot/retirer": P.PUBLIC,
    "POST /lettres/lot/adresse": P.PUBLIC,
    "GET /lettres/lot/identite": P.PUBLIC,
    "POST /lettres/lot/identite": P.PUBLIC,
    "GET /lettres/lot/apercu": P.PUBLIC,
    "GET /lettres/lot.pdf": P.PUBLIC,
    "GET /lettres/lot.zip": P.PUBLIC,
    "GET /lettres/lot/travail/{job_id}": P.PUBLIC,
    "GET /lettres/lot/travail/{job_id}/fichier": P.PUBLIC,
    # discovery: questions about a person's life, the checklist, organisations outside it
    "GET /decouvrir": P.PUBLIC,
    "GET /decouvrir/questions/{question_id}": P.PUBLIC,
    "POST /decouvrir/questions/{question_id}": P.PUBLIC,
    "POST /decouvrir/recommencer": P.PUBLIC,
    "GET /decouvrir/liste": P.PUBLIC,
    "POST /decouvrir/liste": P.PUBLIC,
    "POST /decouvrir/plateformes": P.PUBLIC,
    "GET /decouvrir/organisme": P.PUBLIC,
    "POST /decouvrir/organismes/etablissement": P.PUBLIC,
    "POST /decouvrir/organismes/entreprise": P.PUBLIC,
    "POST /decouvrir/organismes/saisie": P.PUBLIC,
    "POST /decouvrir/organismes/retirer": P.PUBLIC,
    "GET /plateformes": P.PUBLIC,
    "GET /plateformes/{slug}": P.PUBLIC,
    "POST /plateformes/{slug}/suggestion": P.PUBLIC,
    # JSON API (its OpenAPI description exists outside production only, REPRISE_API_DOCS)
    "GET /api/v1/openapi.json": P.PUBLIC,
    "GET /api/v1/platforms": P.PUBLIC,
    "GET /api/v1/platforms/{slug}": P.PUBLIC,
    "POST /api/v1/letters": P.PUBLIC,
    "POST /api/v1/letters/pack": P.PUBLIC,
    # A pack job is reached through its unguessable address (the API's) or its browser session.
    "GET /api/v1/jobs/{job_id}": P.PUBLIC,
    "GET /api/v1/jobs/{job_id}/file": P.PUBLIC,
    "GET /api/v1/deadlines": P.PUBLIC,
    "GET /api/v1/questionnaire": P.PUBLIC,
    "POST /api/v1/checklist": P.PUBLIC,
    "GET /api/v1/establishments": P.PUBLIC,
    "GET /api/v1/organisations": P.PUBLIC,
    # accounts
    "GET /inscription": P.PUBLIC,
    "POST /inscription": P.PUBLIC,
    "GET /inscription/envoye": P.PUBLIC,
    "GET /inscription/confirmer/{token}": P.PUBLIC,
    "POST /inscription/confirmer": P.PUBLIC,
    "GET /connexion": P.PUBLIC,
    "POST /connexion": P.PUBLIC,
    "POST /connexion/lien": P.PUBLIC,
    "GET /connexion/lien/{token}": P.PUBLIC,
    "POST /connexion/lien/valider": P.PUBLIC,
    "GET /mot-de-passe-oublie": P.PUBLIC,
    "POST /mot-de-passe-oublie": P.PUBLIC,
    "GET /mot-de-passe/nouveau/{token}": P.PUBLIC,
    "POST /mot-de-passe/nouveau": P.PUBLIC,
    "GET /invitation/{token}": P.PUBLIC,
    "POST /invitation": P.SIGNED_IN,
    "POST /deconnexion": P.SIGNED_IN,
    "GET /compte": P.SIGNED_IN,
    "GET /compte/identite": P.SIGNED_IN,
    "POST /compte/identite": P.SIGNED_IN,
    "GET /compte/lettres": P.SIGNED_IN,
    "POST /compte/lettres": P.SIGNED_IN,
    "GET /compte/lettres/{letter_id}/lettre.pdf": P.OWN_LETTER,
    "POST /compte/lettres/{letter_id}/supprimer": P.OWN_LETTER,
    "GET /compte/journal": P.SIGNED_IN,
    "GET /compte/mes-donnees": P.SIGNED_IN,
    "POST /compte/mes-donnees": P.SIGNED_IN,
    "GET /compte/mot-de-passe": P.SIGNED_IN,
    "POST /compte/mot-de-passe": P.SIGNED_IN,
    "POST /compte/deconnexion-partout": P.SIGNED_IN,
    "GET /compte/supprimer": P.SIGNED_IN,
    "POST /compte/supprimer": P.SIGNED_IN,
    # associations
    "GET /association": P.SIGNED_IN,
    "POST /association": P.SIGNED_IN,
    "POST /association/invitations": P.ADMIN,
    "POST /association/equipe/{staff_id}/retirer": P.ADMIN,
    "GET /association/membres/nouveau": P.STAFF,
    "POST /association/membres": P.STAFF,
    "GET /association/membres/{file_id}": P.MEMBER,
    "GET /association/membres/{file_id}/mandats/nouveau": P.MEMBER,
    "POST /association/membres/{file_id}/mandats": P.MEMBER,
    "POST /association/membres/{file_id}/mandats/{mandate_id}/signature": P.MEMBER_ADMIN,
    "POST /association/membres/{file_id}/mandats/{mandate_id}/revoquer": P.MEMBER_ADMIN,
    "GET /association/membres/{file_id}/mandats/{mandate_id}/mandat.pdf": P.MEMBER,
    "POST /association/membres/{file_id}/acces": P.MEMBER_ADMIN,
    "POST /association/membres/{file_id}/observatoire": P.MEMBER_ADMIN,
    "GET /association/membres/{file_id}/dossier": P.MANDATE,
    "POST /association/membres/{file_id}/identite": P.MANDATE,
    "POST /association/membres/{file_id}/lettres": P.MANDATE,
    "GET /association/membres/{file_id}/lettres/{letter_id}/lettre.pdf": P.MANDATE_LETTER,
    # tracking: proceedings, their events and letters, reminders, calendars, API tokens
    "GET /suivi": P.SIGNED_IN,
    "POST /suivi": P.SIGNED_IN,
    "POST /suivi/lot": P.SIGNED_IN,
    "GET /suivi/{proceeding_id}": P.PROCEEDING,
    "POST /suivi/{proceeding_id}/annuler": P.PROCEEDING,
    "GET /suivi/{proceeding_id}/etapes/{event}": P.PROCEEDING,
    "POST /suivi/{proceeding_id}/etapes/{event}": P.PROCEEDING,
    "GET /suivi/{proceeding_id}/verifier": P.PROCEEDING,
    "POST /suivi/{proceeding_id}/verifier": P.PROCEEDING,
    "POST /suivi/{proceeding_id}/lettres": P.PROCEEDING,
    "GET /suivi/{proceeding_id}/lettres/nouvelle": P.PROCEEDING,
    "GET /suivi/{proceeding_id}/lettres/{letter_id}/lettre.pdf": P.PROCEEDING,
    "GET /suivi/{proceeding_id}/echeances.ics": P.PROCEEDING,
    "POST /compte/lettres/{letter_id}/suivre": P.OWN_LETTER,
    "POST /association/membres/{file_id}/lettres/{letter_id}/suivre": P.MANDATE_LETTER,
    "GET /compte/rappels": P.SIGNED_IN,
    "POST /compte/rappels": P.SIGNED_IN,
    "POST /compte/calendrier": P.SIGNED_IN,
    "POST /compte/calendrier/supprimer": P.SIGNED_IN,
    "GET /compte/jetons": P.SIGNED_IN,
    "POST /compte/jetons": P.SIGNED_IN,
    "POST /compte/jetons/{token_id}/supprimer": P.SIGNED_IN,
    # the private calendar feed: its secret address is the key (checked by the route)
    "GET /calendrier/{token}": P.PUBLIC,
    "GET /api/v1/proceedings": P.SIGNED_IN,
    "POST /api/v1/proceedings": P.SIGNED_IN,
    "GET /api/v1/proceedings/{proceeding_id}": P.PROCEEDING,
    "POST /api/v1/proceedings/{proceeding_id}/events": P.PROCEEDING,
    "POST /api/v1/proceedings/{proceeding_id}/letters": P.PROCEEDING,
    "GET /api/v1/proceedings/{proceeding_id}/letters/{letter_id}": P.PROCEEDING,
    "GET /api/v1/proceedings/{proceeding_id}/calendar.ics": P.PROCEEDING,
    # the observatory: public figures; an association's members' figures; a person's choice
    "GET /observatoire": P.PUBLIC,
    "GET /observatoire/chiffres.csv": P.PUBLIC,
    "GET /api/v1/observatory": P.PUBLIC,
    "GET /association/observatoire": P.ADMIN,
    "POST /compte/observatoire": P.SIGNED_IN,
}


# What each policy hands the route: a route may ask for this type or a parent of it.
GRANTS: dict[Policy, type[Access]] = {
    P.PUBLIC: Access,
    P.SIGNED_IN: Access,
    P.OWN_LETTER: OwnLetterGrant,
    P.STAFF: Access,
    P.ADMIN: Access,
    P.MEMBER: MemberFileGrant,
    P.MEMBER_ADMIN: AdminMemberFileGrant,
    P.MANDATE: MandatedFileGrant,
    P.MANDATE_LETTER: MandatedLetterGrant,
    P.PROCEEDING: ProceedingGrant,
}


def policy_key(method: str, path: str) -> str:
    return f"{'GET' if method == 'HEAD' else method} {path}"


def _uuid(request: Request, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(request.path_params.get(name, "")))
    except ValueError as exc:
        raise Forbidden() from exc


def _session_cookie(request: Request) -> str | None:
    from app.cookies import session_token

    return session_token(request)


def decide(
    request: Request, db: Any, policy: Policy, actor: Actor, session: WebSession | None
) -> Access:
    """Apply `policy`; raise SignInRequired or Forbidden when it does not allow `actor`."""
    if policy is P.PUBLIC:
        return Access(actor, session)
    if not actor.signed_in:
        raise SignInRequired()
    day = today()
    if policy is P.SIGNED_IN:
        return Access(actor, session)
    if policy is P.OWN_LETTER:
        return OwnLetterGrant(actor, session, own_letter(db, actor, _uuid(request, "letter_id")))
    if policy is P.STAFF and actor.is_staff:
        return Access(actor, session)
    if policy is P.ADMIN and actor.is_admin:
        return Access(actor, session)
    if policy is P.MEMBER_ADMIN and actor.is_admin:
        file = member_file(db, actor, _uuid(request, "file_id"), day)
        return AdminMemberFileGrant(actor, session, file)
    if policy is P.MEMBER:
        return MemberFileGrant(
            actor, session, member_file(db, actor, _uuid(request, "file_id"), day)
        )
    if policy is P.MANDATE:
        file, cover = mandated_file(db, actor, _uuid(request, "file_id"), day)
        return MandatedFileGrant(actor, session, file, cover)
    if policy is P.MANDATE_LETTER:
        file, cover, letter = mandated_letter(
            db, actor, _uuid(request, "file_id"), _uuid(request, "letter_id"), day
        )
        return MandatedLetterGrant(actor, session, file, cover, letter)
    if policy is P.PROCEEDING:
        found = reach(db, actor, _uuid(request, "proceeding_id"), day)
        return ProceedingGrant(actor, session, found.proceeding, found.file, found.cover)
    raise Forbidden()


async def enforce_access(request: Request, db: SessionDep) -> Access:
    """The gate in front of every route. Without a credential (no session cookie, no API
    token) it needs no database, and decides on the event loop; otherwise in a worker thread."""
    route = request.scope.get("route")
    path = getattr(route, "path", None) or ""
    credential = (
        request.headers.get("authorization")
        if path.startswith("/api/")
        else _session_cookie(request)
    )
    if credential:
        return await run_in_threadpool(_enforce_access, request, db)
    return _enforce_access(request, db)


def _enforce_access(request: Request, db: Any) -> Access:
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    policy = ROUTE_POLICIES.get(policy_key(request.method, path)) if path else None
    if path is not None and path.startswith("/api/"):
        # The JSON API takes no cookie (no ambient authority): a personal token, or nobody.
        from app.accounts.api_tokens import user_for_bearer

        session = None
        actor = actor_for(db, user_for_bearer(db, request.headers.get("authorization")))
    else:
        # One query for the session, its person and their role.
        found = find_session_with_actor(db, _session_cookie(request))
        session, user, staff = found or (None, None, None)
        actor = Actor(user, staff) if user else ANONYMOUS
    # Named in the log line of a refusal (a plain value: the database session may be gone).
    account = actor.user.id if actor.user else None
    request.state.account_id = account
    if policy is None:
        address = request.client.host if request.client else None
        logger.warning(
            "refused: no access policy for %s %s %s", request.method, path, who(account, address)
        )
        raise Forbidden()
    access = decide(request, db, policy, actor, session)
    request.state.access = access
    return access


def app_routes(app: Any) -> list[tuple[str, str]]:
    """Every (method, path template) the app answers, mounts excepted (HEAD counts as GET)."""
    from fastapi.routing import iter_route_contexts

    found: set[tuple[str, str]] = set()
    for context in iter_route_contexts(app.routes):
        path, methods = context.path, context.methods
        if path is None or methods is None:
            continue
        found.update((method, path) for method in methods if method != "HEAD")
    return sorted(found)
