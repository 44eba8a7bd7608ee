"""Make the built-in 催办单 template (templates/催办单.docx) with python-docx.

    python tools/make_notice_template.py            # writes templates/催办单.docx
    python tools/make_notice_template.py OUT.docx   # somewhere else

The letter is laid out after GB/T 9704-2012: A4 portrait, margins top 37 mm, bottom 35 mm,
left 28 mm, right 26 mm; the issuer in red 小标宋 over a red rule (the only red: the title,
红色督办单, 黄色督办单 or 提醒单, is black 二号 小标宋, 7.3.1); body 三号 仿宋_GB2312 at a fixed
28.95 pt line pitch (22 lines a page); one table for overdue tasks, one for tasks falling due,
their rows free to break across pages under a repeated header; the date 右空四字 with the
issuer centred above it (加盖印章, 7.3.5.1), kept on one page with the sentence before them;
"— 1 —" page numbers, odd right, even left.

The wording is docxtpl/Jinja text in the document itself, so an office can change it in Word
and pass its copy with ``--template``. The output is reproducible: fixed document properties
and zip timestamps, so a rerun changes nothing unless this script changed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from ansheng_cli.export.wordml import (
    A4,
    BODY_FONT,
    FOOTER_MM,
    HEI,
    KAI,
    MARGINS,
    SONG,
    TITLE_FONT,
)

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates" / "催办单.docx"

BODY_SIZE = 16  # 三号
TITLE_SIZE = 22  # 二号
ISSUER_SIZE = 24  # 小一: an issuer of 18 characters still fits the 156 mm line
TABLE_SIZE = 12  # 小四
PAGE_NUMBER_SIZE = 14  # 四号
LINE_PITCH = Pt(28.95)  # 22 lines in the 225 mm type area (GB/T 9704 5.2.2)
RED = RGBColor(0xFF, 0x00, 0x00)
TAG = RGBColor(0x80, 0x80, 0x80)  # Jinja tags, shown small and grey in Word

# Task tables: 序号, 任务, 完成时限, 状态 (mm, adding up to the 156 mm type width). 状态 holds
# 逾期1234天 on one line even in a fallback font with wide digits, where LibreOffice spaces
# digits from Han characters; 完成时限 holds 2024年10月31日前 in 仿宋_GB2312 (digits half
# width) and wraps longer deadlines, which have room to.
COLUMNS = (13, 71, 42, 30)
TYPE_WIDTH = 156  # mm
# The date ends 4 characters from the right margin; a date is 7 to 8 characters wide
# (2024年7月1日 … 2024年12月31日: digits half width, and the space Word and LibreOffice put
# between digits and Han characters), so its middle is about 7.75 characters from the
# margin. The issuer is centred on that middle: a centred paragraph whose left indent
# leaves a line of 2 × 7.75 characters ending at the right margin; a longer issuer than
# the 15 characters that line holds is set flush right instead.
DATE_RIGHT = 4  # characters
SIGNER_LINE = 2 * (DATE_RIGHT + 3.75)  # characters
# ASCII style ids under the Chinese names Word shows (not every program takes others)
STYLE_IDS = {
    "发文机关标志": "Issuer", "督办单标题": "NoticeTitle", "文号": "NoticeNumber",
    "主送": "Addressee", "正文": "Body", "一级标题": "Heading1CN", "署名": "NoticeSigner",
    "成文日期": "NoticeDate", "模板说明": "TemplateTag", "表头": "TableHead",
    "表格正文": "TableText", "表格出处": "TableSource", "表格居中": "TableCenter",
    "页码（单页）": "PageNumberOdd", "页码（双页）": "PageNumberEven",
}  # fmt: skip
FIXED = dt.datetime(2024, 1, 1)


def fonts(rpr: Any, name: str) -> None:
    """Set all four font slots of a run-properties element to ``name``; theme fonts are
    dropped, as Word prefers them to named ones."""
    old = rpr.find(qn("w:rFonts"))
    if old is not None:
        rpr.remove(old)
    rfonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), name)
    rpr.insert(0, rfonts)


def paragraph_style(
    doc: Any,
    name: str,
    font: str,
    size: float,
    *,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.JUSTIFY,
    first_line: float = 0,
    right: float = 0,
    pitch: Any = LINE_PITCH,
    before: float = 0,
    after: float = 0,
    color: RGBColor | None = None,
    keep_next: bool = False,
    keep_together: bool = False,
    left: float = 0,
) -> Any:
    """A paragraph style; indents in characters of its own size (``left`` in points)."""
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = STYLE_IDS[name]
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    fonts(style.element.get_or_add_rPr(), font)
    style.font.size = Pt(size)
    style.font.bold = False
    if color is not None:
        style.font.color.rgb = color
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if pitch is None:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = pitch
    fmt.first_line_indent = Pt(first_line * size) if first_line else None
    fmt.right_indent = Pt(right * size) if right else None
    fmt.left_indent = Pt(left) if left else None
    fmt.keep_with_next = keep_next
    fmt.keep_together = keep_together
    return style


def bottom_rule(style: Any, color: str, eighths: int, space: int) -> None:
    """A rule under every paragraph of ``style`` (GB/T 9704's red line under the issuer)."""
    ppr = style.element.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", str(eighths)), ("w:space", str(space)),
                       ("w:color", color)):  # fmt: skip
        bottom.set(qn(key), value)
    border.append(bottom)
    # schema order inside pPr: keepNext … pBdr … spacing, ind, jc
    spacing = ppr.find(qn("w:spacing"))
    if spacing is not None:
        spacing.addprevious(border)
    else:
        ppr.append(border)


