"""完成时限早于文件日期：任务在印发前就已到期。

为什么：2020 年 2 月印发的文件要求“2019年底前完成”，这项任务一印发就逾期了，多半是年份写错。

错误示例：
    document: {date: 2020-02-24, …}
    deadline: 2019年12月底前      # W502

正确示例：
    deadline: 2020年12月底前

如何修改：核对年份；照录原文的，加忽略注释说明。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.deadlines import Deadline
from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext

CODE = "W502"
NAME = "deadlines.before-document"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    date = ctx.doc.document.date
    for path, text, parsed in ctx.deadlines:
        if isinstance(parsed, Deadline) and parsed.due is not None and parsed.due < date:
            yield Hit(
                CODE,
                path,
                f"完成时限“{text}”（{parsed.due}）早于文件日期 {date}",
                "核对年份是否写错",
            )
