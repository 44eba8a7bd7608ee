"""Reference rules (x7xx): 文号 written as GB/T 9704 wants them."""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.cn import DOC_NO
from ansheng_cli.plan.finding import Path
from ansheng_cli.validate.context import DocumentContext

__all__ = ["DOC_NO", "texts"]


def texts(ctx: DocumentContext) -> Iterator[tuple[Path, str]]:
    """Every free text of the document that may cite a 文号."""
    meta = ctx.doc.document
    if meta.doc_no:
        yield ("document", "doc_no"), meta.doc_no
    for i, text in enumerate(meta.implements):
        yield ("document", "implements", i), text
    for path, section in ctx.sections:
        yield (*path, "title"), section.title
        if section.text:
            yield (*path, "text"), section.text
    for path, task in ctx.tasks:
        for key in ("title", "text", "others"):
            value = getattr(task, key)
            if value:
                yield (*path, key), value
