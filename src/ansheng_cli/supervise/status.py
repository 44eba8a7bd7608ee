"""``ansheng progress status``: who has reported in a round (已报送 / 部分报送 / 未报送), who
reported late, and the tasks still without any progress — the first thing a 安委办 tells
its leaders, and what its reminders are about."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ansheng_cli.errors import UsageProblem
from ansheng_cli.supervise.rounds import MISSING, PARTIAL, RETURNED, Round, Sent

if TYPE_CHECKING:
    from ansheng_cli.config import Settings
    from ansheng_cli.plan.compiled import CompiledDocument, CompiledTask, Plan

FORMATS = ("text", "md", "json", "xlsx")
ORDER = (MISSING, PARTIAL, RETURNED)


@dataclass
class Status:
    round: Round
    units: list[Sent]  # 未报送 first, then 部分报送, then 已报送
    silent: list[tuple[CompiledDocument, CompiledTask]]  # tasks nobody reported on

    def count(self, state: str) -> int:
        return sum(s.state == state for s in self.units)

    @property
    def late(self) -> list[Sent]:
        return [s for s in self.units if self.round.late(s)]

    @property
    def summary(self) -> str:
        """``共 3 个单位：已报送 2 个，部分报送 0 个，未报送 1 个；逾期报送 1 个``."""
        return (
            f"共 {len(self.units)} 个单位：已报送 {self.count(RETURNED)} 个，"
            f"部分报送 {self.count(PARTIAL)} 个，未报送 {self.count(MISSING)} 个；"
            f"逾期报送 {len(self.late)} 个"
        )

    def days_late(self, sent: Sent) -> int:
        assert sent.returned and self.round.return_by
        return (sent.returned - self.round.return_by).days


def round_status(plan: Plan, record: Round) -> Status:
    units = sorted(record.units, key=lambda s: ORDER.index(s.state))
    sent = {s.unit for s in record.units}
    silent = [
        (doc, task)
        for doc in plan.documents
        for task in doc.tasks
        if not task.completed
        and not task.status
        and not task.progress
        and any(plan.label(r.jurisdiction, r.name) in sent for r in [*task.lead, *task.support])
    ]
    return Status(record, units, silent)


def state_words(status: Status, s: Sent) -> str:
    """``部分报送（填报 3/5 项），2024-07-12 报送（逾期 2 天）``."""
    words = s.state
    if s.state == PARTIAL:
        words += f"（填报 {s.filled}/{s.tasks} 项）"
    if s.returned:
        words += f"，{s.returned} 报送"
        if status.round.late(s):
            words += f"（逾期 {status.days_late(s)} 天）"
    return words


def render_text(status: Status, markdown: bool = False) -> str:
    r = status.round
    head = (
        f"督办轮次：{r.name}（截至 {r.as_of}"
        + (f"，报送期限 {r.return_by}" if r.return_by else "")
        + "）"
    )
    lines = [f"# {head}" if markdown else head, "", status.summary, ""]
    for state in ORDER:
        group = [s for s in status.units if s.state == state]
        if not group:
            continue
        lines.append(f"## {state}（{len(group)}）" if markdown else f"{state}（{len(group)}）：")
        if markdown:
            lines += ["", "| 单位 | 任务数 | 报送情况 |", "| --- | --- | --- |"]
            lines += [f"| {s.unit} | {s.tasks} | {state_words(status, s)} |" for s in group]
        else:
            lines += [f"  {s.unit}  {s.tasks} 项任务  {state_words(status, s)}" for s in group]
        lines.append("")
    title = f"仍无任何进展的任务（{len(status.silent)}）"
    lines.append(f"## {title}" if markdown else f"{title}：")
    if markdown and status.silent:
        lines += ["", "| 文件 | 序号 | 任务 | 牵头单位 |", "| --- | --- | --- | --- |"]
    for doc, task in status.silent:
        lead = "、".join(u.name for u in task.lead) or "—"
        text = task.title or task.text[:30]
        lines.append(
            f"| {doc.title} | {task.no} | {text} | {lead} |"
            if markdown
            else f"  {doc.title} {task.no} {text}（{lead}）"
        )
    return "\n".join(lines) + "\n"


def as_dict(status: Status) -> dict[str, Any]:
    r = status.round
    return {
        "round": r.name,
        "as_of": r.as_of.isoformat(),
        "return_by": r.return_by.isoformat() if r.return_by else None,
        "units": [
            {
                "unit": s.unit,
                "state": s.state,
                "tasks": s.tasks,
                "filled": s.filled,
                "returned": s.returned.isoformat() if s.returned else None,
                "days_late": status.days_late(s) if r.late(s) else 0,
            }
            for s in status.units
        ],
        "silent": [{"document": d.id, "no": t.no, "title": t.title} for d, t in status.silent],
    }


def write_xlsx(status: Status, path: Path) -> None:
    """The 报送情况 on one portrait page: title with the dates, a row per unit (未报送 in
    red), the counts below."""
    from openpyxl import Workbook
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font

    from ansheng_cli.export.sheet import Sheet, add_styles

    r = status.round
    wb = Workbook(write_only=True)
    add_styles(wb)
    header = ("单位", "任务数", "报送情况", "填报项数", "报送日期", "逾期天数")
    due = f"，报送期限 {r.return_by}" if r.return_by else ""
    title = f"{r.name}报送情况（截至 {r.as_of}{due}）"
    sheet = Sheet(wb, "报送情况", title, header, (26, 8, 11, 10, 13, 10), portrait=True)
    styles = ["as-text", "as-cell", "as-cell", "as-cell", "as-date", "as-cell"]
    for s in status.units:
        late = status.days_late(s) if r.late(s) else None
        sheet.append([s.unit, s.tasks, s.state, s.filled, s.returned, late], styles)
    if status.units:
        last = len(status.units) + 2
        red = CellIsRule(
            operator="equal", formula=[f'"{MISSING}"'], font=Font(color="C00000", b=True)
        )
        sheet.ws.conditional_formatting.add(f"C3:C{last}", red)
    sheet.merged_row(status.summary, "as-section")
    wb.save(path)


def status(
    paths: list[str],
    settings: Settings,
    name: str | None,
    fmt: str,
    output: str | None,
) -> tuple[str, str]:
    """``ansheng progress status``: (stdout, stderr)."""
    from ansheng_cli.atomic import emit
    from ansheng_cli.plan.files import collect
    from ansheng_cli.supervise import plan_for
    from ansheng_cli.supervise.rounds import find_round, repository_root

    if fmt not in FORMATS:
        raise UsageProblem(f"不支持的输出格式“{fmt}”，可选：{'、'.join(FORMATS)}")
    _, record = find_round(repository_root(paths), name)
    plan, _ = plan_for(paths, settings)
    result = round_status(plan, record)
    inputs = [p for _, p in collect(paths)]
    if fmt == "xlsx":
        return emit(
            fmt, output, f"{record.name}报送情况", lambda tmp: write_xlsx(result, tmp), inputs
        )
    if fmt == "json":
        text = json.dumps(as_dict(result), ensure_ascii=False, indent=2) + "\n"
    else:
        text = render_text(result, markdown=fmt == "md")
    return emit(fmt, output, f"{record.name}报送情况", text, inputs)
