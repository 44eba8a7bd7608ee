"""Views of the supervision lists: text, json and a 督办清单 workbook."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from ansheng_cli.export.text import task_ref
from ansheng_cli.supervise.due import OVERDUE, DueItem, Stats
from ansheng_cli.supervise.lights import CODES, ORDER

DUE_HEADER = ("单位", "角色", "状态", "亮灯", "到期日期", "文件", "序号", "任务", "完成时限")
DUE_WIDTHS = (20, 6, 8, 6, 12, 30, 8, 50, 18)


def light_counts(items: list[DueItem]) -> str:
    """``红灯 3 项，黄灯 2 项，绿灯 1 项`` over the distinct tasks of ``items``."""
    tasks = {id(i.task): i.light for i in items}
    return "，".join(f"{c}灯 {sum(v == c for v in tasks.values())} 项" for c in ORDER)


def due_text(items: list[DueItem], as_of: dt.date, within: int) -> str:
    tasks_overdue = len({id(i.task) for i in items if i.state == OVERDUE})
    tasks_soon = len({id(i.task) for i in items if i.state != OVERDUE})
    lines = [
        f"截至 {as_of}：逾期 {tasks_overdue} 项，{within} 天内到期 {tasks_soon} 项",
        f"三色督办：{light_counts(items)}",
    ]
    unit = None
    for i in items:
        if i.unit != unit:
            unit = i.unit
            lines += ["", unit]
        lines.append(
            f"  {i.light or ' '}  {i.state:<4}{i.due}  【{i.role}】《{i.document.title}》"
            f"{task_ref(i.task)}：{i.task.title}"
            f"（{i.task.deadline_text}）"
            + (f"〔节点：{i.milestone}〕" if i.milestone else "")
            + (f"〔{i.note}〕" if i.note else "")
        )
    return "\n".join(lines) + "\n"


def due_json(items: list[DueItem], as_of: dt.date, within: int) -> str:
    data: dict[str, Any] = {
        "as_of": as_of.isoformat(),
        "within": within,
        "items": [
            {
                "unit": i.unit,
                "role": i.role,
                "state": "overdue" if i.state == OVERDUE else "due-soon",
                "light": CODES.get(i.light or ""),
                "due": i.due.isoformat(),
                "document": i.document.id,
                "no": i.task.no,
                "title": i.task.title,
                "deadline": i.task.deadline_text,
                "note": i.note,
                "milestone": i.milestone,
            }
            for i in items
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def due_xlsx(items: list[DueItem], as_of: dt.date, path: Path) -> None:
    from openpyxl import Workbook

    from ansheng_cli.export.sheet import Sheet, add_styles
    from ansheng_cli.supervise.lights import colour_cells

    wb = Workbook(write_only=True)
    add_styles(wb)
    sheet = Sheet(wb, "督办清单", f"督办清单（截至 {as_of}）", DUE_HEADER, DUE_WIDTHS)
    styles = [
        "as-cell",
        "as-cell",
        "as-cell",
        "as-cell",
        "as-date",
        "as-text",
        "as-cell",
        "as-text",
        "as-cell",
    ]
    for i in items:
        sheet.append(
            [
                f"{i.unit}\n（{i.note}）" if i.note else i.unit,
                i.role,
                i.state,
                i.light or "",
                i.due,
                i.document.title,
                i.task.no,
                i.task.title,
                i.task.deadline_text or "",
            ],
            styles,
        )
    if items:
        colour_cells(sheet.ws, f"D3:D{len(items) + 2}")
    wb.save(path)


def stats_text(result: Stats, as_of: dt.date) -> str:
    lines = [
        f"截至 {as_of}",
        "",
        "各单位任务：单位 / 牵头 / 配合 / 逾期 / 已完成（其中已销号） / 红灯 / 黄灯 / 绿灯",
    ]
    lines += [
        f"  {u.name}  {u.lead}  {u.support}  {u.overdue}  {u.completed}（{u.confirmed}）  "
        + "  ".join(str(u.lights.get(c, 0)) for c in ORDER)
        for u in result.units
    ]
    lines += ["", "各月到期任务数："]
    lines += [f"  {month}  {count}" for month, count in result.months]
    lines += ["", "各文件完成率（已完成含单位报告完成待复核的；已销号为复核确认的）："]
    for d in result.documents:
        rate = f"{d.completed / d.tasks:.0%}" if d.tasks else "—"
        lines.append(f"  {d.title}  {d.completed}/{d.tasks}  {rate}（已销号 {d.confirmed}）")
    return "\n".join(lines) + "\n"


def stats_json(result: Stats, as_of: dt.date) -> str:
    data = {
        "as_of": as_of.isoformat(),
        "units": [
            {
                "name": u.name,
                "lead": u.lead,
                "support": u.support,
                "overdue": u.overdue,
                "completed": u.completed,
                "confirmed": u.confirmed,
                **{f"light_{CODES[c]}": u.lights.get(c, 0) for c in ORDER},
            }
            for u in result.units
        ],
        "months": [{"month": m, "due": c} for m, c in result.months],
        "documents": [
            {
                "title": d.title,
                "tasks": d.tasks,
                "completed": d.completed,
                "confirmed": d.confirmed,
                "rate": round(d.completed / d.tasks, 4) if d.tasks else None,
            }
            for d in result.documents
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


DUE_FORMATS = ("text", "json", "xlsx")


def write_due(
    items: list[DueItem], as_of: dt.date, within: int, fmt: str, output: str | None
) -> tuple[str, str]:
    """The due list in ``fmt``, where ``-o`` says: (stdout, stderr)."""
    from ansheng_cli.atomic import emit
    from ansheng_cli.errors import UsageProblem

    if fmt not in DUE_FORMATS:
        raise UsageProblem(f"不支持的输出格式“{fmt}”，可选：{'、'.join(DUE_FORMATS)}")
    stem = f"督办清单（截至{as_of}）"
    if fmt == "xlsx":
        return emit(fmt, output, stem, lambda tmp: due_xlsx(items, as_of, tmp))
    text = due_json(items, as_of, within) if fmt == "json" else due_text(items, as_of, within)
    return emit(fmt, output, stem, text)


def stats_output(result: Stats, as_of: dt.date, fmt: str) -> str:
    from ansheng_cli.errors import UsageProblem

    if fmt not in ("text", "json"):
        raise UsageProblem(f"不支持的输出格式“{fmt}”，可选：text、json")
    return stats_json(result, as_of) if fmt == "json" else stats_text(result, as_of)
