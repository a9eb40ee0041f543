"""``GET /metrics``: request latency and counts by route, plus the domain metrics of pullit_adapters.metrics.

Paths are labelled by their route template (``/api/question-set/{set_id:int}``), never the raw
path, so the number of series stays bounded and no id appears. Every process exposes its own
counters: scrape each uvicorn worker (or set ``PROMETHEUS_MULTIPROC_DIR``, which the controller
honours, to aggregate them).
"""

from __future__ import annotations

from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from prometheus_client import Gauge

import pullit_adapters.metrics  # noqa: F401 - registers the domain metrics, so they show from the first scrape

METRICS_PATH = "/metrics"

# Open streams are an HTTP concern, so the shell owns this gauge; the domain's metrics live in the adapters.
sse_connections = Gauge(
    "pullit_sse_connections",
    "Server-Sent Event streams open on this process",
    multiprocess_mode="livesum",
)


class MetricsController(PrometheusController):
    path = METRICS_PATH
    include_in_schema = False


def request_metrics() -> PrometheusConfig:
    return PrometheusConfig(
        app_name="pullit",
        prefix="pullit_http",
        group_path=True,
        exclude=[f"^{METRICS_PATH}$"],
    )
