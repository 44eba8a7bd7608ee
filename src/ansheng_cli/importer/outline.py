"""The outline of a plan: headings, tasks and assignment tables, from paragraphs.

General rules, not tuned to one document: numbering styles are ranked by where they first
appear (一、 above （一） above 1. above （1）, 第X章 above all); a numbered item with deeper
numbered items under it is a section; a leaf is a task when it is numbered in Arabic figures or
states a sentence after its heading, unless it sits under a heading that never holds tasks
(指导思想, 基本原则, 保障措施 …). Unnumbered paragraphs are text of their section; a run of
"标签：正文" paragraphs in a section without numbered items are tasks labelled so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ansheng_cli.importer.source import LONG_LINE, Para, Source, Table

CN = "一二三四五六七八九十百零〇"
STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^(第[{CN}\d]+[章篇部分])\s*(.*)$")),
    ("cn", re.compile(rf"^([{CN}]+)\s*[、.．]\s*(.+)$")),
    ("cn-paren", re.compile(rf"^([（(][{CN}]+[)）])\s*(.+)$")),
    ("arabic", re.compile(r"^(\d{1,3})\s*[.．、](?!\d(?!\d{3}年))\s*(.+)$")),
    ("arabic-paren", re.compile(r"^([（(]\d{1,3}[)）])\s*(.+)$")),
)
BOX = re.compile(r"^(专栏\s*\d+)\s*(.*)$")
ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?\s*(.*)$")
LABELLED = re.compile(r"^([\u4e00-\u9fff]{2,8})[:：]\s*(\S.{3,})$")
# Inline item starts inside a long line: after a sentence end or a space.
INLINE = re.compile(rf"(?<=[。；;\s])(?=(?:[{CN}]{{1,3}}[、.．]|[（(][{CN}]{{1,3}}[)）])\S)")
NO_TASKS = re.compile(
    r"指导思想|基本原则|工作原则|总体要求|总体思路|重要意义|工作目标|目标任务|主要目标|规划目标"
    r"|工作要求|组织保障|保障措施|组织领导|组织实施|形势|成效|机遇"
)


@dataclass
class Node:
    style: str
    no: str | None
    head: str
    line: int
    body: list[Para] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)
    table: Table | None = None

    @property
    def is_arabic(self) -> bool:
        return self.style.startswith("arabic")


def segments(source: Source) -> list[Para | Table]:
    """Paragraphs, with long lines cut where numbered items start inside them."""
    out: list[Para | Table] = []
    for item in source.items:
        if isinstance(item, Para) and len(item.text) > LONG_LINE:
            for piece in INLINE.split(item.text):
                if piece.strip():
                    out.append(Para(item.line, piece.strip(), item.blank_before))
        else:
            out.append(item)
    return out


def classify(text: str) -> tuple[str, str | None, str] | None:
    m = BOX.match(text)
    if m:
        return "box", m.group(1).replace(" ", ""), m.group(2)
    m = ATTACHMENT.match(text)
    if m and len(text) <= 40:
        return "attachment", "附件", m.group(1)
    for style, pattern in STYLES:
        m = pattern.match(text)
        if m:
            return style, m.group(1), m.group(2).strip()
    return None


def build(items: list[Para | Table]) -> list[Node]:
    """Nest numbered items by the rank of their style (first seen = outermost)."""
    roots: list[Node] = []
    stack: list[Node] = []
    ranks: dict[str, int] = {}
    started = False
    for item in items:
        if isinstance(item, Table):
            node = Node("table", None, "", item.line, table=item)
            (stack[-1].children if stack else roots).append(node)
            continue
        found = classify(item.text)
        if found is None:
            if stack and stack[-1].style == "box" and item.blank_before >= 2:
                stack.pop()  # a box (专栏) ends at a wider gap
            if stack:
                stack[-1].body.append(item)
            continue
        style, no, head = found
        if style == "attachment":
            if (
                roots
                and roots[-1].style == "attachment"
                and not roots[-1].body
                and not roots[-1].children
            ):
                roots.pop()  # "附件：…" listed after the body, then the attachment itself
            stack = []
            node = Node(style, no, head, item.line)
            roots.append(node)
            stack.append(node)
            ranks = {"attachment": -1}
            started = True
            continue
        if style == "box":
            rank = len(stack)  # a box sits inside the current section
        else:
            if style not in ranks:
                ranks[style] = max(ranks.values(), default=-1) + 1
            rank = ranks[style]
            started = True
        if not started:
            continue
        node = Node(style, no, head, item.line)
        while stack and _rank(stack[-1], ranks) >= rank:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


def _rank(node: Node, ranks: dict[str, int]) -> int:
    if node.style == "box":
        return 10_000
    return ranks.get(node.style, -1)


def is_task(node: Node, ancestors: list[Node], continued: set[int] | None = None) -> bool:
    """``continued``: ids of items whose numbering runs on into the next section (items
    numbered straight through several parts are one list, whatever their heading says)."""
    if node.style in ("box", "attachment", "table", "chapter"):
        return False
    if any(child.style not in ("table", "box") for child in node.children):
        return False
    ruled_out = any(len(a.head) <= 20 and NO_TASKS.search(a.head) for a in ancestors)
    if ruled_out and id(node) not in (continued or set()):
        return False
    return node.is_arabic or _has_sentence(node.head)


def continued_items(roots: list[Node]) -> set[int]:
    """Items whose number is followed, in the next section, by the next number of their style."""
    from ansheng_cli.plan.numbering import parse_number

    order: list[Node] = []
    parent: dict[int, int] = {}
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        order.append(node)
        for child in node.children:
            parent[id(child)] = id(node)
        stack.extend(reversed(node.children))
    by_style: dict[str, list[Node]] = {}
    for node in order:
        if node.no and node.style in ("cn-paren", "arabic", "arabic-paren"):
            by_style.setdefault(node.style, []).append(node)
    out: set[int] = set()
    for nodes in by_style.values():
        values = [parse_number(n.no) for n in nodes]
        run: list[Node] = []
        for i, node in enumerate(nodes):
            run.append(node)
            here, nxt = values[i], values[i + 1] if i + 1 < len(nodes) else None
            if here is None or nxt is None or nxt.value != here.value + 1:
                # a run that crossed into another section is one straight-through list
                if len({parent.get(id(n)) for n in run}) > 1:
                    out.update(id(n) for n in run)
                run = []
    return out


# A run of lines that each open with a place (长春市侧重…；吉林市侧重…): one task per place.
PLACE_LINE = re.compile(r"^([\u4e00-\u9fff]{2,6}?(?:市|州|县|区|盟|旗))(?=[\u4e00-\u9fff])")


def place_runs(body: list[Para]) -> list[Para]:
    """The longest run of three or more consecutive place-led, clause-ending lines."""
    best: list[Para] = []
    run: list[Para] = []
    for para in body:
        if PLACE_LINE.match(para.text) and len(para.text) <= 160 and para.text[-1] in "；;。":
            run.append(para)
        else:
            run = []
        if len(run) > len(best):
            best = list(run)
    return best if len(best) >= 3 else []


def _has_sentence(head: str) -> bool:
    _, sep, rest = head.partition("。")
    return bool(sep and rest.strip()) or len(head) > 60
