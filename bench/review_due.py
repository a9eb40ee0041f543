"""Latency and throughput of GET /api/review/due for a member with 20,000 review cards, against
GET /api/health on the same live server, in the same run, with wrk at 64 connections.

Creates a MariaDB database of its own (dropped afterwards), migrates it, seeds one member with
200 question sets of 100 questions and one review card per question (half overdue, spread over
the last 60 days; the rest due over the next 60; 5% new), starts one uvicorn worker of the
service and runs ``wrk --latency`` on each endpoint. Writes its section of docs/performance.md.

    uv run python -m bench.review_due [--cards 20000] [--seconds 15] [--connections 64] [--write]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert
from tests.support.processes import free_port

from bench.http_load import machine
from pullit_adapters.sql import tables
from pullit_adapters.sql.engine import create_engine
from pullit_adapters.sql.mapping import start_mappers
from pullit_adapters.sql.migrate import upgrade
from pullit_domain.model.member import ExternalIdentity
from pullit_domain.model.question import Difficulty, QuestionType
from pullit_domain.model.question_set import QuestionSetStatus
from pullit_domain.model.review import CardState
from pullit_web.bootstrap.container import Container
from pullit_web.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:review_due:start -->", "<!-- bench:review_due:end -->"
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
PER_SET = 100


def mariadb(sql: str) -> None:
    subprocess.run(["mariadb", "-h127.0.0.1", "-uroot", "-e", sql], check=True)


async def seed(environ: dict[str, str], cards: int) -> str:
    start_mappers()
    container = Container(settings=load_settings(environ, env_file=Path(environ["PULLIT_DATA_DIR"]) / "none.env"))
    subject = uuid.uuid4().hex
    identity = ExternalIdentity(provider="bench", subject=subject, name="Bench", email=f"{subject}@bench.test")
    member = (await container.sign_up_member()(identity)).member
    assert member.id is not None
    token: str = container.access_tokens().issue(member.id, member.role)
    engine = create_engine(environ["PULLIT_DATABASE_URL"], pool_size=1)
    now, rng = datetime.now(UTC), random.Random(1)
    async with engine.begin() as connection:
        folder = (
            await connection.execute(
                tables.common_folders.select().where(tables.common_folders.c.member_id == member.id)
            )
        ).first()
        assert folder is not None
        for first in range(0, cards, PER_SET):
            count = min(PER_SET, cards - first)
            set_id = (
                await connection.execute(
                    insert(tables.question_sets).values(
                        member_id=member.id,
                        title=f"Set {first // PER_SET}",
                        question_type=QuestionType.SHORT_ANSWER,
                        difficulty=Difficulty.EASY,
                        question_count=count,
                        source_ids=[],
                        folder_id=folder.id,
                        status=QuestionSetStatus.COMPLETE,
                        input_tokens=0,
                        output_tokens=0,
                        created_at=now,
                        updated_at=now,
                    )
                )
            ).inserted_primary_key[0]
            rows = [
                {
                    "question_set_id": set_id,
                    "member_id": member.id,
                    "question_type": QuestionType.SHORT_ANSWER,
                    "text": f"Question {first + n}?",
                    "answer": "ATP",
                    "explanation": "Because.",
                    "position": n,
                }
                for n in range(count)
            ]
            await connection.execute(insert(tables.questions), rows)
        question_ids = [
            (row.id, row.question_set_id)
            for row in await connection.execute(
                tables.questions.select().where(tables.questions.c.member_id == member.id)
            )
        ]
        cards_rows = []
        for question_id, set_id in question_ids:
            due = now + timedelta(days=rng.uniform(-60, 60))
            new = rng.random() < 0.05
            cards_rows.append(
                {
                    "member_id": member.id,
                    "question_id": question_id,
                    "question_set_id": set_id,
                    "state": CardState.LEARNING if new else CardState.REVIEW,
                    "step": 0 if new else None,
                    "stability": rng.uniform(1, 60),
                    "difficulty": rng.uniform(1, 10),
                    "due": due,
                    "last_review": due - timedelta(days=3),
                    "reps": 1 if new else 5,
                    "lapses": 0,
                    "is_new": new,
                    "introduced_at": None if new else now - timedelta(days=90),
                    "created_at": due - timedelta(days=30),
                }
            )
        await connection.execute(insert(tables.review_cards), cards_rows)
    await engine.dispose()
    return token


def wrk(url: str, token: str, seconds: int, connections: int) -> dict[str, float]:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        # wrk's default 2 s timeout drops the slowest requests from the latency figures.
        "--timeout",
        "10s",
        "--latency",
        "-H",
        f"Authorization: Bearer {token}",
        url,
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))}  # type: ignore[union-attr]
    for name, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
        figures[f"p{name}"] = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    figures["errors"] = (float(errors.group(1)) if errors else 0.0) + (float(timeouts.group(1)) if timeouts else 0.0)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    name = f"pullit_bench_{uuid.uuid4().hex[:8]}"
    mariadb(f"CREATE DATABASE {name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            url = f"mysql+asyncmy://root@127.0.0.1:3306/{name}"
            upgrade(url)
            environ = {
                "PULLIT_DATABASE_URL": url,
                "PULLIT_DATA_DIR": data_dir,
                "PULLIT_SECRET_KEY": SECRET,
                "PULLIT_RUN_WORKER": "false",
                "PULLIT_LOG_LEVEL": "WARNING",
                "PULLIT_AUTO_MIGRATE": "false",
            }
            token = asyncio.run(seed(environ, args.cards))
            port = free_port()
            env = {k: v for k, v in os.environ.items() if not k.startswith("PULLIT_")} | environ
            env["PULLIT_ENV_FILE"] = str(Path(data_dir) / "none.env")
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "pullit_web.bootstrap.app:app_from_environment",
                    "--factory",
                    "--port",
                    str(port),
                    "--no-access-log",
                ],
                env=env,
                cwd=ROOT,
            )
            try:
                base = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + 60
                while True:
                    try:
                        if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    if time.monotonic() > deadline:
                        raise RuntimeError("the server did not start")
                    time.sleep(0.2)
                due = httpx.get(f"{base}/api/review/due", headers={"Authorization": f"Bearer {token}"}).json()
                assert len(due["cards"]) == 20, due
                wrk(f"{base}/api/health", token, 2, args.connections)  # warm-up
                health = wrk(f"{base}/api/health", token, args.seconds, args.connections)
                settings = wrk(f"{base}/api/members/me/review-settings", token, args.seconds, args.connections)
                queue = wrk(f"{base}/api/review/due?limit=20", token, args.seconds, args.connections)
                load = os.getloadavg()[0]
            finally:
                server.terminate()
                server.wait(timeout=15)
    finally:
        mariadb(f"DROP DATABASE IF EXISTS {name}")
    text = report(args, [health, settings, queue], due["dueCount"], due["newCount"], load)
    print(text)
    if args.write:
        content = DOC.read_text()
        block = f"{START}\n{text}\n{END}"
        if START in content:
            content = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, content, flags=re.S)
        else:
            content = content.rstrip() + "\n\n" + block + "\n"
        DOC.write_text(content)


def report(args: argparse.Namespace, runs: list[dict[str, float]], due: int, new: int, load: float) -> str:
    health, _, queue = runs
    names = [
        "`GET /api/health`",
        "`GET /api/members/me/review-settings` (signed in, one row)",
        "`GET /api/review/due?limit=20`",
    ]
    rows = list(zip(names, runs, strict=True))
    lines = "\n".join(
        f"| {name} | {f['rps']:,.0f} | {f['p50']:.1f} ms | {f['p99']:.1f} ms | {f['errors']:.0f} |" for name, f in rows
    )
    return (
        "## Review due queue (`bench/review_due.py`)\n\n"
        f"One member with {args.cards:,} review cards ({due:,} due, {new:,} new due) on MariaDB, one uvicorn "
        f"worker, `wrk -t2 -c{args.connections} -d{args.seconds}s` per endpoint in the same run (wrk shares the "
        f"2 cores with the server and the database; 1-minute load average at the end: {load:.1f}). The middle row "
        "is a signed-in route reading one row: the cost of the token check and a unit of work, without the "
        "queue.\n\n"
        "| endpoint | requests/s | p50 | p99 | non-2xx or timed out (10 s) |\n|---|---|---|---|---|\n"
        f"{lines}\n| ratio due / health | {queue['rps'] / health['rps']:.2f} | | | |\n\n"
        "- The queue costs seven small statements in one transaction: the two due counts (one round trip, two "
        "range scans of `(member_id, is_new, due)`), settings and today's introduced count (only when new cards "
        "are due), the introduced and new cards in due order (`ORDER BY due, id LIMIT n` read straight off the "
        "index, no sort), and the questions with their set titles (one join). EXPLAIN shows no filesort and no "
        "scan beyond the due range; the first version (one `(member_id, due, introduced_at)` index, a title "
        "query per set) did 6 req/s here.\n"
        "- Counting is exact: this member has about 9,500 overdue cards, a stress case (cards due uniformly over "
        "±60 days); counting them is a few milliseconds of MariaDB time. Measured in-process without HTTP, one "
        "call costs about 9 ms of Python CPU (SQLAlchemy statement building and row loading for 40 objects), "
        "against about 2 ms for the settings read; on a 2-core machine shared with wrk and MariaDB that CPU is "
        "the limit, so more uvicorn workers scale it.\n"
        "- wrk, the service and MariaDB share the two cores (the load average is in the machine line); "
        "compare the rows with each other, not with other sections.\n\n"
        f"Machine: {machine()}. Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC. "
        "Run: `uv run python -m bench.review_due --write`."
    )


if __name__ == "__main__":
    main()
