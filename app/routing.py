"""Routers that tell at once which requests they cannot answer.

FastAPI (0.165) finds a request's route by asking every included router in turn, and each one
tries every route it holds: about 2 microseconds a route, 120 routes, so up to 200 us before a
late route is found (40 % of a JSON API request). A `Router` knows the first path segment of each
of its routes, and answers "no match" without looking further when the request's first segment is
none of them. It changes nothing else: a route whose path starts with a parameter opens the router
to every path. (FastAPI's own fix, skipping an included router whose prefix cannot match, is
proposed upstream: fastapi/fastapi#16159.)
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cached_property, wraps
from typing import Any

from fastapi import APIRouter
from fastapi.routing import iter_route_contexts
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Scope

from app.db import END_IN_ROUTE_THREAD


def first_segment(path: str) -> str:
    """'lettres' for '/lettres/identite', '' for '/'."""
    return path.lstrip("/").split("/", 1)[0]


def route_path(scope: Scope) -> str:
    """The path the routes see (the part after the application's root path, if any)."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root) and path[len(root) : len(root) + 1] in {"", "/"}:
        return path[len(root) :] or "/"
    return path


class Router(APIRouter):
    """An APIRouter that skips the requests none of its routes can answer. The segments are read
    from its routes (those of the routers it includes too) at the first request."""

    def segments(self) -> frozenset[str] | None:
        """The first segments of the routes' paths; None when a route is open to any path."""
        return self._segments

    @cached_property
    def _segments(self) -> frozenset[str] | None:
        found = set()
        for context in iter_route_contexts(self.routes):
            head = first_segment(context.path or "")
            if context.path is None or "{" in head:
                return None  # a route whose first segment is a parameter: any path may match
            found.add(head)
        return frozenset(found)

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().add_api_route(path, ended_in_its_thread(endpoint), **kwargs)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        segments = self.segments()
        if segments is not None and first_segment(route_path(scope)) not in segments:
            return Match.NONE, {}
        return super().matches(scope)


def ended_in_its_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """A plain-function route, made to end its request's database session (commit, or roll back
    when the commit fails) in the worker thread it runs in, once it has returned a response,
    instead of in another worker thread afterwards: one hand-off fewer between the event loop
    and the threads, on every request that used the database. A route returning anything but a
    response is left as it is (its answer is serialised after it returns, and a failure there
    must still roll back), as are coroutines and generators."""
    if inspect.iscoroutinefunction(endpoint) or inspect.isgeneratorfunction(endpoint):
        return endpoint

    @wraps(endpoint)
    def route(*args: Any, **kwargs: Any) -> Any:
        answer = endpoint(*args, **kwargs)
        if isinstance(answer, Response):
            for value in kwargs.values():
                info = getattr(value, "info", None)  # a database session's
                end = info.get(END_IN_ROUTE_THREAD) if isinstance(info, dict) else None
                if end is not None:
                    end()
        return answer

    return route
