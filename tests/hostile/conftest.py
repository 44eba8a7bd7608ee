"""Shared helpers for the hostile-input suite (issue 11).

Every command runs in a subprocess (``python -m ansheng_cli``) with a timeout, so a hang is a
failed case, never a hung suite; memory-hungry cases also get an address-space limit.
"""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "tests" / "rules" / "cases" / "_units.yaml"

PLAN = """# 测试计划
schema: ansheng/v1
document: {id: p, title: 测试计划, issuer: 测试市安委办, date: 2021-01-10, jurisdiction: 测试市, default_deadline: 2021年底前}
sections:
  - no: 一
    title: 甲
    tasks:
      - no: "1"  # 重点任务
        text: 修订应急预案。
        lead: [市应急管理局]
      - no: "2"
        text: 开展联合执法。
        lead: [市公安局]
        support: [市应急管理局]
"""

OUTPUT_BAD = ("Traceback", "内部错误")


@dataclass
class Result:
    code: int | None  # None: killed after the timeout
    out: str
    err: str
    hung: bool = False

    @property
    def text(self) -> str:
        return self.out + self.err


def _limit(mem: int | None, fsize: int | None):  # type: ignore[no-untyped-def]
    def pre() -> None:
        os.setsid()
        if mem is not None:
            resource.setrlimit(resource.RLIMIT_AS, (mem, mem))
        if fsize is not None:  # a full disk: writes past fsize bytes fail (EFBIG)
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))

    return pre


def ansheng(
    cwd: Path,
    *args: str,
    timeout: float = 60,  # a safety net on a loaded machine; test_hangs has tight limits
    mem: int | None = 2 * 1024**3,
    stdin: str | None = None,
    fsize: int | None = None,
) -> Result:
    """``ansheng ARGS`` run in ``cwd`` in its own process group, killed after ``timeout``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "COLUMNS": "200"}
    env.pop("ANSHENG_DEBUG", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ansheng_cli", *args],
        cwd=cwd,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=_limit(mem, fsize),
    )
    try:
        out, err = proc.communicate(stdin.encode() if stdin is not None else None, timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return Result(None, _dec(out), _dec(err), hung=True)
    return Result(proc.returncode, _dec(out), _dec(err))


def _dec(raw: bytes) -> str:
    # only the head and tail: a runaway output must not flood the test report
    if len(raw) > 400_000:
        raw = raw[:200_000] + b"\n...\n" + raw[-200_000:]
    return raw.decode("utf-8", "replace")


def clean(result: Result) -> None:
    """The run finished, and said nothing about internal errors or tracebacks."""
    assert not result.hung, "命令超时（挂起）"
    for bad in OUTPUT_BAD:
        assert bad not in result.text, result.text[-3000:]


def snapshot(root: Path) -> dict[str, str]:
    """Every entry under ``root``: a symlink by its target, a file by its hash, others by kind.

    The write lock a data repository keeps (``*.lock``, issue 11) is not the user's file."""
    seen = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in [*dirnames, *filenames]:
            if name.endswith(".lock"):
                continue
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            st = p.lstat()
            if p.is_symlink():
                seen[rel] = "link:" + os.readlink(p)
            elif p.is_dir():
                seen[rel] = "dir"
            elif p.is_file():
                seen[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                seen[rel] = f"special:{st.st_mode:o}"
    return seen


def temp_files(root: Path) -> list[str]:
    """Temporary files an atomic write may leave behind."""
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob("*")
        if p.name.endswith((".tmp", "~")) or ".tmp" in p.name
    )


def write_plan(repo: Path, text: str = PLAN, name: str = "p.yaml") -> Path:
    path = repo / "data" / "tasks" / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def plan_repo(repo: Path) -> Path:
    """The test repository with ansheng.toml and one valid plan."""
    (repo / "ansheng.toml").write_text("", encoding="utf-8")
    write_plan(repo)
    return repo


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=f"issue 11: {reason}")


