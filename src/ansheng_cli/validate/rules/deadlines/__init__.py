"""Deadline rules (x5xx): every deadline parses, and falls inside the plan's time."""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.deadlines import DeadlineError
from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext


def parse_failures(ctx: DocumentContext, code: str, hint: str) -> Iterator[Hit]:
    """A finding for every deadline whose parse failed with ``code`` (E501, E504, W507)."""
    for path, _text, parsed in ctx.deadlines:
        if isinstance(parsed, DeadlineError) and parsed.code == code:
            yield Hit(code, path, parsed.message, hint)
