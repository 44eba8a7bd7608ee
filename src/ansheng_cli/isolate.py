"""Run a reader of an untrusted file in a forked child bounded in memory and time.

A damaged .xls made calamine abort the whole process ("memory allocation of 343592530080
bytes failed"), an 8 KB .ods swelled to 12 GB, and a cut-off sheet raises calamine's own
errors halfway through reading. In a child, each of these ends in :class:`Unreadable` for
that one file, and the command goes on with the others. Where there is no fork (Windows)
the reader runs in this process.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

from ansheng_cli.errors import AnshengError

MEMORY = 1024 * 1024 * 1024  # what the reader may use beyond what the process already has
SECONDS = 60  # a 20,000-row sheet takes well under a second

T = TypeVar("T")


class Unreadable(AnshengError):
    """The reader died, ran out of time, or raised something other than our own problem;
    ``reason`` says which, for the caller's message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def isolated(read: Callable[..., T], *args: Any, seconds: int = SECONDS) -> T:
    """``read(*args)`` in a child. Our own problems (an :class:`AnshengError`, e.g. "no such
    sheet") come back as they were raised; anything else is :class:`Unreadable`."""
    import pickle

    if not hasattr(os, "fork"):  # pragma: no cover - Windows
        try:
            return read(*args)
        except AnshengError:
            raise
        except Exception as exc:  # the library's own error types, for every bad file
            raise Unreadable(str(exc)[:200]) from None
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        status = 1
        try:
            os.close(read_end)
            _bound(seconds)
            result: tuple[str, Any]
            try:
                result = ("ok", read(*args))
            except AnshengError as exc:
                result = ("problem", exc)
            except Exception as exc:  # the library's own error types, for every bad file
                result = ("error", str(exc)[:200])
            with os.fdopen(write_end, "wb") as pipe:
                try:
                    pipe.write(pickle.dumps(result))
                except (pickle.PicklingError, TypeError, AttributeError):
                    pipe.write(pickle.dumps(("error", str(result[1])[:200])))
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        payload = _collect(read_end, pid, seconds)
    finally:
        os.close(read_end)
    if payload is None:
        raise Unreadable(f"超时（{seconds} 秒）")
    _, status = os.waitpid(pid, 0)
    if status != 0 or not payload:
        raise Unreadable("已损坏或过于庞大")
    kind, value = pickle.loads(payload)  # our own child's answer
    if kind == "problem":
        raise value
    if kind == "error":
        raise Unreadable(value)
    return value  # type: ignore[no-any-return]


def _bound(seconds: int) -> None:
    """Limits of the child: memory (where the kernel enforces it), CPU time; its error
    output goes nowhere, as a Rust panic prints a backtrace."""
    import faulthandler
    import resource

    faulthandler.disable()  # its report of the abort would go to a copy of stderr
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard == resource.RLIM_INFINITY or hard > seconds + 1:  # else we were given less
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # no /proc (macOS, which does not enforce RLIMIT_AS either)
    limit = used + MEMORY
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    if soft == resource.RLIM_INFINITY or soft > limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _collect(fd: int, pid: int, seconds: int) -> bytes | None:
    """Everything the child writes, or None when it runs past the time bound (then it is
    killed). Interrupted (Ctrl+C), the child is killed too."""
    import select
    import signal
    import time

    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    done = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return None
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                done = True
                return b"".join(chunks)
            chunks.append(chunk)
    finally:
        if not done:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
