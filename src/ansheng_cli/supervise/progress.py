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
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ansheng_cli.errors import AnshengError, FileProblem, UsageProblem
from ansheng_cli.plan.compiled import Assignment, Plan
from ansheng_cli.plan.models import CLOSED, STATUSES

if TYPE_CHECKING:
    from ansheng_cli.supervise.lights import LightRule

SHEET = "进展填报表"
META = "_轮次"  # a hidden sheet: which round and unit the sheet was sent for
HEADER = (
    "文件",
    "序号",
    "任务",
    "角色",
    "完成时限",
    "亮灯",
    "状态",
    "进展情况",
    "完成日期",
    "填报日期",
    "复核意见",
    "复核人",
    "单位",
    "定位",
    "校验码",
)
WIDTHS = (28, 7, 46, 6, 16, 6, 10, 46, 14, 14, 12, 10, 16, 14, 12)
# Columns a returned sheet must still have (found by name: a clerk may move or add columns;
# sheets sent before 亮灯 and 复核 existed still import).
REQUIRED = ("序号", "状态", "进展情况", "完成日期", "填报日期", "单位", "定位", "校验码")
CONFIRMING = ("同意", "同意销号", "销号", "已销号", "通过")  # 复核意见 that confirms 已完成
CLAIMS = ("已完成",)  # a unit's word: 申请办结, until the office confirms it (复核销号)
LOWER = ("未启动", "推进中", "暂缓")  # a sheet never takes a task back from a claim


def check_code(no: str, text: str) -> str:
    return hashlib.sha1(f"{no}\n{text}".encode()).hexdigest()[:10]


@dataclass(frozen=True)
class SheetMeta:
    """What the hidden sheet says: the round and unit a sheet was sent for."""

    round: str | None = None
    unit: str | None = None
    jurisdiction: str | None = None
    as_of: str | None = None
    return_by: str | None = None
    code: str | None = None
    tasks: int = 0

    FIELDS = (("轮次", "round"), ("单位", "unit"), ("地区", "jurisdiction"), ("截至", "as_of"),
              ("报送期限", "return_by"), ("校验码", "code"), ("任务数", "tasks"))  # fmt: skip


def write_sheet(
    plan: Plan, unit: str, path: Path, as_of: dt.date | None = None, meta: SheetMeta | None = None,
    assignments: list[Assignment] | None = None, rule: LightRule | None = None,
) -> SheetMeta:  # fmt: skip
    """One row per task of the unit, with where the task lives, its check code and its
    light on ``as_of``; returns what the hidden sheet records (the sheet's check code is
    that of its rows)."""
    from openpyxl import Workbook

    from ansheng_cli.export.sheet import Sheet, add_styles
    from ansheng_cli.supervise.lights import colour_cells, light

    day = as_of or dt.date.today()
    wb = Workbook(write_only=True)
    add_styles(wb)
    heading = f"{unit}进展填报表" + (f"（{meta.round}）" if meta and meta.round else "")
    title = _title(
        heading, meta.as_of if meta else day.isoformat(), meta.return_by if meta else None
    )
    sheet = Sheet(wb, SHEET, title, HEADER, WIDTHS, title_height=52)
    styles = ["as-text", "as-cell", "as-text", "as-cell", "as-cell", "as-cell", "as-input", "as-input",
              "as-input-date", "as-input-date", "as-open", "as-open", "as-fixed", "as-fixed",
              "as-fixed"]  # fmt: skip
    codes = hashlib.sha1()
    count = 0
    for a in plan.assignments(unit) if assignments is None else assignments:
        doc_id, where = a.document.id, a.task.where
        code = check_code(a.task.no, a.task.text)
        codes.update(f"{doc_id}:{where}:{code}\n".encode())
        text = shortened(a.task.text)
        row = [a.document.title, a.task.no, text, a.role,
               a.task.deadline_text or "", light(a.task, day, rule) or "", None, None, None, None,
               None, None, unit, f"{doc_id}:{where}", code]  # fmt: skip
        sheet.append(row, styles, least=_spare(text))
        count += 1
    if count:
        _validations(sheet.ws, count + 2)
        colour_cells(sheet.ws, f"F3:F{count + 2}")
    _protect(sheet.ws)
    meta = SheetMeta(
        *(meta.round, meta.unit, meta.jurisdiction, meta.as_of, meta.return_by)
        if meta
        else (None, unit, None, day.isoformat(), None),
        codes.hexdigest()[:10],
        count,
    )
    hidden = wb.create_sheet(META)
    hidden.sheet_state = "veryHidden"  # not in Excel's 取消隐藏 list: nothing to edit by mistake
    for label, attr in SheetMeta.FIELDS:
        value = getattr(meta, attr)
        hidden.append([label, "" if value is None else str(value)])
    wb.save(path)
    return meta


