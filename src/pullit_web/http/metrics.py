"""``GET /metrics``: request latency and counts by route, plus the domain metrics of pullit_adapters.metrics.

Paths are labelled by their route template (``/api/question-set/{set_id:int}``), never the raw
path, so the number of series stays bounded and no id appears. Every process exposes its own
counters: scrape each uvicorn worker (or set ``PROMETHEUS_MULTIPROC_DIR``, which the controller
honours, to aggregate them).

The series keep the names and labels of Litestar's ``PrometheusMiddleware``, which this replaces:
that one builds a ``Request``, a label dict and four label lookups (each under a lock) per
request. Here each (method, route, status) binds its label children once and reuses them.
"""

from __future__ import annotations

import time
from typing import Any, cast

from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.plugins.prometheus import PrometheusController
from litestar.types import ASGIApp, HTTPScope, Message, Receive, Scope, Send
from prometheus_client import Counter, Gauge, Histogram

import pullit_adapters.metrics  # noqa: F401 - registers the domain metrics, so they show from the first scrape

METRICS_PATH = "/metrics"
APP_NAME = "pullit"
LABELS = ("method", "path", "status_code", "app_name")

REQUESTS = Counter("pullit_http_requests_total", "Total requests", LABELS)
ERRORS = Counter("pullit_http_requests_error_total", "Total errors in requests", LABELS)
DURATION = Histogram("pullit_http_request_duration_seconds", "Request duration, in seconds", LABELS)
IN_PROGRESS = Gauge(
    "pullit_http_requests_in_progress", "Total requests currently in progress", LABELS, multiprocess_mode="livesum"
)

# Open streams are an HTTP concern, so the shell owns this gauge; the domain's metrics live in the adapters.
sse_connections = Gauge(
    "pullit_sse_connections",
    "Server-Sent Event streams open on this process",
    multiprocess_mode="livesum",
)


class MetricsController(PrometheusController):
    path = METRICS_PATH
    include_in_schema = False


class _Route:
    """The label children of one (method, route template) pair, bound on first use."""

    __slots__ = ("_done", "in_progress", "method", "path")

    def __init__(self, method: str, path: str) -> None:
        self.method, self.path = method, path
        # Litestar's middleware labels the in-progress gauge with status 200, before any status is known.
        self.in_progress = IN_PROGRESS.labels(method, path, "200", APP_NAME)
        self._done: dict[int, tuple[Any, Any, Any]] = {}

    def done(self, status: int) -> tuple[Any, Any, Any]:
        children = self._done.get(status)
        if children is None:
            labels = (self.method, self.path, str(status), APP_NAME)
            error = ERRORS.labels(*labels) if status >= 500 else None
            children = self._done[status] = (REQUESTS.labels(*labels), DURATION.labels(*labels), error)
        return children


def _is_scrape(scope: Scope) -> bool:
    return scope["path"] == METRICS_PATH


class RequestMetrics(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)
    should_bypass_for_scope = staticmethod(_is_scrape)

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], _Route] = {}

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        key = (cast("HTTPScope", scope)["method"], scope["path_template"])
        route = self._routes.get(key)
        if route is None:
            route = self._routes[key] = _Route(*key)
        started = time.perf_counter()
        status = 200
        finished = 0.0

        async def send_timed(message: Message) -> None:
            nonlocal status, finished
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                finished = time.perf_counter()
            await send(message)

        route.in_progress.inc()
        try:
            await next_app(scope, receive, send_timed)
        finally:
            route.in_progress.dec()
            count, duration, error = route.done(status)
            if error is not None:
                error.inc()
            count.inc()
            duration.observe(finished - started if finished else 0.0)


def request_metrics() -> RequestMetrics:
    return RequestMetrics()
