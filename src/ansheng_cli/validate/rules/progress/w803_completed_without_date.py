"""任务标为“已完成”却没有完成日期。

为什么：没有完成日期就无法判断是否按期完成，统计完成率和逾期时也会出错。

错误示例：
    status: 已完成                   # W803

正确示例：
    status: 已完成
    done: 2021-06-30

如何修改：写明 done（完成日期）。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext

CODE = "W803"
NAME = "progress.completed-without-date"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for path, task in ctx.tasks:
        if task.status == "已完成" and task.done is None:
            yield Hit(
                CODE,
                (*path, "status"),
                f"任务“{task.no}”标为已完成，但没有完成日期",
                "写明 done: 完成日期",
            )
