"""The progress round-trip through Excel: export a unit's sheet, fill it, import, re-import."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from ansheng_cli.validate.engine import Options, Validator
from tests.clirun import run

PLAN = """# 督办测试计划
schema: ansheng/v1
document: {id: p, title: 督办测试, issuer: 测试市安委办, date: 2021-01-10, jurisdiction: 测试市, default_deadline: 2021年底前}
sections:
  - no: 一
    title: 甲
    tasks:
      - no: "1"  # 重点任务
        text: 修订应急预案。
        lead: [市应急管理局]
      - no: "2"
        text: 开展联合执法。
        lead: [市公安局]
        support: [市应急管理局]
        progress:
          - {date: 2021-02-01, unit: 市应急管理局, text: 已制定方案}
"""


def test_round_trip(repo: Path) -> None:
    plan = repo / "data" / "tasks" / "p.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    sheet = repo / "sheet.xlsx"
    code, out = run(
        repo,
        "export",
        "data/tasks/p.yaml",
        "--to",
        "progress-xlsx",
        "--unit",
        "市应急局",
        "-o",
        str(sheet),
    )
    assert code == 0, out
    wb = openpyxl.load_workbook(sheet)
    ws = wb["进展填报表"]
    assert ws["A1"].value == (
        f"市应急管理局进展填报表\n截至 {dt.date.today()}。只填黄色各列；复核意见、复核人由安委办填写；"
        "灰色各列请勿改动"
    )
    # the columns to fill are tinted and open under sheet protection; the unit's 定位 grey
    assert [ws.cell(3, c).fill.fgColor.rgb[-6:] for c in (7, 8, 9, 10)] == ["FFF2CC"] * 4
    assert not ws["H3"].protection.locked and ws["N3"].font.color.rgb[-6:] == "808080"
    assert wb["_轮次"].sheet_state == "veryHidden" and ws.protection.sheet
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    assert [(r[1], r[3], r[5], r[12], r[13]) for r in rows] == [
        ("1", "牵头", "红", "市应急管理局", "p:0.0"),
        ("2", "配合", "红", "市应急管理局", "p:0.1"),
    ]
    validation, dates = ws.data_validations.dataValidation
    assert (
        validation.formula1 == '"未启动,推进中,已完成,已销号,暂缓"'
        and str(validation.sqref) == "G3:G4"
        and validation.showErrorMessage
    )
    assert (dates.type, str(dates.sqref), dates.showErrorMessage) == ("date", "I3:J4", True)
    # the unit fills it in
    ws["G3"], ws["H3"], ws["J3"] = "推进中", "已完成初稿", dt.datetime(2021, 3, 1)
    ws["G4"], ws["I4"] = "已完成", dt.datetime(2021, 3, 15)
    ws["H4"], ws["J4"] = "已制定方案", dt.datetime(2021, 2, 1)  # already recorded: not added twice
    wb.save(sheet)
    code, out = run(repo, "progress", "import", str(sheet), "--as-of", "2021-03-20")
    assert code == 0, out
    text = plan.read_text(encoding="utf-8")
    assert "# 督办测试计划" in text and '- no: "1"  # 重点任务' in text
    assert (
        "status: 推进中" in text
        and "progress:\n          - {date: 2021-03-01, unit: 市应急管理局, text: 已完成初稿}"
        in text
    )
    assert "status: 已完成" in text and "done: 2021-03-15" in text
    assert text.count("已制定方案") == 1
    report = Validator(Options(as_of=dt.date(2021, 3, 20))).run([str(plan)])
    assert [f.code for f in report.findings] == []
    # the same sheet again: nothing changes
    code, out = run(repo, "progress", "import", str(sheet), "--as-of", "2021-03-20")
    assert code == 0 and plan.read_text(encoding="utf-8") == text
    assert "修改了 0 个文件" in out


def test_a_task_changed_since_the_export_is_refused(repo: Path) -> None:
    plan = repo / "data" / "tasks" / "p.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    sheet = repo / "sheet.xlsx"
    assert (
        run(
            repo,
            "export",
            "data/tasks/p.yaml",
            "--to",
            "progress-xlsx",
            "--unit",
            "市应急管理局",
            "-o",
            str(sheet),
        )[0]
        == 0
    )
    wb = openpyxl.load_workbook(sheet)
    ws = wb["进展填报表"]
    ws["H3"], ws["H4"] = "已完成初稿", "已开展两次"
    wb.save(sheet)
    plan.write_text(PLAN.replace("修订应急预案。", "修订并演练应急预案。"), encoding="utf-8")
    code, out = run(repo, "progress", "import", str(sheet), "--as-of", "2021-03-20")
    assert code == 1
    assert "拒绝：第 3 行：任务“1”的编号或内容已变更" in out
    text = plan.read_text(encoding="utf-8")
    assert "已完成初稿" not in text and "已开展两次" in text  # row 4 still applied


def test_bad_sheets(repo: Path) -> None:
    (repo / "data" / "tasks" / "p.yaml").write_text(PLAN, encoding="utf-8")
    other = repo / "other.xlsx"
    openpyxl.Workbook().save(other)
    code, out = run(repo, "progress", "import", str(other))
    assert code == 2 and "进展填报表" in out
    (repo / "junk.xlsx").write_bytes(b"not a workbook")
    assert run(repo, "progress", "import", "junk.xlsx")[0] == 2
    assert run(repo, "export", "data/tasks/p.yaml", "--to", "progress-xlsx")[0] == 2  # needs --unit


@pytest.mark.parametrize("name", ["filled.xls", "filled.ods"])
def test_a_sheet_saved_as_xls_or_ods_is_read(repo: Path, name: str) -> None:
    plan = repo / "data" / "tasks" / "p.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    sheet = Path(__file__).parent / "fixtures" / "progress" / name
    code, out = run(repo, "progress", "import", str(sheet), "--as-of", "2021-03-20")
    assert code == 0, out
    text = plan.read_text(encoding="utf-8")
    assert "status: 推进中" in text and "text: 已完成初稿}" in text and "done: 2021-03-15" in text


def test_a_wps_et_file_gets_a_clear_message(repo: Path) -> None:
    (repo / "data" / "tasks" / "p.yaml").write_text(PLAN, encoding="utf-8")
    (repo / "s.et").write_bytes(b"\xd0\xcf\x11\xe0 not really")
    code, out = run(repo, "progress", "import", "s.et")
    assert code == 2 and "另存为" in out and "内部错误" not in out


# Merging writes text edits at the task's place: every other byte stays as written.
_BASE = """schema: ansheng/v1
document: {id: p, title: 督办测试, issuer: 测试市安委办, date: 2021-01-10, jurisdiction: 测试市}
sections:
  - no: 一
    title: 甲
    tasks:
