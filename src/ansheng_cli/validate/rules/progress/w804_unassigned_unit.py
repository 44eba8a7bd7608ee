"""报送进展的单位不是该任务的牵头或配合单位。

为什么：进展应由承担任务的单位报送；别的单位报的进展多半是挂错了任务。比较时别名按规范名称算，
机构改革后由承接单位（名录中的 successor）报送的进展也算该任务的。

错误示例：
    lead: [市应急管理局]
    progress:
      - {date: 2021-03-01, unit: 市公安局, text: 已部署}       # W804

正确示例：
    progress:
      - {date: 2021-03-01, unit: 市应急管理局, text: 已部署}

如何修改：核对进展所属的任务，或把该单位加入牵头、配合单位。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.progress import entries

CODE = "W804"
NAME = "progress.unassigned-unit"


def _canonical(ctx: DocumentContext, name: str) -> str:
    found = ctx.registry.resolve(name) if ctx.registry else None
    return found.unit.name if found else name


def _with_successors(ctx: DocumentContext, names: set[str]) -> set[str]:
    """The units and those that took over their tasks (市安监局 → 市应急管理局)."""
    out, todo = set(names), list(names)
    while todo and ctx.registry and len(out) < 1000:
        unit = ctx.registry.unit(todo.pop())
        if unit is not None and unit.successor:
            successor = _canonical(ctx, unit.successor)
            if successor not in out:
                out.add(successor)
                todo.append(successor)
    return out


def check(ctx: DocumentContext) -> Iterator[Hit]:
    tasks = dict(ctx.tasks)
    for path, entry in entries(ctx):
        task = tasks[path[:-2]]
        assigned = _with_successors(ctx, {_canonical(ctx, n) for n in (*task.lead, *task.support)})
        if _canonical(ctx, entry.unit) not in assigned:
            yield Hit(
                CODE,
                (*path, "unit"),
                f"“{entry.unit}”不是任务“{task.no}”的牵头或配合单位，却报送了进展",
                "核对进展所属的任务",
            )
