"""Supervision (督办): which tasks are overdue or fall due soon as of a date, and the load.

Recurring deadlines are expanded to the occurrence that matters on the as-of date
(每年第一季度 as of 2021-05-01 → the 2021 occurrence, due 2021-03-31, overdue unless a
progress report dated in it exists); occurrences due before the document was issued do not
count; ongoing tasks are never overdue; completed and suspended tasks are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ansheng_cli.plan.compiled import (
    ROLE_LEAD,
    ROLE_SUPPORT,
    Checkpoint,
    CompiledDocument,
    CompiledTask,
    Plan,
)
from ansheng_cli.plan.deadlines import Deadline

if TYPE_CHECKING:
    from ansheng_cli.supervise.lights import LightRule

OVERDUE, SOON = "逾期", "将到期"
NO_UNIT = "（未分解到单位）"


@dataclass(frozen=True)
class DueItem:
    unit: str  # who answers for it now, as lists show it (with the jurisdiction if several)
    role: str
    state: str  # 逾期 | 将到期
    due: dt.date
    document: CompiledDocument
    task: CompiledTask
    note: str | None = None  # 原市安监局 → 市应急管理局, when a successor answers for it
    milestone: str | None = None  # the step that is due (完成摸排), for tasks with several
    light: str | None = None  # 红 / 黄 / 绿 by the one rule of supervise/lights.py


def task_state(task: CompiledTask, as_of: dt.date, within: int) -> tuple[str, dt.date] | None:
    found = task_checkpoint(task, as_of, within)
    return (found[0], found[1]) if found else None


def task_checkpoint(
    task: CompiledTask, as_of: dt.date, within: int
) -> tuple[str, dt.date, Checkpoint] | None:
    """The state that matters of a task on ``as_of`` and the checkpoint it comes from: the
    first missed milestone, else the first one falling due within ``within`` days.

    A milestone before the last counts as met when a progress report is dated after the
    previous one fell due (or the plan was issued) and by its own due date; the last one is
    met only by completing the task, as a single deadline is."""
    if task.completed or task.status == "暂缓":
        return None
    points = task.checkpoints()
    soon: tuple[str, dt.date, Checkpoint] | None = None
    since = task.doc_date or dt.date.min
    for i, point in enumerate(points):
        last = i == len(points) - 1
        found = _point_state(task, point.deadline, as_of, within, since, last)
        if found is not None:
            if found[0] == OVERDUE:
                return found[0], found[1], point
            soon = soon or (found[0], found[1], point)
        if point.deadline.due is not None:
            since = point.deadline.due
    return soon


def _point_state(
    task: CompiledTask, deadline: Deadline, as_of: dt.date, within: int, since: dt.date,
    last: bool,
) -> tuple[str, dt.date] | None:  # fmt: skip
    reported = [d for d, _, _ in task.progress]
    if deadline.kind == "recurring":
        found = deadline.window(as_of, task.doc_date)
        if found is None:
            return None
        start, due = found
        if task.doc_date and due < task.doc_date:
            return None  # the plan did not exist yet
        if any(start <= d <= as_of for d in reported):
            return None  # reported for this occurrence
    elif deadline.due is not None:
        due = deadline.due
        if not last and as_of > due and any(since < d <= due for d in reported):
            return None  # a milestone met on time
    else:
        return None  # ongoing
    if as_of > due:
        return OVERDUE, due
    if (due - as_of).days <= within:
        return SOON, due
    return None


def due_items(
    plan: Plan, as_of: dt.date, within: int = 30, unit: str | None = None,
    rule: LightRule | None = None,
) -> list[DueItem]:  # fmt: skip
    """Overdue and soon-due tasks, one item per (unit, task): by unit, lead before support;
    each with the task's light by ``rule`` ([lights] of ansheng.toml)."""
    from ansheng_cli.supervise.lights import light

    out: list[tuple[tuple[str, int, str, int, int, dt.date], DueItem]] = []
    for doc in plan.documents:
        for task in doc.tasks:
            state = task_checkpoint(task, as_of, within)
            if state is None:
                continue
            label, due, point = state
            colour = light(task, as_of, rule)
            roles = [(ROLE_LEAD, r) for r in task.lead] + [(ROLE_SUPPORT, r) for r in task.support]
            if point.units:  # a milestone of its own units
                roles = [(ROLE_LEAD, r) for r in point.units]
            step = point.label if len(task.checkpoints()) > 1 else None
            if not roles and unit is None:  # a unit's list never holds tasks of no unit
                key = ("\uffff", 0, NO_UNIT, 0, 0 if label == OVERDUE else 1, due)
                out.append((key, DueItem(NO_UNIT, "—", label, due, doc, task, None, step, colour)))
            for role, ref in roles:
                name, note = ref.responsible(as_of)
                shown = plan.label(ref.jurisdiction, name)
                if unit is not None and unit not in (name, shown, ref.name):
                    continue
                rank = 0 if label == OVERDUE else 1
                order = ref.order if name == ref.name else 1_000_000
                key = (doc.jurisdiction, order, name, 0 if role == ROLE_LEAD else 1, rank, due)
                out.append((key, DueItem(shown, role, label, due, doc, task, note, step, colour)))
    out.sort(key=lambda pair: pair[0])
    return [item for _, item in out]


