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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ansheng_cli.errors import FileProblem
from ansheng_cli.plan.compiled import Plan
from ansheng_cli.plan.models import STATUSES

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


MAX_SHEET_BYTES = 50 * 1024 * 1024  # uncompressed: far above any real 进展填报表
MAX_SHEET_ROWS = 100_000
_TYPED_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def cell_date(value: Any) -> dt.date | None:
    """A date as clerks type it: a date cell, 2024-06-20, 2024/6/20, 2024.6.20, 2024年6月20日,
    or an Excel serial day number. Raises ValueError (Chinese) for anything else."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2_958_466:  # Excel's day numbers, 1900-01-01 … 9999-12-31
            from openpyxl.utils.datetime import from_excel

            found = from_excel(value)
            return found.date() if isinstance(found, dt.datetime) else None
        raise ValueError(f"“{value}”不是日期")
    match = _TYPED_DATE.match(str(value))
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            raise ValueError(f"“{value}”不是有效日期") from None
    raise ValueError(f"“{str(value)[:20]}”不是日期（请写成 2024-06-20）")


# What a returned sheet may be saved as: Excel and WPS (.xlsx, .xlsm, .xlsb, .xls, .et is
# refused: not read by calamine), LibreOffice (.ods). .xls is no zip: its size bound suffices.
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")


def _check_package(path: Path) -> None:
    """A regular file of bounded size whose parts do not expand without bound."""
    from ansheng_cli.plan.files import check_package, read_regular

    if path.suffix.lower() not in SHEET_SUFFIXES:
        raise FileProblem(
            f"{path} 不是表格文件：请交回 .xlsx（用 WPS 保存的 .et 请“另存为”Excel 工作簿）"
        )
    read_regular(path, MAX_SHEET_BYTES, "填报表")
    if path.suffix.lower() != ".xls":
        check_package(path, "Excel（.xlsx）或 .ods", MAX_SHEET_BYTES)


def read_sheet(path: Path) -> tuple[list[Row], list[str]]:
    """The filled rows of a 进展填报表. Read with calamine (fast, and it also reads the .xls
    and .ods a clerk may save); the package is checked for size before anything is read."""
    from python_calamine import CalamineWorkbook

    _check_package(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every bad file
        raise FileProblem(f"无法读取 {path}：{str(exc)[:200]}") from None
    try:
        if SHEET not in book.sheet_names:
            raise FileProblem(
                f"{path} 中没有“{SHEET}”工作表（请用 ansheng export --to progress-xlsx 生成）"
            )
        sheet = book.get_sheet_by_name(SHEET)
        if sheet.total_height > MAX_SHEET_ROWS:
            raise FileProblem(f"{path} 超过 {MAX_SHEET_ROWS} 行，不像进展填报表，未导入")
        rows = ([None if v == "" else v for v in row] for row in sheet.iter_rows())
        first = (sheet.start[0] + 1) if sheet.start else 1  # 1-based row of the first cells
        return _rows(path, enumerate(rows, start=first))
    finally:
        book.close()


def _rows(path: Path, numbered: Any) -> tuple[list[Row], list[str]]:
    rows, problems = [], []
    for number, cells in numbered:
        values = list(cells) + [None] * len(HEADER)
        if number == 1:
            continue  # the title row
        if number == 2:
            if tuple(values[: len(HEADER)]) != HEADER:
                raise FileProblem(f"{path} 的表头被改动过，无法导入")
            continue
        if number > MAX_SHEET_ROWS:
            raise FileProblem(f"{path} 超过 {MAX_SHEET_ROWS} 行，不像进展填报表，未导入")
        if not any(v is not None and str(v).strip() for v in values):
            continue
        where = str(values[COL["定位"]] or "")
        doc_id, _, dotted = where.partition(":")
        try:
            data_path = tuple(int(p) for p in dotted.split("."))
        except ValueError:
            problems.append(f"第 {number} 行：定位“{where[:40]}”无效，已跳过")
            continue
        status = _text(values[COL["状态"]])
        if status is not None and status not in STATUSES:
            problems.append(
                f"第 {number} 行：状态“{status[:20]}”无效（可选：{'、'.join(STATUSES)}），已跳过"
            )
            continue
        dates = {}
        for column in ("完成日期", "填报日期"):
            try:
                dates[column] = cell_date(values[COL[column]])
            except ValueError as exc:
                problems.append(f"第 {number} 行“{column}”列：{exc}，本行未导入")
        if len(dates) < 2:
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
                dates["完成日期"],
                dates["填报日期"],
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


def documents_by_id(paths: list[str], max_bytes: int) -> tuple[dict[str, Path], list[str]]:
    """Plan files under ``paths`` by their ``document.id`` (where the rows are merged), and
    the files that could not be read (so a row whose file is among them is explained)."""
    from ansheng_cli.plan.files import collect
    from ansheng_cli.plan.loader import load_file

    files, unreadable = {}, []
    for display, path in collect(paths):
        loaded = load_file(path, max_bytes)
        data = loaded.data
        if isinstance(data, dict) and isinstance(data.get("document"), dict):
            files[str(data["document"].get("id"))] = path
        elif loaded.issues and not loaded.ok:
            unreadable.append(f"{display}：{loaded.issues[0].message}")
    return files, unreadable


def merge(rows: list[Row], files: dict[str, Path], today: dt.date) -> Merge:
    """Apply filled-in rows to the YAML files (by document id); refuse rows that no longer
    match. Each file is read, merged and written under the data repository's lock, so two
    imports at once both land."""
    from ansheng_cli.atomic import repository_lock

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
        with repository_lock(file):
            _merge_file(file, doc_rows, today, result)
    return result


def _merge_file(file: Path, doc_rows: list[Row], today: dt.date, result: Merge) -> None:
    """Merge one file's rows. The rows are first tried on the plain data (fast); only when
    something changes is the file parsed round-trip (comments kept) and rewritten."""
    from ansheng_cli.atomic import write_bytes_atomic
    from ansheng_cli.plan.files import read_regular
    from ansheng_cli.plan.loader import MAX_FILE_BYTES, decode, load_text
    from ansheng_cli.plan.yamlio import YamlProblem, load, lost_comments, round_trip

    def refuse_all(reason: str) -> None:
        result.refused += [f"第 {r.number} 行：{reason}" for r in doc_rows]

    raw = read_regular(file, MAX_FILE_BYTES)
    text, problem = decode(raw)
    if text is None:
        refuse_all(f"{file} 无法读取（{problem.message if problem else ''}），未改动")
        return
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    trial = Merge()
    plain = load_text(file, text).data
    if plain is not None:
        _apply(plain, doc_rows, today, trial, dict, list)
        if not trial.applied:
            result.refused += trial.refused
            return
    yaml = round_trip()
    try:
        data = load(yaml, text)
    except YamlProblem as exc:
        refuse_all(f"{file}:{exc.line}:{exc.column}: {exc}，未改动")
        return
    merged_here = Merge()
    _apply(data, doc_rows, today, merged_here, *_round_trip_types())
    out = io.StringIO()
    yaml.dump(data, out)
    merged = out.getvalue()
    lost = lost_comments(text, merged)
    if lost:
        line, comment = lost[0]
        refuse_all(
            f"合并会丢失 {file} 第 {line} 行的注释“# {comment}”，未改动；请把该处的多行列表改为每项一行"
        )
        return
    result.applied += merged_here.applied
    result.refused += merged_here.refused
    if merged == text:
        return
    if crlf:
        merged = merged.replace("\n", "\r\n")
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    write_bytes_atomic(file, bom + merged.encode("utf-8"))
    result.changed_files.append(file)


def _round_trip_types() -> tuple[Any, Any]:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def flow_map(entry: dict[str, Any]) -> Any:
        m = CommentedMap(entry)
        m.fa.set_flow_style()
        return m

    return flow_map, CommentedSeq


def _apply(data: Any, rows: list[Row], today: dt.date, result: Merge, new_map: Any,
           new_list: Any) -> None:  # fmt: skip
    """Apply rows to a document's data (plain or round-trip; the factories make its maps
    and lists). A duplicate progress entry is found through a set: linear in the rows."""
    seen: dict[int, set[tuple[str, str, str]]] = {}
    for row in rows:
        try:
            task = _task_at(data, row.path)
        except (IndexError, KeyError, TypeError, AssertionError, AttributeError):
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
            progress = task.get("progress")
            if progress is None:
                progress = task["progress"] = new_list()
            known = seen.get(id(progress))
            if known is None:
                known = seen[id(progress)] = {_entry_key(e) for e in progress}
            entry = {"date": row.date or today, "unit": row.unit, "text": row.text}
            if _entry_key(entry) not in known:
                known.add(_entry_key(entry))
                progress.append(new_map(entry))
                result.applied.append(f"第 {row.number} 行：任务“{no}”新增进展")


def _entry_key(entry: Any) -> tuple[str, str, str]:
    return (str(entry.get("date")), str(entry.get("unit")), str(entry.get("text")))


def import_sheet(
    sheet: Path, paths: list[str], today: dt.date, max_bytes: int = 10 * 1024 * 1024
) -> tuple[str, str, int]:
    """``ansheng progress import``: merge one filled sheet; (stdout, stderr, exit code 1 when
    rows were refused — the rows that could be merged are merged all the same)."""
    from ansheng_cli.errors import UsageProblem

    if not sheet.is_file():
        raise UsageProblem(f"文件不存在：{sheet}")
    rows, problems = read_sheet(sheet)
    files, unreadable = documents_by_id(paths, max_bytes)
    result = merge(rows, files, today)
    refused = [*problems, *result.refused]
    if result.refused and unreadable:
        refused.append("以下计划文件无法读取，其中的任务未能合并：" + "；".join(unreadable))
    out = "".join(f"{line}\n" for line in result.applied)
    err = "".join(f"拒绝：{line}\n" for line in refused) + (
        f"合并了 {len(result.applied)} 项，拒绝 {len(refused)} 行，"
        f"修改了 {len(result.changed_files)} 个文件\n"
    )
    return out, err, 1 if refused else 0
