"""编号样式混用：同级编号用了不同的样式（如“（一）”与“1.”并列）。

为什么：公文层次序数依次为“一、”“（一）”“1.”“（1）”，同一层级混用样式说明层级录入错了。
发现位置：样式与同级多数不同的那一项。

错误示例：
    sections:
      - {no: （一）, title: 甲}
      - {no: "2", title: 乙}     # W304

正确示例：
    sections:
      - {no: （一）, title: 甲}
      - {no: （二）, title: 乙}

如何修改：统一编号样式，或把该项移到正确的层级。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.numbering import dominant, numbered_lists

CODE = "W304"
NAME = "numbering.mixed-styles"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for _base, items in numbered_lists(ctx.doc):
        style = dominant(items)
        for path, no, n in items:
            if n.style != style:
                yield Hit(
                    CODE,
                    (*path, "no"),
                    f"编号样式混用：“{no}”与同级的“{style}”样式不同",
                    "统一同级编号样式，或检查层级是否录错",
                )
