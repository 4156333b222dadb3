# ruff: noqa: E501  (the route x role table keeps one route per line)
"""security.md item 1: every route x every role, with the expected status of each cell.

Adding a route: one line in app/authorisation.py ROUTE_POLICIES, one line in TABLE below.
Columns: anonymous, patient, another patient, helper with a mandate in force for the member
(the mandate in the route is a colleague's), helper acting on their own mandate, helper without,
helper removed from the team (their mandate still in force), administrator of another
association, administrator (of the member's association). The patient owns the letters and is
the member for whom the mandates were given. Anonymous POSTs carry no session, so the CSRF
check refuses them (403) before anything else.

The routes that change what an association holds are sent a valid form (FORMS), so each cell
says whether the change happens (303) or is refused (403, and then nothing changed).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from app.authorisation import ROUTE_POLICIES, Policy, app_routes, policy_key
from app.clock import today
from app.cookies import session_cookie_name
from app.models.organisation import (
    Association,
    AuditEntry,
    Invitation,
    Mandate,
    PatientFile,
    StaffRole,
    StoredLetter,
)
from app.models.proceeding import ApiToken, Proceeding
from tests.support.pagecheck import CheckedClient
from tests.support.world import ROLES, World, api_token, build_world, typed_date

# fmt: off
TABLE: dict[str, tuple[int, int, int, int, int, int, int, int, int]] = {
    #                                                                    anon pat  oth  h+   own  h-   gone admB adm
    "GET /":                                                            (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /langue/{locale}":                                             (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /healthz":                                                     (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /readyz":                                                      (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /confidentialite":                                             (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /accessibilite":                                               (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /mentions-legales":                                            (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /lettres":                                                     (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /lettres/plateforme":                                         (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /lettres/identite":                                            (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "POST /lettres/identite":                                           (403, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /lettres/apercu":                                              (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /lettres/lettre.pdf":                                          (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /decouvrir":                                                   (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /decouvrir/questions/{question_id}":                           (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /decouvrir/questions/{question_id}":                          (403, 303, 303, 303, 303, 303, 303, 303, 303),
    "POST /decouvrir/recommencer":                                      (403, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /decouvrir/liste":                                             (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /decouvrir/liste":                                            (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /decouvrir/plateformes":                                      (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /decouvrir/organisme":                                         (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /decouvrir/organismes/etablissement":                         (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /decouvrir/organismes/entreprise":                            (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /decouvrir/organismes/saisie":                                (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /decouvrir/organismes/retirer":                               (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /plateformes":                                                 (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /plateformes/{slug}":                                          (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /plateformes/{slug}/suggestion":                              (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /lettres/demande":                                             (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "POST /lettres/demande":                                            (403, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /lettres/options/{slug}":                                      (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "POST /lettres/options/{slug}":                                     (403, 303, 303, 303, 303, 303, 303, 303, 303),
    "POST /lettres/adresse":                                            (403, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /lettres/organisme":                                           (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /lettres/organisme":                                          (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /lettres/lettre.eml":                                          (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /lettres/lettre.txt":                                          (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /lettres/texte":                                               (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /lettres/lot":                                                 (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /lettres/lot":                                                (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /lettres/lot/modifier":                                       (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /lettres/lot/retirer":                                        (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /lettres/lot/adresse":                                        (403, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /lettres/lot/identite":                                        (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /lettres/lot/identite":                                       (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /lettres/lot/apercu":                                          (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /lettres/lot.pdf":                                             (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /lettres/lot.zip":                                             (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /api/v1/openapi.json":                                         (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/platforms":                                            (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/platforms/{slug}":                                     (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /api/v1/letters":                                             (422, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /api/v1/letters/pack":                                        (422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /api/v1/deadlines":                                            (422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /api/v1/questionnaire":                                        (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /api/v1/checklist":                                           (422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /api/v1/establishments":                                       (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/organisations":                                        (422, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /inscription":                                                 (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /inscription":                                                (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /inscription/envoye":                                          (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /inscription/confirmer/{token}":                               (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /inscription/confirmer":                                      (403, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /connexion":                                                   (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /connexion":                                                  (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /connexion/lien":                                             (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /connexion/lien/{token}":                                      (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /connexion/lien/valider":                                     (403, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /mot-de-passe-oublie":                                         (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /mot-de-passe-oublie":                                        (403, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /mot-de-passe/nouveau/{token}":                                (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "POST /mot-de-passe/nouveau":                                       (403, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /invitation/{token}":                                          (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /invitation":                                                 (303, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /deconnexion":                                                (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /compte":                                                      (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /compte/identite":                                             (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /compte/identite":                                            (303, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /compte/lettres":                                              (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /compte/lettres":                                             (303, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /compte/lettres/{letter_id}/lettre.pdf":                       (303, 200, 403, 403, 403, 403, 403, 403, 403),
    "POST /compte/lettres/{letter_id}/supprimer":                       (303, 303, 403, 403, 403, 403, 403, 403, 403),
    "GET /compte/journal":                                              (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /compte/mes-donnees":                                          (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /compte/mes-donnees":                                         (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /compte/mot-de-passe":                                         (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /compte/mot-de-passe":                                        (303, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /compte/deconnexion-partout":                                 (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /compte/supprimer":                                            (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /compte/supprimer":                                           (303, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /association":                                                 (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /association":                                                (303, 303, 303, 409, 409, 409, 303, 409, 409),
    "POST /association/invitations":                                    (303, 403, 403, 403, 403, 403, 403, 303, 303),
    "POST /association/equipe/{staff_id}/retirer":                      (303, 403, 403, 403, 403, 403, 403, 403, 303),
    "GET /association/membres/nouveau":                                 (303, 403, 403, 200, 200, 200, 403, 200, 200),
    "POST /association/membres":                                        (303, 403, 403, 303, 303, 303, 403, 303, 303),
    "GET /association/membres/{file_id}":                               (303, 403, 403, 200, 200, 403, 403, 403, 200),
    "GET /association/membres/{file_id}/mandats/nouveau":               (303, 403, 403, 200, 200, 403, 403, 403, 200),
    "POST /association/membres/{file_id}/mandats":                      (303, 403, 403, 303, 303, 403, 403, 403, 303),
    "POST /association/membres/{file_id}/mandats/{mandate_id}/signature": (303, 403, 403, 403, 403, 403, 403, 403, 303),
    "POST /association/membres/{file_id}/mandats/{mandate_id}/revoquer": (303, 403, 403, 403, 403, 403, 403, 403, 303),
    "GET /association/membres/{file_id}/mandats/{mandate_id}/mandat.pdf": (303, 403, 403, 200, 200, 403, 403, 403, 200),
    "POST /association/membres/{file_id}/acces":                        (303, 403, 403, 403, 403, 403, 403, 403, 409),
    "POST /association/membres/{file_id}/observatoire":                 (303, 403, 403, 403, 403, 403, 403, 403, 409),
    "GET /association/membres/{file_id}/dossier":                       (303, 403, 403, 200, 200, 403, 403, 403, 403),
    "POST /association/membres/{file_id}/identite":                     (303, 403, 403, 303, 303, 403, 403, 403, 403),
    "POST /association/membres/{file_id}/lettres":                      (303, 403, 403, 303, 303, 403, 403, 403, 403),
    "GET /association/membres/{file_id}/lettres/{letter_id}/lettre.pdf": (303, 403, 403, 200, 200, 403, 403, 403, 403),
    # tracking: the member's proceeding is followed by the patient and the mandated helper
    "GET /suivi":                                                       (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /suivi":                                                      (303, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /suivi/lot":                                                  (303, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /suivi/{proceeding_id}":                                       (303, 200, 403, 200, 200, 403, 403, 403, 403),
    "POST /suivi/{proceeding_id}/annuler":                              (303, 303, 403, 303, 303, 403, 403, 403, 403),
    "GET /suivi/{proceeding_id}/etapes/{event}":                        (303, 200, 403, 200, 200, 403, 403, 403, 403),
    "POST /suivi/{proceeding_id}/etapes/{event}":                       (303, 303, 403, 303, 303, 403, 403, 403, 403),
    "GET /suivi/{proceeding_id}/verifier":                              (303, 409, 403, 409, 409, 403, 403, 403, 403),
    "GET /suivi/{proceeding_id}/lettres/nouvelle":                      (303, 409, 403, 409, 409, 403, 403, 403, 403),
    "POST /suivi/{proceeding_id}/verifier":                             (303, 409, 403, 409, 409, 403, 403, 403, 403),
    "POST /suivi/{proceeding_id}/lettres":                              (303, 409, 403, 409, 409, 403, 403, 403, 403),
    "GET /suivi/{proceeding_id}/lettres/{letter_id}/lettre.pdf":        (303, 200, 403, 200, 200, 403, 403, 403, 403),
    "GET /suivi/{proceeding_id}/echeances.ics":                         (303, 200, 403, 200, 200, 403, 403, 403, 403),
    "POST /compte/lettres/{letter_id}/suivre":                          (303, 303, 403, 403, 403, 403, 403, 403, 403),
    "POST /association/membres/{file_id}/lettres/{letter_id}/suivre":   (303, 403, 403, 303, 303, 403, 403, 403, 403),
    "GET /compte/rappels":                                              (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /compte/rappels":                                             (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "POST /compte/calendrier":                                          (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /compte/calendrier/supprimer":                                (303, 303, 303, 303, 303, 303, 303, 303, 303),
    "GET /compte/jetons":                                               (303, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /compte/jetons":                                              (303, 422, 422, 422, 422, 422, 422, 422, 422),
    "POST /compte/jetons/{token_id}/supprimer":                         (303, 303, 403, 403, 403, 403, 403, 403, 403),
    "GET /calendrier/{token}":                                          (404, 404, 404, 404, 404, 404, 404, 404, 404),
    # the JSON API takes a personal token (Authorization: Bearer), never a cookie
    "GET /api/v1/proceedings":                                          (401, 200, 200, 200, 200, 200, 200, 200, 200),
    "POST /api/v1/proceedings":                                         (401, 201, 403, 201, 201, 403, 403, 403, 403),
    "GET /api/v1/proceedings/{proceeding_id}":                          (401, 200, 403, 200, 200, 403, 403, 403, 403),
    "POST /api/v1/proceedings/{proceeding_id}/events":                  (401, 201, 403, 201, 201, 403, 403, 403, 403),
    "POST /api/v1/proceedings/{proceeding_id}/letters":                 (401, 422, 403, 422, 422, 403, 403, 403, 403),
    "GET /api/v1/proceedings/{proceeding_id}/letters/{letter_id}":      (401, 200, 403, 200, 200, 403, 403, 403, 403),
    "GET /api/v1/proceedings/{proceeding_id}/calendar.ics":             (401, 200, 403, 200, 200, 403, 403, 403, 403),
    "GET /observatoire":                                                (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /observatoire/chiffres.csv":                                   (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /api/v1/observatory":                                          (200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /association/observatoire":                                    (303, 403, 403, 403, 403, 403, 403, 200, 200),
    "POST /compte/observatoire":                                        (303, 422, 422, 422, 422, 422, 422, 422, 422),
    "GET /lettres/lot/travail/{job_id}":                                (404, 404, 404, 404, 404, 404, 404, 404, 404),
    "GET /lettres/lot/travail/{job_id}/fichier":                        (404, 404, 404, 404, 404, 404, 404, 404, 404),
    "GET /api/v1/jobs/{job_id}":                                        (404, 404, 404, 404, 404, 404, 404, 404, 404),
    "GET /api/v1/jobs/{job_id}/file":                                   (404, 404, 404, 404, 404, 404, 404, 404, 404),
}
# fmt: on
# Mounts answer files only and are not in the table: /static (CSS, fonts, images, script).


def _mandate_form() -> dict[str, Any]:
    day = today()
    return {
        "rights": ["erasure"],
        "platforms": ["doctolib"],
        **typed_date("starts_on", day),
        **typed_date("ends_on", day.replace(year=day.year + 1)),
    }


def _event_form() -> dict[str, Any]:
    return {**typed_date("date", today()), "channel": "post"}


def _record_sending(world: World, db: Session) -> None:
    """The member's request was sent: there is a step to undo."""
    from app.proceedings import service
    from app.proceedings.events import Event

    proceeding = db.get(Proceeding, world.ids["member_proceeding"])
    assert proceeding is not None
    service.record(db, proceeding, Event(kind="sent", date=today(), channel="post"), today())


