"""The observatory's pages: the ranked figures with their method and CSV download, an
association's members' figures, and a person's choice to count in them."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.catalogue.labels import CATEGORY_LABELS
from app.catalogue.schema import CATEGORIES
from app.db import SessionDep
from app.errors import Forbidden
from app.grants import AccessDep
from app.i18n import gettext as _
from app.observatory.board import Board
from app.observatory.exchange import as_csv
from app.observatory.facts import RIGHTS
from app.observatory.figures import Figures, association_scope, compute, filtered
from app.observatory.published import published, published_for
from app.proceedings import preferences
from app.proceedings.observatory import set_included
from app.proceedings.observatory_objection import recorded_objection
from app.routing import Router
from app.web.deps import csrf_protect
from app.web.pages import redirect, render_page

router = Router(dependencies=[Depends(csrf_protect)])


def _choice(value: str, allowed: tuple[str, ...]) -> str:
    return value if value in allowed else ""


def public_figures(db: SessionDep, category: str = "", right: str = "") -> Figures:
    return filtered(
        published(db), category=_choice(category, CATEGORIES), right=_choice(right, RIGHTS)
    )


def platform_board(db: SessionDep, slug: str) -> Board:
    """What a platform's page shows under "Comment cette organisation répond"."""
    # The month's published figures (published once, by the first reader or the job).
    return Board(published_for(db, f"platform:{slug}"))


def _page(
    request: Request, figures: Figures, category: str, right: str, **extra: object
) -> HTMLResponse:
    return render_page(
        request,
        "observatory/index.html",
        {
            "board": Board(figures),
            "category": _choice(category, CATEGORIES),
            "right": _choice(right, RIGHTS),
            "categories": [(c, CATEGORY_LABELS[c]) for c in CATEGORIES],
            "action": "/observatoire",
            "csv_url": "",
            "members": False,
            **extra,
        },
    )


@router.get("/observatoire", response_class=HTMLResponse)
def observatory(
    request: Request, db: SessionDep, category: str = "", right: str = ""
) -> HTMLResponse:
    category, right = _choice(category, CATEGORIES), _choice(right, RIGHTS)
    query = urlencode({k: v for k, v in (("category", category), ("right", right)) if v})
    return _page(
        request,
        public_figures(db, category, right),
        category,
        right,
        csv_url="/observatoire/chiffres.csv" + (f"?{query}" if query else ""),
    )


@router.get("/observatoire/chiffres.csv")
def observatory_csv(db: SessionDep, category: str = "", right: str = "") -> Response:
    figures = public_figures(db, category, right)
    return Response(
        as_csv(figures),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": (
                f'attachment; filename="observatoire-reprise-{figures.as_of.isoformat()}.csv"'
            )
        },
    )


@router.get("/association/observatoire", response_class=HTMLResponse)
def association_observatory(
    request: Request, db: SessionDep, access: AccessDep, category: str = "", right: str = ""
) -> HTMLResponse:
    """The same figures, for the association's members' requests only (never below the
    threshold): to support a campaign."""
    association_id = access.actor.association_id
    if association_id is None:
        raise Forbidden()
    figures = filtered(
        compute(db, association_scope(association_id)),
        category=_choice(category, CATEGORIES),
        right=_choice(right, RIGHTS),
    )
    return _page(
        request, figures, category, right, action="/association/observatoire", members=True
    )


@router.post("/compte/observatoire", response_class=HTMLResponse)
def save_choice(
    request: Request,
    db: SessionDep,
    access: AccessDep,
    observatory: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    if observatory not in {"oui", "non"}:
        return render_page(
            request,
            "account/reminders.html",
            {
                "preference": preferences.preferences_of(db, access.user.id),
                "observatory_objection": recorded_objection(db, access.user.id),
                "feed_url": "",
                "errors": {"observatory": _("Choisissez oui ou non.")},
            },
            422,
        )
    set_included(db, access.user, observatory == "oui")
    return redirect("/compte/rappels?fait=rappels#observatoire")
