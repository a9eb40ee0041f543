"""The `pullit` command as a newcomer runs it: no configuration at all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.support.processes import free_port, wait_until
from tests.support.services import fresh_mariadb_database

PULLIT = str(Path(sys.executable).with_name("pullit"))


def clean_environment(**extra: str) -> dict[str, str]:
    """The caller's environment minus every PULLIT_ variable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULLIT_")}
    env.update(extra)
    return env


def healthy(base: str, process: subprocess.Popen[bytes]) -> bool:
    if process.poll() is not None:
        raise AssertionError(f"server exited early with {process.returncode}")
    try:
        return httpx.get(f"{base}/api/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@contextmanager
def serving(tmp_path: Path, **settings: str) -> Iterator[str]:
    """``pullit serve`` in ``tmp_path`` with only ``settings`` set: its base URL once it answers;
    on the way out it must stop cleanly on SIGINT."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [PULLIT, "serve", "--port", str(port)],
        cwd=tmp_path,
        env=clean_environment(**settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: healthy(base, process), 30, "pullit serve to answer /api/health")
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    assert process.returncode == 0, output.decode()


def test_serve_with_no_configuration_creates_and_migrates_a_sqlite_file(tmp_path: Path) -> None:
    with serving(tmp_path) as base:
        assert httpx.get(f"{base}/api/health/ready").json()["status"] == "UP"
        docs = httpx.get(f"{base}/docs")
        assert docs.status_code == 200 and "text/html" in docs.headers["content-type"]
        assert (tmp_path / ".pullit" / "pullit.db").is_file()


def test_serve_runs_on_pythons_own_event_loop_when_asked(tmp_path: Path) -> None:
    with serving(tmp_path, PULLIT_EVENT_LOOP="asyncio") as base:
        assert httpx.get(f"{base}/api/health/ready").json()["status"] == "UP"


@pytest.mark.parametrize(
    ("setting", "value", "explained"),
    [
        ("PULLIT_DATABASE_URL", "mysql://root@:not-a-port/x", "pullit: invalid settings: PULLIT_DATABASE_URL"),
        ("PULLIT_EVENT_LOOP", "tokio", "pullit: invalid settings: PULLIT_EVENT_LOOP: Invalid enum value 'tokio'"),
    ],
)
def test_an_invalid_setting_stops_the_service_with_one_clear_line(
    tmp_path: Path, setting: str, value: str, explained: str
) -> None:
    result = subprocess.run(
        [PULLIT, "serve"],
        cwd=tmp_path,
        env=clean_environment(**{setting: value}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(explained)
    assert "Traceback" not in result.stderr


def test_migrate_brings_a_fresh_mariadb_database_up_to_date(tmp_path: Path) -> None:
    with fresh_mariadb_database() as url:
        env = clean_environment(PULLIT_DATABASE_URL=url, PULLIT_SECRET_KEY="x" * 40)
        first = subprocess.run([PULLIT, "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        again = subprocess.run([PULLIT, "migrate"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)

    assert first.returncode == 0, first.stderr
    assert again.returncode == 0, again.stderr
    assert "up to date" in first.stderr


@pytest.mark.parametrize("command", [["--help"], ["serve", "--help"]])
def test_help_lists_the_commands(command: list[str]) -> None:
    result = subprocess.run([PULLIT, *command], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0
    assert "serve" in result.stdout or "--port" in result.stdout
