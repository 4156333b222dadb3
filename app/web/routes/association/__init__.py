"""Association pages: the team, members' files, mandates, acting for a member under mandates."""

from __future__ import annotations

from app.routing import Router
from app.web.routes.association import dossier, mandates, members, team

router = Router()
for part in (team, members, mandates, dossier):
    router.include_router(part.router)
