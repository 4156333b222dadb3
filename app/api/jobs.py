"""JSON API, version 1: packs made in the background (their progress, then their file)."""

from __future__ import annotations

import uuid
from typing import Literal

from fastapi.responses import Response
from pydantic import BaseModel

from app.api import ERROR_RESPONSES
from app.db import SessionDep
from app.letters.pack_jobs import MEDIA_TYPES, find_pack, pack_result
from app.models.job import PackJob
from app.routing import Router

router = Router(prefix="/api/v1", tags=["v1"], responses=ERROR_RESPONSES)


class PackJobOut(BaseModel):
    """A pack in the making: `done` documents out of `total`; `file` once it is ready."""

    id: uuid.UUID
    state: Literal["queued", "running", "done", "failed"]
    done: int
    total: int
    file: str | None = None
    error: str | None = None


def job_json(job: PackJob) -> dict[str, object]:
    out = PackJobOut(
        id=job.id,
        state=job.state,
        done=job.done,
        total=job.total,
        file=f"/api/v1/jobs/{job.id}/file" if job.state == "done" else None,
        error=job.error,
    )
    return out.model_dump(mode="json")


@router.get("/jobs/{job_id}", response_model=PackJobOut)
def get_job(db: SessionDep, job_id: uuid.UUID) -> dict[str, object]:
    """Where a pack stands: queued, running (with `done` out of `total`), done, or failed."""
    return job_json(find_pack(db, job_id))


@router.get(
    "/jobs/{job_id}/file",
    response_class=Response,
    responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()}}},
)
def get_job_file(db: SessionDep, job_id: uuid.UUID) -> Response:
    """The pack's file once it is done (404 before)."""
    job = find_pack(db, job_id)
    return Response(
        pack_result(job),
        media_type=MEDIA_TYPES[job.format],
        headers={"Content-Disposition": f'attachment; filename="reprise-lettres.{job.format}"'},
    )
