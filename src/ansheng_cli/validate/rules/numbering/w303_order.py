"""编号顺序颠倒：同级编号比前一项小。

为什么：顺序颠倒（1、3、2）多半是复制粘贴时挪错了位置，印发后读者难以查找。
发现位置：比前一项小的那一项。

错误示例：
    tasks:
      - no: "3"
      - no: "2"    # W303

正确示例：
    tasks:
      - no: "2"
      - no: "3"

如何修改：按编号调整顺序，或改正编号。
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.numbering import dominant, numbered_lists

CODE = "W303"
NAME = "numbering.order"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for _base, items in numbered_lists(ctx.doc):
        style = dominant(items)
        same = [(path, no, n) for path, no, n in items if n.style == style]
        for (_, prev_no, a), (path, no, b) in itertools.pairwise(same):
            if b.value < a.value:
                yield Hit(
                    CODE,
                    (*path, "no"),
                    f"编号顺序颠倒：“{no}”排在“{prev_no}”之后",
                    "调整顺序或改正编号",
                )
