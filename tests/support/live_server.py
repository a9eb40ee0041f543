"""The real service in a subprocess, for tests that need endless streams, restarts or several instances.

    with LiveServer({"PULLIT_DATABASE_URL": url, ...}) as server:
        httpx.get(f"{server.url}/api/health")
        server.restart()            # same port, so clients reconnect to the same address

The child gets a clean environment (no developer ``PULLIT_*`` settings), logs to a file that
``log_tail()`` shows when something fails, and is waited for by polling ``/api/health``. ``app``
runs another ASGI factory on the same uvicorn flags (``bench/sse.py`` runs its floor app so).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import httpx

from pullit_web.bootstrap.server_loop import uvicorn_loop
from pullit_web.settings import Settings
from tests.support.app import TEST_SECRET
from tests.support.processes import START_TIMEOUT, ChildProcess, free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]


class LiveServer(ChildProcess):
    def __init__(
        self,
        environ: Mapping[str, str],
        *,
        port: int | None = None,
        log_dir: Path | None = None,
        app: str = "pullit_web.bootstrap.app:app_from_environment",
    ) -> None:
        self.port = port or free_port()
        self._app = app
        self.url = f"http://127.0.0.1:{self.port}"
        self._environ = dict(environ)
        self._log_dir = log_dir
        super().__init__()
        self._log_path: Path | None = None

    def environment(self) -> dict[str, str]:
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("PULLIT_")}
        defaults = {
            "PULLIT_SECRET_KEY": TEST_SECRET,
            "PULLIT_LOG_FORMAT": "text",
            "PULLIT_LOG_LEVEL": "WARNING",
            "PULLIT_ENV_FILE": "/nonexistent/.env",
        }
        return {**inherited, **defaults, **self._environ}

    def start(self) -> None:
        if self.running:
            return
        log_dir = self._log_dir or Path(self._environ.get("PULLIT_DATA_DIR", ROOT / ".pullit"))
        log_dir.mkdir(parents=True, exist_ok=True)
        self._log_path = log_dir / f"server-{self.port}.log"
        loop = self.environment().get("PULLIT_EVENT_LOOP") or Settings().event_loop
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            self._app,
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--timeout-graceful-shutdown",
            "1",
            "--no-access-log",
            # The loop `pullit serve` runs on (PULLIT_EVENT_LOOP).
            "--loop",
            uvicorn_loop("asyncio" if loop == "asyncio" else "uvloop"),
        ]
        with self._log_path.open("ab") as log:
            self._process = subprocess.Popen(
                command, cwd=ROOT, env=self.environment(), stdout=log, stderr=subprocess.STDOUT
            )
        try:
            wait_until(self._healthy, START_TIMEOUT, f"the server on port {self.port} to answer /api/health")
        except Exception:
            self.stop()
            raise

    def _healthy(self) -> bool:
        if self._process is None or self._process.poll() is not None:
            code = self._process and self._process.returncode
            raise RuntimeError(f"the server exited with {code}:\n{self.log_tail()}")
        try:
            return httpx.get(f"{self.url}/api/health", timeout=1.0).status_code == 200
        except httpx.TransportError:
            return False

    def log_tail(self, lines: int = 40) -> str:
        if self._log_path is None or not self._log_path.is_file():
            return "(no log)"
        return "\n".join(self._log_path.read_text(errors="replace").splitlines()[-lines:])


class ThrowawayRedis(ChildProcess):
    """A private ``redis-server`` without persistence, which a test may stop and start again.

    Never touch the machine's shared Redis for outage tests: other test runs rely on it.
    """

    def __init__(self, work_dir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._work_dir = work_dir
        super().__init__()

    def start(self) -> None:
        self._work_dir.mkdir(parents=True, exist_ok=True)
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        with (self._work_dir / f"redis-{self.port}.log").open("ab") as log:
            self._process = subprocess.Popen(command, cwd=self._work_dir, stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._answers, START_TIMEOUT, f"redis-server on port {self.port}")

    def _answers(self) -> bool:
        if self._process is None or self._process.poll() is not None:
            raise RuntimeError("redis-server exited at start")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Nginx(ChildProcess):
    """Debian's nginx on loopback in front of several instances, configured as docs/deploy.md says."""

    stop_signal = signal.SIGQUIT  # nginx's graceful stop

    def __init__(self, work_dir: Path, upstreams: list[int], port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._work_dir = work_dir
        self._upstreams = upstreams
        super().__init__()

    def config(self) -> str:
        return self.wrap(
            f"""    server {{
        listen 127.0.0.1:{self.port};
        location = /api/notifications/subscribe {{
            proxy_pass http://pullit;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_buffering off;
            proxy_cache off;
            proxy_read_timeout 1h;
        }}
        location / {{
            proxy_pass http://pullit;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        }}
    }}"""
        )

    def wrap(self, server: str) -> str:
        """The whole nginx.conf around one ``server`` block: private temp paths and the upstream."""
        servers = "\n".join(f"        server 127.0.0.1:{port};" for port in self._upstreams)
        temp = self._work_dir
        # As root, workers would drop to "nobody", who cannot write the private temp directories.
        user = "user root;\n" if os.geteuid() == 0 else ""
        return f"""{user}worker_processes 1;
pid {temp}/nginx.pid;
error_log {temp}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    upstream pullit {{
{servers}
        keepalive 16;
    }}
{server}
}}
"""

    def start(self) -> None:
        import shutil

        binary = shutil.which("nginx") or "/usr/sbin/nginx"
        self._work_dir.mkdir(parents=True, exist_ok=True)
        conf = self._work_dir / "nginx.conf"
        conf.write_text(self.config())
        command = [binary, "-p", str(self._work_dir), "-c", str(conf), "-g", "daemon off;"]
        with (self._work_dir / "nginx.out").open("ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._answers, START_TIMEOUT, f"nginx on port {self.port}")

    def _answers(self) -> bool:
        if self._process is None or self._process.poll() is not None:
            errors = (self._work_dir / "nginx.out").read_text(errors="replace")
            raise RuntimeError(f"nginx exited at start:\n{errors}")
        try:
            return httpx.get(f"{self.url}/api/health", timeout=1.0).status_code == 200
        except httpx.TransportError:
            return False
