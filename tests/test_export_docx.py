"""The .docx attachment read back: page, sections, page numbers, column widths, fonts, rows."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from ansheng_cli.config import Settings
from ansheng_cli.export.docx import SIZE_TABLE, TASK_HEADER, UNIT_HEADER
from ansheng_cli.export.formats import ExportOptions
from ansheng_cli.export.measure import em, title_lines
from ansheng_cli.export.split import export_split
from ansheng_cli.export.wordml import CELL_PADDING
from tests.clirun import inside, run
from tests.test_export import ROOT, compiled, expected_rows

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TWIPS_PER_MM = 1440 / 25.4


def export(tmp_path: Path, *args: str, name: str = "x.docx") -> Path:
    out = tmp_path / name
    code, text = run(ROOT, "export", *args, "--to", "docx", "-o", str(out))
    assert code == 0, text
    return out


def fits_on_one_line(text: str, width_twips: int) -> bool:
    return em(text) * SIZE_TABLE * 20 + 2 * CELL_PADDING <= width_twips


def grid(table: Any) -> list[int]:
    return [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.iter(f"{W}gridCol")]


def rows_of(table: Any) -> list[tuple[str, ...]]:
    got: list[tuple[str, ...]] = []
    for row in table.rows[1:]:
        cells = row.cells
        if cells[0]._tc is cells[-1]._tc:
            got.append(("§", cells[0].text))
        else:
            got.append(tuple(c.text for c in cells))
    return got


def test_landscape_page_fonts_and_the_table(tmp_path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc_id = "xinghua-2020-workpoints"
    d = Document(str(export(tmp_path, f"data/tasks/{doc_id}.yaml")))
    [s] = d.sections
    assert s.orientation == WD_ORIENT.LANDSCAPE
    assert [round(v / Mm(1)) for v in (s.page_width, s.page_height)] == [297, 210]
    margins = [s.top_margin, s.bottom_margin, s.left_margin, s.right_margin]
    assert [round(v / Mm(1), 1) for v in margins] == [37, 35, 28, 26]
    label, title = d.paragraphs[0], d.paragraphs[1]
    assert label.text == "附件"
    assert title.text == "《2020年全市安全生产工作要点》任务分工表"

    def font(style: Any) -> tuple[str | None, Any]:
        fonts = style.element.rPr.rFonts
        return fonts.get(qn("w:eastAsia")), style.font.size

    assert font(label.style) == ("黑体", Pt(16))
    assert font(title.style) == ("方正小标宋简体", Pt(22))
    assert title.style.paragraph_format.alignment == 1  # centred
    assert font(d.styles["Normal"]) == ("仿宋_GB2312", Pt(16))
    [table] = d.tables
    assert [c.text for c in table.rows[0].cells] == list(TASK_HEADER)
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert rows_of(table) == expected_rows(compiled(doc_id))
    # every table paragraph is in a style that names its East Asian font
    styles = {p.style.style_id for row in table.rows for c in row.cells for p in c.paragraphs}
    assert styles <= {"TableHead", "TableText", "TableCenter", "TableH1", "TableH2", "TableH3"}
    assert all(font(d.styles.get_by_id(sid, 1))[0] for sid in styles)  # type: ignore[arg-type]


def test_column_widths_follow_the_content(tmp_path: Path) -> None:
    from docx import Document

    doc_id = "xingning-2018-reform"
    d = Document(str(export(tmp_path, f"data/tasks/{doc_id}.yaml")))
    widths = grid(d.tables[0])
    no, task, lead, support, deadline = widths
    # the table fills the type area: 297 − 28 − 26 = 243 mm
    assert abs(sum(widths) - 243 * TWIPS_PER_MM) < 5
    assert no < deadline < task and no < lead < task and task > sum(widths) / 2
    # headers never wrap inside a word (序/号, 牵头/单位)
    assert all(fits_on_one_line(h, w) for h, w in zip(TASK_HEADER, widths, strict=True))
    doc = compiled(doc_id)
    for column, names in ((lead, {n for t in doc.tasks for n in t.lead_names}),
                          (support, {n for t in doc.tasks for n in t.support_names})):  # fmt: skip
        short = [n for n in names if em(n) <= 9]
        assert all(fits_on_one_line(n, column) for n in short)
        assert short or column is support
    assert all(fits_on_one_line(t.no, no) for t in doc.tasks)
    words = [t.deadline_text for t in doc.tasks if t.deadline_text and em(t.deadline_text) <= 8]
    assert words and all(fits_on_one_line(w, deadline) for w in words)  # 2020年底前 stays whole


def test_sections_restart_page_numbers_at_the_outer_edge(tmp_path: Path) -> None:
    from docx import Document

    out = export(tmp_path, "data")
    d = Document(str(out))
    assert len(d.sections) == 5  # one per document
    starts = [s._sectPr.find(f"{W}pgNumType").get(f"{W}start") for s in d.sections]
    assert starts == ["1"] * 5
    with zipfile.ZipFile(out) as z:
        settings = z.read("word/settings.xml").decode()
        body = z.read("word/document.xml").decode()
    assert "<w:evenAndOddHeaders/>" in settings
    assert body.count('<w:t xml:space="preserve">附件</w:t>') == 5
    for s in d.sections:
        odd, even = s.footer, s.even_page_footer
        assert not odd.is_linked_to_previous and not even.is_linked_to_previous
        for footer, side in ((odd, "right"), (even, "left")):
            [p] = footer.paragraphs
            instr = "".join(t.text for t in p._p.iter(f"{W}instrText"))
            assert instr.strip() == "PAGE" and p.text.startswith("— ") and p.text.endswith(" —")
            style = d.styles.get_by_id(p._p.pPr.pStyle.val, 1)  # type: ignore[arg-type]
            ppr = style.element.pPr
            assert ppr.find(f"{W}jc").get(f"{W}val") == side
            assert ppr.find(f"{W}ind").get(f"{W}{side}") == "280"  # one 4号 character in
            assert style.font.size.pt == 14
    # every table row belongs to its document
    for table, doc_id in zip(d.tables, sorted(p.stem for p in (ROOT / "data/tasks").glob("*.yaml")), strict=True):  # fmt: skip
        assert rows_of(table) == expected_rows(compiled(doc_id))


def test_portrait_option_and_title_breaks(tmp_path: Path) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT

    from ansheng_cli.export.docx import render
    from ansheng_cli.plan.compiled import Plan

    out = tmp_path / "p.docx"
    doc = compiled("xingning-2018-reform")
    render(Plan([doc]), out, ExportOptions("docx", portrait=True))
    d = Document(str(out))
    [s] = d.sections
    assert s.orientation == WD_ORIENT.PORTRAIT
    widths = grid(d.tables[0])
    assert abs(sum(widths) - 156 * TWIPS_PER_MM) < 5
    assert all(fits_on_one_line(h, w) for h, w in zip(TASK_HEADER, widths, strict=True))
    # 《兴宁市关于推进安全生产领域改革发展的实施方案》任务分工表 is 29 characters; a portrait
    # line of 二号 holds 20: it breaks after the closing mark, never inside 任务分工表
    title = d.paragraphs[1]
    lines = title.text.split("\n")
    assert lines[-1].endswith("任务分工表") and all(len(x) <= 20 for x in lines)
    assert title._p.xpath(".//w:br")
    assert title_lines("《关于进一步加强安全生产工作的决定》任务分工表", 20, "任务分工表") == [
        "《关于进一步加强安全生产工作的决定》",
        "任务分工表",
    ]
    long = "《兴宁市关于推进安全生产领域改革发展的实施方案》任务分工表"
    assert title_lines(long, 20, "任务分工表") == [
        "《兴宁市关于推进安全生产",
        "领域改革发展的实施方案》",
        "任务分工表",
    ] or all(em(x) <= 20 for x in title_lines(long, 20, "任务分工表"))


def test_unit_lists(tmp_path: Path) -> None:
    from docx import Document

    out = export(tmp_path, "data/tasks/xinghua-2020-workpoints.yaml", "--by-unit")
    d = Document(str(out))
    assert len(d.sections) == len(d.tables) > 1
    for table in d.tables:
        widths = grid(table)
        assert [c.text for c in table.rows[0].cells] == list(UNIT_HEADER)
        assert fits_on_one_line("牵头", widths[0]) and fits_on_one_line("配合", widths[0])
        assert all(fits_on_one_line(h, w) for h, w in zip(UNIT_HEADER, widths, strict=True))
    assert d.paragraphs[1].text.endswith("任务清单")


def test_split_writes_one_file_per_document(tmp_path: Path) -> None:
    from docx import Document

    with inside(ROOT):
        files = export_split(["data"], ExportOptions("docx"), Settings(), str(tmp_path / "out"))
    assert len(files) == 5 and all(f.is_file() for f in files)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(f.name for f in files)
    assert all(len(Document(str(f)).sections) == 1 for f in files)
    assert {f.name for f in files} >= {"2020年全市安全生产工作要点任务分工表.docx"}
    with pytest.raises(Exception, match="split"):
        export_split(["data"], ExportOptions("json"), Settings(), str(tmp_path / "o2"))


def test_hostile_text_is_escaped(repo: Path) -> None:
    from docx import Document

    (repo / "data" / "tasks" / "f.yaml").write_text(
        """schema: ansheng/v1
document: {id: f, title: "A&B<C>", issuer: 测试市安委办, date: 2020-02-24, jurisdiction: 测试市, default_deadline: 2020年底前}
sections:
  - no: 一
    title: "</w:t>&amp;"
    tasks:
      - {no: "1", text: "x\\u0001y <b> & ]]>", lead: [市公安局]}
""",
        encoding="utf-8",
    )
    out = repo / "f.docx"
    args = ("data/tasks/f.yaml", "--to", "docx", "-o", str(out), "--force")
    assert run(repo, "export", *args)[0] == 0
    d = Document(str(out))
    assert d.paragraphs[1].text == "《A&B<C>》任务分工表"
    assert rows_of(d.tables[0])[1][1] == "x\ufffdy <b> & ]]>"
