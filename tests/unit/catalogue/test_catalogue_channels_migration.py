"""The one-off migration of records from one contact to per-right channels."""

import tomllib
from pathlib import Path
from types import ModuleType

from app.catalogue.loader import load_directory
from tests.support.scriptload import load_script


def _script() -> ModuleType:
    return load_script("catalogue_channels")


HEAD = """slug = "{slug}"
name = "{name}"
categories = ["{category}"]
country = "FR"
summary = "Un organisme."
role = "controller"
recommended_right = "{right}"
recommended_reason = "Parce que."
rights = {rights}
quality = "secondary"
"""
SOURCE = """
[sources.policy]
url = "https://example.org/confidentialite"
title = "Politique de confidentialité"
kind = "secondary"
seen = "2026-11-28"
"""


def _record(slug: str, category: str, rights: list[str], contact: str) -> str:
    rights_toml = "[" + ", ".join(f'"{right}"' for right in rights) + "]"
    head = HEAD.format(
        slug=slug, name=slug.title(), category=category, right=rights[0], rights=rights_toml
    )
    return head + contact + SOURCE


def test_contacts_become_channels_and_a_dpo_never_receives_a_medical_record_request(
    tmp_path: Path,
) -> None:
    hospital_rights = ["medical-record", "access", "objection"]
    dpo_only = '\n[contact]\nemail = "dpo@example.org"\nemail_source = "policy"\n'
    head_office = (
        '\n[contact.postal]\nlines = ["1 place de l\'Hôpital"]\npostal_code = "69002"\n'
        'city = "Lyon"\nhead_office = true\nsource = "policy"\n'
    )
    files = {
        "chu-a": _record("chu-a", "hospital", hospital_rights, dpo_only),
        "chu-b": _record("chu-b", "hospital", hospital_rights, head_office),
        "app": _record("app", "fitness", ["erasure", "access"], dpo_only),
        "none": _record("none", "insurer", ["access"], "").replace("secondary", "unverified", 1),
    }
    for slug, text in files.items():
        (tmp_path / f"{slug}.toml").write_text(text, encoding="utf-8")
    script = _script()
    assert script.main([str(tmp_path)]) == 0
    assert load_directory(tmp_path).problems == []
    records = {p.slug: p for p in load_directory(tmp_path).platforms}

    assert records["chu-a"].channel("medical-record") is None
    assert records["chu-a"].uncovered_rights == ["medical-record"]
    assert records["chu-a"].no_channel is not None
    assert "directeur" in records["chu-a"].no_channel.what_to_do
    access = records["chu-a"].channel("access")
    assert access is not None
    assert access.to == "dpo"
    assert access.for_privacy

    medical = records["chu-b"].channel("medical-record")
    assert medical is not None
    assert medical.to == "director"
    assert not medical.for_privacy
    assert records["chu-b"].recipient_lines("medical-record")[-1] == "69002 Lyon"

    assert records["app"].channel("erasure") == records["app"].channel("access")
    assert records["app"].contact.email == "dpo@example.org"
    assert records["none"].channels == []
    assert records["none"].no_channel is not None

    # A second run changes nothing.
    before = {path.name: path.read_text() for path in tmp_path.glob("*.toml")}
    script.main([str(tmp_path)])
    assert before == {path.name: path.read_text() for path in tmp_path.glob("*.toml")}
    assert "channels" in tomllib.loads(before["app.toml"])
