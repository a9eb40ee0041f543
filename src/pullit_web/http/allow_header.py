"""``OPTIONS`` answers the full ``Allow`` list of a path.

Litestar's automatic ``OPTIONS`` handler keeps the ``Allow`` list of the first route made for a
path, so a path whose handlers were registered in separate routes lost methods. The header is
rewritten from the methods of the path's final route. (The document's integer bounds are made
exact where they are declared: ``pullit_web.http.ids``.)
"""

from __future__ import annotations

from litestar import Litestar
from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.routes import HTTPRoute
from litestar.types import Message, Receive, Scope, Send


def allowed_methods(app: Litestar) -> dict[str, str]:
    """``Allow`` of every path (keyed like ``scope["path_template"]``), from its final route."""
    return {route.path_format: ", ".join(sorted(route.methods)) for route in app.routes if isinstance(route, HTTPRoute)}


def full_allow_on_options(app: Litestar) -> None:
    """Put the path's full method list on automatic ``OPTIONS`` answers.

    A wrapper entered by ``OPTIONS`` requests only, rather than a ``before_send`` hook, which
    Litestar would call for every message of every request.
    """
    allow = allowed_methods(app)
    inner = app.asgi_handler

    async def with_full_allow(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "OPTIONS":
            await inner(scope, receive, send)
            return

        async def send_fixed(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableScopeHeaders.from_message(message)
                full = allow.get(scope.get("path_template", ""))
                if full is not None and "allow" in headers:
                    headers["Allow"] = full
            await send(message)

        await inner(scope, receive, send_fixed)

    app.asgi_handler = with_full_allow