def set_styles(doc: Any) -> None:
    styles = doc.styles
    # document defaults: 仿宋 三号 in all slots, Chinese language for line breaking
    rpr_default = styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    fonts(rpr, BODY_FONT)
    for child in list(rpr)[1:]:
        rpr.remove(child)
    # schema order inside rPr: rFonts … sz, szCs … lang
    for tag, values in (("w:sz", {"w:val": str(BODY_SIZE * 2)}),
                        ("w:szCs", {"w:val": str(BODY_SIZE * 2)}),
                        ("w:lang", {"w:val": "en-US", "w:eastAsia": "zh-CN"})):  # fmt: skip
        child = OxmlElement(tag)
        for key, value in values.items():
            child.set(qn(key), value)
        rpr.append(child)
    ppr = styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")

    normal = styles["Normal"]
    fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.size = Pt(BODY_SIZE)
    fmt = normal.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_PITCH
    fmt.widow_control = False

    issuer = paragraph_style(
        doc, "发文机关标志", TITLE_FONT, ISSUER_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER,
        pitch=None, after=6, color=RED,
    )  # fmt: skip
    bottom_rule(issuer, "FF0000", 16, 8)
    paragraph_style(
        doc, "督办单标题", TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER,
        pitch=None, before=18, after=6,
    )  # fmt: skip
    paragraph_style(doc, "文号", BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph_style(doc, "主送", BODY_FONT, BODY_SIZE, before=14)
    paragraph_style(doc, "正文", BODY_FONT, BODY_SIZE, first_line=2)
    paragraph_style(doc, "一级标题", HEI, BODY_SIZE, first_line=2, keep_next=True, before=10)
    # the 落款 never stands alone on a page: the issuer keeps with the date, and the blank
    # lines and closing sentence before it (direct formatting in letter()) keep with it
    signer_left = Mm(TYPE_WIDTH).pt - SIGNER_LINE * BODY_SIZE
    paragraph_style(doc, "署名", BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER,
                    left=signer_left, keep_next=True, keep_together=True)  # fmt: skip
    paragraph_style(doc, "成文日期", BODY_FONT, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT,
                    right=DATE_RIGHT, keep_next=True)  # fmt: skip
    paragraph_style(doc, "模板说明", BODY_FONT, 9, pitch=None, color=TAG)
    table = dict(pitch=None, before=1.5, after=1.5)
    paragraph_style(doc, "表头", HEI, TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER, **table)
    # left, not justified: justified lines in a narrow cell spread Han characters apart
    left = WD_ALIGN_PARAGRAPH.LEFT
    paragraph_style(doc, "表格正文", BODY_FONT, TABLE_SIZE, align=left, **table)
    # no keep-with-next in cells: Word would keep each row with the next, the whole table
    paragraph_style(doc, "表格出处", KAI, TABLE_SIZE, align=left, **table)
    paragraph_style(doc, "表格居中", BODY_FONT, TABLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER,
                    **table)  # fmt: skip
    paragraph_style(doc, "页码（单页）", SONG, PAGE_NUMBER_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT,
                    pitch=None, right=1)  # fmt: skip
    odd_even = paragraph_style(doc, "页码（双页）", SONG, PAGE_NUMBER_SIZE,
                               align=WD_ALIGN_PARAGRAPH.LEFT, pitch=None)  # fmt: skip
    odd_even.paragraph_format.left_indent = Pt(PAGE_NUMBER_SIZE)


def page(doc: Any) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(A4[0]), Mm(A4[1])
    top, bottom, left, right = MARGINS
    section.top_margin, section.bottom_margin = Mm(top), Mm(bottom)
    section.left_margin, section.right_margin = Mm(left), Mm(right)
    section.header_distance, section.footer_distance = Mm(15), Mm(FOOTER_MM)
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, style in (
        (section.footer, "页码（单页）"),
        (section.even_page_footer, "页码（双页）"),
    ):
        footer.is_linked_to_previous = False
        para = footer.paragraphs[0]
        para.style = doc.styles[style]
        para.add_run("— ")
        field(para, "PAGE", "1")
        para.add_run(" —")


def field(para: Any, code: str, shown: str) -> None:
    def run_with(child: Any) -> None:
        run = para.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {code} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    para.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def add(doc: Any, text: str, style: str) -> Any:
    return doc.add_paragraph(text, style=style)


def tag(doc: Any, text: str) -> Any:
    """A paragraph holding only a docxtpl paragraph tag ({%p … %}): removed on rendering."""
    return doc.add_paragraph(text, style="模板说明")


def runs(para: Any, *parts: tuple[str, RGBColor | None, bool]) -> None:
    """Runs of (text, colour, is_tag) into a paragraph; tags are small and grey in Word."""
    for text, color, is_tag in parts:
        run = para.add_run(text)
        if is_tag:
            run.font.size = Pt(9)
            run.font.color.rgb = TAG
        elif color is not None:
            run.font.color.rgb = color


def cell_width(cell: Any, width_mm: float) -> None:
    cell.width = Mm(width_mm)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def task_table(doc: Any, loop: str, status: str) -> None:
    """序号 | 任务 | 完成时限 | 状态, its body row repeated by docxtpl for each item."""
    table = doc.add_table(rows=4, cols=len(COLUMNS))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    for col, width in zip(table.columns, COLUMNS, strict=True):
        col.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, COLUMNS, strict=True):
            cell_width(cell, width)
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, ("序号", "任务", "完成时限", status), strict=True):
        cell.paragraphs[0].text = text
        cell.paragraphs[0].style = doc.styles["表头"]
    for row, text in ((table.rows[1], f"{{%tr for item in {loop} %}}"),
                      (table.rows[3], "{%tr endfor %}")):  # fmt: skip
        # one cell across the row, so the tag reads on one line in Word
        merged = row.cells[0].merge(row.cells[-1])
        merged.paragraphs[0].style = doc.styles["模板说明"]
        merged.paragraphs[0].text = text
    # rows may break across pages (no w:cantSplit: a long task moved whole leaves a blank
    # half page); the header row repeats on the next page
    body = table.rows[2].cells
    body[0].paragraphs[0].text = "{{ item.seq }}"
    body[0].paragraphs[0].style = doc.styles["表格居中"]
    body[1].paragraphs[0].text = "{{ item.source }}（{{ item.role }}）"
    body[1].paragraphs[0].style = doc.styles["表格出处"]
    body[1].add_paragraph("{{ item.text }}", style="表格正文")
    body[2].paragraphs[
        0
    ].text = "{{ item.deadline }}{% if item.due_note %}（{{ item.due_note }}）{% endif %}"
    body[2].paragraphs[0].style = doc.styles["表格居中"]
    body[3].paragraphs[0].text = "{{ item.status }}"
    body[3].paragraphs[0].style = doc.styles["表格居中"]


