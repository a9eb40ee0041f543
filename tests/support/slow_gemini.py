"""bench/slow_gemini.py as a child process: every generateContent call takes ``latency`` seconds."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.processes import ChildProcess

ROOT = Path(__file__).resolve().parents[2]


class SlowGemini(ChildProcess):
    def __init__(self, latency: float, questions: int) -> None:
        super().__init__()
        self._arguments = ["--latency", str(latency), "--questions", str(questions)]
        self.base_url = ""

    def start(self) -> None:
        environment = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, str(ROOT / "bench" / "slow_gemini.py"), *self._arguments]
        self._process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        assert self._process.stdout is not None
        # The child prints its port once it listens.
        port = int(self._process.stdout.readline())
        self.base_url = f"http://127.0.0.1:{port}"
