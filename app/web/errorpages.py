"""Domain and HTTP errors turned into a page (or JSON under /api/), in one place."""

from __future__ import annotations

import logging
import traceback
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import DomainError, Invalid, SignInRequired
from app.i18n import N_
from app.i18n import gettext as _
from app.logs import who
from app.web.pages import render_page

logger = logging.getLogger("reprise.errors")

TITLES: dict[int, str] = {
    400: N_("La demande n'a pas pu être comprise"),
    401: N_("Connectez-vous pour continuer"),
    403: N_("Accès refusé"),
    404: N_("Page introuvable"),
    405: N_("Cette action n'est pas possible ici"),
    409: N_("Cette action n'est plus possible"),
    413: N_("Les données envoyées sont trop volumineuses"),
    422: N_("Certaines informations ne sont pas valables"),
    429: N_("Trop de tentatives"),
    500: N_("Une erreur est survenue de notre côté"),
    503: N_("Le service est très occupé"),
}
EXPLANATIONS: dict[int, str] = {
    403: N_("Vous n'avez pas accès à cette page, ou le formulaire a expiré."),
    404: N_("L'adresse est peut-être mal recopiée, ou la page n'existe plus."),
    500: N_(
        "Ce n'est pas de votre faute. Réessayez dans quelques minutes. Rien de ce que vous "
        "aviez enregistré n'a été perdu."
    ),
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _route(request: Request) -> str:
    route = request.scope.get("route")
    return getattr(route, "path", "(unmatched)")


def error_response(request: Request, status: int, message: str = "") -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message or _(TITLES.get(status, TITLES[400]))}, status)
    return render_page(
        request,
        "errors/error.html",
        {
            "status": status,
            "title": _(TITLES.get(status, TITLES[400])),
            "message": message or _(EXPLANATIONS.get(status, "")),
        },
        status=status,
    )


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if isinstance(exc, Invalid) and _is_api(request):
        detail = [
            {"loc": ["body", *field.split(".")], "msg": message, "type": "invalid"}
            for field, message in exc.errors.items()
        ]
        return JSONResponse({"detail": detail}, 422)
    if isinstance(exc, SignInRequired) and not _is_api(request):
        target = quote(request.url.path) if request.method in {"GET", "HEAD"} else "/compte"
        return RedirectResponse(f"/connexion?suivant={target}", status_code=303)
    if exc.status_code == 403:
        account = getattr(request.state, "account_id", None)
        address = request.client.host if request.client else None
        logger.warning("authorisation refused on %s %s", _route(request), who(account, address))
    response = error_response(request, exc.status_code, exc.message)
    if exc.retry_after is not None:
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if _is_api(request):
        return JSONResponse({"detail": exc.detail}, exc.status_code, headers=exc.headers)
    return error_response(request, exc.status_code)


def _location(error: Any) -> list[Any]:
    """Where a validation error is; a bad discriminator (a union's `kind`) names its field."""
    location = list(error["loc"])
    if error["type"] in {"union_tag_invalid", "union_tag_not_found"}:
        location.append(str((error.get("ctx") or {}).get("discriminator", "")).strip("'"))
    return location


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if _is_api(request):
        detail = [
            {"loc": _location(error), "msg": error["msg"], "type": error["type"]}
            for error in exc.errors()
        ]
        return JSONResponse({"detail": detail}, 422)
    return error_response(request, 422)


async def _unexpected(request: Request, exc: Exception) -> Response:
    # The exception's message may quote user input: log its type and frames only.
    frames = "".join(traceback.format_tb(exc.__traceback__))
    logger.error("unexpected %s on %s\n%s", type(exc).__name__, _route(request), frames)
    return error_response(request, 500)


class UnexpectedErrors:
    """Turns an unexpected exception into the generic error page, inside the header middleware.

    (Starlette's own handler for Exception sits outside every middleware, so its pages would
    lack the security headers.)
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                raise
            response = await _unexpected(Request(scope, receive), exc)
            await response(scope, receive, send)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
