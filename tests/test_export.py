"""ansheng export: every format read back and checked against the data it came from."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from ansheng_cli.export.sheet import lines_needed
from ansheng_cli.export.xlsx import MAX_ROW_LINES
from ansheng_cli.plan.compiled import CompiledDocument, Plan, compile_document
from ansheng_cli.validate.engine import Options, Validator
from tests.clirun import run

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
GOLDEN = Path(__file__).parent / "golden" / "export"
DOCS = sorted(p.stem for p in (DATA / "tasks").glob("*.yaml"))


def compiled(doc_id: str) -> CompiledDocument:
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        [result] = Validator(Options(), keep_models=True).run([f"data/tasks/{doc_id}.yaml"]).files
    finally:
        os.chdir(old)
    assert result.model is not None
    return compile_document(result.model, result.registry, result.display)


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def expected_rows(doc: CompiledDocument) -> list[tuple[str, ...]]:
    """The 任务分工表 rows a document must give: section rows and task rows, in order."""
    rows: list[tuple[str, ...]] = []

    def walk(section: object) -> None:
        if not section.has_tasks:  # type: ignore[attr-defined]
            return
        rows.append(("§", section.heading))  # type: ignore[attr-defined]
        for t in section.tasks:  # type: ignore[attr-defined]
            lead = "\n".join(t.lead_names + ([t.others] if t.others else []))
            rows.append((t.no, t.body, lead, "\n".join(t.support_names), t.deadline_text or ""))
        for child in section.sections:  # type: ignore[attr-defined]
            walk(child)

    for s in doc.sections:
        walk(s)
    return rows


def read_rows(
    values: list[list[object]], merged_rows: set[int], going_on: set[int] | None = None
) -> list[tuple[str, ...]]:
    """The table below the 附件 label, the title and the header (rows 1–3); the rows in
    ``going_on`` continue the task text of the row above."""
    out: list[tuple[str, ...]] = []
    going_on = going_on or set()
    for index, row in enumerate(values[3:], start=4):
        cells = ["" if v is None else str(v) for v in row]
        if index in going_on:
            last = out[-1]
            out[-1] = (last[0], last[1] + cells[1], *last[2:])
            continue
        out.append(("§", cells[0]) if index in merged_rows else tuple(cells[:5]))
    return out


def continued(ranges: set[str]) -> set[int]:
    """Rows that continue a task: below the first row of an A-column span (A7:A9)."""
    rows: set[int] = set()
    for r in ranges:
        first, last = r.split(":")
        if first[0] == "A" and last[0] == "A":
            rows |= set(range(int(first[1:]) + 1, int(last[1:]) + 1))
    return rows


@pytest.mark.parametrize("doc_id", DOCS)
def test_xlsx_of_each_document(tmp_path: Path, doc_id: str) -> None:
    import openpyxl
    from python_calamine import CalamineWorkbook

    out = tmp_path / "out.xlsx"
    code, text = run(ROOT, "export", f"data/tasks/{doc_id}.yaml", "-o", str(out))
    assert code == 0, text
    doc = compiled(doc_id)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [doc.title, "按单位", "时间节点", "统计"]
    ws = wb[doc.title]
    assert ws["A1"].value == "附件"
    assert ws["A2"].value == f"《{doc.title}》任务分工表"
    assert [c.value for c in ws[3]] == ["序号", "主要任务", "牵头单位", "配合单位", "完成时限"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    across = {r for r in merged if r.startswith("A") and ":E" in r}
    merged_rows = {int(r.split(":")[0][1:]) for r in across}
    assert "A2:E2" in merged
    assert all(r.endswith(r.split(":")[0][1:]) for r in across)
    going_on = continued(merged)
    # a task longer than a page goes on in rows below, its other cells spanning them
    long = [t for t in doc.tasks if lines_needed(t.body, 62) > MAX_ROW_LINES]
    assert bool(going_on) >= bool(long)
    for r in merged - across:
        first, last = r.split(":")
        assert first[0] == last[0] and int(last[1:]) in going_on
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert read_rows(values, merged_rows, going_on) == expected_rows(doc)
    # an independent reader sees the same cells
    book = CalamineWorkbook.from_path(str(out))
    cal = book.get_sheet_by_name(doc.title).to_python()
    assert read_rows(cal, merged_rows, going_on) == expected_rows(doc)
    # no row is taller than a page (nor Excel's 409 pt)
    heights = [d.height for d in ws.row_dimensions.values() if d.height]
    assert max(heights) <= MAX_ROW_LINES * 15.5 + 4 < 409
    # print settings and layout
    assert ws.print_title_rows == "$3:$3"
    assert ws.freeze_panes == "A4"
    assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    first_task = min(set(range(4, ws.max_row + 1)) - merged_rows)
    task_cell = ws.cell(first_task, 2)
    assert (task_cell.font.name, task_cell.font.charset, task_cell.alignment.wrap_text) == (
        "仿宋",
        134,
        True,
    )
    assert ws["A1"].font.name == "黑体" and ws["A2"].font.b and ws["A3"].font.b
    assert ws.column_dimensions["B"].width == 62
    # rows grow with their wrapped text (neither Excel nor LibreOffice does it on open)
    longest = max(expected_rows(doc), key=lambda r: len(r[1]) if r[0] != "§" else 0)
    plain = [i for i in range(4, ws.max_row + 1) if i not in going_on]
    rows = read_rows(values, merged_rows, going_on)
    row = next(i for i, r in zip(plain, rows, strict=True) if r == longest)
    assert ws.row_dimensions[row].height > 3 * 15.5
    # the 按单位 sheet: one row per (unit, task)
    units = wb["按单位"]
    pairs = sum(len(t.lead) + len(t.support) for t in doc.tasks)
    assert units.max_row - 2 == pairs
    # a native bar chart on 统计
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == (1 if pairs else 0)
        if charts:
            assert b"<barChart>" in z.read(charts[0])


def test_xlsx_unit_list_and_timeline(tmp_path: Path) -> None:
    import openpyxl

    out = tmp_path / "u.xlsx"
    code, _ = run(ROOT, "export", "data", "--unit", "市应急局", "-o", str(out))
    assert code == 2  # 市应急局 is no unit of any bundled registry
    code, _ = run(ROOT, "export", "data", "--unit", "市应急管理局", "-o", str(out))
    assert code == 0
    ws = openpyxl.load_workbook(out)["按单位"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    # five jurisdictions are loaded: a unit is shown with its jurisdiction
    assert len(rows) == 14 and {r[0] for r in rows} == {"兴化市 市应急管理局"}
    assert rows[0][:4] == ["兴化市 市应急管理局", "牵头", "2020年全市安全生产工作要点", "9"]
    assert str(rows[0][6])[:10] == "2020-12-31"
    args = ("--unit", "市应急管理局", "--jurisdiction", "兴化市", "-o", str(out))
    assert run(ROOT, "export", "data", *args)[0] == 0
    ws = openpyxl.load_workbook(out)["按单位"]
    assert {r[0].value for r in ws.iter_rows(min_row=3)} == {"市应急管理局"}
    out = tmp_path / "all.xlsx"
    assert run(ROOT, "export", "data", "-o", str(out))[0] == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:5] == [
        "吉林省全面深化安全生产改革试点方案",
        "六安市安全生产“十三五”规划",
        "关于进一步加强安全生产工作的决定",
        "2020年全市安全生产工作要点",
        "兴宁市关于推进安全生产领域改革发展的实施方案",
    ]
    kinds = [r[2].value for r in wb["时间节点"].iter_rows(min_row=3)]
    order = {"日期": 0, "阶段": 0, "相对": 0, "周期": 1, "长期": 2, "未定": 3}
    assert [order[k] for k in kinds] == sorted(order[k] for k in kinds)
    dues = [r[0].value for r in wb["时间节点"].iter_rows(min_row=3) if r[0].value]
    assert dues == sorted(dues)


FORMULA_DOC = """schema: ansheng/v1
document: {id: f, title: 公式测试, issuer: 测试市安委办, date: 2020-02-24, jurisdiction: 测试市, default_deadline: 2020年底前}
sections:
  - no: 一
    title: "=HYPERLINK(\\"http://x\\")"
    tasks:
      - {no: "1", text: "=1+1", lead: [市公安局]}
      - {no: "2", text: "@SUM(A1)", lead: [市公安局], support: [市应急管理局]}
