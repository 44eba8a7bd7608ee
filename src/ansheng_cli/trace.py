"""The trace use case: a local plan against the higher-level plans it implements (对照表).

A local task says which upper tasks it takes up (``implements: [<document id>#<task>]``);
a local document names its parents (``document.parents``). From these links this module
builds the 对照表 (each upper task with the local tasks that take it up, their lead units
and deadlines, and the gaps), the cross-file checks (E704, W705, W706, W707, W708, run by
``validate.crossfile``), and suggestions of links by text similarity.

A task is named within its document by its number when that is unique, else by the
numbers of its sections and its own joined with ``/`` (``二/3``), or by its title.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ansheng_cli.errors import UsageProblem

if TYPE_CHECKING:
    from ansheng_cli.config import Settings
    from ansheng_cli.plan.finding import Path as DataPath
    from ansheng_cli.plan.loader import Loaded
    from ansheng_cli.plan.models import Document
    from ansheng_cli.plan.registry import Registry

FORMATS = ("text", "md", "json", "xlsx")

# How higher plans address a jurisdiction's level, by the last character(s) of its name,
# when its registry has no ``levels:`` table.
DEFAULT_LEVELS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("街道", "镇", "乡"), ("各乡镇（街道）", "各乡镇", "各街镇", "各镇", "各街道", "各乡镇政府",
                          "各乡镇人民政府", "各镇政府", "各街道办事处")),
    (("区",), ("各区政府", "各区人民政府", "各县（市、区）", "各县市区", "各县（区）", "各区")),
    (("县",), ("各县（市、区）", "各县市区", "各县（区）", "各县区", "各县政府", "各县人民政府")),
    (("市",), ("各县（市、区）", "各县市区", "各设区市", "各市", "各市人民政府", "各市政府")),
)  # fmt: skip
_NOT_A_LEVEL = re.compile(r"各区(?=[域间块])")  # 各区域 is not 各区


@dataclass
class PlanTask:
    """One task as the trace sees it."""

    doc_id: str
    key: str  # how other files name it: its number, or 二/3 where the number repeats
    no: str
    title: str
    text: str
    lead: list[str]
    support: list[str]
    others: str | None
    deadline: str | None  # as written, or inherited
    due: dt.date | None  # the last date it states (None: recurring, ongoing, none)
    path: DataPath  # data path in its file
    section: str  # the top-level section heading
    implements: list[str]
    completed: bool
    status: str | None

    @property
    def body(self) -> str:
        if self.title and not self.text.startswith(self.title):
            return f"{self.title}{self.text}"
        return self.text or self.title

    @property
    def units(self) -> list[str]:
        return [*self.lead, *self.support]

    def label(self) -> str:
        return f"{self.doc_id}#{self.key}"


@dataclass
class PlanFile:
    display: str
    path: Path
    doc: Document
    loaded: Loaded
    registry: Registry | None
    tasks: list[PlanTask] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.doc.document.id

    @property
    def jurisdiction(self) -> str:
        return self.doc.document.jurisdiction

    def find(self, ref: str) -> PlanTask | None:
        """The task ``ref`` names: its key, its number when unique, or its title."""
        for task in self.tasks:
            if ref == task.key:
                return task
        same = [t for t in self.tasks if t.no == ref] or [t for t in self.tasks if t.title == ref]
        return same[0] if len(same) == 1 else None

    def keys(self) -> list[str]:
        return [t.key for t in self.tasks]


# Loading ------------------------------------------------------------------------------------


def read_plan(display: str, path: Path, seasons: dict[str, str] | None = None) -> PlanFile | None:
    """A plan file with a valid shape, indexed; None for anything else."""
    from ansheng_cli.plan.files import file_kind
    from ansheng_cli.plan.loader import load_file
    from ansheng_cli.plan.models import Document
    from ansheng_cli.plan.registry import registry_path
    from ansheng_cli.plan.shape import check_shape
    from ansheng_cli.validate.engine import load_registry

    loaded = load_file(path)
    if not loaded.ok or file_kind(loaded.data, path) != "document":
        return None
    model, _problems = check_shape(Document, loaded.data)
    if model is None:
        return None
    where = registry_path(path, model.document.jurisdiction)
    registry = load_registry(where.resolve())[0] if where is not None else None
    plan = PlanFile(display, path, model, loaded, registry)
    plan.tasks = list(_index(model, seasons or {}))
    return plan


def _index(doc: Document, seasons: dict[str, str]) -> Iterator[PlanTask]:
    from ansheng_cli.plan import walk
    from ansheng_cli.plan.compiled import heading_number
    from ansheng_cli.plan.deadlines import DeadlineError, parse
    from ansheng_cli.plan.models import deadline_words

    meta = doc.document
    found: list[tuple[DataPath, Any, list[str], str | None, str]] = []
    inherited: dict[DataPath, str | None] = {}
    numbers: dict[DataPath, list[str]] = {}
    headings: dict[DataPath, str] = {}
    for path, section in walk.sections(doc):
        parent = path[:-2]
        inherited[path] = section.deadline or inherited.get(parent)
        numbers[path] = [*numbers.get(parent, []), section.no or section.title]
        headings[path] = headings.get(parent) or f"{heading_number(section.no)}{section.title}"
        for j, task in enumerate(section.tasks):
            found.append(
                ((*path, "tasks", j), task, numbers[path], inherited[path], headings[path])
            )
    counts = Counter(task.no for _, task, _, _, _ in found)
    for path, task, nos, section_deadline, heading in found:
        text = deadline_words(task.deadline) or section_deadline or meta.default_deadline
        due = None
        if text:
            try:
                dues = parse(text, meta.date, seasons).dues
                due = max(dues) if dues else None
            except DeadlineError:
                due = None
        key = task.no if counts[task.no] == 1 else "/".join([*nos, task.no])
        yield PlanTask(
            meta.id, key, task.no, task.title or "", task.text or "", list(task.lead),
            list(task.support), task.others, text, due, path, heading, list(task.implements),
            task.status in ("已完成", "已销号") or task.done is not None, task.status,
        )  # fmt: skip


def read_plans(paths: Iterable[str], seasons: dict[str, str] | None = None) -> list[PlanFile]:
    from ansheng_cli.plan.files import collect

    out = [read_plan(display, path, seasons) for display, path in collect(paths)]
    return [p for p in out if p is not None]


def find_documents(ids: Iterable[str], near: Path) -> list[PlanFile]:
    """Documents with these ids in the data repository ``near`` belongs to (data/)."""
    from ansheng_cli.plan.files import collect
    from ansheng_cli.plan.registry import data_root

    wanted = set(ids)
    root = data_root(near)
    if not wanted or root is None or not (root / "data").is_dir():
        return []
    out = []
    pattern = re.compile(r"^\s*id:\s*[\"']?([a-z0-9-]+)", re.M)
    for display, path in collect([str(root / "data")]):
        try:
            head = path.read_text(encoding="utf-8", errors="replace")[:4000]
        except OSError:
            continue
        match = pattern.search(head)
        if match and match.group(1) in wanted:
            plan = read_plan(display, path)
            if plan is not None:
                out.append(plan)
    return out


def upper_plans(
    children: Sequence[PlanFile], parents: Sequence[str], seasons: dict[str, str]
) -> list[PlanFile]:
    """The upper plans: those given, else the documents the children name (document.parents,
    implements) in their data repository; refused when there are none."""
    found = read_plans(parents, seasons) if parents else []
    if not found and children:
        wanted = {i for c in children for i in c.doc.document.parents}
        wanted |= {p[0] for c in children for t in c.tasks for r in t.implements
                   if (p := split_ref(r))}  # fmt: skip
        found = find_documents(wanted, children[0].path)
    if not found:
        raise UsageProblem("没有找到上级计划：用 --parent 指定，或在 document.parents 中写明")
    return found


# Links ---------------------------------------------------------------------------------------


def split_ref(ref: str) -> tuple[str, str] | None:
    doc_id, sep, task = ref.strip().partition("#")
    return (doc_id.strip(), task.strip()) if sep and doc_id.strip() and task.strip() else None


def level_names(child: PlanFile) -> list[str]:
    """The names by which a higher plan addresses the child's level (registry ``levels``,
    else the default table by the ending of the jurisdiction's name), and the child's name."""
    names: list[str] = []
    if child.registry is not None:
        names += child.registry.model.levels
    if not names:
        for endings, table in DEFAULT_LEVELS:
            if child.jurisdiction.endswith(endings):
                names += table
                break
    return [*names, child.jurisdiction]


def assigned_to(task: PlanTask, names: Sequence[str]) -> bool:
    """Whether an upper task names the level (in its units or its catch-alls)."""
    words = " ".join([*task.units, task.others or ""])
    words = _NOT_A_LEVEL.sub("", words)
    return any(name and name in words for name in names)


@dataclass
class Problem:
    """A cross-file finding in one file, by data path."""

    plan: PlanFile
    path: DataPath
    code: str
    message: str
    hint: str


def check_links(plans: Sequence[PlanFile]) -> Iterator[Problem]:
    """E704, W705, W706, W707, W708 over a set of plans (children and parents together)."""
    by_id = {p.id: p for p in plans}
    for child in plans:
        meta = child.doc.document
        if not meta.parents and not any(t.implements for t in child.tasks):
            continue
        for k, parent_id in enumerate(meta.parents):
            if parent_id not in by_id:
                yield Problem(child, ("document", "parents", k), "E704",
                              f"上级文件“{parent_id}”不存在{_did_you_mean(parent_id, by_id)}",
                              "改为上级文件的 document.id，或把上级文件一并放入数据仓库")  # fmt: skip
        uppers: set[str] = set(meta.parents)
        for task in child.tasks:
            for k, ref in enumerate(task.implements):
                where = (*task.path, "implements", k)
                parts = split_ref(ref)
                if parts is None:
                    yield Problem(child, where, "E704", f"“{ref}”不是“文件id#任务编号”的写法",
                                  "写作 上级文件id#任务编号，如 sh-2024-fire#3")  # fmt: skip
                    continue
                doc_id, name = parts
                parent = by_id.get(doc_id)
                if parent is None:
                    yield Problem(child, where, "E704",
                                  f"上级文件“{doc_id}”不存在{_did_you_mean(doc_id, by_id)}",
                                  "改为上级文件的 document.id，或把上级文件一并放入数据仓库")  # fmt: skip
                    continue
                uppers.add(doc_id)
                upper = parent.find(name)
                if upper is None:
                    yield Problem(child, where, "E704",
                                  f"上级文件“{doc_id}”中没有任务“{name}”"
                                  f"{_did_you_mean(name, parent.keys())}",
                                  "编号重复时写出所在章节，如 二/3；也可写任务标题")  # fmt: skip
                    continue
                if task.due and upper.due and task.due > upper.due:
                    own = _own_deadline(child, task)
                    yield Problem(child, own or where, "W705",
                                  f"完成时限“{task.deadline}”晚于上级任务 {upper.label()} 的"
                                  f"“{upper.deadline}”",
                                  "本级时限应不晚于上级时限；确需延后的，注明原因")  # fmt: skip
        locals_ = [p for p in plans if p.jurisdiction == child.jurisdiction]
        for k, parent_id in enumerate(meta.parents):
            parent = by_id.get(parent_id)
            if parent is None:
                continue
            names = level_names(child)
            for upper in parent.tasks:
                if assigned_to(upper, names) and not _taken_up(upper, parent, locals_):
                    yield Problem(child, ("document", "parents", k), "W706",
                                  f"上级任务 {upper.label()}（{_short(upper.body)}）交给本级，"
                                  f"本级没有任务落实",
                                  f"增加落实它的任务，写上 implements: [{upper.label()}]")  # fmt: skip
        parent_plans = [by_id[u] for u in uppers if u in by_id]
        if not parent_plans:
            continue
        declared = [by_id[u] for u in meta.parents if u in by_id]
        for task, candidates in likely_links(child, declared):
            best = candidates[0]
            phrases = "、".join(f"“{p}”" for p in best.phrases[:2])
            yield Problem(child, task.path, "W708",
                          f"本级任务与上级任务 {best.upper.label()}（{_short(best.upper.title or best.upper.body, 20)}）"
                          f"相近（相似度 {best.score:.2f}，相同词句{phrases}），未写 implements",
                          f"核对后写上 implements: [{', '.join(c.upper.label() for c in candidates)}]"
                          "；可用 ansheng fix --select W708 写入（带“待核对”标记）；确与上级无关的，"
                          "用忽略注释写明")  # fmt: skip
        for task in child.tasks:
            kinds = [("lead", task.lead), ("support", task.support)]
            for kind, units in kinds:
                for i, unit in enumerate(units):
                    owner = _foreign(unit, child, parent_plans)
                    if owner:
                        yield Problem(child, (*task.path, kind, i), "W707",
                                      f"“{unit}”是{owner}的单位，不是{child.jurisdiction}的",
                                      f"改为{child.jurisdiction}对应的单位")  # fmt: skip


def _taken_up(upper: PlanTask, parent: PlanFile, locals_: Sequence[PlanFile]) -> bool:
    for plan in locals_:
        for task in plan.tasks:
            for ref in task.implements:
                parts = split_ref(ref)
                if parts and parts[0] == parent.id and parent.find(parts[1]) is upper:
                    return True
    return False


def _own_deadline(child: PlanFile, task: PlanTask) -> DataPath | None:
    node: Any = child.doc
    for step in task.path:
        node = getattr(node, step) if isinstance(step, str) else node[step]
    return (*task.path, "deadline") if node.deadline is not None else None


def _foreign(unit: str, child: PlanFile, parents: Sequence[PlanFile]) -> str | None:
    """The upper jurisdiction a unit belongs to, when it is not one of the child's."""
    if child.registry is not None and child.registry.resolve(unit) is not None:
        return None
    for parent in parents:
        if parent.jurisdiction == child.jurisdiction:
            continue
        if parent.registry is not None:
            if parent.registry.resolve(unit) is not None:
                return parent.jurisdiction
        else:  # no registry of the upper level: 市应急管理局 in a 区 plan is a 市 unit
            upper, own = parent.jurisdiction[-1:], child.jurisdiction[-1:]
            if upper != own and unit.startswith(upper) and not unit.startswith(own):
                return parent.jurisdiction
    return None


