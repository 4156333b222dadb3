"""The account's tracking settings: reminder emails, the private calendar feed, API tokens;
and the feed itself, reached by its secret address."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts import api_tokens
from app.accounts.users import confirm_password
from app.clock import today
from app.config import get_settings
from app.db import SessionDep
from app.errors import Invalid, NotFound
from app.grants import AccessDep
from app.i18n import N_
from app.i18n import gettext as _
from app.proceedings import preferences
from app.proceedings import service as proceedings
from app.proceedings.access import visible
from app.proceedings.calendar import proceeding_calendar
from app.proceedings.observatory_objection import recorded_objection
from app.routing import Router
from app.web.deps import csrf_protect
from app.web.pages import redirect, render_page
from app.web.session_cookies import client_address

router = Router(dependencies=[Depends(csrf_protect)])
Choice = Annotated[str, Form(max_length=10)]

NOTICES = {
    "rappels": N_("Vos choix sont enregistrés."),
    "calendrier-supprime": N_("L'adresse du calendrier ne fonctionne plus."),
    "jeton-supprime": N_("Le jeton est supprimé : il ne fonctionne plus."),
}


def _reminders_page(
    request: Request, db: SessionDep, access: AccessDep, feed_url: str = "", fait: str = ""
) -> HTMLResponse:
    preference = preferences.preferences_of(db, access.user.id)
    return render_page(
        request,
        "account/reminders.html",
        {
            "preference": preference,
            "observatory_objection": recorded_objection(db, access.user.id),
            "feed_url": feed_url,
            "notice": _(NOTICES[fait]) if fait in NOTICES else "",
        },
    )


@router.get("/compte/rappels", response_class=HTMLResponse)
def reminders_form(
    request: Request, db: SessionDep, access: AccessDep, fait: str = ""
) -> HTMLResponse:
    return _reminders_page(request, db, access, fait=fait)


@router.post("/compte/rappels")
def save_reminders(
    db: SessionDep,
    access: AccessDep,
    reminders: Choice = "",
    locale: Choice = "fr",
    feed_names: Choice = "",
) -> Response:
    preferences.save(
        db,
        access.user,
        reminders=reminders == "oui",
        locale=locale,
        feed_names=feed_names == "oui",
    )
    return redirect("/compte/rappels?fait=rappels")


@router.post("/compte/calendrier", response_class=HTMLResponse)
def new_feed(request: Request, db: SessionDep, access: AccessDep) -> HTMLResponse:
    """A new secret address, shown this once (only its hash is kept)."""
    secret = preferences.new_feed(db, access.user)
    url = f"{get_settings().base_url}/calendrier/{secret}"
    return _reminders_page(request, db, access, feed_url=url)


@router.post("/compte/calendrier/supprimer")
def revoke_feed(db: SessionDep, access: AccessDep) -> Response:
    preferences.revoke_feed(db, access.user)
    return redirect("/compte/rappels?fait=calendrier-supprime")


@router.get("/calendrier/{token}")
def feed(db: SessionDep, token: str) -> Response:
    """The private calendar feed: the secret address is the only key (revocable)."""
    found = preferences.feed_owner(db, token)
    if found is None:
        raise NotFound()
    user, preference = found
    from app.organisations.access import actor_for

    actor = actor_for(db, user)
    day = today()
    # The person's own requests only: a helper does not hand members' dates to a calendar
    # provider (they follow them on the dashboard, where every look is logged).
    seen = visible(db, actor, day)
    views = [proceedings.view_of(p, day) for p in proceedings.listing(db, seen.own_file_ids)]
    body = proceeding_calendar(
        [v for v in views if v.facts.state != "closed"], preference.feed_names
    )
    return Response(body, media_type="text/calendar; charset=utf-8")


def _tokens_page(
    request: Request,
    db: SessionDep,
    access: AccessDep,
    secret: str = "",
    errors: dict[str, str] | None = None,
    label: str = "",
    fait: str = "",
    status: int = 200,
) -> HTMLResponse:
    return render_page(
        request,
        "account/tokens.html",
        {
            "tokens": [(t, api_tokens.label_of(t)) for t in api_tokens.tokens_of(db, access.user)],
            "secret": secret,
            "errors": errors or {},
            "label": label,
            "base_url": get_settings().base_url,
            "notice": _(NOTICES[fait]) if fait in NOTICES else "",
        },
        status,
    )


@router.get("/compte/jetons", response_class=HTMLResponse)
def tokens(request: Request, db: SessionDep, access: AccessDep, fait: str = "") -> HTMLResponse:
    return _tokens_page(request, db, access, fait=fait)


@router.post("/compte/jetons", response_class=HTMLResponse)
def create_token(
    request: Request,
    db: SessionDep,
    access: AccessDep,
    label: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> HTMLResponse:
    """A new token, once the person has typed their password again (a token acts as them)."""
    try:
        confirm_password(db, access.user, password, client_address(request))
        _token, secret = api_tokens.create_token(db, access.user, label)
    except Invalid as exc:
        return _tokens_page(request, db, access, errors=exc.errors, label=label, status=422)
    return _tokens_page(request, db, access, secret=secret)


@router.post("/compte/jetons/{token_id}/supprimer")
def revoke_token(db: SessionDep, access: AccessDep, token_id: uuid.UUID) -> Response:
    api_tokens.revoke_token(db, access.user, token_id)
    return redirect("/compte/jetons?fait=jeton-supprime")
