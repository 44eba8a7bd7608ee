"""指标目标值与基期值、规划降幅不一致。

为什么：专栏里“2015年 2.53，2020年 ≤2.15，下降 6%”三者互相矛盾（2.53 下降 6% 是 2.38，
降到 2.15 是下降 15%），印发后考核时按哪个数都说不清。
计算：基期值 ×（1 ∓ 百分比）与目标值比较，允许误差为目标值印刷精度的一个末位单位
（目标 0.206 允许 ±0.001，目标 17 允许 ±1）。

错误示例：
    baseline: {year: 2015, value: 2.53}
    target: {year: 2020, op: "<=", value: 2.15}
    change: {direction: decrease, percent: 6}      # W601

正确示例：
    baseline: {year: 2015, value: 2.53}
    target: {year: 2020, op: "<=", value: 2.15}
    change: {direction: decrease, percent: 15}

如何修改：核对原文的基期值、目标值和降幅；照录原文的，加忽略注释引用原文说明。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.indicators import WORDS, achieved_percent, fmt, planned, unit_of

CODE = "W601"
NAME = "indicators.target"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for i, ind in enumerate(ctx.doc.indicators):
        base, target, change = ind.baseline, ind.target, ind.change
        if base is None or target is None or change is None:
            continue
        expected = planned(base, change)
        if abs(expected - target.value) <= unit_of(target.value):
            continue
        word = WORDS[change.direction]
        reached = achieved_percent(base, target.value, change)
        implied = (
            f"（目标值相当于{word} {fmt(reached, 1)}%）"
            if reached is not None
            else f"（基期值为 0，无法再{word} {fmt(change.percent)}%）"
        )
        yield Hit(
            CODE,
            ("indicators", i, "target", "value"),
            f"指标“{ind.name}”：{base.year}年 {fmt(base.value)} {word} {fmt(change.percent)}% "
            f"应为 {fmt(expected)}，目标却是 {target.op}{fmt(target.value)}{implied}",
            "核对基期值、目标值与降幅；照录原文的，加忽略注释说明",
        )