# What the world holds before the request, for routes that need more than build_world gives.
PREPARE: dict[str, Any] = {"POST /suivi/{proceeding_id}/annuler": _record_sending}

# A valid JSON body for the API routes that change a proceeding (the others get none).
BODIES: dict[str, Any] = {
    # A first request in the member's file: the patient is the member; helpers need a mandate.
    "POST /api/v1/proceedings": lambda world: {
        "kind": "erasure",
        "platform": "doctolib",
        "file_id": str(world.ids["member_file"]),
    },
    "POST /api/v1/proceedings/{proceeding_id}/events": lambda world: {
        "kind": "sent",
        "date": today().isoformat(),
        "channel": "post",
    },
}

# A valid form for each route that changes what an association holds or a proceeding's steps
# (the others get none).
FORMS: dict[str, Any] = {
    "POST /association": lambda: {"name": "Les Amis du Quartier"},
    "POST /association/invitations": lambda: {"email": "nouvelle@example.org", "role": "helper"},
    "POST /association/membres": lambda: {
        "given_name": "Jeanne",
        "family_name": "Roux",
        "consent": "oui",
    },
    "POST /association/membres/{file_id}/mandats": _mandate_form,
    "POST /association/membres/{file_id}/mandats/{mandate_id}/signature": lambda: {
        **typed_date("signed_on", today())
    },
    "POST /association/membres/{file_id}/acces": lambda: {"email": "membre@example.org"},
    "POST /association/membres/{file_id}/observatoire": lambda: {"objection": "oui"},
    "POST /association/membres/{file_id}/identite": lambda: {
        "given_name": "Paulette",
        "family_name": "Martin",
        "address_line1": "5 rue des Lilas",
        "postal_code": "69002",
        "city": "Lyon",
    },
    "POST /association/membres/{file_id}/lettres": lambda: {
        "kind": "erasure",
        "platform": "doctolib",
    },
    "POST /suivi/{proceeding_id}/etapes/{event}": _event_form,
}


