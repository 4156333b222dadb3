"""The `reprise` command, run as users run it."""

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.commands import reprise
from tests.support.texts import plain


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
    assert marker in plain(out.read_text(encoding="utf-8"))


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


CLI_FLAGS: dict[str, list[str]] = {
    "access": [],
    "erasure": ["--ground", "unlawful", "--keep-account"],
    "objection": ["--purpose", "research", "--purpose", "prospecting"],
    "rectification": [
        "--options",
        '{"corrections": [{"current": "Dupond", "corrected": "Dupont"}]}',
    ],
    "portability": ["--options", '{"transmit_to": "Clinique du Parc"}'],
    "medical-record": ["--addressee", "practitioner", "--delivery", "on-site"],
    "reminder": ["--request-date", "2026-01-05", "--received", "2026-01-07", "--channel", "post"],
    "incomplete-answer": ["--received", "2026-01-07", "--missing", "copy", "--missing", "hds"],
    "complaint-file": ["--request-date", "2026-01-05", "--reminder-date", "2026-02-10"],
    "cada-referral": ["--request-date", "2026-01-05", "--refusal-date", "2026-02-01"],
    "mandate": ["--agent-name", "Jeanne Dupont", "--right", "access", "--answers-to", "agent"],
}
CLI_TEXT: dict[str, str] = {
    "access": "article 15",
    "erasure": "(article 17, paragraphe 1, d)",
    "objection": "article 21, paragraphes 2 et 3",
    "rectification": "« Dupond » est inexact",
    "portability": "Clinique du Parc",
    "medical-record": "consulter ces documents sur place",
    "reminder": "Vous l'avez reçue le 7 janvier 2026",
    "incomplete-answer": "la copie de mes données personnelles (article 15, paragraphe 3)",
    "complaint-file": "10 février 2026 : j'envoie une relance",
    "cada-referral": "Par une décision du 1er février 2026",
    "mandate": "donne mandat à Jeanne Dupont",
}


@pytest.mark.parametrize("kind", list(CLI_FLAGS))
@pytest.mark.parametrize("fmt", ["pdf", "txt", "eml"])
def test_every_kind_in_every_format(
    identity_file: Path, tmp_path: Path, kind: str, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main

    out = tmp_path / f"lettre.{fmt}"
    code = main(
        [
            "letter",
            "--kind",
            kind,
            "--platform",
            "doctolib",
            "--identity",
            str(identity_file),
            "--out",
            str(out),
            "--format",
            fmt,
            "--date",
            "2026-03-05",
            *CLI_FLAGS[kind],
        ]
    )
    assert code == 0, capsys.readouterr().err
    data = out.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF-")
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(out), "-"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    elif fmt == "eml":
        import email
        from email import policy

        message = email.message_from_bytes(data, policy=policy.default)
        text = message.get_body().get_content()  # type: ignore[union-attr]
    else:
        text = data.decode()
    assert CLI_TEXT[kind] in " ".join(text.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--kind", "erasure", "--missing", "copy"], "--missing does not apply to --kind erasure"),
        (["--kind", "access", "--agent-name", "X"], "--agent-* does not apply"),
        (["--kind", "access", "--options", "{nope"], "not valid JSON"),
        (["--kind", "access", "--options", '{"colour": "red"}'], "options.colour"),
        (["--kind", "mandate", "--start", "2026-05-01", "--end", "2026-04-01"], "options"),
    ],
)
def test_letter_options_errors_are_named(
    identity_file: Path,
    tmp_path: Path,
    args: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from app.cli import main

    out = tmp_path / "x.pdf"
    base = ["letter", "--platform", "doctolib", "--identity", str(identity_file), "--out", str(out)]
    assert main(base + args) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_letter_to_an_organisation_from_a_file(
    identity_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main

    recipient = tmp_path / "clinique.json"
    recipient.write_text(
        json.dumps({"name": "Clinique du Parc", "address_lines": ["1 rue du Parc", "69006 Lyon"]}),
        encoding="utf-8",
    )
    out = tmp_path / "lettre.txt"
    code = main(
        [
            "letter",
            "--kind",
            "medical-record",
            "--recipient-file",
            str(recipient),
            "--identity",
            str(identity_file),
            "--out",
            str(out),
            "--format",
            "txt",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert "Clinique du Parc\nÀ l'attention de la direction" in out.read_text(encoding="utf-8")


def test_pack_command_writes_a_pdf_or_a_zip(identity_file: Path, tmp_path: Path) -> None:
    items = tmp_path / "items.json"
    items.write_text(
        json.dumps(
            [
                {"platform": "doctolib", "kind": "access"},
                {"platform": "withings", "kind": "erasure"},
            ]
        ),
        encoding="utf-8",
    )
    for name, magic in (("lot.pdf", b"%PDF-"), ("lot.zip", b"PK")):
        result = reprise(
            "pack",
            "--identity",
            str(identity_file),
            "--items",
            str(items),
            "--out",
            str(tmp_path / name),
        )
        assert result.returncode == 0, result.stderr
        assert (tmp_path / name).read_bytes().startswith(magic)
    items.write_text(json.dumps([{"platform": "doctolib", "kind": "nope"}]), encoding="utf-8")
    result = reprise(
        "pack",
        "--identity",
        str(identity_file),
        "--items",
        str(items),
        "--out",
        str(tmp_path / "x.pdf"),
    )
    assert result.returncode == 2
    assert "items.0" in result.stderr
