"""文号括号不规范：年份应使用六角括号〔〕。

为什么：GB/T 9704—2012 规定发文字号的年份用六角括号“〔〕”；﹝﹞、[]、【】、（）是常见的误用，
同一文件里混用还会让按文号检索失效。检查文号字段和正文中引用的文号。

错误示例：
    text: 按照《……建设方案》（安委办﹝2014﹞14号）……     # W701

正确示例：
    text: 按照《……建设方案》（安委办〔2014〕14号）……

如何修改：改为〔〕（`ansheng fix` 可自动替换）；照录原文的，加忽略注释说明。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules import Fix, FixContext
from ansheng_cli.validate.rules.references import DOC_NO, texts

CODE = "W701"
NAME = "references.brackets"


def _brackets(value: str, ctx: FixContext) -> str:
    return DOC_NO.sub(lambda m: f"{m['org']}〔{m['year']}〕{m['seq']}号", value)


FIX = Fix("text", _brackets)


def check(ctx: DocumentContext) -> Iterator[Hit]:
    for path, text in texts(ctx):
        for m in DOC_NO.finditer(text):
            if m["open"] != "〔" or m["close"] != "〕":
                good = f"{m['org']}〔{m['year']}〕{m['seq']}号"
                yield Hit(CODE, path, f"文号“{m.group(0)}”的年份括号不规范", f"改为“{good}”")
