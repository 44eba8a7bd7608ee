"""Issue 11, crashes: every bad input ends in a located Chinese message and a documented exit
code, never 内部错误 or a traceback, and a bad file stops nothing but itself."""

from __future__ import annotations

import json
import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import partial
from pathlib import Path

from tests.hostile.conftest import (
    PLAN,
    TASK1,
    ansheng,
    clean,
    fill_sheet,
    parallel_cases,
    snapshot,
    write_plan,
)

case = parallel_cases(globals(), "test_crashes")


# --- one bad file among many: located, and the others still handled -------------------------

UNTIDY = PLAN.replace("lead: [市公安局]", "lead:   [ 市公安局 ]")
BAD = {
    "month_13": ("date: 2021-01-10", "date: 2021-13-45"),
    "feb_30": ("date: 2021-01-10", "date: 2023-02-30"),
    "year_0": ("date: 2021-01-10", "date: 0000-01-01"),
    "digits_5000": ('no: "2"', "no: " + "7" * 5000),
    "nesting_10k": ("text: 开展联合执法。", "text: " + "[" * 10_000 + "]" * 10_000),
}


def _one_bad_file(command: str, bad: str, repo: Path) -> None:
    folder = repo / "data" / "tasks"
    old, new = BAD[bad]
    write_plan(repo, UNTIDY.replace("id: p,", "id: a,"), "a.yaml")
    write_plan(repo, UNTIDY.replace("id: p,", "id: b,").replace(old, new), "b.yaml")
    write_plan(
        repo, UNTIDY.replace("id: p,", "id: c,").replace("市应急管理局]", "市应急局]"), "c.yaml"
    )
    bad_bytes = (folder / "b.yaml").read_bytes()
    result = ansheng(repo, command, "data")
    clean(result)
    if command == "fmt" or result.code != 0:  # fix edits text: it may leave b alone silently
        assert result.code == 1, result.text[-2000:]
        assert re.search(r"b\.yaml:\d+", result.text), result.text[-2000:]
    assert (folder / "b.yaml").read_bytes() == bad_bytes
    c_after = (folder / "c.yaml").read_text(encoding="utf-8")
    if command == "fmt":  # the files after the bad one are formatted too
        assert "lead: [市公安局]" in c_after
    else:
        assert "[市应急管理局]" in c_after


for _bad in BAD:
    case(partial(_one_bad_file, "fmt", _bad), id=f"fmt_{_bad}")
for _bad in ("month_13", "digits_5000"):
    case(partial(_one_bad_file, "fix", _bad), id=f"fix_{_bad}")


def progress_import_into_impossible_date(repo: Path) -> None:
    """The entry is written as a text edit: the impossible date elsewhere stays as written
    (validate reports it) and nothing else in the file changes."""
    plan = write_plan(
        repo, PLAN.replace("开展联合执法。\n", "开展联合执法。\n        done: 2021-02-30\n")
    )
    fill_sheet(repo / "s.xlsx", [{**TASK1, "进展情况": "已完成初稿", "填报日期": "2021-03-01"}])
    before = plan.read_text(encoding="utf-8")
    result = ansheng(repo, "progress", "import", "s.xlsx", "--as-of", "2021-03-20")
    clean(result)
    assert result.code == 0, result.text
    entry = (
        "        progress:\n          - {date: 2021-03-01, unit: 市应急管理局, text: 已完成初稿}\n"
    )
    after_lead = "        lead: [市应急管理局]\n"
    assert plan.read_text(encoding="utf-8") == before.replace(after_lead, after_lead + entry)


case(progress_import_into_impossible_date)


