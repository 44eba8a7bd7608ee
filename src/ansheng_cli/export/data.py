"""json (the compiled model) and csv (a flat table, UTF-8 with BOM for Excel)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from ansheng_cli.export.formats import ExportOptions
from ansheng_cli.plan.compiled import Plan

TASK_COLUMNS = [
    "文件",
    "章节",
    "序号",
    "主要任务",
    "牵头单位",
    "配合单位",
    "其他",
    "完成时限",
    "时限类型",
    "到期日期",
]
UNIT_COLUMNS = ["单位", "角色", "文件", "序号", "任务", "完成时限", "到期日期"]
KIND_CN = {
    "date": "日期",
    "recurring": "周期",
    "ongoing": "长期",
    "phased": "阶段",
    "relative": "相对",
    "text": "文字",
    "none": "未定",
}


def safe_cell(value: str) -> str:
    """Excel runs a csv cell that starts with = + - @ as a formula; make it text."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def task_rows(plan: Plan) -> Iterator[list[str]]:
    for doc in plan.documents:
        for task in doc.tasks:
            yield [
                doc.title,
                " / ".join(task.section_path),
                task.no,
                task.body,
                "、".join(task.lead_names),
                "、".join(task.support_names),
                task.others or "",
                task.deadline_text or "",
                KIND_CN[task.kind],
                task.due.isoformat() if task.due else "",
            ]


def unit_rows(plan: Plan, unit: str | None) -> Iterator[list[str]]:
    for a in plan.assignments(unit):
        yield [
            a.unit,
            a.role,
            a.document.title,
            a.task.no,
            a.task.title,
            a.task.deadline_text or "",
            a.task.due.isoformat() if a.task.due else "",
        ]


def render(plan: Plan, path: Path, options: ExportOptions) -> None:
    if options.fmt == "json":
        data = plan.as_dict()
        if options.unit_view:
            data["units"] = [
                {
                    "name": u.name,
                    "jurisdiction": u.jurisdiction,
                    "tasks": [
                        {"role": a.role, "document": a.document.id, "no": a.task.no}
                        for a in u.items
                    ],
                }
                for u in plan.unit_lists(options.unit)
            ]
        with path.open("w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
            out.write("\n")
        return
    columns, rows = (
        (UNIT_COLUMNS, unit_rows(plan, options.unit))
        if options.unit_view
        else (TASK_COLUMNS, task_rows(plan))
    )
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