TEXT_LINES = 20  # printed lines of task text a row may take (a row is at most 409 pt)
SHORTENED = "……（全文见计划原文）"


def _spare(text: str) -> int:
    """Lines to give the task text: the estimate and some room, as this wide sheet prints
    scaled down to fit the page, where the scaled font wraps a little earlier."""
    from ansheng_cli.export.sheet import lines_needed

    lines = lines_needed(text, WIDTHS[HEADER.index("任务")])
    return lines + 1 + lines // 8 if lines > 1 else 1


def shortened(text: str) -> str:
    """The task's text as the sheet shows it: a text longer than a row can print is cut,
    saying so. (Rows are matched by their check code, made from the full text.)"""
    from ansheng_cli.export.sheet import lines_needed

    width = WIDTHS[HEADER.index("任务")]
    if lines_needed(text, width) <= TEXT_LINES:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that still fits with the note
        mid = (low + high + 1) // 2
        if lines_needed(text[:mid] + SHORTENED, width) <= TEXT_LINES:
            low = mid
        else:
            high = mid - 1
    return text[:low] + SHORTENED


def _title(heading: str, as_of: str | None, return_by: str | None) -> Any:
    """The title cell: the heading, and under it in small type what to fill and by when."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from ansheng_cli.export.sheet import BODY_FONT, HEAD_FONT

    due = f"请于 {return_by} 前报送；" if return_by else ""
    note = f"截至 {as_of}。{due}只填黄色各列；复核意见、复核人由安委办填写；灰色各列请勿改动"
    big = InlineFont(rFont=HEAD_FONT, sz=16, b=True, charset=134)
    small = InlineFont(rFont=BODY_FONT, sz=11, charset=134)
    return CellRichText(TextBlock(big, heading), TextBlock(small, "\n" + note))


def _protect(ws: Any) -> None:
    """Protect the sheet without a password: the yellow cells stay open, the rest (task,
    定位, 校验码) cannot be changed by a slip; widths and heights may still be changed."""
    protection = ws.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = protection.formatCells = False


def _validations(ws: Any, last: int) -> None:
    """Choices for 状态 and dates for the two date columns, refused otherwise (a typed
    '6月底' would only be refused at import)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    statuses = DataValidation(
        type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True
    )
    statuses.error, statuses.errorTitle = "请从列表中选择状态", "状态"
    statuses.prompt, statuses.promptTitle = "从列表中选择：" + "、".join(STATUSES), "状态"
    statuses.showErrorMessage = statuses.showInputMessage = True
    statuses.add(f"G3:G{last}")
    dates = DataValidation(type="date", operator="greaterThan", formula1="DATE(2000,1,1)",
                           allow_blank=True)  # fmt: skip
    dates.error, dates.errorTitle = "请填写日期，如 2024-07-05", "日期"
    dates.showErrorMessage = True
    dates.add(f"I3:J{last}")
    ws.data_validations.append(statuses)
    ws.data_validations.append(dates)


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
    review: str | None = None  # 复核意见 the office wrote in its own copy of the sheet
    reviewer: str | None = None
    origin: int = 0  # which of the sheets imported together it comes from
    confirming: bool = False  # progress confirm: closes the task only while it is 已完成

    @property
    def filled(self) -> bool:
        return bool(self.status or self.text or self.done)


