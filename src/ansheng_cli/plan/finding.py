"""The one record every check produces and every reporter consumes."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


def severity_of(code: str) -> Severity:
    """The letter of a code is its severity: E → error, W → warning, I → info."""
    return {"E": Severity.ERROR, "W": Severity.WARNING}.get(code[:1], Severity.INFO)


Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule reports: a place given as a data path, never a line.

    ``at_key`` asks for the key's position rather than the value's (unknown keys,
    a whole task reported at its ``no``).
    """

    code: str
    path: Path
    message: str
    hint: str = ""
    at_key: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    file: str
    line: int
    column: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = field(default=Severity.ERROR)
    suppressed: bool = False
    reason: str | None = None
    detail: str = ""  # the parser's own (English) words, kept for --format json

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.column, self.code)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
            "hint": self.hint,
            "suppressed": self.suppressed,
            "reason": self.reason,
            **({"detail": self.detail} if self.detail else {}),
        }
