"""文号格式不对：应为“机关代字〔年份〕序号号”。

为什么：文号是检索和引用文件的依据。GB/T 9704—2012 规定由发文机关代字、年份、发文顺序号组成，
年份标全称，序号不编虚位（写“1号”，不写“001号”）。

错误示例：
    doc_no: 兴安办2020年20号      # W702
    doc_no: 兴安办〔2020〕020号   # W702：序号编了虚位

正确示例：
    doc_no: 兴安办〔2020〕20号

如何修改：按原文核对并改正。
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.references import DOC_NO

CODE = "W702"
NAME = "references.doc-no"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    doc_no = ctx.doc.document.doc_no
    if doc_no is None:
        return
    m = DOC_NO.fullmatch(doc_no.strip())
    if m is None or not re.fullmatch(r"[\u4e00-\u9fff]+", m["org"]):
        yield Hit(
            CODE,
            ("document", "doc_no"),
            f"文号“{doc_no}”格式不对",
            "写成“机关代字〔年份〕序号号”，如 兴安办〔2020〕20号",
        )
    elif m["seq"].startswith("0"):
        yield Hit(
            CODE,
            ("document", "doc_no"),
            f"文号“{doc_no}”的序号编了虚位",
            f"改为“{m['org']}〔{m['year']}〕{int(m['seq'])}号”",
        )
