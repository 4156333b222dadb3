"""A letter as printed: a first request on one page wherever its content allows, never a
closing or a signature alone on a page, nothing smaller than 10 pt, a typeface without a slashed
zero. Measured on the PDFs themselves (poppler's pdfinfo, pdftotext and pdffonts)."""

import io
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from app.catalogue.loader import get_catalogue
from app.letters.compose import recipient_from_platform
from app.letters.document import Letter
from app.letters.identity import Identity
from app.letters.kinds import OPTION_MODELS
from app.letters.render import letter_pdf
from app.letters.service import make_letter

TODAY = date(2026, 12, 5)
FIRST_REQUESTS = ("access", "erasure", "objection", "rectification", "portability")
# The access request asks for the eight items of article 15(1), the recipients' identity, the
# transfers' safeguards, the hosting questions and the free first copy: more than one page at
# 10 pt (measured: 8 to 11 lines over). Every other first request fits on one.
LONGER_THAN_A_PAGE = {"access"}
RECIPIENTS = ("doctolib", "ap-hp", "23andme", "snds")


def letter(
    identity_data: dict[str, Any], kind: str, slug: str, lang: str, **options: Any
) -> Letter:
    platform = get_catalogue().get(slug)
    assert platform is not None
    return make_letter(
        kind,
        Identity.model_validate(identity_data),
        recipient_from_platform(platform),
        OPTION_MODELS[kind].model_validate(options),
        TODAY,
        lang,
        check_dates=False,
    )


def poppler(tool: str, data: bytes, tmp_path: Path, *args: str) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def page_count(data: bytes, tmp_path: Path) -> int:
    info = poppler("pdfinfo", data, tmp_path)
    return int(next(line for line in info.splitlines() if line.startswith("Pages:")).split()[1])


def pages_text(data: bytes, tmp_path: Path) -> list[str]:
    """Each page's text (pdftotext separates pages with a form feed)."""
    text = poppler("pdftotext", data, tmp_path, "-enc", "UTF-8")
    return [" ".join(page.split()) for page in text.split("\f")[: page_count(data, tmp_path)]]


def closing_not_alone(made: Letter, data: bytes, tmp_path: Path) -> None:
    """The page with the closing also has the signature and some of the letter's body."""
    pages = pages_text(data, tmp_path)
    closing = " ".join(made.closing.split())[:40]
    holding = [number for number, page in enumerate(pages) if closing in page]
    assert len(holding) == 1, (made.kind, made.lang, pages)
    page = pages[holding[0]]
    assert made.signature_name in page.split(closing, 1)[1], (made.kind, made.lang, page)
    before = page.split(closing, 1)[0]
    # Some of the letter's body (a full line at least) comes before the closing on its page.
    assert len(before.split()) >= 8, (made.kind, made.lang, holding[0] + 1, page)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("slug", RECIPIENTS)
@pytest.mark.parametrize("kind", [*FIRST_REQUESTS, "medical-record"])
def test_a_first_request_fits_on_one_page_wherever_its_content_allows(
    identity_data: dict[str, Any], tmp_path: Path, kind: str, slug: str, lang: str
) -> None:
    made = letter(identity_data, kind, slug, lang)
    data = letter_pdf(made)
    pages = page_count(data, tmp_path)
    assert pages == (2 if kind in LONGER_THAN_A_PAGE else 1), (kind, slug, lang, pages)
    closing_not_alone(made, data, tmp_path)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("corrections", range(0, 11))
def test_the_closing_and_the_signature_are_never_alone_on_a_page(
    identity_data: dict[str, Any], tmp_path: Path, corrections: int, lang: str
) -> None:
    """Letters of every length, a line longer each time, so that the page break falls
    everywhere near the end: the closing always keeps some body text and the signature."""
    items = [
        {"current": f"ancienne valeur {n}", "corrected": f"valeur exacte numéro {n} " * (1 + n % 3)}
        for n in range(corrections)
    ]
    made = letter(identity_data, "rectification", "doctolib", lang, corrections=items)
    closing_not_alone(made, letter_pdf(made), tmp_path)


@pytest.mark.parametrize("kind", list(OPTION_MODELS))
def test_every_letter_is_set_in_dejavu_sans_at_10_pt_or_more_and_signed_with_its_body(
    identity_data: dict[str, Any], kind: str, tmp_path: Path
) -> None:
    """DejaVu Sans has a plain zero (Atkinson Hyperlegible slashes it); 10 pt is the floor,
    the page number included. WeasyPrint sets sizes in CSS px: 10 pt is 13.33 px."""
    made = letter(identity_data, kind, "doctolib", "fr")
    data = letter_pdf(made)
    if made.layout == "letter":
        closing_not_alone(made, data, tmp_path)
    fonts = poppler("pdffonts", data, tmp_path).splitlines()[2:]
    assert fonts
    assert all("DejaVu-Sans-Reprise" in line for line in fonts), fonts
    pdf = pikepdf.open(io.BytesIO(data))
    sizes = {
        round(float(op.operands[1]), 2)
        for page in pdf.pages
        for op in pikepdf.parse_content_stream(page)
        if str(op.operator) == "Tf"
    }
    assert sizes
    assert min(sizes) >= 13.33, sizes
