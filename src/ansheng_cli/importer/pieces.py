"""Unnumbered tasks inside one item: sentences or 一是/二是 parts, each closed by its own
assignment bracket.

``（九）开展…整治。一是…（A负责）二是…（B负责）`` is two tasks, 一是 and 二是; a bracket closing
several parts (一是…二是…（A负责）) covers the parts before it that have none. With no 一是
markers, each sentence run closed by a bracket is a task (…（A负责）。…（B负责）。). One bracket
for the whole item is no split: the item is the task.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ansheng_cli.importer.assignments import BRACKET, Assignment, parse_assignment

_MARKER = re.compile(r"(?:^|(?<=[。；;：:\s）)]))(?P<m>[一二三四五六七八九十]{1,2}是)")


_RUN_ON = re.compile(r"^[^。；;]{2,40}?(?P<m>一是)")


@dataclass
class Piece:
    label: str | None  # 一是, or None for a sentence run
    text: str  # without the assignment brackets
    assignment: Assignment | None


def _brackets(text: str) -> list[tuple[int, int, Assignment]]:
    out = []
    for m in BRACKET.finditer(text):
        found = parse_assignment(m.group(1))
        if found is not None:
            out.append((m.start(), m.end(), found))
    return out


def _merge(parts: list[Assignment]) -> Assignment | None:
    if not parts:
        return None
    out = Assignment()
    for part in parts:
        for role in ("lead", "support", "others", "doubts"):
            have: list[str] = getattr(out, role)
            have.extend(n for n in getattr(part, role) if n not in have)
        out.deadline = out.deadline or part.deadline
    return out


def _strip(text: str, brackets: list[tuple[int, int, Assignment]], offset: int) -> str:
    out = text
    for start, end, _ in reversed(brackets):
        out = out[: start - offset] + out[end - offset :]
    return re.sub(r"[；;，,]\s*(?=[。]|$)", "", out).strip(" ；;，,\n")


def split(text: str) -> tuple[str, list[Piece]] | None:
    """(intro, pieces) when the text holds two or more separately assigned parts, else None."""
    brackets = _brackets(text)
    if len(brackets) < 2:
        return None
    markers = list(_MARKER.finditer(text))
    first = _RUN_ON.match(text)
    if first and (not markers or markers[0].start("m") > first.start("m")):
        markers.insert(0, first)  # 开展旅游安全专项整治一是… (heading run on, no stop)
    bounds: list[tuple[int, int, str | None]] = []
    if len(markers) >= 2:
        starts = [m.start("m") for m in markers]
        for i, start in enumerate(starts):
            end = starts[i + 1] if i + 1 < len(starts) else len(text)
            bounds.append((start, end, markers[i].group("m")))
        intro = text[: starts[0]]
    else:
        begin = 0
        for _, end, _ in brackets:
            stop = end
            while stop < len(text) and text[stop] in "。；; ":
                stop += 1
            bounds.append((begin, stop, None))
            begin = stop
        if text[begin:].strip(" 。；;"):
            last = bounds[-1]
            bounds[-1] = (last[0], len(text), None)
        intro = ""
    pieces: list[Piece] = []
    own = 0
    for start, end, label in bounds:
        inside = [b for b in brackets if start <= b[0] < end]
        own += bool(inside)
        body = _strip(text[start:end], inside, start)
        if label:
            body = body[len(label) :].lstrip("，, ")
        pieces.append(Piece(label, body, _merge([b[2] for b in inside])))
    if own < 2:
        return None
    # a bracket closing several parts covers those before it that have none
    for i in range(len(pieces) - 2, -1, -1):
        if pieces[i].assignment is None:
            pieces[i].assignment = pieces[i + 1].assignment
    return intro.strip(), [p for p in pieces if p.text]
