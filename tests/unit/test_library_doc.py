"""docs/library.md promises a script that works as printed."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "library.md"


def test_the_documented_script_signs_a_member_up(tmp_path: Path) -> None:
    script = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert script is not None, "docs/library.md lost its python example"
    assert len(script.group(1).strip().splitlines()) <= 10

    result = subprocess.run(
        [sys.executable, "-c", script.group(1)], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1 jiwoo@example.com True"
