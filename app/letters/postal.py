"""French postal addresses: the postal code of a town line (pure; shared by the addressees and
the deadline timing, which need it to tell an Alsace-Moselle holder)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from app.catalogue.text import fold

# A French town line: five digits, then the town ("67091 Strasbourg Cedex"), at the end of the
# address; the country line, when it is France, may follow it.
_TOWN_LINE = re.compile(r"(?:^|[\s,])(?:F-)?(\d{5})\s+[^\d\s,]")
_FRANCE = {"france", "fr"}


def french_postal_code(address_lines: Sequence[str]) -> str | None:
    """The postal code of a French address (its town line, last or before "FRANCE"), if any.

    An address ending with another country's name is not French: no code, whatever its digits.
    """
    lines = [line.strip() for line in address_lines if line and line.strip()]
    if lines and fold(lines[-1]) in _FRANCE:
        lines = lines[:-1]
    if not lines:
        return None
    found = _TOWN_LINE.findall(lines[-1])
    return found[-1] if found else None
