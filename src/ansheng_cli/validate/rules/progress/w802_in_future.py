"""进展日期在今天（或 --as-of 指定的日期）之后。

为什么：还没发生的进展不能报；多半是日期录错，会让督办误以为任务已推进。

错误示例：
    progress:
      - {date: 2031-03-01, unit: 市应急管理局, text: 已完成排查}     # W802

正确示例：
    progress:
      - {date: 2021-03-01, unit: 市应急管理局, text: 已完成排查}

如何修改：核对进展日期。检查历史数据时可用 `ansheng validate --as-of 日期`。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.progress import entries

CODE = "W802"
NAME = "progress.in-future"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for path, entry in entries(ctx):
        if entry.date > ctx.as_of:
            yield Hit(
                CODE, (*path, "date"), f"进展日期 {entry.date} 晚于 {ctx.as_of}", "核对进展日期"
            )
    for path, task in ctx.tasks:
        if task.done is not None and task.done > ctx.as_of:
            yield Hit(
                CODE, (*path, "done"), f"完成日期 {task.done} 晚于 {ctx.as_of}", "核对完成日期"
            )
