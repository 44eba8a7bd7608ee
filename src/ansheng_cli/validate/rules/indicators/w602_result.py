"""指标完成情况的表述与实际数值不符。

为什么：专栏写“实现”，但按基期值和实际值算，降幅没达到规划值，评估结论就站不住。
判断：结论含“未”视为未实现；以“基本”开头视为基本实现（只要求变化方向正确）；
其余含“实现”“达到”“完成”的视为已实现（要求实际降幅不低于规划降幅）。

错误示例：
    baseline: {year: 2010, value: 303}
    actual: {year: 2015, value: 290}
    change: {direction: decrease, percent: 10}
    result: 实现                      # W602：实际只下降 4.3%

正确示例：
    result: 未实现

如何修改：核对数值与结论；照录原文的，加忽略注释说明。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.indicators import WORDS, achieved_percent, fmt

CODE = "W602"
NAME = "indicators.result"


def _claim(result: str) -> str | None:
    if "未" in result or "没有" in result:
        return "no"
    if result.startswith("基本"):
        return "partly"
    if any(w in result for w in ("实现", "达到", "完成")):
        return "yes"
    return None


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.doc.indicators):
        base, actual, change = ind.baseline, ind.actual, ind.change
        if base is None or actual is None or change is None or not ind.result:
            continue
        claim = _claim(ind.result)
        reached = achieved_percent(base, actual.value, change)
        if claim is None or reached is None:
            continue
        met = reached >= change.percent
        wrong = (
            (claim == "yes" and not met)
            or (claim == "no" and met)
            or (claim == "partly" and reached <= 0)
        )
        if wrong:
            word = WORDS[change.direction]
            yield Hit(
                CODE,
                ("indicators", i, "result"),
                f"指标“{ind.name}”结论为“{ind.result}”，但 {base.year}—{actual.year} 年实际{word} "
                f"{fmt(reached, 1)}%，规划{word} {fmt(change.percent)}%",
                "核对数值与结论",
            )
