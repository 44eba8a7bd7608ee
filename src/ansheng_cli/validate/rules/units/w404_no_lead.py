"""任务没有牵头单位。

为什么：没有牵头单位的任务无人负总责，是督办中最常见的“悬空任务”。

错误示例：
    - no: "3"
      title: 完善考核机制
      lead: []               # W404

正确示例：
    - no: "3"
      title: 完善考核机制
      lead: [市委组织部]

如何修改：补上牵头单位；原文确未分解到单位的，用 `# ansheng: ignore-file[W404] 原文未分解到单位` 整体说明。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext

CODE = "W404"
NAME = "units.no-lead"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for path, task in ctx.tasks:
        if not task.lead:
            yield Hit(CODE, (*path, "no"), f"任务“{task.no}”没有牵头单位", "在 lead 中写明牵头单位")
