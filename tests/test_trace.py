"""Upper/lower plan links: the cross-file codes (E704, W705, W706, W707), the 对照表 of a
real pair (golden), its xlsx and json forms, link suggestions and the progress roll-up."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ansheng_cli.trace import build_table, read_plans, suggest, trace
from ansheng_cli.validate.engine import Options, Validator

FIXTURES = Path(__file__).parent / "fixtures" / "trace"
TASKS = FIXTURES / "data" / "tasks"
CITY = str(TASKS / "sh-2024-public-fire.yaml")
QINGPU = str(TASKS / "qingpu-2024-public-fire.yaml")
HUANGPU = str(TASKS / "huangpu-2024-public-fire.yaml")

PARENT = """\
schema: ansheng/v1
document:
  id: city-plan
  title: 市级方案
  issuer: 市安委办
  date: 2024-01-10
  jurisdiction: 测试市
sections:
  - no: 一
    title: 重点任务
    tasks:
      - no: "1"
        text: 开展燃气安全专项整治
        others: 各区政府
        deadline: 2024年6月底前
      - no: "2"
        text: 建立隐患排查台账
        lead: [市应急管理局]
        others: 各区政府
        deadline: 2024年12月底前
      - no: "3"
        text: 修订市级应急预案
        lead: [市应急管理局]
        deadline: 2024年12月底前
"""

CHILD = """\
schema: ansheng/v1
document:
  id: district-plan
  title: 区级方案
  issuer: 区安委办
  date: 2024-02-01
  jurisdiction: 测试区
  parents: [city-plan]