def _did_you_mean(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.5)
    return f"，是不是“{close[0]}”？" if close else ""


def _short(text: str, limit: int = 30) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


# The 对照表 ---------------------------------------------------------------------------------


@dataclass
class Row:
    upper: PlanTask
    assigned: bool  # the upper task names the child's level
    local: list[PlanTask]

    @property
    def state(self) -> str:
        if self.local:
            return "已分解"
        return "未分解（缺项）" if self.assigned else "未分解"

    @property
    def reported(self) -> bool:
        """Whether any local task has a status: only then is a roll-up worth showing."""
        return any(t.status or t.completed for t in self.local)

    @property
    def progress(self) -> str:
        """The upper task's state rolled up: done when every local task is done."""
        if not self.local:
            return ""
        done = sum(t.completed for t in self.local)
        if done == len(self.local):
            return "已完成"
        return f"推进中（{done}/{len(self.local)}）" if done else "未完成"


@dataclass
class Coverage:
    section: str
    tasks: int
    assigned: int
    covered: int  # upper tasks with at least one local task
    covered_assigned: int

    @property
    def rate(self) -> str:
        return f"{self.covered / self.tasks:.0%}" if self.tasks else "—"


@dataclass
class Table:
    parents: list[PlanFile]
    children: list[PlanFile]
    rows: list[Row]
    unlinked: list[PlanTask]  # local tasks that implement nothing

    def coverage(self) -> list[Coverage]:
        out: dict[tuple[str, str], Coverage] = {}
        for row in self.rows:
            key = (row.upper.doc_id, row.upper.section)
            c = out.setdefault(key, Coverage(row.upper.section, 0, 0, 0, 0))
            c.tasks += 1
            c.assigned += row.assigned
            c.covered += bool(row.local)
            c.covered_assigned += bool(row.local) and row.assigned
        return list(out.values())

    def as_dict(self) -> dict[str, Any]:
        def task(t: PlanTask) -> dict[str, Any]:
            return {
                "ref": t.label(), "no": t.no, "text": t.body, "lead": t.lead,
                "support": t.support, "others": t.others, "deadline": t.deadline,
                "due": t.due.isoformat() if t.due else None, "completed": t.completed,
            }  # fmt: skip

        return {
            "version": 1,
            "parents": [{"id": p.id, "title": p.doc.document.title} for p in self.parents],
            "children": [{"id": c.id, "title": c.doc.document.title} for c in self.children],
            "rows": [
                {
                    "upper": task(r.upper),
                    "section": r.upper.section,
                    "assigned": r.assigned,
                    "state": r.state,
                    "progress": r.progress,
                    "local": [task(t) for t in r.local],
                }
                for r in self.rows
            ],
            "coverage": [
                {
                    "section": c.section,
                    "tasks": c.tasks,
                    "assigned": c.assigned,
                    "covered": c.covered,
                    "covered_assigned": c.covered_assigned,
                }
                for c in self.coverage()
            ],
            "unlinked": [t.label() for t in self.unlinked],
        }