@dataclass
class Merge:
    """What merging did, row by row: (row, what was applied) and (row, why it was refused)."""

    applied: list[tuple[Row, str]] = field(default_factory=list)
    refused: list[tuple[Row, str]] = field(default_factory=list)
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


# What a returned sheet may be saved as: Excel and WPS (.xlsx, .xlsm, .xlsb, .xls, and .et,
# which is BIFF like .xls), LibreOffice (.ods). .xls/.et are no zip: the size bound suffices.
SHEET_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".et")


def _check_package(path: Path) -> None:
    """A regular file of bounded size whose parts do not expand without bound."""
    from ansheng_cli.plan.files import check_package, read_regular

    if path.suffix.lower() not in SHEET_SUFFIXES:
        raise FileProblem(
            f"{path} 不是表格文件：请交回 .xlsx（用 WPS 保存的 .et 请“另存为”Excel 工作簿）"
        )
    read_regular(path, MAX_SHEET_BYTES, "填报表")
    if path.suffix.lower() not in (".xls", ".et"):  # these two are no zip packages
        check_package(path, "Excel（.xlsx）或 .ods", MAX_SHEET_BYTES)


def read_sheet(path: Path) -> tuple[list[Row], list[str], SheetMeta]:
    """The filled rows of a 进展填报表, the problems of the rows left out, and the round it
    was sent for. Read with calamine (fast, and it also reads the .xls and .ods a clerk may
    save); the package is checked for size before anything is read."""
    from ansheng_cli.isolate import Unreadable, isolated

    _check_package(path)
    try:
        return isolated(_read_book, path)
    except Unreadable as exc:
        raise FileProblem(
            f"无法读取 {path}（{exc.reason}）；请用 Excel 或 WPS 打开后另存为 .xlsx"
        ) from None


def _read_book(path: Path) -> tuple[list[Row], list[str], SheetMeta]:
    """The reading itself, in a bounded child (isolate.py): calamine may abort the process on
    a damaged .xls, or raise its own errors halfway through a cut-off sheet."""
    from python_calamine import CalamineWorkbook

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
        found, problems = _rows(path, enumerate(rows, start=first))
        meta = SheetMeta()
        if META in book.sheet_names:
            pairs = book.get_sheet_by_name(META).to_python(nrows=20)
            given = {str(r[0]): str(r[1]).strip() for r in pairs if len(r) > 1 and r[1] != ""}
            values = {attr: given.get(label) for label, attr in SheetMeta.FIELDS}
            tasks = str(values.pop("tasks") or "0").split(".")[0]
            meta = SheetMeta(**values, tasks=int(tasks) if tasks.isdigit() else 0)
        return found, problems, meta
    finally:
        book.close()


def _rows(path: Path, numbered: Any) -> tuple[list[Row], list[str]]:
    rows, problems = [], []
    col: dict[str, int] = {}
    for number, cells in numbered:
        values = list(cells)
        if number == 1:
            continue  # the title row
        if number == 2:
            col = {str(v).strip(): i for i, v in enumerate(values) if v is not None}
            missing = [name for name in REQUIRED if name not in col]
            if missing:
                raise FileProblem(
                    f"{path} 的表头被改动过（缺少“{'”“'.join(missing)}”列），无法导入"
                )
            continue
        if number > MAX_SHEET_ROWS:
            raise FileProblem(f"{path} 超过 {MAX_SHEET_ROWS} 行，不像进展填报表，未导入")
        if not any(v is not None and str(v).strip() for v in values):
            continue
        if not col:
            raise FileProblem(f"{path} 的第 2 行不是表头，无法导入")
        values += [None] * (max(col.values()) + 1 - len(values))
        cell = _cells(values, col)

        where = str(cell("定位") or "")
        doc_id, _, dotted = where.partition(":")
        try:
            data_path = tuple(int(p) for p in dotted.split("."))
        except ValueError:
            problems.append(f"第 {number} 行：定位“{where[:40]}”无效，已跳过")
            continue
        status = _text(cell("状态"))
        if status is not None and status not in STATUSES:
            problems.append(
                f"第 {number} 行：状态“{status[:20]}”无效（可选：{'、'.join(STATUSES)}），已跳过"
            )
            continue
        dates = {}
        for column in ("完成日期", "填报日期"):
            try:
                dates[column] = cell_date(cell(column))
            except ValueError as exc:
                problems.append(f"第 {number} 行“{column}”列：{exc}，本行未导入")
        if len(dates) < 2:
            continue
        rows.append(
            Row(
                number,
                doc_id,
                data_path,
                str(cell("校验码") or ""),
                str(cell("单位") or ""),
                status,
                _text(cell("进展情况")),
                dates["完成日期"],
                dates["填报日期"],
                _text(cell("复核意见")),
                _text(cell("复核人")),
            )
        )
    return rows, problems


