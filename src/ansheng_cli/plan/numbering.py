"""Printed item numbers (一、 （三） 1. （1） ① 第二章) → a style and a value."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ansheng_cli.plan.cn import NUMERAL_CHARS as _CN
from ansheng_cli.plan.cn import cn_int

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("第X章", re.compile(rf"^第(?P<n>[{_CN}]+|\d+)(?P<unit>[章节条部篇])$")),
    ("（一）", re.compile(rf"^[（(](?P<n>[{_CN}]+)[)）]$")),
    ("（1）", re.compile(r"^[（(](?P<n>\d+)[)）]$")),
    ("一、", re.compile(rf"^(?P<n>[{_CN}]+)[、.．]?$")),
    ("1.", re.compile(r"^(?P<n>\d+)[、.．]?$")),
)


@dataclass(frozen=True, slots=True)
class Number:
    style: str
    value: int


def parse_number(text: str | None) -> Number | None:
    """The style and value of a printed number, or None for labels such as 专栏3 or 附件."""
    if not text:
        return None
    s = text.strip()
    if len(s) == 1 and s in _CIRCLED:
        return Number("①", _CIRCLED.index(s) + 1)
    for style, pattern in _PATTERNS:
        m = pattern.match(s)
        if m:
            n = m["n"]
            value = int(n) if n.isdigit() else _cn_value(n)
            if value is None:
                return None
            unit = m.groupdict().get("unit")
            return Number(style.replace("章", unit) if unit else style, value)
    return None


def _cn_value(text: str) -> int | None:
    if "百" in text:
        hundreds, _, rest = text.partition("百")
        head = cn_int(hundreds) if hundreds else 1
        tail = rest.lstrip("零〇")
        return head * 100 + (cn_int(tail) if tail else 0)
    try:
        return cn_int(text)
    except KeyError:
        return None
