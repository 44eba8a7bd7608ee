"""三色督办 (traffic lights): one rule for due, stats, report and the progress sheets.

红 the task is overdue (its deadline, or its last milestone, has passed); 黄 it falls due
within ``yellow_within`` days, or an earlier milestone was missed while the deadline still
lies ahead (``missed_milestone`` may make that 红); 绿 on schedule. Completed and suspended
tasks have no light. Both numbers come from ``[lights]`` in ansheng.toml.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ansheng_cli.plan.compiled import CompiledTask

RED, YELLOW, GREEN = "红", "黄", "绿"
COLOURS = {RED: "FF9999", YELLOW: "FFE699", GREEN: "C6EFCE"}  # fills of the xlsx cells
LEVELS = {RED: "红色", YELLOW: "黄色", GREEN: "提醒"}  # the 催办单 level of each light
CODES = {RED: "red", YELLOW: "yellow", GREEN: "green"}  # in json
ORDER = (RED, YELLOW, GREEN)


@dataclass(frozen=True)
class LightRule:
    yellow_within: int = 15  # days before a deadline a task turns yellow
    missed_milestone: str = YELLOW  # the light of a task behind an earlier milestone

    @classmethod
    def from_settings(cls, value: Any) -> LightRule:
        """``[lights]`` of ansheng.toml; raises TypeError (Chinese) for a bad table."""
        if not isinstance(value, dict) or set(value) - {"yellow_within", "missed_milestone"}:
            raise TypeError('应为表，可写 yellow_within = 15 和 missed_milestone = "黄"')
        days = value.get("yellow_within", cls.yellow_within)
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise TypeError("中 yellow_within 应为非负整数（天数）")
        missed = value.get("missed_milestone", cls.missed_milestone)
        if missed not in (RED, YELLOW):
            raise TypeError('中 missed_milestone 应为 "红" 或 "黄"')
        return cls(days, missed)


def light(task: CompiledTask, as_of: dt.date, rule: LightRule | None = None) -> str | None:
    """The task's light on ``as_of``; None for a completed or suspended task."""
    from ansheng_cli.supervise.due import OVERDUE, task_checkpoint

    rule = rule or LightRule()
    if task.completed or task.status == "暂缓":
        return None
    found = task_checkpoint(task, as_of, rule.yellow_within)
    if found is None:
        return GREEN
    state, _due, point = found
    if state != OVERDUE:
        return YELLOW
    points = task.checkpoints()
    final = points[-1].deadline.due if points else None
    if point == points[-1] or final is None or final < as_of:
        return RED
    return rule.missed_milestone


def colour_cells(ws: Any, cells: str) -> None:
    """Fill the cells ``cells`` (e.g. ``F3:F40``) of a worksheet by the light written in
    them, as conditional formatting: a colour that follows the value when a clerk edits it."""
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import PatternFill

    for name, colour in COLOURS.items():
        fill = PatternFill("solid", fgColor=colour, bgColor=colour)
        ws.conditional_formatting.add(
            cells, CellIsRule(operator="equal", formula=[f'"{name}"'], fill=fill)
        )
