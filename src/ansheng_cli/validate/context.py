"""What a rule sees of one document: the model, its registry, and shared derived facts.

Derived facts (parsed deadlines, walked tasks) are computed once here, not per rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from ansheng_cli.plan import walk
from ansheng_cli.plan.deadlines import Deadline, DeadlineError, parse
from ansheng_cli.plan.finding import Path
from ansheng_cli.plan.models import Document, Section, Task, UnitRegistry
from ansheng_cli.plan.registry import Registry


@dataclass
class DocumentContext:
    doc: Document
    registry: Registry | None = None
    registry_problem: str | None = None  # why no registry could be used
    as_of: dt.date = field(default_factory=dt.date.today)  # "today" for progress checks
    seasons: dict[str, str] = field(default_factory=dict)  # named seasons from the settings

    @cached_property
    def tasks(self) -> list[tuple[Path, Task]]:
        return list(walk.tasks(self.doc))

    @cached_property
    def sections(self) -> list[tuple[Path, Section]]:
        return list(walk.sections(self.doc))

    @cached_property
    def section_deadlines(self) -> dict[Path, str]:
        """Each section's deadline as its tasks inherit it (its own, else its parent's)."""
        out: dict[Path, str] = {}
        for path, section in self.sections:
            parent = path[:-2]
            inherited = section.deadline or out.get(parent)
            if inherited:
                out[path] = inherited
        return out

    def inherited_deadline(self, task_path: Path) -> str | None:
        """What a task without a deadline falls back to: its section's, else the default."""
        return self.section_deadlines.get(task_path[:-2]) or self.doc.document.default_deadline

    @cached_property
    def deadlines(self) -> list[tuple[Path, str, Deadline | DeadlineError]]:
        """Every deadline text in the document (default first) with its parse."""
        out: list[tuple[Path, str, Deadline | DeadlineError]] = []
        base = self.doc.document.date
        texts: list[tuple[Path, str | None]] = [
            (("document", "default_deadline"), self.doc.document.default_deadline)
        ]
        texts += [((*path, "deadline"), section.deadline) for path, section in self.sections]
        for path, task in self.tasks:
            if isinstance(task.deadline, list):
                texts += [
                    ((*path, "deadline", i, "when"), m.when) for i, m in enumerate(task.deadline)
                ]
            else:
                texts.append(((*path, "deadline"), task.deadline))
        for path, text in texts:
            if text is None:
                continue
            try:
                out.append((path, text, parse(text, base, self.seasons)))
            except DeadlineError as exc:
                out.append((path, text, exc))
        return out


@dataclass
class RegistryContext:
    registry: UnitRegistry
