"""The compiled plan: documents with resolved units and parsed deadlines.

Every renderer (xlsx, txt/md, docx, json/csv) is a view over this one model, so what a
unit's list says and what the breakdown table says can never disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ansheng_cli.plan.deadlines import Deadline, DeadlineError, Step, parse
from ansheng_cli.plan.models import Document, Section, deadline_words
from ansheng_cli.plan.registry import Registry

ROLE_LEAD = "牵头"
ROLE_SUPPORT = "配合"


@dataclass(frozen=True, slots=True)
class UnitRef:
    """A unit as a task names it. A unit is (jurisdiction, name): 兴化市's 市委组织部 and
    兴宁市's are two units that share a name."""

    written: str  # as the document writes it
    name: str  # canonical name (the written one when the registry does not know it)
    full_name: str | None = None
    kind: str | None = None
    order: int = 1_000_000  # position in the registry: lists follow the office's own order
    jurisdiction: str = ""
    until: dt.date | None = None  # the unit ceased (reorganisation) after this day …
    successor: str | None = None  # … and this unit took over its duties

    @property
    def key(self) -> tuple[str, str]:
        return (self.jurisdiction, self.name)

    def responsible(self, as_of: dt.date) -> tuple[str, str | None]:
        """Who answers for this unit's tasks on ``as_of``: the unit itself, or its successor
        once it ceased, with a note saying so (原市安监局 → 市应急管理局)."""
        if self.until is not None and self.until < as_of and self.successor:
            return self.successor, f"原{self.name} → {self.successor}"
        return self.name, None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A date or duty supervision chases: a milestone, a step, or the task's deadline."""

    label: str | None  # 完成摸排
    deadline: Deadline
    units: list[UnitRef]  # who answers for it when not the task's units


@dataclass(frozen=True, slots=True)
class CompiledMilestone:
    """One step or duty of a task with several (摸排 by June, 整治 by December)."""

    when: str
    what: str | None
    units: list[UnitRef]
    deadline: Deadline | None


@dataclass(slots=True)
class CompiledTask:
    document: str  # document id
    no: str
    title: str
    text: str
    lead: list[UnitRef]
    support: list[UnitRef]
    others: str | None
    deadline_text: str | None  # as written, or inherited from its section / the document
    deadline_inherited: bool
    deadline: Deadline | None
    section_path: list[str]  # headings above the task, outermost first
    doc_date: dt.date | None = None
    where: str = ""  # data path in its file: section indices, then the task index ("2.0.5")
    status: str | None = None
    done: dt.date | None = None
    progress: list[tuple[dt.date, str, str]] = field(default_factory=list)  # (date, unit, text)
    milestones: list[CompiledMilestone] = field(default_factory=list)
    implements: list[str] = field(default_factory=list)  # upper tasks: <document id>#<task>

    def checkpoints(self) -> list[Checkpoint]:
        """What supervision chases, in order: each milestone, each dated step of a phased
        deadline (2024年6月底前完成摸排，12月底前完成整治), else the one deadline."""
        if self.milestones:
            base = [Checkpoint(m.what, m.deadline, m.units) for m in self.milestones if m.deadline]
        elif self.deadline is not None:
            base = [Checkpoint(None, self.deadline, [])]
        else:
            return []
        out: list[Checkpoint] = []
        for point in base:
            steps = point.deadline.steps if point.deadline.kind == "phased" else ()
            out += [
                Checkpoint(
                    s.label or point.label,
                    Deadline(point.deadline.text, "date", s.due),
                    point.units,
                )
                for s in steps
            ] or [point]
        return out

    @property
    def completed(self) -> bool:
        return self.status in ("已完成", "已销号") or self.done is not None

    @property
    def body(self) -> str:
        """The task as a table shows it: the text, led by the title when the text does not
        already begin with it (a hand-written ``title: 应急演练周`` is data too)."""
        if not self.title or self.text.startswith(self.title):
            return self.text or self.title
        if not self.text:
            return self.title
        joint = "" if self.title[-1] in "。；：！？.;:!?" else "。"
        return f"{self.title}{joint}{self.text}"

    @property
    def due(self) -> dt.date | None:
        return self.deadline.due if self.deadline else None

    @property
    def kind(self) -> str:
        return self.deadline.kind if self.deadline else "none"

    @property
    def lead_names(self) -> list[str]:
        return [u.name for u in self.lead]

    @property
    def support_names(self) -> list[str]:
        return [u.name for u in self.support]

    def as_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "no": self.no,
            "title": self.title,
            "text": self.text,
            "lead": [_unit_dict(u) for u in self.lead],
            "support": [_unit_dict(u) for u in self.support],
            "others": self.others,
            "deadline": {
                "text": self.deadline_text,
                "inherited": self.deadline_inherited,
                "kind": self.kind,
                "due": self.due.isoformat() if self.due else None,
                "start": self.deadline.start.isoformat()
                if self.deadline and self.deadline.start
                else None,
                "period": self.deadline.period if self.deadline else None,
                "every": self.deadline.every if self.deadline else None,
                "part": self.deadline.part if self.deadline else None,
                "count": self.deadline.count if self.deadline else None,
            },
            "milestones": [
                {
                    "when": m.when,
                    "what": m.what,
                    "units": [u.name for u in m.units],
                    "kind": m.deadline.kind if m.deadline else None,
                    "due": m.deadline.due.isoformat() if m.deadline and m.deadline.due else None,
                }
                for m in self.milestones
            ],
            "section": self.section_path,
            "status": self.status,
            "done": self.done.isoformat() if self.done else None,
            "progress": [
                {"date": d.isoformat(), "unit": u, "text": t} for d, u, t in self.progress
            ],
            "implements": self.implements,
        }


