"""``ansheng fix``: the mechanical repairs validation knows, applied in place.

Each repair is declared by the rule that reports the defect (``FIX`` in its module). The
file is edited as text: only the characters of each mended value change, so comments,
indentation, quoting and every other byte stay as the user wrote them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansheng_cli.errors import AnshengError
from ansheng_cli.plan.files import file_kind
from ansheng_cli.plan.loader import MAX_FILE_BYTES
from ansheng_cli.plan.registry import Registry
from ansheng_cli.plan.yamledit import STR_TAG, after, get, items, key_node, render
from ansheng_cli.validate.rules import FixContext, Rule, fixes

TEXT_KEYS = ("title", "text", "others")
UNIT_KEYS = ("lead", "support")


class FixProblem(AnshengError):
    """A file fix cannot edit safely (unparseable, not a mapping)."""


@dataclass(frozen=True)
class Mend:
    code: str
    line: int
    old: str
    new: str


@dataclass
class Fixed:
    original: str
    text: str
    changes: list[Mend]


def default_codes() -> tuple[str, ...]:
    """What a plain ``ansheng fix`` repairs."""
    return tuple(r.code for r in fixes() if r.fix and r.fix.default)


def _selected(rule: Rule, codes: Iterable[str]) -> bool:
    """A default repair is selected by its code or a prefix (W4); one that is not a default
    (W403 renames units) only by its full code."""
    assert rule.fix is not None
    return any(rule.code == c or (rule.fix.default and rule.code.startswith(c)) for c in codes)


@dataclass
class _Unit:
    """Where a unit name sits: its list and its task (for splitting and moving)."""

    seq: Any
    task: Any
    key: Any  # the key node of the list (lead / support)


def _fields(root: Any) -> Iterator[tuple[Any, str, _Unit | None]]:
    """(scalar node, kind, where a unit sits) for every value a repair may touch."""
    document = get(root, "document")
    for key, kind in (("doc_no", "text"), ("default_deadline", "deadline")):
        yield from _strings([get(document, key)], kind)
    yield from _strings(items(get(document, "implements")), "text")
    stack = list(reversed(items(get(root, "sections"))))
    while stack:
        section = stack.pop()
        yield from _strings([get(section, k) for k in TEXT_KEYS], "text")
        yield from _strings([get(section, "deadline")], "deadline")
        for task in items(get(section, "tasks")):
            yield from _strings([get(task, k) for k in TEXT_KEYS], "text")
            yield from _strings([get(task, "deadline")], "deadline")
            for milestone in items(get(task, "deadline")):
                yield from _strings([get(milestone, "when")], "deadline")
                yield from _strings(items(get(milestone, "units")), "unit")
            for key in UNIT_KEYS:
                seq = get(task, key)
                place = _Unit(seq, task, key_node(task, key))
                yield from ((n, k, place) for n, k, _ in _strings(items(seq), "unit"))
        stack.extend(reversed(items(get(section, "sections"))))


def _strings(nodes: Iterable[Any], kind: str) -> Iterator[tuple[Any, str, _Unit | None]]:
    from ruamel.yaml.nodes import ScalarNode

    for node in nodes:
        if isinstance(node, ScalarNode) and node.tag == STR_TAG:
            yield node, kind, None


LINK_CODE = "W708"  # cross-file: written from the trace's suggestions, only when selected


def fix_text(
    text: str,
    registry_for: Callable[[str], Registry | None],
    codes: Iterable[str],
    path: Path | None = None,
    links: Mapping[tuple[str | int, ...], list[tuple[str, float]]] | None = None,
) -> Fixed:
    """Mend every value a selected repair applies to; the rest of ``text`` is left byte for
    byte. Findings acknowledged in the data (``# ansheng: ignore[W701] 原文即如此``) are kept.
    A unit registry (told apart as validate does, by ``schema`` or its folder) is left alone."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.nodes import MappingNode

    from ansheng_cli.validate.suppress import parse_directives

    try:
        root = YAML(typ="rt").compose(text)
    except (YAMLError, RecursionError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行：" if mark else ""
        raise FixProblem(f"{where}YAML 无法解析，未改动") from None
    if not isinstance(root, MappingNode):
        raise FixProblem("文件顶层不是映射，未改动")
    schema = get(root, "schema")
    data = {"schema": schema.value} if schema is not None else {}
    if path is not None and file_kind(data, path) == "registry":
        return Fixed(text, text, [])
    document = get(root, "document")
    date = _scalar_date(get(document, "date"))
    jurisdiction = get(document, "jurisdiction")
    name = getattr(jurisdiction, "value", None)
    registry = registry_for(name) if isinstance(name, str) else None
    ctx = FixContext(registry, date)
    directives = [d for d in parse_directives(text) if d.reason]
    codes = list(codes)
    wanted: list[Rule] = [r for r in fixes() if _selected(r, codes)]
    edits: list[tuple[int, int, str]] = []
    changes: list[Mend] = []
    split: dict[int, list[str]] = {}  # scalar index → the names it becomes
    moved: dict[int, tuple[_Unit, str, str]] = {}  # scalar index → (place, field, name)
    places: dict[int, _Unit] = {}
    for node, kind, place in _fields(root):
        old = value = node.value
        line = node.start_mark.line + 1
        for rule in wanted:
            assert rule.fix is not None
            if rule.fix.field != kind or any(d.covers(rule.code, line) for d in directives):
                continue
            new = rule.fix.mend(value, ctx)
            if new == value or new == [value]:
                continue
            if isinstance(new, list):
                if place is None or (not new and not rule.fix.move_to):
                    continue
                if new:
                    split[node.start_mark.index] = new
                    changes.append(Mend(rule.code, line, value, "、".join(new) + "（分为多项）"))
                else:
                    moved[node.start_mark.index] = (place, rule.fix.move_to or "", value)
                    changes.append(Mend(rule.code, line, value, f"移到 {rule.fix.move_to}"))
                places[id(place.seq)] = place
                break
            changes.append(Mend(rule.code, line, value, new))
            value = new
        structural = node.start_mark.index in split or node.start_mark.index in moved
        if value != old and not structural:
            rendered = render(value, node.style)
            edits.append((node.start_mark.index, node.end_mark.index, rendered))
    edits = _structural(text, places, split, moved, edits)
    for path_, refs in (links or {}).items():
        found = _link(text, root, path_, refs, directives)
        if found:
            edits.append(found[0])
            changes.append(found[1])
    if not edits:
        return Fixed(text, text, [])
    out = text
    for start, end, rendered in sorted(edits, reverse=True):
        out = out[:start] + rendered + out[end:]
    return Fixed(text, out, changes)


def plain(value: str) -> str:
    return render(value)


def _structural(
    text: str,
    places: dict[int, _Unit],
    split: dict[int, list[str]],
    moved: dict[int, tuple[_Unit, str, str]],
    edits: list[tuple[int, int, str]],
) -> list[tuple[int, int, str]]:
    """``edits`` with those for units split into several (W409) or moved out of their list
    (W407). A flow list that loses an item is rewritten whole, unless it holds a comment."""
    out = list(edits)
    others: dict[int, tuple[_Unit, list[str]]] = {}
    for place in sorted(places.values(), key=lambda p: p.seq.start_mark.index):
        items = list(place.seq.value)
        removed = [n for n in items if n.start_mark.index in moved]
        begin, end = place.seq.start_mark.index, place.seq.end_mark.index
        if place.seq.flow_style and removed:
            if "#" in text[begin:end]:
                continue  # rebuilding the list would lose its comment: left for a person
            kept: list[str] = []
            for n in items:
                if n.start_mark.index in moved:
                    continue
                parts = split.get(n.start_mark.index)
                kept += (
                    [plain(p) for p in parts]
                    if parts
                    else [text[n.start_mark.index : n.end_mark.index]]
                )
            out = [e for e in out if not begin <= e[0] < end]
            out.append((begin, end, "[" + ", ".join(kept) + "]"))
        else:
            for n in items:
                index = n.start_mark.index
                if index in split and place.seq.flow_style:
                    out.append((index, n.end_mark.index, ", ".join(plain(p) for p in split[index])))
                elif index in split:
                    start = text.rfind("\n", 0, index) + 1
                    indent = text[start : text.index("-", start)]
                    first, *rest = [plain(p) for p in split[index]]
                    out.append(
                        (index, n.end_mark.index, first + "".join(f"\n{indent}- {p}" for p in rest))
                    )
                elif index in moved:
                    start = text.rfind("\n", 0, index) + 1
                    stop = text.find("\n", n.end_mark.index)
                    out.append((start, len(text) if stop < 0 else stop + 1, ""))
            if removed and len(removed) == len(items):
                after_key = text.find("\n", place.key.end_mark.index)
                out.append((after_key, after_key, " []"))
        if removed:  # one others per task, after the last list that lost a name
            names = [moved[n.start_mark.index][2] for n in removed]
            task = others.setdefault(id(place.task), (place, []))
            later = place.seq.end_mark.index > task[0].seq.end_mark.index
            others[id(place.task)] = (place if later else task[0], task[1] + names)
    for place, names in others.values():
        out += _to_others(text, place, names)
    return out


def _to_others(text: str, place: _Unit, names: list[str]) -> list[tuple[int, int, str]]:
    """Append moved names to the task's ``others`` (created when absent)."""
    current = get(place.task, "others")
    if current is not None and getattr(current, "value", None):
        joined = "、".join([current.value, *names])
        return [(current.start_mark.index, current.end_mark.index, plain(joined))]
    value = plain("、".join(names))
    if place.task.flow_style:
        close = text.rindex("}", 0, place.task.end_mark.index)
        return [(close, close, f", others: {value}")]
    indent = " " * place.key.start_mark.column
    if place.seq.flow_style:  # after the line that closes the list
        line_end = text.find("\n", place.seq.end_mark.index - 1)
        line_end = len(text) if line_end < 0 else line_end
        return [(line_end, line_end, f"\n{indent}others: {value}")]
    # a block list ends where the next key begins: the new key goes just before it
    at = place.seq.end_mark.index
    at = text.rfind("\n", 0, at) + 1 if at < len(text) else at
    prefix = "" if at == 0 or text[at - 1] == "\n" else "\n"
    return [(at, at, f"{prefix}{indent}others: {value}\n")]


def _link(text: str, root: Any, path: tuple[str | int, ...], refs: list[tuple[str, float]],
          directives: list[Any]) -> tuple[tuple[int, int, str], Mend] | None:  # fmt: skip
    """Add ``implements:`` as the task's last key (W708), marked 待核对 so that W903
    asks a person to confirm the suggestion; None when the task cannot take it safely."""
    from ruamel.yaml.nodes import MappingNode

    task = root
    for step in path:
        task = (
            get(task, step) if isinstance(step, str) else (items(task) or [None] * (step + 1))[step]
        )
    if not isinstance(task, MappingNode) or get(task, "implements") is not None:
        return None
    line = task.start_mark.line + 1
    if any(d.covers(LINK_CODE, line) for d in directives):
        return None
    value = "[" + ", ".join(ref for ref, _ in refs) + "]"
    note = f"  # 待核对：按文字相似度建议（{refs[0][1]:.2f}），核对后删去本注释"
    nl = "\r\n" if "\r\n" in text else "\n"
    mend = Mend(LINK_CODE, line, "", f"implements: {value}")
    if task.flow_style:
        close = text.rindex("}", 0, task.end_mark.index)
        end = text.find("\n", close)
        end = len(text) if end < 0 else end - (text[end - 1 : end] == "\r")
        tail = "" if "#" in text[close:end] else note
        return (close, end, f", implements: {value}{text[close:end]}{tail}"), mend
    indent = " " * task.value[0][0].start_mark.column
    at = after(text, task.value[-1][1])
    return (at, at, f"{nl}{indent}implements: {value}{note}"), mend


def _scalar_date(node: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(getattr(node, "value", "")))
    except ValueError:
        return None


def registry_finder(path: Path, units: Path | None) -> Callable[[str], Registry | None]:
    """Find (once) the registry for a document's jurisdiction, as validate does."""
    from ansheng_cli.plan.registry import registry_path
    from ansheng_cli.validate.engine import load_registry

    cache: dict[str, Registry | None] = {}

    def find(jurisdiction: str) -> Registry | None:
        if jurisdiction not in cache:
            where = units or registry_path(path, jurisdiction)
            cache[jurisdiction] = load_registry(where.resolve())[0] if where else None
        return cache[jurisdiction]

    return find


@dataclass
class FileFix:
    display: str
    fixed: Fixed | None
    problem: str | None = None


def fix_files(paths: Iterable[str], codes: Iterable[str], write: bool, units: Path | None = None,
              max_bytes: int = MAX_FILE_BYTES) -> list[FileFix]:  # fmt: skip
    """Repair every plan file under ``paths``; registries are left alone. Files are read and
    written under the data repository's lock, so a concurrent fmt or progress import waits."""
    from ansheng_cli.atomic import repository_lock
    from ansheng_cli.plan.files import collect

    paths, codes = list(paths), list(codes)
    files = collect(paths)
    if not write or not files:
        return [
            _fix_one(display, Path(path), codes, False, units, max_bytes) for display, path in files
        ]
    with repository_lock(Path(paths[0])):
        return [
            _fix_one(display, Path(path), codes, True, units, max_bytes) for display, path in files
        ]


def _fix_one(display: str, path: Path, codes: list[str], write: bool, units: Path | None,
             max_bytes: int) -> FileFix:  # fmt: skip
    from ansheng_cli.atomic import write_bytes_atomic
    from ansheng_cli.errors import FileProblem
    from ansheng_cli.plan.files import read_regular
    from ansheng_cli.plan.loader import decode

    try:
        raw = read_regular(path, max_bytes)
    except FileProblem as exc:
        return FileFix(display, None, f"{display}: {exc}，未改动")
    text, problem = decode(raw)
    if text is None:
        assert problem is not None
        return FileFix(display, None, f"{display}: {problem.message}，未改动")
    try:
        links = suggested_links(path, text) if LINK_CODE in codes else None
        fixed = fix_text(text, registry_finder(path, units), codes, path, links)
        if fixed.changes and write:
            bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
            write_bytes_atomic(path, bom + fixed.text.encode("utf-8"))
    except (FixProblem, FileProblem) as exc:
        return FileFix(display, None, f"{display}: {exc}")
    return FileFix(display, fixed)


def suggested_links(path: Path, text: str) -> dict[tuple[str | int, ...], list[tuple[str, float]]]:
    """The W708 suggestions for the plan in ``path``: task data path → (reference, score),
    against the upper plans its ``document.parents`` name in the data repository."""
    from ansheng_cli.trace import find_documents, likely_links, read_plan

    if "parents:" not in text:
        return {}
    plan = read_plan(str(path), path)
    if plan is None or not plan.doc.document.parents:
        return {}
    parents = find_documents(plan.doc.document.parents, path)
    return {
        task.path: [(c.upper.label(), c.score) for c in candidates]
        for task, candidates in likely_links(plan, parents)
    }


def summary(results: list[FileFix], diff: bool) -> tuple[str, str, int]:
    """What ``ansheng fix`` prints: (stdout, stderr, exit code). With ``diff`` nothing is
    written and pending changes exit 1, as ``ruff --diff`` does."""
    import difflib

    out: list[str] = []
    err: list[str] = []
    total = 0
    for r in results:
        if r.problem:
            err.append(f"错误：{r.problem}")
            continue
        assert r.fixed is not None
        for c in r.fixed.changes:
            total += 1
            out.append(f"{r.display}:{c.line}: {c.code} “{c.old}” → “{c.new}”\n")
        if diff and r.fixed.changes:
            out += difflib.unified_diff(
                r.fixed.original.splitlines(keepends=True),
                r.fixed.text.splitlines(keepends=True),
                fromfile=f"a/{r.display}",
                tofile=f"b/{r.display}",
            )
    err.append(f"{'可修复' if diff else '已修复'} {total} 处（检查了 {len(results)} 个文件）")
    failed = any(r.problem for r in results) or (diff and total > 0)
    return "".join(out), "\n".join(err) + "\n", 1 if failed else 0
