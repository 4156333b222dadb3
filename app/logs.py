"""Logging set-up: plain lines on stderr, nothing personal (see security.md item 18)."""

from __future__ import annotations

import logging
import sys
from typing import Any


def configure_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # WeasyPrint logs every refused URL with the URL itself; keep its warnings out of the logs.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.WARNING)


def who(account: Any, address: str | None) -> str:
    """Who a security event concerns, for its log line: pseudonyms (keyed hashes) of the
    account (its id, or what was typed for an unknown one) and of the client's network
    address. The same account or address reads the same in every line, so events can be
    followed; an email, a name or an address in clear never appears."""
    from app.security.fields import pseudonym

    named = pseudonym(f"account:{account}") if account else "-"
    source = pseudonym(f"address:{address}") if address else "-"
    return f"account={named} from={source}"
