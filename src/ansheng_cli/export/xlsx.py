"""The 任务分工表 workbook, as an office issues it, written in openpyxl's write-only mode.

Sheets: one 任务分工表 per document (title row, header row repeated on every printed page,
section rows across the table), 按单位 (every unit's task list), 时间节点 (by due date) and
统计 (load per unit with a native bar chart). Write-only mode keeps memory flat on large
plans; cell text is never taken for a formula.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ansheng_cli.export.data import KIND_CN
from ansheng_cli.export.formats import ExportOptions
from ansheng_cli.export.sheet import Sheet, add_styles
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


def _sheet_title(base: str, index: int, count: int) -> str:
    return base if count == 1 else f"{base}{index}"[:31]


def _lines(names: list[str], others: str | None = None) -> str:
    return "\n".join(names + ([others] if others else []))


def _breakdown(wb: Any, doc: CompiledDocument, title: str) -> None:
    heading = f"{doc.title}任务分工表" + ("" if doc.checked else UNCHECKED)
    sheet = Sheet(wb, title, heading, TASK_HEADER, TASK_WIDTHS)
    styles = ["as-cell", "as-text", "as-cell", "as-cell", "as-cell"]

    def walk(section: CompiledSection) -> None:
        if not section.has_tasks:
            return
        sheet.merged_row(section.heading, "as-section")
        for task in section.tasks:
            sheet.append(
                [
                    task.no,
                    task.body,
                    _lines(task.lead_names, task.others),
                    _lines(task.support_names),
                    task.deadline_text or "",
                ],
                styles,
            )
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


def _statistics(wb: Any, plan: Plan) -> None:
    from openpyxl.chart import BarChart, Reference

    sheet = Sheet(wb, "统计", "各单位任务数", STAT_HEADER, STAT_WIDTHS)
    load = plan.load()
    for unit in load:
        sheet.append(
            [unit.label, unit.lead, unit.support, unit.lead + unit.support],
            ["as-text", "as-cell", "as-cell", "as-cell"],
        )
    if not load:
        return
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "各单位任务数（牵头/配合）"
    chart.y_axis.title = "任务数"
    first, last = 3, 2 + len(load)
    chart.add_data(
        Reference(sheet.ws, min_col=2, max_col=3, min_row=2, max_row=last), titles_from_data=True
    )
    chart.set_categories(Reference(sheet.ws, min_col=1, min_row=first, max_row=last))
    chart.height = max(7.5, 0.6 * len(load))
    chart.width = 18
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
        count = len(plan.documents)
        for i, doc in enumerate(plan.documents, start=1):
            _breakdown(wb, doc, _sheet_title("任务分工表", i, count))
        _by_unit(wb, plan, None)
        _timeline(wb, plan)
        _statistics(wb, plan)
    wb.properties.creator = "ansheng"
    wb.save(path)
