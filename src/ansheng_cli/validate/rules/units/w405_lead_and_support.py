"""同一单位既是牵头单位又是配合单位。

为什么：一个单位不能自己配合自己，这通常是复制时多粘了一次，或别名与规范名各写了一次。
比较时先把别名换成规范名称。

错误示例：
    lead: [市应急管理局]
    support: [市应急管理局, 市公安局]     # W405

正确示例：
    lead: [市应急管理局]
    support: [市公安局]

如何修改：从配合单位中删去该单位。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext

CODE = "W405"
NAME = "units.lead-and-support"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for path, task in ctx.tasks:
        leads = {_canonical(ctx, name) for name in task.lead}
        for i, name in enumerate(task.support):
            if _canonical(ctx, name) in leads:
                yield Hit(
                    CODE,
                    (*path, "support", i),
                    f"“{name}”已是牵头单位，又列为配合单位",
                    "从配合单位中删去",
                )


def _canonical(ctx: DocumentContext, name: str) -> str:
    found = ctx.registry.resolve(name) if ctx.registry else None
    return found.unit.name if found else name
