"""Readers: a .txt, .docx or .xlsx file → paragraphs and tables with their line numbers.

Files of the other office suites come the same way: a .doc or .wps (and .rtf) is
converted to .docx by LibreOffice (``ansheng_cli.office``) and read as one, so its line
numbers are those of the converted document's paragraphs, as for any .docx; a .xls, .xlsb,
.ods or WPS .et workbook is read by calamine into the same tables as an .xlsx, with the
same sheet choice and the sheet's own row numbers. Calamine runs in a child process with a
memory and time bound: a damaged .xls can make it abort the whole process, and a few bytes
of .ods (repeated rows) can ask for gigabytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ansheng_cli.errors import AnshengError

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000  # rows of a sheet: a plan's table has hundreds
LONG_LINE = 300  # a line this long may hold several numbered items (text pasted flat)


class ImportProblem(AnshengError):
    """The file cannot be imported; the message says why, in Chinese (exit 2)."""


@dataclass(frozen=True, slots=True)
class Para:
    line: int
    text: str
    blank_before: int = 0  # empty lines before it: two or more end a box (专栏)


@dataclass(slots=True)
class Table:
    line: int
    rows: list[list[str]] = field(default_factory=list)
    row_lines: list[int] = field(default_factory=list)  # source line of each row


Item = Para | Table


@dataclass
class Source:
    path: Path
    items: list[Item]
    encoding: str = "utf-8"


MAX_TEXT_BYTES = 10 * 1024 * 1024  # a text or web page this long is no plan


# --from kinds that are not read directly: converted to .docx first, or read by calamine
CONVERTED = ("doc", "wps")
CALAMINE = ("xls", "et", "ods")


def read(path: Path, fmt: str, sheet: str | int | None = None) -> Source:
    """The document as paragraphs and tables. Only regular files of bounded size are read,
    and an Office file is checked for what it expands to before it is opened."""
    from ansheng_cli.errors import FileProblem
    from ansheng_cli.plan.files import check_package, read_regular

    if fmt in CONVERTED:
        return _read_converted(path)
    limit = MAX_TEXT_BYTES if fmt in ("txt", "html") else MAX_BYTES
    try:
        data = read_regular(path, limit, "文件")
        if fmt in ("docx", "xlsx"):
            check_package(path, {"docx": "Word（.docx）", "xlsx": "Excel（.xlsx）"}[fmt])
        elif fmt in CALAMINE:
            _check_sheet_package(path, data)
    except FileProblem as exc:
        raise ImportProblem(str(exc)) from None
    if fmt == "xlsx":
        return _read_xlsx(path, sheet)
    if fmt in CALAMINE:
        chosen = _choose_sheet(_isolated(path, data), sheet)
        return Source(path, [chosen] if chosen.rows else [])
    if fmt in ("html", "pdf"):
        from ansheng_cli.importer.web import read_html, read_pdf

        return read_html(path) if fmt == "html" else read_pdf(path)
    reader = {"txt": _read_txt, "docx": _read_docx}[fmt]
    return reader(path)


def _read_converted(path: Path) -> Source:
    """A .doc, .wps, .rtf or .odt, converted to .docx by LibreOffice and read as one; the
    paragraphs keep the original file's name. An .odt is a zip package: what it expands
    to is checked before LibreOffice opens it."""
    from ansheng_cli.errors import FileProblem
    from ansheng_cli.office import converted
    from ansheng_cli.plan.files import check_package

    try:
        if path.suffix.lower() == ".odt":
            check_package(path, "OpenDocument 文本（.odt）", MAX_BYTES)
        with converted(path, "docx", max_bytes=MAX_BYTES) as docx:
            check_package(docx, "Word（.docx）")
            source = _read_docx(docx)
    except FileProblem as exc:
        raise ImportProblem(str(exc)) from None
    source.path = path
    return source


def decode(raw: bytes) -> tuple[str, str]:
    """UTF-8 (BOM allowed), else GB18030 (a superset of GBK); which one is returned too."""
    if b"\x00" in raw[:4096]:
        raise ImportProblem("文件含有 NUL 字节，不是文本文件")
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        raise ImportProblem("文件既不是 UTF-8 也不是 GBK/GB18030 编码的文本") from None


def _read_txt(path: Path) -> Source:
    text, encoding = decode(path.read_bytes())
    items: list[Item] = []
    blanks = 0
    for number, line in enumerate(text.splitlines(), start=1):
        clean = line.strip()
        if clean:
            items.append(Para(number, clean, blanks))
            blanks = 0
        else:
            blanks += 1
    return Source(path, flatten_tables(items), encoding)


def _read_docx(path: Path) -> Source:
    import zipfile

    try:
        from docx import Document

        document = Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ImportProblem(f"不是有效的 Word（.docx）文件：{exc}") from None
    except Exception as exc:  # python-docx raises its own types for foreign zips
        raise ImportProblem(f"不是有效的 Word（.docx）文件：{type(exc).__name__}") from None
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    from ansheng_cli.importer.word_numbering import Numbering

    numbering = Numbering(document)
    items: list[Item] = []
    for number, child in enumerate(document.element.body.iterchildren(), start=1):
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            # Word's automatic numbers are not in the text: put them back as printed
            text = numbering.label(child) + Paragraph(child, document).text.strip()
            if text:
                items.append(Para(number, text))
        elif tag == "tbl":
            table = DocxTable(child, document)
            rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
            items.append(Table(number, rows, [number] * len(rows)))
    return Source(path, items)


# Sheets that are views of the tasks, not the tasks: never chosen by default.
VIEW_SHEETS = re.compile(r"统计|按单位|按部门|单位清单|时间节点|按时限|汇总|图表|进度|督办|说明")


def _read_xlsx(path: Path, sheet: str | int | None = None) -> Source:
    """The task sheet of a workbook: ``sheet`` (a name, or a 1-based index) when given, else
    the first sheet whose header names the task columns and whose name is not a view
    (统计, 按单位 …), else the first sheet."""
    import zipfile

    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportProblem(f"不是有效的 Excel（.xlsx）文件：{exc}") from None
    except Exception as exc:
        raise ImportProblem(f"不是有效的 Excel（.xlsx）文件：{type(exc).__name__}") from None
    try:
        tables: list[tuple[str, Table]] = []
        for ws in wb.worksheets:
            if (ws.max_row or 0) > MAX_ROWS:  # the sheet's own dimension, read without rows
                raise ImportProblem(
                    f"{path} 的工作表“{ws.title}”有 {ws.max_row} 行，不像计划，未读取"
                )
            too_many = f"{path} 的工作表“{ws.title}”超过 {MAX_ROWS} 行，不像计划，未读取"
            tables.append((ws.title, _table(ws.iter_rows(values_only=True), too_many)))
    finally:
        wb.close()
    chosen = _choose_sheet(tables, sheet)
    return Source(path, [chosen] if chosen.rows else [])


def _check_sheet_package(path: Path, data: bytes) -> None:
    """A zipped workbook (.xlsb, .ods; an .xlsx given as --from xls) must not expand past
    the bound when read. Unlike ``check_package`` the binary parts of an .xlsb count too;
    pictures (stored, not parsed) do not. A .xls (no zip) is bounded by its size."""
    import io
    import zipfile

    from ansheng_cli.errors import FileProblem
    from ansheng_cli.plan.files import MAX_UNZIPPED

    if not data.startswith(b"PK"):
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parsed = sum(
                info.file_size
                for info in package.infolist()
                if info.filename.endswith((".xml", ".rels", ".vml", ".bin"))
            )
    except zipfile.BadZipFile:
        raise FileProblem(f"{path} 不是有效的表格文件（压缩包已损坏）") from None
    if parsed > MAX_UNZIPPED:
        raise FileProblem(f"{path} 解压后过大（{parsed} 字节，上限 {MAX_UNZIPPED} 字节），未读取")


def _isolated(path: Path, data: bytes) -> list[tuple[str, Table]]:
    """``_calamine_tables`` in a bounded child (see isolate.py): a file that makes calamine
    abort or swell ends in a message, not in a crash or a swapping machine."""
    from ansheng_cli.isolate import SECONDS, Unreadable, isolated

    try:
        return isolated(_calamine_tables, path, data)
    except Unreadable as exc:
        if exc.reason.startswith("超时"):
            raise ImportProblem(f"读取 {path} 超时（{SECONDS} 秒），未导入") from None
        raise ImportProblem(
            f"{path} 已损坏或过于庞大，无法读取；请用 WPS 或 Excel 打开，"
            "“另存为”Excel 工作簿（.xlsx）后再导入"
        ) from None


def _calamine_tables(path: Path, data: bytes) -> list[tuple[str, Table]]:
    """Every worksheet of a workbook calamine reads (.xls, .xlsb, .ods, .et, .xlsx) as a
    table, as ``_read_xlsx`` makes them: rows numbered as in the sheet, leading empty
    rows and columns kept. Calamine gives values only, like openpyxl's read-only mode: a merged
    cell's value is in its first cell, the others are empty."""
    import io

    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises its own error types for every bad file
        raise ImportProblem(f"无法读取表格文件 {path}：{str(exc)[:200]}") from None
    except BaseException as exc:  # a Rust panic (pyo3's PanicException) is no Exception
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise ImportProblem(f"{path} 已损坏，无法读取") from None
    try:
        tables: list[tuple[str, Table]] = []
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # chart sheets: openpyxl's ``worksheets`` leaves them out too
            ws = book.get_sheet_by_name(meta.name)
            if ws.total_height > MAX_ROWS:
                raise ImportProblem(
                    f"{path} 的工作表“{meta.name}”有 {ws.total_height} 行，不像计划，未读取"
                )
            # the grid from A1, as openpyxl gives it (iter_rows pads rows, not columns)
            grid = ws.to_python(skip_empty_area=False, nrows=MAX_ROWS)
            too_many = f"{path} 的工作表“{meta.name}”超过 {MAX_ROWS} 行，不像计划，未读取"
            tables.append((meta.name, _table(grid, too_many)))
        return tables
    except ImportProblem:
        raise
    except Exception as exc:
        raise ImportProblem(f"无法读取表格文件 {path}：{str(exc)[:200]}") from None
    finally:
        book.close()


