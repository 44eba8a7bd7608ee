"""A styled, print-ready write-only sheet: the one building block of every workbook ansheng
writes (the 任务分工表, the due list, the progress sheet).

Write-only mode keeps memory flat on large plans; cell text is never taken for a formula;
row heights are computed because neither Excel nor LibreOffice grows generated rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ansheng_cli.export.measure import lines as printed_lines
from ansheng_cli.plan.text import NOT_XML, xml_safe

CELL_LIMIT = 32_767  # characters Excel holds in one cell
CUT = "…（超出 Excel 单元格字数上限，以下从略）"

BODY_FONT = "仿宋"  # FangSong; charset 134 (GB2312) lets Excel/WPS pick a Chinese fallback
HEAD_FONT = "黑体"
INPUT_FILL = "FFF2CC"  # the light yellow of cells to fill in
MAX_HEIGHT = 409  # points: Excel's tallest row


def add_styles(wb: Any) -> None:
    """The named cell styles every ansheng sheet uses (as-title, as-header, as-text …)."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    specs = {
        "as-label": (Font(name=HEAD_FONT, size=16, charset=134), Alignment("left", "center"), None, None),
        "as-title": (Font(name=HEAD_FONT, size=16, bold=True, charset=134), Alignment("center", "center", wrap_text=True), None, None),
        "as-header": (Font(name=HEAD_FONT, size=12, bold=True, charset=134), Alignment("center", "center", wrap_text=True), box, PatternFill("solid", fgColor="D9D9D9")),
        "as-section": (Font(name=HEAD_FONT, size=12, bold=True, charset=134), Alignment("left", "center", wrap_text=True), box, None),
        "as-cell": (Font(name=BODY_FONT, size=12, charset=134), Alignment("center", "center", wrap_text=True), box, None),
        "as-text": (Font(name=BODY_FONT, size=12, charset=134), Alignment("left", "center", wrap_text=True), box, None),
        "as-date": (Font(name=BODY_FONT, size=12, charset=134), Alignment("center", "center", wrap_text=True), box, None),
        # what a unit fills in (a 进展填报表): tinted; what it must leave alone: grey text
        "as-input": (Font(name=BODY_FONT, size=12, charset=134), Alignment("left", "center", wrap_text=True), box, PatternFill("solid", fgColor=INPUT_FILL)),
        "as-input-date": (Font(name=BODY_FONT, size=12, charset=134), Alignment("center", "center", wrap_text=True), box, PatternFill("solid", fgColor=INPUT_FILL)),
        "as-open": (Font(name=BODY_FONT, size=12, charset=134), Alignment("left", "center", wrap_text=True), box, None),
        "as-fixed": (Font(name=BODY_FONT, size=10, color="808080", charset=134), Alignment("center", "center", wrap_text=True), box, None),
    }  # fmt: skip
    for name, (font, alignment, border, fill) in specs.items():
        style = NamedStyle(name=name, font=font, alignment=alignment)
        if border is not None:
            style.border = border
        if fill is not None:
            style.fill = fill
        if name in ("as-date", "as-input-date"):
            style.number_format = "yyyy-mm-dd"
        if name.startswith(("as-input", "as-open")):
            from openpyxl.styles import Protection

            style.protection = Protection(locked=False)  # open where the sheet is protected
        wb.add_named_style(style)


