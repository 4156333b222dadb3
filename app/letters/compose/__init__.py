"""Letter composition: who writes, to whom, which right -> the letter's content (pure).

Each module here composes the content of some kinds; app.letters.kinds names the function of
each kind, and app.letters.assembly puts the content into a letter.
"""

from __future__ import annotations

from app.letters.compose.common import Helper, Request, recipient_from_platform

__all__ = ["Helper", "Request", "recipient_from_platform"]
