"""The development corpus (../shared/corpus, when present) meets the import goals."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import import_eval  # noqa: E402


@pytest.mark.skipif(not import_eval.CORPUS.is_dir(), reason="development corpus not present")
def test_the_corpus_meets_the_goals() -> None:
    total = import_eval.Score()
    for _, score in import_eval.corpus():
        total.add(score)
    assert total.recall >= 0.95
    assert total.precision >= 0.90
    assert import_eval._f1(*total.lead) >= 0.95
    assert total.role_words == 0
