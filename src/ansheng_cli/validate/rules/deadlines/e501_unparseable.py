"""完成时限无法识别。

为什么：时限只有能解析成日期、周期或“长期坚持”，才能排出时间节点表、算出逾期。
ansheng 从不猜测：认不出的写法一律报告，并原样引用。
能识别的写法举例：2018年12月、2018年底前、2017年年底前、9月底前、2018年10月31日、
每年第一季度、每季度、每半年至少1次、每3年、长期坚持、持续推进、2015年至2017年、
2018年和2019年、利用2年时间。

错误示例：
    deadline: 尽快              # E501

正确示例：
    deadline: 2018年12月底前

如何修改：改为上面的规范写法之一；原文确无明确时限的，删去 deadline 并使用 default_deadline。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.deadlines import DeadlineError
from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext

CODE = "E501"
NAME = "deadlines.unparseable"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for path, _text, parsed in ctx.deadlines:
        if isinstance(parsed, DeadlineError) and parsed.code == CODE:
            yield Hit(
                CODE,
                path,
                parsed.message,
                "改写为可识别的时限，如“2018年12月底前”“每季度”“长期坚持”",
            )