sections:
  - no: 一
    title: 重点任务
    tasks:
      - no: "1"
        text: 开展本区燃气安全专项整治
        lead: [区应急管理局]
        deadline: 2024年9月底前
        implements: [city-plan#1]
"""


def _findings(repo: Path, child: str, parent: str = PARENT) -> list[tuple[int, int, str]]:
    (repo / "data" / "tasks" / "city.yaml").write_text(parent, encoding="utf-8")
    (repo / "data" / "tasks" / "district.yaml").write_text(child, encoding="utf-8")
    report = Validator(Options()).run([str(repo / "data" / "tasks")])
    return [
        (f.line, f.column, f.code)
        for f in report.findings
        if f.code in ("E704", "W705", "W706", "W707") and f.file.endswith("district.yaml")
    ]


def test_later_deadline_and_missing_upper_task_are_reported(repo: Path) -> None:
    found = _findings(repo, CHILD)
    # W706 at parents (upper task 2 goes to 各区政府 and nothing takes it up),
    # W705 at the deadline (2024年9月底前 is later than 2024年6月底前).
    assert found == [(8, 13, "W706"), (16, 19, "W705")]


def test_a_clean_child_has_no_link_findings(repo: Path) -> None:
    child = CHILD.replace("2024年9月底前", "2024年5月底前").replace(
        "implements: [city-plan#1]", "implements: [city-plan#1, city-plan#2]"
    )
    assert _findings(repo, child) == []


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("implements: [city-plan#1]", "implements: [city-plan#9]", "没有任务“9”"),
        ("implements: [city-plan#1]", "implements: [city-plam#1]", "是不是“city-plan”"),
        ("implements: [city-plan#1]", "implements: [city-plan]", "不是“文件id#任务编号”"),
        ("parents: [city-plan]", "parents: [city-plan, county-plan]", "“county-plan”不存在"),
    ],
)
def test_unknown_references_are_errors(repo: Path, old: str, new: str, message: str) -> None:
    (repo / "data" / "tasks" / "city.yaml").write_text(PARENT, encoding="utf-8")
    (repo / "data" / "tasks" / "district.yaml").write_text(
        CHILD.replace(old, new), encoding="utf-8"
    )
    report = Validator(Options()).run([str(repo / "data" / "tasks")])
    errors = [f for f in report.findings if f.code == "E704"]
    assert len(errors) == 1 and message in errors[0].message
    assert report.exit_code == 1


def test_an_upper_unit_in_the_local_plan_is_reported(repo: Path) -> None:
    child = CHILD.replace("lead: [区应急管理局]", "lead: [市应急管理局]")
    # 测试区 has no registry; 市应急管理局 is in the registry of 测试市 (the parent's)
    assert (15, 16, "W707") in _findings(repo, child)


def test_a_city_unit_in_a_real_district_plan_is_reported(tmp_path: Path) -> None:
    """青浦区 has a registry, 上海市 none: the name's first character tells the level."""
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    child = tmp_path / "data" / "tasks" / "qingpu-2024-public-fire.yaml"
    text = child.read_text(encoding="utf-8")
    text = text.replace("lead: [区消防救援局, 区应急局]", "lead: [市消防救援总队, 区应急局]", 1)
    child.write_text(text, encoding="utf-8")
    found = Validator(Options()).run([str(tmp_path / "data")]).findings
    assert [(f.line, f.code) for f in found if f.code in ("E401", "W707")] == [
        (79, "E401"),
        (79, "W707"),
    ]


def test_the_parent_is_found_in_the_data_repository(repo: Path) -> None:
    """Validating the child alone still resolves the parent in data/."""
    (repo / "data" / "tasks" / "city.yaml").write_text(PARENT, encoding="utf-8")
    target = repo / "data" / "tasks" / "district.yaml"
    target.write_text(CHILD, encoding="utf-8")
    report = Validator(Options()).run([str(target)])
    codes = sorted(f.code for f in report.findings if f.code[1] == "7")
    assert codes == ["W705", "W706"]


def test_a_link_finding_can_be_acknowledged(repo: Path) -> None:
    child = CHILD.replace(
        "deadline: 2024年9月底前", "deadline: 2024年9月底前  # ansheng: ignore[W705] 经市里同意延后"
    )
    (repo / "data" / "tasks" / "city.yaml").write_text(PARENT, encoding="utf-8")
    (repo / "data" / "tasks" / "district.yaml").write_text(child, encoding="utf-8")
    report = Validator(Options()).run([str(repo / "data" / "tasks")])
    late = [f for f in report.findings if f.code == "W705"]
    assert len(late) == 1 and late[0].suppressed


def test_files_without_links_cost_nothing(repo: Path) -> None:
    (repo / "data" / "tasks" / "city.yaml").write_text(PARENT, encoding="utf-8")
    report = Validator(Options()).run([str(repo / "data" / "tasks")])
    assert not [f for f in report.findings if f.code[1] == "7"]


def test_ignored_codes_are_not_checked(repo: Path) -> None:
    (repo / "data" / "tasks" / "city.yaml").write_text(PARENT, encoding="utf-8")
    (repo / "data" / "tasks" / "district.yaml").write_text(CHILD, encoding="utf-8")
    report = Validator(Options(ignore=("W7",))).run([str(repo / "data" / "tasks")])
    assert not [f for f in report.findings if f.code[:2] == "W7"]


# The real pairs ---------------------------------------------------------------------------


def test_real_pairs_validate_without_link_findings() -> None:
    report = Validator(Options()).run([str(TASKS)])
    assert not [f for f in report.findings if f.code in ("E704", "W705", "W706", "W707")]
    assert report.exit_code == 0


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_trace_table_of_a_real_pair_is_golden(fmt: str) -> None:
    golden = FIXTURES / "golden" / f"qingpu-2024-public-fire.{'md' if fmt == 'md' else 'txt'}"
    text = trace([QINGPU], [CITY], fmt)
    assert text == golden.read_text(encoding="utf-8")


def test_trace_json_has_rows_coverage_and_gaps() -> None:
    data = json.loads(str(trace([HUANGPU], [CITY], "json")))
    assert len(data["rows"]) == 19
    gaps = [r["upper"]["ref"] for r in data["rows"] if not r["local"]]
    assert gaps == ["sh-2024-public-fire#13", "sh-2024-public-fire#18"]
    assert [c["covered"] for c in data["coverage"]] == [5, 4, 4, 3, 1]
    assert all(r["state"] == "已分解" for r in data["rows"] if r["assigned"])


def test_trace_finds_parents_named_by_the_child() -> None:
    assert trace([QINGPU], [], "text") == trace([QINGPU], [CITY], "text")


def test_trace_xlsx(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "对照表.xlsx"
    assert trace([QINGPU], [CITY], "xlsx", str(out)) == out
    wb = load_workbook(out)
    assert wb.sheetnames == ["对照表", "分解情况"]
    rows = list(wb["对照表"].iter_rows(values_only=True))
    assert rows[0][0] == "上下级任务对照表" and rows[1][0] == "上级编号"
    assert rows[2][0] == "一、完善消防安全责任体系"
    assert rows[3][:1] == ("1",) and rows[3][4] == "（一）" and rows[3][8] == "已分解"
    cover = list(wb["分解情况"].iter_rows(values_only=True))
    assert cover[2] == ("一、完善消防安全责任体系", 5, 1, 5, "100%")


def test_trace_refuses_an_unknown_format_and_xlsx_to_the_terminal() -> None:
    from ansheng_cli.errors import UsageProblem

    with pytest.raises(UsageProblem):
        trace([QINGPU], [CITY], "docx")
    with pytest.raises(UsageProblem):
        trace([QINGPU], [CITY], "xlsx")


def test_trace_writes_text_to_a_file(tmp_path: Path) -> None:
    written = trace([QINGPU], [CITY], "md", str(tmp_path) + "/")
    assert written == tmp_path / "上下级任务对照表.md"
    assert written.read_text(encoding="utf-8") == trace([QINGPU], [CITY], "md")


def test_gaps_are_listed(tmp_path: Path) -> None:
    """A child that drops its links: the tasks given to 各区 show as gaps."""
    shutil.copytree(FIXTURES / "data", tmp_path / "data")
    child = tmp_path / "data" / "tasks" / "qingpu-2024-public-fire.yaml"
    text = child.read_text(encoding="utf-8")
    child.write_text(
        "\n".join(line for line in text.splitlines() if "implements: [sh-" not in line) + "\n",
        encoding="utf-8",
    )
    found = Validator(Options()).run([str(child)]).findings
    assert [f.line for f in found if f.code == "W706"] == [14, 14, 14]
    out = str(trace([str(child)], [CITY], "text"))
    assert (
        "缺项：3 项（sh-2024-public-fire#1、sh-2024-public-fire#6、sh-2024-public-fire#17）" in out
    )


def test_progress_rolls_up(tmp_path: Path) -> None:
    text = (
        Path(QINGPU)
        .read_text(encoding="utf-8")
        .replace(
            "        implements: [sh-2024-public-fire#19]",
            "        implements: [sh-2024-public-fire#19]\n        status: 已完成\n        done: 2025-06-30",
        )
    )
    child = tmp_path / "child.yaml"
    child.write_text(text, encoding="utf-8")
    table = build_table(read_plans([str(child)]), read_plans([CITY]))
    states = {r.upper.key: r.progress for r in table.rows}
    assert states["19"] == "已完成" and states["1"] == "未完成" and states["13"] == "未完成"


def test_suggestions_explain_themselves() -> None:
    items = suggest(read_plans([HUANGPU]), read_plans([CITY]), everything=True)
    first = items[0]
    assert first.task.key == "（一）"
    top = first.candidates[0]
    assert top.upper.key == "1" and 0 < top.score <= 1
    assert top.phrases and all(p in first.task.body for p in top.phrases)
    text = str(trace([HUANGPU], [CITY], "text", suggest_links=True))
    assert "所有本级任务都已写明 implements" in text


def test_suggestion_figures_hold() -> None:
    """The figures reported in benchmarks/trace_eval.py, as a floor."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "trace_eval", Path(__file__).parent.parent / "benchmarks" / "trace_eval.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for _, child, parent in module.PAIRS:
        figures = module.evaluate(FIXTURES, child, parent)
        assert figures["P@1"] >= 0.9 and figures["R@3"] >= 0.9