"""
_SHAPES = {
    # no progress yet: status and progress become the task's last keys, before its comment
    "block task": (
        '      - no: "1"\n        text: 修订应急预案。\n        lead: [市应急管理局]  # 牵头\n\n'
        "      # 下一项\n",
        '      - no: "1"\n        text: 修订应急预案。\n        lead: [市应急管理局]  # 牵头\n'
        "        status: 推进中\n        progress:\n"
        "          - {date: 2021-03-01, unit: 市应急管理局, text: 已完成初稿}\n\n      # 下一项\n",
    ),
    # a block list gets its item after the last one (and its comment); status is replaced
    "block list": (
        '      - no: "1"\n        text: 修订应急预案。\n        status: 未启动   # 原状态\n'
        "        progress:\n          -   date: 2021-02-01\n              unit: 市应急管理局\n"
        "              text: 已制定方案  # 手写\n",
        '      - no: "1"\n        text: 修订应急预案。\n        status: 推进中   # 原状态\n'
        "        progress:\n          -   date: 2021-02-01\n              unit: 市应急管理局\n"
        "              text: 已制定方案  # 手写\n"
        "          -   {date: 2021-03-01, unit: 市应急管理局, text: 已完成初稿}\n",
    ),
    "flow list": (
        '      - no: "1"\n        text: 修订应急预案。\n        progress: [{date: 2021-02-01, '
        "unit: 市应急管理局, text: 已制定方案}]\n",
        '      - no: "1"\n        text: 修订应急预案。\n        progress: [{date: 2021-02-01, '
        "unit: 市应急管理局, text: 已制定方案}, {date: 2021-03-01, unit: 市应急管理局, text: "
        "已完成初稿}]\n        status: 推进中\n",
    ),
    "flow task": (
        '      - {no: "1", text: 修订应急预案。}  # 一行写完\n',
        '      - {no: "1", text: 修订应急预案。, status: 推进中, progress: [{date: 2021-03-01, '
        "unit: 市应急管理局, text: 已完成初稿}]}  # 一行写完\n",
    ),
}


@pytest.mark.parametrize("shape", list(_SHAPES))
@pytest.mark.parametrize("windows", [False, True], ids=["lf", "crlf-bom"])
def test_merge_edits_in_place(tmp_path: Path, shape: str, windows: bool) -> None:
    from ansheng_cli.supervise.merge import merge
    from ansheng_cli.supervise.progress import Row, check_code

    before, expected = (_BASE + s for s in _SHAPES[shape])
    encode = (
        (lambda t: b"\xef\xbb\xbf" + t.replace("\n", "\r\n").encode()) if windows else str.encode
    )
    plan = tmp_path / "p.yaml"
    plan.write_bytes(encode(before))
    row = Row(3, "p", (0, 0), check_code("1", "修订应急预案。"), "市应急管理局", "推进中",
              "已完成初稿", None, dt.date(2021, 3, 1))  # fmt: skip
    result = merge([row], {"p": plan}, dt.date(2021, 3, 20))
    assert [text for _, text in result.applied] == ["任务“1”状态 → 推进中", "任务“1”新增进展"]
    assert plan.read_bytes() == encode(expected)


def test_merge_quotes_what_would_read_back_otherwise(tmp_path: Path) -> None:
    from ansheng_cli.supervise.merge import merge
    from ansheng_cli.supervise.progress import Row, check_code

    plan = tmp_path / "p.yaml"
    plan.write_text(_BASE + _SHAPES["block task"][0], encoding="utf-8")
    texts = ["注: 已完成, 待验收", "2021-03-01", "- 第一条\n- 第二条", "null"]
    rows = [
        Row(
            3 + i,
            "p",
            (0, 0),
            check_code("1", "修订应急预案。"),
            "市应急管理局",
            None,
            t,
            None,
            dt.date(2021, 3, 1),
        )
        for i, t in enumerate(texts)
    ]
    merge(rows, {"p": plan}, dt.date(2021, 3, 20))
    text = plan.read_text(encoding="utf-8")
    assert '{date: 2021-03-01, unit: 市应急管理局, text: "注: 已完成, 待验收"}' in text
    assert '{date: 2021-03-01, unit: 市应急管理局, text: "2021-03-01"}' in text
    assert '{date: 2021-03-01, unit: 市应急管理局, text: "- 第一条\\n- 第二条"}' in text
    from ansheng_cli.plan.loader import load_text

    data = load_text(plan, text).data
    assert [e["text"] for e in data["sections"][0]["tasks"][0]["progress"]] == texts


def test_a_confirmation_applies_only_while_the_task_is_claimed(tmp_path: Path) -> None:
    """``progress confirm`` checks the status before it takes the lock; the merge checks it
    again under the lock, so an import that ran in between is not overridden."""
    from ansheng_cli.supervise.merge import merge
    from ansheng_cli.supervise.progress import Row, check_code

    plan = tmp_path / "p.yaml"
    plan.write_text(_BASE + _SHAPES["block list"][0], encoding="utf-8")  # status: 未启动
    row = Row(1, "p", (0, 0), check_code("1", "修订应急预案。"), "", "已完成", None, None, None,
              "同意", "张三", confirming=True)  # fmt: skip
    result = merge([row], {"p": plan}, dt.date(2021, 3, 20))
    assert [t for _, t in result.refused] == ["任务“1”的状态已是“未启动”，未销号"]
    assert plan.read_text(encoding="utf-8") == _BASE + _SHAPES["block list"][0]


def test_a_confirming_review_needs_a_reviewer(tmp_path: Path) -> None:
    """A unit that types 同意销号 into its own sheet does not close its task: the 复核 is the
    office's, and names who made it."""
    from ansheng_cli.supervise.merge import merge
    from ansheng_cli.supervise.progress import Row, check_code

    plan = tmp_path / "p.yaml"
    plan.write_text(_BASE + _SHAPES["block task"][0], encoding="utf-8")
    row = Row(3, "p", (0, 0), check_code("1", "修订应急预案。"), "市应急管理局", "已完成", None,
              dt.date(2021, 3, 1), None, "同意销号", None)  # fmt: skip
    result = merge([row], {"p": plan}, dt.date(2021, 3, 20))
    assert [t for _, t in result.refused] == ["任务“1”的复核意见没有写复核人，未销号"]
    assert [t for _, t in result.applied] == [
        "任务“1”状态 → 已完成",
        "任务“1”完成日期 → 2021-03-01",
    ]
    assert "已销号" not in plan.read_text(encoding="utf-8")


