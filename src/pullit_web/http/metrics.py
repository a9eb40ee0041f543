"""``GET /metrics``: request latency and counts by route, plus the domain metrics of pullit_adapters.metrics.

Paths are labelled by their route template (``/api/question-set/{set_id:int}``), never the raw
path, so the number of series stays bounded and no id appears. Every process exposes its own
counters: scrape each uvicorn worker (or set ``PROMETHEUS_MULTIPROC_DIR``, which the controller
honours, to aggregate them).

``pullit_web.http.telemetry`` observes every request into these series.
"""

from __future__ import annotations

from typing import Any

from litestar.plugins.prometheus import PrometheusController
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


class RouteSeries:
    """The series children of one (method, route template) pair, bound on first use.

    Litestar's ``PrometheusMiddleware``, whose series names and labels these keep, builds a
    ``Request``, a label dict and four ``labels()`` lookups (each under a lock) per request.
    """

    __slots__ = ("_done", "in_progress", "method", "path")

    def __init__(self, method: str, path: str) -> None:
        self.method, self.path = method, path
        # Litestar's middleware labels the in-progress gauge with status 200, before any status is known.
        self.in_progress = IN_PROGRESS.labels(method, path, "200", APP_NAME)
        self._done: dict[int, tuple[Any, Any, Any]] = {}

    def observe(self, status: int, seconds: float) -> None:
        children = self._done.get(status)
        if children is None:
            labels = (self.method, self.path, str(status), APP_NAME)
            error = ERRORS.labels(*labels) if status >= 500 else None
            children = self._done[status] = (REQUESTS.labels(*labels), DURATION.labels(*labels), error)
        count, duration, error = children
        count.inc()
        duration.observe(seconds)
        if error is not None:
            error.inc()