def _cells(values: list[Any], col: dict[str, int]) -> Any:
    """A row's cell by column name (None for a column the sheet does not have)."""
    return lambda name: values[col[name]] if name in col else None


def _text(value: Any) -> str | None:
    """A cell as text; control characters (Excel's _x0001_ escapes) are dropped, as they
    would make the plan fail validation (E703)."""
    from ansheng_cli.plan.text import CONTROL

    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 12345 typed in a cell: .xlsx/.ods give 12345.0, .xls 12345
    return CONTROL.sub("", str(value)).strip() or None


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
    from ansheng_cli.plan.loader import load_file, peek_id

    files, unreadable = {}, []
    for display, path in collect(paths):
        known = peek_id(path, max_bytes)
        if known is not None:
            files[known] = path
            continue
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
            result.refused += [(r, f"找不到文件“{doc_id}”") for r in doc_rows]
            continue
        try:
            with repository_lock(file):
                _merge_file(file, doc_rows, today, result)
        except AnshengError as exc:  # this file cannot be written: its rows are refused
            result.refused += [(r, f"{exc}") for r in doc_rows]
    return result


def _merge_file(file: Path, doc_rows: list[Row], today: dt.date, result: Merge) -> None:
    """Merge one file's rows: applied to the plain data, then written as text edits at the
    tasks' places (:func:`_edited`) and checked by parsing the result again, so nothing
    else in the file changes. Where an edit cannot be placed (an empty ``progress:``, a
    block scalar last, anchors), the file's rows are refused with the place: nothing is
    rewritten that the user did not ask for."""
    from ansheng_cli.plan.files import read_regular
    from ansheng_cli.plan.loader import MAX_FILE_BYTES, decode, load_nodes

    def refuse_all(reason: str) -> None:
        result.refused += [(r, reason) for r in doc_rows]

    raw = read_regular(file, MAX_FILE_BYTES)
    text, problem = decode(raw)
    if text is None:
        refuse_all(f"{file} 无法读取（{problem.message if problem else ''}），未改动")
        return
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    loaded, root = load_nodes(file, text)
    plain = loaded.data
    if plain is None:
        issue = loaded.issues[0] if loaded.issues else None
        where = f"{file}:{issue.line}:{issue.column}" if issue else str(file)
        refuse_all(f"{where}: {issue.message if issue else '无法读取'}，未改动")
        return
    before = _before(plain, doc_rows)
    trial = Merge()
    _apply(plain, doc_rows, today, trial, dict, list)
    if not trial.applied:
        result.refused += trial.refused
        return
    edited, stuck = _edited(file, text, root, plain, before)
    if edited is None:
        line = stuck.start_mark.line + 1 if stuck is not None else 1
        refuse_all(
            f"{file}:{line}: 这项任务的写法无法就地追加进展（如空的 progress:、末尾的多行文字块、"
            "锚点引用），文件未改动；请运行 ansheng fmt 整理该文件后再导入"
        )
        return
    result.applied += trial.applied
    result.refused += trial.refused
    _write(file, raw, text, edited, crlf, result)


