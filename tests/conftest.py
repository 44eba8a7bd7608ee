from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
UNITS = ROOT / "tests" / "rules" / "cases" / "_units.yaml"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An empty data repository with the test registry (测试市)."""
    (tmp_path / "data" / "tasks").mkdir(parents=True)
    (tmp_path / "data" / "departments").mkdir(parents=True)
    (tmp_path / "data" / "departments" / "测试市.yaml").write_text(
        UNITS.read_text(encoding="utf-8"), encoding="utf-8"
    )
    return tmp_path
