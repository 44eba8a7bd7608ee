"""完成时限的写法无法识别，原文保留，但算不出到期日期。

为什么：认不出的时限不会被猜成某个日期：原文照样导出，但这项任务进不了时间节点表，
也不会提示逾期。常见原因是少见的说法、错字，或用了还没设定日期的季节（汛期、供暖季等，
在设置 seasons 中写明开始的月、日后即可识别）。确无日期的写法（立即、随时、尽快、
与国家安排同步）不报此项。

错误示例：
    deadline: 择机完成            # W507
    deadline: 2024年汛期前        # W507，未设定 汛期 的日期

正确示例：
    deadline: 2024年6月底前
    # ansheng.toml
    [seasons]
    "汛期" = "06-01"

如何修改：改为能识别的写法（如“2024年6月底前”“每季度”“长期坚持”）；季节类时限在设置
seasons 中写明日期；照录原文的，加忽略注释说明。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.deadlines import parse_failures

CODE = "W507"
NAME = "deadlines.unknown-phrase"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    return parse_failures(
        ctx,
        CODE,
        "改为能识别的时限，如“2024年6月底前”“每季度”“长期坚持”；季节在设置 seasons 中写明日期",
    )