def fingerprint(db: Session) -> tuple[Any, ...]:
    """What a refused change must leave as it was."""
    counts = tuple(
        db.exec(select(func.count()).select_from(table)).one()
        for table in (Association, StaffRole, Invitation, PatientFile, Mandate, StoredLetter)
    )
    mandates = db.exec(
        select(Mandate.id, Mandate.signed_on, Mandate.revoked_at).order_by(col(Mandate.id))
    ).all()
    files = db.exec(
        select(PatientFile.id, PatientFile.user_id, PatientFile.identity_sealed).order_by(
            col(PatientFile.id)
        )
    ).all()
    helpers_audit = db.exec(select(func.count()).select_from(AuditEntry)).one()
    # Every write to a proceeding seals its events again (a new nonce): any change shows.
    proceedings = db.exec(
        select(Proceeding.id, Proceeding.status, Proceeding.events_sealed).order_by(
            col(Proceeding.id)
        )
    ).all()
    tokens = db.exec(select(func.count()).select_from(ApiToken)).one()
    return counts, tuple(mandates), tuple(files), helpers_audit, tuple(proceedings), tokens


def test_every_route_is_in_the_table_and_has_a_policy(app: Any) -> None:
    routes = {policy_key(method, path) for method, path in app_routes(app)}
    assert sorted(routes - set(TABLE)) == [], "routes missing from TABLE"
    assert sorted(set(TABLE) - routes) == [], "TABLE lists routes that no longer exist"
    assert sorted(routes - set(ROUTE_POLICIES)) == [], "routes without an access policy"


