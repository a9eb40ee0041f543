"""Requests per second of POST /api/learning/source/upload (the upload permit) against
GET /api/health on the same live server, in the same run.

Starts ``pullit serve`` (embedded default: SQLite + local store) in a subprocess on a free
port, signs a member in directly through the container, then drives each endpoint for a
few seconds with concurrent keep-alive clients. Writes its section of docs/performance.md.

    uv run python bench/upload_permit.py [--seconds 3] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import socket
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:upload_permit:start -->", "<!-- bench:upload_permit:end -->"
SECRET = "bench-secret-key-that-is-long-enough-0123456789"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def access_token(environ: dict[str, str]) -> str:
    from pullit_adapters.sql.mapping import start_mappers
    from pullit_domain.model.member import ExternalIdentity
    from pullit_web.bootstrap.container import Container
    from pullit_web.settings import load_settings

    start_mappers()
    container = Container(settings=load_settings(environ, env_file=Path(environ["PULLIT_DATA_DIR"]) / "none.env"))
    subject = uuid.uuid4().hex
    identity = ExternalIdentity(provider="bench", subject=subject, name="Bench", email=f"{subject}@bench.test")
    result = await container.sign_up_member()(identity)
    token: str = container.access_tokens().issue(result.member.id, result.member.role)
    await container.engine().dispose()
    return token


async def wait_until_up(base: str, deadline: float) -> None:
    async with httpx.AsyncClient() as client:
        while time.monotonic() < deadline:
            try:
                if (await client.get(f"{base}/api/health")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("the server did not come up")


async def drive(base: str, method: str, path: str, seconds: float, concurrency: int, **kwargs: object) -> float:
    """Completed 2xx requests per second over ``seconds`` (after a short warm-up)."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=10) as client:

        async def worker(until: float, counts: list[int]) -> None:
            while time.monotonic() < until:
                response = await client.request(method, path, **kwargs)  # type: ignore[arg-type]
                if response.status_code >= 300:
                    raise SystemExit(f"{method} {path}: {response.status_code} {response.text[:200]}")
                counts[0] += 1

        await asyncio.gather(*(worker(time.monotonic() + 0.5, [0]) for _ in range(concurrency)))
        counts = [0]
        started = time.monotonic()
        await asyncio.gather(*(worker(started + seconds, counts) for _ in range(concurrency)))
        return counts[0] / (time.monotonic() - started)


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file() and (found := re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())):
        cpu = found.group(1).strip()
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def write_section(text: str) -> None:
    DOC.parent.mkdir(exist_ok=True)
    current = DOC.read_text() if DOC.is_file() else "# Performance\n\nNumbers measured by the scripts in `bench/`.\n"
    block = f"{START}\n{text.rstrip()}\n{END}"
    if START in current and END in current:
        current = current[: current.index(START)] + block + current[current.index(END) + len(END) :]
    else:
        current = current.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(current)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data_dir:
        port = free_port()
        environ = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PULLIT_")},
            "PULLIT_DATA_DIR": data_dir,
            "PULLIT_PORT": str(port),
            "PULLIT_SECRET_KEY": SECRET,
            "PULLIT_LOG_LEVEL": "WARNING",
            "PULLIT_ENV_FILE": str(Path(data_dir) / "none.env"),
            # One member asks for thousands of permits a second: measure the route, not its budget.
            "PULLIT_RATE_LIMIT_UPLOAD_PERMITS_PER_MINUTE": "0",
        }
        base = f"http://127.0.0.1:{port}"
        server = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "pullit_web.bootstrap.cli", "serve", env=environ, cwd=data_dir
        )
        try:
            await wait_until_up(base, time.monotonic() + 60)
            token = await access_token(environ)
            headers = {"Authorization": f"Bearer {token}"}
            body = {"fileName": "notes.pdf", "contentType": "application/pdf", "fileSize": 3314}
            health = await drive(base, "GET", "/api/health", args.seconds, args.concurrency)
            permit = await drive(
                base, "POST", "/api/learning/source/upload", args.seconds, args.concurrency, json=body, headers=headers
            )
        finally:
            server.terminate()
            await asyncio.wait_for(server.wait(), 15)

    ratio = permit / health
    measured = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    print(f"health {health:.0f} req/s, upload permit {permit:.0f} req/s, ratio {ratio:.2f}")
    write_section(
        f"""## Upload permit (`bench/upload_permit.py`)

`POST /api/learning/source/upload` (JWT check, validation, HMAC-signed local upload URL; no
database write) against `GET /api/health` on the same live `pullit serve` (one uvicorn worker,
embedded default: SQLite + local store), {args.concurrency} concurrent keep-alive clients in the
same process as the load generator, {args.seconds:g} s per endpoint after a 0.5 s warm-up.

| endpoint | requests/s |
|---|---|
| `GET /api/health` | {health:.0f} |
| `POST /api/learning/source/upload` | {permit:.0f} |
| ratio permit / health | {ratio:.2f} |

Machine: {machine()}. Load generator and server share the 2 cores, so absolute numbers are
lower than on a dedicated host; the ratio is the meaningful figure. Measured {measured}.
"""
    )


if __name__ == "__main__":
    asyncio.run(main())
