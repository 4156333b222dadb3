"""Translation upkeep: list messages without English, or append them to a .po file to translate.

python scripts/messages.py check            # exit 1 when a message lacks its translation
python scripts/messages.py add letters.po   # append the missing ones (empty) to that file
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.i18n import TRANSLATIONS_DIR, load_catalog  # noqa: E402

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def _directory_filter(dirpath: str) -> bool:
    """Every folder but hidden ones and caches: templates/_macros and _partials hold messages
    too (Babel's default filter skips folders whose name starts with "_")."""
    name = Path(dirpath).name
    return not name.startswith(".") and name != "__pycache__"


def extracted() -> list[tuple[str, str | tuple[str, str]]]:
    """Every message of the code and the templates: (file, message)."""
    return [
        (filename, message)
        for filename, _l, message, _c, _x in extract_from_dir(
            str(ROOT),
            METHODS,
            keywords=KEYWORDS,
            options_map=OPTIONS,
            directory_filter=_directory_filter,
        )
    ]


def missing() -> list[str | tuple[str, str]]:
    english = load_catalog("en")
    found: dict[str | tuple[str, str], None] = {}
    for _f, message in extracted():
        key = message if isinstance(message, str) else (message[0], message[1])
        msgid = key if isinstance(key, str) else key[0]
        if msgid and not english.get(msgid):
            found[key] = None
    return list(found)


def main() -> int:
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    todo = missing()
    if command == "check":
        for message in todo:
            print(message if isinstance(message, str) else message[0])
        return 1 if todo else 0
    if command == "add":
        path = TRANSLATIONS_DIR / "en" / "LC_MESSAGES" / sys.argv[2]
        catalog = read_po(path.open("rb"), locale="en") if path.exists() else Catalog(locale="en")
        for message in todo:
            catalog.add(message, "" if isinstance(message, str) else ("", ""))
        with path.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=True)
        print(f"{len(todo)} message(s) added to {path}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
