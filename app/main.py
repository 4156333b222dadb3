"""The application factory."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from app.api import deadlines as deadlines_api
from app.api import discovery as discovery_api
from app.api import jobs as jobs_api
from app.api import observatory as observatory_api
from app.api import proceedings as proceedings_api
from app.api import v1
from app.authorisation import enforce_access
from app.catalogue.companies import build_company_search
from app.catalogue.loader import get_catalogue
from app.config import STATIC_DIR, Settings, get_settings
from app.heap import settle
from app.letters.render import harfbuzz_subsetting
from app.registry import register_all
from app.templating import compile_all
from app.web.errorpages import UnexpectedErrors, install_error_handlers
from app.web.middleware import (
    AccessLog,
    BodyLimit,
    LocaleMiddleware,
    OriginCheck,
    SecurityHeaders,
    SessionCookieMiddleware,
)
from app.web.routes import (
    account,
    accounts,
    answer_checker,
    association,
    discovery,
    follow_ups,
    home,
    letter_holder,
    letter_preview,
    letters,
    organisations,
    packs,
    platforms,
    privacy,
    proceeding_events,
    proceedings,
    tracking_settings,
)
from app.web.routes import observatory as observatory_pages

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


async def run_jobs_periodically(interval: float) -> None:
    """The embedded default: purges and reminders run inside the web process
    (REPRISE_JOBS_INTERVAL_SECONDS)."""
    from app.db import get_engine
    from app.jobs.runner import run_due

    while True:
        try:
            await asyncio.to_thread(run_due, get_engine())
        except Exception as exc:  # a failed run must not stop the next one
            logger.error("periodic jobs failed: %s", type(exc).__name__)
        await asyncio.sleep(interval)


def start_pack_runner() -> Callable[[], None]:
    """Packs are made in a thread of each web process (any instance takes any pack), by the
    machine's render pool (that of `reprise serve`, else the process's own, started here);
    returns what stops it."""
    from app.db import get_engine
    from app.letters.pack_jobs import PACK_POLL_SECONDS, run_packs_forever, wake_runner
    from app.letters.shared_pool import get_render_pool

    get_render_pool().warm()
    stop = threading.Event()
    thread = threading.Thread(
        target=run_packs_forever,
        args=(get_engine(), stop, PACK_POLL_SECONDS),
        name="pack-runner",
        daemon=True,
    )
    thread.start()

    def stop_runner() -> None:
        stop.set()
        wake_runner()
        thread.join(5)

    return stop_runner


def compile_then_settle() -> None:
    compile_all()
    settle()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    get_catalogue()  # Refuse to start on an invalid catalogue.
    warn_about_environment(settings)
    app.state.company_search = build_company_search(settings.company_search_url)
    if app.state.company_search.enabled:
        logger.info("organisation look-ups are sent to %s", settings.company_search_url)
    jobs = (
        asyncio.create_task(run_jobs_periodically(settings.jobs_interval_seconds))
        if settings.jobs_interval_seconds
        else None
    )
    packs = start_pack_runner() if settings.jobs_interval_seconds else None
    settle()
    # The templates compile beside the first requests, not before /healthz answers; what they
    # add is then settled too.
    threading.Thread(target=compile_then_settle, name="compile-templates", daemon=True).start()
    try:
        yield
    finally:
        if packs is not None:
            packs()
        if jobs is not None:
            jobs.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await jobs
        app.state.company_search.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    register_all()  # privacy hooks and job kinds (app.registry)
    docs = settings.show_api_docs
    app = FastAPI(
        title="Reprise",
        version="1",
        lifespan=lifespan,
        openapi_url="/api/v1/openapi.json" if docs else None,
        # Swagger UI loads its code from a CDN: no third-party resource (security.md 11).
        docs_url=None,
        redoc_url=None,
        debug=False,
        # Deny by default: every route passes the gate of app.authorisation first.
        dependencies=[Depends(enforce_access)],
    )
    app.state.settings = settings
    install_error_handlers(app)
    app.include_router(home.router, include_in_schema=False)
    app.include_router(letter_holder.router, include_in_schema=False)
    app.include_router(letters.router, include_in_schema=False)
    app.include_router(letter_preview.router, include_in_schema=False)
    app.include_router(discovery.router, include_in_schema=False)
    app.include_router(organisations.router, include_in_schema=False)
    app.include_router(platforms.router, include_in_schema=False)
    app.include_router(accounts.router, include_in_schema=False)
    app.include_router(account.router, include_in_schema=False)
    app.include_router(association.router, include_in_schema=False)
    app.include_router(privacy.router, include_in_schema=False)
    app.include_router(packs.router, include_in_schema=False)
    app.include_router(proceedings.router, include_in_schema=False)
    app.include_router(proceeding_events.router, include_in_schema=False)
    app.include_router(answer_checker.router, include_in_schema=False)
    app.include_router(follow_ups.router, include_in_schema=False)
    app.include_router(tracking_settings.router, include_in_schema=False)
    app.include_router(v1.router)
    app.include_router(deadlines_api.router)
    app.include_router(discovery_api.router)
    app.include_router(jobs_api.router)
    app.include_router(proceedings_api.router)
    app.include_router(observatory_pages.router, include_in_schema=False)
    app.include_router(observatory_api.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    # Added innermost first: each add_middleware wraps what is already there. UnexpectedErrors
    # sits just inside SecurityHeaders, so that a crash in a route or in any middleware below
    # still gets the error page with the security headers.
    app.add_middleware(SessionCookieMiddleware)
    app.add_middleware(LocaleMiddleware)
    app.add_middleware(BodyLimit)
    app.add_middleware(OriginCheck, settings=settings)
    app.add_middleware(UnexpectedErrors)
    app.add_middleware(SecurityHeaders, settings=settings)
    app.add_middleware(AccessLog)
    return app
