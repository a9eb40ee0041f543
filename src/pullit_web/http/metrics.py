"""``GET /metrics``: request latency and counts by route, plus the domain metrics of pullit_adapters.metrics.

Paths are labelled by their route template (``/api/question-set/{set_id:int}``), never the raw
path, so the number of series stays bounded and no id appears. Every process exposes its own
counters: scrape each uvicorn worker (or set ``PROMETHEUS_MULTIPROC_DIR``, which the controller
honours, to aggregate them).

``pullit_web.http.telemetry`` observes every request into these series. The series names and
labels are those of Litestar's ``PrometheusMiddleware``.
"""

from __future__ import annotations

import functools
import os
from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import Any, Generic, NamedTuple, TypeVar

from litestar.plugins.prometheus import PrometheusController
from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.utils import floatToGoString

import pullit_adapters.metrics  # noqa: F401 - registers the domain metrics, so they show from the first scrape

METRICS_PATH = "/metrics"
APP_NAME = "pullit"
LABELS = ("method", "path", "status_code", "app_name")
REQUESTS = "pullit_http_requests"
ERRORS = "pullit_http_requests_error"
DURATION = "pullit_http_request_duration_seconds"
IN_PROGRESS = "pullit_http_requests_in_progress"
S = TypeVar("S")
BUCKETS = Histogram.DEFAULT_BUCKETS
BUCKET_LABELS: tuple[str, ...] = tuple(floatToGoString(b) for b in BUCKETS)  # type: ignore[no-untyped-call]

# Open streams are an HTTP concern, so the shell owns this gauge; the domain's metrics live in the adapters.
sse_connections = Gauge(
    "pullit_sse_connections",
    "Server-Sent Event streams open on this process",
    multiprocess_mode="livesum",
)


class MetricsController(PrometheusController):
    path = METRICS_PATH
    include_in_schema = False


class StatusTally:
    """Requests of one route that ended with one status: a count, a latency sum and histogram buckets."""

    __slots__ = ("buckets", "count", "seconds")

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0
        self.buckets = [0] * len(BUCKETS)


class RouteSeries:
    """What one process saw of one (method, route template) pair, in plain integers.

    prometheus_client takes a lock on every update (five a request) and walks the bucket list in
    Python; the event loop is one thread, so these counters need neither, and the
    collector below turns them into the same series when ``/metrics`` is scraped.
    """

    __slots__ = ("done", "in_progress", "method", "path")

    def __init__(self, method: str, path: str) -> None:
        self.method, self.path = method, path
        self.in_progress = 0
        self.done: dict[int, StatusTally] = {}

    def started(self) -> None:
        self.in_progress += 1

    def finished(self, status: int, seconds: float) -> None:
        self.in_progress -= 1
        tally = self.done.get(status)
        if tally is None:
            tally = self.done[status] = StatusTally()
        tally.count += 1
        tally.seconds += seconds
        tally.buckets[bisect_left(BUCKETS, seconds)] += 1


class SeriesByRoute(Generic[S]):
    """One series object per (method, route template), made on first use."""

    def __init__(self, make: Callable[[str, str], S]) -> None:
        self._make = make
        self.series: dict[tuple[str, str], S] = {}

    def of(self, method: str, path: str) -> S:
        series = self.series.get((method, path))
        if series is None:
            series = self.series[(method, path)] = self._make(method, path)
        return series


class RequestCollector(SeriesByRoute[RouteSeries]):
    """Exposes every ``RouteSeries`` of this process as the four request series."""

    def __init__(self) -> None:
        super().__init__(RouteSeries)

    def collect(self) -> Iterator[Metric]:
        requests = CounterMetricFamily(REQUESTS, "Total requests", labels=LABELS)
        errors = CounterMetricFamily(ERRORS, "Total errors in requests", labels=LABELS)
        duration = HistogramMetricFamily(DURATION, "Request duration, in seconds", labels=LABELS)
        # Litestar's middleware labels the in-progress gauge with status 200, before any status is known.
        in_progress = GaugeMetricFamily(IN_PROGRESS, "Total requests currently in progress", labels=LABELS)
        for series in list(self.series.values()):
            in_progress.add_metric([series.method, series.path, "200", APP_NAME], series.in_progress)
            for status, tally in list(series.done.items()):
                labels = [series.method, series.path, str(status), APP_NAME]
                requests.add_metric(labels, tally.count)
                if status >= 500:
                    errors.add_metric(labels, tally.count)
                cumulative, buckets = 0, []
                for bound, count in zip(BUCKET_LABELS, tally.buckets, strict=True):
                    cumulative += count
                    buckets.append((bound, cumulative))
                duration.add_metric(labels, buckets, tally.seconds)
        yield from (requests, errors, duration, in_progress)

    def describe(self) -> Iterator[Metric]:
        # Without it the registry calls collect() when registering, to learn the names.
        return iter(())


class SharedMetrics(NamedTuple):
    requests: Counter
    errors: Counter
    duration: Histogram
    in_progress: Gauge


@functools.cache
def shared_metrics() -> SharedMetrics:
    """The request series as prometheus_client objects, made once, in multiprocess mode only
    (otherwise their names would clash with ``RequestCollector``'s)."""
    return SharedMetrics(
        Counter(REQUESTS + "_total", "Total requests", LABELS),
        Counter(ERRORS + "_total", "Total errors in requests", LABELS),
        Histogram(DURATION, "Request duration, in seconds", LABELS),
        Gauge(IN_PROGRESS, "Total requests currently in progress", LABELS, multiprocess_mode="livesum"),
    )


class SharedRouteSeries:
    """The same series kept in prometheus_client's objects, whose multiprocess files
    ``PROMETHEUS_MULTIPROC_DIR`` aggregates across worker processes."""

    __slots__ = ("_done", "_in_progress", "method", "path")

    def __init__(self, method: str, path: str) -> None:
        self.method, self.path = method, path
        self._in_progress = shared_metrics().in_progress.labels(method, path, "200", APP_NAME)
        self._done: dict[int, tuple[Any, Any, Any]] = {}

    def started(self) -> None:
        self._in_progress.inc()

    def finished(self, status: int, seconds: float) -> None:
        self._in_progress.dec()
        children = self._done.get(status)
        if children is None:
            metrics = shared_metrics()
            labels = (self.method, self.path, str(status), APP_NAME)
            error = metrics.errors.labels(*labels) if status >= 500 else None
            children = self._done[status] = (metrics.requests.labels(*labels), metrics.duration.labels(*labels), error)
        count, duration_child, error_child = children
        count.inc()
        duration_child.observe(seconds)
        if error_child is not None:
            error_child.inc()


# prometheus_client picks its multiprocess files at import, from the same variable.
RequestSeries = SeriesByRoute[RouteSeries] | SeriesByRoute[SharedRouteSeries]
_REQUEST_SERIES: RequestSeries
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _REQUEST_SERIES = SeriesByRoute(SharedRouteSeries)
else:
    _REQUEST_SERIES = RequestCollector()
    REGISTRY.register(_REQUEST_SERIES)


def request_series() -> RequestSeries:
    """The process's request series: plain counters, or prometheus_client's multiprocess files when set."""
    return _REQUEST_SERIES
