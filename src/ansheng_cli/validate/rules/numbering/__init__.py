"""Numbering rules (x3xx): siblings numbered as printed must run 1, 2, 3 …"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ansheng_cli.plan.finding import Path
from ansheng_cli.plan.models import Document
from ansheng_cli.plan.numbering import Number, parse_number
from ansheng_cli.plan.walk import sibling_lists


def numbered_lists(doc: Document) -> Iterator[tuple[Path, list[tuple[Path, str, Number]]]]:
    """Each sibling list with its parsable numbers (labels such as 专栏3 are left out)."""
    for base, items in sibling_lists(doc):
        parsed = [(path, no, n) for path, no in items if no and (n := parse_number(no))]
        if parsed:
            yield base, parsed


def dominant(items: list[tuple[Path, str, Number]]) -> str:
    """The style most items of a list use (the first seen wins a tie)."""
    return Counter(n.style for _, _, n in items).most_common(1)[0][0]