def test_table_size() -> None:
    assert len(TABLE) * len(ROLES) == len(TABLE) * 9


CELLS = [(route, role) for route in TABLE for role in ROLES]


@pytest.mark.parametrize(("route", "role"), CELLS, ids=[f"{r}|{o}" for r, o in CELLS])
def test_route_by_role(app: Any, db: Session, route: str, role: str) -> None:
    method, template = route.split(" ", 1)
    world = build_world(db)
    tokens = world.sign_in(role)
    if route in PREPARE:
        PREPARE[route](world, db)
    db.commit()  # the world stays when a refused request rolls its own work back
    expected = TABLE[route][ROLES.index(role)]
    api = template.startswith("/api/")
    form = FORMS.get(route)
    before = fingerprint(db)
    with CheckedClient(app) as client:
        data: dict[str, Any] = form() if form is not None and not api else {}
        headers: dict[str, str] = {}
        if tokens is not None:
            client.cookies.set(session_cookie_name(), tokens[0])
            data["csrf_token"] = tokens[1]
            if api:
                # The API ignores cookies: a role calls it with its personal token.
                headers["Authorization"] = f"Bearer {api_token(db, world.users[role])}"
        body = BODIES.get(route)
        response = client.request(
            method,
            world.path(template),
            data=data if method == "POST" and not api else None,
            json=body(world) if body is not None else None,
            headers=headers,
            follow_redirects=False,
        )
    assert response.status_code == expected, response.text[:300]
    if expected == 403 and method == "POST":
        assert fingerprint(db) == before, "a refused request changed something"
    # security.md 9: the headers on every response, errors, redirects and PDFs included
    assert response.headers["content-security-policy"] == (
        "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    if role == "anonymous" and ROUTE_POLICIES[route] is not Policy.PUBLIC:
        if api:
            assert response.headers["content-type"].startswith("application/json")
        else:
            assert response.headers["location"].startswith("/connexion")


def test_a_route_without_policy_is_refused(app: Any, client: CheckedClient) -> None:
    @app.get("/nouvelle-page")
    def new_page() -> dict[str, str]:
        return {"secret": "yes"}

    response = client.get("/nouvelle-page")
    assert response.status_code == 403
    assert "secret" not in response.text