def progress_import_round_trip_impossible_date(repo: Path) -> None:
    """A change only a full rewrite can make (an empty ``progress:``), in a file ruamel cannot
    construct: refused with the place, the file untouched."""
    plan = write_plan(
        repo,
        PLAN.replace("开展联合执法。\n", "开展联合执法。\n        done: 2021-02-30\n").replace(
            "lead: [市应急管理局]\n", "lead: [市应急管理局]\n        progress:\n", 1
        ),
    )
    fill_sheet(repo / "s.xlsx", [{**TASK1, "进展情况": "已完成初稿", "填报日期": "2021-03-01"}])
    before = plan.read_bytes()
    result = ansheng(repo, "progress", "import", "s.xlsx", "--as-of", "2021-03-20")
    clean(result)
    assert result.code == 1, result.text
    assert re.search(r"p\.yaml:\d+", result.text), result.text
    assert plan.read_bytes() == before


case(progress_import_round_trip_impossible_date)


def _vanished(command: str, repo: Path) -> None:
    """A file listed, then gone before it is read (a dangling link stands for it)."""
    write_plan(repo)
    (repo / "data" / "tasks" / "gone.yaml").symlink_to("nowhere.yaml")
    before = snapshot(repo)
    result = ansheng(repo, command, "data")
    clean(result)
    assert result.code == 1, result.text
    assert "gone.yaml" in result.text
    assert snapshot(repo) == before


for _cmd in ("fmt", "fix", "validate"):
    case(
        partial(_vanished, _cmd),
        id=f"{_cmd}_vanished_file",
    )


# --- control characters --------------------------------------------------------------------

CONTROL = PLAN.replace("text: 修订应急预案。", 'text: "修订\\0应急\\x01预案\\x1b[31m。"')
ESC_UNIT = PLAN.replace("lead: [市公安局]", 'lead: ["市公\\x1b[2J\\x1b]0;pwned\\x07安局\\x01"]')


def validate_flags_control_characters(repo: Path) -> None:
    write_plan(repo, CONTROL)
    result = ansheng(repo, "validate", "data")
    clean(result)
    assert result.code == 1, result.text
    assert re.search(r"\b9:\d+", result.text), result.text


case(validate_flags_control_characters)


def _export_control(fmt: str, repo: Path) -> None:
    write_plan(repo, CONTROL)
    result = ansheng(repo, "export", "data/tasks", "--to", fmt, "--force", "-o", f"out.{fmt}")
    clean(result)
    assert result.code == 0, result.text
    if fmt == "xlsx":
        import openpyxl

        openpyxl.load_workbook(repo / "out.xlsx")
    else:
        import docx

        docx.Document(str(repo / "out.docx"))


for _fmt in ("xlsx", "docx"):
    case(partial(_export_control, _fmt),
         id=f"export_{_fmt}_control_chars")  # fmt: skip


def _report_control(fmt: str, repo: Path) -> None:
    write_plan(repo, ESC_UNIT)
    result = ansheng(repo, "validate", "data", "--format", fmt)
    clean(result)
    assert result.code == 1, result.text
    assert "\x1b" not in result.out and "\x07" not in result.out
    if fmt == "junit":
        ET.fromstring(result.out)
    if fmt in ("json", "sarif"):
        json.loads(result.out)


for _fmt, _marks in (
    ("human", ()),
    ("github", ()),
    ("junit", ()),
    ("json", ()),
    ("sarif", ()),
):
    case(partial(_report_control, _fmt), *_marks, id=f"validate_{_fmt}_control_chars")


# --- generated file names ------------------------------------------------------------------


def _title_name(title: str, repo: Path) -> None:
    write_plan(repo, PLAN.replace("title: 测试计划", f"title: {title}"))
    (repo / "out").mkdir()
    result = ansheng(repo / "out", "export", "../data/tasks", "--to", "xlsx", "--force")
    clean(result)
    assert result.code == 0, result.text
    [made] = list((repo / "out").iterdir())
    assert len(made.name.encode()) <= 255
    assert not re.search("[\u202a-\u202e\u2066-\u2069\u200e\u200f]", made.name), made.name


case(
    partial(_title_name, "安" * 100),
    id="export_long_cjk_title",
)
case(
    partial(_title_name, "测试\u202egpj.exe计划"),
    id="export_bidi_title",
)


