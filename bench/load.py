"""Reprise under HTTP load, beside a minimal FastAPI app served the same way, in the same run.

    .venv/bin/python bench/load.py [--database-url postgresql://...] [--clients 1,10,50]
                                   [--duration 3] [--workers 2] [--project DIR]

Starts `reprise serve --workers N` (on a scratch SQLite file, or a scratch PostgreSQL database
made on the server of --database-url) and `uvicorn bench/_minimal_app.py` with the same
workers, loop and parser, then drives both with wrk (Debian package `wrk`, installed by
`make bench`) with keep-alive clients. Prints, per page and number of clients: requests/s,
p50/p90/p99 latency, errors (non-2xx answers and timeouts), and the ratio to the minimal
app's throughput; then a single letter idle and while packs of 20 letters run (after each
run, the time the pool took to finish the renders of clients that had gone: the next run waits
for it), /healthz while packs run, the start-up time to /healthz and the memory of the whole
service.
--project measures another checkout of Reprise (its own .venv) with this script, for
before/after figures. Numbers on a shared machine are noisy: compare figures of one run with
each other, not across machines.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # app.letters.shared_pool, to ask the render pool how busy it is
IDENTITY = {
    "given_name": "Marie",
    "family_name": "Dupont",
    "email": "marie.dupont@example.org",
    "postal_address": {
        "lines": ["12 rue des Lilas"],
        "postal_code": "75011",
        "city": "Paris",
        "country": "FR",
    },
}
LETTER = {"kind": "access", "platform": "doctolib", "identity": IDENTITY}
PACK = {"identity": IDENTITY, "items": [{"platform": "doctolib", "kind": "access"}] * 20}
MAKE_SESSION = """
from sqlmodel import Session
from app.db import get_engine
from app.accounts.users import new_user
from app.accounts.sessions import start_session
from app.models.base import utcnow
with Session(get_engine()) as db:
    user = new_user("bench@example.org", "correct horse battery staple")
    user.email_verified_at = utcnow()
    db.add(user)
    db.flush()
    started = start_session(db, user_id=user.id)
    db.commit()
    print(started.token)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_healthy(base: str, process: subprocess.Popen[bytes], path: str = "/healthz") -> float:
    started = time.perf_counter()
    while process.poll() is None:
        try:
            if httpx.get(base + path, timeout=1).status_code == 200:
                return time.perf_counter() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"the server at {base} stopped")


