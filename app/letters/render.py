"""Letter outputs: HTML (preview and PDF source), PDF through WeasyPrint, and plain text."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import math
from pathlib import Path

from app.admission import step_aside
from app.config import get_settings
from app.errors import Busy, Invalid
from app.i18n import gettext as _
from app.i18n import use_locale
from app.letters.document import Blank, Bullets, Heading, Letter, Paragraph, Part
from app.letters.shared_pool import get_render_pool
from app.letters.workers import BACKGROUND, INTERACTIVE, RenderBusy, RenderTimeout
from app.templating import get_environment

logger = logging.getLogger(__name__)

HARFBUZZ_SUBSET = ("libharfbuzz-subset.so.0", "libharfbuzz-subset.0.dylib")


def harfbuzz_subsetting() -> bool:
    """Whether WeasyPrint will find HarfBuzz's subsetting library (else fontTools, slower),
    checked without loading WeasyPrint into the web process."""
    for name in (*HARFBUZZ_SUBSET, ctypes.util.find_library("harfbuzz-subset")):
        if name:
            try:
                ctypes.CDLL(name)
            except OSError:
                continue
            return True
    return False


def letter_html(letter: Letter) -> str:
    """The letter as a standalone HTML document (the PDF's source)."""
    with use_locale(letter.lang):
        return get_environment().get_template("letters/document.html").render(letter=letter)


def render_limit() -> float:
    return get_settings().render_timeout_seconds


def _too_slow() -> Invalid:
    message = _(
        "La lettre a mis trop de temps à être produite et a été arrêtée. "
        "Raccourcissez les textes saisis, puis réessayez."
    )
    return Invalid({"render": message}, message)


def _busy() -> Busy:
    wait = get_settings().render_wait_seconds
    return Busy(
        _(
            "Beaucoup de lettres sont en cours de fabrication. Réessayez dans quelques "
            "secondes : rien de ce que vous avez saisi n'est perdu."
        ),
        retry_after=max(1, math.ceil(wait)),
    )


def letter_pdf(letter: Letter) -> bytes:
    """The letter as an A4 PDF, tagged for screen readers, rendered by a warm worker.

    A single letter goes before every pack letter; the render limit counts the wait for a
    worker too, and a wait past REPRISE_RENDER_WAIT_SECONDS is answered 503. The request gives
    its database turn to the pages behind it while it waits (app.admission)."""
    step_aside()
    try:
        return get_render_pool().render(
            letter_html(letter),
            render_limit(),
            INTERACTIVE,
            wait=get_settings().render_wait_seconds,
        )
    except RenderTimeout as exc:
        raise _too_slow() from exc
    except RenderBusy as exc:
        raise _busy() from exc


def html_pdfs(documents: list[str], background: bool = False) -> list[bytes]:
    """Many HTML documents as separate PDFs, on every worker at once (after single letters
    when `background`)."""
    step_aside()
    try:
        return get_render_pool().render_many(
            documents, render_limit(), BACKGROUND if background else INTERACTIVE
        )
    except RenderTimeout as exc:
        raise _too_slow() from exc
    except RenderBusy as exc:
        raise _busy() from exc


def merged_pdf(pdfs: list[bytes], title: str, author: str, lang: str) -> bytes:
    """A pack's PDFs as one tagged PDF, joined by the machine's render server when there is
    one (pikepdf then stays out of the web workers), else here."""
    return get_render_pool().merge(pdfs, title, author, lang)


def background_pdf(html: str) -> bytes:
    """One document of a background job: after every single letter, however long that takes."""
    while True:
        try:
            return get_render_pool().render(
                html, render_limit(), BACKGROUND, wait=60.0, wait_counts=False
            )
        except RenderBusy:
            continue
        except RenderTimeout as exc:
            raise _too_slow() from exc


def _plain(parts: tuple[Part, ...]) -> str:
    return "".join(part if isinstance(part, str) else f"[{part.label}]" for part in parts)


def letter_body_text(letter: Letter) -> str:
    """From the salutation to the signature: what an email or a web form receives."""
    out: list[str] = [letter.subject, ""]
    for label, value in letter.references:
        out.append(f"{label}\u00a0: {value}" if letter.lang == "fr" else f"{label}: {value}")
    if letter.references:
        out.append("")
    if letter.salutation:
        out += [letter.salutation, ""]
    for block in letter.blocks:
        if isinstance(block, Paragraph):
            out += [_plain(block.parts), ""]
        elif isinstance(block, Bullets):
            for number, item in enumerate(block.items, start=1):
                marker = f"{number}." if block.ordered else "-"
                out.append(f"{marker} {_plain(item)}")
            out.append("")
        elif isinstance(block, Heading):
            out += [block.text.upper(), ""]
    if letter.layout == "document":
        out += [letter.place_date, ""]
        for role, name in letter.signatures:
            out += [role, name, "", ""]
    else:
        out += [letter.closing, "", letter.signature_name]
    if letter.enclosures:
        with use_locale(letter.lang):
            out += ["", _("Pièces jointes :")]
        out += [f"- {item}" for item in letter.enclosures]
    return "\n".join(out).rstrip() + "\n"


def letter_text(letter: Letter) -> str:
    """The whole letter as plain text, addresses included, to print or paste."""
    head: list[str] = [*letter.sender_lines, *letter.sender_contact, ""]
    if letter.layout == "letter":
        recipient = letter.recipient
        attention = [recipient.attention] if recipient.attention else []
        # As the printed letter: the address, else the email or web form it goes to, else a
        # blank for the address the person writes by hand.
        with use_locale(letter.lang):
            where = recipient.address_lines or (
                (recipient.email or recipient.web_form or f"[{_('adresse postale à compléter')}]"),
            )
        head += [recipient.name, *attention, *where, ""]
        head += [letter.place_date, ""]
    if letter.delivery:
        head += [letter.delivery, ""]
    return "\n".join(head) + letter_body_text(letter)


def blank_label(part: Part) -> str | None:
    return part.label if isinstance(part, Blank) else None


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file so that a crash leaves either the old file or the new one."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
