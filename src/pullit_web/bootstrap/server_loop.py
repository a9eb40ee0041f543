"""The event loop ``pullit serve`` runs on: uvloop, taking every waiting connection at once.

libuv accepts one connection each time the listening socket is reported ready, that is, one per
loop iteration (libuv/libuv#3696). Under load an iteration runs as long as the work of every
request that became ready (20-30 ms on 2 cores at 64 clients), so the 64th of a burst of new
connections waited 64 iterations for its first answer: 0.4-0.9 s, the p99 of every light route
in a short wrk run. Python's own loop accepts everything waiting at once, but fanned an event out
to 10,000 open SSE streams hundreds of times slower than uvloop (docs/performance.md, "uvloop's
accept, and the p99 of the light routes").

So the listening sockets are watched here (``add_reader``): each readiness accepts every waiting
connection, up to the backlog as asyncio does, and hands each to uvloop
(``connect_accepted_socket``), which runs it as it runs the ones it accepts itself. TLS listeners,
which ``pullit serve`` never opens (nginx terminates TLS), stay uvloop's own. Several workers
on one socket (``PULLIT_WORKERS``) each watch it; the first awake takes a burst, as with asyncio.

uvicorn takes this loop as a custom ``--loop``: ``uvicorn_loop(settings.event_loop)``.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
from collections.abc import Callable, Iterable
from typing import Any

import uvloop

from pullit_web.settings import EventLoop

log = logging.getLogger("pullit.server")

# Errors after which accepting pauses for a moment, as asyncio's own loop does: out of descriptors
# or memory, retrying at once would spin.
PAUSING_ERRORS = frozenset({errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM})
ACCEPT_RETRY_SECONDS = 1.0


def uvicorn_loop(name: EventLoop) -> str:
    """uvicorn's ``loop`` for a ``PULLIT_EVENT_LOOP`` value."""
    return f"{__name__}:GreedyAcceptLoop" if name == "uvloop" else "asyncio"


class GreedyAcceptLoop(uvloop.Loop):
    async def create_server(  # type: ignore[override]
        self,
        protocol_factory: Callable[[], asyncio.BaseProtocol],
        host: str | None = None,
        port: int | None = None,
        *,
        sock: socket.socket | None = None,
        backlog: int = 100,
        ssl: Any = None,
        reuse_address: bool | None = None,
        reuse_port: bool | None = None,
        start_serving: bool = True,
        **options: Any,
    ) -> asyncio.AbstractServer:
        if ssl is not None:
            uvloop_own: Any = super().create_server  # its overloads name every combination
            server: asyncio.AbstractServer = await uvloop_own(
                protocol_factory,
                host,
                port,
                sock=sock,
                backlog=backlog,
                ssl=ssl,
                reuse_address=reuse_address,
                reuse_port=reuse_port,
                start_serving=start_serving,
                **options,
            )
            return server
        sockets = [sock] if sock is not None else await self._bind(host, port, reuse_port)
        for listening in sockets:
            listening.setblocking(False)
            listening.listen(backlog)
        server = GreedyAcceptServer(self, sockets, protocol_factory, backlog)
        if start_serving:
            await server.start_serving()
        return server

    async def _bind(self, host: str | None, port: int | None, reuse_port: bool | None) -> list[socket.socket]:
        """A listening socket per address ``host`` names (every interface when empty), as asyncio binds."""
        infos = await self.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        sockets: list[socket.socket] = []
        try:
            for family, kind, proto, _name, address in dict.fromkeys(infos):
                listening = socket.socket(family, kind, proto)
                sockets.append(listening)
                listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if reuse_port:
                    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                if family == socket.AF_INET6:
                    # One socket per family, as asyncio does; the IPv4 one takes IPv4.
                    listening.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                listening.bind(address)
        except BaseException:
            for listening in sockets:
                listening.close()
            raise
        return sockets


class GreedyAcceptServer(asyncio.AbstractServer):
    def __init__(
        self,
        loop: GreedyAcceptLoop,
        sockets: Iterable[socket.socket],
        protocol_factory: Callable[[], asyncio.BaseProtocol],
        backlog: int,
    ) -> None:
        self._loop = loop
        self._sockets = tuple(sockets)
        self._protocol_factory = protocol_factory
        self._backlog = backlog
        self._serving = False
        self._closed = asyncio.Event()
        # The hand-overs under way, kept from the collector until each connection is running.
        self._handing_over: set[asyncio.Task[Any]] = set()

    @property
    def sockets(self) -> tuple[socket.socket, ...]:
        return self._sockets

    def get_loop(self) -> asyncio.AbstractEventLoop:
        return self._loop

    def is_serving(self) -> bool:
        return self._serving

    async def start_serving(self) -> None:
        self._start_accepting()

    async def serve_forever(self) -> None:
        await self.start_serving()
        await self._closed.wait()

    def close(self) -> None:
        if self._closed.is_set():
            return
        self._stop_accepting()
        for listening in self._sockets:
            listening.close()
        self._closed.set()

    async def wait_closed(self) -> None:
        await self._closed.wait()

    def _start_accepting(self) -> None:
        if not self._serving and not self._closed.is_set():
            self._serving = True
            for listening in self._sockets:
                self._loop.add_reader(listening.fileno(), self._accept_waiting, listening)

    def _stop_accepting(self) -> None:
        self._serving = False
        for listening in self._sockets:
            if listening.fileno() != -1:
                self._loop.remove_reader(listening.fileno())

    def _accept_waiting(self, listening: socket.socket) -> None:
        for _ in range(self._backlog):
            try:
                connection, _address = listening.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue  # the client gave up while waiting: the next one may be there
            except OSError as error:
                if error.errno not in PAUSING_ERRORS:
                    raise
                log.warning("accepting paused for %.0f s: %s", ACCEPT_RETRY_SECONDS, error)
                self._stop_accepting()
                self._loop.call_later(ACCEPT_RETRY_SECONDS, self._start_accepting)
                return
            if connection.family in (socket.AF_INET, socket.AF_INET6):
                # As uvloop and asyncio set it on the connections they accept: no Nagle delay on small answers.
                with contextlib.suppress(OSError):
                    connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            task = self._loop.create_task(self._loop.connect_accepted_socket(self._protocol_factory, connection))
            self._handing_over.add(task)
            task.add_done_callback(self._handed_over)

    def _handed_over(self, task: asyncio.Task[Any]) -> None:
        self._handing_over.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.warning("a connection could not be set up: %s", error)
