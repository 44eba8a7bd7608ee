"""Supervision upward (``due``/``stats``/``report --parent``): the upper plan, each of its
tasks carrying the progress of the local tasks that implement it.

The rolled-up plan is an ordinary compiled plan, so every supervision view works on it
unchanged: an upper task is 已完成 when every local task implementing it is done (on the
day the last one was), 推进中 when any has been reported on, and its progress entries are
the local ones, each naming the local task it comes from.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ansheng_cli.config import Settings
    from ansheng_cli.plan.compiled import CompiledTask, Plan
    from ansheng_cli.trace import Row


def _where(path: Sequence[object]) -> str:
    """A trace data path (sections, 0, tasks, 5) as the compiled plan writes it (0.5)."""
    return ".".join(str(p) for p in path if isinstance(p, int))


def rolled_up(
    children: Plan, child_paths: Sequence[str], parent_paths: Sequence[str], settings: Settings
) -> tuple[Plan, str]:
    """The upper plan with local progress rolled up, and a line saying what was rolled up.
    ``parent_paths`` empty: the documents the children name, looked up in the repository."""
    from ansheng_cli.supervise import plan_for
    from ansheng_cli.trace import build_table, read_plans, upper_plans

    child_files = read_plans(child_paths, settings.seasons)
    parent_files = upper_plans(child_files, parent_paths, settings.seasons)
    upper, _ = plan_for([str(p.path) for p in parent_files], settings)
    table = build_table(child_files, parent_files)
    rows = {(r.upper.doc_id, _where(r.upper.path)): r for r in table.rows}
    local = {(t.document, t.where): t for t in children.tasks}
    linked = 0
    for task in upper.tasks:
        row = rows.get((task.document, task.where))
        if row is not None:
            linked += bool(row.local)
            _roll(task, row, local)
    local_count = sum(len(r.local) for r in table.rows)
    line = (
        f"按上级计划汇总：上级 {len(upper.tasks)} 项任务中 {linked} 项有本级任务落实"
        f"（本级 {local_count} 项次）"
    )
    return upper, line


def _roll(task: CompiledTask, row: Row, local: dict[tuple[str, str], CompiledTask]) -> None:
    mine = [local[key] for t in row.local if (key := (t.doc_id, _where(t.path))) in local]
    if not mine:
        task.status, task.done, task.progress = None, None, []
        return
    if all(t.completed for t in mine):
        task.status = "已完成"
        dates = [t.done for t in mine if t.done]
        task.done = max(dates) if len(dates) == len(mine) else None
    elif any(t.status or t.progress or t.completed for t in mine):
        task.status, task.done = "推进中", None
    else:
        task.status, task.done = None, None
    task.progress = sorted(
        (date, unit, f"〔{t.no}〕{text}") for t in mine for date, unit, text in t.progress
    )
