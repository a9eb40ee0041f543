"""The request path under load, measured as a client would: wrk against one ``pullit serve``.

One run, about five minutes: a fresh MariaDB database (migrated, seeded), one ``pullit serve``
process (one uvicorn worker, local store, rate limits off) and the bare-Litestar floor apps of
``bench/floor_apps.py`` on the same server flags, then ``wrk -t2 -c64 -d8s --latency`` against
each endpoint in turn after a short warm-up, in three interleaved rounds. Prints req/s, p50, p99
and the ratios (medians over the rounds, each ratio taken within its round, with its range), and
writes the table into docs/performance.md.

    uv run python -m bench.http_load [--rounds 3] [--seconds 8] [--connections 64] [--mariadb mysql+asyncmy://root@127.0.0.1:3306]

wrk is Debian's package: ``sudo apt-get install wrk`` (the script runs that itself when it may).
Throughput and latency are absolute numbers of a shared machine; the ratios within one run are
what compare. On this kind of machine a floor moved by up to 1.6 x between single runs half an
hour apart, which is why one round is not enough to say whether a ratio meets its target.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

# Not named bench/http.py: scripts in bench/ run as files (bench/slow_gemini.py) would import it
# in place of the standard library's ``http``.
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.processes import free_port  # noqa: E402

from bench.marking_sql import capture  # noqa: E402
from pullit_web.bootstrap.server_loop import uvicorn_loop  # noqa: E402
from pullit_web.settings import EventLoop, Settings  # noqa: E402

DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:http:start -->", "<!-- bench:http:end -->"
SECRET = "bench-secret-key-that-is-long-enough-0123456789"
QUESTIONS_PER_SET = 20
SETS_ON_LIST_PAGE = 12
MARKING_MEMBERS = 16
ANSWERS_PER_MARKING = 10
MARKING = f"`POST /api/marking` ({ANSWERS_PER_MARKING} answers, {MARKING_MEMBERS} members in turn)"
MARKING_FLOOR = "floor: a marking's round trips on the asyncmy driver alone"


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    method: str = "GET"
    tokens: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()


@dataclass(frozen=True)
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float
    database_cpu_ms: float
    errors: str


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    install = ["apt-get", "install", "-y", "wrk"]
    if os.geteuid() != 0 and shutil.which("sudo"):
        install = ["sudo", "-n", *install]
    print("wrk is missing; trying:", " ".join(install), file=sys.stderr)
    subprocess.run(install, check=False)
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is needed: install it with `sudo apt-get install wrk` and run again")
    return found


# ---------------------------------------------------------------- database and seed data


def database_url(server: str, name: str) -> str:
    return f"{server.rstrip('/')}/{name}"


async def create_database(server: str, name: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(server.rstrip("/") + "/")
    async with engine.begin() as connection:
        await connection.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"))
    await engine.dispose()


async def drop_database(server: str, name: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(server.rstrip("/") + "/")
    async with engine.begin() as connection:
        await connection.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
    await engine.dispose()


@dataclass(frozen=True)
class Seeded:
    token: str
    set_id: int
    marking_tokens: tuple[str, ...]
    marking_bodies: tuple[str, ...]


def _answer(kind: object, answer: str, correct: bool) -> dict[str, object]:
    from pullit_domain.model.question import QuestionType

    if kind is QuestionType.TRUE_FALSE:
        truth = answer == "true"
        return {"memberAnswer": truth if correct else not truth, "memberAnswerType": "boolean"}
    return {"memberAnswer": answer if correct else "not it", "memberAnswerType": "string"}


async def seed(environ: dict[str, str]) -> Seeded:
    """A learner with a 20-question set among others, and members who mark answers."""
    from pullit_adapters.sql.mapping import start_mappers
    from pullit_domain.model.member import ExternalIdentity
    from pullit_domain.model.question import Difficulty, QuestionType
    from pullit_domain.model.question_set import Question, QuestionSet, QuestionSetStatus
    from pullit_domain.use_cases.question_sets import all_folder
    from pullit_web.bootstrap.container import Container
    from pullit_web.settings import load_settings

    start_mappers()
    container = Container(settings=load_settings(environ, env_file=Path(environ["PULLIT_DATA_DIR"]) / "none.env"))
    kinds = (QuestionType.MULTIPLE_CHOICE, QuestionType.TRUE_FALSE, QuestionType.SHORT_ANSWER)
    created = datetime(2026, 1, 1, tzinfo=UTC)

    async def member() -> tuple[int, str]:
        subject = uuid.uuid4().hex
        identity = ExternalIdentity(provider="bench", subject=subject, name="Bench", email=f"{subject}@bench.test")
        result = await container.sign_up_member()(identity)
        assert result.member.id is not None
        return result.member.id, container.access_tokens().issue(result.member.id, result.member.role)

    async def question_set(member_id: int, title: str) -> tuple[int, list[tuple[int, object, str]]]:
        async with container.unit_of_work() as uow:
            item = QuestionSet(
                member_id=member_id,
                title=title,
                question_type=QuestionType.MULTIPLE_CHOICE,
                difficulty=Difficulty.EASY,
                question_count=QUESTIONS_PER_SET,
                source_ids=[],
                folder_id=await all_folder(uow, member_id),
                created_at=created,
                updated_at=created,
                status=QuestionSetStatus.COMPLETE,
            )
            await uow.question_sets.add(item)
            assert item.id is not None
            made = []
            for position in range(QUESTIONS_PER_SET):
                kind = kinds[position % len(kinds)]
                answer = {
                    QuestionType.MULTIPLE_CHOICE: "chlorophyll",
                    QuestionType.TRUE_FALSE: "true",
                }.get(kind, "light")
                choice = kind is QuestionType.MULTIPLE_CHOICE
                options = ["chlorophyll", "xylem", "phloem", "stomata"] if choice else None
                question = Question(
                    question_set_id=item.id,
                    member_id=member_id,
                    question_type=kind,
                    text=f"Question {position + 1}: what does a leaf use to capture light for photosynthesis?",
                    answer=answer,
                    explanation="Chlorophyll absorbs red and blue light and passes the energy to the reaction centre.",
                    position=position,
                    options=options,
                )
                await uow.questions.add(question)
                assert question.id is not None
                made.append((question.id, kind, answer))
            await uow.commit()
        return item.id, made

    reader, token = await member()
    set_ids = [(await question_set(reader, f"Photosynthesis {n}"))[0] for n in range(SETS_ON_LIST_PAGE)]
    tokens, bodies = [], []
    for _ in range(MARKING_MEMBERS):
        marker, marker_token = await member()
        _, made = await question_set(marker, "Marking")
        answers = [
            {"questionId": question_id, **_answer(kind, answer, correct=n % 3 != 2)}
            for n, (question_id, kind, answer) in enumerate(made[:ANSWERS_PER_MARKING])
        ]
        tokens.append(marker_token)
        bodies.append(json.dumps(answers))
    await container.engine().dispose()
    return Seeded(token, set_ids[0], tuple(tokens), tuple(bodies))


# ---------------------------------------------------------------- servers


class Server:
    def __init__(self, name: str, command: list[str], environ: dict[str, str], cwd: str, log: Path) -> None:
        self.name = name
        self._log = log.open("wb")
        self.process = subprocess.Popen(command, env=environ, cwd=cwd, stdout=self._log, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


def granian(target: str, port: int, loop: str) -> list[str]:
    """The granian equivalent of one uvicorn worker (for ``--server granian``)."""
    listen = ("--interface", "asgi", "--host", "127.0.0.1", "--port", str(port), "--workers", "1")
    quiet = ("--no-access-log", "--log-level", "warning")
    return [sys.executable, "-m", "granian", *listen, "--loop", loop, *quiet, "--factory", target]


def uvicorn_floor(factory: str, port: int, loop: EventLoop) -> list[str]:
    # The flags `pullit serve` gives uvicorn (its event loop; http "auto" picks httptools).
    return [
        sys.executable,
        "-m",
        "uvicorn",
        f"bench.floor_apps:{factory}",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--loop",
        uvicorn_loop(loop),
        "--no-access-log",
        "--log-level",
        "warning",
    ]


def wait_until_up(url: str, server: Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"{server.name} exited with {server.process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status < 500:
                    return
        except OSError as error:
            if getattr(error, "code", 0) and error.code < 500:  # type: ignore[attr-defined]
                return
        time.sleep(0.1)
    raise SystemExit(f"{server.name} did not come up")


# ---------------------------------------------------------------- wrk


LUA = """
local tokens = {tokens}
local bodies = {bodies}
local n = 0
wrk.method = "{method}"
wrk.headers["Content-Type"] = "application/json"
request = function()
  n = n + 1
  local headers = {{}}
  if #tokens > 0 then headers["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1] end
  local body = nil
  if #bodies > 0 then body = bodies[(n % #bodies) + 1] end
  return wrk.format(nil, nil, headers, body)
