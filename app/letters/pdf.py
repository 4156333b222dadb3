"""WeasyPrint, set up once per render worker: bundled fonts and styles, a fetcher that loads
nothing else. Only the render workers import this module (web processes never load WeasyPrint)."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# app.config.STATIC_DIR, without loading the settings (pydantic) into every render worker.
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
ASSET_DIRS = ("fonts", "css")
PDF_STYLESHEETS = ("css/fonts.css", "css/letter.css")
UA_STYLESHEET = "css/letter-ua.css"


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
