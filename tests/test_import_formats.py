"""Saved web pages, PDF files and workbooks with several sheets."""

from __future__ import annotations

import datetime as dt
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansheng_cli.importer import ImportProblem, import_file
from ansheng_cli.plan.loader import load_text
from ansheng_cli.plan.models import Document
from ansheng_cli.plan.shape import check_shape
from ansheng_cli.plan.walk import tasks

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def load(path: Path, **kw: Any) -> Document:
    text, _ = import_file(path, **kw)
    doc, problems = check_shape(Document, load_text(path, text).data)
    assert doc is not None, problems
    return doc


def rows(doc: Document) -> list[tuple[Any, ...]]:
    return [(t.no, t.lead, t.support, t.deadline) for _, t in tasks(doc)]


def test_a_saved_web_page(tmp_path: Path) -> None:
    path = tmp_path / "notice.html"
    shutil.copy(FIXTURES / "notice.html", path)
    doc = load(path)
    assert (doc.document.title, str(doc.document.date)) == (
        "测试市2024年安全生产工作要点",
        "2024-01-10",
    )
    assert rows(doc) == [
        ("1", ["市应急局", "市委组织部"], [], None),
        ("2", ["市应急局"], ["市公安局"], None),
        ("3", ["市交通局"], ["市公安局"], "2024年6月底前"),
        ("4", ["市住建局"], [], "2024年9月底前"),
    ]
    text, _ = import_file(path)
    assert "首页" not in text and "版权所有" not in text and "不是任务" not in text


def test_a_scanned_pdf_is_refused_with_a_reason(tmp_path: Path) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scan.pdf"
    with path.open("wb") as out:
        writer.write(out)
    with pytest.raises(ImportProblem, match="OCR"):
        import_file(path)


def test_pdf_without_the_optional_reader(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pypdf", None)
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.4\n")
    with pytest.raises(ImportProblem, match=r"pip install 'ansheng\[pdf\]'"):
        import_file(path)


def _workbook(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    stats = wb.active
    stats.title = "统计"
    stats.append(["单位", "牵头", "配合", "合计"])
    stats.append(["县应急管理局", 1, 0, 1])
    tasks_sheet = wb.create_sheet("任务分工表")
    tasks_sheet.append(["2023年任务分工表"])
    tasks_sheet.append(["序号", "主要任务", "牵头单位", "配合单位", "完成时限"])
    tasks_sheet.append(["一、专项整治", None, None, None, None])
    tasks_sheet.append([1, "修订预案", "县应急管理局", "县公安局", "2023年9月"])
    tasks_sheet.append(["序号", "主要任务", "牵头单位", "配合单位", "完成时限"])
    tasks_sheet.append([None, "演练预案", "县消防救援大队", "/", "2023年10月"])
    tasks_sheet.append([2.0, "培训", "县人社局", None, dt.date(2023, 6, 30)])
    other = wb.create_sheet("按单位")
    other.append(["单位", "角色", "序号", "任务"])
    wb.save(path)


def test_the_task_sheet_is_chosen(tmp_path: Path) -> None:
    path = tmp_path / "plan.xlsx"
    _workbook(path)
    assert rows(load(path)) == [
        ("1", ["县应急管理局"], ["县公安局"], "2023年9月"),
        # a row without a number continues the merged cell above; the header repeated
        # after a page break is skipped
        ("1", ["县消防救援大队"], [], "2023年10月"),
        ("2", ["县人社局"], [], "2023年6月30日"),  # a number and a date typed as such
    ]
    assert rows(load(path, sheet="任务分工表")) == rows(load(path, sheet=2))
    assert rows(load(path, sheet="统计")) == []
    with pytest.raises(ImportProblem, match="没有名为“汇总”的工作表"):
        import_file(path, sheet="汇总")
    with pytest.raises(ImportProblem, match="没有第 9 个"):
        import_file(path, sheet=9)


def test_a_word_table_with_merged_cells(tmp_path: Path) -> None:
    from docx import Document as Docx

    d = Docx()
    d.add_paragraph("测试县2023年安全生产重点任务分工表")
    d.add_paragraph("测试县安委办")
    d.add_paragraph("2023年2月1日")
    header = ("序号", "工作事项", "主要内容", "牵头单位", "配合单位", "完成时限", "备注")
    table = d.add_table(rows=5, cols=7)
    values = [
        header,
        ("一、风险防控",) * 7,
        (
            "1",
            "隐患排查",
            "排查危化品企业",
            "县应急管理局",
            "县公安局、县交通运输局",
            "2023年6月底前",
            "/",
        ),
        ("", "", "排查建筑施工", "县住建局", "/", "2023年9月底前", ""),
        ("2", "预案修订", "修订县级预案", "县应急管理局牵头负责", "各乡镇人民政府", "每年", ""),
    ]
    for row, cells in zip(table.rows, values, strict=True):
        for cell, value in zip(row.cells, cells, strict=True):
            cell.text = value
    group = table.rows[1].cells
    group[0].merge(group[6])  # a section row across the table
    merged = table.cell(2, 0).merge(table.cell(3, 0))  # 序号 over two rows
    merged.text = "1"
    title = table.cell(2, 1).merge(table.cell(3, 1))
    title.text = "隐患排查"
    path = tmp_path / "plan.docx"
    d.save(str(path))
    doc = load(path)
    assert rows(doc) == [
        ("1", ["县应急管理局"], ["县公安局", "县交通运输局"], "2023年6月底前"),
        ("1", ["县住建局"], [], "2023年9月底前"),
        ("2", ["县应急管理局"], [], "每年"),
    ]
    assert [t.others for _, t in tasks(doc)] == [None, None, "各乡镇人民政府"]


def test_a_page_laid_out_with_tables_in_gbk(tmp_path: Path) -> None:
    page = (FIXTURES / "notice.html").read_text(encoding="utf-8")
    page = page.replace('charset="utf-8"', 'charset="gb2312"')
    page = page.replace(
        '<div class="TRS_Editor">',
        '<table width="100%"><tr><td class="left">栏目导航</td><td><div class="TRS_Editor">',
    ).replace('</div>\n<div class="footer">', '</div></td></tr></table>\n<div class="footer">')
    path = tmp_path / "notice.htm"
    path.write_bytes(page.encode("gb18030"))
    doc = load(path)
    assert [t.no for _, t in tasks(doc)] == ["1", "2", "3", "4"]
    assert rows(doc)[2] == ("3", ["市交通局"], ["市公安局"], "2024年6月底前")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            ["<p>", "</p>", "<table>", "<tr>", "<td>", "</td>", "</tr>", "</table>", "<br>",
             "一、任务", "1.排查隐患。", "（市应急局牵头）", "序号", "牵头单位", "主要任务", "<div>",
             "</div>", "<script>x</script>", "&nbsp;", "<td colspan=3>", "<td rowspan=99>"]
        ),
        max_size=40,
    )
)  # fmt: skip
def test_any_web_page_imports_or_says_why(tmp_path: Path, parts: list[str]) -> None:
    path = tmp_path / "page.html"
    path.write_text("".join(parts), encoding="utf-8")
    try:
        text, _ = import_file(path)
    except ImportProblem:
        return
    doc, problems = check_shape(Document, load_text(path, text).data)
    assert doc is not None, problems
