"""What each letter kind lets the person choose, with sensible defaults."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ErasureGround = Literal[
    "no-longer-needed",
    "consent-withdrawn",
    "objection",
    "unlawful",
    "legal-obligation",
    "child",
]
ERASURE_GROUNDS: tuple[str, ...] = ErasureGround.__args__  # type: ignore[attr-defined]


class Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _default_grounds() -> list[ErasureGround]:
    return ["no-longer-needed", "consent-withdrawn"]


class ErasureOptions(Options):
    grounds: list[ErasureGround] = Field(default_factory=_default_grounds, min_length=1)
    close_account: bool = True
