"""完成时限中有空格或全角数字。

为什么：“２０１８年 １２月”能被识别，但与其他文件的写法不一致，检索、比对（diff）时会被当成不同的时限。

错误示例：
    deadline: ２０１８年 １２月底前     # W506

正确示例：
    deadline: 2018年12月底前

如何修改：删去空格，全角数字改为半角（`ansheng fix` 可自动修改）。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.cn import tidy
from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules import Fix

CODE = "W506"
NAME = "deadlines.untidy"
FIX = Fix("deadline", lambda value, ctx: tidy(value), stage=0)


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for path, text, _parsed in ctx.deadlines:
        clean = tidy(text)
        if clean != text:
            yield Hit(CODE, path, f"完成时限“{text}”含空格或全角数字", f"改为“{clean}”")
