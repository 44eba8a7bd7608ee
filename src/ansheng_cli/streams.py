"""The process's standard streams, made safe before any command runs: output never fails on
a character the console cannot show, and a failed write is reported once, not as noise."""

from __future__ import annotations

import sys
from typing import Any

VERBOSITY = 0  # -1 quiet (-q), 0 normal, 1 verbose (-v)


def note(text: str) -> None:
    """A message for the user beside the results (written, counted, refused…): on stderr,
    not with ``-q``."""
    if VERBOSITY >= 0 and text:
        sys.stderr.write(text if text.endswith("\n") else text + "\n")
        sys.stderr.flush()


def detail(text: str) -> None:
    """What only ``-v`` shows (which settings, which files)."""
    if VERBOSITY > 0:
        note(text)


def progress(items: list[Any], label: str) -> Any:
    """``items`` with a progress bar on stderr when the work is long enough to wait for and
    stderr is a terminal (never in CI logs, never with ``-q``)."""
    if VERBOSITY < 0 or len(items) < 50 or not sys.stderr.isatty():
        return items
    from rich.console import Console
    from rich.progress import track

    return track(items, description=label, console=Console(stderr=True), transient=True)


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
