"""The 任务分工表 workbook, as an office issues it, written in openpyxl's write-only mode.

Sheets: one 任务分工表 per document, named after it (附件 label, title row, header row repeated on every printed page,
section rows across the table), 按单位 (every unit's task list), 时间节点 (by due date) and
统计 (load per unit with a native bar chart). Write-only mode keeps memory flat on large
plans; cell text is never taken for a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ansheng_cli.export.data import KIND_CN
from ansheng_cli.export.formats import ExportOptions, breakdown_title
from ansheng_cli.export.sheet import Sheet, add_styles, capacity, lines_needed
from ansheng_cli.plan.compiled import CompiledDocument, CompiledSection, Plan

UNCHECKED = "（未通过校验）"

TASK_HEADER = ("序号", "主要任务", "牵头单位", "配合单位", "完成时限")
TASK_WIDTHS = (7, 62, 22, 22, 18)
UNIT_HEADER = ("单位", "角色", "文件", "序号", "任务", "完成时限", "到期日期")
UNIT_WIDTHS = (20, 6, 30, 8, 50, 18, 12)
TIME_HEADER = ("到期日期", "完成时限", "类型", "文件", "序号", "任务", "牵头单位")
TIME_WIDTHS = (12, 18, 6, 30, 8, 50, 24)
STAT_HEADER = ("单位", "牵头", "配合", "合计")
STAT_WIDTHS = (24, 8, 8, 8)


SHEET_LIMIT = 31  # characters Excel allows in a sheet name
RESERVED = ("按单位", "时间节点", "统计", "History")
_NOT_IN_NAME = str.maketrans({c: "_" for c in "[]:*?/\\"})


def sheet_names(documents: list[CompiledDocument]) -> list[str]:
    """A sheet name per document that says which it is: its title when that fits in 31
    characters, else its id, else the title cut; names made unique with (2), (3)…"""
    used = {r.casefold() for r in RESERVED}
    names = []
    for doc in documents:
        title = doc.title.translate(_NOT_IN_NAME).strip("' ")
        ident = doc.id.translate(_NOT_IN_NAME).strip("' ")
        if title and len(title) <= SHEET_LIMIT:
            base = title
        elif ident and len(ident) <= SHEET_LIMIT:
            base = ident
        else:
            base = (title or ident)[: SHEET_LIMIT - 1] + "…"
        name, n = base, 1
        while name.casefold() in used:
            n += 1
            suffix = f"({n})"
            name = base[: SHEET_LIMIT - len(suffix)] + suffix
        used.add(name.casefold())
        names.append(name)
    return names


def _lines(names: list[str], others: str | None = None) -> str:
    return "\n".join(names + ([others] if others else []))


MAX_ROW_LINES = 14  # printed lines a row may take: at most half a page is left blank before it


def text_parts(text: str, width: int, most: int = MAX_ROW_LINES) -> list[str]:
    """A task text cut into parts of at most ``most`` printed lines, at sentence ends where
    possible: a row taller than a page cannot be printed and leaves the page before it
    blank. The parts joined give the text back."""
    if lines_needed(text, width) <= most:
        return [text]
    room = int(capacity(width) * most)  # characters of CJK text in ``most`` lines
    parts: list[str] = []
    rest = text
    while lines_needed(rest, width) > most:
        limit = room
        while True:
            cut = _natural_cut(rest[:limit])
            if cut <= 1 or lines_needed(rest[:cut], width) <= most:
                break
            limit = cut - 1
        cut = max(cut, 1)
        parts.append(rest[:cut])
        rest = rest[cut:]
    return [*parts, rest] if rest else parts


def _natural_cut(window: str) -> int:
    """Where to end a part within ``window``: after its last sentence, else its last
    clause, else at its end."""
    for marks in ("。；！？\n", "，、："):
        cut = max(window.rfind(mark) for mark in marks) + 1
        if cut >= len(window) // 3:
            return cut
    return len(window)


def _breakdown(wb: Any, doc: CompiledDocument, title: str) -> None:
    heading = breakdown_title(doc.title) + ("" if doc.checked else UNCHECKED)
    sheet = Sheet(wb, title, heading, TASK_HEADER, TASK_WIDTHS, label="附件")
    styles = ["as-cell", "as-text", "as-cell", "as-cell", "as-cell"]

    def walk(section: CompiledSection) -> None:
        if not section.has_tasks:
            return
        sheet.merged_row(section.heading, "as-section")
        for task in section.tasks:
            body = text_parts(task.body, TASK_WIDTHS[1])
            deadline = task.deadline_text or ""
            # a long deadline (several milestones) stays in one cell spanning the rows
            due_lines = lines_needed(deadline, TASK_WIDTHS[4])
            count = max(len(body), -(-due_lines // MAX_ROW_LINES))
            share = -(-due_lines // count)
            top = sheet.row + 1
            for k in range(count):
                first = k == 0
                sheet.append(
                    [
                        task.no if first else "",
                        body[k] if k < len(body) else "",
                        _lines(task.lead_names, task.others) if first else "",
                        _lines(task.support_names) if first else "",
                        deadline if first else "",
                    ],
                    styles,
                    least=share if count > 1 else 1,
                    skip=(4,) if count > 1 else (),
                )
            if count > 1:
                # continuation rows: the long text goes on below, the other cells span them
                end = sheet.row
                spans = {"A": top, "C": top, "D": top, "E": top, "B": top + len(body) - 1}
                for column, start in spans.items():
                    if start < end:
                        sheet.ws.merged_cells.add(f"{column}{start}:{column}{end}")
        for child in section.sections:
            walk(child)

    for section in doc.sections:
        walk(section)


def _by_unit(wb: Any, plan: Plan, unit: str | None) -> None:
    heading = f"{unit}任务清单" if unit else "部门任务清单"
    if not all(d.checked for d in plan.documents):
        heading += UNCHECKED
    sheet = Sheet(wb, "按单位", heading, UNIT_HEADER, UNIT_WIDTHS)
    styles = ["as-cell", "as-cell", "as-text", "as-cell", "as-text", "as-cell", "as-date"]
    for a in plan.assignments(unit):
        task = a.task
        sheet.append(
            [
                a.unit,
                a.role,
                a.document.title,
                task.no,
                task.title,
                task.deadline_text or "",
                task.due,
            ],
            styles,
        )
    sheet.autofilter()


def _timeline(wb: Any, plan: Plan) -> None:
    sheet = Sheet(wb, "时间节点", "任务时间节点", TIME_HEADER, TIME_WIDTHS)
    styles = ["as-date", "as-cell", "as-cell", "as-text", "as-cell", "as-text", "as-cell"]
    for doc, task in plan.timeline():
        sheet.append(
            [
                task.due,
                task.deadline_text or "",
                KIND_CN[task.kind],
                doc.title,
                task.no,
                task.title,
                _lines(task.lead_names, task.others),
            ],
            styles,
        )
    sheet.autofilter()


def _statistics(wb: Any, plan: Plan, top: int) -> None:
    """All units in a table (most loaded first), and beside it a bar chart of the ``top``
    most loaded, sized to print on the first page."""
    from openpyxl.chart import BarChart, Reference

    sheet = Sheet(wb, "统计", "各单位任务数", STAT_HEADER, STAT_WIDTHS)
    load = plan.load()
    for unit in load:
        sheet.append(
            [unit.label, unit.lead, unit.support, unit.lead + unit.support],
            ["as-text", "as-cell", "as-cell", "as-cell"],
        )
    sheet.autofilter()
    if not load:
        return
    shown = load[: max(1, top)]
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = (
        f"任务最多的 {len(shown)} 个单位（牵头/配合）"
        if len(shown) < len(load)
        else "各单位任务数（牵头/配合）"
    )
    chart.y_axis.title = "任务数"
    chart.x_axis.scaling.orientation = "maxMin"  # the most loaded unit on top
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    first, last = 3, 2 + len(shown)
    chart.add_data(
        Reference(sheet.ws, min_col=2, max_col=3, min_row=2, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=first, max_row=last))
    chart.legend.position = "b"
    # An A4 landscape page holds about 15 cm below the title and header rows.
    chart.height = min(14.5, max(7.5, 2.5 + 0.55 * len(shown)))
    chart.width = 16
    sheet.ws.add_chart(chart, "F3")


def render(plan: Plan, path: Path, options: ExportOptions) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    add_styles(wb)
    if not all(d.checked for d in plan.documents):
        wb.properties.keywords = "unchecked"
    if options.unit_view:
        _by_unit(wb, plan, options.unit)
    else:
        for doc, name in zip(plan.documents, sheet_names(plan.documents), strict=True):
            _breakdown(wb, doc, name)
        _by_unit(wb, plan, None)
        _timeline(wb, plan)
        _statistics(wb, plan, options.top_units)
    wb.properties.creator = "ansheng"
    wb.save(path)
