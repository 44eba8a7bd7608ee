"""Edits of YAML text at composed nodes' marks: everything not edited stays byte for byte.

``fix`` mends values this way and ``progress import`` appends entries this way: comments,
quoting, indentation and key order survive untouched, and no full re-dump is needed (a
round-trip load and dump of a 1,000-task file costs over a second). Callers check the
edited text by parsing it again; anything these helpers cannot place returns None so the
caller can fall back or refuse.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable
from typing import Any

STR_TAG = "tag:yaml.org,2002:str"

# A plain scalar may be written back plain only when it cannot be read as anything else.
_PLAIN_SAFE = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^,\[\]{}#:]*$")
_DASH = re.compile(r"^[ ]*-[ ]+$")

Edit = tuple[int, int, str]  # (start, end, replacement) in characters


def get(mapping: Any, key: str) -> Any:
    """The value node of ``key`` in a mapping node (None when absent or not a mapping)."""
    from ruamel.yaml.nodes import MappingNode

    if not isinstance(mapping, MappingNode):
        return None
    for k, v in mapping.value:
        if getattr(k, "value", None) == key:
            return v
    return None


def key_node(mapping: Any, key: str) -> Any:
    for k, _ in getattr(mapping, "value", []):
        if getattr(k, "value", None) == key:
            return k
    return None


def items(node: Any) -> list[Any]:
    from ruamel.yaml.nodes import SequenceNode

    return list(node.value) if isinstance(node, SequenceNode) else []


def render(value: str, style: str | None = None,
           plain_ok: Callable[[str], bool] | None = None) -> str:  # fmt: skip
    """A string as YAML: plain when it reads back as the same string, else quoted in the
    node's own style where possible (a JSON string is a YAML double-quoted one)."""
    ok = plain_ok or plain_is_string
    if style is None and _PLAIN_SAFE.match(value) and value == value.strip() and ok(value):
        return value
    if style == "'" and "\n" not in value:
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


@functools.cache
def _resolver() -> Any:
    from ruamel.yaml.resolver import VersionedResolver

    return VersionedResolver()


def plain_is_string(value: str) -> bool:
    from ruamel.yaml.nodes import ScalarNode

    return bool(_resolver().resolve(ScalarNode, value, (True, False)) == STR_TAG)


def scalar(value: Any) -> str | None:
    """A value of the plan (string, date, flat mapping of those) in flow style; None for
    anything else, so the caller does not guess."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str):
        return render(value)
    if isinstance(value, dict):
        parts = [(str(k), scalar(v)) for k, v in value.items()]
        if any(v is None for _, v in parts):
            return None
        return "{" + ", ".join(f"{k}: {v}" for k, v in parts) + "}"
    return None


def after(text: str, node: Any) -> int:
    """Where a new key goes after the mapping value ``node``: at the end of its last line
    (after a comment there), never after the blank or comment lines that follow it."""
    end = node.end_mark.index
    line_start = text.rfind("\n", 0, end) + 1
    if line_start and not text[line_start:end].strip():
        at = line_start - 1  # the value ended on an earlier line: after that line's break
    else:
        at = text.find("\n", end)
        at = len(text) if at < 0 else at
    while True:
        start = text.rfind("\n", 0, at) + 1
        line = text[start:at].strip()
        if line and not line.startswith("#"):
            break
        if start == 0:
            break
        at = start - 1
    return at - 1 if text[at - 1 : at] == "\r" else at


def set_value(text: str, mapping: Any, key: str, rendered: str) -> Edit | None:
    """Replace the scalar value of ``key`` (present, not empty) with ``rendered``."""
    from ruamel.yaml.nodes import ScalarNode

    node = get(mapping, key)
    if not isinstance(node, ScalarNode) or node.start_mark.index >= node.end_mark.index:
        return None
    return (node.start_mark.index, node.end_mark.index, rendered)


def add_keys(
    text: str, mapping: Any, pairs: list[tuple[str, str | list[str]]], nl: str = "\n"
) -> Edit | None:
    """Add keys as the mapping's last ones. A value is already rendered; a list of rendered
    items becomes a list in the mapping's style (block lists dashed two spaces in). ``nl``
    is the text's line break."""
    if not pairs or not mapping.value:
        return None

    def flow(value: str | list[str]) -> str:
        return value if isinstance(value, str) else "[" + ", ".join(value) + "]"

    if mapping.flow_style:
        close = text.rindex("}", 0, mapping.end_mark.index)
        return (close, close, "".join(f", {k}: {flow(v)}" for k, v in pairs))
    first = mapping.value[0][0]
    line_start = text.rfind("\n", 0, first.start_mark.index) + 1
    if text[line_start : first.start_mark.index].strip() not in ("", "-"):
        return None  # a key written after something other than indentation or a dash
    indent = " " * first.start_mark.column

    def block(value: str | list[str]) -> str:
        if isinstance(value, str):
            return " " + value
        return "".join(f"{nl}{indent}  - {item}" for item in value) if value else " []"

    at = after(text, mapping.value[-1][1])
    return (at, at, "".join(f"{nl}{indent}{k}:{block(v)}" for k, v in pairs))


def append_items(text: str, seq: Any, rendered: list[str], nl: str = "\n") -> Edit | None:
    """Append already-rendered items to a sequence node, in its own style."""
    if seq.flow_style:
        close = text.rindex("]", 0, seq.end_mark.index)
        sep = ", " if seq.value else ""
        return (close, close, sep + ", ".join(rendered))
    if not seq.value:
        return None
    last = seq.value[-1]
    line_start = text.rfind("\n", 0, last.start_mark.index) + 1
    prefix = text[line_start : last.start_mark.index]
    if not _DASH.match(prefix):
        return None  # the last item does not begin its own line
    at = after(text, last)
    return (at, at, "".join(f"{nl}{prefix}{r}" for r in rendered))


def apply(text: str, edits: list[Edit]) -> str:
    """``text`` with the edits made (they must not overlap). Inserts at one place keep the
    order they were given in. Linear in the text: a thousand edits make one copy."""
    parts, at = [], 0
    for start, end, rendered in sorted(edits, key=lambda e: e[0]):  # stable: keeps order
        parts += [text[at:start], rendered]
        at = max(at, end)
    parts.append(text[at:])
    return "".join(parts)
