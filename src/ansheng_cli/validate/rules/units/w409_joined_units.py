"""两个单位写成了一项：如“市委办、市政府办”应分为两项。

为什么：写在一起的两个单位在名录中找不到，统计、任务清单和督办都会把它当成一个不存在的单位；
每个单位都应单独列出，才能各自收到任务。

错误示例：
    lead: [市委办、市政府办]        # W409

正确示例：
    lead: [市委办, 市政府办]

如何修改：按“、”分为几项（`ansheng fix` 可自动拆分）。
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules import Fix, FixContext
from ansheng_cli.validate.rules.units import ROLE_NAMES, unit_names

CODE = "W409"
NAME = "units.joined"

# 、 outside any bracket separates names; 各县（市、区） is one name
_SEPARATOR = re.compile(r"、(?![^（(〔［\[]*[）)〕］\]])")


def parts(name: str, ctx: FixContext | DocumentContext) -> list[str] | None:
    """The units a joined name is made of, when every part is a unit of the registry."""
    if ctx.registry is None or "、" not in name:
        return None
    pieces = [p.strip() for p in _SEPARATOR.split(name) if p.strip()]
    if len(pieces) < 2 or ctx.registry.resolve(name):
        return None
    return pieces if all(ctx.registry.resolve(p) for p in pieces) else None


def _split(value: str, ctx: FixContext) -> str | list[str]:
    return parts(value, ctx) or value


FIX = Fix("unit", _split)


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for path, role, name in unit_names(ctx):
        found = parts(name, ctx)
        if found:
            yield Hit(
                CODE,
                path,
                f"{ROLE_NAMES[role]}“{name}”是{len(found)}个单位写在一项里",
                "分为几项：" + "、".join(f"“{p}”" for p in found),
            )
