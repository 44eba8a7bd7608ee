"""Issue 11, consistency: every command reads the same settings and says the same about the
same file; progress import reads the dates people type and refuses the rest by row; registry
cycles, SARIF URIs and over-long Excel cells are handled."""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.parse
from functools import partial
from pathlib import Path

from tests.hostile.conftest import (
    PLAN,
    TASK1,
    TASK2,
    ansheng,
    clean,
    fill_sheet,
    parallel_cases,
    snapshot,
    write_plan,
)

case = parallel_cases(globals(), "test_consistency")


# --- ansheng.toml is read by every command -------------------------------------------------


def _units_setting(args: list[str], repo: Path) -> None:
    """``units =`` names the registry to use instead of data/departments/<jurisdiction>.yaml."""
    (repo / "reg").mkdir()
    own = (repo / "data" / "departments" / "测试市.yaml").read_text(encoding="utf-8")
    (repo / "reg" / "全部.yaml").write_text(
        own.replace("units:\n", "units:\n  - {name: 市消防救援支队, kind: 政府部门}\n"),
        encoding="utf-8",
    )
    (repo / "ansheng.toml").write_text('units = "reg/全部.yaml"\n', encoding="utf-8")
    write_plan(repo, PLAN.replace("lead: [市公安局]", "lead: [市消防救援支队]"))
    result = ansheng(repo, *args)
    clean(result)
    assert result.code == 0, result.text
    assert "E401" not in result.text and "注意" not in result.text


for _args, _marks in (
    (["validate", "data", "--strict"], ()),
    (
        ["export", "data/tasks", "--to", "json", "-o", "out.json"],
        (),
    ),
    (["due", "data", "--as-of", "2021-03-01"], ()),
    (["stats", "data", "--as-of", "2021-03-01"], ()),
):
    case(partial(_units_setting, _args), *_marks, id=f"config_units_{_args[0]}")


def _max_bytes_setting(args: list[str], repo: Path) -> None:
    (repo / "ansheng.toml").write_text("max_file_bytes = 300\n", encoding="utf-8")
    write_plan(repo)
    before = snapshot(repo)
    result = ansheng(repo, *args)
    clean(result)
    assert result.code == 1, result.text
    assert "p.yaml" in result.text
    assert snapshot(repo) == before


for _args, _marks in (
    (["validate", "data/tasks"], ()),
    (
        ["export", "data/tasks", "--to", "json", "-o", "out.json"],
        (),
    ),
    (["fmt", "data/tasks"], ()),
):
    case(partial(_max_bytes_setting, _args), *_marks, id=f"config_max_file_bytes_{_args[0]}")


def _broken_config(args: list[str], repo: Path) -> None:
    (repo / "ansheng.toml").write_text("select = [\n", encoding="utf-8")
    write_plan(repo, PLAN.replace("lead: [市公安局]", "lead:   [市公安局]"))
    before = snapshot(repo)
    result = ansheng(repo, *args)
    clean(result)
    assert result.code == 2, result.text
    assert "ansheng.toml" in result.text
    assert snapshot(repo) == before


for _args in (
    ["validate", "data"],
    ["export", "data/tasks", "--to", "json", "-o", "out.json"],
    ["fmt", "data"],
    ["fix", "data"],
    ["due", "data", "--as-of", "2021-03-01"],
    ["stats", "data", "--as-of", "2021-03-01"],
    ["report", "data", "--as-of", "2021-03-01", "-o", "r.html"],
):
    case(
        partial(_broken_config, _args),
        id=f"broken_config_{_args[0]}",
    )


def _missing_units(args: list[str], repo: Path) -> None:
    write_plan(repo)
    before = snapshot(repo)
    result = ansheng(repo, *args, "--units", "/nope.yaml")
    clean(result)
    assert result.code == 2, result.text
    assert "/nope.yaml" in result.text
    assert snapshot(repo) == before


for _args in (
    ["validate", "data"],
    ["export", "data/tasks", "--to", "json", "-o", "out.json"],
    ["due", "data", "--as-of", "2021-03-01"],
    ["fix", "data"],
):
    case(
        partial(_missing_units, _args),
        id=f"missing_units_{_args[0]}",
    )


# --- one unreadable file: its finding, not "nothing to export" -----------------------------


def _unreadable(kind: str, repo: Path) -> None:
    path = repo / "data" / "tasks" / "p.yaml"
    if kind == "yaml":
        path.write_text(PLAN.replace("    title: 甲\n", "    title: 甲: 乙: [\n"), encoding="utf-8")
    else:
        path.write_bytes(PLAN.encode("gbk"))
    result = ansheng(repo, "export", "data/tasks/p.yaml", "--to", "json", "-o", "out.json")
    clean(result)
    assert result.code == 1, result.text
    assert "没有找到可导出的计划文件" not in result.text
    assert "p.yaml" in result.text and re.search(r"\b\d+:\d+\b", result.text), result.text


for _kind in ("yaml", "gbk"):
    case(
        partial(_unreadable, _kind),
        id=f"export_unreadable_{_kind}",
    )


# --- progress import: the dates people type ------------------------------------------------


def _date_accepted(cell: object, repo: Path) -> None:
    plan = write_plan(repo)
    fill_sheet(repo / "s.xlsx", [{**TASK1, "状态": "已完成", "完成日期": cell}])
    result = ansheng(repo, "progress", "import", "s.xlsx", "--as-of", "2024-07-01")
    clean(result)
    assert result.code == 0, result.text
    text = plan.read_text(encoding="utf-8")
    assert "done: 2024-06-20" in text and "status: 已完成" in text