_KEYS = ("status", "done", "confirmed")  # the scalar keys a row may set; then progress
_ABSENT = object()


def _before(data: Any, rows: list[Row]) -> dict[tuple[int, ...], tuple[Any, ...]]:
    """What the rows may change, per task, before they are applied: the keys' values and
    how many progress entries there were."""
    out: dict[tuple[int, ...], tuple[Any, ...]] = {}
    for row in rows:
        if row.path in out:
            continue
        try:
            task = _task_at(data, row.path)
        except (IndexError, KeyError, TypeError, AssertionError, AttributeError):
            continue
        if not isinstance(task, dict):
            continue
        progress = task.get("progress", _ABSENT)
        count = len(progress) if isinstance(progress, list) else progress
        out[row.path] = (*(task.get(k, _ABSENT) for k in _KEYS), count)
    return out


def _edited(file: Path, text: str, root: Any, data: Any,
            before: dict[tuple[int, ...], tuple[Any, ...]]) -> tuple[str | None, Any]:  # fmt: skip
    """``text`` with the changes the rows made to ``data`` written in place; (None, the
    task's node) when one of them cannot be placed, or (None, None) when the edited text
    does not read back as ``data``."""
    from ansheng_cli.plan import yamledit as ye
    from ansheng_cli.plan.loader import load_text

    edits: list[ye.Edit | None] = []
    for path, old in before.items():
        task, node = _task_at(data, path), _node_at(root, path)
        if node is None:
            return None, None
        placed = len(edits)
        added: list[tuple[str, str | list[str]]] = []
        for key, was in zip(_KEYS, old, strict=False):
            now = task.get(key, _ABSENT)
            if now is _ABSENT or now == was:
                continue
            rendered = ye.scalar(now)
            if rendered is None:
                return None, node
            if was is _ABSENT:
                added.append((key, rendered))
            else:
                edits.append(ye.set_value(text, node, key, rendered))
        count, progress = old[-1], task.get("progress")
        if isinstance(progress, list) and count is not None:
            new = [ye.scalar(e) for e in progress[0 if count is _ABSENT else count :]]
            if any(r is None for r in new):
                return None, node
            rendered_new = [r for r in new if r is not None]
            if count is _ABSENT:
                added.append(("progress", rendered_new))
            elif rendered_new:
                edits.append(ye.append_items(text, ye.get(node, "progress"), rendered_new))
        if added:
            edits.append(ye.add_keys(text, node, added))
        if any(e is None for e in edits[placed:]):
            return None, node
    edited = ye.apply(text, [e for e in edits if e is not None])
    if load_text(file, edited).data != data:
        return None, _first(root, before)
    return edited, None


def _first(root: Any, before: dict[tuple[int, ...], tuple[Any, ...]]) -> Any:
    return next((n for p in before if (n := _node_at(root, p)) is not None), None)


def _node_at(root: Any, path: tuple[int, ...]) -> Any:
    """The task's node in the composed tree (None when the path does not lead to one)."""
    from ansheng_cli.plan import yamledit as ye

    *sections, index = path
    node, seq = root, ye.items(ye.get(root, "sections"))
    for i in sections:
        if i >= len(seq):
            return None
        node = seq[i]
        seq = ye.items(ye.get(node, "sections"))
    tasks = ye.items(ye.get(node, "tasks"))
    return tasks[index] if index < len(tasks) else None


def _write(file: Path, raw: bytes, text: str, merged: str, crlf: bool, result: Merge) -> None:
    from ansheng_cli.atomic import write_bytes_atomic

    if merged == text:
        return
    if crlf:
        merged = merged.replace("\n", "\r\n")
    bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
    write_bytes_atomic(file, bom + merged.encode("utf-8"))
    result.changed_files.append(file)


