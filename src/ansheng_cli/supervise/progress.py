"""The progress round-trip through Excel: a 进展填报表 for one unit, and merging it back.

Each row carries where its task lives (document id and data path) and a check code of the
task's number and text, so a row whose task has since been renumbered or reworded is refused
rather than written to the wrong task. Merging appends progress entries (never deletes any),
sets status and completion date, keeps the YAML's comments, and changes nothing the second
time the same sheet is imported.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ansheng_cli.errors import FileProblem
from ansheng_cli.plan.compiled import Plan
from ansheng_cli.plan.models import STATUSES, as_date

SHEET = "进展填报表"
HEADER = (
    "文件",
    "序号",
    "任务",
    "角色",
    "完成时限",
    "状态",
    "进展情况",
    "完成日期",
    "填报日期",
    "单位",
    "定位",
    "校验码",
)
WIDTHS = (28, 7, 46, 6, 16, 10, 46, 12, 12, 16, 14, 12)
COL = {name: i for i, name in enumerate(HEADER)}


def check_code(no: str, text: str) -> str:
    return hashlib.sha1(f"{no}\n{text}".encode()).hexdigest()[:10]


def write_sheet(plan: Plan, unit: str, path: Path) -> None:
    """One row per task of the unit, with where the task lives and its check code."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    from ansheng_cli.export.sheet import Sheet, add_styles

    wb = Workbook(write_only=True)
    add_styles(wb)
    sheet = Sheet(wb, SHEET, f"{unit}进展填报表", HEADER, WIDTHS)
    styles = ["as-text", "as-cell", "as-text", "as-cell", "as-cell", "as-cell", "as-text", "as-date",
              "as-date", "as-cell", "as-cell", "as-cell"]  # fmt: skip
    count = 0
    for a in plan.assignments(unit):
        doc_id, where = a.document.id, a.task.where
        row = [a.document.title, a.task.no, a.task.text, a.role, a.task.deadline_text or "", None, None,
               None, None, unit, f"{doc_id}:{where}", check_code(a.task.no, a.task.text)]  # fmt: skip
        sheet.append(row, styles)
        count += 1
    if count:
        statuses = DataValidation(
            type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True
        )
        statuses.error = "请从列表中选择状态"
        statuses.add(f"F3:F{count + 2}")
        sheet.ws.data_validations.append(statuses)
    wb.save(path)


@dataclass
class Row:
    number: int  # the sheet's row number
    doc_id: str
    path: tuple[int, ...]
    code: str
    unit: str
    status: str | None
    text: str | None
    done: dt.date | None
    date: dt.date | None


@dataclass
class Merge:
    applied: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    changed_files: list[Path] = field(default_factory=list)


