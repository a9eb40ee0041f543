"""Structured logs, one JSON object a line, each stamped with the request id.

Records are formatted and written by a ``QueueListener`` thread: the event loop only stamps the
request id on a record and puts it on a queue, so a slow stderr (a pipe to journald, a full
disk) never stalls requests.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import sys
import time
from contextvars import ContextVar
from logging.handlers import QueueHandler, QueueListener
from typing import Any

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
access_log = logging.getLogger("pullit.access")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (rid := _request_id_of(record)) is not None:
            entry["requestId"] = rid
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        rid = _request_id_of(record)
        fields = " ".join(f"{k}={v}" for k, v in getattr(record, "fields", {}).items())
        line = f"{record.levelname:<7} {record.name} {rid or '-'} {record.getMessage()} {fields}".rstrip()
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _request_id_of(record: logging.LogRecord) -> str | None:
    # Stamped on the loop by _ContextQueueHandler; a handler on the loop itself reads the context.
    stamped: str | None = getattr(record, "request_id", None)
    return stamped if stamped is not None else request_id.get()


class _ContextQueueHandler(QueueHandler):
    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        # The writer thread has no request context; the record carries what it needs. Unlike the
        # default, no formatting here: the record stays in this process, so the thread formats it.
        record.request_id = request_id.get()
        return record


_listener: QueueListener | None = None


def _stop_listener() -> None:
    """Write out what is queued and stop the writer thread."""
    global _listener
    if _listener is not None:
        _listener.stop()
        _listener = None


atexit.register(_stop_listener)


def configure_logging(level: str, fmt: str) -> None:
    global _listener
    _stop_listener()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    records: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
    _listener = QueueListener(records, handler, respect_handler_level=True)
    _listener.start()
    root = logging.getLogger()
    root.handlers[:] = [_ContextQueueHandler(records)]
    root.setLevel(level)
    # uvicorn's own access log would repeat ours, with query strings that may carry codes.
    logging.getLogger("uvicorn.access").disabled = True
    # httpx logs every URL it calls at INFO; presigned and OAuth URLs must not reach the logs.
    for chatty in ("httpx", "httpcore", "botocore", "aiobotocore"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))


def request_context(app: ASGIApp) -> ASGIApp:
    """ASGI middleware: a request id for logs and the ``X-Request-ID`` header, and one access line.

    Only the path is logged, never the query string: OAuth codes and states travel there.
    """

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        incoming = next((value for name, value in scope["headers"] if name == b"x-request-id"), b"").decode("latin-1")
        rid = incoming if 0 < len(incoming) <= 64 and incoming.isprintable() else os.urandom(16).hex()
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid.encode("latin-1"))]
            await send(message)

        try:
            await app(scope, receive, send_with_id)
        finally:
            access_log.info(
                "request",
                extra={
                    "fields": {
                        "method": scope.get("method"),
                        "path": scope["path"],
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                    }
                },
            )
            request_id.reset(token)

    return middleware