# --- ansheng.toml: typed, with the key named ------------------------------------------------

WARNING_ONLY = PLAN.replace("support: [市应急管理局]", "support: [市公安局]")  # W405
AN_ERROR = PLAN.replace("lead: [市应急管理局]", "lead: [不存在的单位]")  # E401


def _config(line: str, key: str, lenient: Callable[[int], bool], repo: Path) -> None:
    """Refused with the key named (exit 2), or read as a careful user means it."""
    write_plan(repo, WARNING_ONLY if key == "strict" else AN_ERROR)
    (repo / "ansheng.toml").write_text(line + "\n", encoding="utf-8")
    result = ansheng(repo, "validate", "data")
    clean(result)
    if result.code == 2:
        assert key in result.text, result.text
    else:
        assert lenient(result.code or 0), result.text


def _never(code: int) -> bool:
    return False


for _line, _key, _lenient, _marks in (
    ('max_file_bytes = "abc"', "max_file_bytes", _never, ()),
    ("max_file_bytes = -1", "max_file_bytes", _never, ()),
    ("select = 5", "select", _never, ()),
    ('select = "E9"', "select", lambda c: c == 0, ()),
    ('format = ["json"]', "format", _never, ()),
    ("units = 5", "units", _never, ()),
    ('strict = "false"', "strict", lambda c: c == 0, ()),
):
    case(
        partial(_config, _line, _key, _lenient),
        *_marks,
        id="config_" + re.sub(r"\W+", "_", _line).strip("_"),
    )


# --- writing fails: full disk, missing folder, wrong input ----------------------------------


def _disk_full(args: list[str], target: str, repo: Path) -> None:
    write_plan(repo)
    result = ansheng(repo, *args, "-o", target, fsize=200)
    clean(result)
    assert "Exception ignored" not in result.text
    assert result.code == 2, result.text
    assert not (repo / target).exists()


for _args, _target in (
    (["export", "data/tasks", "--to", "xlsx"], "out.xlsx"),
    (["export", "data/tasks", "--to", "txt"], "out.txt"),
    (["report", "data", "--as-of", "2021-03-01"], "report.html"),
):
    case(
        partial(_disk_full, _args, _target),
        id=f"disk_full_{_args[0]}_{_target.split('.')[1]}",
    )


def _read_only_folder(repo: Path) -> None:
    write_plan(repo)
    (repo / "ro").mkdir()
    (repo / "ro").chmod(0o555)
    result = ansheng(repo, "export", "data/tasks", "--to", "xlsx", "-o", "ro/out.xlsx")
    clean(result)
    assert result.code == 2 and "ro" in result.text


if os.geteuid() != 0:  # root ignores permissions: the case is left out
    case(_read_only_folder, id="read_only_output_folder")


def _missing_folder(args: list[str], repo: Path) -> None:
    write_plan(repo)
    before = snapshot(repo)
    result = ansheng(repo, *args, "-o", "missing/x.out")
    clean(result)
    assert result.code == 2, result.text
    assert "missing" in result.text
    assert snapshot(repo) == before


for _args, _marks in (
    (["export", "data/tasks", "--to", "json"], ()),
    (["validate", "data"], ()),
    (["report", "data", "--as-of", "2021-03-01"], ()),
    (["due", "data", "--as-of", "2021-03-01"], ()),
    (["schema"], ()),
):
    case(partial(_missing_folder, _args), *_marks, id=f"o_missing_folder_{_args[0]}")


def progress_import_text_file(repo: Path) -> None:
    write_plan(repo)
    (repo / "x.txt").write_text("不是表格\n", encoding="utf-8")
    before = snapshot(repo)
    result = ansheng(repo, "progress", "import", "x.txt")
    clean(result)
    assert result.code == 2, result.text
    assert "x.txt" in result.text
    assert snapshot(repo) == before


case(progress_import_text_file)
