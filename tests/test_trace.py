"""Upper/lower plan links: the cross-file codes (E704, W705, W706, W707, W708), the 对照表 of a
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
    text, _ = trace([QINGPU], [CITY], fmt)
    assert text == golden.read_text(encoding="utf-8")


def test_trace_json_has_rows_coverage_and_gaps() -> None:
    data = json.loads(trace([HUANGPU], [CITY], "json")[0])
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
    assert trace([QINGPU], [CITY], "xlsx", str(out)) == ("", f"已导出：{out}\n")
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
    said = trace([QINGPU], [CITY], "md", str(tmp_path) + "/")
    written = tmp_path / "上下级任务对照表.md"
    assert said == ("", f"已导出：{written}\n")
    assert written.read_text(encoding="utf-8") == trace([QINGPU], [CITY], "md")[0]


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
    out = trace([str(child)], [CITY], "text")[0]
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
    text = trace([HUANGPU], [CITY], "text", suggest_links=True)[0]
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


ROLLED_CHILD = (
    CHILD.replace(
        "        implements: [city-plan#1]",
        "        implements: [city-plan#1]\n        status: 已完成\n        done: 2024-05-20",
    )
    + """\
      - no: "2"
        text: 建立本区隐患排查台账
        lead: [区应急管理局]
        deadline: 2024年10月底前
        implements: [city-plan#2]
        status: 推进中
        progress:
          - {date: 2024-07-01, unit: 区应急管理局, text: 已排查 30 家}
      - no: "3"
        text: 建立街道隐患排查台账
        lead: [区应急管理局]
        deadline: 2024年11月底前
        implements: [city-plan#2]
"""
)


def test_supervision_rolls_local_progress_up_to_the_upper_tasks(repo: Path) -> None:
    """stats/due/report --parent: the upper plan's tasks carry the local state: #1 done
    (its one local task is), #2 under way (one of two reported), #3 not taken up."""
    from tests.clirun import run

    tasks = repo / "data" / "tasks"
    (tasks / "city.yaml").write_text(PARENT, encoding="utf-8")
    (tasks / "district.yaml").write_text(ROLLED_CHILD, encoding="utf-8")
    args = ("data/tasks/district.yaml", "--parent", "data/tasks/city.yaml", "--as-of", "2025-01-15")
    code, out = run(repo, "stats", *args, "--format", "json")
    assert code == 0, out
    assert "按上级计划汇总：上级 3 项任务中 2 项有本级任务落实（本级 3 项次）" in out
    stats = json.loads(out[out.index("{") :])
    assert stats["documents"] == [
        {"title": "市级方案", "tasks": 3, "completed": 1, "confirmed": 0, "rate": 0.3333}
    ]
    code, out = run(repo, "due", *args, "--format", "json")
    due = json.loads(out[out.index("{") :])
    assert sorted((i["no"], i["state"]) for i in due["items"]) == [
        ("2", "overdue"), ("3", "overdue")
    ]  # fmt: skip
    code, out = run(repo, "report", *args, "-o", "r.html")
    page = (repo / "r.html").read_text(encoding="utf-8")
    assert code == 0 and "市级方案" in page and "区级方案" not in page
    assert 'class="c s-已完成">已完成' in page


def _unlinked_copy(tmp_path: Path, crlf: bool = False) -> Path:
    """The trace fixtures with the 青浦区 plan's hand links taken out."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES, root)
    child = root / "data" / "tasks" / "qingpu-2024-public-fire.yaml"
    lines = child.read_text(encoding="utf-8").splitlines(keepends=True)
    text = "".join(line for line in lines if not line.startswith("        implements: [sh-"))
    child.write_bytes(text.replace("\n", "\r\n" if crlf else "\n").encode("utf-8"))
    return child


def test_w708_names_the_upper_task_a_local_task_restates(tmp_path: Path) -> None:
    child = _unlinked_copy(tmp_path)
    report = Validator(Options(select=("W708",))).run([str(child.parent)])
    found = [(f.line, f.message[:40]) for f in report.findings if f.code == "W708"]
    assert len(found) == 13
    assert found[0] == (20, "本级任务与上级任务 sh-2024-public-fire#1（认真落实《中华人")


@pytest.mark.parametrize("crlf", [False, True])
def test_fix_writes_the_suggested_links_for_review(tmp_path: Path, crlf: bool) -> None:
    from ansheng_cli.fix import fix_files

    child = _unlinked_copy(tmp_path, crlf)
    assert not fix_files([str(child)], ["W4", "W5", "W7"], True)[0].fixed.changes  # type: ignore[union-attr]
    result = fix_files([str(child)], ["W708"], True)[0]
    assert result.fixed is not None and len(result.fixed.changes) == 13
    raw = child.read_bytes()
    assert (b"\r\n" in raw) == crlf and b"\r\r" not in raw
    lines = raw.decode("utf-8").splitlines()
    at = lines.index("        source: {file: qingpu-2024-public-fire.md, line: 10}")
    assert lines[at + 1 : at + 3] == [
        "        implements: [sh-2024-public-fire#1]  # 待核对：按文字相似度建议（0.47），核对后删去本注释",
        "      - no: （二）",
    ]
    report = Validator(Options()).run([str(child.parent)])
    codes = [f.code for f in report.findings if f.file.endswith("qingpu-2024-public-fire.yaml")]
    assert "W708" not in codes and codes.count("W903") == 13
    again = fix_files([str(child)], ["W708"], True)[0]
    assert again.fixed is not None and not again.fixed.changes


def test_fix_links_a_task_written_as_a_flow_mapping(repo: Path) -> None:
    from ansheng_cli.fix import fix_files

    tasks = repo / "data" / "tasks"
    (tasks / "city.yaml").write_text(PARENT, encoding="utf-8")
    child = CHILD.replace(
        "    tasks:\n",
        '    tasks:\n      - {no: "0", text: 修订市级应急预案并组织演练, lead: [区应急管理局]}\n',
        1,
    )
    (tasks / "district.yaml").write_text(child, encoding="utf-8")
    fix_files([str(tasks / "district.yaml")], ["W708"], True)
    assert (
        '      - {no: "0", text: 修订市级应急预案并组织演练, lead: [区应急管理局], '
        "implements: [city-plan#3]}  # 待核对："
    ) in (tasks / "district.yaml").read_text(encoding="utf-8")
