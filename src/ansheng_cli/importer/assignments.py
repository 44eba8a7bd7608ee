"""Assignments written after a task — （责任单位：…）, （牵头单位：…；配合单位：…）,
（A牵头，B配合）, （A牵头负责，B组织落实） — split into lead, support and others."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A trailing bracket, one level of nested brackets allowed (各县（市、区）), at most 400 chars:
# bounded, so a long line cannot make the search backtrack badly.
_TRAILING = re.compile(r"[（(]((?:[^（）()]|[（(][^（）()]{0,40}[)）]){1,400})[)）][。；;]?\s*$")
_LABELLED = re.compile(
    r"(?P<label>牵头单位|牵头部门|责任单位|责任部门|主办单位|配合单位|配合部门|协办单位|参与单位)\s*[:：]"
)
_ROLE_SUFFIX = re.compile(
    r"^(?P<names>.+?)(?P<role>牵头负责|牵头|负责|配合|参与|组织落实|协助|具体落实)$"
)
_CATCH_ALL = re.compile(
    r"^(?P<units>.*?)(?:和|及|与|等)?(?P<rest>(?:市|县|区)?(?:各)?(?:其他)?(?:相关|有关)(?:部门|单位)(?:和单位)?"
    r"|各乡镇[（(][^（）()]*[)）]|各镇[（(][^（）()]*[)）]|各(?:县|市|区)[（(][^（）()]*[)）]"
    r"|(?:市|县|区)?各[^、，,和及与等]{0,12}(?:部门|单位))$"
)
LEAD_LABELS = {"牵头单位", "牵头部门", "责任单位", "责任部门", "主办单位"}
LEAD_ROLES = {"牵头负责", "牵头", "负责"}


@dataclass
class Assignment:
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)


def split_names(text: str) -> list[str]:
    """Split on 、 ， , outside brackets, so 各县（市、区） stays one name."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in "（(":
            depth += 1
        elif ch in "）)":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def names_into(assignment: Assignment, text: str, role: str) -> None:
    """Add the names of one role, moving catch-alls (和相关部门, 各乡镇（街道）) to others."""
    for name in split_names(text):
        m = _CATCH_ALL.match(name)
        if m:
            if m.group("units"):
                getattr(assignment, role).append(m.group("units"))
            assignment.others.append(m.group("rest"))
        elif name.startswith("各") or name.endswith(("等", "等单位")):
            assignment.others.append(name)
        else:
            getattr(assignment, role).append(name)


def parse_bracket(content: str) -> Assignment | None:
    """The assignment a bracket's content states, or None if it states none."""
    found = Assignment()
    labelled = list(_LABELLED.finditer(content))
    if labelled:
        for i, m in enumerate(labelled):
            end = labelled[i + 1].start() if i + 1 < len(labelled) else len(content)
            names = content[m.end() : end].strip(" ；;，,。")
            names_into(found, names, "lead" if m.group("label") in LEAD_LABELS else "support")
        return found
    clauses = [c for c in re.split(r"[；;，,]", content) if c.strip()]
    if clauses and all(_ROLE_SUFFIX.match(c.strip()) for c in clauses):
        for clause in clauses:
            said = _ROLE_SUFFIX.match(clause.strip())
            assert said is not None
            role = "lead" if said.group("role") in LEAD_ROLES else "support"
            names_into(found, said.group("names"), role)
        return found
    return None


def trailing(text: str) -> tuple[str, Assignment | None]:
    """Split a task's text from the assignment bracket it ends with."""
    m = _TRAILING.search(text[-460:]) if text else None
    if not m:
        return text, None
    found = parse_bracket(m.group(1))
    if found is None:
        return text, None
    start = len(text) - len(text[-460:]) + m.start()
    return text[:start].rstrip(), found
