"""Comparing French text the way a reader sees it."""

NO_BREAK_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " "})


def plain(text: str) -> str:
    """French typography puts no-break spaces before : ; ! ? »; compare them as spaces."""
    return text.translate(NO_BREAK_SPACES)


def page_text(html_page: str) -> str:
    """A page's text as a reader sees it: tags dropped, entities and no-break spaces undone."""
    import html
    import re

    text = plain(html.unescape(re.sub(r"<[^>]+>", " ", html_page)))
    return re.sub(r"\s+", " ", text)


def flat(text: str) -> str:
    """The text on one line, every run of spaces (no-break ones too) as one space."""
    return " ".join(text.split())
