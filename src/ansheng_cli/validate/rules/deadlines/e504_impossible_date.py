"""完成时限中的日期不存在（如 2月30日、13月）。

为什么：不存在的日期无法排期，往往是笔误（2月20日？3月30日？）。

错误示例：
    deadline: 2021年2月30日前     # E504

正确示例：
    deadline: 2021年2月28日前

如何修改：核对原文，改为真实存在的日期。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.deadlines import parse_failures

CODE = "E504"
NAME = "deadlines.impossible-date"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    return parse_failures(ctx, CODE, "核对原文，改为真实存在的日期")