def unit_named(plan: Plan, unit: str, as_of: dt.date, paths: list[str],
               units: Path | None = None) -> str:  # fmt: skip
    """The unit ``--unit`` names: as given when it has tasks, else the registry's name of an
    alias (市应急局 → 市应急管理局); a name that is neither is refused, so that a typo is
    told from a unit with nothing due."""
    from ansheng_cli.errors import UsageProblem
    from ansheng_cli.fix import registry_finder

    if known_unit(plan, unit, as_of):
        return unit
    find = registry_finder(Path(paths[0]) if paths else Path("."), units)
    for jurisdiction in dict.fromkeys(d.jurisdiction for d in plan.documents):
        registry = find(jurisdiction)
        found = registry.resolve(unit) if registry else None
        if found and known_unit(plan, found.unit.name, as_of):
            return found.unit.name
    raise UsageProblem(f"所选文件中没有单位“{unit}”的任务：请核对单位名称")


def known_unit(plan: Plan, unit: str, as_of: dt.date) -> bool:
    """Whether ``unit`` (a name, a label with its jurisdiction, or a successor answering for
    a unit that ceased) leads or supports any task: a typo is then told from a unit with
    nothing due."""
    for doc in plan.documents:
        for task in doc.tasks:
            refs = [*task.lead, *task.support, *(u for p in task.checkpoints() for u in p.units)]
            for ref in refs:
                name, _ = ref.responsible(as_of)
                labels = (
                    plan.label(ref.jurisdiction, name),
                    plan.label(ref.jurisdiction, ref.name),
                )
                if unit in (ref.name, name, *labels):
                    return True
    return False


@dataclass
class UnitLoad:
    name: str
    lead: int = 0
    support: int = 0
    overdue: int = 0
    completed: int = 0  # 已完成 or 已销号
    confirmed: int = 0  # of which 已销号: the office confirmed it (复核销号)
    lights: dict[str, int] = field(default_factory=dict)  # 红 / 黄 / 绿 → tasks


@dataclass
class DocumentLoad:
    title: str
    tasks: int
    completed: int
    confirmed: int


@dataclass
class Stats:
    units: list[UnitLoad]
    months: list[tuple[str, int]]  # (YYYY-MM, tasks falling due)
    documents: list[DocumentLoad]


def stats(plan: Plan, as_of: dt.date, rule: LightRule | None = None) -> Stats:
    """Load per unit (units of different jurisdictions apart; a unit that ceased counted
    under its successor), tasks falling due per month, completion per document: claimed
    (已完成) apart from confirmed (已销号), and the tasks' lights by ``rule``."""
    from ansheng_cli.plan.models import CLOSED
    from ansheng_cli.supervise.lights import light

    loads: dict[str, UnitLoad] = {}
    order: dict[str, tuple[str, int]] = {}
    overdue_ids = {
        id(task)
        for doc in plan.documents
        for task in doc.tasks
        if (found := task_checkpoint(task, as_of, -1)) is not None and found[0] == OVERDUE
    }  # what due_items(within=-1) lists, without building its items and lights
    months: Counter[str] = Counter()
    documents = []
    for doc in plan.documents:
        done = confirmed = 0
        for task in doc.tasks:
            done += task.completed
            closed = task.status == CLOSED
            confirmed += closed
            colour = light(task, as_of, rule)
            for point in task.checkpoints():
                if point.deadline.due is not None and point.deadline.kind != "recurring":
                    months[point.deadline.due.strftime("%Y-%m")] += 1
            for role, refs in ((ROLE_LEAD, task.lead), (ROLE_SUPPORT, task.support)):
                for ref in refs:
                    name, _ = ref.responsible(as_of)
                    shown = plan.label(ref.jurisdiction, name)
                    load = loads.setdefault(shown, UnitLoad(shown))
                    order.setdefault(
                        shown, (ref.jurisdiction, ref.order if name == ref.name else 1_000_000)
                    )
                    if role == ROLE_LEAD:
                        load.lead += 1
                    else:
                        load.support += 1
                    load.overdue += id(task) in overdue_ids
                    load.completed += task.completed
                    load.confirmed += closed
                    if colour:
                        load.lights[colour] = load.lights.get(colour, 0) + 1
        documents.append(DocumentLoad(doc.title, len(doc.tasks), done, confirmed))
    units = sorted(loads.values(), key=lambda u: (order[u.name], u.name))
    return Stats(units, sorted(months.items()), documents)
