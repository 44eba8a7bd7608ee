"""How good are the link suggestions of ``ansheng trace --suggest`` on real parent/child pairs?

    python benchmarks/trace_eval.py [FIXTURES_DIR]

The pairs live in tests/fixtures/trace (sources and provenance in its README.md); each
child task's hand-made ``implements`` is the truth. For every child task the suggester
ranks all upper tasks by text similarity, ignoring the links. Reported per pair:

- P@1: share of child tasks whose first candidate is one of their true upper tasks;
- R@1: share of the true links found as a first candidate;
- P@3: share of the top-3 candidates that are true links (3 per task);
- R@3: share of the true links found among the top-3 candidates.

Then what ``ansheng fix --select W708`` would write (every candidate scoring at least
``STRONG``, for tasks with no link): the share of written links that are true (precision),
of true links written (recall), and of child tasks given at least one link.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ansheng_cli.trace import likely_links, read_plans, split_ref, suggest

PAIRS = (
    ("上海市 → 青浦区", "qingpu-2024-public-fire", "sh-2024-public-fire"),
    ("上海市 → 黄浦区", "huangpu-2024-public-fire", "sh-2024-public-fire"),
)


def evaluate(folder: Path, child_id: str, parent_id: str) -> dict[str, float]:
    plans = {p.id: p for p in read_plans([str(folder / "data" / "tasks")])}
    child, parent = plans[child_id], plans[parent_id]
    items = suggest([child], [parent], k=3, everything=True)
    tasks = hits1 = found1 = hits3 = found3 = links = 0
    for item in items:
        truth = {
            parent.find(p[1]).label()  # type: ignore[union-attr]
            for ref in item.task.implements
            if (p := split_ref(ref)) and p[0] == parent_id and parent.find(p[1])
        }
        if not truth:
            continue
        ranked = [c.upper.label() for c in item.candidates]
        tasks += 1
        links += len(truth)
        hits1 += bool(ranked[:1]) and ranked[0] in truth
        found1 += len(truth & set(ranked[:1]))
        hits3 += len(truth & set(ranked[:3]))
        found3 += len(truth & set(ranked[:3]))
    return {
        "tasks": tasks,
        "links": links,
        "P@1": hits1 / tasks,
        "R@1": found1 / links,
        "P@3": hits3 / (3 * tasks),
        "R@3": found3 / links,
    }


def written(folder: Path, child_id: str, parent_id: str) -> dict[str, float]:
    plans = {p.id: p for p in read_plans([str(folder / "data" / "tasks")])}
    child, parent = plans[child_id], plans[parent_id]
    truth = {
        t.key: {parent.find(p[1]).label() for r in t.implements if (p := split_ref(r))}  # type: ignore[union-attr]
        for t in child.tasks
    }
    for task in child.tasks:
        task.implements = []
    links = {t.key: {c.upper.label() for c in cs} for t, cs in likely_links(child, [parent])}
    right = sum(len(links[k] & truth[k]) for k in links)
    made = sum(len(v) for v in links.values())
    return {
        "precision": right / made if made else 1.0,
        "recall": right / sum(len(v) for v in truth.values()),
        "tasks": len(links) / len(child.tasks),
    }


def main(folder: Path) -> None:
    print("| pair | child tasks | true links | P@1 | R@1 | P@3 | R@3 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, child, parent in PAIRS:
        r = evaluate(folder, child, parent)
        print(
            f"| {name} | {r['tasks']} | {r['links']} | {r['P@1']:.2f} | {r['R@1']:.2f} "
            f"| {r['P@3']:.2f} | {r['R@3']:.2f} |"
        )
    print()
    print("| pair | fix --select W708: precision | recall | tasks linked |")
    print("| --- | --- | --- | --- |")
    for name, child, parent in PAIRS:
        w = written(folder, child, parent)
        print(f"| {name} | {w['precision']:.2f} | {w['recall']:.2f} | {w['tasks']:.2f} |")


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "trace"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
