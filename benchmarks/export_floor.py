"""The floor for xlsx export: parse the same files and write the same rows with plain
write-only openpyxl, no styling, no validation.

    python benchmarks/export_floor.py DATA_DIR OUT.xlsx

Rows written: per document its sections and tasks (5 columns), one row per (unit, task)
(7 columns), one row per task for the timeline (7 columns) and one per unit (4 columns) —
the same cells ``ansheng export`` writes.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from openpyxl import Workbook
from ruamel.yaml import YAML


def main(data: Path, out: Path) -> None:
    yaml = YAML(typ="safe", pure=False)
    wb = Workbook(write_only=True)
    by_unit: list[list[str]] = []
    timeline: list[list[str]] = []
    load: Counter[str] = Counter()
    for path in sorted((data / "tasks").glob("*.yaml")):
        doc = yaml.load(path.read_text(encoding="utf-8"))
        ws = wb.create_sheet()
        ws.append([doc["document"]["title"] + "任务分工表"])
        ws.append(["序号", "主要任务", "牵头单位", "配合单位", "完成时限"])
        stack = list(reversed(doc.get("sections", [])))
        while stack:
            section = stack.pop()
            ws.append([section["title"]])
            for t in section.get("tasks", []):
                lead, support = t.get("lead", []), t.get("support", [])
                deadline = t.get("deadline", "")
                ws.append(
                    [t["no"], t.get("text", ""), "\n".join(lead), "\n".join(support), deadline]
                )
                title = doc["document"]["title"]
                for role, names in (("牵头", lead), ("配合", support)):
                    for name in names:
                        by_unit.append(
                            [name, role, title, t["no"], t.get("title", ""), deadline, ""]
                        )
                        load[name] += 1
                timeline.append(
                    ["", deadline, "", title, t["no"], t.get("title", ""), "\n".join(lead)]
                )
            stack.extend(reversed(section.get("sections", [])))
    for rows in (sorted(by_unit), timeline, [[u, n, 0, n] for u, n in load.most_common()]):
        ws = wb.create_sheet()
        for row in rows:
            ws.append(row)
    wb.save(out)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
