"""The long-lived processes put what they load at start out of the garbage collector's full
passes (app.heap): a web worker once started and once its templates are compiled, a render
worker once WeasyPrint is warm. Each case runs in a process of its own, as in production, so
that freezing does not touch the test process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.support.paths import PROJECT_ROOT

WEB_WORKER = """
import asyncio, gc, json, threading
from app.main import create_app
from app.templating import get_environment

app = create_app()
before = gc.get_freeze_count()

async def main():
    async with app.router.lifespan_context(app):
        at_start = gc.get_freeze_count()
        for thread in threading.enumerate():
            if thread.name == "compile-templates":
                thread.join(60)
        return at_start

at_start = asyncio.run(main())
print(json.dumps({
    "before": before,
    "at_start": at_start,
    "after_templates": gc.get_freeze_count(),
    "templates_compiled": len(get_environment().cache),
    "templates": len(get_environment().list_templates(extensions=("html",))),
}))
"""

RENDER_WORKER = """
import gc, io, json
from app.letters.render_worker import serve

answers = io.BytesIO()
serve(io.BytesIO(b""), answers)  # warms up, says it is ready, then meets the end of its input
print(json.dumps({"frozen": gc.get_freeze_count(), "ready": answers.getvalue()[:1].decode()}))
"""


def run(script: str, tmp_path: Path) -> dict[str, int | str]:
    environment = {
        **os.environ,
        "REPRISE_DATABASE_URL": f"sqlite:///{tmp_path / 'heap.db'}",
        "REPRISE_VAR_DIR": str(tmp_path),
        "REPRISE_JOBS_INTERVAL_SECONDS": "0",
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answer: dict[str, int | str] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def test_a_web_worker_settles_what_it_loads_at_start_then_its_compiled_templates(
    tmp_path: Path,
) -> None:
    figures = run(WEB_WORKER, tmp_path)
    assert figures["before"] == 0
    # The catalogue, the routes, the translations: well over 50,000 objects out of sight.
    assert int(figures["at_start"]) > 50_000
    # Every template is compiled in the background, and what that made is settled too.
    assert figures["templates_compiled"] == figures["templates"] > 0
    assert int(figures["after_templates"]) > int(figures["at_start"])


def test_a_render_worker_settles_weasyprint_once_warm(tmp_path: Path) -> None:
    figures = run(RENDER_WORKER, tmp_path)
    assert figures["ready"] == "r"
    assert int(figures["frozen"]) > 50_000
