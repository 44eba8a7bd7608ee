"""Readers: a .txt, .docx or .xlsx file → paragraphs and tables with their line numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 20 * 1024 * 1024
LONG_LINE = 300  # a line this long may hold several numbered items (text pasted flat)


class ImportProblem(Exception):
    """The file cannot be imported; the message says why, in Chinese."""


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


def read(path: Path, fmt: str) -> Source:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportProblem(f"无法读取文件 {path}：{exc.strerror or exc}") from None
    if size > MAX_BYTES:
        raise ImportProblem(f"文件过大：{size} 字节，上限 {MAX_BYTES} 字节")
    reader = {"txt": _read_txt, "docx": _read_docx, "xlsx": _read_xlsx}[fmt]
    return reader(path)


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


def _read_xlsx(path: Path) -> Source:
    import zipfile

    try:
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportProblem(f"不是有效的 Excel（.xlsx）文件：{exc}") from None
    except Exception as exc:
        raise ImportProblem(f"不是有效的 Excel（.xlsx）文件：{type(exc).__name__}") from None
    items: list[Item] = []
    for ws in wb.worksheets:
        table = Table(1)
        for index, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = ["" if v is None else str(v).strip() for v in row]
            if any(cells):
                if not table.rows:
                    table.line = index
                table.rows.append(cells)
                table.row_lines.append(index)
        if table.rows:
            items.append(table)
    wb.close()
    return Source(path, items)


_HEADER_CELL = re.compile(
    r"^(序号|编号|(主要|重点|具体|工作)?(任务|事项|内容|措施)(名称)?"
    r"|(牵头|责任|配合|协办|参与|主办)(单位|部门)?.{0,6}|(完成)?(时限|时间)(要求)?)$"
)
_NUMBERED = re.compile(
    r"^(第[一二三四五六七八九十\d]+[章节]|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）])"
)
_ROW_START = re.compile(r"^(\d{1,3})(?:[.．、]\s*(\S.*)|\s*)$")


def flatten_tables(items: list[Item]) -> list[Item]:
    """Find tables flattened one cell per line: a run of short header cells (主要任务 /
    牵头部门 / 完成时间 …) followed by rows that start with a number."""
    out: list[Item] = []
    i = 0
    paras = [it for it in items if isinstance(it, Para)]
    while i < len(paras):
        header = _header_at(paras, i)
        if header:
            table, i = _collect_rows(paras, i, header)
            out.append(table)
            continue
        out.append(paras[i])
        i += 1
    return out


def _header_at(paras: list[Para], i: int) -> list[str]:
    """Three or more header cells (主要任务 / 牵头部门 / 完成时间 …), then a numbered row."""
    cells: list[str] = []
    j = i
    while (
        j < len(paras) and _HEADER_CELL.match(paras[j].text) and not _NUMBERED.match(paras[j].text)
    ):
        cells.append(paras[j].text)
        j += 1
    starts_rows = j < len(paras) and _ROW_START.match(paras[j].text) is not None
    if (
        len(cells) >= 3
        and starts_rows
        and any(w in c for c in cells for w in ("任务", "事项", "内容"))
    ):
        return cells
    return []


def _collect_rows(paras: list[Para], i: int, header: list[str]) -> tuple[Table, int]:
    table = Table(paras[i].line, [header], [paras[i].line])
    j = i + len(header)
    current: list[str] | None = None
    while j < len(paras):
        m = _ROW_START.match(paras[j].text)
        if m and (current is None or len(current) >= 3):
            if current is not None:
                table.rows.append(current)
            current = [m.group(1), (m.group(2) or "").strip()]
            table.row_lines.append(paras[j].line)
        elif current is not None and len(paras[j].text) <= 40:
            current.append(paras[j].text)
        else:
            break
        j += 1
    if current is not None:
        table.rows.append(current)
    return table, j
