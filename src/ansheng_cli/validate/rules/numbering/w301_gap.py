"""编号跳号：同级编号中间缺号，或不从 1 开始。

为什么：印发的分工表中漏掉一个序号（1、2、3、5），读者会以为漏了一项任务，督办时也对不上号。
任务编号既可以在每一节内重新从 1 编起，也可以贯穿全文连续编号；两种情况都会检查。
发现位置：缺号之后的那一项（例如第 5 项）。

错误示例：
    tasks:
      - no: "3"
      - no: "5"    # W301：编号从 3 跳到 5，缺少第 4 项

正确示例：
    tasks:
      - no: "3"
      - no: "4"

如何修改：补上漏掉的一项；若原文本来就缺号（照原文录入），在该行加
`# ansheng: ignore[W301] 原文即无第4项` 说明原因。
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.numbering import dominant, numbered_lists

CODE = "W301"
NAME = "numbering.gap"


def _missing(after: int, upto: int) -> str:
    return str(after + 1) if upto == after + 2 else f"{after + 1}—{upto - 1}"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    previous_tasks_last: dict[str, int] = {}
    for base, items in numbered_lists(ctx.doc):
        style = dominant(items)
        same = [(path, no, n) for path, no, n in items if n.style == style]
        path, no, first = same[0]
        if base[-1] == "tasks":
            # Tasks may be numbered straight through sections: 1–8, then 9–11 …
            prev = previous_tasks_last.get(style)
            allowed = {1} if prev is None else {1, prev + 1}
            if first.value not in allowed and first.value > min(allowed):
                start = max(a for a in allowed if a < first.value)
                yield _gap(path, no, start - 1, first.value)
            previous_tasks_last[style] = max(n.value for _, _, n in same)
        elif first.value > 1:
            yield _gap(path, no, 0, first.value)
        for (_, _prev_no, a), (path, no, b) in itertools.pairwise(same):
            if b.value > a.value + 1:
                yield _gap(path, no, a.value, b.value)


def _gap(path: tuple[str | int, ...], no: str, after: int, value: int) -> Hit:
    return Hit(
        CODE,
        (*path, "no"),
        f"编号跳号：“{no}”之前缺少第 {_missing(after, value)} 项",
        "补上缺少的项，或在此行注明原文即如此：# ansheng: ignore[W301] 原因",
    )
