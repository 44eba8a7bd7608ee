"""The canonical layout of a plan or registry file (``ansheng fmt``).

Loaded round-trip with ruamel.yaml so every comment stays where it was: keys in schema
order, ``no`` quoted only when it is a bare number, short unit lists and small maps in flow
style, two-space indentation, one final newline. Formatting is idempotent.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansheng_cli.plan.loader import MAX_FILE_BYTES
from ansheng_cli.plan.yamlio import YamlProblem, load, lost_comments, round_trip

ORDERS: dict[str, tuple[str, ...]] = {
    "root": (
        "schema", "document", "sections", "indicators", "jurisdiction", "units", "catch_alls",
        "levels",
    ),
    "document": (
        "id", "title", "issuer", "doc_no", "date", "status", "jurisdiction", "period",
        "default_deadline", "implements", "parents",
    ),
    "section": ("no", "title", "text", "deadline", "source", "sections", "tasks"),
    "task": (
        "no", "title", "text", "lead", "support", "others", "deadline", "source", "status",
        "done", "confirmed", "progress", "implements",
    ),
    "progress": ("date", "unit", "text"),
    "confirmed": ("date", "by"),
    "milestone": ("when", "what", "units"),
    "indicator": (
        "no", "name", "unit", "group", "baseline", "actual", "target", "change", "plan",
        "result", "source",
    ),
    "unit": ("name", "full_name", "aliases", "kind", "until", "successor", "note"),
}  # fmt: skip
FLOW_LIST_LIMIT = 60  # a list of names this long or shorter is written [甲, 乙]
FLOW_MAPS = ("source", "period", "baseline", "actual", "target", "change")


LayoutProblem = YamlProblem  # the file cannot be rewritten safely; it is left untouched


@dataclass
class Formatted:
    original: str
    text: str

    @property
    def changed(self) -> bool:
        return self.original != self.text


def format_text(text: str) -> Formatted:
    """The canonical layout of ``text``; refused (file untouched) when it cannot be parsed
    or when the rewrite would lose a comment."""
    from ruamel.yaml.comments import CommentedMap

    yaml = round_trip()
    data = load(yaml, text)
    if not isinstance(data, CommentedMap):
        raise LayoutProblem("文件顶层不是映射，未改动")
    _root(data)
    out = io.StringIO()
    try:
        yaml.dump(data, out)
    except RecursionError:
        raise LayoutProblem("嵌套层次过深，无法处理") from None
    result = out.getvalue()
    if not result.endswith("\n"):
        result += "\n"
    lost = lost_comments(text, result)
    if lost:
        line, comment = lost[0]
        raise LayoutProblem(
            f"整理格式会丢失这条注释：# {comment}（多行流式列表 [..] 或映射 {{..}} 中的注释），"
            "未改动；请把该列表改写为每项一行的块式写法",
            line,
        )
    return Formatted(text, result)


def _reorder(mapping: Any, kind: str) -> None:
    """Keys in schema order, unknown ones after them in their own order; comments follow
    their keys (move_to_end keeps ruamel's per-key comment table intact)."""
    from ruamel.yaml.comments import CommentedMap

    if not isinstance(mapping, CommentedMap):
        return
    order = ORDERS[kind]
    keys = list(mapping)
    wanted = [k for k in order if k in mapping] + [k for k in keys if k not in order]
    if keys != wanted:
        for key in wanted:
            mapping.move_to_end(key)


def _root(data: Any) -> None:
    _reorder(data, "root")
    _reorder(data.get("document"), "document")
    document = data.get("document")
    if isinstance(document, dict):
        _flow_maps(document)
        _names(document, "implements")
    for section in _items(data.get("sections")):
        _section(section)
    for indicator in _items(data.get("indicators")):
        _reorder(indicator, "indicator")
        _number(indicator)
        _flow_maps(indicator)
    for unit in _items(data.get("units")):
        _reorder(unit, "unit")
        _names(unit, "aliases")
    _names(data, "catch_alls")


def _items(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list) else []


def _section(section: Any) -> None:
    if not isinstance(section, dict):
        return
    _reorder(section, "section")
    _number(section)
    _flow_maps(section)
    for child in _items(section.get("sections")):
        _section(child)
    for task in _items(section.get("tasks")):
        if isinstance(task, dict):
            _reorder(task, "task")
            _number(task)
            _flow_maps(task)
            _names(task, "lead")
            _names(task, "support")
            for entry in _items(task.get("progress")):
                _reorder(entry, "progress")
            for milestone in _items(task.get("deadline")):
                _reorder(milestone, "milestone")
                _names(milestone, "units")


def _number(item: Any) -> None:
    """``no`` is text as printed: quote a bare number ("1"), leave 一 and （三） plain."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    if "no" not in item:
        return
    value = item["no"]
    if isinstance(value, bool) or value is None or isinstance(value, float):
        return  # validation reports these; fmt never changes a value's meaning
    text = str(value)
    # dict.__setitem__: ruamel's own would keep the old quoting style on the new value
    if text.isdigit():
        if not isinstance(value, DoubleQuotedScalarString):
            dict.__setitem__(item, "no", DoubleQuotedScalarString(text))
    elif isinstance(value, str) and type(value) is not str and _plain_ok(text):
        dict.__setitem__(item, "no", str.__str__(text))


def _plain_ok(text: str) -> bool:
    return (
        bool(text) and not any(ch in text for ch in ":#{}[],&*!|>'\"%@`") and text.strip() == text
    )


def _names(item: Any, key: str) -> None:
    """Short lists of names in flow style, long ones (or commented ones) in block style."""
    from ruamel.yaml.comments import CommentedSeq

    value = item.get(key) if isinstance(item, dict) else None
    if not isinstance(value, CommentedSeq) or _has_comments(value):
        return
    if not all(isinstance(v, str) for v in value):
        return
    short = sum(len(v) + 2 for v in value) <= FLOW_LIST_LIMIT
    if short:
        value.fa.set_flow_style()
    else:
        value.fa.set_block_style()


def _flow_maps(item: Any) -> None:
    from ruamel.yaml.comments import CommentedMap

    for key in FLOW_MAPS:
        value = item.get(key)
        simple = isinstance(value, CommentedMap) and not _has_comments(value)
        if simple and all(not isinstance(v, dict | list) for v in value.values()):
            value.fa.set_flow_style()


def _has_comments(node: Any) -> bool:
    ca = getattr(node, "ca", None)
    return bool(ca and (ca.items or ca.comment or getattr(ca, "end", None)))


@dataclass
class FileOutcome:
    display: str
    changed: bool
    diff: str = ""
    problem: str | None = None


def format_files(
    paths: Iterable[str], check: bool, max_bytes: int = MAX_FILE_BYTES
) -> list[FileOutcome]:
    """Format every YAML file under ``paths``; with ``check`` only report (a unified diff).

    A file's line endings (CRLF as Windows editors and Git for Windows write them) and its
    byte-order mark are kept: only the layout changes, and ``--check`` compares content.
    """
    from pathlib import Path

    from ansheng_cli.atomic import repository_lock
    from ansheng_cli.plan.files import collect

    paths = list(paths)
    files = collect(paths)
    if check or not files:
        return [_format_one(display, Path(path), check, max_bytes) for display, path in files]
    with repository_lock(Path(paths[0])):
        return [_format_one(display, Path(path), check, max_bytes) for display, path in files]


def _format_one(display: str, path: Path, check: bool, max_bytes: int) -> FileOutcome:
    import difflib

    from ansheng_cli.atomic import write_bytes_atomic
    from ansheng_cli.errors import FileProblem
    from ansheng_cli.plan.files import read_regular
    from ansheng_cli.plan.loader import decode

    try:
        raw = read_regular(path, max_bytes)
    except FileProblem as exc:
        return FileOutcome(display, False, problem=f"{display}: {exc}，未改动")
    text, problem = decode(raw)
    if text is None:
        assert problem is not None
        return FileOutcome(display, False, problem=f"{display}: {problem.message}，未改动")
    bom = raw.startswith(b"\xef\xbb\xbf")
    crlf = b"\r\n" in raw
    text = text.replace("\r\n", "\n")
    try:
        result = format_text(text)
    except LayoutProblem as exc:
        where = f"{display}:{exc.line}:{exc.column}"
        return FileOutcome(display, False, problem=f"{where}: {exc}")
    if not result.changed:
        return FileOutcome(display, False)
    diff = "".join(
        difflib.unified_diff(
            text.splitlines(keepends=True),
            result.text.splitlines(keepends=True),
            fromfile=f"a/{display}",
            tofile=f"b/{display}",
        )
    )
    if not check:
        out = result.text.replace("\n", "\r\n") if crlf else result.text
        try:
            write_bytes_atomic(path, (b"\xef\xbb\xbf" if bom else b"") + out.encode("utf-8"))
        except FileProblem as exc:
            return FileOutcome(display, False, problem=f"{display}: {exc}")
    return FileOutcome(display, True, diff)


def summary(outcomes: list[FileOutcome], check: bool) -> tuple[str, str, int]:
    """What ``ansheng fmt`` prints: (stdout, stderr, exit code)."""
    problems = [o for o in outcomes if o.problem]
    changed = [o for o in outcomes if o.changed]
    err = [f"错误：{o.problem}" for o in problems]
    out = "".join(o.diff for o in changed) if check else ""
    if check:
        err.append(f"检查了 {len(outcomes)} 个文件：{len(changed)} 个需要整理格式")
    else:
        err.append(f"整理了 {len(changed)} 个文件的格式（共 {len(outcomes)} 个）")
    return out, "\n".join(err) + "\n", 1 if problems or (check and changed) else 0


def format_stdin(display: str, check: bool, max_bytes: int) -> tuple[str, str, int]:
    """``ansheng fmt -``: standard input formatted to standard output (with ``--check``, the
    diff and exit 1 when it would change), as editors call formatters."""
    import difflib
    import sys

    from ansheng_cli.plan.loader import decode

    raw = sys.stdin.buffer.read(max_bytes + 1)
    if len(raw) > max_bytes:
        return "", f"错误：标准输入过大：超过 {max_bytes} 字节\n", 1
    text, problem = decode(raw)
    if text is None:
        return "", f"错误：{display}: {problem.message if problem else ''}\n", 1
    try:
        result = format_text(text.replace("\r\n", "\n"))
    except LayoutProblem as exc:
        return "", f"错误：{display}:{exc.line}:{exc.column}: {exc}\n", 1
    if not check:
        return result.text, "", 0
    diff = "".join(
        difflib.unified_diff(
            result.original.splitlines(keepends=True),
            result.text.splitlines(keepends=True),
            fromfile=f"a/{display}",
            tofile=f"b/{display}",
        )
    )
    return diff, "", 1 if result.changed else 0