def _apply(data: Any, rows: list[Row], today: dt.date, result: Merge, new_map: Any,
           new_list: Any) -> None:  # fmt: skip
    """Apply rows to a document's data (plain or round-trip; the factories make its maps
    and lists). A duplicate progress entry is found through a set: linear in the rows."""
    seen: dict[int, set[tuple[str, str, str]]] = {}
    for row in rows:
        try:
            task = _task_at(data, row.path)
        except (IndexError, KeyError, TypeError, AssertionError, AttributeError):
            result.refused.append((row, "文件中已没有这项任务，请重新导出填报表"))
            continue
        no, body = str(task.get("no")), str(task.get("text") or task.get("title") or "")
        if check_code(no, body) != row.code:
            result.refused.append((row, f"任务“{no}”的编号或内容已变更，请重新导出填报表后再填"))
            continue
        status, done = row.status, row.done
        if (
            status == CLOSED
            and not row.confirming
            and not (row.review and row.review.strip() in CONFIRMING and row.reviewer)
        ):  # a unit cannot close its own task: 已销号 is the office's 复核
            status = CLAIMS[0]
            result.refused.append((row, f"任务“{no}”：已销号须经安委办复核，记为“已完成”"))
        if row.confirming and task.get("status") not in CLAIMS:
            now = task.get("status") or "未填报"
            result.refused.append((row, f"任务“{no}”的状态已是“{now}”，未销号"))
            continue
        if status in LOWER and task.get("status") in (*CLAIMS, CLOSED):
            result.refused.append(
                (
                    row,
                    f"任务“{no}”已报告完成，本表填“{status}”，状态和完成日期未改（如需撤回请修改计划文件）",
                )
            )
            status = done = None
        if row.review and status in (*CLAIMS, CLOSED):
            if row.review.strip() in CONFIRMING and not row.reviewer:  # the claim stands
                result.refused.append((row, f"任务“{no}”的复核意见没有写复核人，未销号"))
            elif row.review.strip() in CONFIRMING:
                status = CLOSED
                if task.get("confirmed") is None:
                    task["confirmed"] = new_map({"date": today, "by": row.reviewer})
                if task.get("done") is None and done is None:
                    task["done"] = today  # 销号 closes the task: W805 wants its date
            else:
                status = None
                result.applied.append((row, f"任务“{no}”复核未通过（{row.review[:20]}），状态未改"))
        if status and task.get("status") != status and task.get("status") != CLOSED:
            task["status"] = status
            result.applied.append((row, f"任务“{no}”状态 → {status}"))
        if done and task.get("done") != done:
            task["done"] = done
            result.applied.append((row, f"任务“{no}”完成日期 → {done}"))
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
                result.applied.append((row, f"任务“{no}”新增进展"))


def _entry_key(entry: Any) -> tuple[str, str, str]:
    return (str(entry.get("date")), str(entry.get("unit")), str(entry.get("text")))


def sheet_files(sources: list[Path]) -> list[Path]:
    """The returned sheets among ``sources``: files as given, folders searched (sheets
    only; Office's ~$ lock files and hidden files left out)."""

    out: list[Path] = []
    for source in sources:
        if source.is_dir():
            out += sorted(
                p
                for p in source.rglob("*")
                if p.suffix.lower() in SHEET_SUFFIXES
                and not p.name.startswith(("~$", "."))
                and p.is_file()
            )
        elif source.exists():
            out.append(source)
        else:
            raise UsageProblem(f"文件不存在：{source}")
    if not out:
        raise UsageProblem(f"{'、'.join(map(str, sources))} 中没有填报表（.xlsx、.xls、.ods、.et）")
    return out


CONVERTED = (".et",)  # WPS 表格: converted through LibreOffice when calamine cannot read it


def read_returned(path: Path) -> tuple[list[Row], list[str], SheetMeta]:
    """``read_sheet``; a WPS .et that calamine cannot read is converted to .xlsx first
    (LibreOffice, in a temporary folder) when LibreOffice is installed."""
    try:
        return read_sheet(path)
    except FileProblem as exc:
        from ansheng_cli.office import available, converted

        if path.suffix.lower() not in CONVERTED or not available():
            raise
        first = exc
    try:
        with converted(path, "xlsx") as xlsx:
            return read_sheet(xlsx)
    except FileProblem as exc:
        raise FileProblem(
            f"{first}；经 LibreOffice 转换也无法读取（{str(exc)[:120]}）。"
            "请在 WPS 中“另存为”Excel 工作簿（.xlsx）后再导入"
        ) from None


