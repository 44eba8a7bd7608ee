"""Suppression comments in the data: ``# ansheng: ignore[W301] 原因``.

A directive after content acknowledges findings on that line; a directive on a line of
its own acknowledges the next line with content. ``ignore-file[...]`` anywhere
acknowledges its codes in the whole file. Codes may be prefixes (W3). A reason is required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_DIRECTIVE = re.compile(
    r"#\s*ansheng:\s*(?P<kind>ignore-file|ignore)\s*\[(?P<codes>[^\]]*)\]\s*(?P<reason>.*?)\s*$"
)


@dataclass
class Directive:
    line: int  # where the comment is
    column: int
    codes: tuple[str, ...]
    reason: str
    file_wide: bool
    target: int | None = None  # the line it covers
    used: set[str] = field(default_factory=set)

    def covers(self, code: str, line: int) -> str | None:
        """The directive code that acknowledges ``code`` at ``line``, if any."""
        if not (self.file_wide or self.target == line):
            return None
        return next((c for c in self.codes if code.startswith(c)), None)


def parse_directives(text: str) -> list[Directive]:
    if "ansheng:" not in text:
        return []
    out: list[Directive] = []
    pending: list[Directive] = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = _DIRECTIVE.search(line) if "ansheng:" in line else None
        content = (line[: m.start()] if m else line).strip()
        has_content = bool(content) and not content.startswith("#")
        if has_content:
            for d in pending:
                d.target = number
            pending = []
        if not m:
            continue
        codes = tuple(c.strip().upper() for c in m["codes"].split(",") if c.strip())
        d = Directive(number, m.start() + 1, codes, m["reason"], m["kind"] == "ignore-file")
        out.append(d)
        if not d.file_wide:
            if has_content:
                d.target = number
            else:
                pending.append(d)
    return out


_PENDING = re.compile(r"#\s*待核对")


def pending_marks(text: str) -> list[tuple[int, int, str]]:
    """``# 待核对：…`` comments that ``ansheng import`` left for a person: (line, column, text)."""
    if "待核对" not in text:
        return []
    out = []
    for number, line in enumerate(text.splitlines(), start=1):
        m = _PENDING.search(line)
        if m:
            out.append((number, m.start() + 1, line[m.start() + 1 :].strip()))
    return out
