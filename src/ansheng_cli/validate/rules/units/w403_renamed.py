"""单位已撤销或更名：文件日期时该单位已不存在。

为什么：机构改革后（如 2019 年市安监局并入市应急管理局），新印发的文件仍写旧单位，任务就没有实际承办单位。
判断依据：名录中该单位的 until（存续截止日期）早于文件的 date。

错误示例：
    document: {date: 2020-02-24, …}
    lead: [市安监局]          # W403：2019-02-28 起已由“市应急管理局”承接

正确示例：
    lead: [市应急管理局]

如何修改：改为承接单位（`ansheng fix --rename-to-successors`）；若是照录机构改革前的原文，加忽略注释说明。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules import Fix, FixContext
from ansheng_cli.validate.rules.units import ROLE_NAMES, unit_names

CODE = "W403"
NAME = "units.renamed"


def _successor(value: str, ctx: FixContext) -> str:
    """The unit that took over by the document date, following a chain of reorganisations;
    the name is left alone when the chain runs in a circle (E412)."""
    if ctx.registry is None or ctx.date is None:
        return value
    name, seen = value, set()
    while True:
        found = ctx.registry.resolve(name)
        unit = found.unit if found else None
        if not (unit and unit.until and unit.until < ctx.date and unit.successor):
            return name
        if unit.name in seen:
            return value
        seen.add(unit.name)
        name = unit.successor


# Renaming changes who is responsible: only when asked (ansheng fix --rename-to-successors).
FIX = Fix("unit", _successor, default=False)


def check(ctx: DocumentContext) -> Iterator[Hit]:
    if ctx.registry is None:
        return
    date = ctx.doc.document.date
    for path, role, name in unit_names(ctx):
        found = ctx.registry.resolve(name)
        if not found or found.unit.until is None or found.unit.until >= date:
            continue
        unit = found.unit
        successor = f"，由“{unit.successor}”承接" if unit.successor else ""
        yield Hit(
            CODE,
            path,
            f"{ROLE_NAMES[role]}“{name}”在文件日期 {date} 前已不存在"
            f"（存续至 {unit.until}{successor}）",
            f"改为“{unit.successor}”" if unit.successor else "改为现有的承办单位",
        )
