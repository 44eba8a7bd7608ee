"""单位名称中有空格或全角数字、字母。

为什么：“市 应急管理局”“市第１中学”与名录中的“市应急管理局”“市第1中学”对不上，按单位汇总时会被当成另一个单位。
多为从 Word 或网页复制时带进来的空格和全角字符。

错误示例：
    lead: [市 应急管理局]     # W408

正确示例：
    lead: [市应急管理局]

如何修改：删去空格，全角数字、字母改为半角（`ansheng fix` 可自动修改）。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.cn import tidy
from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules import Fix
from ansheng_cli.validate.rules.units import ROLE_NAMES, unit_names

CODE = "W408"
NAME = "units.untidy-name"
FIX = Fix("unit", lambda value, ctx: tidy(value), stage=0)


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for path, role, name in unit_names(ctx):
        clean = tidy(name)
        if clean != name:
            yield Hit(CODE, path, f"{ROLE_NAMES[role]}“{name}”含空格或全角字符", f"改为“{clean}”")
