"""The process's standard streams, made safe before any command runs: output never fails on
a character the console cannot show, and a failed write is reported once, not as noise."""

from __future__ import annotations

import sys
from typing import Any


def prepare() -> None:
    safe_encoding()
    quiet_finalizers()


def quiet_finalizers() -> None:
    """A write that failed (disk full) is reported once, in Chinese; the library objects
    left half-written must not add an "Exception ignored … Traceback" when collected."""
    default = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, OSError):
            return
        default(unraisable)

    sys.unraisablehook = hook


def safe_encoding() -> None:
    """Never fail on a character the console cannot show (⑳ on a GBK console): redirected
    output is written as UTF-8, a terminal gets a replacement character instead."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding == "utf8" or not hasattr(stream, "reconfigure"):
            continue
        if stream.isatty():
            stream.reconfigure(errors="replace")
        else:
            stream.reconfigure(encoding="utf-8", errors="replace")
