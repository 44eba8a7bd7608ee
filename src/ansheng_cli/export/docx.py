"""The attachment as a Word document laid out after GB/T 9704-2012.

A4; margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; 附件 label in 黑体 三号;
title in 小标宋 二号, centred; body 仿宋_GB2312 三号; section rows in 黑体 / 楷体 / 仿宋 by
level; the task table a real Word table whose header row repeats on every page; page
numbers "— 1 —" at the bottom centre. python-docx sets only the Latin font names, so the
East Asian font (w:eastAsia) is set on every style and run here, or Word falls back to 宋体.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ansheng_cli.export.formats import ExportOptions
from ansheng_cli.plan.compiled import CompiledDocument, CompiledSection, Plan, UnitList
from ansheng_cli.plan.text import xml_safe

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI = "黑体"
KAI = "楷体_GB2312"
SIZE_2 = 22  # 二号
SIZE_3 = 16  # 三号
SIZE_4 = 14  # 四号
SIZE_TABLE = 12  # 小四, table text
HEADING_FONTS = {1: HEI, 2: KAI}  # deeper levels: 仿宋, bold

TASK_HEADER = ("序号", "主要任务", "牵头单位", "配合单位", "完成时限")
TASK_WIDTHS_MM = (14, 68, 28, 24, 22)  # 156 mm of text width
UNIT_HEADER = ("角色", "文件", "序号", "任务", "完成时限")
UNIT_WIDTHS_MM = (12, 38, 12, 70, 24)


def east_asian(element: Any, name: str) -> None:
    """Set all four font slots (ascii, hAnsi, eastAsia, cs) on an rPr-bearing element."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)


_RPR: dict[tuple[str, float, bool], Any] = {}


def _rpr(font: str, size: float, bold: bool) -> Any:
    """A run-properties element to copy into each run: building it once per style is what
    keeps a large table fast (python-docx's per-attribute setters dominate otherwise)."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    key = (font, size, bold)
    if key not in _RPR:
        half_points = int(size * 2)
        fonts = f'w:ascii="{font}" w:hAnsi="{font}" w:eastAsia="{font}" w:cs="{font}"'
        _RPR[key] = parse_xml(
            f"<w:rPr {nsdecls('w')}><w:rFonts {fonts}/>"
            f'<w:b w:val="{1 if bold else 0}"/><w:sz w:val="{half_points}"/>'
            f'<w:szCs w:val="{half_points}"/></w:rPr>'
        )
    return _RPR[key]


def _run(paragraph: Any, text: str, font: str, size: float, bold: bool = False) -> Any:
    run = paragraph.add_run(xml_safe(text))
    run._r.insert(0, copy.deepcopy(_rpr(font, size, bold)))
    return run


def _page(document: Any) -> None:
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)
    _page_number(section.footer.paragraphs[0])


def _page_number(paragraph: Any) -> None:
    """ "— 1 —": an em dash, the PAGE field, an em dash (GB/T 9704 7.5)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, "— ", "宋体", SIZE_4)
    for kind, text in (
        ("begin", None),
        (None, "PAGE"),
        ("separate", None),
        (None, "1"),
        ("end", None),
    ):
        run = _run(paragraph, "", "宋体", SIZE_4)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._element.append(char)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._element.append(instr)
        else:
            run.text = text
    _run(paragraph, " —", "宋体", SIZE_4)


def _styles(document: Any) -> None:
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.size = Pt(SIZE_3)
    east_asian(normal.element, BODY_FONT)
    for name in ("Table Grid",):
        east_asian(document.styles[name].element, BODY_FONT)


def _table(document: Any, header: Sequence[str], widths: Sequence[int]) -> Any:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = document.add_table(rows=1, cols=len(header))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice and WPS follow
    row = table.rows[0]
    tr_pr = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")  # repeat the header row on every page
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    for cell, text, width in zip(row.cells, header, widths, strict=True):
        cell.width = Mm(width)
        _cell_text(cell, text, HEI, SIZE_TABLE, center=True)
    return table


def _cell_text(
    cell: Any, text: str, font: str, size: float, center: bool = False, bold: bool = False
) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = text.split("\n") if text else [""]
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        paragraph = first if i == 0 else cell.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, line, font, size, bold)


def _row(
    table: Any, values: Sequence[str], widths: Sequence[int], centered: Sequence[bool]
) -> None:
    from docx.shared import Mm

    cells = table.add_row().cells
    for cell, value, width, center in zip(cells, values, widths, centered, strict=True):
        cell.width = Mm(width)
        _cell_text(cell, value, BODY_FONT, SIZE_TABLE, center=center)


def _section_row(table: Any, section: CompiledSection) -> None:
    cells = table.add_row().cells
    merged = cells[0].merge(cells[-1])
    font = HEADING_FONTS.get(section.depth, BODY_FONT)
    _cell_text(merged, section.heading, font, SIZE_TABLE, bold=section.depth > 2)


def _heading(document: Any, doc_title: str, checked: bool) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    _run(document.add_paragraph(), "附件", HEI, SIZE_3)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, doc_title, TITLE_FONT, SIZE_2)
    if not checked:
        mark = document.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(mark, "（未通过校验）", BODY_FONT, SIZE_3)


def _breakdown(document: Any, doc: CompiledDocument) -> None:
    _heading(document, f"{doc.title}任务分工表", doc.checked)
    table = _table(document, TASK_HEADER, TASK_WIDTHS_MM)
    centered = (True, False, True, True, True)

    def walk(section: CompiledSection) -> None:
        if not section.has_tasks:
            return
        _section_row(table, section)
        for task in section.tasks:
            lead = "\n".join(task.lead_names + ([task.others] if task.others else []))
            support = "\n".join(task.support_names)
            values = (task.no, task.body, lead, support, task.deadline_text or "")
            _row(table, values, TASK_WIDTHS_MM, centered)
        for child in section.sections:
            walk(child)

    for section in doc.sections:
        walk(section)


def _unit_list(document: Any, unit: UnitList, checked: bool) -> None:
    _heading(document, f"{unit.label}任务清单", checked)
    table = _table(document, UNIT_HEADER, UNIT_WIDTHS_MM)
    centered = (True, False, True, False, True)
    for a in unit.items:
        values = (a.role, a.document.title, a.task.no, a.task.title, a.task.deadline_text or "")
        _row(table, values, UNIT_WIDTHS_MM, centered)


def render(plan: Plan, path: Path, options: ExportOptions) -> None:
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    _page(document)
    _styles(document)
    checked = all(d.checked for d in plan.documents)
    parts: list[Any]
    if options.unit_view:
        parts = [("unit", u) for u in plan.unit_lists(options.unit)]
    else:
        parts = [("doc", d) for d in plan.documents]
    for i, (kind, part) in enumerate(parts):
        if i:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if kind == "doc":
            _breakdown(document, part)
        else:
            _unit_list(document, part, checked)
    document.core_properties.author = "ansheng"
    if not checked:
        document.core_properties.keywords = "unchecked"
    document.save(str(path))
