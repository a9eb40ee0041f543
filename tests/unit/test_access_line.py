"""The access line written without a LogRecord is the line the record would have become."""

from __future__ import annotations

import io
import json
import logging

from pullit_web.http import logs


def test_the_direct_access_line_is_the_formatted_record() -> None:
    formatter = logs.JsonFormatter()
    record = logging.LogRecord(logs.ACCESS_LOGGER, logging.INFO, "", 0, logs.ACCESS_MESSAGE, (), None)
    record.created = 1_780_000_000.25
    record.request_id = "trace-1"
    record.fields = {"method": "POST", "path": "/api/marking", "status": 201, "ms": 12.5}

    direct = formatter.access_line("trace-1", "POST", "/api/marking", 201, 12.5, 1_780_000_000.25)

    assert direct == formatter.format(record)
    assert json.loads(direct)["requestId"] == "trace-1"


def test_a_second_listener_gets_access_records_and_the_stream_the_same_line() -> None:
    stream = io.StringIO()
    logs.configure_logging("INFO", "json")
    writer = logging.getLogger().handlers[0]
    writer._stream = stream  # type: ignore[attr-defined]
    heard: list[logging.LogRecord] = []

    class Listener(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            heard.append(record)

    try:
        logs.log_access("alone", "GET", "/api/health", 200, 0.1)
        logs.flush()
        listener = Listener()
        logs.access_log.addHandler(listener)
        logs.log_access("heard", "GET", "/api/health", 200, 0.1)
        logs.flush()
        logs.access_log.removeHandler(listener)
    finally:
        logs.configure_logging("INFO", "text")

    alone, heard_line = (json.loads(line) for line in stream.getvalue().splitlines())
    assert {k: alone[k] for k in ("logger", "message", "requestId", "path", "status")} == {
        "logger": "pullit.access",
        "message": "request",
        "requestId": "alone",
        "path": "/api/health",
        "status": 200,
    }
    assert heard_line["requestId"] == "heard"
    assert [(r.request_id, r.fields["path"]) for r in heard] == [("heard", "/api/health")]  # type: ignore[attr-defined]