class Sheet:
    """A write-only sheet with a title row, a header row and print settings."""

    def __init__(
        self,
        wb: Any,
        title: str,
        heading: Any,
        header: Sequence[str],
        widths: Sequence[int],
        label: str | None = None,
        title_height: float = 36,
        portrait: bool = False,
    ) -> None:
        """``label`` (附件) is a row above the title, where the sheet is an attachment;
        ``heading`` may be rich text (a title and a note under it)."""
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.properties import PageSetupProperties

        self.ws = wb.create_sheet(title=title)
        _fast_rows(self.ws)
        self.widths = tuple(widths)
        self.width = len(header)
        self.last = get_column_letter(self.width)
        for i, w in enumerate(widths, start=1):
            self.ws.column_dimensions[get_column_letter(i)].width = w
        self.header_row = 3 if label else 2
        self.ws.freeze_panes = f"A{self.header_row + 1}"
        self.ws.print_title_rows = f"{self.header_row}:{self.header_row}"
        setup = self.ws.page_setup
        setup.orientation = "portrait" if portrait else "landscape"
        setup.paperSize = 9  # A4
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        self.ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        self.ws.print_options.horizontalCentered = True
        self.ws.page_margins.left = self.ws.page_margins.right = 0.5
        self.ws.oddFooter.center.text = "第 &P 页 共 &N 页"
        self.row = 0
        self._protos: dict[tuple[int, str], Any] = {}
        if label:
            self.ws.row_dimensions[1].height = 24
            self.ws.append([self._cell(0, label, "as-label")])
            self.row += 1
            del self.ws.row_dimensions[1]
        self.merged_row(heading, "as-title", height=title_height)
        self.append(header, ["as-header"] * self.width)

    def _cell(self, column: int, value: Any, style: str) -> Any:
        """A styled cell for this column. Write-only mode writes a row as soon as it is
        appended, so one cell per (column, style) is reused: styling is paid once."""
        from openpyxl.cell import WriteOnlyCell

        cell = self._protos.get((column, style))
        if cell is None:
            cell = self._protos[(column, style)] = WriteOnlyCell(self.ws)
            cell.style = style
        if type(value) is str:
            # Hot path: bind text directly. Always type "s", so text that looks like a
            # formula ("=…") stays text; openpyxl's own binding would make it a formula.
            if len(value) > CELL_LIMIT:
                value = value[: CELL_LIMIT - len(CUT)] + CUT
            if NOT_XML.search(value):
                value = xml_safe(value)
            cell._value = value
            cell.data_type = "s"
        else:
            cell.value = value
        return cell

    def append(
        self,
        values: Sequence[Any],
        styles: Sequence[str],
        least: int = 1,
        skip: Sequence[int] = (),
    ) -> None:
        """Write a row as tall as its text needs, and at least ``least`` lines; the columns
        in ``skip`` (a cell spanning several rows) do not count."""
        lines = max(
            least,
            *(
                lines_needed(v, w)
                for i, (v, w) in enumerate(zip(values, self.widths, strict=True))
                if i not in skip
            ),
        )
        if lines > 1:
            # Neither Excel nor LibreOffice grows a generated row to fit wrapped text; in
            # write-only mode the height must be set before the row is written.
            self.ws.row_dimensions[self.row + 1].height = min(MAX_HEIGHT, lines * LINE_HEIGHT + 4)
        self.ws.append(
            [self._cell(i, v, s) for i, (v, s) in enumerate(zip(values, styles, strict=True))]
        )
        self.row += 1
        if lines > 1:
            del self.ws.row_dimensions[self.row]  # written already; keep memory flat

    def merged_row(self, text: Any, style: str, height: float | None = None) -> None:
        """A row of one cell across the sheet (``text`` may be rich text)."""
        lines = lines_needed(text, sum(self.widths))
        height = height or (min(MAX_HEIGHT, lines * LINE_HEIGHT + 4) if lines > 1 else None)
        if height:
            self.ws.row_dimensions[self.row + 1].height = height
        cells = [self._cell(i, text if i == 0 else None, style) for i in range(self.width)]
        self.ws.append(cells)
        self.row += 1
        self.ws.merged_cells.add(f"A{self.row}:{self.last}{self.row}")

    def autofilter(self) -> None:
        """Excel's filter buttons on the header row, over every row written."""
        last = max(self.row, self.header_row + 1)
        self.ws.auto_filter.ref = f"A{self.header_row}:{self.last}{last}"


LINE_HEIGHT = 15.5  # points per printed line of 12 pt 仿宋


def _fast_rows(ws: Any) -> None:
    """Hand our ready-made cells straight to the writer.

    openpyxl 3.1's write-only sheet first tries to bind every appended cell as a value,
    which fails with a formatted error message, then copies it (see
    ``WriteOnlyWorksheet._values_to_row``); for rows made only of cells that is half the
    export time. Only done on the version whose internals this matches.
    """
    import openpyxl

    if not openpyxl.__version__.startswith("3.1.") or not hasattr(ws, "_values_to_row"):
        return

    def values_to_row(values: Sequence[Any], row_idx: int) -> Any:
        for col_idx, cell in enumerate(values, 1):
            cell.column = col_idx
            cell.row = row_idx
            yield cell

    ws._values_to_row = values_to_row


def capacity(width: float, size: float = 12) -> float:
    """Em of ``size``-point text one line of a column holds. Excel measures a column in
    widths of the default font's digit (7 px for Calibri 11): ``width`` is 7·w + 5 px, less
    about 3 px of padding on each side; an em of 12 pt text is 16 px."""
    return (7 * width + 5 - 6) / (size * 4 / 3)


def lines_needed(value: Any, width: int) -> int:
    """Printed lines a value takes in a column of 12 pt 仿宋 (widths from export.measure)."""
    if not isinstance(value, str):
        return 1
    room = capacity(width)
    if len(value) <= room and "\n" not in value:
        return 1
    return printed_lines(value, room)
