"""`reprise serve`: the web service."""

from __future__ import annotations

import argparse
from typing import Any


def _serve(args: argparse.Namespace) -> int:
    from app.config import get_settings
    from app.logs import configure_logging
    from app.server import serve

    configure_logging(get_settings().log_level)
    serve(args.host, args.port, args.workers)
    return 0


def add_commands(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the web service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(func=_serve)
