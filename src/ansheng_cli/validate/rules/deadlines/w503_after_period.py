"""完成时限超出文件的规划期。

为什么：“十三五”规划（2016—2020 年）里出现“2022年底前”，任务就落在规划期之外，无法考核。
只有写了 period 的文件才检查。

错误示例：
    document: {period: {start: 2016-01-01, end: 2020-12-31}, …}
    deadline: 2022年底前          # W503

正确示例：
    deadline: 2020年底前

如何修改：核对年份，或改正 period。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.deadlines import Deadline
from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext

CODE = "W503"
NAME = "deadlines.after-period"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    period = ctx.doc.document.period
    if period is None:
        return
    for path, text, parsed in ctx.deadlines:
        if isinstance(parsed, Deadline) and parsed.due is not None and parsed.due > period.end:
            yield Hit(
                CODE,
                path,
                f"完成时限“{text}”（{parsed.due}）晚于规划期末 {period.end}",
                "核对年份，或改正 document.period",
            )
