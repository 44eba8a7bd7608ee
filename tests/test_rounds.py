"""一轮督办 end to end: every unit's sheet in one command, the round recorded, sheets filled
(one re-saved as .xls by LibreOffice), all imported in one command, who has not reported,
复核销号, and the 催办单."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from tests.clirun import run

PLAN = """schema: ansheng/v1
document: {id: p, title: 督办测试, issuer: 测试市安全生产委员会办公室, date: 2024-01-10, jurisdiction: 测试市}
sections:
  - no: 一
    title: 重点任务
    tasks:
      - no: "1"
        text: 修订应急预案。
        lead: [市应急管理局]
        deadline: 2024年6月底前
      - no: "2"
        text: 开展联合执法。
        lead: [市公安局]
        support: [市应急管理局]
        deadline: 2024年12月底前
      - no: "3"
        text: 排查燃气隐患。
        lead: [市委宣传部]
        deadline: 2024年7月20日前
"""
ROUND = ("--round", "2024年第二季度", "--return-by", "2024-07-10", "--as-of", "2024-06-30")


@pytest.fixture
def started(repo: Path) -> Path:
    (repo / "data" / "tasks" / "p.yaml").write_text(PLAN, encoding="utf-8")
    code, out = run(repo, "export", "data/tasks/p.yaml", "--to", "progress-xlsx", *ROUND,
                    "-o", "填报表/")  # fmt: skip
    assert code == 0, out
    assert "已生成 3 个单位的进展填报表" in out
    return repo


def _fill(sheet: Path, rows: dict[int, tuple[str, str]], day: dt.date) -> None:
    wb = openpyxl.load_workbook(sheet)
    ws = wb["进展填报表"]
    for row, (status, text) in rows.items():
        ws.cell(row, 7).value, ws.cell(row, 8).value, ws.cell(row, 10).value = status, text, day
    wb.save(sheet)


def test_a_round_is_started_for_every_unit_in_one_command(started: Path) -> None:
    names = sorted(p.name for p in (started / "填报表").iterdir())
    assert names == [
        "市公安局_2024年第二季度_进展填报表.xlsx",
        "市委宣传部_2024年第二季度_进展填报表.xlsx",
        "市应急管理局_2024年第二季度_进展填报表.xlsx",
    ]
    record = (started / "data" / "progress" / "2024年第二季度.yaml").read_text(encoding="utf-8")
    assert "schema: ansheng/round-v1\nround: 2024年第二季度\nas_of: 2024-06-30\n" in record
    assert (
        "return_by: 2024-07-10\nunits:\n  - unit: 市应急管理局\n    jurisdiction: 测试市\n"
        in record
    )
    assert "    file: 市应急管理局_2024年第二季度_进展填报表.xlsx\n" in record
    assert record.count("tasks: 1\n") == 2 and "tasks: 2\n" in record
    ws = openpyxl.load_workbook(started / "填报表" / names[2])["进展填报表"]
    assert ws["A1"].value == (
        "市应急管理局进展填报表（2024年第二季度）\n截至 2024-06-30。请于 2024-07-10 前报送；"
        "只填黄色各列；复核意见、复核人由安委办填写；灰色各列请勿改动"
    )
    # the light as of the round's date: task 1 falls due today (黄), task 2 later (绿)
    assert [ws.cell(r, 6).value for r in (3, 4)] == ["黄", "绿"]
    rules = ws.conditional_formatting
    assert sorted(r.formula[0] for cf in rules for r in cf.rules) == ['"红"', '"绿"', '"黄"']
    # the record is not a plan: validate does not read it
    code, out = run(started, "validate", "data")
    assert code == 0 and "progress" not in out


def test_sheets_come_back_and_status_names_who_has_not_reported(started: Path) -> None:
    sheets = started / "填报表"
    _fill(sheets / "市应急管理局_2024年第二季度_进展填报表.xlsx",
          {3: ("已完成", "预案已印发"), 4: ("推进中", "联合检查 3 次")}, dt.date(2024, 7, 5))  # fmt: skip
    _fill(
        sheets / "市公安局_2024年第二季度_进展填报表.xlsx",
        {3: ("推进中", "")},
        dt.date(2024, 7, 12),
    )
    soffice = shutil.which("soffice")
    if soffice:  # a clerk re-saves the sheet as .xls: it is read all the same
        police = sheets / "市公安局_2024年第二季度_进展填报表.xlsx"
        subprocess.run([soffice, "--headless", "--convert-to", "xls", "--outdir", str(sheets),
                        str(police)], check=True, capture_output=True, timeout=120)  # fmt: skip
        police.unlink()
    first = "填报表/市应急管理局_2024年第二季度_进展填报表.xlsx"
    code, out = run(started, "progress", "import", first, "--as-of", "2024-07-08")
    assert code == 0 and "合并了 4 项，拒绝 0 行，修改了 1 个文件" in out
    code, out = run(started, "progress", "import", "填报表/", "--as-of", "2024-07-12")
    assert code == 0, out
    assert (
        "市应急管理局（市应急管理局_2024年第二季度_进展填报表.xlsx）：合并 0 项，拒绝 0 行" in out
    )
    assert "市委宣传部_2024年第二季度_进展填报表.xlsx 一项也没有填写，未登记为已报送" in out
    assert "共 3 张填报表：合并了 0 项，拒绝 0 行，修改了 0 个文件" in out
    plan = (started / "data" / "tasks" / "p.yaml").read_text(encoding="utf-8")
    assert "status: 已完成" in plan and "预案已印发" in plan
    record = started / "data" / "progress" / "2024年第二季度.yaml"
    before = record.read_text(encoding="utf-8")
    # importing the same sheets again changes nothing, neither plan nor record
    code, out = run(started, "progress", "import", "填报表/", "--as-of", "2024-07-20")
    assert "合并了 0 项" in out
    assert (started / "data" / "tasks" / "p.yaml").read_text(encoding="utf-8") == plan
    assert record.read_text(encoding="utf-8") == before
    code, out = run(started, "progress", "status")
    assert code == 0
    assert "共 3 个单位：已报送 2 个，部分报送 0 个，未报送 1 个；逾期报送 1 个" in out
    assert "未报送（1）：\n  市委宣传部  1 项任务  未报送\n" in out
    assert "  市公安局  1 项任务  已报送，2024-07-12 报送（逾期 2 天）\n" in out
    assert "仍无任何进展的任务（1）：\n  督办测试 3 排查燃气隐患（市委宣传部）\n" in out
    code, out = run(started, "progress", "status", "--format", "json")
    data = json.loads(out)
    assert [(u["unit"], u["state"], u["days_late"]) for u in data["units"]] == [
        ("市委宣传部", "未报送", 0), ("市应急管理局", "已报送", 0), ("市公安局", "已报送", 2)
    ]  # fmt: skip
    code, out = run(started, "progress", "status", "--format", "xlsx", "-o", "报送情况.xlsx")
    ws = openpyxl.load_workbook(started / "报送情况.xlsx").active
    assert [c.value for c in ws[3]][:3] == ["市委宣传部", 1, "未报送"]
    assert ws["A1"].value == "2024年第二季度报送情况（截至 2024-06-30，报送期限 2024-07-10）"
    assert ws["A6"].value == "共 3 个单位：已报送 2 个，部分报送 0 个，未报送 1 个；逾期报送 1 个"
    assert ws.page_setup.orientation == "portrait"
    # the same in the report's 报送情况 section: counts, then the units behind
    code, out = run(started, "report", "--as-of", "2024-07-20", "-o", "报告.html")
    page = (started / "报告.html").read_text(encoding="utf-8")
    assert (
        '<p id="returns-summary">截至 2024年6月30日，报送期限 2024年7月10日：共 3 个单位，'
        "已报送 2 个，部分报送 0 个，未报送 1 个，逾期报送 1 个；仍无任何进展的任务 1 项。</p>"
    ) in page
    assert '<tr><td>市委宣传部</td><td class="n">1</td><td>未报送</td></tr>' in page
    assert (
        '<td>市公安局</td><td class="n">1</td><td>已报送，2024-07-12 报送（逾期 2 天）</td>' in page
    )
    assert '市应急管理局</td><td class="n">' not in page  # reported on time: not listed


def test_a_claim_is_closed_by_the_office(started: Path) -> None:
    """复核销号: 已完成 from a sheet is a claim; confirm closes it with reviewer and date;
    a confirming 复核意见 in the office's copy of the sheet does the same."""
    sheets = started / "填报表"
    _fill(sheets / "市应急管理局_2024年第二季度_进展填报表.xlsx", {3: ("已完成", "预案已印发")},
          dt.date(2024, 7, 5))  # fmt: skip
    assert run(started, "progress", "import", "填报表/", "--as-of", "2024-07-06")[0] == 0
    code, out = run(
        started, "progress", "confirm", "p#1", "p#2", "--by", "张三", "--date", "2024-07-08"
    )
    assert code == 1
    assert "p#1：已销号（复核人 张三，2024-07-08）" in out
    assert "拒绝：p#2：状态是“未填报”，单位尚未报告已完成" in out
    plan = (started / "data" / "tasks" / "p.yaml").read_text(encoding="utf-8")
    assert "status: 已销号" in plan and "confirmed: {date: 2024-07-08, by: 张三}" in plan
    # stats tell a claim (已完成) from a confirmed task (已销号)
    code, out = run(started, "stats", "--as-of", "2024-07-08", "--format", "json")
    units = {u["name"]: (u["completed"], u["confirmed"]) for u in json.loads(out)["units"]}
    assert units == {"市应急管理局": (1, 1), "市公安局": (0, 0), "市委宣传部": (0, 0)}
    assert run(started, "validate", "data", "--strict", "--as-of", "2024-07-08")[0] == 0
    code, out = run(started, "progress", "confirm", "p#1", "--by", "张三")
    assert code == 1 and "已销号，无需复核" in out
    # the office's own column
    police = sheets / "市委宣传部_2024年第二季度_进展填报表.xlsx"
    wb = openpyxl.load_workbook(police)
    ws = wb["进展填报表"]
    ws["G3"], ws["I3"], ws["K3"], ws["L3"] = "已完成", dt.date(2024, 7, 9), "同意销号", "李四"
    wb.save(police)
    assert run(started, "progress", "import", str(police), "--as-of", "2024-07-10")[0] == 0
    plan = (started / "data" / "tasks" / "p.yaml").read_text(encoding="utf-8")
    assert plan.count("status: 已销号") == 2 and "confirmed: {date: 2024-07-10, by: 李四}" in plan


