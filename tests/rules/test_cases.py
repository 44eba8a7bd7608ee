"""Run every case in tests/rules/cases/<CODE>.yaml: the document and the exact findings.

Cases compare (line, column, code) only, so rewording a message breaks nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from ansheng_cli.fix import fix_files
from ansheng_cli.validate.engine import Options, Validator

CASES_DIR = Path(__file__).parent / "cases"


def _case_files() -> list[Path]:
    return sorted(p for p in CASES_DIR.glob("*.yaml") if not p.name.startswith("_"))


def _cases() -> list[Any]:
    params = []
    for path in _case_files():
        data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for i, case in enumerate(data["cases"]):
            params.append(pytest.param(data["code"], case, id=f"{data['code']}-{i}-{case['name']}"))
    return params


@pytest.mark.parametrize(("code", "case"), _cases())
def test_case(repo: Path, code: str, case: dict[str, Any]) -> None:
    if case.get("file") == "units":
        target = repo / "data" / "departments" / "测试市.yaml"
        target.write_text(case["units"], encoding="utf-8")
    else:
        target = repo / "data" / "tasks" / "case.yaml"
        target.write_text(case["document"], encoding="utf-8")
    report = Validator(Options()).run([str(target)])
    found = [f for f in report.findings if f.code == code]
    assert [[f.line, f.column, f.code] for f in found] == case["expect"]
    suppressed = [[f.line, f.column, f.code] for f in found if f.suppressed]
    assert suppressed == case.get("suppressed", [])
    if "fixed" in case:  # the rule's own repair, as `ansheng fix --select CODE` applies it
        fix_files([str(target)], [code], write=True)
        assert target.read_text(encoding="utf-8") == case["fixed"]
        after = Validator(Options()).run([str(target)])
        assert [f for f in after.findings if f.code == code and not f.suppressed] == []


def test_every_fixable_rule_has_a_fixed_case() -> None:
    from ansheng_cli.validate.rules import fixes

    with_fixed = {
        YAML(typ="safe").load(p.read_text(encoding="utf-8"))["code"]
        for p in _case_files()
        if "fixed:" in p.read_text(encoding="utf-8")
    }
    assert {r.code for r in fixes()} <= with_fixed
