"""Mechanical text repairs shared by the rules that find them and ``ansheng fix``."""

from __future__ import annotations

import re

# Full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ) → ASCII; full-width punctuation such as
# （） is correct Chinese typography and is left alone.
_WIDE = {
    cp: cp - 0xFEE0
    for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))
}
_SPACE = re.compile(r"[\s\u3000]+")


def tidy(text: str) -> str:
    """A unit name or deadline without spaces and with ASCII digits and letters."""
    return _SPACE.sub("", text.translate(_WIDE))
