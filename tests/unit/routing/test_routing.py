"""app.routing.Router skips the requests none of its routes can answer, and changes nothing else:
every route of the application is found for its own paths exactly as when every route is tried
in turn, 405 and 404 included."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts
from hypothesis import given
from hypothesis import strategies as st
from starlette.routing import Match

from app.main import create_app
from app.routing import Router, first_segment, route_path

APP = create_app()
METHODS = ("GET", "POST", "PUT", "DELETE")


def scope(path: str, method: str = "GET", root_path: str = "") -> dict[str, Any]:
    return {
        "type": "http",
        "path": path,
        "method": method,
        "root_path": root_path,
        "headers": [],
        "query_string": b"",
        "app": APP,
    }


def found(path: str, method: str) -> tuple[str, int | None]:
    """What the application's routing decides: the first route (router) of the application that
    answers FULL, else the first that answers PARTIAL (405), else none (404)."""
    request = scope(path, method)
    partial = None
    for index, route in enumerate(APP.router.routes):
        match, _child = route.matches(request)
        if match == Match.FULL:
            return "full", index
        if match == Match.PARTIAL and partial is None:
            partial = ("partial", index)
    return partial or ("none", None)


def reference(path: str, method: str) -> tuple[str, int | None]:
    """The same decision with every route of every router tried in turn, none skipped."""
    partial = None
    for index, route in enumerate(APP.router.routes):
        for context in iter_route_contexts([route]):
            if context.path is None or not re.match(_regex(context.path), path):
                continue
            if not context.methods or method in context.methods:
                return "full", index
            if partial is None:
                partial = ("partial", index)
    return partial or ("none", None)


def _regex(template: str) -> str:
    """A route template as Starlette reads it: {name} is one segment, {name:path} the rest."""
    parts = re.split(r"(\{[^}]+\})", template)
    body = "".join(
        f"(?P<{part[1:-1].split(':')[0]}>{'.*' if ':path' in part else '[^/]+'})"
        if part.startswith("{")
        else re.escape(part)
        for part in parts
    )
    return f"^{body}$"


def example_path(template: str) -> str:
    return re.sub(r"\{[^}]+\}", "00000000-0000-4000-8000-000000000000", template)


ROUTES = sorted(
    {
        (context.path, method)
        for context in iter_route_contexts(APP.router.routes)
        if context.path and context.methods
        for method in context.methods
        if method != "HEAD"
    }
)


def test_every_router_of_the_application_skips_what_it_cannot_answer() -> None:
    routers = [
        route.original_router for route in APP.router.routes if hasattr(route, "original_router")
    ]
    assert routers
    assert all(isinstance(router, Router) for router in routers)
    # Every router knows its segments: none has a route starting with a parameter.
    assert all(router.segments() for router in routers)


@pytest.mark.parametrize(("template", "method"), ROUTES)
def test_each_route_is_found_for_its_paths_as_if_every_route_were_tried(
    template: str, method: str
) -> None:
    path = example_path(template)
    assert found(path, method) == reference(path, method)
    assert found(path, method)[0] == "full"
    # A method the route does not take: 405 from the same route, as before.
    for other in METHODS:
        assert found(path, other) == reference(path, other)


@pytest.mark.parametrize(
    "path",
    ["/inconnu", "/lettres/inconnu/plus/loin", "/api", "/api/v2/platforms", "/suivi/x/y/z/w", ""],
)
def test_a_path_no_route_answers_is_still_not_found(path: str) -> None:
    assert found(path or "/", "GET") == reference(path or "/", "GET")


@pytest.mark.parametrize(
    ("path", "segment"),
    [("/", ""), ("/lettres", "lettres"), ("/lettres/identite", "lettres"), ("//x", "x")],
)
def test_first_segment(path: str, segment: str) -> None:
    assert first_segment(path) == segment


@pytest.mark.parametrize(
    ("path", "root", "seen"),
    [
        ("/suivi", "", "/suivi"),
        ("/reprise/suivi", "/reprise", "/suivi"),
        ("/reprise", "/reprise", "/"),
        ("/reprisesuivi", "/reprise", "/reprisesuivi"),  # not under the root path
        ("/autre/suivi", "/reprise", "/autre/suivi"),
    ],
)
def test_the_path_routes_see_under_a_root_path(path: str, root: str, seen: str) -> None:
    assert route_path(scope(path, root_path=root)) == seen


@given(
    st.lists(st.sampled_from(["suivi", "lettres", "api", "v1", "x", "", "%20", "é"]), max_size=4)
)
def test_any_path_is_answered_as_if_every_route_were_tried(segments: list[str]) -> None:
    path = "/" + "/".join(segments)
    for method in ("GET", "POST"):
        assert found(path, method) == reference(path, method)