for _label, _cell, _marks in (
    ("datetime", dt.datetime(2024, 6, 20), ()),
    ("iso", "2024-06-20", ()),
    ("slash", "2024/6/20", ()),
    ("dot", "2024.6.20", ()),
    ("cjk", "2024年6月20日", ()),
    ("excel_serial", 45463, ()),  # 2024-06-20
):
    case(partial(_date_accepted, _cell), *_marks, id=f"progress_date_ok_{_label}")


def _date_refused(column: str, cell: object, repo: Path) -> None:
    plan = write_plan(repo)
    row = {**TASK1, "状态": "已完成", "进展情况": "已完成", column: cell}
    if column == "完成日期":
        row["填报日期"] = "2024-06-20"
    fill_sheet(
        repo / "s.xlsx", [row, {**TASK2, "进展情况": "已开展执法", "填报日期": "2024-06-21"}]
    )
    result = ansheng(repo, "progress", "import", "s.xlsx", "--as-of", "2024-07-01")
    clean(result)
    assert result.code == 1, result.text
    refusal = [line for line in result.text.splitlines() if "第 3 行" in line]
    assert refusal and column in refusal[0], result.text
    text = plan.read_text(encoding="utf-8")
    assert "已开展执法" in text  # the good row is still applied
    assert "status: 已完成" not in text and "1899" not in text


for _label, _col, _cell in (
    ("done_feb30", "完成日期", "2021-02-30"),
    ("done_tomorrow", "完成日期", "明天"),
    ("done_minus5", "完成日期", -5),
    ("done_month13", "完成日期", "2024年13月1日"),
    ("reported_tomorrow", "填报日期", "明天"),
    ("reported_feb30", "填报日期", "2024/2/30"),
):
    case(
        partial(_date_refused, _col, _cell),
        id=f"progress_date_bad_{_label}",
    )


def progress_import_writes_no_anchors(repo: Path) -> None:
    plan = write_plan(repo)
    fill_sheet(
        repo / "s.xlsx",
        [
            {**TASK1, "进展情况": "已部署"},
            {**TASK1, "进展情况": "已督查"},
            {**TASK2, "进展情况": "已执法"},
        ],
    )
    result = ansheng(repo, "progress", "import", "s.xlsx", "--as-of", "2021-03-20")
    clean(result)
    assert result.code == 0, result.text
    text = plan.read_text(encoding="utf-8")
    assert "已督查" in text and "已执法" in text
    assert not re.search(r"[&*]id\d+", text), text


case(progress_import_writes_no_anchors)


# --- registries, SARIF, Excel cells --------------------------------------------------------

CYCLE = """schema: ansheng/units-v1
jurisdiction: 测试市
units:
  - {name: 市应急管理局, kind: 政府部门}
  - {name: 市公安局, kind: 政府部门}
  - {name: 市甲局, kind: 政府部门, until: 2019-01-01, successor: 市乙局}
  - {name: 市乙局, kind: 政府部门, until: 2019-06-01, successor: 市甲局}
"""


def registry_successor_cycle_flagged(repo: Path) -> None:
    (repo / "data" / "departments" / "测试市.yaml").write_text(CYCLE, encoding="utf-8")
    result = ansheng(repo, "validate", "data/departments")
    clean(result)
    assert result.code == 1, result.text
    assert re.search(r"(测试市\.yaml:\s*[67]\b|\n\s+[67]:\d+)", result.text), result.text


case(registry_successor_cycle_flagged)


def fix_does_not_flip_in_a_cycle(repo: Path) -> None:
    (repo / "data" / "departments" / "测试市.yaml").write_text(CYCLE, encoding="utf-8")
    plan = write_plan(repo, PLAN.replace("lead: [市公安局]", "lead: [市甲局]"))
    first = ansheng(repo, "fix", "data", "--rename-to-successors")
    clean(first)
    once = plan.read_bytes()
    second = ansheng(repo, "fix", "data", "--rename-to-successors")
    clean(second)
    assert plan.read_bytes() == once, "两次 fix 来回改名"


case(fix_does_not_flip_in_a_cycle)


def sarif_uris_percent_encoded(repo: Path) -> None:
    write_plan(repo, PLAN.replace("lead: [市公安局]", "lead: [不存在的单位]"), "计划 #1%.yaml")
    result = ansheng(repo, "validate", "data/tasks", "--format", "sarif")
    clean(result)
    assert result.code == 1, result.text
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for run in json.loads(result.out)["runs"]
        for r in run["results"]
    }
    assert uris == {urllib.parse.quote("data/tasks/计划 #1%.yaml")}, uris


case(sarif_uris_percent_encoded)


def xlsx_cells_within_excel_limit(repo: Path) -> None:
    write_plan(repo, PLAN.replace("text: 修订应急预案。", "text: " + "修订应急预案" * 7000))
    result = ansheng(repo, "export", "data/tasks", "--to", "xlsx", "-o", "out.xlsx")
    clean(result)
    if result.code == 1:  # refused, with the place
        assert re.search(r"p\.yaml|\b9:\d+", result.text), result.text
        assert not (repo / "out.xlsx").exists()
        return
    assert result.code == 0, result.text
    import openpyxl

    wb = openpyxl.load_workbook(repo / "out.xlsx", read_only=True)
    longest = max(
        len(str(v)) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row
        if v is not None
    )  # fmt: skip
    assert longest <= 32767, longest


case(xlsx_cells_within_excel_limit)