def letter(doc: Any) -> None:
    add(doc, "{{ issuer }}", "发文机关标志")
    add(doc, "{{ title }}", "督办单标题")
    tag(doc, "{%p if number %}")
    add(doc, "{{ number }}", "文号")
    tag(doc, "{%p endif %}")
    add(doc, "{{ unit }}：", "主送")
    # a missing 进展填报表 is said first: it may be the only reason for the letter
    opening = doc.add_paragraph(style="正文")
    runs(
        opening,
        ("按照{{ jurisdiction }}安全生产工作任务分工，经梳理，截至{{ date }}，", None, False),
        ("{% if missing_return %}", None, True),
        ('你单位尚未报送{{ round or "本期" }}任务进展填报表', None, False),
        ("{% if items %}", None, True),
        ("，牵头或配合的任务中{{ summary }}", None, False),
        ("{% endif %}", None, True),
        ("{% else %}", None, True),
        ("你单位牵头或配合的任务中{{ summary }}", None, False),
        ("{% endif %}", None, True),
        ("。", None, False),
    )
    # 上述任务 only when the letter is about overdue tasks; 上述事项 when also about the sheet
    what = '上述{{ "事项" if missing_return else "任务" }}'
    sentence = doc.add_paragraph(style="正文")
    runs(
        sentence,
        ('{% if level == "红色" %}', None, True),
        (f"现对{what}予以红色督办。请单位主要负责同志亲自过问，逐项查明原因，"
         "明确整改措施和完成时间，确保尽快完成。", None, False),
        ('{% elif level == "黄色" and overdue %}', None, True),
        (f"现对{what}予以黄色督办。请分管负责同志督促推进，逐项明确措施，确保按期完成。",
         None, False),
        ('{% elif level == "黄色" %}', None, True),
        ("现予以黄色督办。请分管负责同志督促落实", None, False),
        ("{% if soon %}", None, True),
        ("，对即将到期的任务抓紧推进，确保按期完成", None, False),
        ("{% endif %}", None, True),
        ("。", None, False),
        ("{% else %}", None, True),
        ("现予以提醒。请对照完成时限抓紧推进，确保按期完成。", None, False),
        ("{% endif %}", None, True),
    )  # fmt: skip
    tag(doc, "{%p if overdue %}")
    add(doc, "{{ overdue_heading }}", "一级标题")
    task_table(doc, "overdue", "状态")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if soon %}")
    add(doc, "{{ soon_heading }}", "一级标题")
    task_table(doc, "soon", "状态")
    tag(doc, "{%p endif %}")
    # reply_by is never before the letter's date (see supervise/notice.py)
    closing = doc.add_paragraph(style="正文")
    runs(
        closing,
        ("请于{{ reply_by }}前", None, False),
        ("{% if missing_return and items %}", None, True),
        (
            '补报{{ round or "本期" }}任务进展填报表，'
            "并将上述任务办理进展情况（附佐证材料）书面报送我办",
            None,
            False,
        ),
        ("{% elif missing_return %}", None, True),
        ('将{{ round or "本期" }}任务进展填报表书面补报我办', None, False),
        ("{% else %}", None, True),
        ("将上述任务办理进展情况（附佐证材料）书面报送我办", None, False),
        ("{% endif %}", None, True),
        ("。", None, False),
    )
    fmt = closing.paragraph_format
    fmt.space_before = Pt(8)  # air between the table and the text after it
    # the closing sentence, the room for the seal and the 落款 go to a page together
    fmt.keep_together = fmt.keep_with_next = True
    for _ in range(2):
        add(doc, "", "正文").paragraph_format.keep_with_next = True
    # an issuer too long to centre on the date within the type area ends at the right margin
    tag(doc, f"{{%p if issuer | length <= {int(SIGNER_LINE)} %}}")
    add(doc, "{{ issuer }}", "署名")
    tag(doc, "{%p else %}")
    flush = add(doc, "{{ issuer }}", "署名").paragraph_format
    flush.alignment, flush.left_indent = WD_ALIGN_PARAGRAPH.RIGHT, Pt(0)
    tag(doc, "{%p endif %}")
    add(doc, "{{ date }}", "成文日期")


