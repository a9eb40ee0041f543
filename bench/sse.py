"""SSE fan-out benchmark: many concurrent subscribers on ONE service process, against a bare floor.

    uv run python bench/sse.py                 # 5,000 connections (1,000 members x 5 tabs)
    uv run python bench/sse.py --members 2000 --tabs 5 --events 4000 --rate 800

Starts a private redis-server, then, one after the other on the same uvicorn flags:

1. the service (SQLite, Redis fan-out, relay polling off): opens the connections to
   ``GET /api/notifications/subscribe`` with a minimal raw-socket SSE client, records the events in
   the database and publishes them through Redis the way another instance's outbox relay would;
2. the floor, ``bench.floor_apps:sse_stream`` (bare Litestar, an ``asyncio.Queue`` per stream, a
   plain ``Stream`` of bytes, no auth, DI or middleware): the same number of connections for the
   same members, and the same messages published to its own channel;
3. for reference, the same floor on Litestar's own ``ServerSentEvent`` response
   (``bench.floor_apps:sse_stream_litestar``).

For each it reports the server's resident memory per open connection, the deliveries counted by
the client, and the delay from PUBLISH to the moment each subscriber has read the event
(p50/p90/p99/max); then the service's memory per stream as a multiple of each floor's.
Bounded: about 3 minutes at 10,000 connections on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import resource
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from redis.asyncio import Redis  # noqa: E402
from tests.support.live_server import LiveServer, ThrowawayRedis  # noqa: E402
from tests.support.notifications import Database, Learner, database  # noqa: E402

from pullit_adapters.clock import SystemClock  # noqa: E402
from pullit_adapters.notifier_redis import encode  # noqa: E402
from pullit_adapters.sql.migrate import upgrade  # noqa: E402
from pullit_domain.model.notification import MemberEvent, QuestionSetCompletion  # noqa: E402
from pullit_domain.use_cases.notifications import RecordNotification  # noqa: E402
from pullit_web.settings import EventLoop, Settings  # noqa: E402

BATCH = 250  # connections opened at once: below uvicorn's listen backlog of 2048


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Tally:
    """Counts deliveries and signals when the expected number has arrived."""

    def __init__(self) -> None:
        self.count = 0
        self.expected: int | None = None
        self.done = asyncio.Event()

    def add(self) -> None:
        self.count += 1
        if self.expected is not None and self.count >= self.expected:
            self.done.set()

    def expect(self, expected: int) -> None:
        self.expected = expected
        if self.count >= expected:
            self.done.set()


class Subscriber:
    """One SSE connection over a raw socket: enough HTTP/1.1 to read event ids as they arrive."""

    def __init__(self, member_id: int, request: bytes, tally: Tally) -> None:
        self.member_id = member_id
        self.request = request
        self.tally = tally
        self.ready = asyncio.Event()
        self.received: dict[int, float] = {}
        self.task: asyncio.Task[None] | None = None
        self.writer: asyncio.StreamWriter | None = None

    def start(self, port: int) -> Subscriber:
        self.task = asyncio.create_task(self.run(port))
        return self

    async def run(self, port: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 16)
        self.writer = writer
        writer.write(self.request)
        status = await reader.readline()
        if b" 200 " not in status:
            raise RuntimeError(f"subscribe failed: {status!r}")
        while (await reader.readline()) not in (b"\r\n", b""):
            pass
        while True:
            line = await reader.readline()
            if not line:
                return
            if line.startswith(b"event: handShakeComplete"):
                self.ready.set()
            elif line.startswith(b"id: ") and self.ready.is_set():  # the handshake's id comes before its name
                event_id = int(line[4:])
                if event_id not in self.received:
                    self.received[event_id] = time.perf_counter()
                    self.tally.add()

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


@dataclass
class Target:
    """A server under test and how a member subscribes to it."""

    name: str
    port: int
    pid: int
    channel: str
    request: Callable[[Learner], bytes]


def service_request(learner: Learner) -> bytes:
    return (
        "GET /api/notifications/subscribe HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n"
        f"Authorization: Bearer {learner.access_token}\r\n\r\n"
    ).encode()


def floor_request(learner: Learner) -> bytes:
    return f"GET /sse/{learner.member_id} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode()


async def record_events(db: Database, plan: list[int]) -> list[tuple[int, int]]:
    """Commit one completion per planned member (in order); returns (member_id, event id)."""
    record = RecordNotification(SystemClock())
    recorded: list[tuple[int, int]] = []
    for start in range(0, len(plan), 500):
        async with db.uow() as uow:
            for member_id in plan[start : start + 500]:
                event = await record(uow, member_id, QuestionSetCompletion.complete(len(recorded) + 1))
                recorded.append((member_id, event.id))
            await uow.commit()
    return recorded


async def measure(
    args: argparse.Namespace,
    target: Target,
    learners: list[Learner],
    events: Callable[[], Awaitable[list[tuple[int, int]]]],
    redis_url: str,
) -> tuple[dict[str, Any], list[tuple[int, int]]]:
    connections = args.members * args.tabs
    tally = Tally()
    # Warm the process up (imports, pools, first requests) before taking the baseline.
    # A member of its own, who gets no events.
    warm = Subscriber(learners[-1].member_id, target.request(learners[-1]), tally).start(target.port)
    await asyncio.wait_for(warm.ready.wait(), 10)
    baseline = rss_kib(target.pid)

    subscribers: list[Subscriber] = []
    started = time.perf_counter()
    for start in range(0, connections, BATCH):
        batch = [
            Subscriber(learner.member_id, target.request(learner), tally).start(target.port)
            for learner in (learners[index % args.members] for index in range(start, min(start + BATCH, connections)))
        ]
        await asyncio.wait_for(asyncio.gather(*(s.ready.wait() for s in batch)), 60)
        subscribers.extend(batch)
    connect_seconds = time.perf_counter() - started
    loaded = rss_kib(target.pid)

    recorded = await events()
    publisher = Redis.from_url(redis_url)
    published_at: dict[tuple[int, int], float] = {}
    interval = 1.0 / args.rate
    began = time.perf_counter()
    for number, (member_id, event_id) in enumerate(recorded):
        if (delay := began + number * interval - time.perf_counter()) > 0:
            await asyncio.sleep(delay)  # pacing the publisher, not synchronising
        data = QuestionSetCompletion.complete(number + 1).notification()
        message = encode(MemberEvent(member_id, event_id, data.name, data.data))
        published_at[(member_id, event_id)] = time.perf_counter()
        await publisher.publish(target.channel, message)
    tabs: dict[int, int] = {}
    for s in subscribers:
        tabs[s.member_id] = tabs.get(s.member_id, 0) + 1
    expected = sum(tabs.get(member_id, 0) for member_id, _ in recorded)

    tally.expect(expected)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(tally.done.wait(), 30)
    latencies = [
        (at - published_at[(s.member_id, event_id)]) * 1000
        for s in subscribers
        for event_id, at in s.received.items()
        if (s.member_id, event_id) in published_at
    ]
    await publisher.aclose()
    for s in [warm, *subscribers]:
        s.close()
    await asyncio.gather(*(s.task for s in [warm, *subscribers] if s.task), return_exceptions=True)

    quantiles = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else [0.0] * 99
    result = {
        "connectSeconds": round(connect_seconds, 2),
        "serverRssBaselineMiB": round(baseline / 1024, 1),
        "serverRssLoadedMiB": round(loaded / 1024, 1),
        "rssPerConnectionKiB": round((loaded - baseline) / connections, 1),
        "deliveriesExpected": expected,
        "deliveriesReceived": len(latencies),
        "latencyMs": {
            "p50": round(quantiles[49], 2),
            "p90": round(quantiles[89], 2),
            "p99": round(quantiles[98], 2),
            "max": round(max(latencies, default=0.0), 2),
        },
    }
    print(f"{target.name}: {json.dumps(result)}", file=sys.stderr)
    return result, recorded


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=1000)
    parser.add_argument("--tabs", type=int, default=5, help="connections per member")
    parser.add_argument("--events", type=int, default=2000, help="events published (round-robin over members)")
    parser.add_argument("--rate", type=float, default=400.0, help="events per second")
    parser.add_argument(
        "--loop",
        choices=get_args(EventLoop),
        default=Settings().event_loop,
        help="the event loop of the service and the floors (default: the service's default)",
    )
    args = parser.parse_args()
    connections = args.members * args.tabs

    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < connections + 512:
        sys.exit(f"file descriptor limit {hard} is too low for {connections} connections (ulimit -n)")

    work = Path(tempfile.mkdtemp(prefix="pullit-bench-sse-"))
    url = f"sqlite+aiosqlite:///{work / 'pullit.db'}"
    upgrade(url)
    run = uuid.uuid4().hex
    with ThrowawayRedis(work / "redis") as redis_server:
        environ = {
            "PULLIT_DATABASE_URL": url,
            "PULLIT_DATA_DIR": str(work),
            "PULLIT_REDIS_URL": redis_server.url,
            "PULLIT_REDIS_CHANNEL": f"pullit-bench:{run}",
            "PULLIT_OUTBOX_POLL_SECONDS": "3600",  # the benchmark itself plays the relay
            "PULLIT_EVENT_LOOP": args.loop,
        }
        async with database(url) as db:
            learners: list[Learner] = [await db.new_learner() for _ in range(args.members + 1)]
            plan = [learners[i % args.members].member_id for i in range(args.events)]
            with LiveServer(environ) as server:
                assert server._process is not None
                service = Target(
                    "service", server.port, server._process.pid, environ["PULLIT_REDIS_CHANNEL"], service_request
                )
                service_result, recorded = await measure(
                    args, service, learners, lambda: record_events(db, plan), redis_server.url
                )

        async def same_events() -> list[tuple[int, int]]:
            return recorded

        floors: dict[str, dict[str, Any]] = {}
        for name, app in (("floor", "sse_stream"), ("floorLitestarSse", "sse_stream_litestar")):
            floor_environ = {**environ, "PULLIT_REDIS_CHANNEL": f"pullit-bench-{name}:{run}"}
            with LiveServer(floor_environ, app=f"bench.floor_apps:{app}") as server:
                assert server._process is not None
                channel = floor_environ["PULLIT_REDIS_CHANNEL"]
                floor = Target(name, server.port, server._process.pid, channel, floor_request)
                floors[name], _ = await measure(args, floor, learners, same_events, redis_server.url)

    per_stream = service_result["rssPerConnectionKiB"]
    result = {
        "connections": connections,
        "members": args.members,
        "tabsPerMember": args.tabs,
        "events": len(recorded),
        "publishRatePerSecond": args.rate,
        "service": service_result,
        **floors,
        # The target: the service's memory per stream over the bare floor's (a plain Stream of bytes).
        "rssPerConnectionRatio": round(per_stream / floors["floor"]["rssPerConnectionKiB"], 2),
        "rssPerConnectionRatioToLitestarSse": round(per_stream / floors["floorLitestarSse"]["rssPerConnectionKiB"], 2),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    asyncio.run(main())
