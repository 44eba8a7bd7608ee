"""Text that is safe to show and to write: control characters made visible or dropped,
long lines clipped around the place that matters."""

from __future__ import annotations

import re

# C0 controls but tab/newline/CR, DEL, C1 controls, and the bidirectional overrides and
# isolates that make text display differently from what it is (U+202A–E, U+2066–9).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# Characters XML 1.0 cannot hold at all (xlsx, docx, junit are XML).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def printable(text: str) -> str:
    """For a terminal or a log: control characters shown as ``\\x1b``/``\\u202e``, never sent."""
    return CONTROL.sub(lambda m: repr(m.group(0))[1:-1], text)


def xml_safe(text: str) -> str:
    """For an XML-based file: characters XML cannot hold become U+FFFD."""
    return NOT_XML.sub("\ufffd", text)


def clip(line: str, column: int, width: int = 160) -> tuple[str, int]:
    """A window of ``line`` about ``width`` characters wide around ``column`` (1-based), with
    … where it was cut, and the column within the window."""
    if len(line) <= width:
        return line, column
    start = max(0, min(column - 1 - width // 3, len(line) - width))
    end = start + width
    head = "…" if start > 0 else ""
    tail = "…" if end < len(line) else ""
    return head + line[start:end] + tail, column - start + len(head)


def invisible(text: str) -> bool:
    """Whether ``text`` holds a character a person cannot see or type into a name: controls
    (tab, line breaks), format characters (zero-width space, bidi marks), line and
    paragraph separators."""
    import unicodedata

    return any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text)
