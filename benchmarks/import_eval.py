"""How well ``ansheng import`` recovers hand-checked task breakdowns.

    python benchmarks/import_eval.py            # both sets
    python benchmarks/import_eval.py --bundled  # only data/
    python benchmarks/import_eval.py --corpus   # only ../shared/corpus

Two sets are scored the same way:

* the bundled sources: each file of data/sources imported and compared with
  data/tasks/<same name>.yaml (hand-encoded);
* the development corpus (../shared/corpus relative to the repository, skipped when absent):
  each ``NN_*.txt`` imported and compared with ``NN_*.expected.json`` (hand-checked ground
  truth; see the corpus README).

Per document: task recall (matched / ground-truth tasks) and precision (matched / imported
tasks), F1 of lead, support and others units over matched tasks, the deadline match rate over
matched tasks, and ``role``: the number of imported unit names that still hold a role word
(牵头, 负责, 配合, 按职责, 组织落实, 等…有关) — should be 0.

How tasks are matched (one to one, greedily, in ground-truth order):

1. same number and same start of text: the last label of the printed number (``（二）5`` → ``5``,
   ``三、（十二）一是`` → ``一是``) equals the imported ``no`` (brackets, dots and widths
   normalised), and the first 6 characters of the ground-truth title (punctuation and spaces
   removed) occur in the first 60 characters of the imported title + text;
2. failing that, text alone: the first 10 characters of the ground-truth title occur at the start
   (first 24 characters) of the imported title + text — for unnumbered tasks and for numbers the
   importer writes differently (``第一阶段``, ``附件1``).

Units are compared as sets after removing spaces; ``others`` (a text in ansheng/v1) is split on
， and ； (the importer joins several catch-alls with ，; a sector list 公安、文化等部门 is one). A deadline matches when both are empty, or when, spaces removed, one contains the
other (``于2021年12月20日前完成`` matches ``2021年12月20日前``).

Where the ground truth lists only a spread sample (task_count > listed tasks), precision is
estimated as min(1, recall × task_count / imported).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ansheng_cli.importer import import_file  # noqa: E402
from ansheng_cli.plan.loader import load_file, load_text  # noqa: E402
from ansheng_cli.plan.models import Document, Task, deadline_words  # noqa: E402
from ansheng_cli.plan.shape import check_shape  # noqa: E402
from ansheng_cli.plan.walk import tasks  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
ROLE_WORDS = re.compile(r"牵头|负责|配合|按职责|组织落实|等.{0,8}有关")
# a catch-all may hold 牵头 (局各牵头单位) but never end with a role or say 按职责/负责
ROLE_TAIL = re.compile(r"(牵头|负责|配合|组织落实|参与|协助)$|按职责|负责")
Counts = list[int]  # true positives, false positives, false negatives


@dataclass
class Want:
    """One ground-truth task, from either set."""

    no: str | None
    title: str
    lead: list[str]
    support: list[str]
    others: list[str]
    deadline: str | None


@dataclass
class Score:
    hand: int = 0
    imported: int = 0
    matched: int = 0
    lead: Counts = field(default_factory=lambda: [0, 0, 0])
    support: Counts = field(default_factory=lambda: [0, 0, 0])
    others: Counts = field(default_factory=lambda: [0, 0, 0])
    deadline_same: int = 0
    role_words: int = 0
    expected_count: int = 0  # the document's full task count (> hand when sampled)
    missed: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.hand += other.hand
        self.imported += other.imported
        self.matched += other.matched
        for mine, theirs in (
            (self.lead, other.lead),
            (self.support, other.support),
            (self.others, other.others),
        ):
            for i in range(3):
                mine[i] += theirs[i]
        self.deadline_same += other.deadline_same
        self.role_words += other.role_words
        self.expected_count += other.expected_count

    @property
    def recall(self) -> float:
        return self.matched / self.hand if self.hand else 1.0

    @property
    def precision(self) -> float:
        if not self.imported:
            return 1.0 if not self.hand else 0.0
        if self.expected_count > self.hand:  # a sampled ground truth
            return min(1.0, self.recall * self.expected_count / self.imported)
        return min(1.0, self.matched / self.imported)

    @property
    def deadline(self) -> float:
        return self.deadline_same / self.matched if self.matched else 1.0


def _f1(tp: int, fp: int, fn: int) -> float:
    return 1.0 if tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)


_PUNCT = re.compile(r"[\s，,。；;：:、（）()“”\"‘’《》〔〕【】!！?？·.．…—-]")


def _norm(text: str | None) -> str:
    return _PUNCT.sub("", text or "")


def _label(no: str | None) -> str:
    """The last label of a printed number, normalised: （二）5 → 5, 二、（一） → 一."""
    if not no:
        return ""
    text = no.replace("(", "（").replace(")", "）").replace(" ", "")
    parts = re.findall(r"（[^（）]+）|[一二三四五六七八九十百]+是|[^（）、.．]+", text)
    last = parts[-1] if parts else text
    return last.strip("（）、.．")


def _units(names: list[str]) -> set[str]:
    return {re.sub(r"\s+", "", n) for n in names if n.strip()}


def _others(text: str | list[str] | None) -> set[str]:
    if not text:
        return set()
    items = text if isinstance(text, list) else re.split(r"[，,；;]", text)
    return _units(items)


def _deadline_same(want: str | None, got: str | None) -> bool:
    a, b = re.sub(r"\s+", "", want or ""), re.sub(r"\s+", "", got or "")
    if not a or not b:
        return not a and not b
    return a in b or b in a


def _prefix(task: Task) -> str:
    return _norm((task.title or "") + (task.text or ""))[:60]


def _match(want: Want, free: list[Task]) -> Task | None:
    key = _norm(want.title)
    short, long = key[:6], key[:10]
    label = _label(want.no)
    if label and short:
        for got in free:
            if _label(got.no) == label and short in _prefix(got):
                return got
    if long:
        for got in free:
            if long in _prefix(got)[:24]:
                return got
    return None


def role_words(doc: Document) -> int:
    """Unit names that still hold a role word (牵头, 负责, 配合 …)."""
    count = 0
    for _, task in tasks(doc):
        count += sum(1 for n in [*task.lead, *task.support] if ROLE_WORDS.search(n))
        count += sum(1 for n in _others(task.others) if ROLE_TAIL.search(n))
    return count


def score(wanted: list[Want], imported: Document, expected_count: int | None = None) -> Score:
    s = Score()
    free = [t for _, t in tasks(imported)]
    s.hand, s.imported = len(wanted), len(free)
    s.expected_count = expected_count or len(wanted)
    s.role_words = role_words(imported)
    for want in wanted:
        got = _match(want, free)
        if got is None:
            s.missed.append(f"{want.no} {want.title[:20]}")
            continue
        free.remove(got)
        s.matched += 1
        pairs = (
            (s.lead, _units(want.lead), _units(got.lead)),
            (s.support, _units(want.support), _units(got.support)),
            (s.others, _units(want.others), _others(got.others)),
        )
        for acc, a, b in pairs:
            acc[0] += len(a & b)
            acc[1] += len(b - a)
            acc[2] += len(a - b)
        s.deadline_same += _deadline_same(want.deadline, deadline_words(got.deadline))
    return s


def _doc(data: Any) -> Document:
    doc, problems = check_shape(Document, data)
    if doc is None:
        raise SystemExit(f"imported draft does not validate: {problems[:3]}")
    return doc


def _imported(path: Path) -> Document:
    text, _ = import_file(path)
    return _doc(load_text(path, text).data)


def bundled() -> list[tuple[str, Score]]:
    rows = []
    for source in sorted((ROOT / "data" / "sources").glob("*.txt")):
        hand = _doc(load_file(ROOT / "data" / "tasks" / f"{source.stem}.yaml").data)
        wanted = [
            Want(
                t.no,
                t.title or t.text or "",
                t.lead,
                t.support,
                _list(t.others),
                deadline_words(t.deadline),
            )
            for _, t in tasks(hand)
        ]
        rows.append((source.stem, score(wanted, _imported(source))))
    return rows


def _list(others: str | None) -> list[str]:
    return sorted(_others(others))


def corpus(folder: Path = CORPUS) -> list[tuple[str, Score]]:
    rows: list[tuple[str, Score]] = []
    if not folder.is_dir():
        return rows
    for truth in sorted(folder.glob("*.expected.json")):
        source = truth.with_name(truth.name.replace(".expected.json", ".txt"))
        if not source.exists():
            continue
        data = json.loads(truth.read_text(encoding="utf-8"))
        wanted = [
            Want(
                t.get("number"),
                t.get("title") or "",
                t.get("lead") or [],
                t.get("support") or [],
                t.get("others") or [],
                t.get("deadline_text"),
            )
            for t in data["tasks"]
        ]
        name = source.stem[:26]
        rows.append((name, score(wanted, _imported(source), data.get("task_count"))))
    return rows


def table(title: str, rows: list[tuple[str, Score]], verbose: bool = False) -> str:
    total = Score()
    for _, s in rows:
        total.add(s)
    lines = [
        title,
        f"{'document':<26} {'tasks':>5} {'found':>5} {'recall':>7} {'precis.':>7} "
        f"{'lead F1':>7} {'supp F1':>7} {'oth. F1':>7} {'deadline':>8} {'role':>4}",
    ]
    for name, s in [*rows, ("total", total)]:
        lines.append(
            f"{name:<26} {s.expected_count:>5} {s.imported:>5} {s.recall:>7.1%} "
            f"{s.precision:>7.1%} {_f1(*s.lead):>7.1%} {_f1(*s.support):>7.1%} "
            f"{_f1(*s.others):>7.1%} {s.deadline:>8.1%} {s.role_words:>4}"
        )
        if verbose and s.missed:
            lines.append("    missed: " + " | ".join(s.missed[:8]))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    verbose = "-v" in args
    if "--corpus" not in args:
        print(table("Bundled sources (data/)", bundled(), verbose))
        print()
    if "--bundled" not in args:
        rows = corpus()
        if rows:
            print(table(f"Development corpus ({CORPUS})", rows, verbose))
        else:
            print(f"Development corpus not found at {CORPUS}: skipped.")
    print(
        "\nGoals: bundled 100% everywhere; corpus recall ≥ 95%, precision ≥ 90%, "
        "lead F1 ≥ 95%, role = 0."
    )


if __name__ == "__main__":
    main()