def descendants(pid: int) -> list[int]:
    """A process and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def memory_by_process(pid: int) -> list[tuple[str, float, float]]:
    """Each process of the tree of `pid`, named by what it runs, with its resident memory and
    its proportional share of it (PSS: pages shared with other processes, such as the
    libraries', divided among them), in MiB."""
    found = []
    for current in descendants(pid):
        try:
            command = Path(f"/proc/{current}/cmdline").read_bytes().split(b"\0")
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        sizes = dict(line.split()[:2] for line in rollup.splitlines()[1:])
        found.append((process_name(command), int(sizes["Rss:"]) / 1024, int(sizes["Pss:"]) / 1024))
    return found


def process_name(command: list[bytes]) -> str:
    text = b" ".join(command).decode(errors="replace")
    for marker, name in (
        ("render_worker", "render process"),
        ("resource_tracker", "resource tracker"),
        ("multiprocessing.spawn", "web worker"),
        ("app.cli serve", "supervisor and render server"),
    ):
        if marker in text:
            return name
    return text[:40]


def wrk(
    url: str, clients: int, duration: float, headers: dict[str, str], body: Any = None
) -> dict[str, float]:
    script = ""
    if body is not None:
        script = (
            'wrk.method = "POST"\n'
            f"wrk.body = {json.dumps(json.dumps(body))}\n"
            'wrk.headers["Content-Type"] = "application/json"\n'
        )
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    command = [
        "wrk",
        "-t",
        "1",
        "-c",
        str(clients),
        "-d",
        f"{max(1, round(duration))}s",
        "--latency",
        "--timeout",
        "30s",
        "-s",
        lua.name,
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    os.unlink(lua.name)
    return parse_wrk(output)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(output: str) -> dict[str, float]:
    result = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))}  # type: ignore[union-attr]
    for share in ("50", "90", "99"):
        found = re.search(rf"^\s+{share}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        result[f"p{share}"] = _ms(*found.groups()) if found else float("nan")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    result["non2xx"] = float(errors.group(1)) if errors else 0.0
    timeouts = re.search(r"timeout (\d+)", output)
    result["non2xx"] += float(timeouts.group(1)) if timeouts else 0.0
    return result


def line(name: str, clients: int, figures: dict[str, float], baseline: float | None) -> str:
    ratio = f"{figures['rps'] / baseline:6.0%}" if baseline else "     -"
    return (
        f"{name:<34} {clients:>4} {figures['rps']:>9.1f} {figures['p50']:>8.1f} "
        f"{figures['p90']:>8.1f} {figures['p99']:>8.1f} {int(figures['non2xx']):>6} {ratio}"
    )


class Servers:
    """Reprise and the minimal app, started the same way."""

    def __init__(self, project: Path, database_url: str | None, workers: int) -> None:
        self.var = Path(tempfile.mkdtemp(prefix="reprise-load-"))
        self.scratch: tuple[str, str] | None = None
        self.python = project / ".venv" / "bin" / "python"
        self.project = project
        self.workers = workers
        if database_url:
            sys.path.insert(0, str(HERE))
            from _postgres import postgres_database

            # A name of its own: two runs on one server never drop each other's database.
            self.scratch = (database_url, f"reprise_load_bench_{os.getpid()}")
            url = postgres_database(*self.scratch, create=True)
        else:
            url = f"sqlite:///{self.var / 'load.db'}"
        self.port = free_port()
        self.env = {
            **os.environ,
            "REPRISE_DATABASE_URL": url,
            "REPRISE_VAR_DIR": str(self.var),
            "REPRISE_BASE_URL": f"http://127.0.0.1:{self.port}",
            "REPRISE_COMPANY_SEARCH_URL": "",
            "REPRISE_LOG_LEVEL": "WARNING",
            "REPRISE_RENDER_LETTERS_PER_ADDRESS": "100000",
            "REPRISE_RENDER_LETTERS_PER_ACCOUNT": "100000",
        }
        subprocess.run(
            [str(self.python), "-m", "app.cli", "db", "upgrade"],
            cwd=project,
            env=self.env,
            check=True,
            capture_output=True,
        )
        self.token = subprocess.run(
            [str(self.python), "-c", MAKE_SESSION],
            cwd=project,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        self.reprise = subprocess.Popen(
            [
                str(self.python),
                "-m",
                "app.cli",
                "serve",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            cwd=project,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        self.startup = wait_healthy(self.base, self.reprise)
        self.minimal_port = free_port()
        self.minimal = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "_minimal_app:app",
                "--port",
                str(self.minimal_port),
                "--workers",
                str(workers),
                "--loop",
                "uvloop",
                "--http",
                "httptools",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=HERE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.minimal_base = f"http://127.0.0.1:{self.minimal_port}"
        wait_healthy(self.minimal_base, self.minimal, "/json")

    def close(self) -> None:
        for process in (self.reprise, self.minimal):
            process.terminate()
            process.wait(30)
        shutil.rmtree(self.var, ignore_errors=True)
        if self.scratch is not None:
            from _postgres import postgres_database

            postgres_database(*self.scratch, create=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("REPRISE_BENCH_DATABASE_URL"))
    parser.add_argument("--clients", default="1,10,50")
    parser.add_argument("--duration", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--project", type=Path, default=ROOT)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: apt-get install wrk (make bench installs it)")
        return 0
    levels = [int(part) for part in args.clients.split(",")]
    servers = Servers(args.project.resolve(), args.database_url, args.workers)
    try:
        return measure(servers, levels, args.duration)
    finally:
        servers.close()


def render_status(pid: int) -> dict[str, Any] | None:
    """The machine's render pool, as its server tells it (a web worker of `pid` names the
    socket in its environment); None when it cannot be reached."""
    from app.letters.shared_pool import RENDER_SOCKET, RemotePool
    from app.letters.workers import RenderBusy, RenderFailed

    prefix = f"{RENDER_SOCKET}=".encode()
    for current in descendants(pid):
        try:
            environ = Path(f"/proc/{current}/environ").read_bytes().split(b"\0")
        except OSError:
            continue
        for variable in environ:
            if variable.startswith(prefix):
                try:
                    return RemotePool(variable[len(prefix) :].decode(), 1).status()
                except (RenderBusy, RenderFailed, ValueError):
                    return None
    return None


def drain(pid: int, packs_running: bool) -> float:
    """Wait until no single letter is left in the pool after wrk has stopped (renders for
    clients that have gone still run), so that one measurement does not pay for the last;
    returns how long that took."""
    started = time.perf_counter()
    while time.perf_counter() - started < 120:
        status = render_status(pid)
        if status is None:
            break
        singles_waiting = sum(1 for priority in status["waiting"] if priority == 0)
        if not singles_waiting and status["busy"] <= (1 if packs_running else 0):
            break
        time.sleep(0.1)
    return time.perf_counter() - started


def warm_up(base: str) -> None:
    """Start every render worker before measuring letters (four letters at once, until they
    all succeed)."""
    with httpx.Client(base_url=base, timeout=120) as client:
        for _attempt in range(30):
            answers: list[int] = []

            def one(answers: list[int] = answers) -> None:
                try:
                    answers.append(client.post("/api/v1/letters", json=LETTER).status_code)
                except httpx.HTTPError:
                    answers.append(0)

            threads = [threading.Thread(target=one) for _ in range(4)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if answers == [200] * 4:
                return
            time.sleep(1)
    raise SystemExit("letters never succeeded during warm-up")


def measure(servers: Servers, levels: list[int], duration: float) -> int:
    cookie = {"Cookie": f"reprise_session={servers.token}"}
    database = "PostgreSQL" if "postgresql" in servers.env["REPRISE_DATABASE_URL"] else "SQLite"
    print(
        f"project {servers.project}, {servers.workers} workers, {database}, "
        f"{os.cpu_count()} cores, {duration:g} s per run"
    )
    print(
        f"{'page':<34} {'cli':>4} {'req/s':>9} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} "
        f"{'errors':>6} ratio"
    )
    pages: list[tuple[str, str, dict[str, str], bool]] = [
        ("/", "/", {}, False),
        ("/decouvrir", "/decouvrir", {}, False),
        ("/plateformes", "/plateformes", {}, False),
        ("/api/v1/platforms?q=docto", "/api/v1/platforms?q=docto", {}, True),
        ("/api/v1/deadlines", "/api/v1/deadlines?regime=gdpr&received=2026-03-05", {}, True),
        ("/suivi (signed in)", "/suivi", cookie, False),
    ]
    for clients in levels:
        minimal_html = wrk(servers.minimal_base + "/", clients, duration, {})
        minimal_json = wrk(servers.minimal_base + "/json", clients, duration, {})
        print(line("minimal app HTML", clients, minimal_html, None))
        print(line("minimal app JSON", clients, minimal_json, None))
        for name, path, headers, is_json in pages:
            figures = wrk(servers.base + path, clients, duration, headers)
            baseline = (minimal_json if is_json else minimal_html)["rps"]
            print(line(name, clients, figures, baseline), flush=True)
    warm_up(servers.base)
    letters = max(duration, 5.0)  # a letter takes a good part of a second: run longer
    idle = {}
    for clients in levels:
        idle[clients] = wrk(servers.base + "/api/v1/letters", clients, letters, {}, LETTER)
        left = drain(servers.reprise.pid, packs_running=False)
        print(
            line("single letter (idle)", clients, idle[clients], None)
            + f"  then {left:.1f} s of renders left",
            flush=True,
        )
    stop = threading.Event()
    packs = {"answers": 0, "errors": 0}

    def pack_loop() -> None:
        with httpx.Client(base_url=servers.base, timeout=300) as client:
            while not stop.is_set():
                try:
                    response = client.post("/api/v1/letters/pack", json=PACK)
                except httpx.HTTPError:
                    packs["errors"] += 1
                    time.sleep(0.5)
                    continue
                packs["answers"] += 1
                if response.status_code == 202:
                    location = response.headers["location"]
                    while not stop.is_set() and client.get(location).json()["state"] in {
                        "queued",
                        "running",
                    }:
                        time.sleep(0.2)

    threads = [threading.Thread(target=pack_loop, daemon=True) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)
    for clients in levels:
        busy = wrk(servers.base + "/api/v1/letters", clients, letters, {}, LETTER)
        slower = busy["p99"] / idle[clients]["p99"] if idle[clients]["p99"] else float("nan")
        left = drain(servers.reprise.pid, packs_running=True)
        print(
            line("single letter (packs running)", clients, busy, None)
            + f"  p99 x{slower:.1f} idle, then {left:.1f} s of renders left",
            flush=True,
        )
    health = wrk(servers.base + "/healthz", 10, duration, {})
    print(line("/healthz (packs running)", 10, health, None))
    processes = memory_by_process(servers.reprise.pid)
    rss = sum(size for _name, size, _share in processes)
    pss = sum(share for _name, _size, share in processes)
    stop.set()
    print(f"packs of 20 answered while measuring: {packs['answers']}, errors {packs['errors']}")
    print(f"start-up to /healthz: {servers.startup:.2f} s")
    print(f"memory of the whole service (all processes, with packs running): {rss:.0f} MiB")
    print(f"  (shared pages counted once, divided among the processes: {pss:.0f} MiB)")
    for name in sorted({name for name, _size, _share in processes}):
        sizes = [f"{size:.0f}" for found, size, _share in processes if found == name]
        print(f"  {name}: {len(sizes)} × ({', '.join(sizes)} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
