"""The URL map: every handler module's ``ROUTES``, plus any ``*_routes.py`` module found in the sandbox package.

A :class:`Route` ties a ``werkzeug.routing`` rule (written without the optional ``.json`` suffix) and an HTTP
method to a handler ``(forum, req, **url_values) -> Reply`` and to the contract name its replies are checked
against (``../shared/reference/discourse`` schemas; ``None`` leaves them unchecked).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

if TYPE_CHECKING:
    from cotechbot.sandbox.discourse.replies import Reply

Handler = Callable[..., "Reply"]

CORE_HANDLER_MODULES = ("posts", "topic_lists", "topics", "events", "groups", "polls", "users", "site")
EXTENSION_SUFFIX = "_routes"


@dataclass(frozen=True)
class Route:
    method: str  # GET | POST | PUT | DELETE
    rule: str  # werkzeug rule without ".json", e.g. "/posts/<int:id>"
    handler: Handler
    name: str | None = None  # contract route name, e.g. "posts.show"

    @property
    def endpoint(self) -> str:
        """``module.function`` of the handler: the key ``forum.handlers`` is indexed by."""
        return f"{self.handler.__module__.rsplit('.', 1)[-1]}.{self.handler.__name__}"


def extension_modules() -> list[str]:
    """Every module named ``*_routes`` under ``cotechbot.sandbox``, sorted by name."""
    import cotechbot.sandbox as sandbox

    found = [
        info.name
        for info in pkgutil.walk_packages(sandbox.__path__, f"{sandbox.__name__}.")
        if info.name.rsplit(".", 1)[-1].endswith(EXTENSION_SUFFIX)
    ]
    return sorted(found)


@cache
def all_routes() -> tuple[Route, ...]:
    """The core routes, then those of the extension modules (imported on first use)."""
    modules = [f"cotechbot.sandbox.discourse.handlers.{name}" for name in CORE_HANDLER_MODULES]
    routes: list[Route] = []
    for module_name in [*modules, *extension_modules()]:
        module = importlib.import_module(module_name)
        routes.extend(getattr(module, "ROUTES", ()))
    names: dict[str, str | None] = {}
    for route in routes:
        if names.setdefault(route.endpoint, route.name) != route.name:
            raise ValueError(f"handler {route.endpoint} is routed under two contract names")
    return tuple(routes)


class Router:
    """Matches a method and a path (``.json`` already stripped) to a route and its URL values."""

    def __init__(self, routes: tuple[Route, ...]) -> None:
        self.by_endpoint = {route.endpoint: route for route in routes}
        self._adapter = Map(
            [Rule(r.rule, methods=[r.method], endpoint=r.endpoint) for r in routes], merge_slashes=False
        ).bind("sandbox")

    def match(self, method: str, path: str) -> tuple[Route, dict[str, Any]] | None:
        try:
            endpoint, values = self._adapter.match(path, method=method)
        except HTTPException:  # 404, 405 and redirects alike: Discourse answers 404 for what it doesn't route
            return None
        route = self.by_endpoint[str(endpoint)]
        if route.method != method:  # werkzeug lets HEAD reach GET rules; the forum does not
            return None
        return route, dict(values)
