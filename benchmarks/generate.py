"""Generate a realistic plan corpus: N tasks over files of about 50 tasks (fixed seed).

python benchmarks/generate.py OUT_DIR --tasks 10000
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

UNITS = [
    "市应急管理局", "市委宣传部", "市委组织部", "市委编办", "市发改委", "市工信局", "市公安局",
    "市财政局", "市住建局", "市交通运输局", "市农业农村局", "市生态环境局", "市市场监管局",
    "市教育局", "市卫健委", "市消防救援大队", "市司法局", "市水利局", "市文旅局", "市总工会",
]  # fmt: skip
VERBS = ["健全", "完善", "深化", "推进", "落实", "强化", "建立", "开展", "加强", "规范"]
OBJECTS = [
    "安全生产责任体系", "隐患排查治理机制", "安全风险分级管控", "应急救援指挥平台",
    "安全生产标准化建设", "执法检查计划", "重大危险源监测预警", "安全宣传教育培训",
    "危险化学品综合治理", "道路交通安全整治", "建筑施工安全治理", "城镇燃气安全排查",
]  # fmt: skip
CLAUSES = [
    "按照“管行业必须管安全、管业务必须管安全、管生产经营必须管安全”的要求",
    "坚持党政同责、一岗双责、齐抓共管、失职追责",
    "依托信息化平台建立企业安全风险数据库",
    "对重大隐患实行挂牌督办和整改销号",
    "定期通报督查结果，严格责任追究",
    "加强部门联动和信息共享，减轻企业重复检查负担",
]  # fmt: skip
DEADLINES = [
    "2020年底前",
    "2020年6月底前",
    "每季度",
    "每年第一季度",
    "长期坚持",
    "2020年10月",
    None,
]
CN = "一二三四五六七八九十"


def _task(rng: random.Random, no: int) -> list[str]:
    title = f"{rng.choice(VERBS)}{rng.choice(OBJECTS)}"
    text = "，".join(rng.sample(CLAUSES, 3)) + "。"
    lead = rng.sample(UNITS, rng.randint(1, 3))
    support = rng.sample([u for u in UNITS if u not in lead], rng.randint(0, 3))
    lines = [
        f'      - no: "{no}"',
        f"        title: {title}",
        f"        text: {title}。{text}",
        f"        lead: [{', '.join(lead)}]",
        f"        support: [{', '.join(support)}]",
        "        others: 相关部门",
    ]
    deadline = rng.choice(DEADLINES)
    if deadline:
        lines.append(f"        deadline: {deadline}")
    lines.append(f"        source: {{file: plan.txt, line: {no * 2 + 10}}}")
    return lines


def document(rng: random.Random, index: int, tasks: int) -> str:
    lines = [
        "schema: ansheng/v1",
        "document:",
        f"  id: bench-{index:05d}",
        f"  title: 2020年安全生产工作要点（第{index}号）",
        "  issuer: 测试市安全生产委员会办公室",
        f"  doc_no: 测安办〔2020〕{index + 1}号",
        "  date: 2020-02-24",
        "  jurisdiction: 测试市",
        "  period: {start: 2020-01-01, end: 2020-12-31}",
        "  default_deadline: 2020年底前",
        "sections:",
    ]
    no, per_section = 1, 10
    for s in range((tasks + per_section - 1) // per_section):
        lines += [f"  - no: {CN[s % 10]}", f"    title: {rng.choice(OBJECTS)}", "    tasks:"]
        for _ in range(min(per_section, tasks - no + 1)):
            lines += _task(rng, no)
            no += 1
    return "\n".join(lines) + "\n"


def registry() -> str:
    lines = ["schema: ansheng/units-v1", "jurisdiction: 测试市", "units:"]
    lines += [f"  - {{name: {u}, kind: 政府部门}}" for u in UNITS]
    return "\n".join(lines) + "\n"


def generate(out: Path, tasks: int, per_file: int = 50, seed: int = 20201) -> list[Path]:
    rng = random.Random(seed)
    (out / "data" / "tasks").mkdir(parents=True, exist_ok=True)
    (out / "data" / "departments").mkdir(parents=True, exist_ok=True)
    (out / "data" / "departments" / "测试市.yaml").write_text(registry(), encoding="utf-8")
    files = []
    for i in range((tasks + per_file - 1) // per_file):
        count = min(per_file, tasks - i * per_file)
        path = out / "data" / "tasks" / f"plan-{i:05d}.yaml"
        path.write_text(document(rng, i, count), encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--tasks", type=int, default=10_000)
    args = parser.parse_args()
    files = generate(args.out, args.tasks)
    print(f"{len(files)} files, {args.tasks} tasks in {args.out}")


if __name__ == "__main__":
    main()
