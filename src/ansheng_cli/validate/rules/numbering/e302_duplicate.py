"""编号重复：同级出现两个相同的编号。

为什么：两个“二、”会让引用“第二部分”的文件、督办通知指向不明。
发现位置：第二次出现的那一项。

错误示例：
    sections:
      - {no: 一, title: 加强领导}
      - {no: 二, title: 协调发展}
      - {no: 二, title: 强化保障}   # E302

正确示例：
    sections:
      - {no: 一, title: 加强领导}
      - {no: 二, title: 协调发展}
      - {no: 三, title: 强化保障}

如何修改：改正编号；若照原文录入需保留，在该行加 `# ansheng: ignore[E302] 原文即重复编号`。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.numbering import numbered_lists

CODE = "E302"
NAME = "numbering.duplicate"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for _base, items in numbered_lists(ctx.doc):
        seen: dict[tuple[str, int], int] = {}
        for index, (path, no, n) in enumerate(items, start=1):
            key = (n.style, n.value)
            if key in seen:
                yield Hit(
                    CODE,
                    (*path, "no"),
                    f"编号“{no}”重复：同级第 {seen[key]} 项已用过",
                    "改为正确的编号",
                )
            else:
                seen[key] = index
