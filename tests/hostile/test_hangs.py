"""Issue 11, hangs and runaway resources: FIFOs, huge lines, quadratic merges, files over the
size limit, zip bombs and templates without a budget.

Every case's command is started at once when the module begins (they run side by side), each
with a wall-clock timeout, a CPU-time limit and an address-space limit, so a case that would
hang or eat the machine fails quickly instead of stalling the suite.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest

from tests.hostile import _zipbomb
from tests.hostile.conftest import (
    PLAN,
    ROOT,
    TASK1,
    UNITS,
    Result,
    clean,
    fill_sheet,
    snapshot,
    temp_files,
    write_plan,
)

MB = 1024 * 1024
LIMIT = 10 * MB  # plan.loader.MAX_FILE_BYTES


@dataclass
class Hang:
    """One command: ``prepare`` builds the repository and returns the arguments (it may
    record anything ``check`` needs in ``state``); ``check`` judges the finished run."""

    prepare: Callable[[Path, Path, dict[str, object]], list[str]]
    check: Callable[[Path, Result, dict[str, object]], None]
    wall: float = 30.0  # seconds until a blocked run counts as hung (CPU hogs hit `cpu` first)
    cpu: int = 2  # CPU seconds: a small repository needs well under one
    mem: int = 1536 * MB
    state: dict[str, object] = field(default_factory=dict)


CASES: list[object] = []
HANGS: dict[str, Hang] = {}


def case(hang: Hang, id: str, *marks: pytest.MarkDecorator) -> None:
    HANGS[id] = hang
    CASES.append(pytest.param(id, id=id, marks=list(marks)))


@dataclass
class Launched:
    repo: Path
    proc: subprocess.Popen[bytes]
    started: float
    out: Path
    err: Path


def _limits(cpu: int, mem: int) -> Callable[[], None]:
    def pre() -> None:
        os.setsid()
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        resource.setrlimit(resource.RLIMIT_AS, (mem, mem))

    return pre


@pytest.fixture(scope="module")
def launched(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Launched]]:
    selected = {
        item.callspec.params["name"]
        for item in request.session.items
        if getattr(item, "module", None) is request.module and hasattr(item, "callspec")
    }
    bombs = tmp_path_factory.mktemp("bombs")
    if any(name.endswith(("_xlsx", "_docx")) for name in selected):
        _bombs(bombs)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    env.pop("ANSHENG_DEBUG", None)
    running: dict[str, Launched] = {}
    for name, hang in HANGS.items():
        if name not in selected:
            continue
        repo = tmp_path_factory.mktemp(name)
        (repo / "data" / "tasks").mkdir(parents=True)
        (repo / "data" / "departments").mkdir(parents=True)
        shutil.copy(UNITS, repo / "data" / "departments" / "测试市.yaml")
        (repo / "ansheng.toml").write_text("", encoding="utf-8")
        args = hang.prepare(repo, bombs, hang.state)
        hang.state["before"] = snapshot(repo)
        out, err = repo.parent / f"{name}.out", repo.parent / f"{name}.err"
        with open(out, "wb") as o, open(err, "wb") as e:
            proc = subprocess.Popen(
                [sys.executable, "-m", "ansheng_cli", *args],
                cwd=repo,
                stdin=subprocess.DEVNULL,
                stdout=o,
                stderr=e,
                env=env,
                preexec_fn=_limits(hang.cpu, hang.mem),
            )
        running[name] = Launched(repo, proc, time.monotonic(), out, err)
    yield running
    for run in running.values():
        if run.proc.poll() is None:
            os.killpg(run.proc.pid, signal.SIGKILL)
            run.proc.wait()


def _read(path: Path) -> str:
    with open(path, "rb") as handle:
        head = handle.read(300_000)
        rest = handle.read(1)
    return head.decode("utf-8", "replace") + ("\n…（输出过长，已截断）" if rest else "")


@pytest.mark.parametrize("name", CASES)
def test_hangs(name: str, launched: dict[str, Launched]) -> None:
    hang, run = HANGS[name], launched[name]
    left = hang.wall - (time.monotonic() - run.started)
    try:
        run.proc.wait(timeout=max(left, 0.1))
    except subprocess.TimeoutExpired:
        os.killpg(run.proc.pid, signal.SIGKILL)
        run.proc.wait()
    code = run.proc.returncode
    # killed: by us after the timeout, or by the CPU-time limit
    result = Result(code if code >= 0 else None, _read(run.out), _read(run.err), hung=code < 0)
    hang.check(run.repo, result, hang.state)
    assert temp_files(run.repo) == []


def _bombs(folder: Path) -> Path:
    sheet_head = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<dimension ref="A1:L1048576"/><sheetData>'
    )
    sheet_tail = b"</sheetData></worksheet>"
    row = b'<row><c t="inlineStr"><is><t>1</t></is></c></row>'
    _zipbomb.xlsx(folder / "rows.xlsx", sheet_head, row, 1_048_576, sheet_tail)
    fat = b'<row><c t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c></row>"
    _zipbomb.xlsx(folder / "bomb.xlsx", sheet_head, fat, 800 * MB // len(fat), sheet_tail)
    para = "<w:p><w:r><w:t>一、开展安全生产检查</w:t></w:r></w:p>".encode()
    _zipbomb.docx(
        folder / "bomb.docx",
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body>",
        para,
        800 * MB // len(para),
        b"</w:body></w:document>",
    )
    return folder


def _unchanged(repo: Path, state: dict[str, object]) -> None:
    assert snapshot(repo) == state["before"], "用户的文件被改动"


# --- a FIFO where a plan should be ----------------------------------------------------------


def _fifo_prepare(args: list[str], repo: Path, bombs: Path, state: dict[str, object]) -> list[str]:
    write_plan(repo)
    os.mkfifo(repo / "data" / "tasks" / "plan.yaml")
    return args


def _fifo_check(repo: Path, result: Result, state: dict[str, object]) -> None:
    clean(result)
    assert "plan.yaml" in result.text
    _unchanged(repo, state)


for _args in (
    ["validate", "data"],
    ["fmt", "data"],
    ["fix", "data"],
    ["export", "data/tasks", "--to", "json", "-o", "out.json"],
    ["stats", "data", "--as-of", "2021-03-01"],
):
    case(
        Hang(partial(_fifo_prepare, _args), _fifo_check),
        f"fifo_{_args[0]}",
    )


# --- a 1,000-unit flow list: excerpts clipped around the column -----------------------------


def _long_line_prepare(repo: Path, bombs: Path, state: dict[str, object]) -> list[str]:
    units = ", ".join(f"未知单位{i:04d}" for i in range(1000))
    write_plan(repo, PLAN.replace("lead: [市公安局]", f"lead: [{units}]"))
    return ["validate", "data"]


def _long_line_check(repo: Path, result: Result, state: dict[str, object]) -> None:
    clean(result)
    assert result.code == 1
    assert "p.yaml" in result.text and "未知单位0999" in result.text
    longest = max(len(line) for line in result.text.splitlines())
    assert longest <= 400, f"最长的一行有 {longest} 个字符"


case(
    Hang(_long_line_prepare, _long_line_check),
    "long_flow_list_excerpts_clipped",
)


# --- progress import: linear in the rows ----------------------------------------------------


def _many_rows_prepare(repo: Path, bombs: Path, state: dict[str, object]) -> list[str]:
    write_plan(repo)
    rows = [{**TASK1, "进展情况": f"第{i}次调度", "填报日期": "2021-03-01"} for i in range(2500)]
    fill_sheet(repo / "s.xlsx", rows)
    return ["progress", "import", "s.xlsx", "--as-of", "2021-03-20"]


def _many_rows_check(repo: Path, result: Result, state: dict[str, object]) -> None:
    clean(result)
    assert result.code == 0, result.text[-2000:]
    assert "第2499次调度" in (repo / "data" / "tasks" / "p.yaml").read_text(encoding="utf-8")


case(
    Hang(_many_rows_prepare, _many_rows_check, cpu=5),
    "progress_import_2500_rows_linear",
)


def _reimport_prepare(repo: Path, bombs: Path, state: dict[str, object]) -> list[str]:
    """The same 2,500 rows again, onto a plan that already holds them: nothing to add."""
    entries = "".join(
        f"          - {{date: 2021-03-01, unit: 市应急管理局, text: 第{i}次调度}}\n"
        for i in range(2500)
    )
    write_plan(
        repo,
        PLAN.replace(
            "lead: [市应急管理局]\n", "lead: [市应急管理局]\n        progress:\n" + entries, 1
        ),
    )
    rows = [{**TASK1, "进展情况": f"第{i}次调度", "填报日期": "2021-03-01"} for i in range(2500)]
    fill_sheet(repo / "s.xlsx", rows)
    return ["progress", "import", "s.xlsx", "--as-of", "2021-03-20"]


def _reimport_check(repo: Path, result: Result, state: dict[str, object]) -> None:
    clean(result)
    assert result.code == 0, result.text[-2000:]
    _unchanged(repo, state)


case(Hang(_reimport_prepare, _reimport_check, cpu=5), "progress_reimport_2500_rows_linear")


# --- size limits for every command ----------------------------------------------------------


def _over_prepare(args: list[str], repo: Path, bombs: Path, state: dict[str, object]) -> list[str]:
    padding = ("# " + "填充" * 40 + "\n") * (LIMIT // 160 + 1000)
    plan = write_plan(repo, PLAN + padding)
    assert plan.stat().st_size > LIMIT
    if args[0] == "progress":
        fill_sheet(repo / "s.xlsx", [{**TASK1, "进展情况": "已完成初稿"}])
    return args


def _over_check(repo: Path, result: Result, state: dict[str, object]) -> None:
    clean(result)
    assert result.code in (1, 2), result.text[-2000:]
    assert "p.yaml" in result.text
    _unchanged(repo, state)


for _args, _marks in (
    (["validate", "data"], ()),
    (["fmt", "data"], ()),
    (["fix", "data"], ()),
    (
        ["progress", "import", "s.xlsx"],
        (),
    ),
):
    case(
        Hang(partial(_over_prepare, _args), _over_check),
        f"over_limit_{'_'.join(_args[:2]).replace('.', '_')}",
        *_marks,
    )


def _big_text_prepare(repo: Path, bombs: Path, state: dict[str, object]) -> list[str]:
    line = "1. 开展安全生产大检查，落实企业主体责任（牵头单位：市应急局；配合单位：市公安局）。\n"
    (repo / "big.txt").write_text(line * (12 * MB // len(line.encode())), encoding="utf-8")
    return ["import", "big.txt", "-o", "draft.yaml"]


def _big_text_check(repo: Path, result: Result, state: dict[str, object]) -> None:
    clean(result)
    assert result.code == 2, result.text[-2000:]
    assert "big.txt" in result.text
    assert not (repo / "draft.yaml").exists()


case(Hang(_big_text_prepare, _big_text_check), "import_12mb_text")


# --- archives: row counts and uncompressed sizes checked before reading ---------------------


def _archive_prepare(
    args: list[str], name: str, repo: Path, bombs: Path, state: dict[str, object]
) -> list[str]:
    write_plan(repo)
    state["name"] = name
    return [*args, str(bombs / name)]


def _archive_check(repo: Path, result: Result, state: dict[str, object]) -> None:
    clean(result)
    assert result.code in (1, 2), result.text[-2000:]
    assert str(state["name"]) in result.text
    _unchanged(repo, state)


for _args, _name, _why in (
    (["import"], "rows.xlsx", "xlsx row count not checked"),
    (["import"], "bomb.xlsx", "xlsx zip bomb read whole"),
    (["import"], "bomb.docx", "docx zip bomb read whole"),
    (["progress", "import"], "rows.xlsx", "xlsx row count not checked"),
    (["progress", "import"], "bomb.xlsx", "xlsx zip bomb read whole"),
):
    case(
        Hang(partial(_archive_prepare, _args, _name), _archive_check),
        f"{'_'.join(_args)}_{_name.replace('.', '_')}",
    )


# --- templates with a budget ----------------------------------------------------------------


def _template_prepare(body: str, repo: Path, bombs: Path, state: dict[str, object]) -> list[str]:
    write_plan(repo)
    (repo / "t.j2").write_text(body, encoding="utf-8")
    return ["export", "data/tasks", "--to", "txt", "--template", "t.j2", "-o", "out.txt"]


def _template_check(repo: Path, result: Result, state: dict[str, object]) -> None:
    clean(result)
    assert result.code in (1, 2), result.text[-2000:]
    assert "t.j2" in result.text
    assert not (repo / "out.txt").exists()


for _id, _body, _cpu in (
    # pure time, no output: only a time budget (a few seconds) stops it
    ("nested_loops", "{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}", 6),
    ("huge_output", "{% for a in range(99999) %}{{ 'x' * 99999 }}{% endfor %}", 3),
    ("huge_string", "{{ 'a' * 10**10 }}", 2),
):  # fmt: skip
    case(
        Hang(partial(_template_prepare, _body), _template_check, cpu=_cpu, mem=1024 * MB),
        f"template_{_id}",
    )


def _zero_prepare(args: list[str], repo: Path, bombs: Path, state: dict[str, object]) -> list[str]:
    write_plan(repo)
    return args


def _zero_check(repo: Path, result: Result, state: dict[str, object]) -> None:
    clean(result)
    assert result.code == 2, result.text[-2000:]
    assert "/dev/zero" in result.text
    _unchanged(repo, state)


for _args in (
    ["export", "data/tasks", "--to", "txt", "--template", "/dev/zero", "-o", "o.txt"],
    ["export", "data/tasks", "--to", "json", "--units", "/dev/zero", "-o", "o.json"],
    ["validate", "data", "--units", "/dev/zero"],
    ["validate", "/dev/zero"],
):
    _what = "template" if "--template" in _args else "units" if "--units" in _args else "path"
    case(
        Hang(partial(_zero_prepare, _args), _zero_check, mem=1024 * MB),
        f"dev_zero_{_args[0]}_{_what}",
    )
