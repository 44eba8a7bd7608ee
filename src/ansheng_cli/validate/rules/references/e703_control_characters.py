"""文字中有控制字符：如 NUL、退格、ESC 或改变文字方向的隐藏字符。

为什么：控制字符在屏幕上看不见，却会让导出的 Excel、Word 文件损坏或无法打开，
在终端里还可能改变显示内容；改变文字方向的字符（如 U+202E）会让文字看起来与实际不同。
它们多半来自从网页或其他软件复制粘贴。

错误示例：
    title: "加强\\x01隐患排查"      # E703：含控制字符 U+0001

正确示例：
    title: 加强隐患排查

如何修改：删除这些字符（在编辑器中显示不可见字符后删去，或重新输入这段文字）。
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ansheng_cli.plan.finding import Hit, Path
from ansheng_cli.plan.text import CONTROL
from ansheng_cli.validate.context import DocumentContext

CODE = "E703"
NAME = "references.control-characters"


def _strings(value: Any, path: Path) -> Iterator[tuple[Path, str]]:
    from pydantic import BaseModel

    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            yield from _strings(getattr(value, name), (*path, field.alias or name))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


# In the document as JSON, control characters show as \u00XX escapes, the others as they are.
_IN_JSON = re.compile(
    r"\\u00(?:0[0-8bcef]|1[0-9a-f]|7f|[89][0-9a-f])|[\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def check(ctx: DocumentContext) -> Iterator[Hit]:
    if not _IN_JSON.search(ctx.doc.model_dump_json()):
        return  # the usual case, decided in one pass over the serialised document
    for path, text in _strings(ctx.doc, ()):
        found = CONTROL.search(text)
        if found:
            yield Hit(
                CODE,
                path,
                f"文字中有控制字符 U+{ord(found.group(0)):04X}（看不见，但会损坏导出文件）",
                "删除这个字符，或重新输入这段文字",
            )