"""


def test_formula_looking_text_stays_text(repo: Path) -> None:
    import openpyxl

    (repo / "data" / "tasks" / "f.yaml").write_text(FORMULA_DOC, encoding="utf-8")
    out = repo / "f.xlsx"
    assert run(repo, "export", "data/tasks/f.yaml", "-o", str(out))[0] == 0
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet
    ws = openpyxl.load_workbook(out)["公式测试"]
    assert ws["B5"].value == "=1+1" and ws["B5"].data_type == "s"
    assert ws["A4"].value == '一、=HYPERLINK("http://x")' and ws["A4"].data_type == "s"
    csv_out = repo / "f.csv"
    assert run(repo, "export", "data/tasks/f.yaml", "--to", "csv", "-o", str(csv_out))[0] == 0
    raw = csv_out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[1].split(",")[3] == "'=1+1" and lines[2].split(",")[3] == "'@SUM(A1)"


@pytest.mark.parametrize(
    ("doc_id", "fmt"),
    [
        ("xinghua-2020-workpoints", "txt"),
        ("xinghua-2020-workpoints", "md"),
        ("xingning-2018-reform", "txt"),
        ("xingning-2018-reform", "md"),
    ],
)
def test_text_golden(tmp_path: Path, doc_id: str, fmt: str) -> None:
    out = tmp_path / f"out.{fmt}"
    assert run(ROOT, "export", f"data/tasks/{doc_id}.yaml", "--to", fmt, "-o", str(out))[0] == 0
    golden(f"{doc_id}.{fmt}", out.read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["txt", "md"])
def test_unit_lists_golden(tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"units.{fmt}"
    args = ["export", "data/tasks/xinghua-2020-workpoints.yaml", "--by-unit", "--to", fmt]
    assert run(ROOT, *args, "-o", str(out))[0] == 0
    golden(f"xinghua-units.{fmt}", out.read_text(encoding="utf-8"))


def test_json_and_csv(tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    assert run(ROOT, "export", "data", "--to", "json", "-o", str(out))[0] == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [d["id"] for d in data["documents"]] == DOCS
    plan = Plan([compiled(d) for d in DOCS])
    assert data == json.loads(json.dumps(plan.as_dict()))
    tasks = [t for d in data["documents"] for s in d["sections"] for t in _tasks(s)]
    xn = [t for t in tasks if t["document"] == "xingning-2018-reform" and t["no"] == "4"][-1]
    assert xn["deadline"] | {"text": None} == {
        "text": None, "inherited": False, "kind": "recurring", "due": None, "start": None,
        "period": "year", "every": 1, "part": "Q1", "count": None,
    }  # fmt: skip
    assert [u["name"] for u in xn["lead"]] == ["市安监局", "市委组织部", "市人社局"]
    out = tmp_path / "a.csv"
    assert run(ROOT, "export", "data", "--to", "csv", "-o", str(out))[0] == 0
    import csv

    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:3] == ["文件", "章节", "序号"]
    assert len(rows) - 1 == len(plan.tasks) == 174


def _tasks(section: dict[str, object]) -> list[dict[str, object]]:
    out = list(section["tasks"])  # type: ignore[call-overload]
    for child in section["sections"]:  # type: ignore[attr-defined]
        out += _tasks(child)
    return out


BAD_DOC = FORMULA_DOC.replace(
    "lead: [市公安局]}", "lead: [市公安局], deadline: 2020年12月至2020年3月}", 1
)


def test_refuses_documents_with_errors_unless_forced(repo: Path) -> None:
    (repo / "data" / "tasks" / "b.yaml").write_text(BAD_DOC, encoding="utf-8")
    out = repo / "b.txt"
    code, text = run(repo, "export", "data/tasks/b.yaml", "--to", "txt", "-o", str(out))
    assert code == 1 and "E501" in text and "拒绝导出" in text and not out.exists()
    code, _ = run(repo, "export", "data/tasks/b.yaml", "--to", "txt", "-o", str(out), "--force")
    assert code == 0 and "（未通过校验）" in out.read_text(encoding="utf-8")
    import openpyxl

    xlsx = repo / "b.xlsx"
    assert run(repo, "export", "data/tasks/b.yaml", "-o", str(xlsx), "--force")[0] == 0
    assert openpyxl.load_workbook(xlsx)["公式测试"]["A2"].value.endswith("（未通过校验）")


def test_output_may_not_be_an_input_and_names_are_sanitised(repo: Path) -> None:
    src = repo / "data" / "tasks" / "f.yaml"
    src.write_text(FORMULA_DOC.replace("title: 公式测试", 'title: "甲/乙:丙*"'), encoding="utf-8")
    before = src.read_bytes()
    code, text = run(repo, "export", "data/tasks/f.yaml", "--to", "txt", "-o", "data/tasks/f.yaml")
    assert code == 2 and "拒绝覆盖" in text and src.read_bytes() == before
    code, text = run(repo, "export", "data/tasks/f.yaml", "--to", "txt")
    assert code == 0 and (repo / "甲_乙_丙_任务分工表.txt").is_file()


def test_template_sandbox_and_errors(repo: Path) -> None:
    (repo / "data" / "tasks" / "f.yaml").write_text(FORMULA_DOC, encoding="utf-8")
    evil = repo / "evil.j2"
    evil.write_text("ok\n{{ ''.__class__.__mro__[1].__subclasses__() }}\n", encoding="utf-8")
    code, text = run(
        repo, "export", "data/tasks/f.yaml", "--to", "txt", "--template", str(evil), "-o", "o.txt"
    )
    assert code == 2 and "第 2 行" in text and "unsafe" in text and not (repo / "o.txt").exists()
    broken = repo / "broken.j2"
    broken.write_text("line one\n{% for d in documents %}\n{{ d.title }\n", encoding="utf-8")
    code, text = run(
        repo, "export", "data/tasks/f.yaml", "--to", "txt", "--template", str(broken), "-o", "o.txt"
    )
    assert code == 2 and "第 3 行语法错误" in text
    own = repo / "own.j2"
    own.write_text(
        "{% for d in documents %}{{ d.title }}:{{ d.tasks | length }}\n{% endfor %}",
        encoding="utf-8",
    )
    code, _ = run(
        repo, "export", "data/tasks/f.yaml", "--to", "md", "--template", str(own), "-o", "o.md"
    )
    assert code == 0 and (repo / "o.md").read_text(encoding="utf-8") == "公式测试:2\n"


def test_a_failed_write_leaves_the_old_file_and_no_partial_file(repo: Path) -> None:
    (repo / "data" / "tasks" / "f.yaml").write_text(FORMULA_DOC, encoding="utf-8")
    old = repo / "out.txt"
    old.write_text("OLD", encoding="utf-8")
    failing = repo / "fail.j2"
    failing.write_text(
        "{% for i in range(1000) %}line {{ i }}\n{% endfor %}{{ nope.x }}", encoding="utf-8"
    )
    code, text = run(
        repo,
        "export",
        "data/tasks/f.yaml",
        "--to",
        "txt",
        "--template",
        str(failing),
        "-o",
        str(old),
    )
    assert code == 2 and "nope" in text
    assert old.read_text(encoding="utf-8") == "OLD"
    assert sorted(p.name for p in repo.iterdir()) == ["data", "fail.j2", "out.txt"]


def test_data_repository_templates_override_the_built_in_ones(repo: Path) -> None:
    (repo / "data" / "tasks" / "f.yaml").write_text(FORMULA_DOC, encoding="utf-8")
    (repo / "templates").mkdir()
    (repo / "templates" / "attachment.txt.j2").write_text(
        "本地模板 {{ documents | length }}\n", encoding="utf-8"
    )
    assert run(repo, "export", "data/tasks/f.yaml", "--to", "txt", "-o", "o.txt")[0] == 0
    assert (repo / "o.txt").read_text(encoding="utf-8") == "本地模板 1\n"


def test_bad_arguments(repo: Path) -> None:
    assert run(repo, "export", "data", "--to", "pdf")[0] == 2
    assert run(repo, "export", "nowhere.yaml")[0] == 2
    assert run(repo, "export", "data")[0] == 2  # no plan documents, only a registry
    assert run(repo, "export", "data", "--to", "docx", "--template", "x.j2")[0] == 2
