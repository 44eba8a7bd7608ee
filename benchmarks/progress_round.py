"""The 一轮督办 figure issue 18 asks for: start a round for every unit, then import all the
returned sheets in one command.

    python benchmarks/progress_round.py [--units 100] [--tasks 100] [--files 10]

Builds a throw-away data repository: ``--units`` units, each leading ``--tasks`` tasks
spread over ``--files`` plan files. Times (fresh subprocesses, interpreter start-up
included) ``ansheng export --to progress-xlsx --round … -o 填报表/`` (one sheet per unit),
fills every row of every sheet with openpyxl (not timed), then ``ansheng progress import
填报表/`` and the same import again (nothing changes). Goal: start + import ≤ 10 s for
100 sheets of 100 rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 10.0


def build(folder: Path, units: int, tasks: int, files: int) -> None:
    (folder / "data" / "tasks").mkdir(parents=True)
    (folder / "data" / "departments").mkdir(parents=True)
    (folder / "ansheng.toml").write_text("", encoding="utf-8")
    names = [f"第{u}局" for u in range(1, units + 1)]
    registry = "schema: ansheng/units-v1\njurisdiction: 测试市\nunits:\n" + "".join(
        f"  - {{name: {n}, kind: 政府部门}}\n" for n in names
    )
    (folder / "data" / "departments" / "测试市.yaml").write_text(registry, encoding="utf-8")
    per_file = units * tasks // files
    number = 0
    for f in range(files):
        body = []
        for _ in range(per_file):
            unit = names[number % units]
            number += 1
            body.append(
                f'      - no: "{number}"\n        text: 任务{number}：开展安全生产检查。\n'
                f"        lead: [{unit}]\n        deadline: 2024年12月底前\n"
            )
        (folder / "data" / "tasks" / f"plan{f}.yaml").write_text(
            "schema: ansheng/v1\n"
            f"document: {{id: plan{f}, title: 督办基准{f}, issuer: 测试市安委办, date: 2024-01-10,"
            " jurisdiction: 测试市}\n"
            "sections:\n  - no: 一\n    title: 甲\n    tasks:\n" + "".join(body),
            encoding="utf-8",
        )


def fill(folder: Path) -> int:
    from openpyxl import load_workbook

    count = 0
    for sheet in sorted(folder.glob("*.xlsx")):
        wb = load_workbook(sheet)
        ws = wb["进展填报表"]
        for row in range(3, ws.max_row + 1):
            ws.cell(row, 7).value = "推进中"
            ws.cell(row, 8).value = f"第{row}行已部署"
            ws.cell(row, 10).value = dt.date(2024, 7, 5)
        wb.save(sheet)
        count += 1
    return count


def timed(cmd: list[str], cwd: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr}")
    return seconds, done.stderr.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--files", type=int, default=10)
    args = parser.parse_args()
    ansheng = [sys.executable, "-m", "ansheng_cli"]
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp)
        build(repo, args.units, args.tasks, args.files)
        start, said = timed([*ansheng, "export", "data/tasks", "--to", "progress-xlsx", "--round",
                             "基准轮", "--return-by", "2024-07-10", "--as-of", "2024-06-30",
                             "-o", "填报表/"], repo)  # fmt: skip
        print(f"start round: {start:.1f} s  ({said})")
        sheets = fill(repo / "填报表")
        first, said = timed(
            [*ansheng, "progress", "import", "填报表/", "--as-of", "2024-07-08"], repo
        )
        print(f"import {sheets} sheets × {args.tasks} rows: {first:.1f} s  ({said})")
        again, said = timed(
            [*ansheng, "progress", "import", "填报表/", "--as-of", "2024-07-09"], repo
        )
        print(f"import again: {again:.1f} s  ({said})")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        total = start + first
        verdict = "met" if total <= GOAL_SECONDS else "MISSED"
        print(f"start + import: {total:.1f} s (goal ≤ {GOAL_SECONDS:.0f} s: {verdict}); "
              f"peak memory {peak:.0f} MiB")  # fmt: skip


if __name__ == "__main__":
    main()
