"""What several command groups share: reading files named on the command line, printing
refusals, the --as-of and period arguments."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from pydantic import ValidationError


def print_invalid(errors: dict[str, str]) -> int:
    """Print each refused field with its reason; the exit code of bad input."""
    for field, message in errors.items():
        print(f"{field}: {message}", file=sys.stderr)
    return 2


def print_validation(exc: ValidationError, prefix: str = "") -> int:
    """A pydantic refusal, one line per field (`prefix` names the file it came from)."""
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        print(f"{prefix}{where}: {error['msg']}", file=sys.stderr)
    return 2


def read_json(path: str) -> tuple[object, str | None]:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8")), None
    except OSError as exc:
        return None, f"cannot read {path}: {exc.strerror}"
    except json.JSONDecodeError as exc:
        return None, f"{path}: not valid JSON: {exc.msg} (line {exc.lineno})"


def read_identity(path: str) -> object:
    """The identity JSON file, or None once the problem is printed."""
    from app.letters.identity import Identity

    try:
        return Identity.model_validate_json(Path(path).read_bytes())
    except OSError as exc:
        print(f"cannot read {path}: {exc.strerror}", file=sys.stderr)
    except ValidationError as exc:
        print_validation(exc, f"{path}: ")
    return None


def print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False))


def write_out(text: str, out: str | None) -> None:
    """Write to the file `out` (atomically), or to standard output."""
    if out:
        from app.letters.render import write_atomically

        write_atomically(Path(out), text.encode())
    else:
        sys.stdout.write(text)


def as_of(args: argparse.Namespace) -> date:
    from app import clock

    return date.fromisoformat(args.as_of) if args.as_of else clock.today()


def period(text: str) -> str:
    """An argparse type: a period such as 18m."""
    from app.catalogue.report import parse_period

    try:
        parse_period(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return text
