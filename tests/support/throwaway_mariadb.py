"""A private MariaDB server that a test may stop and start again, on its own datadir and port.

Never stop the machine's shared MariaDB for outage tests: other tests and helpers rely on it.

    with ThrowawayMariaDB(tmp_path / "mariadb") as server:
        url = server.create_database("pullit")
        server.stop()      # like `systemctl stop mariadb`: clients see their connections drop
        server.start()     # same datadir and port, so pooled clients reconnect to the same address
"""

from __future__ import annotations

import asyncio
import getpass
import shutil
import socket
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.support.processes import START_TIMEOUT, STOP_TIMEOUT, ChildProcess, free_port, wait_until
from tests.support.services import unavailable

SERVER = "mariadbd"
INSTALLER = "mariadb-install-db"
# A small, quick server; commits still reach the OS at once, so a killed server loses nothing committed.
FAST_INNODB = (
    "--innodb-buffer-pool-size=32M",
    "--innodb-log-file-size=8M",
    "--innodb-doublewrite=0",
    "--innodb-flush-log-at-trx-commit=2",
)


def _binary(name: str) -> str | None:
    # Debian puts the server in /usr/sbin, which is not on every PATH.
    return shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/usr/local/sbin:/usr/local/bin")


class ThrowawayMariaDB(ChildProcess):
    # A clean shutdown, as a service restart does: connections drop, data survives. InnoDB
    # takes longer than most children to leave.
    stop_grace = STOP_TIMEOUT * 3

    def __init__(self, work_dir: Path, port: int | None = None) -> None:
        self.port = port or free_port()
        self._work_dir = work_dir
        self._data_dir = work_dir / "data"
        super().__init__()
        server, installer = _binary(SERVER), _binary(INSTALLER)
        if server is None or installer is None:
            unavailable("A private MariaDB server", FileNotFoundError(f"{SERVER} or {INSTALLER} is not installed"))
        assert server is not None and installer is not None
        self._server, self._installer = server, installer

    def url(self, database: str) -> str:
        return f"mysql+asyncmy://root@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        if self.running:
            return
        self._work_dir.mkdir(parents=True, exist_ok=True)
        if not self._data_dir.exists():
            self._install()
        command = [
            self._server,
            "--no-defaults",
            f"--user={getpass.getuser()}",
            f"--datadir={self._data_dir}",
            f"--port={self.port}",
            "--bind-address=127.0.0.1",
            f"--socket={self._work_dir / 'mariadb.sock'}",
            f"--pid-file={self._work_dir / 'mariadb.pid'}",
            "--skip-name-resolve",
            "--skip-log-bin",
            *FAST_INNODB,
        ]
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        wait_until(self._answers, START_TIMEOUT, f"the private MariaDB on port {self.port}")

    def _install(self) -> None:
        command = [
            self._installer,
            "--no-defaults",
            f"--user={getpass.getuser()}",
            f"--datadir={self._data_dir}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            *FAST_INNODB,
        ]
        result = subprocess.run(command, capture_output=True, timeout=START_TIMEOUT, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"{INSTALLER} failed:\n{result.stdout.decode()}{result.stderr.decode()}")

    @property
    def log_path(self) -> Path:
        return self._work_dir / "mariadb.log"

    def _answers(self) -> bool:
        if self._process is None or self._process.poll() is not None:
            raise RuntimeError(f"the private MariaDB exited at start:\n{self.log_tail()}")
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                # The server greets every client first; an error packet (0xff) means not ready.
                greeting = connection.recv(5)
                return len(greeting) == 5 and greeting[4] != 0xFF
        except OSError:
            return False

    def create_database(self, name: str) -> str:
        """An empty utf8mb4 database on this server; its SQLAlchemy URL."""

        async def create() -> None:
            import asyncmy

            connection = await asyncmy.connect(host="127.0.0.1", port=self.port, user="root", password="")
            try:
                async with connection.cursor() as cursor:
                    await cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
            finally:
                connection.close()

        # A test's event loop may be running; asyncio.run cannot nest in it.
        with ThreadPoolExecutor(1) as executor:
            executor.submit(asyncio.run, create()).result()
        return self.url(name)

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.is_file():
            return "(no log)"
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
