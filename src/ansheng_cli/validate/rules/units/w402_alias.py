"""使用了单位别名：应写名录中的规范名称。

为什么：同一单位写成“市安全生产监督管理局”和“市安监局”两种名称，统计时会被算成两个单位。

错误示例：
    lead: [市安全生产监督管理局]   # W402：规范名称为“市安监局”

正确示例：
    lead: [市安监局]

如何修改：改为规范名称（`ansheng fix` 可自动替换）。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules import Fix, FixContext
from ansheng_cli.validate.rules.units import ROLE_NAMES, unit_names

CODE = "W402"
NAME = "units.alias"


def _canonical(value: str, ctx: FixContext) -> str:
    found = ctx.registry.resolve(value) if ctx.registry else None
    return found.unit.name if found and found.via_alias else value


FIX = Fix("unit", _canonical)


def check(ctx: DocumentContext) -> Iterator[Hit]:
    if ctx.registry is None:
        return
    for path, role, name in unit_names(ctx):
        found = ctx.registry.resolve(name)
        if found and found.via_alias:
            yield Hit(
                CODE,
                path,
                f"{ROLE_NAMES[role]}“{name}”是别名，规范名称为“{found.unit.name}”",
                f"改为“{found.unit.name}”",
            )