def _unit_dict(unit: UnitRef) -> dict[str, Any]:
    return {
        "name": unit.name,
        "written": unit.written,
        "full_name": unit.full_name,
        "kind": unit.kind,
    }


@dataclass(slots=True)
class CompiledSection:
    no: str | None
    title: str
    text: str | None
    depth: int  # 1 for top-level sections
    tasks: list[CompiledTask] = field(default_factory=list)
    sections: list[CompiledSection] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{heading_number(self.no)}{self.title}"

    @property
    def has_tasks(self) -> bool:
        """Whether this section or one below it holds tasks (others are prose only)."""
        return any(s.tasks for s in self.walk())

    def walk(self) -> Iterator[CompiledSection]:
        yield self
        for child in self.sections:
            yield from child.walk()

    def as_dict(self) -> dict[str, Any]:
        return {
            "no": self.no,
            "title": self.title,
            "text": self.text,
            "tasks": [t.as_dict() for t in self.tasks],
            "sections": [s.as_dict() for s in self.sections],
        }


def heading_number(no: str | None) -> str:
    """How a number is printed before its heading: 一 → 一、, 1 → 1. , （一） as is."""
    if not no:
        return ""
    if no.startswith(("第", "专栏", "附件")):
        return f"{no} "
    if no[-1] in "、.．)）":
        return no
    return f"{no}." if no.isdigit() else f"{no}、"


@dataclass(slots=True)
class CompiledDocument:
    id: str
    file: str
    title: str
    issuer: str
    doc_no: str | None
    date: dt.date
    status: str
    jurisdiction: str
    checked: bool
    sections: list[CompiledSection]

    def walk(self) -> Iterator[CompiledSection]:
        for section in self.sections:
            yield from section.walk()

    @property
    def tasks(self) -> list[CompiledTask]:
        return [t for s in self.walk() for t in s.tasks]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.file,
            "title": self.title,
            "issuer": self.issuer,
            "doc_no": self.doc_no,
            "date": self.date.isoformat(),
            "status": self.status,
            "jurisdiction": self.jurisdiction,
            "checked": self.checked,
            "sections": [s.as_dict() for s in self.sections],
        }


@dataclass(slots=True)
class UnitList:
    """One unit's task list (部门任务清单)."""

    name: str
    items: list[Assignment]
    jurisdiction: str = ""
    label: str = ""  # the name as headings show it: with its jurisdiction when several are loaded

    def __post_init__(self) -> None:
        self.label = self.label or self.name

    @property
    def lead(self) -> int:
        return sum(1 for a in self.items if a.role == ROLE_LEAD)

    @property
    def support(self) -> int:
        return sum(1 for a in self.items if a.role == ROLE_SUPPORT)


@dataclass(frozen=True, slots=True)
class Assignment:
    """One (unit, task) pair: a line of a unit's task list."""

    unit: str  # the unit's label (its name, with its jurisdiction when several are loaded)
    role: str
    task: CompiledTask
    document: CompiledDocument
    ref: UnitRef | None = None


