"""The outline of a plan: headings, tasks and assignment tables, from paragraphs.

General rules, not tuned to one document: numbering styles are ranked by where they first
appear (一、 above （一） above 1. above （1）, 第X章 above all); a numbered item with deeper
numbered items under it is a section; a leaf is a task when it is numbered in Arabic figures,
states a sentence after its heading, states a duty (一、X单位要…), is a phase (第一阶段) or closes
with an assignment bracket — unless it sits under a heading that never holds tasks (指导思想,
基本原则, 保障措施 …, where only items with their own assignment bracket count), under a heading
that introduces criteria (凡存在以下情形的…), is a checklist question (…是否…) or an entry of an
attachment list (…统计表). Unnumbered paragraphs are text of their section; a run of
"标签：正文" paragraphs in a section without numbered items are tasks labelled so; a short
unnumbered line over numbered items (工作安排) is a heading.

Text pasted flat (one long line, as web crawlers save pages) is cut where numbered items start,
a number counting only when it continues its style's sequence (``split_inline``); lines that
only say who and by when (牵头单位：…, 完成时限：…) belong to the item above them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ansheng_cli.importer.source import LONG_LINE, Para, Source, Table
from ansheng_cli.importer.tables import glued_table

CN = "一二三四五六七八九十百零〇"
STYLES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^(第[{CN}\d]+[章篇部分])\s*(.*)$")),
    ("cn", re.compile(rf"^([{CN}]+)\s*[、.．]\s*(.+)$")),
    ("cn-paren", re.compile(rf"^([（(][{CN}]+[)）])\s*(.+)$")),
    ("arabic", re.compile(r"^(\d{1,3})\s*[.．、](?!\d(?!\d{3}年))\s*(.+)$")),
    ("arabic-paren", re.compile(r"^([（(]\d{1,3}[)）])\s*(.+)$")),
    ("phase", re.compile(rf"^(第[{CN}]{{1,3}}阶段)\s*[:：，,]?\s*(.+)$")),
)
BOX = re.compile(r"^(专栏\s*\d+)\s*(.*)$")
ATTACHMENT = re.compile(r"^附件\s*\d*\s*[:：]?\s*(.*)$")
LABELLED = re.compile(
    r"^(?!牵头|配合|责任|完成时|时间节点)([\u4e00-\u9fff]{2,8})[:：]\s*(\S.{3,})$", re.S
)
# Inline item starts inside a long line: after a sentence end or a space.
INLINE = re.compile(rf"(?<=[。；;\s])(?=(?:[{CN}]{{1,3}}[、.．]|[（(][{CN}]{{1,3}}[)）])\S)")
NO_TASKS = re.compile(
    r"指导思想|基本原则|工作原则|总体要求|总体思路|重要意义|工作目标|目标任务|主要目标|规划目标"
    r"|工作要求|组织保障|保障措施|组织领导|组织实施|形势|成效|机遇"
    r"|(?:总体|整治|行动|具体|总)目标|组织机构|领导小组|适用范围|范围"
)
PLAIN = re.compile(r"[\u4e00-\u9fff]{2,12}")
NOT_PLAIN = re.compile(r"(?:办公室|委员会|政府|局|厅|委|办|附件|年|月|日)$")
# A heading that states a duty (X要…, X应当…) rather than naming a topic.
OBLIGATION = re.compile(r"^[^。；，]{2,40}?(?:要|应当|应|须|必须)(?!求|急|用|对|素)")
# A heading that introduces conditions or criteria (凡存在以下情形的…): its items are not tasks.
CRITERIA = re.compile(r"(?:以下|下列)(?:情形|情况|要求|条件|标准|范围|内容|问题|行为)")
# Entries of an attachment list (附件：1.…统计表 2.…流程): titles, not tasks.
LISTED = re.compile(
    r"(?:表|清单|名单|名录|目录|模板|范本|流程|流程图|示意图|实例|示例|样式|格式|台账)$"
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
    rank: float | None = None  # an unnumbered heading's place among the numbering styles

    @property
    def is_arabic(self) -> bool:
        return self.style.startswith("arabic")


# A line that only states who and by when (牵头单位：…, 完成时限：…) belongs to the item above.
ASSIGNMENT_LINE = re.compile(
    r"^(?:牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|协办单位|主办单位|完成时限|完成时间|时间节点)\s*[:：]"
)


def segments(source: Source) -> list[Para | Table]:
    """Paragraphs, with long lines cut where numbered items start inside them, and
    assignment lines (牵头单位：…) joined to the paragraph they follow."""
    out: list[Para | Table] = []
    for item in source.items:
        if isinstance(item, Para) and ASSIGNMENT_LINE.match(item.text) and out:
            last = out[-1]
            if isinstance(last, Para):
                out[-1] = Para(last.line, last.text + "\n" + item.text, last.blank_before)
                continue
        if isinstance(item, Para) and len(item.text) > LONG_LINE:
            for piece in split_inline(item.text):
                glued = glued_table(piece, item.line)
                if glued is not None:
                    before, table = glued
                    if before.strip():
                        out.append(Para(item.line, before.strip(), item.blank_before))
                    out.append(table)
                elif piece.strip():
                    out.append(Para(item.line, piece.strip(), item.blank_before))
        else:
            out.append(item)
    return out


# Item starts inside running text. A cn item (二、) must follow punctuation or a space; the
# others may also follow a heading run on without a stop (三、重点工作1.编制…).
_INLINE_ITEM = re.compile(
    rf"(?P<cn>(?<=[。；;：:！？!?”’）)\s])[{CN}]{{1,3}}、)"
    rf"|(?P<cnp>[（(][{CN}]{{1,3}}[)）])"
    rf"|(?P<ph>(?<=[。；;：:！？!?”’）)\s])第[{CN}]{{1,3}}阶段(?=[:：，,\s]))"
    r"|(?P<ar>(?<![\d.．年月日第、，,])\d{1,2}\s?[.．、](?![\d%％]))"
    r"|(?P<arp>[（(]\d{1,2}[)）])"
)
_STOP_BEFORE = set("。；;：:！？!?”’）) ")


def split_inline(text: str) -> list[str]:
    """Cut a long line where numbered items start, accepting a number only when it continues
    its style's sequence (the next number, or 1): 2018年 or a
    （2） in running text does not start an item."""
    from ansheng_cli.plan.cn import cn_int

    last: dict[str, int] = {}
    cuts: list[int] = []
    for m in _INLINE_ITEM.finditer(text):
        style = m.lastgroup or ""
        raw = re.sub(r"[^0-9{CN}]".replace("{CN}", CN), "", m.group(0).replace("阶段", ""))
        try:
            value = int(raw) if raw.isdigit() else cn_int(raw)
        except (ValueError, KeyError):
            continue
        start = m.start()
        before = text[start - 1] if start else " "
        after_word = style in ("ar", "cnp", "arp") and before not in _STOP_BEFORE and start
        if after_word and not _heading_run_on(text, start):
            continue  # after a word: only a heading run on (三、重点工作1.编制), not a sentence
        previous = last.get(style)
        # one number skipped (a printed gap, （二十）→（二十二）) still continues the list
        fits = (previous is not None and 0 < value - previous <= 2) or value == 1
        if not fits:
            continue
        last[style] = value
        if start:
            cuts.append(start)
    pieces: list[str] = []
    begin = 0
    for cut in cuts:
        pieces.append(text[begin:cut])
        begin = cut
    pieces.append(text[begin:])
    return pieces


def _heading_run_on(text: str, start: int) -> bool:
    """True when the words before ``start`` are a short heading after a stop or a number."""
    window = text[max(0, start - 24) : start]
    m = re.search(
        rf"(?:[。；;：:！？]|[{CN}]、|[（(][{CN}\d]+[)）]|\d[.．、])([^。；;：:！？，,]{{2,20}})$",
        window,
    )
    return m is not None


def classify(text: str) -> tuple[str, str | None, str] | None:
    first, newline, rest = text.partition("\n")
    found = _classify(first)
    if found is None or not newline:
        return found
    style, no, head = found
    return style, no, head + "\n" + rest  # assignment lines joined to the item


def _classify(text: str) -> tuple[str, str | None, str] | None:
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
    for index, item in enumerate(items):
        if isinstance(item, Table):
            node = Node("table", None, "", item.line, table=item)
            (stack[-1].children if stack else roots).append(node)
            continue
        found = classify(item.text)
        after = items[index + 1 : index + 3]
        title_of_attachment = bool(stack) and stack[-1].style == "attachment" and not stack[-1].body
        if (
            found is None
            and started
            and not title_of_attachment
            and _plain_heading(item, after, ranks)
        ):
            # 工作安排 / 重点整治内容: an unnumbered heading over numbered items — top level
            # where the document's top level is unnumbered, else just below the top style
            top = min(ranks.values())
            numbered_top = any(s in ranks for s in ("cn", "chapter"))
            level = top + 0.5 if numbered_top else -0.5
            node = Node("plain", None, item.text, item.line, rank=level)
            while stack and _rank(stack[-1], ranks) >= level:
                stack.pop()
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
            continue
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


def _plain_heading(item: Para, after: list[Para | Table], ranks: dict[str, int]) -> bool:
    """A short line without punctuation, followed (after at most one lead-in paragraph) by the
    first item of a list of a style below the top one (an unnumbered heading above （一） or
    1.)."""
    if not PLAIN.fullmatch(item.text) or NOT_PLAIN.search(item.text):
        return False
    if after and isinstance(after[0], Para) and classify(after[0].text) is None:
        after = after[1:]  # a lead-in paragraph under the heading
    if not after or not isinstance(after[0], Para):
        return False
    found = classify(after[0].text)
    if found is None or found[0] in ("attachment", "box", "chapter"):
        return False
    from ansheng_cli.plan.numbering import parse_number

    first = parse_number(found[1]) if found[1] else None
    if first is None or first.value != 1:
        return False  # a heading opens a list: its first item is numbered 1 / 一
    top = min(ranks, key=lambda k: ranks[k]) if ranks else None
    return top is not None and found[0] != top


def _rank(node: Node, ranks: dict[str, int]) -> float:
    if node.rank is not None:
        return node.rank
    if node.style == "box":
        return 10_000
    return ranks.get(node.style, -1)


def is_task(node: Node, ancestors: list[Node], continued: set[int] | None = None) -> bool:
    """``continued``: ids of items whose numbering runs on into the next section (items
    numbered straight through several parts are one list, whatever their heading says)."""
    if node.style in ("box", "attachment", "table", "chapter", "plain"):
        return False
    if any(child.style not in ("table", "box") for child in node.children):
        return False
    ruled_out = any(_no_tasks(a.head) or CRITERIA.search(a.head[:80]) for a in ancestors)
    if ruled_out and id(node) not in (continued or set()) and not _assigned(node):
        return False
    if node.style == "cn" and _no_tasks(node.head):
        return False  # 一、总体要求… pasted flat: a heading run on into its text
    listed = any(a.style == "attachment" for a in ancestors) or "附件" in node.head
    if (
        listed
        and not node.body
        and len(node.head) <= 40
        and LISTED.search(node.head.rstrip("。；; "))
    ):
        return False
    if "是否" in re.split(r"[。；]", node.head, maxsplit=1)[0]:
        return False  # a checklist question (…是否已经拆除；)
    if node.style == "cn" and node.body and OBLIGATION.search(node.head[:60]):
        return True  # 一、X单位要全面落实…: a part without items that states a duty
    if node.body and _assigned(node):
        return True  # a heading with its text, closed by who does it
    return node.is_arabic or node.style == "phase" or _has_sentence(node.head)


def _assigned(node: Node) -> bool:
    """The item names who does it in a closing bracket (（责任单位：…）): a task wherever it is."""
    from ansheng_cli.importer.assignments import trailing

    last = node.body[-1].text if node.body else node.head
    _, found = trailing(last, bare_units=False)
    return found is not None and bool(found.lead or found.support)


def _no_tasks(head: str) -> bool:
    """A heading that never holds tasks (指导思想, 保障措施 …), also when the text runs on
    after it without a stop (总体要求我区供水行业要…)."""
    if len(head) <= 20:
        return NO_TASKS.search(head) is not None
    return NO_TASKS.match(head[:12]) is not None or NO_TASKS.search(head[:8]) is not None


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
        text = para.text.split("\n", 1)[0]  # without 牵头单位：… lines
        if PLACE_LINE.match(text) and len(text) <= 160 and text[-1] in "；;。":
            run.append(para)
        else:
            run = []
        if len(run) > len(best):
            best = list(run)
    return best if len(best) >= 3 else []


def _has_sentence(head: str) -> bool:
    if len(head) > 20 and head.rstrip().endswith(("。", "；", ";")):
        return True  # one full sentence (公安消防部门：负责对…进行查处。)
    _, sep, rest = head.partition("。")
    return bool(sep and rest.strip()) or len(head) > 60