def test_reminders_go_to_overdue_units_and_units_that_did_not_report(started: Path) -> None:
    from docx import Document

    _fill(started / "填报表" / "市公安局_2024年第二季度_进展填报表.xlsx", {3: ("推进中", "已部署")},
          dt.date(2024, 7, 5))  # fmt: skip
    assert run(started, "progress", "import", "填报表/", "--as-of", "2024-07-06")[0] == 0
    code, out = run(started, "due", "--notice", "-o", "催办单/", "--as-of", "2024-07-15")
    assert code == 0, out
    assert "已生成 2 份催办单（红色 1 份，黄色 1 份）" in out
    names = sorted(p.name for p in (started / "催办单").iterdir())
    assert names == ["市委宣传部_黄色督办单.docx", "市应急管理局_红色督办单.docx"]
    text = "\n".join(p.text for p in Document(str(started / "催办单" / names[1])).paragraphs)
    assert "红色督办单" in text and "市应急管理局" in text
    # the plan's issuer is the 安委办 named in full: it signs the letter
    assert "测试市安全生产委员会办公室" in text
    code, out = run(started, "due", "--notice", "-o", "x.docx")
    assert code == 2 and "目录" in out
    # one unit only; a folder name with a dot in it is a folder
    code, out = run(started, "due", "--notice", "--unit", "市委宣传部", "-o", "2024.07催办单/",
                    "--as-of", "2024-07-15")  # fmt: skip
    assert code == 0 and "已生成 1 份催办单（黄色 1 份）" in out, out
    assert [p.name for p in (started / "2024.07催办单").iterdir()] == ["市委宣传部_黄色督办单.docx"]


