"""Checks every HTML page a test receives (architecture.md convention 8).

One h1, a title, a lang, unique ids, every input labelled, every form with an action, every POST
form with a CSRF token, images with alt text, no resource from another site.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from fastapi.testclient import TestClient

LABELLED_INPUT_TYPES_EXEMPT = {"hidden", "submit", "button", "reset", "image"}


@dataclass
class _Form:
    method: str
    action: str | None
    has_csrf: bool = False


@dataclass
class _PageFacts:
    doctype: bool = False
    html_lang: str | None = None
    title_text: str = ""
    h1_count: int = 0
    ids: list[str] = field(default_factory=list)
    label_for: set[str] = field(default_factory=set)
    controls: list[tuple[str, str | None, bool]] = field(default_factory=list)
    forms: list[_Form] = field(default_factory=list)
    images_without_alt: int = 0
    external: list[str] = field(default_factory=list)
    inline_scripts: int = 0
    inline_styles: int = 0
    empty_links: int = 0


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.facts = _PageFacts()
        self._in_title = False
        self._label_depth = 0
        self._aria_described: set[str] = set()
        self._link_text: list[str] | None = None
        self._link_has_label = False

    def handle_decl(self, decl: str) -> None:
        if decl.lower() == "doctype html":
            self.facts.doctype = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        facts = self.facts
        if a.get("id"):
            facts.ids.append(a["id"])
        if "style" in a:
            facts.inline_styles += 1
        if tag == "html":
            facts.html_lang = a.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "h1":
            facts.h1_count += 1
        elif tag == "label":
            self._label_depth += 1
            if a.get("for"):
                facts.label_for.add(a["for"] or "")
        elif tag in {"input", "select", "textarea"}:
            kind = (a.get("type") or "text").lower() if tag == "input" else tag
            if kind not in LABELLED_INPUT_TYPES_EXEMPT:
                named = bool(a.get("aria-label") or a.get("aria-labelledby") or self._label_depth)
                facts.controls.append((kind, a.get("id"), named))
            if (
                tag == "input"
                and kind == "hidden"
                and a.get("name") == "csrf_token"
                and facts.forms
            ):
                facts.forms[-1].has_csrf = bool(a.get("value"))
        elif tag == "form":
            facts.forms.append(_Form((a.get("method") or "get").lower(), a.get("action")))
        elif tag == "img" and a.get("alt") is None:
            facts.images_without_alt += 1
        elif tag == "script":
            if a.get("src") is None:
                facts.inline_scripts += 1
        elif tag == "a":
            self._link_text = []
            self._link_has_label = bool(a.get("aria-label"))
        for name in ("src", "href", "action", "data", "poster"):
            value = a.get(name) or ""
            if value.startswith(("http://", "https://", "//")) and tag != "a":
                facts.external.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        elif tag == "label":
            self._label_depth = max(0, self._label_depth - 1)
        elif tag == "a" and self._link_text is not None:
            if not "".join(self._link_text).strip() and not self._link_has_label:
                self.facts.empty_links += 1
            self._link_text = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.facts.title_text += data
        if self._link_text is not None:
            self._link_text.append(data)


def page_problems(html: str) -> list[str]:
    """Every way `html` breaks the page rules; empty when the page is fine."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    facts = parser.facts
    problems: list[str] = []
    if not facts.doctype:
        problems.append("no <!doctype html>")
    if facts.html_lang not in {"fr", "en"}:
        problems.append(f"<html lang> is {facts.html_lang!r}")
    if not facts.title_text.strip():
        problems.append("empty or missing <title>")
    if facts.h1_count != 1:
        problems.append(f"{facts.h1_count} <h1> elements (want exactly 1)")
    duplicates = [name for name, count in Counter(facts.ids).items() if count > 1]
    if duplicates:
        problems.append(f"duplicate ids: {duplicates}")
    for kind, control_id, named in facts.controls:
        if not named and (control_id is None or control_id not in facts.label_for):
            problems.append(f"unlabelled {kind} control (id={control_id!r})")
    for form in facts.forms:
        if not form.action:
            problems.append("a form without action")
        if form.method == "post" and not form.has_csrf:
            problems.append(f"POST form to {form.action} without a CSRF token")
    if facts.images_without_alt:
        problems.append(f"{facts.images_without_alt} image(s) without alt")
    if facts.external:
        problems.append(f"resources from other sites: {facts.external}")
    if facts.inline_scripts:
        problems.append("inline <script> (the CSP forbids it)")
    if facts.inline_styles:
        problems.append("inline style attributes (the CSP forbids them)")
    if facts.empty_links:
        problems.append(f"{facts.empty_links} link(s) without text")
    return problems


class PageProblem(AssertionError):
    pass


class CheckedClient(TestClient):
    """A TestClient that fails the test as soon as it receives a page breaking the rules."""

    def request(self, method: str, url: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        response = super().request(method, url, *args, **kwargs)
        if response.headers.get("content-type", "").startswith("text/html"):
            problems = page_problems(response.text)
            if problems:
                raise PageProblem(f"{method} {url}: " + "; ".join(problems))
        return response
