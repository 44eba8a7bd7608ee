"""What validation found: one :class:`FileResult` per file, gathered in a :class:`Report`.

Reporters and the commands that render or supervise depend on this result, not on the
checker that produced it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ansheng_cli.plan.finding import Finding, Severity

if TYPE_CHECKING:
    from ansheng_cli.plan.models import Document
    from ansheng_cli.plan.registry import Registry


@dataclass
class FileResult:
    display: str
    kind: str  # document | registry | unknown
    text: str
    findings: list[Finding] = field(default_factory=list)
    model: Document | None = None  # the document, when its shape is valid
    registry: Registry | None = None  # the registry the document was checked against
    doc_id: tuple[str, int, int] | None = None  # document.id and where it is written

    @property
    def failed(self) -> bool:
        """Has an unsuppressed error: not safe to render."""
        return any(f.severity == Severity.ERROR and not f.suppressed for f in self.findings)


@dataclass
class Report:
    files: list[FileResult]
    strict: bool = False

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.files for f in result.findings]

    def count(self, severity: Severity, suppressed: bool = False) -> int:
        return sum(
            1 for f in self.findings if f.severity == severity and f.suppressed == suppressed
        )

    @property
    def suppressed(self) -> int:
        return sum(1 for f in self.findings if f.suppressed)

    @property
    def failed(self) -> bool:
        levels = {Severity.ERROR, Severity.WARNING} if self.strict else {Severity.ERROR}
        return any(f.severity in levels and not f.suppressed for f in self.findings)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0
