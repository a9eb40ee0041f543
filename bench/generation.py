"""Benchmark: 200 question sets through the generation worker against a Gemini with 1 s latency.

For each concurrency C it reports the wall time against the ideal ``200 / C x 1 s`` and the
backend's CPU time per set (this process only: the fake model runs in its own process).
Results are appended to docs/performance.md with ``--write``.

    uv run python -m bench.generation [--sets 200] [--concurrency 10 50] [--write]
    uv run python -m bench.generation --grounding   # the cost of checking quotes (bench/grounding.py)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench import grounding
from pullit_adapters.sql.mapping import start_mappers
from pullit_adapters.sql.migrate import upgrade
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.model.source import LearningSource, SourceFolder, SourceStatus, new_upload_id, object_key
from pullit_domain.use_cases.question_sets import NewQuestionSet
from pullit_web.container import Container
from pullit_web.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "pdf" / "photosynthesis.pdf"


async def run(sets: int, concurrency: int, gemini_url: str, latency: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as data_dir:
        url = f"sqlite+aiosqlite:///{data_dir}/bench.db"
        await asyncio.to_thread(upgrade, url)
        settings = load_settings(
            {
                "PULLIT_DATA_DIR": data_dir,
                "PULLIT_DATABASE_URL": url,
                "PULLIT_SECRET_KEY": "bench-secret-" + "x" * 40,
                "PULLIT_GEMINI_API_KEY": "bench-key",
                "PULLIT_GEMINI_BASE_URL": gemini_url,
                "PULLIT_WORKER_CONCURRENCY": str(concurrency),
                "PULLIT_PENDING_SETS_PER_MEMBER": str(sets),
                "PULLIT_WORKER_POLL_SECONDS": "0.5",
                "PULLIT_LOG_LEVEL": "WARNING",
            },
            env_file=Path(data_dir) / "none.env",
        )
        container = Container(settings=settings)
        start_mappers()
        member_id = await seed(container, sets)
        worker = container.generation_worker()
        cpu_before, started = time.process_time(), time.perf_counter()
        worker.start()
        worker.wake()
        while await pending(container, member_id):  # noqa: ASYNC110 - the database is what says "all settled"
            await asyncio.sleep(0.2)
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_before
        await worker.stop()
        await container.engine().dispose()
    ideal = sets / concurrency * latency
    return {"wall": wall, "ideal": ideal, "cpu_per_set_ms": cpu / sets * 1000}


async def seed(container: Container, sets: int) -> int:
    """One member with one READY source and ``sets`` PENDING sets; the member's id."""
    subject = uuid.uuid4().hex
    member = (await container.sign_up_member()(ExternalIdentity("kakao", subject, "Bench", None))).member
    assert member.id is not None
    now = container.clock().now()
    key = object_key(member.id, new_upload_id(), now)
    path = container.file_store().object_path(key)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(FIXTURE.read_bytes())
    async with container.unit_of_work() as uow:
        folder = SourceFolder(member_id=member.id, name="bench")
        await uow.sources.add_folder(folder)
        assert folder.id is not None
        source = LearningSource(
            member.id, folder.id, key, FIXTURE.name, "application/pdf", path.stat().st_size, now,
            status=SourceStatus.READY, page_count=3,
        )  # fmt: skip
        await uow.sources.add(source)
        await uow.commit()
    assert source.id is not None
    create = container.create_question_set()
    request = NewQuestionSet(member.id, [source.id], QuestionType.MULTIPLE_CHOICE, Difficulty.EASY, 5)
    for _ in range(sets):
        await create(request)
    return member.id


async def pending(container: Container, member_id: int) -> int:
    async with container.unit_of_work() as uow:
        left = await uow.question_sets.count_pending(member_id)
        if not left:
            failed = [s for s in await uow.question_sets.all(member_id) if s.status is not QuestionSetStatus.COMPLETE]
            if failed:
                raise SystemExit(f"{len(failed)} sets did not complete, e.g. {failed[0].failure_reason}")
    return left


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", type=int, default=200)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--latency", type=float, default=1.0)
    parser.add_argument("--write", action="store_true", help="append the table to docs/performance.md")
    parser.add_argument("--grounding", action="store_true", help="only measure quote verification (bench/grounding.py)")
    args = parser.parse_args()
    if args.grounding:
        print(grounding.report())
        return
    fake = subprocess.Popen(
        [sys.executable, "-m", "bench.slow_gemini", "--latency", str(args.latency)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert fake.stdout is not None
        gemini_url = f"http://127.0.0.1:{int(fake.stdout.readline())}"
        rows = []
        for concurrency in args.concurrency:
            result = asyncio.run(run(args.sets, concurrency, gemini_url, args.latency))
            rows.append(
                f"| {args.sets} | {concurrency} | {result['ideal']:.1f} s | {result['wall']:.1f} s "
                f"| {result['wall'] / result['ideal']:.2f} | {result['cpu_per_set_ms']:.1f} ms |"
            )
            print(rows[-1], flush=True)
    finally:
        fake.terminate()
        fake.wait()
    table = "\n".join(
        [
            "| sets | concurrency C | ideal 200/C x 1 s | wall time | wall / ideal | backend CPU per set |",
            "|---|---|---|---|---|---|",
            *rows,
        ]
    )
    print(table)
    if args.write:
        with (ROOT / "docs" / "performance.md").open("a") as doc:
            doc.write(f"\n### Generation run of {time.strftime('%Y-%m-%d %H:%M')}\n\n{table}\n")


if __name__ == "__main__":
    main()
