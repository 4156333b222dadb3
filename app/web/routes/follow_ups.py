"""A follow-up letter read before it is kept: the preview, and the receipt date asked first."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse

from app.clock import today
from app.db import SessionDep
from app.errors import Conflict
from app.grants import ReachableProceeding
from app.i18n import gettext as _
from app.letters.kinds import KIND_INFO
from app.proceedings import actions
from app.proceedings.follow_ups import missing_receipt, preview_follow_up
from app.routing import Router
from app.web.date_form import date_values
from app.web.deps import csrf_protect
from app.web.pages import render_page
from app.web.routes.proceedings import follow_ups, member_name, reach_of

router = Router(dependencies=[Depends(csrf_protect)])


@router.get("/suivi/{proceeding_id}/lettres/nouvelle", response_class=HTMLResponse)
def preview(
    request: Request,
    db: SessionDep,
    access: ReachableProceeding,
    proceeding_id: uuid.UUID,
    type: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    """The follow-up letter as it will be written, before anything is kept."""
    found = reach_of(access)
    day = today()
    view = actions.open_proceeding(db, access.actor, found, day)
    if type not in dict(follow_ups(view, access)):
        raise Conflict(_("Cette lettre n'est pas possible à ce stade de la démarche."))
    letter = preview_follow_up(db, found.proceeding, view, type, day)
    return render_page(
        request,
        "proceedings/follow_up.html",
        {
            "view": view,
            "member": member_name(access),
            "kind": type,
            "kind_info": KIND_INFO,
            "letter": letter,
            "ask_receipt": missing_receipt(view, type),
            "values": date_values("date", None),
            "errors": {},
        },
    )
