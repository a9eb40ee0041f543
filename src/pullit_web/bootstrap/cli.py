"""The ``pullit`` command: serve, migrate, worker."""

from __future__ import annotations

import argparse
import sys

from pullit_web.settings import Settings, SettingsError, load_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pullit", description="Pullit: study PDFs into practice question sets.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the HTTP service (and, by default, a generation worker)")
    serve.add_argument("--host", help="bind address (default PULLIT_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default PULLIT_PORT or 8000)")
    serve.add_argument("--workers", type=int, help="worker processes (default PULLIT_WORKERS or 1)")
    commands.add_parser("migrate", help="bring the database schema up to date")
    commands.add_parser("worker", help="run a generation worker without the HTTP service")
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"pullit: invalid settings: {error}", file=sys.stderr)
        return 2

    if args.command == "migrate":
        return _migrate(settings)
    if args.command == "worker":
        from pullit_web.bootstrap.worker_process import run_worker_process

        return run_worker_process(settings)
    return _serve(settings, args)


def _migrate(settings: Settings) -> int:
    from pullit_adapters.sql.migrate import upgrade

    try:
        upgrade(settings.database_url)
    except Exception as error:  # noqa: BLE001 - one clear line, not a traceback
        print(f"pullit: migration failed: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print("pullit: database schema is up to date", file=sys.stderr)
    return 0


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    import os

    import uvicorn

    from pullit_web.bootstrap.server_loop import uvicorn_loop

    host = args.host or settings.host
    port = args.port or settings.port
    workers = args.workers or settings.workers
    if workers > 1 and not settings.redis_url:
        # Each process fans out only to its own SSE clients; Redis is what joins them.
        print("pullit: more than one worker needs PULLIT_REDIS_URL for live notifications", file=sys.stderr)
        return 2
    # Command-line flags must reach each worker process, which reads settings itself.
    os.environ.update({"PULLIT_HOST": host, "PULLIT_PORT": str(port), "PULLIT_SECRET_KEY": settings.secret_key})
    if settings.migrates_on_start and (code := _migrate(settings)) != 0:
        return code
    uvicorn.run(
        "pullit_web.bootstrap.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop=uvicorn_loop(settings.event_loop),
        log_config=None,
        # Ours is written by pullit_web.http.telemetry; uvicorn's would still format its arguments per request.
        access_log=False,
        proxy_headers=True,
        timeout_graceful_shutdown=5,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