def _read_together(paths: list[Path]) -> dict[Path, tuple[list[Row], list[str], SheetMeta]]:
    """The sheets that read cleanly, all in one bounded child (a child per sheet costs
    more than the reading). A sheet that fails, or a batch whose child dies, is left out:
    each is then read on its own (``read_returned``), for its own message."""
    from ansheng_cli.isolate import SECONDS, Unreadable, isolated

    if len(paths) < 2:
        return {}
    try:
        found = isolated(_read_each, paths, seconds=SECONDS + len(paths))
    except (Unreadable, AnshengError):
        return {}
    return {path: result for path, result in zip(paths, found, strict=True) if result}


def _read_each(paths: list[Path]) -> list[tuple[list[Row], list[str], SheetMeta] | None]:
    out: list[tuple[list[Row], list[str], SheetMeta] | None] = []
    for path in paths:
        try:
            _check_package(path)
            out.append(_read_book(path))
        except Exception:  # our problems and the library's: read again alone, for the message
            out.append(None)
    return out


@dataclass
class Returned:
    """One returned sheet as read: its rows, the rows left out, and its round."""

    path: Path
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    meta: SheetMeta = field(default_factory=SheetMeta)
    error: str | None = None

    @property
    def label(self) -> str:
        who = self.meta.unit or self.path.name
        return f"{who}（{self.path.name}）" if self.meta.unit else who


def import_sheets(
    sources: list[Path], into: list[str] | None, today: dt.date, max_bytes: int = 10 * 1024 * 1024
) -> tuple[str, str, int]:
    """``ansheng progress import FILE|FOLDER…``: merge every returned sheet in one pass over
    the plan files; one summary line per sheet and a total; the round's record notes who
    returned what and when. (stdout, stderr, exit code 1 when rows or sheets were refused
    — what could be merged is merged all the same.)"""
    from collections import Counter

    from ansheng_cli.config import default_paths
    from ansheng_cli.streams import detail, progress

    plans = [str(p) for p in sources if p.suffix.lower() in (".yaml", ".yml")]
    sources = [p for p in sources if str(p) not in plans]  # the older form: SHEET PLAN…
    if not sources:
        raise UsageProblem("请给出交回的填报表（文件或目录），计划文件用 --into 指定")
    paths = default_paths([*(into or []), *plans])
    sheets: list[Returned] = []
    found = sheet_files(sources)
    read = _read_together(found)
    for i, path in enumerate(progress(found, "读取填报表")):
        try:
            rows, problems, meta = read.get(path) or read_returned(path)
        except FileProblem as exc:
            if len(found) == 1:
                raise
            sheets.append(Returned(path, error=str(exc)))
            continue
        kept = []
        for row in rows:
            row.origin = i
            row.unit = row.unit or meta.unit or ""  # a cleared 单位 cell: the sheet's unit
            if row.unit or not row.filled:
                kept.append(row)
            else:
                problems.append(f"第 {row.number} 行：“单位”列为空，已跳过")
        sheets.append(Returned(path, kept, problems, meta))
    files, unreadable = documents_by_id(paths, max_bytes)
    result = merge([r for s in sheets for r in s.rows], files, today)
    rounds, unnoted = note_returns(sheets, paths, today)
    applied = Counter(row.origin for row, _ in result.applied)
    refused = Counter(row.origin for row, _ in result.refused)
    several = len(sheets) > 1
    out: list[str] = []
    err: list[str] = []
    for row, line in result.applied:
        where = f"{sheets[row.origin].path.name} " if several else ""
        (detail if several else out.append)(f"{where}第 {row.number} 行：{line}")
    for i, sheet in enumerate(sheets):
        where = f"{sheet.path.name} " if several else ""
        if sheet.error:
            err.append(f"拒绝：{sheet.error}")
            continue
        err += [f"拒绝：{where}{p}" for p in sheet.problems]
        err += [f"拒绝：{where}第 {r.number} 行：{t}" for r, t in result.refused if r.origin == i]
        if several:
            left = len(sheet.problems) + refused[i]
            out.append(f"{sheet.label}：合并 {applied[i]} 项，拒绝 {left} 行")
    failed = sum(bool(s.error) for s in sheets)
    left_out = sum(len(s.problems) for s in sheets) + len(result.refused)
    if result.refused and unreadable:
        err.append("以下计划文件无法读取，其中的任务未能合并：" + "；".join(unreadable))
    total = (
        f"共 {len(sheets)} 张填报表" + (f"（{failed} 张无法读取）" if failed else "") + "："
        if several
        else ""
    )
    err += rounds
    err.append(
        f"{total}合并了 {len(result.applied)} 项，拒绝 {left_out} 行，"
        f"修改了 {len(result.changed_files)} 个文件"
    )
    text = "".join(f"{line}\n" for line in out)
    return text, "".join(f"{line}\n" for line in err), 1 if left_out or failed or unnoted else 0


