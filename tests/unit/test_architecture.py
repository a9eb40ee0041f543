"""The hexagon's rule: the domain depends on nothing; adapters never on the web shell.

The contracts live in pyproject.toml ([tool.importlinter]); these tests run them on the
real tree and prove they bite by planting a forbidden import in a copy of it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    lint = Path(sys.executable).with_name("lint-imports")
    return subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=src,
        env={"PYTHONPATH": str(src), "PATH": str(Path(sys.executable).parent)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src", src, ignore=shutil.ignore_patterns("__pycache__"))
    return src


def test_the_real_tree_keeps_every_contract() -> None:
    result = lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("module", "planted", "contract"),
    [
        ("pullit_domain/model/member.py", "import sqlalchemy", "The domain imports no adapter"),
        ("pullit_domain/use_cases/members.py", "import httpx", "The domain imports no adapter"),
        (
            "pullit_domain/ports/clock.py",
            "from pullit_adapters.clock import SystemClock",
            "The domain imports no adapter",
        ),
        ("pullit_adapters/clock.py", "import pullit_web.settings", "Adapters never reach into the web shell"),
    ],
)
def test_a_forbidden_import_breaks_the_build(tree_copy: Path, module: str, planted: str, contract: str) -> None:
    path = tree_copy / module
    path.write_text(f"{planted}  # noqa\n{path.read_text()}")

    result = lint_imports(tree_copy)

    assert result.returncode != 0
    assert f"{contract}" in result.stdout
    assert "BROKEN" in result.stdout
