"""A logging handler that formats and writes records on its own thread, in batches.

The event loop only appends the record to a deque (and the request id to the record, since
the writer thread has no request context), or, for a record it need not build itself (the
access line of every request), the few values it is made of: ``defer``. The thread wakes when a batch is full or every
``interval`` seconds, formats what is waiting and writes it in one call, so a slow stderr (a
pipe to journald, a full disk) never stalls a request. The standard library's
``QueueHandler``/``QueueListener`` pair was measured first (bench/middleware.py): its thread
wakes for every record, and at thousands of requests a second those hand-offs of the GIL cost
more than the formatting they move.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import Any, TextIO

BATCH = 256


class BatchWriter(logging.Handler):
    def __init__(self, stream: TextIO, stamp: Callable[[logging.LogRecord], None], interval: float = 0.05) -> None:
        super().__init__()
        self._stream = stream
        self._stamp = stamp
        self._interval = interval
        self._records: deque[logging.LogRecord] = deque()
        self._deferred: deque[tuple[Callable[..., str | None], tuple[Any, ...]]] = deque()
        self._wake = threading.Event()
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="pullit-log-writer", daemon=True)
        self._thread.start()

    def handle(self, record: logging.LogRecord) -> bool:
        # No handler lock on the loop: deque.append is atomic, and only the writer formats.
        if not self.filter(record):
            return False
        self._stamp(record)
        self._records.append(record)
        # Woken once as the batch fills, not again by every record after: an Event.set costs a
        # lock and a notify, and the writer itself hands records here while it drains.
        if len(self._records) == BATCH:
            self._wake.set()
        return True

    def defer(self, log: Callable[..., str | None], *args: Any) -> None:
        """Call ``log(*args)`` on the writer's thread before its next batch.

        ``log`` builds a record and hands it to its logger, so every handler (this one, a test's
        capture) still gets it, or returns the formatted line itself for this writer alone to
        write; the loop pays for a tuple instead of a ``LogRecord``.
        """
        self._deferred.append((log, args))
        if len(self._deferred) == BATCH:
            self._wake.set()

    def emit(self, record: logging.LogRecord) -> None:  # pragma: no cover - handle() queues instead
        self.handle(record)

    def _run(self) -> None:
        while not self._closing:
            self._wake.wait(self._interval)
            self._wake.clear()
            self._drain()
        self._drain()

    def _drain(self) -> None:
        lines = []
        while self._deferred:
            log, args = self._deferred.popleft()
            try:
                line = log(*args)
            except Exception:  # noqa: BLE001 - as below: one bad record must not stop the writer
                self.handleError(logging.makeLogRecord({"msg": "a deferred record failed"}))
            else:
                if line is not None:
                    lines.append(line)
        while self._records:
            record = self._records.popleft()
            try:
                lines.append(self.format(record))
            except Exception:  # noqa: BLE001 - a record that cannot be formatted must not stop the writer
                self.handleError(record)
        if lines:
            try:
                self._stream.write("\n".join(lines) + "\n")
                self._stream.flush()
            except Exception:  # noqa: BLE001 - as logging.StreamHandler: report, go on
                self.handleError(logging.makeLogRecord({"msg": "log write failed"}))

    def flush(self) -> None:
        """Write what is waiting now (from any thread)."""
        self._drain()

    def close(self) -> None:
        if not self._closing:
            self._closing = True
            self._wake.set()
            self._thread.join(timeout=5)
        super().close()
