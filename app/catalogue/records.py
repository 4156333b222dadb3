"""Writing platform records back as TOML, for the scripts that import or migrate them."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from pydantic import ValidationError

from app.catalogue.schema import Platform

# The order of a record's tables in its file.
TABLE_ORDER = ("channels", "no_channel", "eu_representative", "hosting", "sources")


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, date):
        return f'"{value.isoformat()}"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    # JSON's escapes (\\, \", \n, \uXXXX) are TOML's too.
    return json.dumps(str(value), ensure_ascii=False)


def _is_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(i, dict) for i in value)


def dump_record(record: dict[str, Any]) -> str:
    """A record as TOML: its keys first, then its tables and arrays of tables, in order."""
    blocks: list[str] = []

    def emit(table: dict[str, Any], name: str, array: bool) -> None:
        lines = [f"[[{name}]]" if array else f"[{name}]"] if name else []
        nested: list[tuple[str, Any]] = []
        for key, value in table.items():
            if value is None:
                continue
            if isinstance(value, dict) or _is_tables(value):
                nested.append((key, value))
            else:
                lines.append(f"{key} = {toml_value(value)}")
        blocks.append("\n".join(lines))
        nested.sort(key=lambda pair: TABLE_ORDER.index(pair[0]) if pair[0] in TABLE_ORDER else 0)
        for key, value in nested:
            full = f"{name}.{key}" if name else key
            if isinstance(value, dict) and key == "sources" and not name:
                for source_key, source in value.items():
                    emit(source, f"sources.{source_key}", False)
            elif isinstance(value, dict):
                emit(value, full, False)
            else:
                for item in value:
                    emit(item, full, True)

    emit(record, "", False)
    return "\n\n".join(block for block in blocks if block) + "\n"


def with_expected_quality(record: dict[str, Any]) -> dict[str, Any]:
    """The record with the quality its contacts' sources allow (the record must be valid)."""
    errors: list[str] = []
    for quality in ("verified", "secondary", "unverified"):
        candidate = {**record, "quality": quality}
        try:
            Platform.model_validate(candidate)
        except ValidationError as exc:
            errors = [str(error["msg"]) for error in exc.errors()]
            continue
        return candidate
    raise ValueError(f"{record.get('slug')}: not a valid record: {'; '.join(errors)}")
