"""One error type for everything a command can refuse: a Chinese message and an exit code.

Commands raise :class:`AnshengError` (or a subclass naming where it comes from); ``main()``
prints it once, so no command catches and re-wraps errors of its own.
"""

from __future__ import annotations

from typing import TextIO


class AnshengError(Exception):
    """A refusal or failure the user can act on. ``exit_code`` 2: the tool could not run as
    asked; 1: it ran and refused (findings, rejected rows)."""

    exit_code = 2

    def __init__(self, message: str = "", exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    @property
    def message(self) -> str:
        return str(self)

    def show(self, err: TextIO) -> None:
        """Write the error for the user (subclasses may add a report before the line)."""
        print(f"错误：{self.message}", file=err)


class UsageProblem(AnshengError):
    """Bad arguments or paths (exit 2)."""


class ConfigProblem(AnshengError):
    """ansheng.toml cannot be read or holds a bad value (exit 2)."""


class FileProblem(AnshengError):
    """A file cannot be read or written safely (exit 2)."""