def prune_styles(doc: Any) -> None:
    """Drop the styles nothing uses (python-docx's default document brings 179, mostly
    table designs, which every letter would parse and write again); Word still offers its
    built-in ones."""
    used: set[str] = set()
    parts = [doc.element] + [
        footer._element for s in doc.sections for footer in (s.footer, s.even_page_footer)
    ]
    for part in parts:
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            used.update(e.get(qn("w:val")) for e in part.iter(qn(tag)))
    root = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in root.iter(qn("w:style"))}
    defaults = [sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1"]
    keep: set[str] = set()
    todo = [*used, *defaults]
    while todo:  # and the styles these are based on, linked to or followed by
        sid = todo.pop()
        if sid in keep or sid not in by_id:
            continue
        keep.add(sid)
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = by_id[sid].find(qn(tag))
            if ref is not None:
                todo.append(ref.get(qn("w:val")))
    for sid, style in by_id.items():
        if sid not in keep:
            root.remove(style)


def build() -> bytes:
    doc = Document()
    set_styles(doc)
    page(doc)
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # python-docx's default document is not quite empty
            body.remove(child)
    letter(doc)
    package = doc.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):  # python-docx's own picture of a blank page
            del package.rels[rid]
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):  # Word 2010's copy of the styles
            del doc.part.rels[rid]
    prune_styles(doc)
    props = doc.core_properties
    props.author = props.last_modified_by = "ansheng"
    props.title = "催办单"
    props.comments = "ansheng 督办单模板（docxtpl）"
    props.created = props.modified = FIXED
    props.revision = 1
    props.keywords = props.subject = props.category = ""
    raw = io.BytesIO()
    doc.save(raw)
    return repack(raw.getvalue())


def repack(data: bytes) -> bytes:
    """The same parts with fixed timestamps, so that equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", nargs="?", type=Path, default=OUT)
    args = parser.parse_args(argv)
    args.out.write_bytes(build())
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
