"""`reprise serve --workers N` in a real process, with its render server reachable by the test."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from app.letters.shared_pool import RemotePool
from app.migrate import upgrade
from tests.support.paths import PROJECT_ROOT
from tests.support.servers import free_port

STARTED = re.compile(r"\[(\d+)\] uvicorn\.error: Application startup complete")
RENDER_SOCKET = re.compile(r"render pool: \d+ workers for every web worker at (\S+)")


def wait_until(condition: Callable[[], Any], what: str = "the condition") -> Any:
    """Poll until `condition()` is true (60 s at most: the machine may be busy); returns its
    value."""
    for _attempt in range(6000):
        value = condition()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"{what} never held")


def all_idle(status: dict[str, Any]) -> bool:
    """Whether a render pool's status shows every worker started and none busy."""
    return len(status["workers"]) == status["size"] and status["busy"] == 0


class Served:
    """`reprise serve` on a fresh SQLite database, its log, and a view of its render pool."""

    def __init__(self, tmp_path: Path, workers: int, settings: dict[str, str]) -> None:
        url = f"sqlite:///{tmp_path / 'served.db'}"
        upgrade("head", url)
        self.port = free_port()
        self.log_path = tmp_path / "serve.log"
        self._log = self.log_path.open("w")
        environment = {
            **os.environ,
            "REPRISE_VAR_DIR": str(tmp_path),
            "REPRISE_DATABASE_URL": url,
            "REPRISE_JOBS_INTERVAL_SECONDS": "3600",  # the pack runners run
            "REPRISE_LOG_LEVEL": "INFO",
            **settings,
        }
        command = ["serve", "--port", str(self.port), "--workers", str(workers)]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", *command],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=120)
        try:
            wait_until(lambda: len(set(STARTED.findall(self.log()))) == workers, "start-up")
            found = RENDER_SOCKET.search(self.log())
            assert found, self.log()
            self.pool = RemotePool(found.group(1), 1)
            wait_until(self.warm, "a warm render pool")
        except BaseException:
            self.close()
            print(self.log())
            raise

    def log(self) -> str:
        return self.log_path.read_text()

    def status(self) -> dict[str, Any]:
        return self.pool.status()

    def warm(self) -> bool:
        return all_idle(self.status())

    def pause_workers(self) -> list[int]:
        """Stop every render worker where it stands (SIGSTOP): what they take, they hold."""
        pids: list[int] = self.status()["workers"]
        for pid in pids:
            os.kill(pid, signal.SIGSTOP)
        return pids

    def resume_workers(self, pids: list[int]) -> None:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)

    def close(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(30)
        self._log.close()
