"""The application factory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from app.api import v1
from app.catalogue.loader import get_catalogue
from app.config import STATIC_DIR, Settings, get_settings
from app.letters.render import harfbuzz_subsetting
from app.web.errorpages import UnexpectedErrors, install_error_handlers
from app.web.middleware import (
    AccessLog,
    BodyLimit,
    LocaleMiddleware,
    OriginCheck,
    SecurityHeaders,
    SessionCookieMiddleware,
)
from app.web.routes import home, letters, packs

logger = logging.getLogger("reprise")


def warn_about_environment(settings: Settings) -> None:
    """Say at start what will make the service slower or less safe than it should be."""
    if not harfbuzz_subsetting():
        logger.warning(
            "libharfbuzz-subset0 is missing: WeasyPrint falls back to fontTools to subset "
            "fonts, about five times slower. Install it (apt install libharfbuzz-subset0)."
        )
    if not settings.production and settings.base_url.startswith("http://"):
        logger.info("development mode: cookies are not marked Secure")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings = get_settings()
    get_catalogue()  # Refuse to start on an invalid catalogue.
    warn_about_environment(settings)
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    docs = settings.show_api_docs
    app = FastAPI(
        title="Reprise",
        version="1",
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json" if docs else None,
        docs_url="/api/v1/docs" if docs else None,
        redoc_url=None,
        debug=False,
    )
    install_error_handlers(app)
    app.include_router(home.router)
    app.include_router(letters.router)
    app.include_router(packs.router)
    app.include_router(v1.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # Added innermost first: each add_middleware wraps what is already there.
    app.add_middleware(UnexpectedErrors)
    app.add_middleware(SessionCookieMiddleware)
    app.add_middleware(LocaleMiddleware)
    app.add_middleware(BodyLimit)
    app.add_middleware(OriginCheck, settings=settings)
    app.add_middleware(SecurityHeaders, settings=settings)
    app.add_middleware(AccessLog)
    return app
