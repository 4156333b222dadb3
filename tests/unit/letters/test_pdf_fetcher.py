"""WeasyPrint loads Reprise's bundled assets and nothing else (security.md item 13)."""

from pathlib import Path

from pypdf import PdfReader

from app.letters.pdf import PdfRenderer
from tests.support.render import Listener, hostile_documents


def test_no_hostile_reference_is_fetched_or_embedded(listener: Listener, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY")
    renderer = PdfRenderer()
    for snippet in hostile_documents(listener.port, secret):
        html = f"<!doctype html><html lang='fr'><body><p>Texte</p>{snippet}</body></html>"
        data = renderer.render(html)
        path = tmp_path / "out.pdf"
        path.write_bytes(data)
        reader = PdfReader(path)
        assert not reader.attachments, snippet
        assert b"TOP-SECRET-CANARY" not in data, snippet
        assert b"EmbeddedFile" not in data, snippet
    assert listener.connections == 0


def test_the_bundled_fonts_are_used(tmp_path: Path) -> None:
    data = PdfRenderer().render(
        "<!doctype html><html lang='fr'><body><p class='letter'>Écrit à Paris</p></body></html>"
    )
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in PdfReader(path).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts
    # the letters' bundled DejaVu Sans (renamed so that no system font can stand in for it)
    assert all("DejaVu-Sans-Reprise" in font for font in fonts), fonts