def test_due_for_one_unit_knows_its_units(repo: Path) -> None:
    """A unit's list holds its own tasks only (not those of no unit), and a name that is no
    unit of the plan is an error, not an empty list."""
    plan = PLAN.replace("        lead: [市委宣传部]\n", "")
    (repo / "data" / "tasks" / "p.yaml").write_text(plan, encoding="utf-8")
    code, out = run(repo, "due", "--unit", "市应急管理局", "--as-of", "2024-08-15")
    assert code == 0 and "（未分解到单位）" not in out and "市应急管理局" in out
    code, out = run(repo, "due", "--unit", "市应急局", "--as-of", "2024-08-15")  # an alias
    assert code == 0 and "\n市应急管理局\n" in out
    for args in (("due",), ("due", "--notice", "-o", "n/")):
        code, out = run(repo, *args, "--unit", "市应急管理", "--as-of", "2024-08-15")
        assert code == 2 and "所选文件中没有单位“市应急管理”的任务" in out


def test_no_letter_for_tasks_of_no_unit_and_the_office_is_the_jurisdictions(repo: Path) -> None:
    """A task nobody leads gets no 催办单 (the office chases it), and a plan issued by the
    government is chased by the jurisdiction's 安委办, whatever the issuer line says."""
    from docx import Document

    plan = PLAN.replace("issuer: 测试市安全生产委员会办公室", "issuer: 测试市人民政府（原文未署）")
    plan = plan.replace("        lead: [市委宣传部]\n", "")
    (repo / "data" / "tasks" / "p.yaml").write_text(plan, encoding="utf-8")
    code, out = run(repo, "due", "--notice", "-o", "催办单/", "--as-of", "2024-08-15")
    assert code == 0, out
    assert "另有 1 项逾期任务未分解到单位，未生成催办单" in out
    names = [p.name for p in (repo / "催办单").iterdir()]
    assert names == ["市应急管理局_红色督办单.docx"]
    text = "\n".join(p.text for p in Document(str(repo / "催办单" / names[0])).paragraphs)
    assert "测试市安全生产委员会办公室" in text and "原文未署" not in text


