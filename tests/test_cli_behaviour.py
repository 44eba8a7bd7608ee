"""The command line as people use it: output paths, every finding at once, settings checked,
files rewritten without losing a byte they did not ask to change."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.clirun import run

PLAN = """schema: ansheng/v1
document: {id: t, title: 测试, issuer: 测试市安委办, date: 2020-02-24, jurisdiction: 测试市, default_deadline: 2020年底前}
sections:
  - no: 一
    title: 甲
    tasks:
      - no: "1"
        lead: [市应急局]
        suport: [市公安局]
      - no: "3"
        lead: [市安监局]
        deadline: 2019年底前
      - no: "4"
        lead: 5
        deadline: 2020年2月30日
"""
CLEAN = """schema: ansheng/v1
document: {id: t, title: 测试, issuer: 测试市安委办, date: 2020-02-24, jurisdiction: 测试市, default_deadline: 2020年底前}
sections:
  - no: 一
    title: 甲
    tasks:
      - {no: "1", lead: [市应急管理局]}
"""


def _plan(repo: Path, text: str = CLEAN, name: str = "plan.yaml") -> Path:
    path = repo / "data" / "tasks" / name
    path.write_text(text, encoding="utf-8")
    return path


def _codes(out: str) -> list[tuple[int, str]]:
    data = json.loads(out)
    return [(f["line"], f["code"]) for f in data["findings"] if not f["suppressed"]]


def test_a_shape_error_does_not_hide_the_other_findings(repo: Path) -> None:
    _plan(repo, PLAN)
    code, out = run(repo, "validate", "--format", "json")
    assert code == 1
    # the typo (E203) and the bad lead (E202) are reported, and the rules still ran on the
    # rest: the alias, the gap, the renamed unit, the early and the impossible deadline.
    # Task 4 lost its lead to E202, so "no lead" (W404) is not claimed on top of it.
    assert _codes(out) == [
        (8, "W402"),
        (9, "E203"),
        (10, "W301"),
        (11, "W403"),
        (12, "W502"),
        (14, "E202"),
        (15, "E504"),
    ]


@pytest.mark.parametrize("selector", ["X9", "Q", "W99"])
def test_unknown_selectors_are_refused(repo: Path, selector: str) -> None:
    _plan(repo)
    code, out = run(repo, "validate", "--select", selector)
    assert code == 2 and "没有这样的规则代码" in out and selector in out
    (repo / "ansheng.toml").write_text(f'ignore = ["{selector}"]\n', encoding="utf-8")
    assert run(repo, "validate")[0] == 2


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ('strict = "false"', "strict"),
        ('max_file_bytes = "abc"', "max_file_bytes"),
        ("max_file_bytes = -1", "max_file_bytes"),
        ("select = 5", "select"),
        ('format = ["json"]', "format"),
        ("units = 5", "units"),
        ("colour = true", "colour"),
    ],
)
def test_bad_settings_name_their_key_in_every_command(repo: Path, setting: str, words: str) -> None:
    _plan(repo)
    (repo / "ansheng.toml").write_text(setting + "\n", encoding="utf-8")
    for args in (["validate"], ["export", "data/tasks", "-o", "x.xlsx"], ["fmt"], ["due"]):
        code, out = run(repo, *args)
        assert code == 2 and words in out and "内部错误" not in out, (args, out)


def test_export_output_folder_extension_and_stdout(repo: Path) -> None:
    _plan(repo)
    code, out = run(repo, "export", "data/tasks", "-o", "out/")
    assert code == 0 and (repo / "out" / "测试任务分工表.xlsx").is_file()
    code, _ = run(repo, "export", "data/tasks", "--to", "docx", "-o", "out/")
    assert code == 0 and (repo / "out" / "测试任务分工表.docx").is_file()
    assert (repo / "out" / "测试任务分工表.xlsx").is_file()  # not replaced by the docx
    code, _ = run(repo, "export", "data/tasks", "-o", "x.md")
    assert code == 0 and (repo / "x.md").read_text(encoding="utf-8").startswith("#")
    code, out = run(repo, "export", "data/tasks", "--to", "docx", "-o", "x.xlsx")
    assert code == 2 and "扩展名" in out and not (repo / "x.xlsx").exists()
    code, out = run(repo, "export", "data/tasks", "--to", "txt", "-o", "-")
    assert code == 0 and "测试" in out and not (repo / "-").exists()


@pytest.mark.parametrize("command", [["validate"], ["schema"], ["due"], ["report"]])
def test_output_onto_a_plan_file_is_refused(repo: Path, command: list[str]) -> None:
    plan = _plan(repo)
    before = plan.read_bytes()
    code, out = run(repo, *command, "-o", "data/tasks/plan.yaml")
    assert code == 2 and "拒绝覆盖" in out and plan.read_bytes() == before


def test_fix_changes_only_the_values_it_reports(repo: Path) -> None:
    text = CLEAN.replace(
        '      - {no: "1", lead: [市应急管理局]}\n',
        "        -   no: \"1\"\n            lead:   [市应急局,  # 注释\n                     '市公安局']\n",
    )
    plan = _plan(repo, text.replace("\n", "\r\n"))
    code, out = run(repo, "fix")
    assert code == 0 and "W402" in out
    fixed = text.replace("[市应急局,", "[市应急管理局,")
    assert plan.read_bytes() == fixed.replace("\n", "\r\n").encode()


def test_fmt_keeps_line_endings_and_byte_order_mark(repo: Path) -> None:
    plan = _plan(repo)
    windows = b"\xef\xbb\xbf" + CLEAN.replace("\n", "\r\n").encode()
    plan.write_bytes(windows)
    assert run(repo, "fmt", "--check")[0] == 0
    assert run(repo, "fmt")[0] == 0 and plan.read_bytes() == windows
    plan.write_bytes(windows.replace(b'{no: "1"', b"{no: 1"))
    assert run(repo, "fmt", "--check")[0] == 1
    assert run(repo, "fmt")[0] == 0 and plan.read_bytes() == windows


def test_fmt_refuses_to_drop_a_comment_in_a_flow_list(repo: Path) -> None:
    text = CLEAN.replace(
        "[市应急管理局]}",
        "[市应急管理局,  # ansheng: ignore[W407] 原文如此\n            相关部门]}",
    )
    plan = _plan(repo, text)
    code, out = run(repo, "fmt")
    assert code == 1 and "plan.yaml:7" in out and "原文如此" in out
    assert plan.read_text(encoding="utf-8") == text


def test_fmt_reports_bad_values_per_file_and_goes_on(repo: Path) -> None:
    bad = _plan(repo, CLEAN.replace("2020-02-24", "2021-13-45"), "a.yaml")
    messy = _plan(repo, CLEAN.replace('{no: "1"', "{no: 1"), "b.yaml")
    before = hashlib.sha256(bad.read_bytes()).hexdigest()
    code, out = run(repo, "fmt")
    assert code == 1 and "a.yaml:2:" in out and "2021-13-45" in out and "内部错误" not in out
    assert hashlib.sha256(bad.read_bytes()).hexdigest() == before
    assert messy.read_text(encoding="utf-8") == CLEAN


def test_rules_mark_what_fix_repairs(repo: Path) -> None:
    code, out = run(repo, "rules")
    assert code == 0
    marked = {line.split()[0] for line in out.splitlines() if "可自动修复" in line}
    assert marked == {"W402", "W407", "W408", "W409", "W506", "W701"}
    assert "可按需修复" in run(repo, "rules", "W403")[1]


def test_a_jurisdiction_is_a_name_not_a_path(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.yaml"
    elsewhere.write_text("schema: ansheng/units-v1\nunits:\n  - {name: 秘密单位}\n", "utf-8")
    _plan(repo, CLEAN.replace("jurisdiction: 测试市", f"jurisdiction: {elsewhere.with_suffix('')}"))
    _code, out = run(repo, "validate", "--format", "json")
    assert "秘密单位" not in out
    assert any(f["code"] == "W406" and "路径" in f["message"] for f in json.loads(out)["findings"])


def test_diff_refuses_a_revision_that_looks_like_an_option(repo: Path, tmp_path: Path) -> None:
    plan = _plan(repo)
    target = tmp_path / "created"
    code, _ = run(repo, "diff", str(plan), f"--git=--output={target}")
    assert code == 2 and not target.exists()


def test_a_copied_plan_with_the_same_id_is_an_error_and_not_exported_twice(repo: Path) -> None:
    _plan(repo, CLEAN, "a.yaml")
    _plan(repo, CLEAN, "b.yaml")
    code, out = run(repo, "validate", "--format", "json")
    found = [(f["file"], f["line"], f["code"]) for f in json.loads(out)["findings"]]
    assert code == 1 and found == [
        ("data/tasks/a.yaml", 2, "E107"),
        ("data/tasks/b.yaml", 2, "E107"),
    ]
    code, out = run(repo, "export", "data/tasks", "-o", "x.xlsx")
    assert code == 1 and "E107" in out and not (repo / "x.xlsx").exists()


def test_a_title_the_text_does_not_begin_with_is_shown(repo: Path) -> None:
    _plan(
        repo,
        CLEAN.replace(
            '{no: "1", lead', '{no: "1", title: 应急演练周, text: 组织开展应急演练。, lead'
        ),
    )
    code, _ = run(repo, "export", "data/tasks", "-o", "x.txt")
    assert code == 0 and "1. 应急演练周。组织开展应急演练。" in (repo / "x.txt").read_text("utf-8")


MISTAKES = [
    ["validate", "--strcit"],
    ["valdate"],
    ["diff"],
    ["export"],
    ["due", "--within", "abc"],
    ["due", "--within", "-5"],
    ["validate", "--strict=5"],
    ["validate", "--format"],
    ["validate", "--format", "xml"],
    ["validate", "--select", "X9"],
    ["validate", "nope/"],
    ["export", "data/tasks", "--to", "pdf"],
    ["export", "data/tasks", "--to", "docx", "-o", "x.xlsx"],
    ["rules", "X999"],
    ["schema", "everything"],
    ["due", "--as-of", "2024-13-01"],
    ["import", "nope.docx"],
    ["diff", "data/tasks/plan.yaml", "--git=--output=x"],
]
# Latin words a clerk may see: rule codes, file names, option names, format names and the
# program's own name; anything else is English leaking through.
ALLOWED = re.compile(
    r"--?[a-z][a-z-]*|[EWI]\d{3}|[A-Za-z0-9_./-]+\.(?:ya?ml|xlsx|docx|txt|md|json|csv|html|pdf|j2)"
    r"|ansheng|YAML|JSON|Schema|Excel|Word|UTF-8|GBK|YYYY-MM-DD|xlsx|docx|txt|md|json|csv|sarif"
    r"|gitlab|github|junit|human|text|html|pdf|document|units|all|data|tasks|nope|abc|xml|Q|X\\d+"
    r"|everything|X999|X9|valdate|strcit|pre-commit|progress-xlsx|x"
    r"|validate|export|import|fmt|fix|diff|init|due|stats|report|rules|schema|progress"
)


@pytest.mark.parametrize("args", MISTAKES, ids=" ".join)
def test_mistakes_are_answered_in_chinese(repo: Path, args: list[str]) -> None:
    _plan(repo)
    code, out = run(repo, *args)
    assert code == 2, out
    assert "Traceback" not in out and "内部错误" not in out
    words = re.findall(r"-{0,2}[A-Za-z][A-Za-z0-9_./-]*", out)
    leaked = [w for w in words if not ALLOWED.fullmatch(w.rstrip(".")) and w not in args]
    assert leaked == [], out


def test_quiet_keeps_results_and_drops_notes(repo: Path) -> None:
    _plan(repo)
    code, out = run(repo, "-q", "export", "data/tasks", "-o", "x.xlsx")
    assert code == 0 and out == "" and (repo / "x.xlsx").is_file()
    code, out = run(repo, "export", "data/tasks", "-o", "y.xlsx")
    assert code == 0 and "已导出" in out


def test_help_fits_80_columns_uncut(repo: Path) -> None:
    import os

    os.environ["COLUMNS"] = "80"
    try:
        code, out = run(repo, "--help")
    finally:
        del os.environ["COLUMNS"]
    assert code == 0 and "…" not in out and "--install-completion" in out
    assert "安装命令补全" in out


def test_a_windows_copy_of_the_bundled_data_passes(tmp_path: Path) -> None:
    """Git for Windows checks files out with CRLF; Notepad saves a BOM."""
    import shutil

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "data", tmp_path / "data")
    for i, path in enumerate(sorted((tmp_path / "data").rglob("*.yaml"))):
        raw = path.read_bytes().replace(b"\n", b"\r\n")
        path.write_bytes((b"\xef\xbb\xbf" if i % 2 else b"") + raw)
    before = {p: p.read_bytes() for p in (tmp_path / "data").rglob("*.yaml")}
    assert run(tmp_path, "fmt", "--check")[0] == 0
    code, out = run(tmp_path, "validate", "--strict")
    assert code == 0, out
    assert run(tmp_path, "fmt")[0] == 0
    assert {p: p.read_bytes() for p in before} == before
