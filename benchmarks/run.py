"""Print the figures the core issue asks for, in one run.

    python benchmarks/run.py [--sizes 10000 100000] [--repeat 3]

- start-up: ``ansheng --version`` (median of 15 runs);
- per corpus size: ``ansheng validate`` wall time, tasks/s, MB/s, peak memory;
- the floor: merely parsing the same files with ruamel.yaml's C-backed safe loader,
  in a fresh interpreter like validate (ratio = validate / floor);
- the peer: check-jsonschema against the schema ``ansheng schema`` prints (if installed);
- export: xlsx, txt and docx seconds and peak memory, next to the floor of parsing the same
  files and writing the same rows with plain write-only openpyxl (export_floor.py), and
  docx / xlsx (``--export-only`` prints just this table).

Every command runs as a subprocess, so each figure includes interpreter start-up.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate

BIN = Path(sys.executable).parent
FLOOR = """
import sys
from pathlib import Path
from ruamel.yaml import YAML
yaml = YAML(typ="safe", pure=False)
for path in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    yaml.load(path.read_text(encoding="utf-8"))
"""


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in MiB, exit code of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status)


def best(cmd: list[str], repeat: int, cwd: Path | None = None) -> tuple[float, int]:
    runs = [timed(cmd, cwd) for _ in range(repeat)]
    for _, _, code in runs:
        if code not in (0, 1):
            raise SystemExit(f"command failed ({code}): {' '.join(cmd)}")
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--docx-max", type=int, default=100_000, help="largest size to export as docx"
    )
    parser.add_argument("--export-only", action="store_true", help="only the export table")
    args = parser.parse_args()
    ansheng = str(BIN / "ansheng")
    if args.export_only:
        export_table(args.sizes, args.docx_max, ansheng)
        return

    startup = statistics.median(timed([ansheng, "--version"])[0] for _ in range(15))
    print(f"ansheng --version start-up: {startup * 1000:.0f} ms (goal ≤ 150 ms)\n")

    header = (
        f"{'tasks':>7} {'files':>5} {'MB':>6} | {'validate s':>10} {'tasks/s':>8} {'MB/s':>6} "
        f"{'peak MiB':>8} | {'C parse s':>9} {'ratio':>5} | {'check-jsonschema s':>18}"
    )
    print(header)
    print("-" * len(header))
    peer = shutil.which("check-jsonschema") or str(BIN / "check-jsonschema")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            files = generate(root, size)
            mb = sum(f.stat().st_size for f in files) / 1e6
            validate, peak = best(
                [ansheng, "validate", "data", "--format", "json", "-o", str(root / "out.json")],
                args.repeat,
                cwd=root,
            )
            floor, _ = best(
                [sys.executable, "-c", FLOOR, str(root / "data" / "tasks")], args.repeat
            )
            peer_time = "n/a"
            if Path(peer).exists() and size <= 10_000:
                schema = root / "schema.json"
                subprocess.run(
                    [ansheng, "schema", "document", "-o", str(schema)], check=True, cwd=root
                )
                peer_s, _ = best([peer, "--schemafile", str(schema), *map(str, files)], 1, cwd=root)
                peer_time = f"{peer_s:.2f}"
            print(
                f"{size:>7} {len(files):>5} {mb:>6.1f} | {validate:>10.2f} {size / validate:>8.0f} "
                f"{mb / validate:>6.2f} {peak:>8} | {floor:>9.2f} {validate / floor:>5.2f} | "
                f"{peer_time:>18}"
            )
    print("\nGoals: ratio ≤ 1.25 at 10k tasks; faster than check-jsonschema; 100k peak < 1.5 GB.\n")
    export_table(args.sizes, args.docx_max, ansheng)


def export_table(sizes: list[int], docx_max: int, ansheng: str) -> None:
    floor_script = str(Path(__file__).parent / "export_floor.py")
    header = (
        f"{'tasks':>7} | {'xlsx s':>7} {'MiB':>5} | {'floor s':>7} {'MiB':>5} {'ratio':>5} | "
        f"{'txt s':>6} {'MiB':>5} | {'docx s':>7} {'MiB':>5} {'/xlsx':>5}"
    )
    print(header)
    print("-" * len(header))
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            generate(root, size)
            export = [ansheng, "export", "data/tasks", "-o"]
            xlsx, xlsx_mem = best([*export, str(root / "a.xlsx")], 1, cwd=root)
            floor, floor_mem = best(
                [sys.executable, floor_script, str(root / "data"), str(root / "f.xlsx")], 1
            )
            txt, txt_mem = best([*export, str(root / "a.txt"), "--to", "txt"], 1, cwd=root)
            docx = "n/a"
            if size <= docx_max:
                seconds, mem = best([*export, str(root / "a.docx"), "--to", "docx"], 1, cwd=root)
                docx = f"{seconds:>7.2f} {mem:>5} {seconds / xlsx:>5.2f}"
            print(
                f"{size:>7} | {xlsx:>7.2f} {xlsx_mem:>5} | {floor:>7.2f} {floor_mem:>5} "
                f"{xlsx / floor:>5.2f} | {txt:>6.2f} {txt_mem:>5} | {docx:>19}"
            )
    print(
        "\nGoals: xlsx of 100k tasks ≤ 1.5× the write-only floor, peak < 400 MB; txt streamed;"
        "\ndocx streamed: 100k tasks peak < 300 MiB and ≤ 1.5× the xlsx export (/xlsx)."
    )


if __name__ == "__main__":
    main()