def test_score_counts_late_and_missing_returns(started: Path) -> None:
    _fill(started / "填报表" / "市公安局_2024年第二季度_进展填报表.xlsx", {3: ("推进中", "已部署")},
          dt.date(2024, 7, 12))  # fmt: skip
    assert run(started, "progress", "import", "填报表/", "--as-of", "2024-07-12")[0] == 0
    (started / "ansheng.toml").write_text(
        '[score]\nformula = "100 - 10 * 迟报 - 20 * 未报"\n', "utf-8"
    )
    code, out = run(started, "stats", "--score", "--to", "2024-07-31", "-f", "json")
    assert code == 0, out
    rows = {u["unit"]: (u["late"], u["missing"], u["score"]) for u in json.loads(out)["units"]}
    assert rows == {
        "市应急管理局": (0, 1, 80.0),
        "市公安局": (1, 0, 90.0),
        "市委宣传部": (0, 1, 80.0),
    }
    code, out = run(started, "stats", "--score", "-f", "xlsx", "-o", "考核.xlsx")
    assert code == 0 and (started / "考核.xlsx").is_file()


@pytest.mark.parametrize("one_unit", [True, False], ids=["--unit", "round"])
def test_sheet_lights_follow_the_settings(repo: Path, one_unit: bool) -> None:
    """The sheets' 亮灯 use [lights] of ansheng.toml, as due, stats and report do."""
    (repo / "data" / "tasks" / "p.yaml").write_text(PLAN, encoding="utf-8")
    where = ("--unit", "市公安局", "-o", "公安.xlsx") if one_unit else ("-o", "表/")
    sheet = repo / ("公安.xlsx" if one_unit else "表/市公安局_进展填报表.xlsx")
    lights = []
    for setting in ("", "[lights]\nyellow_within = 5\n"):
        (repo / "ansheng.toml").write_text(setting, encoding="utf-8")
        code, out = run(repo, "export", "data/tasks/p.yaml", "--to", "progress-xlsx",
                        "--as-of", "2024-12-20", *where)  # fmt: skip
        assert code == 0, out
        lights.append(openpyxl.load_workbook(sheet)["进展填报表"]["F3"].value)
    assert lights == ["黄", "绿"]  # due 2024-12-31: within 15 days, not within 5


