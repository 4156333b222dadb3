"""Sign-up, address check, sign-in, sign-out, forgotten password, invitations."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts import sign_in_links, users
from app.accounts.sessions import end_session, sign_in_session
from app.accounts.tokens import RESET, peek_token
from app.db import SessionDep
from app.errors import Invalid, Throttled
from app.grants import AccessDep
from app.i18n import N_
from app.i18n import gettext as _
from app.organisations import invitations
from app.routing import Router
from app.web.after_answer import AfterAnswerDep
from app.web.deps import WebSessionDep, csrf_protect
from app.web.pages import redirect, render_page, safe_next
from app.web.session_cookies import client_address, forget_session, give_session

router = Router(dependencies=[Depends(csrf_protect)])

# Messages shown after a redirect, chosen by a code in the address (never personal data).
NOTICES = {
    "adresse-confirmee": N_("Votre adresse est confirmée. Vous pouvez vous connecter."),
    "lien-invalide": N_("Ce lien a expiré ou a déjà servi. Demandez-en un nouveau."),
    "mot-de-passe-change": N_(
        "Votre mot de passe est changé. Par sécurité, vous êtes déconnecté partout, les accès "
        "donnés à vos programmes sont supprimés et l'adresse de votre calendrier ne fonctionne "
        "plus : connectez-vous avec le nouveau mot de passe."
    ),
    "deconnecte": N_("Vous êtes déconnecté."),
    "deconnecte-partout": N_(
        "Vous êtes déconnecté sur tous vos appareils. Les accès donnés à vos programmes sont "
        "supprimés et l'adresse de votre calendrier ne fonctionne plus : vous pourrez en créer "
        "de nouveaux."
    ),
    "compte-supprime": N_("Votre compte et tout ce qu'il contenait ont été supprimés."),
    "identite": N_("Votre identité est enregistrée."),
    "mot-de-passe": N_(
        "Votre mot de passe est changé. Vos autres appareils sont déconnectés, les accès "
        "donnés à vos programmes sont supprimés et l'adresse de votre calendrier ne fonctionne "
        "plus."
    ),
    "invitation": N_("L'invitation est envoyée. Le lien est valable 7 jours."),
}

Text = Annotated[str, Form(max_length=300)]
Secret = Annotated[str, Form(max_length=1000)]


def notice(code: str | None) -> str:
    return _(NOTICES[code]) if code in NOTICES else ""


def _throttled() -> Throttled:
    return Throttled(_("Trop de tentatives. Attendez un quart d'heure, puis réessayez."))


# ------------------------------------------------------------------ sign-up


@router.get("/inscription", response_class=HTMLResponse)
def sign_up_form(request: Request, session: WebSessionDep) -> HTMLResponse:
    return render_page(request, "accounts/sign_up.html", {"values": {}})


@router.post("/inscription")
def sign_up(
    request: Request,
    db: SessionDep,
    session: WebSessionDep,
    after: AfterAnswerDep,
    email: Text = "",
    password: Secret = "",
) -> Response:
    try:
        pending = users.request_sign_up(db, email, password, client_address(request))
    except Invalid as exc:
        return render_page(
            request,
            "accounts/sign_up.html",
            {"values": {"email": email}, "errors": exc.errors},
            422,
        )
    except users.SignInRefused as exc:
        raise _throttled() from exc
    return after.run(
        lambda own: users.finish_sign_up(own, pending), redirect("/inscription/envoye")
    )


@router.get("/inscription/envoye", response_class=HTMLResponse)
def sign_up_sent(request: Request) -> HTMLResponse:
    return render_page(request, "accounts/sign_up_sent.html")


@router.get("/inscription/confirmer/{token}", response_class=HTMLResponse)
def confirm_form(request: Request, session: WebSessionDep, token: str) -> HTMLResponse:
    return render_page(request, "accounts/confirm.html", {"token": token[:128]})


@router.post("/inscription/confirmer")
def confirm(db: SessionDep, token: Text = "") -> Response:
    user = users.confirm_email(db, token)
    return redirect(
        "/connexion?fait=adresse-confirmee" if user else "/connexion?fait=lien-invalide"
    )


# ------------------------------------------------------------------ sign-in, sign-out

REFUSALS = {
    "wrong": N_(
        "L'adresse e-mail ou le mot de passe ne correspond pas. Vérifiez-les et réessayez."
    ),
    "unverified": N_(
        "Confirmez d'abord votre adresse : nous venons de vous renvoyer un lien par e-mail."
    ),
}


@router.get("/connexion", response_class=HTMLResponse)
def sign_in_form(
    request: Request, session: WebSessionDep, suivant: str = "", fait: str = ""
) -> HTMLResponse:
    return render_page(
        request,
        "accounts/sign_in.html",
        {"values": {}, "next": safe_next(suivant, ""), "notice": notice(fait)},
    )


@router.post("/connexion")
def sign_in(
    request: Request,
    db: SessionDep,
    session: WebSessionDep,
    email: Text = "",
    password: Secret = "",
    suivant: Text = "",
) -> Response:
    try:
        user = users.authenticate(db, email, password, client_address(request))
    except users.SignInRefused as exc:
        if exc.reason == "throttled":
            # The owner gets in all the same, through a link sent to their mailbox.
            return render_page(
                request,
                "accounts/sign_in_throttled.html",
                {"values": {"email": email}, "next": safe_next(suivant, "")},
                429,
            )
        return render_page(
            request,
            "accounts/sign_in.html",
            {
                "values": {"email": email},
                "next": safe_next(suivant, ""),
                "errors": {"email": _(REFUSALS[exc.reason])},
                "notice": "",
            },
            422,
        )
    started = sign_in_session(db, session, user)
    give_session(request, started.token)
    return redirect(safe_next(suivant, "/compte"))


@router.post("/deconnexion")
def sign_out(request: Request, db: SessionDep, access: AccessDep) -> Response:
    if access.session is not None:
        end_session(db, access.session)
    forget_session(request)
    return redirect("/connexion?fait=deconnecte")


# ------------------------------------------------------------------ sign-in by emailed link


@router.post("/connexion/lien", response_class=HTMLResponse)
def ask_sign_in_link(
    request: Request,
    db: SessionDep,
    session: WebSessionDep,
    after: AfterAnswerDep,
    email: Text = "",
) -> Response:
    try:
        pending = sign_in_links.request_sign_in_link(db, email, client_address(request))
    except Invalid as exc:
        return render_page(
            request,
            "accounts/sign_in_throttled.html",
            {"values": {"email": email}, "errors": exc.errors, "next": ""},
            422,
        )
    except users.SignInRefused as exc:
        raise _throttled() from exc
    return after.run(
        lambda own: sign_in_links.finish_sign_in_link(own, pending),
        render_page(request, "accounts/sign_in_link_sent.html"),
    )


@router.get("/connexion/lien/{token}", response_class=HTMLResponse)
def sign_in_link_form(request: Request, session: WebSessionDep, token: str) -> HTMLResponse:
    return render_page(request, "accounts/sign_in_link.html", {"token": token[:128]})


@router.post("/connexion/lien/valider")
def sign_in_by_link(
    request: Request, db: SessionDep, session: WebSessionDep, token: Text = ""
) -> Response:
    user = sign_in_links.sign_in_with_link(db, token, client_address(request))
    if user is None:
        return redirect("/connexion?fait=lien-invalide")
    started = sign_in_session(db, session, user)
    give_session(request, started.token)
    return redirect("/compte")


# ------------------------------------------------------------------ forgotten password


@router.get("/mot-de-passe-oublie", response_class=HTMLResponse)
def forgotten_form(request: Request, session: WebSessionDep) -> HTMLResponse:
    return render_page(request, "accounts/forgotten.html", {"values": {}, "sent": False})


@router.post("/mot-de-passe-oublie")
def forgotten(
    request: Request,
    db: SessionDep,
    session: WebSessionDep,
    after: AfterAnswerDep,
    email: Text = "",
) -> Response:
    try:
        pending = users.request_reset(db, email, client_address(request))
    except Invalid as exc:
        return render_page(
            request,
            "accounts/forgotten.html",
            {"values": {"email": email}, "errors": exc.errors, "sent": False},
            422,
        )
    except users.SignInRefused as exc:
        raise _throttled() from exc
    return after.run(
        lambda own: users.finish_reset(own, pending),
        render_page(request, "accounts/forgotten.html", {"values": {}, "sent": True}),
    )


@router.get("/mot-de-passe/nouveau/{token}", response_class=HTMLResponse)
def reset_form(request: Request, db: SessionDep, session: WebSessionDep, token: str) -> Response:
    if peek_token(db, token, RESET) is None:
        return redirect("/connexion?fait=lien-invalide")
    return render_page(request, "accounts/reset.html", {"token": token[:128]})


@router.post("/mot-de-passe/nouveau")
def reset(request: Request, db: SessionDep, token: Text = "", password: Secret = "") -> Response:
    try:
        users.reset_password(db, token, password)
    except Invalid as exc:
        if "token" in exc.errors:
            return redirect("/connexion?fait=lien-invalide")
        return render_page(
            request, "accounts/reset.html", {"token": token, "errors": exc.errors}, 422
        )
    forget_session(request)
    return redirect("/connexion?fait=mot-de-passe-change")


# ------------------------------------------------------------------ invitations


@router.get("/invitation/{token}", response_class=HTMLResponse)
def invitation(
    request: Request, db: SessionDep, session: WebSessionDep, access: AccessDep, token: str
) -> HTMLResponse:
    found = invitations.find_invitation(db, token)
    sender = invitations.sender_of(db, found) if found else None
    return render_page(
        request,
        "accounts/invitation.html",
        {
            "token": token[:128],
            "valid": found is not None,
            "role": found.role if found else "",
            "sender": sender,
            "signed_in": access.actor.signed_in,
            "here": request.url.path,
        },
    )


@router.post("/invitation")
def accept_invitation(
    db: SessionDep,
    access: AccessDep,
    token: Text = "",
    name: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    if name.strip():
        users.set_name(access.user, name)
        db.add(access.user)
    target = invitations.accept_invitation(db, access.actor, token)
    return redirect(target)
