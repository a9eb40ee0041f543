"""What each middleware of the service costs on ``GET /api/health``, measured with wrk.

The same ``create_app`` is served (uvicorn, the flags of ``pullit serve``, embedded SQLite,
rate limits off) once with all of its middleware, once with none, and once with each alone.
The server's CPU time per request is the steadier figure on a shared machine; a middleware's
cost is its variant's CPU per request minus that of the variant with none.

    uv run python -m bench.middleware [--seconds 5] [--connections 64]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.support.processes import free_port

from bench.http_load import ROOT, SECRET, Result, Server, Target, ensure_wrk, run_wrk, wait_until_up
from pullit_web.bootstrap.server_loop import uvicorn_loop
from pullit_web.settings import Settings

# The layers a request to /api/health passes, outermost first: the telemetry wrapper around the
# whole app (request id, access line, metrics), the OPTIONS gate and the CORS gate
# (pullit_web.bootstrap.app.create_app). Authentication is the middleware of the signed-in
# routes' Router (pullit_web.http.routes), so the public health probe never enters it, and rate
# limits are middleware of the routes with a budget only.
NAMES = ("request telemetry (id, access line, metrics)", "OPTIONS Allow gate", "CORS (entered with an Origin only)")
KEEP = "BENCH_MIDDLEWARE_KEEP"


def app_factory() -> Any:
    """``create_app`` keeping only the layers whose positions ``BENCH_MIDDLEWARE_KEEP`` lists."""
    import pullit_web.bootstrap.app as web

    keep = {int(i) for i in os.environ.get(KEEP, "").split(",") if i}
    litestar = web.Litestar
    layers = (web.request_telemetry, web.full_allow_on_options, web.cors_only_with_origin)

    def without_cors(*args: Any, **kwargs: Any) -> Any:
        return litestar(*args, **{**kwargs, "cors_config": None})

    if 0 not in keep:
        web.request_telemetry = lambda app, routing: app  # type: ignore[assignment]
    if 1 not in keep:
        web.full_allow_on_options = lambda app: None  # type: ignore[assignment]
    if 2 not in keep:
        web.Litestar = without_cors  # type: ignore[misc,assignment]
    try:
        return web.create_app()
    finally:
        web.Litestar = litestar  # type: ignore[misc]
        web.request_telemetry, web.full_allow_on_options, web.cors_only_with_origin = layers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    wrk = ensure_wrk()
    variants = [
        ("all", ",".join(map(str, range(len(NAMES))))),
        ("none", ""),
        *((name, str(i)) for i, name in enumerate(NAMES)),
    ]
    best: dict[str, Result] = {}
    servers: dict[str, tuple[Server, str]] = {}
    with tempfile.TemporaryDirectory() as data_dir:
        try:
            for label, keep in variants:
                port = free_port()
                environ = {
                    **{k: v for k, v in os.environ.items() if not k.startswith("PULLIT_")},
                    "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
                    "PULLIT_DATA_DIR": data_dir,
                    "PULLIT_SECRET_KEY": SECRET,
                    "PULLIT_RUN_WORKER": "false",
                    "PULLIT_RUN_OUTBOX_RELAY": "false",
                    "PULLIT_ENV_FILE": str(Path(data_dir) / "none.env"),
                    KEEP: keep,
                }
                if not servers:
                    migrate = [sys.executable, "-m", "pullit_web.bootstrap.cli", "migrate"]
                    subprocess.run(migrate, env=environ, cwd=data_dir, check=True, capture_output=True)
                command = [sys.executable, "-m", "uvicorn", "bench.middleware:app_factory", "--factory"]
                command += ["--port", str(port), "--log-level", "warning", "--no-access-log", "--proxy-headers"]
                command += ["--loop", uvicorn_loop(Settings().event_loop)]
                server = Server(label, command, environ, str(ROOT), Path(data_dir) / f"{label}.log")
                servers[label] = (server, f"http://127.0.0.1:{port}/api/health")
            for server, url in servers.values():
                wait_until_up(url, server, time.monotonic() + 120)
            # Interleaved rounds, the best of each kept: a neighbour's burst then hits every variant alike.
            for _ in range(args.rounds):
                for label, (server, url) in servers.items():
                    result = run_wrk(
                        wrk, Target(label, url), args.seconds, args.connections, Path(data_dir), server.process.pid
                    )
                    if label not in best or result.cpu_ms < best[label].cpu_ms:
                        best[label] = result
                    print(
                        f"{label}: {result.requests_per_second:,.0f} req/s, {1000 * result.cpu_ms:.0f} us CPU/request"
                    )
        finally:
            for server, _ in servers.values():
                server.stop()
    rows = list(best.values())
    none = next(r for r in rows if r.name == "none")
    print("| middleware on `GET /api/health` | req/s | p50 ms | p99 ms | server CPU us/req | cost us/req |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        cost = "" if r is none else f"{1000 * (r.cpu_ms - none.cpu_ms):+.0f}"
        figures = f"{r.requests_per_second:,.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {1000 * r.cpu_ms:.0f}"
        print(f"| {r.name} | {figures} | {cost} |")


if __name__ == "__main__":
    main()
