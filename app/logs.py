"""Logging set-up: plain lines on stderr, nothing personal (see security.md item 18)."""

from __future__ import annotations

import logging.config
from typing import Any

FORMAT = "%(asctime)s %(levelname)s [%(process)d] %(name)s: %(message)s"


def logging_config(level: str = "INFO") -> dict[str, Any]:
    """The dictConfig every process applies (uvicorn applies it again in each worker)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": FORMAT}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            # uvicorn's own loggers go through the root handler, once.
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": True},
            # WeasyPrint logs every refused URL with the URL itself: keep its warnings out.
            "weasyprint": {"level": "ERROR"},
            "fontTools": {"level": "WARNING"},
        },
    }


def configure_logging(level: str = "INFO") -> None:
    logging.config.dictConfig(logging_config(level))


def who(account: Any, address: str | None) -> str:
    """Who a security event concerns, for its log line: pseudonyms (keyed hashes) of the
    account (its id, or what was typed for an unknown one) and of the client's network
    address. The same account or address reads the same in every line, so events can be
    followed; an email, a name or an address in clear never appears."""
    from app.security.fields import pseudonym

    named = pseudonym(f"account:{account}") if account else "-"
    source = pseudonym(f"address:{address}") if address else "-"
    return f"account={named} from={source}"