def read_sheet(path: Path) -> tuple[list[Row], list[str]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileProblem(f"无法读取 {path}：{exc}") from None
    if SHEET not in wb.sheetnames:
        raise FileProblem(
            f"{path} 中没有“{SHEET}”工作表（请用 ansheng export --to progress-xlsx 生成）"
        )
    ws = wb[SHEET]
    header = [c.value for c in ws[2]]
    if tuple(header[: len(HEADER)]) != HEADER:
        raise FileProblem(f"{path} 的表头被改动过，无法导入")
    rows, problems = [], []
    for number, cells in enumerate(ws.iter_rows(min_row=3, values_only=True), start=3):
        values = list(cells) + [None] * len(HEADER)
        where = str(values[COL["定位"]] or "")
        doc_id, _, dotted = where.partition(":")
        try:
            data_path = tuple(int(p) for p in dotted.split("."))
        except ValueError:
            problems.append(f"第 {number} 行：定位“{where}”无效，已跳过")
            continue
        status = _text(values[COL["状态"]])
        if status is not None and status not in STATUSES:
            problems.append(
                f"第 {number} 行：状态“{status}”无效（可选：{'、'.join(STATUSES)}），已跳过"
            )
            continue
        rows.append(
            Row(
                number,
                doc_id,
                data_path,
                str(values[COL["校验码"]] or ""),
                str(values[COL["单位"]] or ""),
                status,
                _text(values[COL["进展情况"]]),
                as_date(values[COL["完成日期"]]),
                as_date(values[COL["填报日期"]]),
            )
        )
    return rows, problems


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


def _task_at(data: Any, path: tuple[int, ...]) -> Any:
    """The task at a data path of section indices then the task index."""
    *sections, index = path
    items = data.get("sections")
    node = None
    for i in sections:
        node = items[i]
        items = node.get("sections")
    assert node is not None
    return node["tasks"][index]


def documents_by_id(paths: list[str]) -> dict[str, Path]:
    """Plan files under ``paths`` by their ``document.id`` (where the rows are merged)."""
    from ansheng_cli.plan.files import collect
    from ansheng_cli.plan.loader import load_file

    files = {}
    for _, path in collect(paths):
        data = load_file(path).data
        if isinstance(data, dict) and isinstance(data.get("document"), dict):
            files[str(data["document"].get("id"))] = path
    return files


def merge(rows: list[Row], files: dict[str, Path], today: dt.date) -> Merge:
    """Apply filled-in rows to the YAML files (by document id); refuse rows that no longer match."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from ansheng_cli.atomic import write_text_atomic
    from ansheng_cli.plan.yamlio import round_trip

    result = Merge()
    by_doc: dict[str, list[Row]] = {}
    for row in rows:
        if row.status or row.text or row.done:
            by_doc.setdefault(row.doc_id, []).append(row)
    for doc_id, doc_rows in by_doc.items():
        file = files.get(doc_id)
        if file is None:
            result.refused += [f"第 {r.number} 行：找不到文件“{doc_id}”" for r in doc_rows]
            continue
        yaml = round_trip()
        text = file.read_text(encoding="utf-8-sig")
        data = yaml.load(text)
        for row in doc_rows:
            try:
                task = _task_at(data, row.path)
            except (IndexError, KeyError, TypeError, AssertionError):
                result.refused.append(f"第 {row.number} 行：文件中已没有这项任务，请重新导出填报表")
                continue
            no, body = str(task.get("no")), str(task.get("text") or task.get("title") or "")
            if check_code(no, body) != row.code:
                result.refused.append(
                    f"第 {row.number} 行：任务“{no}”的编号或内容已变更，请重新导出填报表后再填"
                )
                continue
            if row.status and task.get("status") != row.status:
                task["status"] = row.status
                result.applied.append(f"第 {row.number} 行：任务“{no}”状态 → {row.status}")
            if row.done and task.get("done") != row.done:
                task["done"] = row.done
                result.applied.append(f"第 {row.number} 行：任务“{no}”完成日期 → {row.done}")
            if row.text:
                entry = {"date": row.date or today, "unit": row.unit, "text": row.text}
                progress = task.get("progress")
                if progress is None:
                    progress = task["progress"] = CommentedSeq()
                if not any(dict(e) == entry for e in progress):
                    m = CommentedMap(entry)
                    m.fa.set_flow_style()
                    progress.append(m)
                    result.applied.append(f"第 {row.number} 行：任务“{no}”新增进展")
        out = io.StringIO()
        yaml.dump(data, out)
        if out.getvalue() != text:
            write_text_atomic(file, out.getvalue())
            result.changed_files.append(file)
    return result


def import_sheet(sheet: Path, paths: list[str], today: dt.date) -> tuple[str, str, int]:
    """``ansheng progress import``: merge one filled sheet; (stdout, stderr, exit code 1 when
    rows were refused — the rows that could be merged are merged all the same)."""
    from ansheng_cli.errors import UsageProblem

    if not sheet.is_file():
        raise UsageProblem(f"文件不存在：{sheet}")
    rows, problems = read_sheet(sheet)
    result = merge(rows, documents_by_id(paths), today)
    refused = [*problems, *result.refused]
    out = "".join(f"{line}\n" for line in result.applied)
    err = "".join(f"拒绝：{line}\n" for line in refused) + (
        f"合并了 {len(result.applied)} 项，拒绝 {len(refused)} 行，"
        f"修改了 {len(result.changed_files)} 个文件\n"
    )
    return out, err, 1 if refused else 0
