"""Work done after the answer is sent, in a session of its own.

Forms whose work depends on whether an address has an account (sign-up, password reset,
sign-in link) answer first and do that work afterwards, so the answer's timing is the same for
every address. Starlette runs the work once the response has gone out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Annotated

from fastapi import BackgroundTasks, Depends
from fastapi.responses import Response
from sqlmodel import Session

from app.db import Opener, session_opener

logger = logging.getLogger("reprise.web")


class AfterAnswer:
    def __init__(
        self,
        tasks: BackgroundTasks,
        opener: Annotated[Opener, Depends(session_opener)],
    ) -> None:
        self.tasks = tasks
        self.opener = opener

    def run(self, work: Callable[[Session], None], answer: Response) -> Response:
        """Do `work` once `answer` has gone out. The connection is closed after the answer: a
        next request on it would otherwise wait for the work, and its delay would tell."""
        self.tasks.add_task(self._run, work)
        answer.headers["connection"] = "close"
        return answer

    def _run(self, work: Callable[[Session], None]) -> None:
        try:
            with self.opener() as db:
                work(db)
        except Exception:
            # The page already answered; the person can ask again. No personal data here.
            logger.exception("work after the answer failed")


AfterAnswerDep = Annotated[AfterAnswer, Depends()]
