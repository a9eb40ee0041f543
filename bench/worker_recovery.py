"""Crash recovery of generation: a `pullit worker` holding jobs is SIGKILLed, a second one takes over.

    uv run python bench/worker_recovery.py                  # lease 30 s, poll 2 s, model 20 s, 4 sets
    uv run python bench/worker_recovery.py --lease 300      # the lease before heartbeats, for comparison

Uses a fresh MariaDB database, bench/slow_gemini.py as the model and two `pullit worker`
processes. The first worker is killed just after it renewed its leases (the worst moment:
a whole lease left to run), the second is started at once. Reports, from the kill: when every
job was claimed again, and when every set was COMPLETE (claim + one model call).
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support import fake_gemini  # noqa: E402
from tests.support.polling import eventually  # noqa: E402
from tests.support.services import fresh_mariadb_database  # noqa: E402
from tests.support.slow_gemini import SlowGemini  # noqa: E402
from tests.support.worker_cluster import QUESTIONS, Cluster, worker_cluster  # noqa: E402

from pullit_adapters.sql.mapping import start_mappers  # noqa: E402
from pullit_adapters.sql.migrate import upgrade  # noqa: E402
from pullit_domain.model.question_set import QuestionSetStatus  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "pdf"


async def measure(cluster: Cluster, sets: int, limit: float) -> tuple[float, float]:
    doomed = cluster.start_worker()
    ids = [await cluster.pending_set(FIXTURES) for _ in range(sets)]

    async def leases() -> list[object]:
        return [(await cluster.job_of(i)).lease_expires_at for i in ids]

    await eventually(lambda: _all(leases()), limit, "every job leased by the first worker")
    first = await leases()

    async def renewed() -> bool:
        return await leases() != first

    await eventually(renewed, limit, "a lease renewal")
    doomed.send_signal(signal.SIGKILL)
    doomed.wait(10)
    killed_at = time.monotonic()
    cluster.start_worker()

    async def claimed_again() -> bool:
        return all([(await cluster.job_of(i)).attempts >= 2 for i in ids])

    await eventually(claimed_again, limit, "every job claimed again")
    reclaimed = time.monotonic() - killed_at

    async def complete() -> bool:
        return all([(await cluster.outcome(i))[0] is QuestionSetStatus.COMPLETE for i in ids])

    await eventually(complete, limit, "every set COMPLETE")
    done = time.monotonic() - killed_at
    outcomes = [await cluster.outcome(i) for i in ids]
    assert outcomes == [(QuestionSetStatus.COMPLETE, QUESTIONS, 1, 2)] * sets, outcomes
    return reclaimed, done


async def _all(values: object) -> bool:
    return all(await values)  # type: ignore[misc]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lease", type=float, default=30.0)
    parser.add_argument("--poll", type=float, default=2.0)
    parser.add_argument("--latency", type=float, default=20.0)
    parser.add_argument("--sets", type=int, default=4)
    args = parser.parse_args()
    if args.latency <= args.lease / 3:
        parser.error("--latency must exceed a third of --lease, so the kill lands mid-call after a renewal")
    start_mappers()
    limit = 3 * args.lease + args.latency + 60
    with fresh_mariadb_database() as url, SlowGemini(args.latency, QUESTIONS) as gemini:
        upgrade(url)
        overrides = {
            "database_url": url,
            "gemini_api_key": fake_gemini.API_KEY,
            "gemini_base_url": gemini.base_url,
            "worker_poll_seconds": str(args.poll),
            "generation_lease_seconds": str(args.lease),
            "worker_concurrency": str(args.sets),
        }
        async for cluster in worker_cluster(Path(tempfile.mkdtemp(prefix="pullit-recovery-")), overrides):
            reclaimed, done = await measure(cluster, args.sets, limit)
    print(
        f"lease {args.lease:g} s, poll {args.poll:g} s, model call {args.latency:g} s, {args.sets} sets: "
        f"claimed again {reclaimed:.1f} s and all COMPLETE {done:.1f} s after the kill "
        f"(bound: lease + poll + model call = {args.lease + args.poll + args.latency:g} s)"
    )


if __name__ == "__main__":
    asyncio.run(main())
