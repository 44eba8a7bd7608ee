"""Reading: positions, and every reading problem as a finding with its place."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from ansheng_cli.plan.loader import load_file, load_text
from ansheng_cli.validate.engine import Options, Validator

DOC = """schema: ansheng/v1
document: {id: t, title: 测试, issuer: 测试市安委办, date: 2020-02-24, jurisdiction: 测试市, default_deadline: 2020年底前}
sections:
  - no: 一
    title: 甲
    tasks:
      - no: "1"
        lead: [市公安局, 市应急管理局]
"""


def _codes(repo: Path, name: str, raw: bytes) -> list[tuple[int, int, str]]:
    path = repo / "data" / "tasks" / name
    path.write_bytes(raw)
    report = Validator(Options()).run([str(path)])
    return [(f.line, f.column, f.code) for f in report.findings]


def test_positions_of_values_keys_items_and_missing_paths() -> None:
    loaded = load_text(Path("x.yaml"), DOC)
    where = loaded.locator.locate
    assert where(("sections", 0, "tasks", 0, "lead", 1)) == (8, 22)
    assert where(("sections", 0, "tasks", 0, "lead")) == (8, 15)
    assert where(("sections", 0, "tasks", 0, "lead"), at_key=True) == (8, 9)
    assert where(("sections", 0, "title"), at_key=True) == (5, 5)
    # a missing key: the nearest existing parent
    assert where(("sections", 0, "tasks", 0, "deadline")) == (7, 9)
    assert where(("sections", 5)) == (4, 3)


def test_bom_is_accepted(repo: Path) -> None:
    assert _codes(repo, "bom.yaml", b"\xef\xbb\xbf" + DOC.encode()) == []


def test_gbk_is_named(repo: Path) -> None:
    findings = Validator(Options()).run
    path = repo / "data" / "tasks" / "gbk.yaml"
    path.write_bytes(DOC.encode("gbk"))
    report = findings([str(path)])
    [f] = report.findings
    assert (f.line, f.column, f.code) == (2, 26, "E103")
    assert "GBK" in f.message


def test_utf16_and_binary(repo: Path) -> None:
    assert _codes(repo, "u16.yaml", DOC.encode("utf-16")) == [(1, 1, "E103")]
    assert _codes(repo, "bin.yaml", b"\x00\x01\x02") == [(1, 1, "E103")]


def test_too_large(repo: Path) -> None:
    path = repo / "data" / "tasks" / "big.yaml"
    path.write_bytes(DOC.encode() + b"#" * 2000)
    report = Validator(Options(max_file_bytes=1000)).run([str(path)])
    assert [(f.code, f.line) for f in report.findings] == [("E104", 1)]


def test_billion_laughs_is_rejected_with_bounded_memory(repo: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, name = chr(96 + i), chr(97 + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    tracemalloc.start()
    codes = _codes(repo, "bomb.yaml", "\n".join(lines).encode())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [c for _, _, c in codes] == ["E104"]
    assert peak < 20 * 1024 * 1024


def test_deep_nesting_is_rejected(repo: Path) -> None:
    assert [c for _, _, c in _codes(repo, "deep.yaml", b"[" * 500 + b"]" * 500)] == ["E104"]


def test_several_documents_in_one_file(repo: Path) -> None:
    assert _codes(repo, "two.yaml", b"a: 1\n---\nb: 2\n") == [(2, 1, "E101")]


def test_top_level_must_be_a_mapping(repo: Path) -> None:
    assert _codes(repo, "list.yaml", b"- 1\n- 2\n") == [(1, 1, "E202")]


def test_unreadable_path_is_a_finding(tmp_path: Path) -> None:
    loaded = load_file(tmp_path / "missing.yaml")
    assert [i.code for i in loaded.issues] == ["E103"]


def test_one_broken_file_does_not_hide_the_others(repo: Path) -> None:
    (repo / "data" / "tasks" / "a.yaml").write_text("a: [\n", encoding="utf-8")
    (repo / "data" / "tasks" / "b.yaml").write_text(
        DOC.replace('no: "1"', 'no: "2"'), encoding="utf-8"
    )
    report = Validator(Options()).run([str(repo / "data")])
    assert sorted((f.file.rsplit("/", 1)[-1], f.code) for f in report.findings) == [
        ("a.yaml", "E101"),
        ("b.yaml", "W301"),
    ]


def test_folders_skip_hidden_files_and_folders(repo: Path) -> None:
    (repo / ".pre-commit-config.yaml").write_text("repos: []\n", encoding="utf-8")
    (repo / ".github").mkdir()
    (repo / ".github" / "ci.yml").write_text("on: push\n", encoding="utf-8")
    (repo / "data" / "tasks" / "notes.txt").write_text("x", encoding="utf-8")
    report = Validator(Options()).run([str(repo)])
    assert [Path(f.display).name for f in report.files] == ["测试市.yaml"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("schema: ansheng/v1\ndocument: {id: p, title: x}\nsections: []\n", "p"),
        ('document:\n  title: x\n  parents: [a, b]\n  meta: {id: zz}\n  id: "q"\n', "q"),
        ("x: [1, {id: no}]\ndocument: {id: 3}\n", "3"),
        ("document: {id: 2021-01-01}\n", "2021-01-01"),
        ("document:\n  id: &a r\n", None),  # anchored, tagged or nested: the full load decides
        ("document: {id: !!str 5}\n", None),
        ("document:\n  title: t\nid: wrong\n", None),
        ("document: [id, x]\n", None),
        ("- a\n- b\n", None),
        ("", None),
    ],
)
def test_peek_id_reads_only_the_top(tmp_path: Path, text: str, expected: str | None) -> None:
    from ansheng_cli.plan.loader import peek_id

    plan = tmp_path / "p.yaml"
    plan.write_text(text, encoding="utf-8")
    assert peek_id(plan) == expected