RECORD = Path("data") / "progress" / "2024年第二季度.yaml"


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda t: t.encode("gbk"), "督办轮次记录无法读取"),
        (lambda t: t.replace("units:\n", "units: [\n").encode(), "2024年第二季度.yaml:"),
        (lambda t: t.replace("tasks: 2", "tasks: many").encode(), "tasks、filled 应为非负整数"),
        (lambda t: b"", "督办轮次记录无法读取"),
    ],
    ids=["gbk", "syntax", "type", "empty"],
)
def test_a_broken_round_record_is_an_error_everywhere(started: Path, damage, said) -> None:  # type: ignore[no-untyped-def]
    """A round left out silently would change who counts as 未报送: status, 催办单, 考核
    and the report all refuse, naming the file."""
    record = started / RECORD
    record.write_bytes(damage(record.read_text(encoding="utf-8")))
    for args in (
        ("progress", "status"),
        ("stats", "--score", "--as-of", "2024-07-20"),
        ("due", "--notice", "-o", "催办单/", "--as-of", "2024-07-20"),
        ("report", "--as-of", "2024-07-20", "-o", "r.html"),
    ):
        code, out = run(started, *args)
        assert code == 2 and said in out and "内部错误" not in out, (args, out)
    assert not (started / "催办单").exists() and not (started / "r.html").exists()


def test_two_records_of_one_round_are_an_error(started: Path) -> None:
    copy = started / "data" / "progress" / "2024年第二季度 - 副本.yaml"
    shutil.copy(started / RECORD, copy)
    code, out = run(started, "progress", "status")
    assert code == 2 and "记录的是同一督办轮次“2024年第二季度”" in out


def test_a_damaged_sheet_is_refused_alone(started: Path) -> None:
    """A sheet cut off halfway (calamine fails while reading it) among good ones: refused
    with its name, the others merged."""
    import zipfile

    sheets = started / "填报表"
    _fill(sheets / "市应急管理局_2024年第二季度_进展填报表.xlsx", {3: ("推进中", "已部署")},
          dt.date(2024, 7, 5))  # fmt: skip
    bad = sheets / "市公安局_2024年第二季度_进展填报表.xlsx"
    with zipfile.ZipFile(bad) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:900] + b"&amp"
    with zipfile.ZipFile(bad, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)
    code, out = run(started, "progress", "import", "填报表/", "--as-of", "2024-07-08")
    assert code == 1 and "内部错误" not in out
    assert "拒绝：无法读取 填报表/市公安局_2024年第二季度_进展填报表.xlsx" in out
    assert "共 3 张填报表（1 张无法读取）：合并了 2 项" in out


def test_sending_a_round_again_keeps_what_came_back(started: Path) -> None:
    """Re-exporting a round (e.g. after a correction) keeps the returns recorded, and never
    overwrites a sheet that was filled in."""
    sheets = started / "填报表"
    filled = sheets / "市应急管理局_2024年第二季度_进展填报表.xlsx"
    _fill(filled, {3: ("推进中", "已部署")}, dt.date(2024, 7, 5))
    assert run(started, "progress", "import", str(filled), "--as-of", "2024-07-06")[0] == 0
    again = ("export", "data/tasks/p.yaml", "--to", "progress-xlsx", *ROUND)
    code, out = run(started, *again, "-o", "填报表/")
    assert code == 2 and "已有填写过的填报表（市应急管理局_2024年第二季度_进展填报表.xlsx）" in out
    # one unit's sheet over a filled one: refused too
    code, out = run(started, "export", "data/tasks/p.yaml", "--to", "progress-xlsx", "--unit",
                    "市应急管理局", "-o", str(filled))  # fmt: skip
    assert code == 2 and "已有填写过的填报表" in out
    assert openpyxl.load_workbook(filled)["进展填报表"]["H3"].value == "已部署"
    code, out = run(started, *again, "-o", "第二次/")
    assert code == 0, out
    record = (started / RECORD).read_text(encoding="utf-8")
    assert "returned: 2024-07-06\n    filled: 1\n" in record


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("季度\x01", "看不见的字符"),
        ("x\ny", "换行"),
        ("a\u200bb", "看不见的字符"),
        ("..", "督办轮次名称“..”无效"),
        ("  ", "督办轮次名称“”无效"),
        ("一季度" * 30, "督办轮次名称太长"),
    ],
)
def test_a_round_name_that_cannot_name_a_record_is_refused(
    repo: Path, name: str, said: str
) -> None:
    (repo / "data" / "tasks" / "p.yaml").write_text(PLAN, encoding="utf-8")
    code, out = run(repo, "export", "data/tasks/p.yaml", "--to", "progress-xlsx", "--round", name,
                    "-o", "填报表/")  # fmt: skip
    assert code == 2 and said in out and "内部错误" not in out
    assert not (repo / "填报表").exists() and not (repo / "data" / "progress").exists()


