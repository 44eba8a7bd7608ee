"""任务没有完成时限，所在章节和文件也没有默认时限。

为什么：没有时限的任务排不进时间节点表，也永远不会逾期，督办就无从下手。
工作要点类文件通常以年底为期限，写在 document.default_deadline 即可覆盖所有未写时限的任务；
分阶段推进的章节（如“工作步骤”的某一阶段）可在该节写 deadline，节内任务沿用。

错误示例：
    document: {…}                # 没有 default_deadline
    tasks:
      - {no: "1", lead: [市应急管理局]}     # W505

正确示例：
    document: {default_deadline: 2020年底前, …}

如何修改：为任务写 deadline，或为文件写 default_deadline；原文确无时限的，加忽略注释说明。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext

CODE = "W505"
NAME = "deadlines.missing"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for path, task in ctx.tasks:
        if task.deadline is None and ctx.inherited_deadline(path) is None:
            yield Hit(
                CODE,
                (*path, "no"),
                f"任务“{task.no}”没有完成时限，所在章节和文件也没有默认时限",
                "写明 deadline，或在章节、document 中写默认时限",
            )
