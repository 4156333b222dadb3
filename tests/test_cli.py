"""The `reprise` command, run as users run it."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest


def reprise(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture
def identity_file(tmp_path: Path, identity_data: dict[str, Any]) -> Path:
    path = tmp_path / "identity.json"
    path.write_text(json.dumps(identity_data), encoding="utf-8")
    return path


def test_letter_as_pdf(identity_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "lettre.pdf"
    result = reprise(
        "letter",
        "--kind",
        "erasure",
        "--platform",
        "doctolib",
        "--identity",
        str(identity_file),
        "--out",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Marie Dupont" in text
    assert "article 17" in text


@pytest.mark.parametrize(
    ("fmt", "marker"), [("txt", "Objet : demande d'effacement"), ("eml", "Subject: ")]
)
def test_letter_as_text_and_email(
    identity_file: Path, tmp_path: Path, fmt: str, marker: str
) -> None:
    out = tmp_path / f"lettre.{fmt}"
    result = reprise(
        "letter",
        "--kind",
        "erasure",
        "--platform",
        "doctolib",
        "--identity",
        str(identity_file),
        "--out",
        str(out),
        "--format",
        fmt,
    )
    assert result.returncode == 0, result.stderr
    assert marker in out.read_text(encoding="utf-8")


def test_letter_refuses_a_bad_identity_file_naming_the_field(tmp_path: Path) -> None:
    path = tmp_path / "identity.json"
    path.write_text(json.dumps({"given_name": "Marie"}), encoding="utf-8")
    result = reprise(
        "letter",
        "--kind",
        "erasure",
        "--platform",
        "doctolib",
        "--identity",
        str(path),
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert result.returncode == 2
    assert "family_name" in result.stderr
    assert "postal_address" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_letter_refuses_an_unknown_platform(identity_file: Path, tmp_path: Path) -> None:
    result = reprise(
        "letter",
        "--kind",
        "erasure",
        "--platform",
        "nope",
        "--identity",
        str(identity_file),
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert result.returncode == 2
    assert "catalogue" in result.stderr


def test_catalogue_commands() -> None:
    check = reprise("catalogue", "check")
    assert check.returncode == 0
    assert "all valid" in check.stdout
    listing = json.loads(reprise("catalogue", "list", "--json").stdout)
    assert {"doctolib", "withings"} <= {record["slug"] for record in listing}
    found = json.loads(reprise("catalogue", "search", "doctolib.fr", "--json").stdout)
    assert [record["slug"] for record in found] == ["doctolib"]
