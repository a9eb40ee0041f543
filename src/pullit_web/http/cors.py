"""CORS by Litestar's own middleware, entered only by requests that carry an ``Origin``.

Litestar's ``CORSMiddleware`` parses every request's headers to look for ``Origin``. Requests
without one (same-origin GETs, probes, server-to-server calls) get nothing from it, yet paid a
header parse on every route, the health probe's largest single cost after the access line. A
scan of the raw header list decides, and answers and headers stay Litestar's.
"""

from __future__ import annotations

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.middleware._internal.cors import CORSMiddleware
from litestar.types import Receive, Scope, Send

from pullit_web.http.raw_headers import raw_header


def cors_only_with_origin(app: Litestar) -> None:
    cors = app.asgi_handler
    if not isinstance(cors, CORSMiddleware):
        return  # no CORS configured, or Litestar wraps its handler differently: leave it as it is
    inner = cors.app

    async def gated(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and raw_header(scope, b"origin") is not None:
            await cors(scope, receive, send)
        else:
            await inner(scope, receive, send)

    app.asgi_handler = gated