def build_table(children: Sequence[PlanFile], parents: Sequence[PlanFile]) -> Table:
    rows = []
    names = [n for c in children for n in level_names(c)]
    linked: set[int] = set()
    for parent in parents:
        for upper in parent.tasks:
            local = []
            for child in children:
                for task in child.tasks:
                    for ref in task.implements:
                        parts = split_ref(ref)
                        if parts and parts[0] == parent.id and parent.find(parts[1]) is upper:
                            local.append(task)
                            linked.add(id(task))
                            break
            rows.append(Row(upper, assigned_to(upper, names), local))
    unlinked = [t for c in children for t in c.tasks if id(t) not in linked]
    return Table(list(parents), list(children), rows, unlinked)


def _units(task: PlanTask) -> str:
    words = "、".join(task.lead)
    if task.others:
        words = f"{words}、{task.others}" if words else task.others
    return words or "—"


def render_text(table: Table, markdown: bool = False) -> str:
    lines: list[str] = []
    title = "、".join(p.doc.document.title for p in table.parents)
    local = "、".join(c.doc.document.title for c in table.children)
    if markdown:
        lines += ["# 上下级任务对照表", "", f"上级：{title}", "", f"本级：{local}", ""]
        lines += ["| 上级任务 | 上级责任 | 上级时限 | 本级任务 | 本级牵头单位 | 本级时限 | 状态 |",
                  "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
        section = None
        for row in table.rows:
            if row.upper.section != section:
                section = row.upper.section
                lines.append(f"| **{_md(section)}** | | | | | | |")
            head = f"{row.upper.key} {_md(_short(row.upper.body, 40))}"
            if not row.local:
                lines.append(f"| {head} | {_md(_units(row.upper))} | {_md(row.upper.deadline or '—')}"
                             f" | — | — | — | {row.state} |")  # fmt: skip
            for i, t in enumerate(row.local):
                first = i == 0
                lines.append(
                    f"| {head if first else ''} | {_md(_units(row.upper)) if first else ''} "
                    f"| {_md(row.upper.deadline or '—') if first else ''} "
                    f"| {t.key} {_md(_short(t.body, 40))} | {_md('、'.join(t.lead) or '—')} "
                    f"| {_md(t.deadline or '—')} | {_state(row) if first else ''} |"
                )
        lines += ["", "## 分解情况", "", "| 上级章节 | 任务数 | 交给本级 | 已分解 | 分解率 |",
                  "| --- | --- | --- | --- | --- |"]  # fmt: skip
        lines += [f"| {_md(c.section)} | {c.tasks} | {c.assigned} | {c.covered} | {c.rate} |"
                  for c in table.coverage()]  # fmt: skip
        gaps = [r for r in table.rows if r.assigned and not r.local]
        lines += ["", f"交给本级而未分解（缺项）：{len(gaps)} 项"]
        lines += [f"- {r.upper.label()} {_md(_short(r.upper.body, 40))}" for r in gaps]
        if table.unlinked:
            lines += ["", "## 本级未对应上级的任务", ""]
            lines += [f"- {t.key} {_md(_short(t.body, 40))}" for t in table.unlinked]
        return "\n".join(lines) + "\n"
    lines += [f"上级：{title}", f"本级：{local}", ""]
    section = None
    for row in table.rows:
        if row.upper.section != section:
            section = row.upper.section
            lines.append(section)
        lines.append(f"  {row.upper.label()}  {_short(row.upper.body, 40)}")
        lines.append(f"    上级责任：{_units(row.upper)}；时限：{row.upper.deadline or '—'}")
        if not row.local:
            lines.append(f"    {row.state}")
        for t in row.local:
            lines.append(f"    → {t.label()}  {_short(t.body, 30)}")
            lines.append(f"      牵头：{'、'.join(t.lead) or '—'}；时限：{t.deadline or '—'}")
        if row.reported:
            lines.append(f"    进展：{row.progress}")
    lines += ["", "分解情况："]
    for c in table.coverage():
        lines.append(f"  {c.section}：{c.covered}/{c.tasks} 项已分解（{c.rate}），"
                     f"交给本级 {c.assigned} 项，已分解 {c.covered_assigned} 项")  # fmt: skip
    gaps = [r for r in table.rows if r.assigned and not r.local]
    lines.append(f"缺项：{len(gaps)} 项" + ("" if not gaps else "（" + "、".join(
        r.upper.label() for r in gaps) + "）"))  # fmt: skip
    if table.unlinked:
        lines.append(f"本级未对应上级的任务：{'、'.join(t.label() for t in table.unlinked)}")
    return "\n".join(lines) + "\n"


def _state(row: Row) -> str:
    return f"{row.state}，{row.progress}" if row.reported else row.state


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def write_xlsx(table: Table, target: Path) -> None:
    from openpyxl import Workbook

    from ansheng_cli.export.sheet import Sheet, add_styles

    wb = Workbook(write_only=True)
    add_styles(wb)
    header = ["上级编号", "上级任务", "上级责任", "上级时限", "本级编号", "本级任务",
              "本级牵头单位", "本级时限", "状态"]  # fmt: skip
    widths = [8, 40, 16, 12, 8, 40, 16, 12, 10]
    sheet = Sheet(wb, "对照表", "上下级任务对照表", header, widths)
    styles = ["as-cell", "as-text", "as-text", "as-cell", "as-cell", "as-text", "as-text",
              "as-cell", "as-cell"]  # fmt: skip
    section = None
    for row in table.rows:
        if row.upper.section != section:
            section = row.upper.section
            sheet.merged_row(section, "as-section")
        upper = [row.upper.key, row.upper.body, _units(row.upper), row.upper.deadline or ""]
        locals_: list[list[str]] = [
            [t.key, t.body, "、".join(t.lead), t.deadline or ""] for t in row.local
        ]
        for local in locals_ or [["", "", "", ""]]:
            sheet.append([*upper, *local, _state(row)], styles)
    cover = Sheet(wb, "分解情况", "分解情况", ["上级章节", "任务数", "交给本级", "已分解", "分解率"],
                  [40, 10, 10, 10, 10])  # fmt: skip
    for c in table.coverage():
        cover.append([c.section, c.tasks, c.assigned, c.covered, c.rate],
                     ["as-text", "as-cell", "as-cell", "as-cell", "as-cell"])  # fmt: skip
    wb.save(target)


# Suggestions --------------------------------------------------------------------------------

WEAK = 0.2  # below this a candidate shares only common words (消防安全) with the task
_KEEP = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")


def _clean(text: str) -> str:
    return "".join(_KEEP.findall(text))


def _grams(text: str, n: int = 2) -> set[str]:
    return {text[i : i + n] for i in range(len(text) - n + 1)}


@dataclass
class Candidate:
    upper: PlanTask
    score: float
    phrases: list[str]


@dataclass
class Suggestion:
    task: PlanTask
    candidates: list[Candidate]


class Matcher:
    """Character-bigram overlap weighted by rarity (idf over both plans): cheap, and the
    shared phrases explain every score."""

    def __init__(self, uppers: Sequence[PlanTask], locals_: Sequence[PlanTask]) -> None:
        self.uppers = list(uppers)
        texts = [_clean(t.body) for t in [*uppers, *locals_]]
        df: Counter[str] = Counter(g for text in texts for g in _grams(text))
        total = max(len(texts), 1)
        self.idf = {g: math.log(1 + total / n) for g, n in df.items()}
        self._upper = [(_clean(t.body), _grams(_clean(t.body))) for t in uppers]

    def _weight(self, grams: set[str]) -> float:
        return sum(self.idf.get(g, math.log(2)) for g in grams)

    def rank(self, task: PlanTask, k: int = 3) -> list[Candidate]:
        text = _clean(task.body)
        grams = _grams(text)
        mine = self._weight(grams)
        scored = []
        for upper, (other, their) in zip(self.uppers, self._upper, strict=True):
            shared = self._weight(grams & their)
            if not shared:
                continue
            score = shared / math.sqrt(mine * self._weight(their))
            scored.append((score, upper, other))
        scored.sort(key=lambda s: -s[0])
        return [Candidate(u, round(s, 3), _phrases(task.body, u.body)) for s, u, _ in scored[:k]]


_PUNCT = re.compile(r"[^\u4e00-\u9fffA-Za-z0-9]")


def _phrases(a: str, b: str, least: int = 4, most: int = 3) -> list[str]:
    """The longest runs of text both share, as written (never across punctuation)."""
    a, b = _PUNCT.sub("\0", a), _PUNCT.sub("\1", b)
    blocks = difflib.SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()
    found = sorted(
        {a[m.a : m.a + m.size] for m in blocks if m.size >= least}, key=lambda p: (-len(p), p)
    )
    return found[:most]


def suggest(
    children: Sequence[PlanFile], parents: Sequence[PlanFile], k: int = 3, everything: bool = False
) -> list[Suggestion]:
    """Candidate upper tasks for each local task without ``implements`` (all: ``everything``)."""
    uppers = [t for p in parents for t in p.tasks]
    locals_ = [t for c in children for t in c.tasks]
    matcher = Matcher(uppers, locals_)
    return [Suggestion(t, matcher.rank(t, k)) for t in locals_ if everything or not t.implements]


# On the real pairs (benchmarks/trace_eval.py) no wrong candidate scores above 0.13, and 22
# of the 30 right first candidates score at least this.
STRONG = 0.3


def likely_links(
    child: PlanFile, parents: Sequence[PlanFile]
) -> Iterator[tuple[PlanTask, list[Candidate]]]:
    """Local tasks without ``implements`` whose text clearly restates upper tasks (W708),
    with every candidate at or above ``STRONG``, best first."""
    if not parents or all(t.implements for t in child.tasks):
        return
    for item in suggest([child], parents):
        strong = [c for c in item.candidates if c.score >= STRONG]
        if strong:
            yield item.task, strong


def render_suggestions(items: Sequence[Suggestion], markdown: bool = False) -> str:
    lines = ["# 建议的上级任务对应", ""] if markdown else []
    if not items:
        return "\n".join([*lines, "所有本级任务都已写明 implements，没有要建议的。", ""])
    for item in items:
        head = f"{item.task.label()}  {_short(item.task.body, 40)}"
        lines.append(f"## {head}" if markdown else head)
        if not item.candidates:
            lines.append("  （没有相近的上级任务）")
        for c in item.candidates:
            phrases = "、".join(f"“{p}”" for p in c.phrases) or "—"
            weak = "（相似度低，仅供参考）" if c.score < WEAK else ""
            lines.append(f"  {c.score:.2f}{weak}  implements: [{c.upper.label()}]  "
                         f"{_short(c.upper.body, 30)}  相同的词句：{phrases}")  # fmt: skip
        lines.append("")
    return "\n".join(lines)


# The use case -------------------------------------------------------------------------------


def trace(
    children: Sequence[str],
    parents: Sequence[str],
    fmt: str = "text",
    output: str | None = None,
    suggest_links: bool = False,
    settings: Settings | None = None,
) -> tuple[str, str]:
    """The 对照表 of the local plans ``children`` against the upper plans ``parents`` (files
    or folders); with ``suggest_links`` the candidate links of the local tasks that have no
    ``implements`` instead. Returns (stdout, stderr): the text, or where it was written
    (xlsx always needs ``-o``). With no ``parents``, the documents the children name
    (document.parents, implements) are looked up in their data repository."""
    from ansheng_cli.atomic import emit
    from ansheng_cli.plan.files import collect

    if fmt not in FORMATS:
        raise UsageProblem(f"不支持的输出格式“{fmt}”，可选：{'、'.join(FORMATS)}")
    if suggest_links and fmt == "xlsx":
        raise UsageProblem("--suggest 只支持 text、md、json 格式")
    if fmt == "xlsx" and output in (None, "-"):
        raise UsageProblem("xlsx 是二进制格式，请用 -o 指定文件或目录")
    seasons = settings.seasons if settings is not None else {}
    child_plans = read_plans(children, seasons)
    if not child_plans:
        raise UsageProblem("没有找到本级计划文件（schema: ansheng/v1）")
    parent_plans = upper_plans(child_plans, parents, seasons)
    inputs = [p for _, p in collect([*children, *parents])]
    name = "上下级任务对照表" if not suggest_links else "上级任务对应建议"
    if suggest_links:
        items = suggest(child_plans, parent_plans)
        if fmt == "json":
            text = json.dumps([_suggestion_dict(s) for s in items], ensure_ascii=False, indent=2)
            text += "\n"
        else:
            text = render_suggestions(items, markdown=fmt == "md")
    else:
        table = build_table(child_plans, parent_plans)
        if fmt == "xlsx":
            return emit(fmt, output, name, lambda tmp: write_xlsx(table, tmp), inputs)
        if fmt == "json":
            text = json.dumps(table.as_dict(), ensure_ascii=False, indent=2) + "\n"
        else:
            text = render_text(table, markdown=fmt == "md")
    return emit(fmt, output, name, text, inputs)


def _suggestion_dict(item: Suggestion) -> dict[str, Any]:
    return {
        "task": item.task.label(),
        "candidates": [
            {"implements": c.upper.label(), "score": c.score, "phrases": c.phrases}
            for c in item.candidates
        ],
    }
