"""The outermost layer of every HTTP request: its id, its access line and its metrics, in one pass.

It wraps Litestar's whole ASGI handler rather than sitting in the ``middleware`` list. Route
middleware runs inside Litestar's app-level exception handling, so a 401 from the
authentication middleware, a 429 from the rate limits or a 404 for an unknown path were
answered past it: no ``X-Request-ID``, no access line, and the metrics counted a 200. Out here
every response passes through one ``send`` wrapper, whichever layer wrote it.

The route template labels the metrics (``/api/question-set/{set_id}``, never the raw path, so
series stay bounded and no id appears). It is looked up through Litestar's own routing cache
before the request goes in, so the in-progress gauge has its route too, and Litestar's lookup
right after is a cache hit; a path that is its own template (``/api/health``) finds its series
in one dict lookup.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils import normalize_path

from pullit_web.http.logs import log_access, request_id
from pullit_web.http.metrics import METRICS_PATH, RequestSeries, RouteSeries, SharedRouteSeries, request_series
from pullit_web.http.raw_headers import raw_header

# Requests no route answers (404, 405) share one label value, so a scan of random paths adds no series.
UNMATCHED = "<unmatched>"
Routing = Callable[..., tuple[Any, ...]]


def _new_request_id() -> str:
    # Correlation, not a secret: the process's seeded generator, no system call per request.
    return f"{random.getrandbits(128):032x}"


def _incoming_request_id(scope: Scope) -> str | None:
    value = raw_header(scope, b"x-request-id")
    if value is None:
        return None
    incoming = value.decode("latin-1")
    return incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else None


class RequestTelemetry:
    def __init__(self, app: ASGIApp, routing: Routing, series: RequestSeries) -> None:
        self._app = app
        self._routing = routing
        self._series = series
        # Series of paths that are their own route template (no parameters): bounded by the routes.
        self._static: dict[tuple[str, str], RouteSeries | SharedRouteSeries] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await self._app(scope, receive, send)
            return
        rid = _incoming_request_id(scope) or _new_request_id()
        header = (b"x-request-id", rid.encode("latin-1"))
        token = request_id.set(rid)
        method: str = scope["method"]
        path: str = scope["path"]
        series = None if path == METRICS_PATH else self._series_of(method, path, scope)
        started = time.perf_counter()
        finished = 0.0
        status = 500

        async def send_observed(message: Message) -> None:
            nonlocal status, finished
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", ()), header]
            elif not message.get("more_body", False) and message["type"] == "http.response.body":
                finished = time.perf_counter()
            await send(message)

        if series is not None:
            series.started()
        try:
            await self._app(scope, receive, send_observed)
        finally:
            seconds = (finished or time.perf_counter()) - started
            if series is not None:
                series.finished(status, seconds)
            log_access(rid, method, path, status, round(seconds * 1000, 1))
            request_id.reset(token)

    def _series_of(self, method: str, path: str, scope: Scope) -> RouteSeries | SharedRouteSeries:
        series = self._static.get((method, path))
        if series is None:
            template = self._template(method, scope)
            series = self._series.of(method, template)
            if template == path:
                self._static[(method, path)] = series
        return series

    def _template(self, method: str, scope: Scope) -> str:
        path: str = scope["path"]
        if root_path := scope.get("root_path", ""):
            path = path.split(root_path, maxsplit=1)[-1]
        try:
            found = self._routing(path=normalize_path(path), method=method)
        except Exception:  # noqa: BLE001 - no route: Litestar answers 404 or 405 itself
            return UNMATCHED
        template: str = found[-1]
        return template


def request_telemetry(app: ASGIApp, routing: Routing) -> RequestTelemetry:
    return RequestTelemetry(app, routing, request_series())
