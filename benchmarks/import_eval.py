"""How well ``ansheng import`` recovers the hand-encoded documents.

    python benchmarks/import_eval.py

Imports each file of data/sources and compares it with data/tasks/<same name>.yaml:
task recall and precision (a task matches when its number is the same and its text starts
the same), lead- and support-unit F1 over matched tasks, and the deadline exact-match rate
over matched tasks (both empty counts as a match). Goals: ≥ 98% recall and precision,
≥ 95% unit F1, ≥ 95% deadline match.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ansheng_cli.importer import import_file  # noqa: E402
from ansheng_cli.plan.loader import load_file, load_text  # noqa: E402
from ansheng_cli.plan.models import Document, Task  # noqa: E402
from ansheng_cli.plan.shape import check_shape  # noqa: E402
from ansheng_cli.plan.walk import tasks  # noqa: E402


@dataclass
class Score:
    hand: int = 0
    imported: int = 0
    matched: int = 0
    lead: tuple[int, int, int] = (0, 0, 0)  # true positives, false positives, false negatives
    support: tuple[int, int, int] = (0, 0, 0)
    deadline_same: int = 0

    def add(self, other: Score) -> None:
        self.hand += other.hand
        self.imported += other.imported
        self.matched += other.matched
        self.lead = tuple(a + b for a, b in zip(self.lead, other.lead, strict=True))  # type: ignore[assignment]
        self.support = tuple(a + b for a, b in zip(self.support, other.support, strict=True))  # type: ignore[assignment]
        self.deadline_same += other.deadline_same


def _key(text: str | None) -> str:
    return re.sub(r"[\s，,。；;：:、（）()“”\"]", "", text or "")[:12]


def _f1(tp: int, fp: int, fn: int) -> float:
    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


def score(hand: Document, imported: Document) -> Score:
    s = Score()
    mine = [t for _, t in tasks(imported)]
    theirs = [t for _, t in tasks(hand)]
    s.hand, s.imported = len(theirs), len(mine)
    free = list(mine)
    lead, support = [0, 0, 0], [0, 0, 0]
    for want in theirs:
        got = _match(want, free)
        if got is None:
            continue
        free.remove(got)
        s.matched += 1
        for acc, a, b in ((lead, want.lead, got.lead), (support, want.support, got.support)):
            acc[0] += len(set(a) & set(b))
            acc[1] += len(set(b) - set(a))
            acc[2] += len(set(a) - set(b))
        s.deadline_same += want.deadline == got.deadline
    s.lead, s.support = tuple(lead), tuple(support)  # type: ignore[assignment]
    return s


def _match(want: Task, candidates: list[Task]) -> Task | None:
    keys = {_key(want.text), _key(want.title)} - {""}
    for got in candidates:
        if got.no == want.no and ({_key(got.text), _key(got.title)} & keys):
            return got
    return None


def _doc(data: Any) -> Document:
    doc, problems = check_shape(Document, data)
    if doc is None:
        raise SystemExit(f"imported draft does not validate: {problems[:3]}")
    return doc


def main() -> None:
    total = Score()
    rows = []
    for source in sorted((ROOT / "data" / "sources").glob("*.txt")):
        text, _ = import_file(source)
        imported = _doc(load_text(source, text).data)
        hand = _doc(load_file(ROOT / "data" / "tasks" / f"{source.stem}.yaml").data)
        s = score(hand, imported)
        total.add(s)
        rows.append((source.stem, s))
    rows.append(("total", total))
    print(
        f"{'document':<26} {'tasks':>5} {'found':>5} {'recall':>7} {'precis.':>7} {'lead F1':>7} {'supp F1':>7} {'deadline':>8}"
    )
    for name, s in rows:
        recall = s.matched / s.hand if s.hand else 1.0
        precision = s.matched / s.imported if s.imported else 1.0
        deadline = s.deadline_same / s.matched if s.matched else 1.0
        print(
            f"{name:<26} {s.hand:>5} {s.imported:>5} {recall:>7.1%} {precision:>7.1%} "
            f"{_f1(*s.lead):>7.1%} {_f1(*s.support):>7.1%} {deadline:>8.1%}"
        )
    print("\nGoals: recall and precision ≥ 98%, unit F1 ≥ 95%, deadline match ≥ 95%.")


if __name__ == "__main__":
    main()
