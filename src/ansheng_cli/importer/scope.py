"""Where an assignment holds, and tidying the task list after the outline is read.

* ``fill`` — lead, support and others of a task from an assignment;
* ``spread_covering`` — （以上两项由A牵头，B配合） after several items covers them;
* ``section_assignment`` — a section heading's closing bracket (二、专项整治（市交通委牵头）) or
  a 以下各项工作均由…负责 paragraph covers the tasks of the section that name nobody;
* ``same_below`` — the part of an assignment marked 下同 is added to every later task;
* ``first_listed_leads`` — 列第一的为牵头单位 stated once: the first of a plain list leads;
* ``deduplicate`` — tasks printed in the body without units and again in a table: kept once;
* ``annex_assignments`` — an annex of duty lines gives its units to the body tasks it names;
* ``resolve_units`` — names matched against a unit registry, the unknown ones marked.

Tasks are the plain dicts the writer (``emit``) dumps; ``doubts`` maps id(task) to the
reasons a person must check it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ansheng_cli.importer.assignments import (
    Assignment,
    UnitNames,
    parse_assignment,
    resolve,
    trailing,
)
from ansheng_cli.importer.outline import Node
from ansheng_cli.importer.source import Para, Source

Doubts = dict[int, list[str]]


def fill(task: dict[str, Any], found: Assignment | None) -> None:
    """Lead, support and others of ``task`` from an assignment."""
    task["lead"] = list(found.lead) if found else []
    task["support"] = list(found.support) if found else []
    if found is not None and not found.explicit_lead and len(found.lead) > 1:
        task["_listed"] = True  # a plain list (责任单位：A、B): 列第一的为牵头单位 may apply
    task.pop("others", None)
    if found and found.others:
        # catch-alls are kept as printed (公安、文化等部门 is one), so joined with ，
        task["others"] = "，".join(dict.fromkeys(found.others))


def cn_count(text: str) -> int:
    from ansheng_cli.plan.cn import cn_int

    return cn_int(text)


def spread_covering(tasks: list[dict[str, Any]], doubts: dict[int, list[str]]) -> None:
    """Give the items before a （以上…）bracket its assignment, as many as it says (or all
    back to the previous assigned item)."""
    for i, task in enumerate(tasks):
        covers = task.pop("_covers", 0)
        if not covers:
            continue
        before = tasks[:i][::-1]
        count = covers - 1 if covers > 0 else len(before)
        for other in before[:count]:
            if other["lead"] or other["support"]:
                break
            other["lead"], other["support"] = list(task["lead"]), list(task["support"])
            if task.get("others"):
                other["others"] = task["others"]
            doubts.setdefault(id(other), []).append("分工取自其后“以上…”括号")


# 以下各项工作均由A负责（不再单独列出）: an assignment for the rest of the section.
_BELOW_ALL = re.compile(
    r"(?:以下|下列|本部分|本节)(?:各项|所列|几项)?(?:工作|任务|措施)?(?:均|统一|全部)?由(?P<a>[^。；]{2,120}?)"
    r"(?:牵头负责|负责|牵头)(?P<rest>[^。]{0,60})"
)


def section_assignment(node: Node) -> Assignment | None:
    """An assignment for every task of a section: its heading's closing bracket
    (二、专项整治（市应急局牵头）) or a 以下各项…由…负责 paragraph."""
    if node.style in ("table", "attachment"):
        return None
    head = node.head.split("。", 1)[0]
    if len(head) <= 80:
        _, found = trailing(head, bare_units=False)
        if found is not None and (found.lead or found.support):
            found.doubts = ["heading"]
            return found
    for para in [node.head, *(p.text for p in node.body)]:
        m = _BELOW_ALL.search(para)
        if m:
            role = para[m.start("a") : m.end("rest")]
            found = parse_assignment(
                re.sub(r"[，,]?(?:不再单独列出|不再一一列出|下同).*$", "", role)
            )
            if found is not None and (found.lead or found.support):
                found.doubts = []
                return found
    return None


def all_tasks(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    stack = list(reversed(sections))
    while stack:
        section = stack.pop()
        out.extend(section.get("tasks", []))
        stack.extend(reversed(section.get("sections", [])))
    return out


def same_below(sections: list[dict[str, Any]], doubts: dict[int, list[str]]) -> None:
    """下同: the part of an assignment marked so is added to every later task."""
    carried: Assignment | None = None
    for task in all_tasks(sections):
        found = task.pop("_below", None)
        if isinstance(found, Assignment) and found.below is not None:
            carried = found.below
            continue
        if carried is None:
            continue
        for role in ("lead", "support"):
            names = task[role]
            taken = set(task["lead"]) | set(task["support"])
            names.extend(n for n in getattr(carried, role) if n not in taken)
        if carried.others:
            have = task.get("others", "").split("，") if task.get("others") else []
            task["others"] = "，".join(dict.fromkeys([*have, *carried.others]))
        doubts.setdefault(id(task), []).append("部分分工取自前文“下同”")


# 列第一的为牵头单位 / 排在首位的为牵头单位: the convention stated once for the document.
_FIRST_IS_LEAD = re.compile(
    r"(?:列|排|写)(?:在)?(?:第一|首位|第一位|前面)(?:的|位)?(?:单位|部门)?(?:为|是)(?:牵头|主办|主责)"
)


def first_listed_leads(
    source: Source, sections: list[dict[str, Any]], doubts: dict[int, list[str]],
    doc_doubts: list[str],
) -> None:  # fmt: skip
    """Where the document says the first-listed unit leads, the others of a list support."""
    stated = any(isinstance(p, Para) and _FIRST_IS_LEAD.search(p.text) for p in source.items)
    if stated:
        doc_doubts.append("原文规定“列第一的为牵头单位”，已据此区分牵头与配合单位")
    for task in all_tasks(sections):
        if task.pop("_listed", False) and stated and len(task["lead"]) > 1:
            task["support"] = [*task["lead"][1:], *task["support"]]
            task["lead"] = task["lead"][:1]


def deduplicate(
    sections: list[dict[str, Any]], doubts: dict[int, list[str]], doc_doubts: list[str]
) -> None:
    """Tasks printed twice — in the body without units and again in an assignment table —
    are kept once, from the table."""
    tables = [t for t in all_tasks(sections) if t.get("_table")]
    if not tables:
        return
    keys = {_dedup_key(t) for t in tables}
    dropped = _remove(
        sections, lambda t: not t.get("_table") and unassigned(t) and _dedup_key(t) in keys
    )
    for task in tables:
        task.pop("_table", None)
    if dropped:
        doc_doubts.append(f"正文中 {dropped} 项任务与分工表重复且未写单位，只按分工表导入一次")


def annex_assignments(sections: list[dict[str, Any]], doubts: dict[int, list[str]],
                      doc_doubts: list[str]) -> None:  # fmt: skip
    """An annex of duty lines (附件：1.隐患排查：市应急局负责…) that assigns units to tasks of
    the body: body tasks without units get them, and the annex lines are not tasks again."""
    annexes = [s for s in sections if s.get("no") == "附件"]
    body = [t for s in sections if s.get("no") != "附件" for t in all_tasks([s])]
    bare: dict[str, dict[str, Any]] = {}
    for task in body:
        if unassigned(task):
            bare.setdefault(_dedup_key(task), task)

    def merged(task: dict[str, Any]) -> bool:
        """Whether the annex line gave its units to a body task (and is dropped)."""
        target = bare.get(_dedup_key(task))
        if target is None or not (task["lead"] or task["support"]):
            return False
        for key in ("lead", "support", "others", "deadline"):
            if task.get(key) and not target.get(key):
                target[key] = task[key]
        doubts.setdefault(id(target), []).append("分工取自附件中的同名条目")
        return True

    moved = _remove(annexes, merged)
    if moved:
        doc_doubts.append(f"附件中 {moved} 条分工已并入正文同名任务，不再重复列为任务")


def unassigned(task: dict[str, Any]) -> bool:
    """A draft task with no unit at all (no lead, no support, no others)."""
    return not (task["lead"] or task["support"] or task.get("others"))


def _remove(sections: list[dict[str, Any]], taken: Callable[[dict[str, Any]], bool]) -> int:
    """Remove from the sections (and those below them) the tasks ``taken`` takes; how many."""
    removed = 0
    stack = list(sections)
    while stack:
        section = stack.pop()
        if "tasks" in section:
            kept = [t for t in section["tasks"] if not taken(t)]
            removed += len(section["tasks"]) - len(kept)
            section["tasks"] = kept
        stack.extend(section.get("sections", []))
    return removed


def _dedup_key(task: dict[str, Any]) -> str:
    title = re.split(r"[：:]", task.get("title") or "", maxsplit=1)[0]
    return re.sub(r"[\s，,。；;、（）()“”]", "", title)[:12]


def resolve_units(
    sections: list[dict[str, Any]], doubts: dict[int, list[str]], registry: UnitNames
) -> None:
    """Canonical unit names from the registry; names it does not know are marked 待核对."""
    for task in all_tasks(sections):
        found = Assignment(lead=task["lead"], support=task["support"])
        resolve(found, registry)
        task["lead"], task["support"] = found.lead, found.support
        if found.doubts:
            doubts.setdefault(id(task), []).extend(found.doubts)
