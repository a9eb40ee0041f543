"""``OPTIONS`` answers the full ``Allow`` list of a path.

Litestar's automatic ``OPTIONS`` handler keeps the ``Allow`` list of the first route made for a
path, so a path whose handlers were registered in separate routes lost methods. The header is
rewritten from the methods of the path's final route. (The document's integer bounds are made
exact where they are declared: ``pullit_web.ids``.)
"""

from __future__ import annotations

from typing import Any

from litestar import Litestar
from litestar.datastructures import MutableScopeHeaders
from litestar.routes import HTTPRoute
from litestar.types import Message, Scope


def allowed_methods(app: Litestar) -> dict[str, str]:
    """``Allow`` of every path (keyed like ``scope["path_template"]``), from its final route."""
    return {route.path_format: ", ".join(sorted(route.methods)) for route in app.routes if isinstance(route, HTTPRoute)}


def allow_header_fixer(allow: dict[str, str]) -> Any:
    """A ``before_send`` hook that puts the path's full method list on automatic OPTIONS answers."""

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start" or scope.get("method") != "OPTIONS":
            return
        headers = MutableScopeHeaders.from_message(message)
        full = allow.get(scope.get("path_template", ""))
        if full is not None and "allow" in headers:
            headers["Allow"] = full

    return before_send