def _table(rows: Iterable[Sequence[object]], too_many: str) -> Table:
    """A sheet's rows as a table: the non-empty rows, each with its row number in the sheet
    (from 1, as both readers give the grid from A1); past MAX_ROWS, ``too_many`` is said."""
    table = Table(1)
    for index, row in enumerate(rows, start=1):
        if index > MAX_ROWS:
            raise ImportProblem(too_many)
        cells = [_cell_text(v) for v in row]
        if any(cells):
            if not table.rows:
                table.line = index
            table.rows.append(cells)
            table.row_lines.append(index)
    return table


def _cell_text(value: object) -> str:
    """A cell as printed: whole numbers without .0, dates as 2023年6月30日."""
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value).strip()


def _choose_sheet(tables: list[tuple[str, Table]], sheet: str | int | None) -> Table:
    from ansheng_cli.importer.tables import is_header

    names = [name for name, _ in tables]
    if not tables:
        return Table(1)
    if sheet is not None:
        if isinstance(sheet, int) or str(sheet).isdigit():
            index = int(sheet)
            if not 1 <= index <= len(tables):
                raise ImportProblem(f"工作簿只有 {len(tables)} 个工作表，没有第 {index} 个")
            return tables[index - 1][1]
        for name, table in tables:
            if name == sheet:
                return table
        raise ImportProblem(f"工作簿中没有名为“{sheet}”的工作表（现有：{'、'.join(names)}）")

    def has_header(table: Table) -> bool:
        return any(is_header(row) for row in table.rows[:10])

    for name, table in tables:
        if not VIEW_SHEETS.search(name) and has_header(table):
            return table
    for _, table in tables:
        if has_header(table):
            return table
    return tables[0][1]


