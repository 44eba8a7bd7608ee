"""The project's own checks: ruff (lint and format) and mypy, as CI runs them."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.skipif(
    shutil.which("ruff") is None and not (Path(sys.prefix) / "bin/ruff").exists(),
    reason="ruff not installed",
)
def test_ruff_lint_and_format() -> None:
    ruff = shutil.which("ruff") or str(Path(sys.prefix) / "bin/ruff")
    lint = _run(ruff, "check", "src", "tests", "benchmarks", "tools")
    assert lint.returncode == 0, lint.stdout
    fmt = _run(ruff, "format", "--check", "src", "tests", "benchmarks", "tools")
    assert fmt.returncode == 0, fmt.stdout


@pytest.mark.slow
def test_mypy() -> None:
    pytest.importorskip("mypy")
    result = _run(sys.executable, "-m", "mypy")
    assert result.returncode == 0, result.stdout


def test_every_package_is_listed_for_packaging() -> None:
    import tomllib

    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    src = ROOT / "src"
    found = {".".join(p.parent.relative_to(src).parts) for p in src.rglob("__init__.py")} | {
        "ansheng_cli.templates"
    }
    assert listed == found
    assert (ROOT / "templates" / "attachment.txt.j2").is_file()
