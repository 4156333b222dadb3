"""Letter outputs: HTML (preview and PDF source), PDF through WeasyPrint, and plain text."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.config import STATIC_DIR, get_settings
from app.errors import Invalid
from app.i18n import gettext as _
from app.i18n import use_locale
from app.letters.document import Blank, Bullets, Heading, Letter, Paragraph, Part
from app.letters.workers import RenderTimeout, get_render_pool
from app.templating import get_environment

logger = logging.getLogger(__name__)

ASSET_DIRS = ("fonts", "css")
PDF_STYLESHEETS = ("css/fonts.css", "css/letter.css")
UA_STYLESHEET = "css/letter-ua.css"


def harfbuzz_subsetting() -> bool:
    """Whether WeasyPrint can subset fonts with HarfBuzz (else fontTools, slower)."""
    from weasyprint.text import ffi

    return ffi.harfbuzz_subset is not None


@lru_cache(maxsize=1)
def bundled_assets() -> Mapping[str, bytes]:
    """Every file a letter may use, by its file URL, read once."""
    assets: dict[str, bytes] = {}
    for folder in ASSET_DIRS:
        for path in sorted((STATIC_DIR / folder).glob("*")):
            if path.is_file():
                assets[path.resolve().as_uri()] = path.read_bytes()
    return assets


class BundledAssetFetcher(URLFetcher):  # type: ignore[misc]
    """Serves Reprise's own fonts and styles; refuses every other URL (file, http, data...)."""

    def __init__(self, assets: Mapping[str, bytes]) -> None:
        super().__init__(timeout=1, allowed_protocols=("file",), allow_redirects=False)
        self._assets = assets

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        body = self._assets.get(url)
        if body is None:
            raise ValueError("refused: only Reprise's bundled assets may be loaded")
        content_type = mimetypes.guess_type(url)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


class LetterHTML(HTML):  # type: ignore[misc]
    """An HTML document styled with the letters' own short user-agent stylesheet."""

    ua_stylesheet: CSS | None = None

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        assert self.ua_stylesheet is not None
        return [self.ua_stylesheet]


class PdfRenderer:
    """A WeasyPrint set-up kept warm: fonts and styles are parsed once per renderer."""

    def __init__(self) -> None:
        self.fetcher = BundledAssetFetcher(bundled_assets())
        self.font_config = FontConfiguration()
        self.stylesheets = [
            CSS(
                url=(STATIC_DIR / name).resolve().as_uri(),
                url_fetcher=self.fetcher,
                font_config=self.font_config,
            )
            for name in PDF_STYLESHEETS
        ]

        self.ua_stylesheet = CSS(
            url=(STATIC_DIR / UA_STYLESHEET).resolve().as_uri(),
            url_fetcher=self.fetcher,
            font_config=self.font_config,
        )

    def render(self, html: str) -> bytes:
        document = LetterHTML(
            string=html, base_url=STATIC_DIR.resolve().as_uri() + "/", url_fetcher=self.fetcher
        )
        document.ua_stylesheet = self.ua_stylesheet
        pdf = document.write_pdf(
            stylesheets=self.stylesheets,
            font_config=self.font_config,
            pdf_variant="pdf/ua-1",  # Tagged, with language, title and the PDF/UA marker.
            presentational_hints=False,
        )
        assert isinstance(pdf, bytes)
        return pdf


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


def letter_pdf(letter: Letter) -> bytes:
    """The letter as an A4 PDF, tagged for screen readers, rendered by a warm worker."""
    try:
        return get_render_pool().render(letter_html(letter), render_limit())
    except RenderTimeout as exc:
        raise _too_slow() from exc


def html_pdfs(documents: list[str]) -> list[bytes]:
    """Many HTML documents as separate PDFs, on every worker at once."""
    try:
        return get_render_pool().render_many(documents, render_limit())
    except RenderTimeout as exc:
        raise _too_slow() from exc


def _plain(parts: tuple[Part, ...]) -> str:
    return "".join(part if isinstance(part, str) else f"[{part.label}]" for part in parts)


def letter_body_text(letter: Letter) -> str:
    """From the salutation to the signature: what an email or a web form receives."""
    out: list[str] = [letter.subject, ""]
    for label, value in letter.references:
        out.append(f"{label} : {value}" if letter.lang == "fr" else f"{label}: {value}")
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
        head += [recipient.name, *attention, *recipient.address_lines, ""]
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
