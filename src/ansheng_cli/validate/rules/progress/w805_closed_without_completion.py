"""任务已销号，却没有完成记录。

为什么：销号应在任务完成、经核验之后；没有完成日期的销号，督办台账对不上。

错误示例：
    status: 已销号                   # W805（没有 done）

正确示例：
    status: 已销号
    done: 2021-06-30

如何修改：补写完成日期 done，或把状态改回实际情况。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext

CODE = "W805"
NAME = "progress.closed-without-completion"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for path, task in ctx.tasks:
        if task.status == "已销号" and task.done is None:
            yield Hit(
                CODE,
                (*path, "status"),
                f"任务“{task.no}”已销号，但没有完成记录（done）",
                "先写明完成日期 done",
            )
