"""把“相关部门”等兜底说法写成了单位。

为什么：“相关部门”不是一个单位，放在 lead/support 中会在按单位统计时多出一个不存在的单位。
这类说法应写在 others 字段，原文照录、不丢弃。

错误示例：
    lead: [市应急管理局, 相关部门]     # W407

正确示例：
    lead: [市应急管理局]
    others: 相关部门

如何修改：把它移到 others。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.plan.registry import BUILTIN_CATCH_ALLS
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules import Fix, FixContext
from ansheng_cli.validate.rules.units import ROLE_NAMES, unit_names

CODE = "W407"
NAME = "units.catch-all-as-unit"


def _catch_all(value: str, ctx: FixContext) -> str | list[str]:
    catch_alls = ctx.registry.catch_alls if ctx.registry else BUILTIN_CATCH_ALLS
    return [] if value in catch_alls else value


FIX = Fix("unit", _catch_all, move_to="others")


def check(ctx: DocumentContext) -> Iterator[Hit]:
    catch_alls = ctx.registry.catch_alls if ctx.registry else BUILTIN_CATCH_ALLS
    for path, role, name in unit_names(ctx):
        if name in catch_alls:
            yield Hit(
                CODE,
                path,
                f"“{name}”是兜底说法，不是具体单位，不应列入{ROLE_NAMES[role]}",
                f"移到 others 字段：others: {name}",
            )