@dataclass(slots=True)
class Plan:
    documents: list[CompiledDocument]
    # computed once: label() asks for every assignment (2,000 documents at 100k tasks)
    jurisdictions: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self.jurisdictions = list(dict.fromkeys(d.jurisdiction for d in self.documents))

    @property
    def tasks(self) -> list[CompiledTask]:
        return [t for d in self.documents for t in d.tasks]

    def label(self, jurisdiction: str, name: str) -> str:
        """A unit as lists show it: 市委组织部, or 兴化市 市委组织部 when the plan holds
        documents of several jurisdictions (units are told apart by jurisdiction)."""
        return f"{jurisdiction} {name}" if len(self.jurisdictions) > 1 else name

    def only(self, jurisdiction: str | None) -> Plan:
        """The documents of one jurisdiction (all of them for None)."""
        if jurisdiction is None:
            return self
        return Plan([d for d in self.documents if d.jurisdiction == jurisdiction])

    def assignments(self, unit: str | None = None) -> list[Assignment]:
        """(unit, task) pairs by jurisdiction and unit (registry order), lead before support,
        document order. ``unit`` selects a name (in every jurisdiction) or a label."""
        out: list[tuple[tuple[str, int, str, int, int], Assignment]] = []
        order = 0
        for doc in self.documents:
            for task in doc.tasks:
                order += 1
                for role, refs in ((ROLE_LEAD, task.lead), (ROLE_SUPPORT, task.support)):
                    for ref in refs:
                        label = self.label(ref.jurisdiction, ref.name)
                        if unit is None or unit in (ref.name, label):
                            key = (
                                ref.jurisdiction,
                                ref.order,
                                ref.name,
                                0 if role == ROLE_LEAD else 1,
                                order,
                            )
                            out.append((key, Assignment(label, role, task, doc, ref)))
        out.sort(key=lambda pair: pair[0])
        return [a for _, a in out]

    def unit_lists(self, unit: str | None = None) -> list[UnitList]:
        """Each unit's task list, units in registry order (unknown ones last, by name)."""
        lists: dict[tuple[str, str], UnitList] = {}
        for a in self.assignments(unit):
            assert a.ref is not None
            found = lists.get(a.ref.key)
            if found is None:
                found = lists[a.ref.key] = UnitList(a.ref.name, [], a.ref.jurisdiction, a.unit)
            found.items.append(a)
        return list(lists.values())

    def load(self) -> list[UnitList]:
        """Unit lists, most loaded first (for statistics)."""
        return sorted(self.unit_lists(), key=lambda u: (-len(u.items), u.name))

    def timeline(self) -> list[tuple[CompiledDocument, CompiledTask]]:
        """Tasks by due date, then recurring, then ongoing, then those without a deadline."""
        rank = {"recurring": 1, "ongoing": 2, "none": 3}
        pairs = [(d, t) for d in self.documents for t in d.tasks]
        far = dt.date.max
        return sorted(pairs, key=lambda p: (rank.get(p[1].kind, 0), p[1].due or far))

    def as_dict(self) -> dict[str, Any]:
        return {"version": 1, "documents": [d.as_dict() for d in self.documents]}


def compile_document(
    doc: Document,
    registry: Registry | None,
    file: str,
    checked: bool = True,
    seasons: dict[str, str] | None = None,
) -> CompiledDocument:
    meta = doc.document
    refs: dict[str, UnitRef] = {}

    def unit(name: str) -> UnitRef:
        ref = refs.get(name)
        if ref is None:
            found = registry.resolve(name) if registry else None
            if found is None or registry is None:
                ref = UnitRef(name, name, jurisdiction=meta.jurisdiction)
            else:
                u = found.unit
                ref = UnitRef(
                    name, u.name, u.full_name, u.kind, registry.order(u.name),
                    meta.jurisdiction, u.until, u.successor,
                )  # fmt: skip
            refs[name] = ref
        return ref

    def deadline(text: str | None) -> Deadline | None:
        if text is None:
            return None
        try:
            return parse(text, meta.date, seasons)
        except DeadlineError:
            return None

    def combined(milestones: list[CompiledMilestone]) -> Deadline | None:
        """One deadline for views that show one: the steps when every milestone has a due
        date, else the first milestone's (a recurring duty)."""
        parsed = [m.deadline for m in milestones]
        if all(d is not None and d.due for d in parsed):
            steps = tuple(
                Step(d.due, m.what) for d, m in zip(parsed, milestones, strict=True) if d and d.due
            )
            text = "；".join(f"{m.when}{m.what or ''}" for m in milestones)
            return Deadline(text, "phased", due=steps[-1].due, steps=steps)
        return next((d for d in parsed if d is not None), None)

    def build(
        section: Section, depth: int, trail: list[str], inherited: str | None, where: str
    ) -> CompiledSection:
        own = section.deadline or inherited
        heading = f"{heading_number(section.no)}{section.title}"
        here = [*trail, heading]
        out = CompiledSection(section.no, section.title, section.text, depth)
        for index, task in enumerate(section.tasks):
            milestones = [
                CompiledMilestone(m.when, m.what, [unit(n) for n in m.units], deadline(m.when))
                for m in (task.deadline if isinstance(task.deadline, list) else [])
            ]
            text = deadline_words(task.deadline) or own
            out.tasks.append(
                CompiledTask(
                    document=meta.id,
                    no=task.no,
                    title=task.title or _first_sentence(task.text or ""),
                    text=task.text or task.title or "",
                    lead=[unit(n) for n in task.lead],
                    support=[unit(n) for n in task.support],
                    others=task.others,
                    deadline_text=text,
                    deadline_inherited=task.deadline is None and text is not None,
                    deadline=combined(milestones) if milestones else deadline(text),
                    section_path=here,
                    doc_date=meta.date,
                    where=f"{where}.{index}",
                    status=task.status,
                    done=task.done,
                    progress=[(p.date, p.unit, p.text) for p in task.progress],
                    milestones=milestones,
                    implements=list(task.implements),
                )
            )
        out.sections = [
            build(s, depth + 1, here, own, f"{where}.{i}") for i, s in enumerate(section.sections)
        ]
        return out

    sections = [build(s, 1, [], meta.default_deadline, str(i)) for i, s in enumerate(doc.sections)]
    return CompiledDocument(
        id=meta.id,
        file=file,
        title=meta.title,
        issuer=meta.issuer,
        doc_no=meta.doc_no,
        date=meta.date,
        status=meta.status,
        jurisdiction=meta.jurisdiction,
        checked=checked,
        sections=sections,
    )


def _first_sentence(text: str) -> str:
    head, _, _ = text.partition("。")
    return head
