"""The attachment as a Word document laid out after GB/T 9704-2012, written as a stream.

A4 landscape by default for the 任务分工表 (portrait on request); margins top 37 mm,
bottom 35 mm, left 28 mm, right 26 mm; 附件 label in 黑体 三号; title in 小标宋 二号, centred,
broken where the words allow; the task table a real Word table whose header row repeats on
every page, its column widths taken from the content (序号 and 完成时限 narrow, 主要任务
wide, no header or unit name broken inside a word); section rows in 黑体 / 楷体 / 仿宋 by
level. Each document is a section of its own whose page numbers restart at 1: "— 1 —" in 4号
宋体, odd pages at the right, even pages at the left.

The package is generated directly (export.wordml): the body is written row by row into the
zip, so memory stays flat however large the plan; fonts are set in the styles, East Asian
slot included, so Word and WPS never fall back to 宋体.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from ansheng_cli.export.formats import WORD, ExportOptions, breakdown_title
from ansheng_cli.export.measure import em, title_lines, widest_line
from ansheng_cli.export.wordml import CELL_PADDING, DocxWriter, Page, Table, paragraph
from ansheng_cli.plan.compiled import CompiledDocument, CompiledSection, Plan, UnitList

SIZE_TITLE = 22  # 二号
SIZE_TABLE = 12  # 小四, table text
UNCHECKED = "（未通过校验）"

TASK_HEADER = ("序号", "主要任务", "牵头单位", "配合单位", "完成时限")
UNIT_HEADER = ("角色", "文件", "序号", "任务", "完成时限")
HEADING_STYLES = {1: "TableH1", 2: "TableH2"}  # deeper levels: 仿宋, bold

# Column limits in em of table text: (least, most). The least keeps the header on one line;
# the most lets a long unit name or deadline wrap rather than squeeze the task text.
TASK_LIMITS = ((2, 5), (16, 999), (4, 9), (4, 9), (4, 9))
UNIT_LIMITS = ((2, 2), (4, 12), (2, 5), (16, 999), (4, 9))
AIR = 0.5  # em added to the widest line of a narrow column (the last, 完成时限, gets 3×:
# LibreOffice also spaces digits from Han characters: 2020 年底前)
TASK_STYLES = ("TableCenter", "TableText", "TableCenter", "TableCenter", "TableCenter")
UNIT_STYLES = ("TableCenter", "TableText", "TableCenter", "TableText", "TableCenter")


def column_widths(
    natural: Sequence[float],
    limits: Sequence[tuple[float, float]],
    wide: int,
    available: int,
    size: float = SIZE_TABLE,
) -> list[int]:
    """Column widths in twips filling ``available``: each column as wide as its widest
    line (in em, within its limits), the ``wide`` column taking what is left. Where the
    narrow columns leave the wide one less than its least, they give way down to their
    least, evenly."""
    per_em = size * 20
    pad = 2 * CELL_PADDING + 30  # cell margins and a little air for rounding
    # half an em of air on the narrow columns: the fonts a machine falls back to when 仿宋 is
    # missing draw digits wider than half an em (2020年底前 wrapped in LibreOffice)
    air = [0.0 if i == wide else AIR for i in range(len(natural))]
    air[-1] = 3 * AIR
    want = [min(max(n + a, lo), hi) for n, a, (lo, hi) in zip(natural, air, limits, strict=True)]
    least = [lo for lo, _ in limits]

    def twips(ems: float) -> int:
        return round(ems * per_em) + pad

    def rest(cols: list[float]) -> int:
        return available - sum(twips(c) for i, c in enumerate(cols) if i != wide)

    cols = list(want)
    if rest(cols) < twips(least[wide]):
        # shrink the narrow columns towards their least width
        for step in range(1, 41):
            t = step / 40
            cols = [w - (w - lo) * t for w, lo in zip(want, least, strict=True)]
            if rest(cols) >= twips(least[wide]):
                break
    widths = [twips(c) for c in cols]
    widths[wide] = max(rest(cols), twips(least[wide]))
    return widths


def _names(names: list[str], others: str | None = None) -> str:
    return "\n".join(names + ([others] if others else []))


def _walk(section: CompiledSection) -> Iterable[CompiledSection]:
    if not section.has_tasks:
        return
    yield section
    for child in section.sections:
        yield from _walk(child)


def breakdown_widths(doc: CompiledDocument, page: Page) -> list[int]:
    natural = [em(h) for h in TASK_HEADER]
    natural[1] = 0
    for task in doc.tasks:
        natural[0] = max(natural[0], em(task.no))
        natural[2] = max(natural[2], widest_line(_names(task.lead_names, task.others)))
        natural[3] = max(natural[3], widest_line(_names(task.support_names)))
        natural[4] = max(natural[4], widest_line(task.deadline_text or ""))
    return column_widths(natural, TASK_LIMITS, 1, page.text_width)


def unit_widths(unit: UnitList, page: Page) -> list[int]:
    natural = [em(h) for h in UNIT_HEADER]
    natural[3] = 0
    for a in unit.items:
        natural[0] = max(natural[0], em(a.role))
        natural[1] = max(natural[1], em(a.document.title))
        natural[2] = max(natural[2], em(a.task.no))
        natural[4] = max(natural[4], widest_line(a.task.deadline_text or ""))
    return column_widths(natural, UNIT_LIMITS, 3, page.text_width)


def _heading(out: DocxWriter, title: str, page: Page, checked: bool, word: str = "") -> None:
    out.write(paragraph("附件", "Label"))
    first, *more = title_lines(title, page.text_width / (SIZE_TITLE * 20), word)
    out.write(paragraph(first, "Title", more))
    if not checked:
        out.write(paragraph(UNCHECKED, "Mark"))


def _breakdown(out: DocxWriter, doc: CompiledDocument, page: Page) -> None:
    _heading(out, breakdown_title(doc.title), page, doc.checked, WORD)
    table = Table(out, TASK_HEADER, breakdown_widths(doc, page))
    for section in doc.sections:
        for part in _walk(section):
            table.spanning(part.heading, HEADING_STYLES.get(part.depth, "TableH3"))
            for task in part.tasks:
                values = (
                    task.no,
                    task.body,
                    _names(task.lead_names, task.others),
                    _names(task.support_names),
                    task.deadline_text or "",
                )
                table.row(values, TASK_STYLES)
    table.close()


def _unit_list(out: DocxWriter, unit: UnitList, page: Page, checked: bool) -> None:
    _heading(out, f"{unit.label}任务清单", page, checked, "任务清单")
    table = Table(out, UNIT_HEADER, unit_widths(unit, page))
    for a in unit.items:
        values = (a.role, a.document.title, a.task.no, a.task.title, a.task.deadline_text or "")
        table.row(values, UNIT_STYLES)
    table.close()


def render(plan: Plan, path: Path, options: ExportOptions) -> None:
    checked = all(d.checked for d in plan.documents)
    page = Page(landscape=not options.portrait)
    out = DocxWriter(path, table_size=SIZE_TABLE, keywords=None if checked else "unchecked")
    try:
        if options.unit_view:
            for unit in plan.unit_lists(options.unit):
                out.begin_section()
                _unit_list(out, unit, page, checked)
                out.end_section(page)
        else:
            for doc in plan.documents:
                out.begin_section()
                _breakdown(out, doc, page)
                out.end_section(page)
        out.close()
    except BaseException:
        out.abort()
        raise