_HEADER_CELL = re.compile(
    r"^(序号|编号|(主要|重点|具体|工作)?(任务|事项|内容|措施)(名称)?"
    r"|(牵头|责任|配合|协办|参与|主办)(单位|部门)?.{0,6}|(完成)?(时限|时间)(要求)?)$"
)
_NUMBERED = re.compile(
    r"^(第[一二三四五六七八九十\d]+[章节]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）])"
)
_ROW_START = re.compile(r"^(\d{1,3})(?:[.．、]\s*(\S.*)|\s*)$")


def flatten_tables(items: list[Item]) -> list[Item]:
    """Find tables flattened into text: one cell per blank-separated paragraph (see
    ``tables.flatten_cells``), else one cell per line — a run of short header cells (主要任务 /
    牵头部门 / 完成时间 …) followed by rows that start with a number."""
    from ansheng_cli.importer.tables import flatten_cells

    out: list[Item] = []
    for item in flatten_cells([it for it in items if isinstance(it, Para)]):
        if isinstance(item, Table):
            out.append(item)
            continue
        out.append(item)
    return _flatten_lines(out)


def _flatten_lines(items: list[Item]) -> list[Item]:
    out: list[Item] = []
    i = 0
    paras = items
    while i < len(paras):
        if isinstance(paras[i], Table):
            out.append(paras[i])
            i += 1
            continue
        header = _header_at(paras, i)
        if header:
            table, i = _collect_rows(paras, i, header)
            out.append(table)
            continue
        out.append(paras[i])
        i += 1
    return out


def _header_at(paras: list[Item], i: int) -> list[str]:
    """Three or more header cells (主要任务 / 牵头部门 / 完成时间 …), then a numbered row."""
    cells: list[str] = []
    j = i
    while j < len(paras):
        para = paras[j]
        if not isinstance(para, Para) or not _HEADER_CELL.match(para.text):
            break
        if _NUMBERED.match(para.text):
            break
        cells.append(para.text)
        j += 1
    nxt = paras[j] if j < len(paras) else None
    starts_rows = isinstance(nxt, Para) and _ROW_START.match(nxt.text) is not None
    if (
        len(cells) >= 3
        and starts_rows
        and any(w in c for c in cells for w in ("任务", "事项", "内容"))
    ):
        return cells
    return []


def _collect_rows(paras: list[Item], i: int, header: list[str]) -> tuple[Table, int]:
    table = Table(paras[i].line, [header], [paras[i].line])
    j = i + len(header)
    current: list[str] | None = None
    while j < len(paras):
        para = paras[j]
        if not isinstance(para, Para):
            break
        m = _ROW_START.match(para.text)
        if m and (current is None or len(current) >= 3):
            if current is not None:
                table.rows.append(current)
            current = [m.group(1), (m.group(2) or "").strip()]
            table.row_lines.append(para.line)
        elif current is not None and len(para.text) <= 40:
            current.append(para.text)
        else:
            break
        j += 1
    if current is not None:
        table.rows.append(current)
    return table, j
