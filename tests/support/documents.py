"""Reading what Reprise produces as a person's software would: PDF text through poppler."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The text of a PDF as pdftotext extracts it (a new file each call)."""
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
