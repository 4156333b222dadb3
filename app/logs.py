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