end
"""


def lua_list(items: tuple[str, ...]) -> str:
    return "{" + ", ".join(f"[==[{item}]==]" for item in items) + "}"


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time so far of a process and its live children (granian's workers), from ``/proc``."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except FileNotFoundError:
        return 0.0
    total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        total += sum(cpu_seconds(int(child)) for child in children.read_text().split())
    return total


def database_pid() -> int | None:
    """The local MariaDB server's process, whose CPU time a run reports beside the server's (when it may read it)."""
    for stat in Path("/proc").glob("[0-9]*/comm"):
        try:
            if stat.read_text().strip() in ("mariadbd", "mysqld"):
                return int(stat.parent.name)
        except OSError:
            continue
    return None


def run_wrk(
    wrk: str, target: Target, seconds: float, connections: int, work_dir: Path, pid: int, profile: Path | None = None
) -> Result:
    """wrk against ``target`` served by process ``pid``; with ``profile``, py-spy samples it into that directory."""
    script = work_dir / f"{re.sub(r'[^a-z0-9]+', '-', target.name.lower())}.lua"
    script.write_text(LUA.format(tokens=lua_list(target.tokens), bodies=lua_list(target.bodies), method=target.method))
    base = [wrk, "-t2", f"-c{connections}", "--timeout", "10s", "-s", str(script)]
    subprocess.run([*base, "-d2s", target.url], capture_output=True, check=True)  # warm-up: pools, caches
    profiler = None
    if profile is not None:
        profile.mkdir(parents=True, exist_ok=True)
        flame = profile / f"{script.stem}.txt"
        spy = ["py-spy", "record", "--nonblocking", "-r", "250", "-f", "raw", "-p", str(pid)]
        profiler = subprocess.Popen(
            [*spy, "-d", f"{seconds:g}", "-o", str(flame)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    database = database_pid()
    cpu_before = cpu_seconds(pid)
    database_before = cpu_seconds(database) if database else 0.0
    output = subprocess.run(
        [*base, f"-d{seconds:g}s", "--latency", target.url], capture_output=True, text=True, check=True
    ).stdout
    cpu = cpu_seconds(pid) - cpu_before
    database_cpu = cpu_seconds(database) - database_before if database else 0.0
    if profiler is not None:
        profiler.wait(30)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    percentiles = dict(re.findall(r"^\s+(50|99)(?:\.0+)?%\s+(\S+)\s*$", output, re.MULTILINE))
    if "50" not in percentiles or "99" not in percentiles:
        raise SystemExit(f"wrk on {target.url} gave no latency distribution:\n{output}")
    errors = []
    if found := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        errors.append(f"{found.group(1)} non-2xx")
    if found := re.search(r"Socket errors: (.+)", output):
        errors.append(f"socket errors: {found.group(1)}")
    done = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    p50, p99 = to_ms(percentiles["50"]), to_ms(percentiles["99"])
    per_request = 1000 / max(done, 1)
    return Result(target.name, rate, p50, p99, cpu * per_request, database_cpu * per_request, "; ".join(errors))


# ---------------------------------------------------------------- report


RATIOS = {
    "`GET /api/health`": ('bare Litestar "hello"', "of bare hello"),
    "`POST /api/learning/source/upload` (permit, writes nothing)": ("`GET /api/health`", "of health"),
    "floor: the same read on the asyncmy driver alone": ("floor: Core read", "x the Core read"),
    "`GET /api/question-set/{id}` (20 questions)": ("floor: Core read", "of the Core read"),
    "`GET /api/question-set` (list page, 10 of 12 sets)": ("floor: Core read", "of the Core read"),
    MARKING_FLOOR: ("floor: Core read", "of the Core read"),
    MARKING: ("floor: Core read", "of the Core read"),
}
SET_READ = "`GET /api/question-set/{id}` (20 questions)"
# The limit of this stack for a route: the same database work on the driver alone.
DRIVER_RATIOS = {
    SET_READ: ("floor: the same read on the asyncmy driver alone", "of the driver"),
    MARKING: (MARKING_FLOOR, "of its round trips on the driver alone"),
}


def spread(values: list[float], digits: int) -> str:
    """The median, and the range when there is more than one round."""
    middle = f"{statistics.median(values):.{digits}f}"
    return middle if len(values) == 1 else f"{middle} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def table(rounds: list[list[Result]]) -> str:
    """Each figure is the median over the rounds; a ratio is taken within each round (where both
    sides met the same moment of a shared machine), then its median and range are shown."""
    names = [r.name for r in rounds[0]]
    by_round = [{r.name: r for r in results} for results in rounds]
    lines = [
        "| endpoint | req/s | p50 ms | p99 ms | server CPU ms/req | MariaDB CPU ms/req | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in names:
        runs = [results[name] for results in by_round]
        ratio = "1"
        if name in RATIOS:
            base, words = RATIOS[name]
            shares = [r[name].requests_per_second / r[base].requests_per_second for r in by_round]
            ratio = f"{spread(shares, 2)} {words}"
            if name in DRIVER_RATIOS and all(DRIVER_RATIOS[name][0] in r for r in by_round):
                driver, driver_words = DRIVER_RATIOS[name]
                driver_shares = [r[name].requests_per_second / r[driver].requests_per_second for r in by_round]
                ratio += f", {spread(driver_shares, 2)} {driver_words}"
            if name == SET_READ:
                ratio += f"; p99 {spread([r[name].p99_ms / r[base].p99_ms for r in by_round], 1)} x the Core read's"
        if errors := "; ".join(r.errors for r in runs if r.errors):
            ratio += f" ({errors})"
        rate, p50, p99, cpu, database_cpu = (
            statistics.median(getattr(r, field) for r in runs)
            for field in ("requests_per_second", "p50_ms", "p99_ms", "cpu_ms", "database_cpu_ms")
        )
        figures = f"{rate:,.0f} | {p50:.1f} | {p99:.1f} | {cpu:.2f} | {database_cpu:.2f}"
        lines.append(f"| {name} | {figures} | {ratio} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file() and (found := re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())):
        cpu = found.group(1).strip()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; load average {load:.1f} when it started"
    )


def write_section(text: str) -> None:
    current = DOC.read_text() if DOC.is_file() else "# Performance\n"
    block = f"{START}\n{text.rstrip()}\n{END}"
    if START in current and END in current:
        current = current[: current.index(START)] + block + current[current.index(END) + len(END) :]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(current)


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--mariadb",
        default=os.environ.get("PULLIT_BENCH_MARIADB", "mysql+asyncmy://root@127.0.0.1:3306"),
        help="server URL without a database; a fresh database is made and dropped",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="every target once per round, rounds interleaved; the table shows medians and the ratios' range",
    )
    parser.add_argument("--no-write", action="store_true", help="print the table, leave docs/performance.md")
    parser.add_argument(
        "--server",
        choices=("uvicorn", "granian"),
        default="uvicorn",
        help="granian serves the service and the floors instead (`uv run --with granian ...`; implies --no-write)",
    )
    parser.add_argument(
        "--loop",
        choices=get_args(EventLoop),
        default=Settings().event_loop,
        help="the event loop of the service (PULLIT_EVENT_LOOP) and of every floor (another than the service's "
        "default implies --no-write)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="py-spy (dev dependency) samples `pullit serve` during each of its runs into collapsed stacks "
        "in this directory (the numbers of such a run are not comparable; implies --no-write)",
    )
    parser.add_argument("--only", help="run only the targets whose name contains this text (implies --no-write)")
    args = parser.parse_args()
    wrk = ensure_wrk()
    name = f"pullit_bench_{uuid.uuid4().hex[:8]}"
    started = time.monotonic()
    asyncio.run(create_database(args.mariadb, name))
    servers: list[Server] = []
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            work = Path(data_dir)
            environ = {
                **{k: v for k, v in os.environ.items() if not k.startswith("PULLIT_")},
                "PYTHONPATH": str(ROOT),
                "PULLIT_DATA_DIR": data_dir,
                "PULLIT_DATABASE_URL": database_url(args.mariadb, name),
                "PULLIT_SECRET_KEY": SECRET,
                "PULLIT_ENV_FILE": str(work / "none.env"),
                "PULLIT_RATE_LIMIT_SIGN_IN_PER_MINUTE": "0",
                "PULLIT_RATE_LIMIT_UPLOAD_PERMITS_PER_MINUTE": "0",
                "PULLIT_RATE_LIMIT_QUESTION_SETS_PER_MINUTE": "0",
                "PULLIT_EVENT_LOOP": args.loop,
            }
            migrate = [sys.executable, "-m", "pullit_web.bootstrap.cli", "migrate"]
            subprocess.run(migrate, env=environ, cwd=data_dir, check=True, capture_output=True)
            seeded = asyncio.run(seed(environ))
            marking_sql = work / "marking_sql.json"
            captured = asyncio.run(capture(environ, seeded.marking_tokens, seeded.marking_bodies))
            marking_sql.write_text(json.dumps(captured))
            ports = {key: free_port() for key in ("pullit", "hello", "core", "driver", "marking")}
            serve = [sys.executable, "-m", "pullit_web.bootstrap.cli", "serve", "--port", str(ports["pullit"])]
            if args.server == "granian":
                serve = granian("pullit_web.bootstrap.app:app_from_environment", ports["pullit"], args.loop)
            servers.append(Server("pullit serve", serve, environ, data_dir, work / "pullit.log"))
            floors = {"hello": "hello", "core": "core_read", "driver": "driver_read", "marking": "marking_driver"}
            # Not a PULLIT_ variable: `pullit serve` refuses settings it does not know.
            floor_environ = {**environ, "BENCH_MARKING_SQL": str(marking_sql)}
            for key, factory in floors.items():
                floor = uvicorn_floor(factory, ports[key], args.loop)
                if args.server == "granian":
                    floor = granian(f"bench.floor_apps:{factory}", ports[key], args.loop)
                servers.append(Server(factory, floor, floor_environ, str(ROOT), work / key))
            deadline = time.monotonic() + 60
            url = {key: f"http://127.0.0.1:{port}" for key, port in ports.items()}
            for server, probe in zip(
                servers,
                (
                    f"{url['pullit']}/api/health",
                    f"{url['hello']}/hello",
                    f"{url['core']}/read/0",
                    f"{url['driver']}/read/0",
                    f"{url['marking']}/marking",
                ),
                strict=True,
            ):
                wait_until_up(probe, server, deadline)
            reader = (seeded.token,)
            permit = json.dumps({"fileName": "notes.pdf", "contentType": "application/pdf", "fileSize": 3314})
            targets = [
                Target('bare Litestar "hello"', f"{url['hello']}/hello"),
                Target("`GET /api/health`", f"{url['pullit']}/api/health"),
                Target(
                    "`POST /api/learning/source/upload` (permit, writes nothing)",
                    f"{url['pullit']}/api/learning/source/upload",
                    "POST",
                    reader,
                    (permit,),
                ),
                Target("floor: Core read", f"{url['core']}/read/{seeded.set_id}", tokens=reader),
                Target(
                    "floor: the same read on the asyncmy driver alone",
                    f"{url['driver']}/read/{seeded.set_id}",
                    tokens=reader,
                ),
                Target(
                    "`GET /api/question-set/{id}` (20 questions)",
                    f"{url['pullit']}/api/question-set/{seeded.set_id}",
                    tokens=reader,
                ),
                Target(
                    "`GET /api/question-set` (list page, 10 of 12 sets)",
                    f"{url['pullit']}/api/question-set",
                    tokens=reader,
                ),
                Target(
                    MARKING_FLOOR,
                    f"{url['marking']}/marking",
                    "POST",
                    seeded.marking_tokens,
                    seeded.marking_bodies,
                ),
                Target(
                    MARKING,
                    f"{url['pullit']}/api/marking",
                    "POST",
                    seeded.marking_tokens,
                    seeded.marking_bodies,
                ),
            ]
            if args.only:
                targets = [t for t in targets if args.only in t.name]
            rounds: list[list[Result]] = []
            for round_number in range(1, args.rounds + 1):
                results = []
                for target in targets:
                    # The servers started in the order of ``url``.
                    server = servers[list(url.values()).index("/".join(target.url.split("/", 3)[:3]))]
                    # One round is sampled: the next would write over its stacks.
                    profiled = bool(args.profile) and server is servers[0] and round_number == 1
                    profile = args.profile.resolve() if profiled else None
                    result = run_wrk(wrk, target, args.seconds, args.connections, work, server.process.pid, profile)
                    results.append(result)
                    print(
                        f"round {round_number}: {result.name}: {result.requests_per_second:,.0f} req/s, "
                        f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, "
                        f"server CPU {result.cpu_ms:.2f} ms/request, "
                        f"MariaDB CPU {result.database_cpu_ms:.2f} ms/request {result.errors}",
                        flush=True,
                    )
                rounds.append(results)
    finally:
        for server in servers:
            server.stop()
        asyncio.run(drop_database(args.mariadb, name))
    rendered = table(rounds) if not args.only else "\n".join(map(str, (r for results in rounds for r in results)))
    print(rendered)
    print(f"({time.monotonic() - started:.0f} s in all)")
    if not (
        args.no_write or args.profile or args.only or args.server != "uvicorn" or args.loop != Settings().event_loop
    ):
        measured = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
        write_section(
            f"""## The request path under load (`bench/http_load.py`)

wrk (`-t2 -c{args.connections} -d{args.seconds:g}s --latency`, after a 2 s warm-up each, {args.rounds} interleaved
rounds: medians, and each ratio's range over the rounds, taken within each round) against one
`pullit serve` process (one uvicorn worker on its event loop, MariaDB on the same machine in a fresh database, local
store, rate limits off, INFO access log to a file) and the bare-Litestar floor apps of
`bench/floor_apps.py` on the same uvicorn flags, all in one run. The floor reads do what
`GET /api/question-set/{{id}}` does by hand: HS256 check of the Bearer token, the set with its
folder's name and its 20 questions in two queries, msgspec out.
The marking floor replays the round trips a real marking of the service sends
(`bench/marking_sql.py`) on the asyncmy driver alone. MariaDB CPU is the database server's CPU
time over the run, per request.

{rendered}

Machine: {machine()}. wrk and the servers share the cores, so absolute numbers are lower than
on a dedicated host; the ratios within the run are the meaningful figures. Measured {measured}.
Run: `uv run python -m bench.http_load` (about {time.monotonic() - started:.0f} s).
"""
        )


if __name__ == "__main__":
    main()
