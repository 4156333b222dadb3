"""A composed letter: plain data that the HTML, PDF, text and email outputs all render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Blank:
    """A gap the person fills in by hand (a date, a reference) because it was not given."""

    label: str


Part = str | Blank


@dataclass(frozen=True)
class Paragraph:
    parts: tuple[Part, ...]
    style: Literal["normal", "strong", "note"] = "normal"

    @classmethod
    def of(cls, *parts: Part, style: Literal["normal", "strong", "note"] = "normal") -> Paragraph:
        return cls(tuple(parts), style)


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple[Part, ...], ...]
    ordered: bool = False

    @classmethod
    def of(cls, *items: str | tuple[Part, ...], ordered: bool = False) -> Bullets:
        return cls(tuple(item if isinstance(item, tuple) else (item,) for item in items), ordered)


@dataclass(frozen=True)
class Heading:
    text: str


Block = Paragraph | Bullets | Heading


@dataclass(frozen=True)
class Recipient:
    """To whom a letter goes: a catalogue platform or an organisation typed by hand."""

    name: str
    address_lines: tuple[str, ...]
    email: str | None = None
    verified: bool = False
    platform_slug: str | None = None
    language: Literal["fr", "en"] = "fr"
    attention: str | None = None
    siren: str | None = None
    public: bool | None = None
    category: str | None = None
    web_form: str | None = None


@dataclass(frozen=True)
class Letter:
    """Everything a letter says, already in its language."""

    kind: str
    lang: str
    title: str
    sender_lines: tuple[str, ...]
    sender_contact: tuple[str, ...]
    recipient: Recipient
    place_date: str
    delivery: str | None
    subject: str
    references: tuple[tuple[str, str], ...]
    salutation: str
    blocks: tuple[Block, ...]
    closing: str
    signature_name: str
    enclosures: tuple[str, ...] = field(default=())
    file_stem: str = "lettre"
    # "letter": addressed, with salutation and closing; "document": a titled deed (a mandate)
    # signed at the end by each party in `signatures` (role, name).
    layout: Literal["letter", "document"] = "letter"
    signatures: tuple[tuple[str, str], ...] = field(default=())

    def plain_parts(self, parts: tuple[Part, ...]) -> str:
        return "".join(part if isinstance(part, str) else f"[{part.label}]" for part in parts)
