"""Round trip: importing what ``ansheng export`` wrote gives back the same tasks, units and
deadlines, for every bundled document and every table-like format (xlsx, docx, txt)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ansheng_cli.importer import import_file
from ansheng_cli.plan.loader import load_file, load_text
from ansheng_cli.plan.models import Document, deadline_words
from ansheng_cli.plan.shape import check_shape
from ansheng_cli.plan.walk import tasks
from tests.clirun import run

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = sorted((ROOT / "data" / "tasks").glob("*.yaml"))


def _others(text: str | None) -> frozenset[str]:
    return frozenset(n for n in re.split(r"[、，,]", text or "") if n)


def summary(doc: Document, first_milestone: bool = False) -> list[tuple[object, ...]]:
    """What must survive the round trip: number, units and deadline of every task (the
    deadline in force: the task's own, else its section's, else the document default — an
    export prints the one in force)."""
    out: list[tuple[object, ...]] = []
    for path, t in tasks(doc):
        # milestones are printed as one line (2024年6月底前完成摸排；…); a table cell gives it
        # back whole, a line of running text its first milestone
        own = deadline_words(t.deadline)
        if first_milestone and own and isinstance(t.deadline, list):
            own = own.split("；")[0]
        deadline = own or _inherited(doc, path) or doc.document.default_deadline
        out.append((t.no, tuple(t.lead), tuple(t.support), _others(t.others), deadline))
    return out


def _inherited(doc: Document, path: tuple[object, ...]) -> str | None:
    """The deadline of the nearest enclosing section that states one."""
    found = None
    sections = doc.sections
    for i in range(1, len(path) - 2, 2):
        section = sections[path[i]]  # type: ignore[index]
        found = section.deadline or found
        sections = section.sections
    return found


def _load(path: Path, text: str | None = None) -> Document:
    data = load_text(path, text).data if text is not None else load_file(path).data
    doc, problems = check_shape(Document, data)
    assert doc is not None, problems
    return doc


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "txt"])
@pytest.mark.parametrize("source", DOCUMENTS, ids=[p.stem for p in DOCUMENTS])
def test_import_of_an_export_gives_the_same_tasks(tmp_path: Path, source: Path, fmt: str) -> None:
    out = tmp_path / f"{source.stem}.{fmt}"
    code, output = run(ROOT, "export", str(source), "--to", fmt, "-o", str(out), "--force")
    assert code == 0, output
    text, _ = import_file(out)
    assert summary(_load(out, text), fmt == "txt") == summary(_load(source), fmt == "txt")
