"""Walk a document model, yielding each item with its data path (for placing findings)."""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Path
from ansheng_cli.plan.models import Document, Section, Task


def sections(doc: Document) -> Iterator[tuple[Path, Section]]:
    """Every section, depth first, in document order."""

    def walk(items: list[Section], base: Path) -> Iterator[tuple[Path, Section]]:
        for i, section in enumerate(items):
            path = (*base, i)
            yield path, section
            yield from walk(section.sections, (*path, "sections"))

    yield from walk(doc.sections, ("sections",))


def tasks(doc: Document) -> Iterator[tuple[Path, Task]]:
    """Every task in document order, with its path."""
    for path, section in sections(doc):
        for j, task in enumerate(section.tasks):
            yield (*path, "tasks", j), task


def sibling_lists(doc: Document) -> Iterator[tuple[Path, list[tuple[Path, str | None]]]]:
    """Each list of siblings (sections of a parent, tasks of a section) with their numbers."""
    yield ("sections",), [(("sections", i), s.no) for i, s in enumerate(doc.sections)]
    for path, section in sections(doc):
        if section.sections:
            base = (*path, "sections")
            yield base, [((*base, i), s.no) for i, s in enumerate(section.sections)]
        if section.tasks:
            base = (*path, "tasks")
            yield base, [((*base, j), t.no) for j, t in enumerate(section.tasks)]
