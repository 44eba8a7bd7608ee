"""进展日期早于文件日期。

为什么：任务在文件印发前不可能有进展，多半是年份写错（2020 写成 2019）。

错误示例：
    document: {date: 2021-02-20, …}
    progress:
      - {date: 2020-03-01, unit: 市应急管理局, text: 已完成排查}     # W801

正确示例：
    progress:
      - {date: 2021-03-01, unit: 市应急管理局, text: 已完成排查}

如何修改：核对进展日期。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.progress import entries

CODE = "W801"
NAME = "progress.before-document"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    date = ctx.doc.document.date
    for path, entry in entries(ctx):
        if entry.date < date:
            yield Hit(
                CODE, (*path, "date"), f"进展日期 {entry.date} 早于文件日期 {date}", "核对年份"
            )
