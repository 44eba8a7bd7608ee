"""完成时限前后矛盾，或该有日期却算不出日期。

为什么：时限要能排出时间节点表、算出逾期。起止颠倒（“2024年12月至2024年3月”）、周期与其中的
时间不相配（“每季度第一季度”）、没写年份而文件也没有日期（“9月底前”）、从发文日期起算而文件
没有日期（“3个月内”）、季节设置的日期写错，这些时限都排不了期，只能报错，不会猜测。
只是写法认不出的时限另报 W507（警告，原文保留，不妨碍导出）。
能识别的写法举例：2018年12月、2018年底前、9月底前、2018年10月31日、一季度、年内、
2024年6月底前完成摸排，12月底前完成整治、2015年至2017年、每月5日前、每季度末、每年汛期前、
长期坚持、持续推进、2024年起、即日起、本文印发后3个月内、2024年国庆节前、春节前、立即、随时。

错误示例：
    deadline: 2024年12月至2024年3月    # E501，结束早于开始

正确示例：
    deadline: 2024年12月至2025年3月

如何修改：核对原文，改正起止年份或周期；文件缺日期的，补上 document.date。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.deadlines import parse_failures

CODE = "E501"
NAME = "deadlines.unparseable"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    return parse_failures(
        ctx, CODE, "核对起止日期与年份，改为能排期的时限，如“2018年12月底前”“每季度”“长期坚持”"
    )