def test_a_task_longer_than_a_row_is_shortened_and_still_imports(repo: Path) -> None:
    long = "加强安全生产监管执法，" * 300
    plan = repo / "data" / "tasks" / "p.yaml"
    plan.write_text(PLAN.replace("修订应急预案。", long), encoding="utf-8")
    code, out = run(repo, "export", "data/tasks/p.yaml", "--to", "progress-xlsx", "--unit",
                    "市应急管理局", "-o", "s.xlsx", "--as-of", "2021-03-01")  # fmt: skip
    assert code == 0, out
    wb = openpyxl.load_workbook(repo / "s.xlsx")
    ws = wb["进展填报表"]
    assert ws["C3"].value.endswith("……（全文见计划原文）") and len(ws["C3"].value) < len(long)
    assert ws.row_dimensions[3].height <= 409
    ws["H3"], ws["J3"] = "已部署", dt.datetime(2021, 3, 1)
    wb.save(repo / "s.xlsx")
    code, out = run(repo, "progress", "import", "s.xlsx", "--as-of", "2021-03-20")
    assert code == 0 and "任务“1”新增进展" in out, out


@pytest.mark.parametrize(
    ("status", "review", "reviewer", "refused", "after"),
    [
        # another unit's sheet takes nothing back: neither the status nor the date
        ("暂缓", None, None, "状态和完成日期未改", ("已完成", "2021-03-01")),
        ("推进中", None, None, "状态和完成日期未改", ("已完成", "2021-03-01")),
        # a unit cannot close a task: its 已销号 is a claim
        ("已销号", None, None, "已销号须经安委办复核，记为“已完成”", ("已完成", "2021-12-31")),
        # the office's copy with a reviewer closes it
        ("已销号", "同意", "李四", None, ("已销号", "2021-12-31")),
    ],
)
def test_a_sheet_cannot_take_back_or_close_a_claim(
    tmp_path: Path,
    status: str,
    review: str | None,
    reviewer: str | None,
    refused: str | None,
    after: tuple[str, str],
) -> None:
    from ansheng_cli.supervise.merge import merge
    from ansheng_cli.supervise.progress import Row, check_code

    plan = tmp_path / "p.yaml"
    task = '      - no: "1"\n        text: 修订应急预案。\n        status: 已完成\n        done: 2021-03-01\n'
    plan.write_text(_BASE + task, encoding="utf-8")
    row = Row(3, "p", (0, 0), check_code("1", "修订应急预案。"), "市公安局", status, None,
              dt.date(2021, 12, 31), None, review, reviewer)  # fmt: skip
    result = merge([row], {"p": plan}, dt.date(2021, 3, 20))
    said = [t for _, t in result.refused]
    assert (len(said) == 1 and refused in said[0]) if refused else said == []
    text = plan.read_text(encoding="utf-8")
    assert f"status: {after[0]}\n        done: {after[1]}" in text


@pytest.mark.parametrize(
    "task",
    [
        '      - no: "1"\n        text: 修订应急预案。\n        others: |+\n          市有关部门\n\n',
        '      - no: "1"\n        text: 修订应急预案。\n        progress:\n',
    ],
    ids=["block-scalar-last", "empty-progress"],
)
def test_a_task_written_so_that_no_edit_can_be_placed_is_refused(tmp_path: Path, task: str) -> None:
    """Nothing is rewritten that the user did not ask for: the rows are refused with the
    task's line, and the file keeps every byte."""
    from ansheng_cli.supervise.merge import merge
    from ansheng_cli.supervise.progress import Row, check_code

    plan = tmp_path / "p.yaml"
    plan.write_text(_BASE + task, encoding="utf-8")
    before = plan.read_bytes()
    row = Row(3, "p", (0, 0), check_code("1", "修订应急预案。"), "市应急管理局", None, "已部署",
              None, dt.date(2021, 3, 1))  # fmt: skip
    result = merge([row], {"p": plan}, dt.date(2021, 3, 20))
    [(_, reason)] = result.refused
    assert (
        reason.startswith(f"{plan}:7: 这项任务的写法无法就地追加进展") and "ansheng fmt" in reason
    )
    assert plan.read_bytes() == before
