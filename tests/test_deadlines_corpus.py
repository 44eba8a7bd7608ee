"""The deadline grammar measured on ../shared/corpus/deadlines.json (157 real phrases).

Every phrase is parsed with its document date as anchor and its due dates compared with the
hand-checked ``due``: milestones all steps, a range its end, recurring / open / text none.
A phrase the grammar does not know must give W507, never a wrong date.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from ansheng_cli.plan.deadlines import DeadlineError, parse

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "deadlines.json"
# The seasons a settings file would give (汛期 in 每年汛期前).
SEASONS = {"汛期": "06-01"}
# The kind each family without a date must parse to.
KINDS = {"recurring": {"recurring"}, "open": {"ongoing"}, "text": {"text"}}
TARGET = 0.95


def _entries() -> list[dict[str, Any]]:
    if not CORPUS.is_file():
        return []
    data: list[dict[str, Any]] = json.loads(CORPUS.read_text(encoding="utf-8"))
    return data


def _anchor(doc_date: str | None) -> dt.date | None:
    if doc_date is None:
        return None
    if len(doc_date) == 4:  # only the year is known
        return dt.date(int(doc_date), 1, 1)
    return dt.date.fromisoformat(doc_date)


def _verdict(entry: dict[str, Any]) -> str:
    """ok, unknown (W507: allowed, counts as a miss), wrong (a date that is not the truth)."""
    want = [dt.date.fromisoformat(d) for d in entry["due"]]
    try:
        parsed = parse(entry["phrase"], _anchor(entry["doc_date"]), SEASONS)
    except DeadlineError as exc:
        return "unknown" if exc.code == "W507" else f"error {exc.code}"
    got = list(parsed.dues)
    if got == want and parsed.kind in KINDS.get(entry["family"], {parsed.kind}):
        return "ok"
    # A lunar festival: the corpus gives no Gregorian date but names it in its note; the
    # calendar library computes it, and must compute that very day.
    if entry["family"] == "named" and not want and got:
        note = entry.get("note", "")
        return "ok" if all(d.isoformat() in note for d in got) else "wrong"
    return "wrong"


ENTRIES = _entries()


@pytest.mark.skipif(not ENTRIES, reason="../shared/corpus/deadlines.json is not here")
def test_corpus_pass_rate() -> None:
    total: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    bad: list[str] = []
    for entry in ENTRIES:
        verdict = _verdict(entry)
        total[entry["family"]] += 1
        if verdict == "ok":
            passed[entry["family"]] += 1
        elif verdict != "unknown":
            bad.append(f"{entry['phrase']} ({entry['doc_date']}): {verdict}")
    table = ", ".join(f"{f} {passed[f]}/{total[f]}" for f in sorted(total))
    assert not bad, "wrong dates or errors: " + "; ".join(bad)
    assert sum(passed.values()) >= TARGET * sum(total.values()), table


@pytest.mark.skipif(not ENTRIES, reason="../shared/corpus/deadlines.json is not here")
@pytest.mark.parametrize(
    "entry", ENTRIES, ids=[f"{i:03d}-{e['family']}" for i, e in enumerate(ENTRIES)]
)
def test_corpus_phrase_never_gets_a_wrong_date(entry: dict[str, Any]) -> None:
    assert _verdict(entry) in ("ok", "unknown"), entry["phrase"]