def test_round_names_sharing_a_record_file_are_refused(started: Path) -> None:
    code, out = run(started, "export", "data/tasks/p.yaml", "--to", "progress-xlsx",
                    "--round", "2024年第二季度", "-o", "填报表2/")  # fmt: skip
    assert code == 0, out  # the same round again: fine
    run(started, "export", "data/tasks/p.yaml", "--to", "progress-xlsx", "--round", "一季度/城区",
        "-o", "A/")  # fmt: skip
    code, out = run(started, "export", "data/tasks/p.yaml", "--to", "progress-xlsx",
                    "--round", "一季度_城区", "-o", "B/")  # fmt: skip
    assert (
        code == 2
        and "与已有轮次“一季度/城区”只差大小写、全角半角或记录文件同名（一季度_城区.yaml）" in out
    )
    code, out = run(started, "export", "data/tasks/p.yaml", "--to", "progress-xlsx",
                    "--round", "２０２４年第二季度", "-o", "C/")  # fmt: skip
    assert code == 2 and "与已有轮次“2024年第二季度”只差大小写" in out
    assert not (started / "B").exists()


def test_output_and_sources_mistakes(started: Path) -> None:
    code, out = run(started, "export", "data/tasks", "--to", "progress-xlsx", "--round", "Q",
                    "-o", "data/tasks/p.yaml")  # fmt: skip
    assert code == 2 and "data/tasks/p.yaml 是文件，不是目录" in out
    code, out = run(started, "progress", "import", "data/tasks/p.yaml")
    assert code == 2 and "请给出交回的填报表" in out


def test_sheets_merged_into_plans_outside_a_repository(
    started: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The plans are merged and reported; only the round record cannot be noted."""
    outside = tmp_path_factory.mktemp("外部")
    shutil.copy(started / "data" / "tasks" / "p.yaml", outside / "p.yaml")
    sheet = started / "填报表" / "市应急管理局_2024年第二季度_进展填报表.xlsx"
    _fill(sheet, {3: ("推进中", "已部署")}, dt.date(2024, 7, 5))
    code, out = run(started, "progress", "import", str(sheet), "--into", str(outside))
    assert code == 0 and "合并了 2 项" in out
    assert "注意：计划文件不在数据仓库中，报送情况未登记" in out
    assert "已部署" in (outside / "p.yaml").read_text(encoding="utf-8")


def test_a_unit_that_ceased_gets_no_sheet_its_successor_does(tmp_path: Path) -> None:
    """兴宁市 2018: 市安监局 became 市应急管理局 in 2019. A round in 2024 sends the old
    unit's tasks to its successor, whose progress on them passes validate (W804)."""
    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "data", tmp_path / "data")
    plan = "data/tasks/xingning-2018-reform.yaml"
    code, out = run(tmp_path, "export", plan, "--to", "progress-xlsx", "--round", "R",
                    "--as-of", "2024-06-30", "-o", "表/")  # fmt: skip
    assert code == 0, out
    names = {p.name for p in (tmp_path / "表").iterdir()}
    assert "市应急管理局_R_进展填报表.xlsx" in names
    assert not any("市安监局" in n for n in names)
    sheet = tmp_path / "表" / "市应急管理局_R_进展填报表.xlsx"
    wb = openpyxl.load_workbook(sheet)
    ws = wb["进展填报表"]
    assert {ws.cell(r, 13).value for r in range(3, ws.max_row + 1)} == {"市应急管理局"}
    ws["H3"], ws["J3"] = "已部署", dt.date(2024, 7, 1)
    wb.save(sheet)
    code, out = run(tmp_path, "progress", "import", str(sheet), "--as-of", "2024-07-02")
    assert code == 0 and "合并了 1 项" in out, out
    code, out = run(tmp_path, "validate", plan, "--as-of", "2024-07-02")
    assert "W804" not in out


