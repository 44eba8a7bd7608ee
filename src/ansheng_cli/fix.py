"""``ansheng fix``: the mechanical repairs validation knows, applied in place.

Each repair is tied to the rule code that reports the defect; the file is edited
round-trip, so comments, layout and every value that is not a listed repair stay as they
were. A table of repairs, not branches: (code, what it touches, how it mends a value).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansheng_cli.plan.cn import tidy
from ansheng_cli.plan.registry import Registry
from ansheng_cli.validate.rules.references import DOC_NO

TEXT_KEYS = ("title", "text", "others")
UNIT_KEYS = ("lead", "support")


@dataclass(frozen=True)
class Change:
    code: str
    line: int
    old: str
    new: str


@dataclass
class Fixed:
    original: str
    text: str
    changes: list[Change]


@dataclass(frozen=True)
class Context:
    registry: Registry | None
    date: dt.date | None
    rename: bool


def _brackets(value: str, ctx: Context) -> str:
    return DOC_NO.sub(lambda m: f"{m['org']}〔{m['year']}〕{m['seq']}号", value)


def _alias(value: str, ctx: Context) -> str:
    found = ctx.registry.resolve(value) if ctx.registry else None
    return found.unit.name if found and found.via_alias else value


def _successor(value: str, ctx: Context) -> str:
    if not ctx.rename or ctx.registry is None or ctx.date is None:
        return value
    found = ctx.registry.resolve(value)
    unit = found.unit if found else None
    if unit and unit.until and unit.until < ctx.date and unit.successor:
        return unit.successor
    return value


Repair = Callable[[str, Context], str]
# (code, field kind, repair), applied in this order
REPAIRS: tuple[tuple[str, str, Repair], ...] = (
    ("W408", "unit", lambda v, c: tidy(v)),
    ("W402", "unit", _alias),
    ("W403", "unit", _successor),
    ("W506", "deadline", lambda v, c: tidy(v)),
    ("W701", "text", _brackets),
)


def _fields(data: Any) -> Iterator[tuple[Any, Any, str]]:
    """(container, key or index, kind) for every value a repair may touch."""
    document = data.get("document")
    if isinstance(document, dict):
        for key in ("doc_no",):
            if isinstance(document.get(key), str):
                yield document, key, "text"
        if isinstance(document.get("default_deadline"), str):
            yield document, "default_deadline", "deadline"
        implements = document.get("implements")
        if isinstance(implements, list):
            for i, v in enumerate(implements):
                if isinstance(v, str):
                    yield implements, i, "text"
    stack = list(reversed(data.get("sections") or []))
    while stack:
        section = stack.pop()
        if not isinstance(section, dict):
            continue
        yield from _text_fields(section)
        if isinstance(section.get("deadline"), str):
            yield section, "deadline", "deadline"
        for task in section.get("tasks") or []:
            if not isinstance(task, dict):
                continue
            yield from _text_fields(task)
            if isinstance(task.get("deadline"), str):
                yield task, "deadline", "deadline"
            for key in UNIT_KEYS:
                names = task.get(key)
                if isinstance(names, list):
                    for i, v in enumerate(names):
                        if isinstance(v, str):
                            yield names, i, "unit"
        stack.extend(reversed(section.get("sections") or []))


def _text_fields(item: Any) -> Iterator[tuple[Any, Any, str]]:
    for key in TEXT_KEYS:
        if isinstance(item.get(key), str):
            yield item, key, "text"


def _line(container: Any, key: Any) -> int:
    try:
        if isinstance(key, int):
            return int(container.lc.item(key)[0]) + 1
        return int(container.lc.value(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return 0


def fix_text(text: str, registry_for: Callable[[str], Registry | None], codes: Iterable[str],
             rename: bool) -> Fixed:  # fmt: skip
    from ansheng_cli.fmt import LayoutProblem, _yaml

    yaml = _yaml()
    try:
        data = yaml.load(text)
    except Exception as exc:  # ruamel raises several types for bad input
        raise LayoutProblem(f"YAML 无法解析：{exc}") from None
    if not isinstance(data, dict):
        raise LayoutProblem("文件顶层不是映射，未改动")
    document = data.get("document")
    if not isinstance(document, dict):
        document = {}
    date = document.get("date") if isinstance(document.get("date"), dt.date) else None
    jurisdiction = document.get("jurisdiction")
    registry = registry_for(jurisdiction) if isinstance(jurisdiction, str) else None
    ctx = Context(registry, date, rename)
    from ansheng_cli.validate.suppress import parse_directives

    # what the data acknowledges (# ansheng: ignore[W701] 原文即如此) is kept as written
    directives = [d for d in parse_directives(text) if d.reason]
    wanted = [r for r in REPAIRS if any(r[0].startswith(c) for c in codes)]
    changes: list[Change] = []
    for container, key, kind in _fields(data):
        for code, target, repair in wanted:
            if target != kind:
                continue
            old = container[key]
            new = repair(old, ctx)
            line = _line(container, key)
            if new != old and not any(d.covers(code, line) for d in directives):
                container[key] = new  # ruamel keeps the value's quoting style
                changes.append(Change(code, line, old, new))
    if not changes:
        return Fixed(text, text, [])
    out = io.StringIO()
    yaml.dump(data, out)
    return Fixed(text, out.getvalue(), changes)


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


def fix_files(paths: Iterable[str], codes: Iterable[str], rename: bool, write: bool,
              units: Path | None = None) -> list[FileFix]:  # fmt: skip
    """Repair every plan file under ``paths``; registries are left alone."""
    from ansheng_cli.atomic import write_text_atomic
    from ansheng_cli.fmt import LayoutProblem
    from ansheng_cli.plan.loader import decode
    from ansheng_cli.validate.engine import collect

    codes = list(codes)
    out = []
    for display, path in collect(paths):
        text, problem = decode(Path(path).read_bytes())
        if text is None:
            assert problem is not None
            out.append(FileFix(display, None, f"{display}: {problem.message}，未改动"))
            continue
        if "ansheng/units-v1" in text[:2000]:
            continue
        try:
            fixed = fix_text(text, registry_finder(Path(path), units), codes, rename)
        except LayoutProblem as exc:
            out.append(FileFix(display, None, f"{display}: {exc}"))
            continue
        if fixed.changes and write:
            write_text_atomic(Path(path), fixed.text)
        out.append(FileFix(display, fixed))
    return out
