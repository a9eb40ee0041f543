"""Structured logs, one JSON object a line, each stamped with the request id
(``pullit_web.http.telemetry`` sets it and writes the access line).

Records are formatted and written off the event loop, in batches (``log_writer.BatchWriter``).
"""

from __future__ import annotations

import atexit
import logging
import sys
import time
from contextvars import ContextVar
from typing import Any

import msgspec

from pullit_web.http.log_writer import BatchWriter

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
ACCESS_LOGGER, ACCESS_MESSAGE = "pullit.access", "request"
access_log = logging.getLogger(ACCESS_LOGGER)


class AccessLine(msgspec.Struct):
    """An access line as ``JsonFormatter`` writes the record of one, field for field."""

    time: str
    level: str
    logger: str
    message: str
    requestId: str
    method: str
    path: str
    status: int
    ms: float


class JsonFormatter(logging.Formatter):
    # An access line per request: the timestamp is formatted once a second, not per record.
    _second = -1
    _stamp = ""

    def _time(self, created: float) -> str:
        second = int(created)
        if second != self._second:
            self._second, self._stamp = second, time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(created))
        return self._stamp

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self._time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if (rid := _request_id_of(record)) is not None:
            entry["requestId"] = rid
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        # msgspec writes UTF-8 as is, like ensure_ascii=False, in a tenth of json.dumps's time.
        return msgspec.json.encode(entry, enc_hook=str).decode()

    def access_line(self, rid: str, method: str, path: str, status: int, ms: float, created: float) -> str:
        """What ``format`` writes for the record ``log_access`` makes, without making it."""
        line = AccessLine(self._time(created), "INFO", ACCESS_LOGGER, ACCESS_MESSAGE, rid, method, path, status, ms)
        return msgspec.json.encode(line).decode()


class TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        rid = _request_id_of(record)
        fields = " ".join(f"{k}={v}" for k, v in getattr(record, "fields", {}).items())
        line = f"{record.levelname:<7} {record.name} {rid or '-'} {record.getMessage()} {fields}".rstrip()
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def _request_id_of(record: logging.LogRecord) -> str | None:
    # Stamped on the loop by _stamp_request_id; a handler on the loop itself reads the context.
    stamped: str | None = getattr(record, "request_id", None)
    return stamped if stamped is not None else request_id.get()


def _stamp_request_id(record: logging.LogRecord) -> None:
    # A deferred record (the access line) is built on the writer's thread with its id already on it.
    if "request_id" not in record.__dict__:
        record.request_id = request_id.get()


def log_access(rid: str, method: str, path: str, status: int, ms: float) -> None:
    """The access line of one request: ``pullit.access``, message ``request``, its fields on ``record.fields``.

    Its record is built on the writer's thread (``BatchWriter.defer``), so it reaches handlers up
    to one batch interval later; ``flush()`` hands over what is waiting now.
    """
    if not access_log.isEnabledFor(logging.INFO):
        return
    if _writer is None:
        _log_access(rid, method, path, status, ms, time.time())
    else:
        _writer.defer(_log_access, rid, method, path, status, ms, time.time())


def _log_access(rid: str, method: str, path: str, status: int, ms: float, created: float) -> str | None:
    """Hand the access record to its logger, or, when the writer alone would hear it, return its line.

    Only the path, never the query string: OAuth codes and states travel there.
    """
    formatter = _writer.formatter if _writer is not None else None
    if isinstance(formatter, JsonFormatter) and _only_the_writer_hears_access():
        # The same line the record would become, without a LogRecord and the trip through logging.
        return formatter.access_line(rid, method, path, status, ms, created)
    # makeRecord + handle is Logger.info without the caller lookup (a stack walk per request).
    record = access_log.makeRecord(ACCESS_LOGGER, logging.INFO, "", 0, ACCESS_MESSAGE, (), None)
    record.created, record.msecs = created, (created - int(created)) * 1000
    record.request_id = rid
    record.fields = {"method": method, "path": path, "status": status, "ms": ms}
    access_log.handle(record)
    return None


def _only_the_writer_hears_access() -> bool:
    """Whether the writer is the one handler, and no filter, between ``pullit.access`` and the root.

    Anything else listening (a test's capture, a handler an embedding application added) gets
    the record as usual.
    """
    heard_by: list[logging.Handler] = []
    logger: logging.Logger | None = access_log
    while logger is not None:
        if logger.filters:
            return False
        heard_by.extend(logger.handlers)
        logger = logger.parent if logger.propagate else None
    return _writer is not None and heard_by == [_writer] and not _writer.filters


def flush() -> None:
    """Hand every waiting record to its handlers and write them out, from the calling thread."""
    if _writer is not None:
        _writer.flush()


_writer: BatchWriter | None = None


def _close_writer() -> None:
    """Write out what is waiting and stop the writer thread."""
    global _writer
    if _writer is not None:
        _writer.close()
        _writer = None


atexit.register(_close_writer)


def configure_logging(level: str, fmt: str) -> None:
    global _writer
    _close_writer()
    _writer = BatchWriter(sys.stderr, _stamp_request_id)
    _writer.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    # Neither formatter prints them; LogRecord would look them up for every record.
    logging.logThreads = logging.logProcesses = logging.logMultiprocessing = False
    root = logging.getLogger()
    root.handlers[:] = [_writer]
    root.setLevel(level)
    # uvicorn's own access log would repeat ours, with query strings that may carry codes.
    logging.getLogger("uvicorn.access").disabled = True
    # httpx logs every URL it calls at INFO; presigned and OAuth URLs must not reach the logs.
    for chatty in ("httpx", "httpcore", "botocore", "aiobotocore"):
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