def test_a_sheet_never_takes_back_another_units_claim(started: Path) -> None:
    """Task 2 is reported 已完成 from one sheet; a later sheet saying 推进中 adds its progress
    but leaves the status (whatever the order of import), and says so."""
    sheets = started / "填报表"
    _fill(sheets / "市应急管理局_2024年第二季度_进展填报表.xlsx", {4: ("已完成", "联合执法已结束")},
          dt.date(2024, 7, 5))  # fmt: skip
    _fill(sheets / "市公安局_2024年第二季度_进展填报表.xlsx", {3: ("推进中", "继续开展")},
          dt.date(2024, 7, 6))  # fmt: skip
    first = sheets / "市应急管理局_2024年第二季度_进展填报表.xlsx"
    assert run(started, "progress", "import", str(first), "--as-of", "2024-07-08")[0] == 0
    code, out = run(started, "progress", "import", "填报表/", "--as-of", "2024-07-08")
    assert code == 1
    assert (
        "第 3 行：任务“2”已报告完成，本表填“推进中”，状态和完成日期未改（如需撤回请修改计划文件）"
        in out
    )
    plan = (started / "data" / "tasks" / "p.yaml").read_text(encoding="utf-8")
    assert "status: 已完成" in plan and "继续开展" in plan and "status: 推进中" not in plan


def test_control_characters_from_a_sheet_or_a_name_never_reach_the_plan(started: Path) -> None:
    sheet = started / "填报表" / "市应急管理局_2024年第二季度_进展填报表.xlsx"
    _fill(sheet, {3: ("已完成", "预案_x0001_已印发\u202e")}, dt.date(2024, 7, 5))  # Excel's escape
    assert run(started, "progress", "import", str(sheet), "--as-of", "2024-07-08")[0] == 0
    plan = (started / "data" / "tasks" / "p.yaml").read_text(encoding="utf-8")
    assert "text: 预案已印发}" in plan
    for name in ("张\x01三", "张\n三", "张\u2028三"):
        code, out = run(started, "progress", "confirm", "p#1", "--by", name)
        assert code == 2 and "看不见的字符" in out
    assert run(started, "validate", "data", "--as-of", "2024-07-08")[0] == 0


def test_output_options_that_cannot_mean_what_they_say_are_refused(started: Path) -> None:
    (started / "说明.txt").write_text("重要内容\n", encoding="utf-8")
    for args in (
        ("progress", "status", "-f", "xlsx", "-o", "说明.txt"),
        ("stats", "--score", "-f", "xlsx", "-o", "说明.txt"),
        ("due", "-f", "xlsx", "-o", "说明.txt"),
    ):
        code, out = run(started, *args)
        assert code == 2 and "-o 说明.txt 的扩展名与 xlsx 格式不符：文件名应以 .xlsx 结尾" in out, (
            out
        )
    assert (started / "说明.txt").read_text(encoding="utf-8") == "重要内容\n"
    for args in (("progress", "status"), ("stats",), ("report",), ("export", "data/tasks")):
        code, out = run(started, *args, "-o", "")
        assert code == 2 and "-o 后面要写文件名或目录" in out, (args, out)
    for args, name, fmt in (
        (("report",), "r.xlsx", "html"),
        (("due", "-f", "text"), "x.json", "text"),
        (("stats", "-f", "json"), "s.txt", "json"),
    ):
        code, out = run(started, *args, "-o", name)
        assert code == 2 and f"-o {name} 的扩展名与 {fmt} 格式不符" in out, (args, out)
        assert not (started / name).exists()
    code, out = run(started, "due", "--notice", "-f", "json", "-o", "x/")
    assert code == 2 and "不能同时用 --format" in out
    code, out = run(started, "stats", "--from", "2024-01-01")
    assert code == 2 and "--from 和 --to 只用于 --score" in out
    code, out = run(started, "progress", "status", "-f", "md", "-o", "状态/")
    assert code == 0 and (started / "状态" / "2024年第二季度报送情况.md").is_file()


def test_the_round_record_keeps_an_offices_comments_and_line_endings(started: Path) -> None:
    record = started / RECORD
    text = record.read_text(encoding="utf-8")
    text = text.replace("units:\n", "# 市委办已电话催报\nunits:\n").replace(
        "return_by: 2024-07-10\n", "return_by: 2024-07-10  # 经领导同意延期至7月15日\n"
    )
    record.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    sheet = started / "填报表" / "市应急管理局_2024年第二季度_进展填报表.xlsx"
    _fill(sheet, {3: ("推进中", "已部署")}, dt.date(2024, 7, 5))
    assert run(started, "progress", "import", str(sheet), "--as-of", "2024-07-06")[0] == 0
    raw = record.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\n") == raw.count(b"\r\n")
    after = raw.decode("utf-8").replace("\r\n", "\n")
    assert "# 市委办已电话催报\n" in after and "  # 经领导同意延期至7月15日\n" in after
    assert "returned: 2024-07-06\n    filled: 1\n" in after


