"""The 进展填报表: one unit's sheet written, and a returned one read back.

Each row carries where its task lives (document id and data path) and a check code of the
task's number and text, so a row whose task has since been renumbered or reworded is refused
rather than written to the wrong task (merge.py). A hidden sheet records the round and unit
the sheet was sent for (rounds.py, returns.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ansheng_cli.errors import AnshengError, FileProblem, UsageProblem
from ansheng_cli.plan.compiled import Assignment, Plan
from ansheng_cli.plan.models import STATUSES

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
        text, lines = task_cell(a.task.text)
        row = [a.document.title, a.task.no, text, a.role,
               a.task.deadline_text or "", light(a.task, day, rule) or "", None, None, None, None,
               None, None, unit, f"{doc_id}:{where}", code]  # fmt: skip
        sheet.append(row, styles, least=lines, skip=(TASK_COLUMN,))  # its lines counted once
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


TASK_COLUMN = HEADER.index("任务")
TEXT_LINES = 20  # printed lines of task text a row may take (a row is at most 409 pt)
SHORTENED = "……（全文见计划原文）"


def task_cell(text: str) -> tuple[str, int]:
    """The task's text as the sheet shows it, and the lines its row is given.

    A text longer than a row can print is cut, saying so (rows are matched by their check
    code, made from the full text). The row gets the estimate and some room, as this wide
    sheet prints scaled down to fit the page, where the scaled font wraps a little earlier."""
    from ansheng_cli.export.sheet import lines_needed

    width = WIDTHS[TASK_COLUMN]
    lines = lines_needed(text, width)
    if lines > TEXT_LINES:
        low, high = 0, len(text)
        while low < high:  # the longest prefix that still fits with the note
            mid = (low + high + 1) // 2
            if lines_needed(text[:mid] + SHORTENED, width) <= TEXT_LINES:
                low = mid
            else:
                high = mid - 1
        text = text[:low] + SHORTENED
        lines = lines_needed(text, width)
    return text, lines + 1 + lines // 8 if lines > 1 else 1


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


def read_together(paths: list[Path]) -> dict[Path, tuple[list[Row], list[str], SheetMeta]]:
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
