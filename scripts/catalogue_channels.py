"""One-off migration of the platform records: `[contact]` becomes per-right `[[channels]]`.

Usage: python scripts/catalogue_channels.py [DIRECTORY]   (default: the shipped records)

Each record's single contact becomes a channel for every right the record lists, with its
addressee read from the recipient or the email (DPO, privacy team, medical records service, ...).
A medical record is asked of the establishment, never only of its DPO: where the record only has
the DPO's contact, the medical-record right gets no channel and the record says why in
`[no_channel]`. A record without any contact says why and what to do. Other lines are kept as
written. Running it twice changes nothing.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "app" / "catalogue" / "data" / "platforms"

DPO_WORDS = ("dpo", "dpd@", "délégu", "delegu", "data protection officer", "data-protection-office")
PRIVACY_WORDS = ("privacy", "rgpd", "gdpr", "donnees", "données", "protection des")
RECORDS_WORDS = ("archives médicales", "dossier médical", "dossiers médicaux")
RELATIONS_WORDS = ("relations avec les usagers", "usagers", "patients")
DIRECTOR_WORDS = ("directeur", "directrice", "direction générale")
LEGAL_WORDS = ("legal", "juridique")

CARE_CATEGORIES = ("hospital", "laboratory", "occupational")

WHY_NONE = "Aucune adresse pour ces demandes n'a été trouvée dans les documents lus."
WHY_DPO_ONLY = (
    "Les documents lus donnent le contact du délégué à la protection des données, "
    "pas l'adresse où demander le dossier médical."
)
DO_CARE = (
    "Écrivez au directeur de l'établissement, à l'adresse qui figure sur vos comptes rendus, "
    "convocations ou factures, par lettre recommandée avec accusé de réception."
)
DO_OTHER = (
    "Cherchez « données personnelles » ou « DPO » dans la politique de confidentialité de son "
    "site ou de son application, ou demandez l'adresse à son service client ; à défaut, écrivez "
    "au siège social indiqué dans ses mentions légales."
)


def addressee(contact: dict[str, Any]) -> str:
    """To whom the old contact was meant, read from its recipient and email."""
    postal = contact.get("postal") or {}
    text = " ".join([postal.get("recipient") or "", contact.get("email") or ""]).casefold()
    for words, name in (
        (DPO_WORDS, "dpo"),
        (RECORDS_WORDS, "medical-records"),
        (RELATIONS_WORDS, "patient-relations"),
        (DIRECTOR_WORDS, "director"),
        (PRIVACY_WORDS, "privacy-team"),
        (LEGAL_WORDS, "legal"),
    ):
        if any(word in text for word in words):
            return name
    return "organisation"


def channels_for(record: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, str] | None]:
    """The channels and, where some right is left without one, the reason."""
    contact = record.get("contact") or {}
    rights = list(record.get("rights") or [record["recommended_right"]])
    care = any(category in CARE_CATEGORIES for category in record["categories"])
    what_to_do = DO_CARE if care else DO_OTHER
    if not contact:
        return [], {"why": WHY_NONE, "what_to_do": what_to_do}
    to = addressee(contact)
    postal = contact.get("postal") or {}
    # A contact named for privacy requests, or an address the privacy policy gives (not a head
    # office's read elsewhere), is meant for them; a support email or a head office is not.
    for_privacy = to in {"dpo", "privacy-team", "medical-records"} or (
        bool(postal) and not postal.get("head_office")
    )
    base = {"to": to, "for_privacy": for_privacy, **contact}
    if "medical-record" not in rights or to in {"medical-records", "patient-relations"}:
        return [{"rights": rights, **base}], None
    if to in {"dpo", "privacy-team"} or not postal:
        others = [right for right in rights if right != "medical-record"]
        channels = [{"rights": others, **base}] if others else []
        return channels, {"why": WHY_DPO_ONLY, "what_to_do": DO_CARE}
    # The establishment's own address (often its head office): the director receives it.
    director = {**base, "to": "director", "for_privacy": not postal.get("head_office")}
    return [{"rights": rights, **director}], None


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def render(channels: list[dict[str, Any]], no_channel: dict[str, str] | None) -> str:
    blocks: list[str] = []
    order = ("rights", "to", "for_privacy", "email", "email_source", "web_form", "web_form_source")
    for channel in channels:
        lines = ["[[channels]]"]
        lines += [f"{key} = {_value(channel[key])}" for key in order if key in channel]
        if "postal" in channel:
            lines.append("")
            lines.append("[channels.postal]")
            lines += [f"{key} = {_value(value)}" for key, value in channel["postal"].items()]
        blocks.append("\n".join(lines))
    if no_channel:
        lines = ["[no_channel]"] + [f"{key} = {_value(value)}" for key, value in no_channel.items()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


SECTION_RE = re.compile(r"^\[", re.MULTILINE)


def migrate_text(text: str) -> str:
    """The record's text with its contact turned into channels (unchanged if already done)."""
    record = tomllib.loads(text)
    if "channels" in record or "no_channel" in record:
        return text
    channels, no_channel = channels_for(record)
    starts = [match.start() for match in SECTION_RE.finditer(text)]
    head = text[: starts[0]] if starts else text
    sections = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    kept = [section for section in sections if not section.startswith(("[contact]", "[contact."))]
    new = render(channels, no_channel)
    parts = [head.rstrip("\n") + "\n"]
    if new:
        parts.append("\n" + new + "\n")
    for section in kept:
        parts.append("\n" + section.strip("\n") + "\n")
    return "".join(parts)


def main(argv: list[str]) -> int:
    directory = Path(argv[0]) if argv else DATA_DIR
    changed = 0
    for path in sorted(directory.glob("*.toml")):
        old = path.read_text(encoding="utf-8")
        new = migrate_text(old)
        if new != old:
            path.write_text(new, encoding="utf-8")
            changed += 1
    print(f"{changed} record(s) migrated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
