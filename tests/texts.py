"""Comparing French text the way a reader sees it."""

NO_BREAK_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def plain(text: str) -> str:
    """French typography puts no-break spaces before : ; ! ? »; compare them as spaces."""
    return text.translate(NO_BREAK_SPACES)
