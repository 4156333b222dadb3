"""The platform catalogue: shipped records valid and sourced; the validator catches bad ones."""

import tomllib
from pathlib import Path
from typing import Any

import pytest

from app.catalogue.loader import DATA_DIR, get_catalogue, load_directory
from app.catalogue.schema import siren_is_valid
from app.catalogue.search import fold, search_platforms

GOOD: dict[str, Any] = tomllib.loads((DATA_DIR / "doctolib.toml").read_text(encoding="utf-8"))


def test_shipped_catalogue_is_valid() -> None:
    result = load_directory()
    assert result.problems == []
    assert len(result.platforms) >= 5


def test_at_least_five_records_have_sourced_contacts() -> None:
    sourced = [
        platform
        for platform in get_catalogue().platforms
        if not platform.contact.empty and platform.quality != "unverified"
    ]
    assert len(sourced) >= 5
    for platform in sourced:
        for key in platform.contact.source_keys():
            source = platform.sources[key]
            assert source.url.startswith(("https://", "http://"))
            assert source.seen


def _write(directory: Path, record: dict[str, Any], name: str | None = None) -> None:
    lines: list[str] = []

    def emit(table: dict[str, Any], prefix: str = "") -> None:
        scalars = {k: v for k, v in table.items() if not isinstance(v, dict)}
        tables = {k: v for k, v in table.items() if isinstance(v, dict)}
        if prefix:
            lines.append(f"[{prefix}]")
        for key, value in scalars.items():
            lines.append(f"{key} = {_toml(value)}")
        for key, value in tables.items():
            emit(value, f"{prefix}.{key}" if prefix else key)

    emit(record)
    (directory / f"{name or record['slug']}.toml").write_text("\n".join(lines), encoding="utf-8")


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _with(change: dict[str, Any]) -> dict[str, Any]:
    record: dict[str, Any] = {**GOOD}
    for dotted, value in change.items():
        target = record
        *path, last = dotted.split(".")
        for part in path:
            target[part] = dict(target[part])
            target = target[part]
        if value is None:
            target.pop(last, None)
        else:
            target[last] = value
    return record


def test_the_good_record_round_trips(tmp_path: Path) -> None:
    _write(tmp_path, GOOD)
    assert load_directory(tmp_path).problems == []


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"contact.email": "not-an-email"}, "contact.email", "valid email"),
        ({"contact.email_source": "nowhere"}, "(record)", "undefined sources"),
        ({"contact.email_source": None}, "contact", "email needs email_source"),
        ({"quality": "unverified"}, "(record)", "quality"),
        ({"sources.policy.kind": "secondary"}, "(record)", "quality"),
        ({"sources.policy.url": "ftp://example.org"}, "sources.policy.url", "URL"),
        ({"sources.policy.dated": "2025/08"}, "sources.policy.dated", "YYYY-MM"),
        ({"categories": ["casino"]}, "categories.0", ""),
        ({"slug": "Doctolib!"}, "slug", "lowercase"),
        ({"siren": "123456789"}, "siren", "SIREN"),
        ({"role_note": None}, "(record)", "role_note"),
        ({"contact.postal.postal_code": "9230"}, "contact.postal", "five-digit"),
        ({"domains": ["https://doctolib.fr"]}, "domains", "domain"),
        ({"surprise": "field"}, "surprise", ""),
    ],
)
def test_invalid_records_are_reported_with_file_and_field(
    tmp_path: Path, change: dict[str, Any], field: str, message: str
) -> None:
    _write(tmp_path, _with(change), name="doctolib")
    problems = load_directory(tmp_path).problems
    assert problems, "the invalid record was accepted"
    assert any(
        p.file == "doctolib.toml" and p.field == field and message in p.message for p in problems
    ), problems


def test_duplicates_and_misnamed_files_are_reported(tmp_path: Path) -> None:
    _write(tmp_path, GOOD)
    _write(tmp_path, GOOD, name="doctolib-copy")
    problems = [str(problem) for problem in load_directory(tmp_path).problems]
    assert any("must match the file name" in p for p in problems)
    assert any("duplicate" in p for p in problems)


@pytest.mark.parametrize(
    ("siren", "valid"),
    [
        ("794598813", True),
        ("552100554", True),
        ("356000000", True),
        ("794598814", False),
        ("12345678", False),
        ("abcdefghi", False),
    ],
)
def test_siren_check(siren: str, valid: bool) -> None:
    assert siren_is_valid(siren) is valid


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("Doctolib", "doctolib"),
        ("doctolib.fr", "doctolib"),
        ("DOCTO", "doctolib"),
        ("withings", "withings"),
        ("mondocteur", "doctolib"),
    ],
)
def test_search_finds_by_name_alias_and_domain(query: str, slug: str) -> None:
    assert slug in [platform.slug for platform in search_platforms(get_catalogue(), query)]


def test_fold_removes_accents_case_and_punctuation() -> None:
    assert fold("Hôpital-Européen  Georges") == "hopital europeen georges"