def test_a_sheet_whose_unit_was_edited_is_not_noted_as_returned(started: Path) -> None:
    sheet = started / "填报表" / "市应急管理局_2024年第二季度_进展填报表.xlsx"
    wb = openpyxl.load_workbook(sheet)
    ws = wb["进展填报表"]
    ws["H3"], ws["J3"], ws["M3"] = "已部署", dt.date(2024, 7, 5), "市公安局"
    wb.save(sheet)
    code, out = run(started, "progress", "import", str(sheet), "--as-of", "2024-07-06")
    assert code == 0  # the rows merge (validate's W804 names the unit that is not the task's)
    assert (
        "表内的单位（市公安局、市应急管理局）与发送时登记的“市应急管理局”不一致，报送情况未登记"
        in out
    )
    assert "returned:" not in (started / RECORD).read_text(encoding="utf-8")


def test_a_broken_record_during_import_fails_the_import_but_keeps_the_progress(
    started: Path,
) -> None:
    record = started / RECORD
    record.write_bytes(record.read_text(encoding="utf-8").encode("gbk"))
    sheet = started / "填报表" / "市应急管理局_2024年第二季度_进展填报表.xlsx"
    _fill(sheet, {3: ("推进中", "已部署")}, dt.date(2024, 7, 5))
    code, out = run(started, "progress", "import", str(sheet), "--as-of", "2024-07-06")
    assert code == 1 and "进展已合并，报送情况未登记，改正后请再导入一次" in out
    assert "已部署" in (started / "data" / "tasks" / "p.yaml").read_text(encoding="utf-8")


def test_a_cleared_unit_cell_is_the_sheets_unit(started: Path) -> None:
    sheet = started / "填报表" / "市应急管理局_2024年第二季度_进展填报表.xlsx"
    wb = openpyxl.load_workbook(sheet)
    ws = wb["进展填报表"]
    ws["H3"], ws["J3"], ws["M3"] = "已部署", dt.date(2024, 7, 5), None
    wb.save(sheet)
    code, out = run(started, "progress", "import", str(sheet), "--as-of", "2024-07-06")
    assert code == 0, out
    plan = (started / "data" / "tasks" / "p.yaml").read_text(encoding="utf-8")
    assert "{date: 2024-07-05, unit: 市应急管理局, text: 已部署}" in plan
    assert "returned: 2024-07-06" in (started / RECORD).read_text(encoding="utf-8")


def test_a_lock_file_that_is_no_file_stops_the_writing_commands(started: Path) -> None:
    (started / ".ansheng.lock").unlink(missing_ok=True)
    (started / ".ansheng.lock").mkdir()
    sheet = started / "填报表" / "市应急管理局_2024年第二季度_进展填报表.xlsx"
    _fill(sheet, {3: ("推进中", "12345")}, dt.date(2024, 7, 5))
    before = (started / "data" / "tasks" / "p.yaml").read_bytes()
    code, out = run(started, "progress", "import", str(sheet), "--as-of", "2024-07-06")
    assert code == 1 and "无法使用锁文件" in out
    assert (started / "data" / "tasks" / "p.yaml").read_bytes() == before
    (started / ".ansheng.lock").rmdir()
    wb = openpyxl.load_workbook(sheet)
    wb["进展填报表"]["H3"] = 12345  # a number typed into 进展情况
    wb.save(sheet)
    assert run(started, "progress", "import", str(sheet), "--as-of", "2024-07-06")[0] == 0
    assert 'text: "12345"}' in (started / "data" / "tasks" / "p.yaml").read_text(encoding="utf-8")


def test_one_units_sheet_of_a_round_takes_the_name_given(started: Path) -> None:
    code, out = run(started, "export", "data/tasks/p.yaml", "--to", "progress-xlsx", "--round",
                    "补发", "--unit", "市公安局", "-o", "公安.xlsx")  # fmt: skip
    assert code == 0, out
    assert (started / "公安.xlsx").is_file()
    record = (started / "data" / "progress" / "补发.yaml").read_text(encoding="utf-8")
    assert "unit: 市公安局" in record and "file: 公安.xlsx" in record
