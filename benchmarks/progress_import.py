"""The progress import figure issue 11 asks for: merging a filled 进展填报表 of 10,000 rows.

    python benchmarks/progress_import.py [--rows 10000] [--tasks 1] [--timeout 600]

Builds a throw-away data repository (one plan of ``--tasks`` tasks, one registry) and a
sheet laid out as ``ansheng export --to progress-xlsx`` writes it, with ``--rows`` filled-in
rows spread over the tasks (the default puts them all on one task: the case a quadratic
duplicate check makes slow). Prints wall seconds and peak memory of ``ansheng progress
import`` run twice: the first run appends every entry, the second finds them all present and
changes nothing. Goal: linear, ≤ 5 s for 10,000 rows.

Every figure is a fresh subprocess (interpreter start-up included).
"""

from __future__ import annotations

import argparse
import hashlib
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REGISTRY = """schema: ansheng/units-v1
jurisdiction: 测试市
units:
  - {name: 市应急管理局, kind: 政府部门}
  - {name: 市公安局, kind: 政府部门}
"""
HEADER = ("文件", "序号", "任务", "角色", "完成时限", "状态", "进展情况", "完成日期",
          "填报日期", "单位", "定位", "校验码")  # fmt: skip
GOAL_SECONDS = 5.0


def check_code(no: str, text: str) -> str:
    """The sheet's check code of a task, as the exporter writes it."""
    return hashlib.sha1(f"{no}\n{text}".encode()).hexdigest()[:10]


def build(folder: Path, rows: int, tasks: int) -> Path:
    """The data repository and the filled sheet; returns the sheet's path."""
    from openpyxl import Workbook

    (folder / "data" / "tasks").mkdir(parents=True)
    (folder / "data" / "departments").mkdir(parents=True)
    (folder / "ansheng.toml").write_text("", encoding="utf-8")
    (folder / "data" / "departments" / "测试市.yaml").write_text(REGISTRY, encoding="utf-8")
    body = "".join(
        f'      - no: "{i}"  # 第{i}项\n        text: 任务{i}：开展安全生产检查。\n'
        f"        lead: [市应急管理局]\n        support: [市公安局]\n"
        for i in range(1, tasks + 1)
    )
    (folder / "data" / "tasks" / "bench.yaml").write_text(
        "schema: ansheng/v1\n"
        "document: {id: bench, title: 进展导入基准, issuer: 测试市安委办, date: 2024-01-10,"
        " jurisdiction: 测试市, default_deadline: 2024年底前}\n"
        "sections:\n  - no: 一\n    title: 甲\n    tasks:\n" + body,
        encoding="utf-8",
    )
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("进展填报表")
    ws.append(["市应急管理局进展填报表"])
    ws.append(list(HEADER))
    for r in range(rows):
        i = r % tasks + 1
        text = f"任务{i}：开展安全生产检查。"
        day = f"2024-{r % 12 + 1:02d}-{r % 28 + 1:02d}"
        ws.append(["进展导入基准", str(i), text, "牵头", "2024年底前", "推进中",
                   f"第{r}次调度：已完成阶段工作", None, day, "市应急管理局",
                   f"bench:0.{i - 1}", check_code(str(i), text)])  # fmt: skip
    sheet = folder / "filled.xlsx"
    wb.save(sheet)
    return sheet


def timed(cmd: list[str], cwd: Path, timeout: float) -> tuple[float | None, int, int]:
    """Wall seconds (None after the timeout), peak RSS in MiB, exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return None, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024, -1
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # largest child so far
    return elapsed, peak, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000, help="filled-in rows (10000)")
    parser.add_argument("--tasks", type=int, default=1, help="tasks the rows spread over (1)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run (600)")
    args = parser.parse_args()
    cmd = [sys.executable, "-m", "ansheng_cli", "progress", "import", "filled.xlsx"]
    with tempfile.TemporaryDirectory(prefix="ansheng-progress-bench-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        build(folder, args.rows, args.tasks)
        print(f"sheet: {args.rows} rows over {args.tasks} task(s), built in "
              f"{time.perf_counter() - start:.1f} s")  # fmt: skip
        for label in ("first import (appends)", "second import (no change)"):
            seconds, peak, code = timed(cmd, folder, args.timeout)
            shown = (
                f"{seconds:6.2f} s" if seconds is not None else f"> {args.timeout:.0f} s (timeout)"
            )
            verdict = "ok" if seconds is not None and seconds <= GOAL_SECONDS else "over goal"
            print(
                f"{label:28} {shown}  peak {peak} MiB  exit {code}  [{verdict}, goal ≤ {GOAL_SECONDS:.0f} s]"
            )
            if seconds is None:
                break
        size = (folder / "data" / "tasks" / "bench.yaml").stat().st_size
        print(f"plan after import: {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
