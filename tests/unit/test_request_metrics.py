"""The request series an operator scrapes: the same names, labels and histogram in both modes.

One process keeps them in plain counters read by a collector at scrape time; with
``PROMETHEUS_MULTIPROC_DIR`` set they go to prometheus_client's files, which every worker
process writes and one scrape adds up.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from prometheus_client import CollectorRegistry, generate_latest

from pullit_web.http.metrics import RequestCollector
from tests.support.prometheus import parse, value

ROUTE = {"method": "GET", "path": "/api/question-set/{set_id}", "app_name": "pullit"}


def test_requests_are_exposed_as_counts_cumulative_buckets_and_errors() -> None:
    collector = RequestCollector()
    registry = CollectorRegistry()
    registry.register(collector)
    series = collector.of("GET", ROUTE["path"])
    for status, seconds in ((200, 0.003), (200, 0.2), (500, 3.0)):
        series.started()
        series.finished(status, seconds)
    series.started()  # one still in progress

    found = parse(generate_latest(registry).decode())
    ok, failed = {**ROUTE, "status_code": "200"}, {**ROUTE, "status_code": "500"}
    assert value(found, "pullit_http_requests_total", **ok) == 2
    assert value(found, "pullit_http_requests_total", **failed) == 1
    assert value(found, "pullit_http_requests_error_total", **failed) == 1
    assert ("pullit_http_requests_error_total", tuple(sorted(ok.items()))) not in found
    duration = "pullit_http_request_duration_seconds_bucket"
    assert [value(found, duration, **ok, le=le) for le in ("0.005", "0.1", "0.25", "+Inf")] == [1, 1, 2, 2]
    assert value(found, duration, **failed, le="2.5") == 0
    assert value(found, duration, **failed, le="5.0") == 1
    assert abs(value(found, "pullit_http_request_duration_seconds_sum", **ok) - 0.203) < 1e-9
    assert value(found, "pullit_http_requests_in_progress", **{**ROUTE, "status_code": "200"}) == 1


SHARED = """
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from pullit_web.http.metrics import request_series
series = request_series().of("GET", "/api/question-set/{set_id}")
series.started()
series.finished(404, 0.02)
registry = CollectorRegistry()
MultiProcessCollector(registry)
print(generate_latest(registry).decode())
"""


def test_with_a_multiprocess_directory_the_series_go_to_the_shared_files(tmp_path: Path) -> None:
    environ = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    run = subprocess.run([sys.executable, "-c", SHARED], env=environ, capture_output=True, text=True, check=True)

    found = parse(run.stdout)
    missing = {**ROUTE, "status_code": "404"}
    assert value(found, "pullit_http_requests_total", **missing) == 1
    assert value(found, "pullit_http_request_duration_seconds_bucket", **missing, le="0.025") == 1
    assert value(found, "pullit_http_request_duration_seconds_bucket", **missing, le="0.01") == 0
    assert list(tmp_path.glob("*.db"))  # written to the files the other workers' scrapes read
