"""Word's automatic list numbering: the numbers a reader sees but paragraph text lacks.

A paragraph numbered by Word (directly or through its style) carries w:numPr; the format
lives in numbering.xml (w:num → w:abstractNum → w:lvl: start, numFmt, lvlText such as
"%1、" or "（%1）"). Counting the paragraphs per list and level gives the printed number.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ansheng_cli.plan.cn import chinese

_CN = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def render(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "ideographTraditional",
        "chineseLegalSimplified",
    ):
        return chinese(n)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    return str(n)


@dataclass(frozen=True)
class Level:
    start: int
    fmt: str
    text: str


class Numbering:
    """Counts numbered paragraphs and gives each its printed number."""

    def __init__(self, document: Any) -> None:
        from docx.oxml.ns import qn

        self._qn = qn
        self._levels: dict[str, dict[int, Level]] = {}
        self._counters: dict[str, list[int]] = {}
        self._styles: dict[str, tuple[str, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (AttributeError, KeyError, NotImplementedError):
            return
        abstract: dict[str, dict[int, Level]] = {}
        for a in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in a.findall(qn("w:lvl")):
                levels[int(lvl.get(qn("w:ilvl"), "0"))] = Level(
                    int(self._val(lvl, "w:start") or 1),
                    self._val(lvl, "w:numFmt") or "decimal",
                    self._val(lvl, "w:lvlText") or "",
                )
            abstract[a.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self._levels[num.get(qn("w:numId"))] = abstract.get(ref.get(qn("w:val")), {})
        for style in document.styles:
            p_pr = getattr(style.element, "pPr", None)
            num_pr = p_pr.find(qn("w:numPr")) if p_pr is not None else None
            if num_pr is not None:
                self._styles[style.style_id] = self._num_pr(num_pr)

    def _val(self, element: Any, tag: str) -> str | None:
        child = element.find(self._qn(tag))
        return child.get(self._qn("w:val")) if child is not None else None

    def _num_pr(self, num_pr: Any) -> tuple[str, int]:
        num_id = self._val(num_pr, "w:numId") or ""
        return num_id, int(self._val(num_pr, "w:ilvl") or 0)

    def label(self, paragraph: Any) -> str:
        """The printed number of a paragraph ("" if it is not in a numbered list)."""
        qn = self._qn
        p_pr = paragraph.find(qn("w:pPr"))
        found = None
        if p_pr is not None:
            num_pr = p_pr.find(qn("w:numPr"))
            if num_pr is not None:
                found = self._num_pr(num_pr)
            elif (style := p_pr.find(qn("w:pStyle"))) is not None:
                found = self._styles.get(style.get(qn("w:val")))
        if found is None or found[0] in ("", "0") or found[0] not in self._levels:
            return ""
        num_id, ilvl = found
        levels = self._levels[num_id]
        level = levels.get(ilvl)
        if level is None or level.fmt in ("bullet", "none"):
            return ""
        counters = self._counters.setdefault(num_id, [0] * 9)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        text = level.text
        for i in range(ilvl + 1):
            lv = levels.get(i, level)
            value = counters[i] + lv.start - 1 if counters[i] else lv.start
            text = text.replace(f"%{i + 1}", render(value, lv.fmt))
        return text
