"""The loop ``pullit serve`` runs on takes a burst of new connections at once (pullit_web.bootstrap.server_loop).

Counted in loop iterations, not seconds: under load an iteration lasts as long as the work that
became ready, so a connection left for a later iteration waits that long for its first answer.
"""

from __future__ import annotations

import asyncio
import errno
import socket
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

import pytest
import uvloop

from pullit_web.bootstrap import server_loop
from pullit_web.bootstrap.server_loop import GreedyAcceptLoop

BURST = 40


class Counted(asyncio.Protocol):
    made: list[asyncio.BaseTransport]

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.made.append(transport)


@contextmanager
def clients(port: int, count: int) -> Iterator[list[socket.socket]]:
    """``count`` connected clients; the kernel completes their handshakes before any accept."""
    with ExitStack() as stack:
        yield [stack.enter_context(socket.create_connection(("127.0.0.1", port))) for _ in range(count)]


async def iterations_until_all_accepted(count: int, protocol: type[Counted]) -> int:
    server = await asyncio.get_running_loop().create_server(protocol, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with clients(port, count):
            for iteration in range(1, 10 * count):
                await asyncio.sleep(0)
                if len(protocol.made) == count:
                    return iteration
            raise AssertionError(f"{len(protocol.made)} of {count} connections accepted")
    finally:
        server.close()
        await server.wait_closed()


def run_on(loop: asyncio.AbstractEventLoop, count: int) -> int:
    class Protocol(Counted):
        made: list[asyncio.BaseTransport] = []

    try:
        return loop.run_until_complete(iterations_until_all_accepted(count, Protocol))
    finally:
        loop.close()


def test_a_burst_of_new_connections_is_accepted_within_a_few_iterations() -> None:
    iterations = run_on(GreedyAcceptLoop(), BURST)
    assert iterations <= 5
    # What it replaces: libuv takes one connection per iteration.
    assert run_on(uvloop.Loop(), BURST) >= BURST


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_accepted_connections_carry_data_both_ways(host: str) -> None:
    async def echo_once() -> bytes:
        server = await asyncio.get_running_loop().create_server(Echo, host, 0)
        port = server.sockets[0].getsockname()[1]
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"ping")
            await writer.drain()
            answer = await reader.readexactly(4)
            writer.close()
            await writer.wait_closed()
            return answer
        finally:
            server.close()
            await server.wait_closed()

    class Echo(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport: Any = transport  # uvloop's transports are not asyncio.Transport subclasses
            sock = transport.get_extra_info("socket")
            assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1

        def data_received(self, data: bytes) -> None:
            self.transport.write(data.upper())

    loop = GreedyAcceptLoop()
    try:
        assert loop.run_until_complete(echo_once()) == b"PING"
    finally:
        loop.close()


def test_a_closed_server_accepts_no_more() -> None:
    async def refused_after_close() -> None:
        server = await asyncio.get_running_loop().create_server(asyncio.Protocol, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        assert not server.is_serving()
        with pytest.raises(ConnectionRefusedError):
            await asyncio.open_connection("127.0.0.1", port)

    loop = GreedyAcceptLoop()
    try:
        loop.run_until_complete(refused_after_close())
    finally:
        loop.close()


class OutOfDescriptorsOnce(socket.socket):
    """A listening socket whose first accept fails as when the process has no descriptor left."""

    failed = False

    def accept(self) -> tuple[socket.socket, Any]:
        if not OutOfDescriptorsOnce.failed:
            OutOfDescriptorsOnce.failed = True
            raise OSError(errno.EMFILE, "Too many open files")
        return super().accept()


def test_running_out_of_descriptors_pauses_accepting_then_resumes(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(server_loop, "ACCEPT_RETRY_SECONDS", 0.05)
    monkeypatch.setattr(OutOfDescriptorsOnce, "failed", False)

    async def accepted_after_the_pause() -> bool:
        made = asyncio.Event()

        class Noted(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                made.set()

        listening = OutOfDescriptorsOnce(socket.AF_INET, socket.SOCK_STREAM)
        listening.bind(("127.0.0.1", 0))
        server = await asyncio.get_running_loop().create_server(Noted, sock=listening)
        try:
            with clients(listening.getsockname()[1], 1):
                await asyncio.wait_for(made.wait(), timeout=10)
            return server.is_serving()
        finally:
            server.close()
            await server.wait_closed()

    loop = GreedyAcceptLoop()
    try:
        assert loop.run_until_complete(accepted_after_the_pause())
    finally:
        loop.close()
    assert OutOfDescriptorsOnce.failed
    assert "accepting paused" in caplog.text