def fill_sheet(path: Path, rows: list[dict[str, object]], unit: str = "市应急管理局") -> None:
    """A 进展填报表 as ``export --to progress-xlsx`` lays it out, with rows filled in.

    Each row names ``task`` (the task's data path, e.g. ``"0.0"``), ``no`` and ``text`` (for
    the check code), and any of 状态, 进展情况, 完成日期, 填报日期, 单位.
    """
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "进展填报表"
    ws.append([f"{unit}进展填报表"])
    ws.append(list(HEADER))
    for r in rows:
        cells: dict[str, object] = {
            "文件": "测试计划",
            "序号": r["no"],
            "任务": r["text"],
            "角色": "牵头",
            "单位": unit,
            "定位": f"{r.get('doc', 'p')}:{r['task']}",
            "校验码": check_code(str(r["no"]), str(r["text"])),
        }
        cells.update({k: v for k, v in r.items() if k in HEADER})
        ws.append([cells.get(h) for h in HEADER])
    wb.save(path)


SHEET_HEADER = ("文件", "序号", "任务", "角色", "完成时限", "状态", "进展情况", "完成日期",
                "填报日期", "单位", "定位", "校验码")  # fmt: skip
HEADER = SHEET_HEADER


def check_code(no: str, text: str) -> str:
    """The sheet's check code of a task (number and text), as the exporter writes it."""
    return hashlib.sha1(f"{no}\n{text}".encode()).hexdigest()[:10]


TASK1 = {"task": "0.0", "no": "1", "text": "修订应急预案。"}
TASK2 = {"task": "0.1", "no": "2", "text": "开展联合执法。"}


def new_repo(factory: pytest.TempPathFactory, name: str = "repo") -> Path:
    """An empty data repository with the test registry (测试市) and an empty ansheng.toml."""
    repo = factory.mktemp(name)
    (repo / "data" / "tasks").mkdir(parents=True)
    (repo / "data" / "departments").mkdir(parents=True)
    (repo / "data" / "departments" / "测试市.yaml").write_bytes(UNITS.read_bytes())
    (repo / "ansheng.toml").write_text("", encoding="utf-8")
    return repo


def run_in_parallel(
    request: pytest.FixtureRequest,
    factory: pytest.TempPathFactory,
    runner: Callable[[Callable[..., None], Path], None],
    workers: int = 4,
) -> dict[int, BaseException | None]:
    """Run the module's selected cases side by side (their commands are subprocesses, so
    threads overlap them); each test then reports its own case's outcome."""
    from concurrent.futures import ThreadPoolExecutor

    selected = [
        item.callspec.params["run"]
        for item in request.session.items
        if getattr(item, "module", None) is request.module and hasattr(item, "callspec")
    ]
    repos = {id(fn): new_repo(factory) for fn in selected}
    with ThreadPoolExecutor(workers) as pool:
        futures = {id(fn): pool.submit(runner, fn, repos[id(fn)]) for fn in selected}
    return {key: f.exception() for key, f in futures.items()}


def case_adder(cases: list[object]) -> Callable[..., None]:
    """The module's ``case(fn, *marks, id=None)``: one parametrised case added to ``cases``."""

    def case(fn: Callable[..., None], *marks: pytest.MarkDecorator, id: str | None = None) -> None:
        cases.append(pytest.param(fn, id=id or fn.__name__, marks=list(marks)))

    return case


def parallel_cases(namespace: dict[str, Any], test_name: str) -> Callable[..., None]:
    """The harness of a module of hostile cases run side by side: puts the module's
    ``outcomes`` fixture and its parametrised test ``test_name`` into ``namespace`` (the
    module's globals) and returns the ``case(fn, *marks, id=None)`` that adds a case."""
    cases: list[object] = []

    @pytest.fixture(scope="module")
    def outcomes(
        request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
    ) -> dict[int, BaseException | None]:
        return run_in_parallel(request, tmp_path_factory, run_checked)

    @pytest.mark.parametrize("run", cases)  # filled by the module's case() calls below it
    def test(run: Callable[[Path], None], outcomes: dict[int, BaseException | None]) -> None:
        outcome(outcomes, run)

    test.__name__ = test.__qualname__ = test_name
    namespace["outcomes"], namespace[test_name] = outcomes, test
    return case_adder(cases)


def run_checked(run: Callable[[Path], None], repo: Path) -> None:
    """Run one case in its repository; no temporary file may be left behind."""
    run(repo)
    assert temp_files(repo) == []


def outcome(outcomes: dict[int, BaseException | None], run: object) -> None:
    error = outcomes[id(run)]
    if error is not None:
        raise error