def note_returns(
    sheets: list[Returned], paths: list[str], today: dt.date
) -> tuple[list[str], bool]:
    """Record in each round's file which units returned their sheet (first return date,
    most rows filled); importing the same sheet again changes nothing. Returns the notes,
    and whether a round's record could not be read or written (the import then fails:
    the returns are not counted until the sheets are imported again)."""
    from ansheng_cli.supervise.rounds import find_round, repository_root

    by_round: dict[str, list[Returned]] = {}
    for sheet in sheets:
        if sheet.meta.round and sheet.meta.unit and not sheet.error:
            by_round.setdefault(sheet.meta.round, []).append(sheet)
    if not by_round:
        return [], False
    notes, failed = [], False
    try:
        root = repository_root(paths)
    except UsageProblem:
        return ["注意：计划文件不在数据仓库中，报送情况未登记"], False
    for name, returned in by_round.items():
        try:
            path, _ = find_round(root, name)
        except FileProblem as exc:
            notes.append(f"错误：{exc}；进展已合并，报送情况未登记，改正后请再导入一次")
            failed = True
            continue
        except AnshengError:
            notes.append(f"注意：没有找到督办轮次“{name}”的记录，报送情况未登记")
            continue
        try:
            notes += _note_round(root, path, name, returned, today)
        except AnshengError as exc:
            notes.append(f"错误：{exc}；进展已合并，报送情况未登记，改正后请再导入一次")
            failed = True
    return notes, failed


def _note_round(
    root: Path, path: Path, name: str, returned: list[Returned], today: dt.date
) -> list[str]:
    from ansheng_cli.atomic import repository_lock
    from ansheng_cli.supervise.rounds import find_round, save_round

    notes = []
    with repository_lock(path):
        _, record = find_round(root, name)
        changed = False
        for sheet in returned:
            named = {r.unit for r in sheet.rows if r.unit}
            if named - {sheet.meta.unit}:  # the hidden unit or the 单位 column was edited
                notes.append(
                    f"注意：{sheet.path.name} 表内的单位（{'、'.join(sorted(named))}）"
                    f"与发送时登记的“{sheet.meta.unit}”不一致，报送情况未登记"
                )
                continue
            sent = record.unit(sheet.meta.unit or "")
            if sent is None:
                notes.append(f"注意：{sheet.meta.unit} 不在“{name}”的发送名单中，报送情况未登记")
                continue
            filled = sum(r.filled for r in sheet.rows)
            if not filled:
                notes.append(f"注意：{sheet.path.name} 一项也没有填写，未登记为已报送")
                continue
            new = (sent.returned or today, max(sent.filled, filled))
            if new != (sent.returned, sent.filled):
                sent.returned, sent.filled = new
                changed = True
        if changed:
            save_round(path, record)
    return notes
