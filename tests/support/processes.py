"""Child processes that tests start, stop gracefully or kill like a crash."""

from __future__ import annotations

import signal
import socket
import subprocess
from types import TracebackType
from typing import Self

from tests.support.polling import wait_until

__all__ = ["ChildProcess", "free_port", "wait_until"]

START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ChildProcess:
    """A context manager around one child: ``start()`` is the subclass's, stopping is shared.

    ``stop_signal`` is how the child is asked to leave (SIGTERM, or SIGQUIT for nginx's graceful
    stop); a child that does not leave within ``stop_grace`` seconds is killed.
    """

    stop_signal = signal.SIGTERM
    stop_grace = STOP_TIMEOUT

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(self.stop_signal)
        try:
            process.wait(self.stop_grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(STOP_TIMEOUT)

    def kill(self) -> None:
        """Stop without a graceful shutdown, like a crash."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(STOP_TIMEOUT)

    def restart(self) -> None:
        self.stop()
        self.start()
