"""Assignment tables (任务分工表): from Word/Excel tables and from tables flattened into text.

Columns are found by their header cells (``column``): 序号, a title (工作事项, 任务名称), a
content (主要内容, 具体措施), 牵头单位, 配合单位, 完成时限; type, basis and remark columns (任务类型,
参考文件, 备注) are kept out of the task. Rows are read as a person reads a printed table:

* a repeated header row (a page break) is skipped;
* a group row — one text across the row (一、强化责任落实), or a merged section row of a Word
  table whose cells all repeat one text — starts a group, it is not a task;
* a continuation row that omits the number and title (a merged 序号/工作事项 cell) is a task of
  its own with the number and title of the row above;
* ``/``, ``—``, ``无`` mean an empty cell; a cell may hold several lines.

Text files where a table was flattened one cell per paragraph (cells separated by blank lines,
lines of one cell consecutive) are turned back into tables by ``flatten_cells``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ansheng_cli.importer.assignments import Assignment, names_into, parse_assignment
from ansheng_cli.importer.source import Para, Table

# (key, words) in order of precedence; "skip" columns never feed a task.
COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("no", ("序号", "编号")),
    ("skip", ("类型", "类别", "参考", "依据", "文件", "备注", "分值", "领导")),
    ("support", ("配合", "协办", "参与", "协助")),
    ("lead", ("牵头", "责任", "主办", "主责", "落实单位", "实施单位")),
    ("deadline", ("时限", "时间", "完成", "进度", "期限")),
    ("title", ("事项", "名称", "项目", "任务")),
    ("text", ("内容", "措施", "举措", "要求", "目标")),
)
EMPTY = {"/", "／", "—", "－", "-", "无", "——", "\\"}
_GROUP = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十]+[章部分])"
)
_NUMBER = re.compile(r"^(\d{1,3})[.．、]?$")


def column(header: str) -> str | None:
    header = re.sub(r"\s+", "", header)
    if not header or len(header) > 14:
        return None
    for key, words in COLUMNS:
        if any(w in header for w in words):
            return key
    return None


def header_columns(header: list[str]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        key = column(h)
        if key and key != "skip" and key not in cols:
            cols[key] = i
    if "title" not in cols and "text" not in cols:
        return {}
    return cols


@dataclass
class Row:
    cells: list[str]
    line: int
    group: str | None = None  # a group row's text
    continued: bool = False  # number and title taken from the row above


@dataclass
class Parsed:
    header: list[str]
    cols: dict[str, int]
    rows: list[Row] = field(default_factory=list)


def _blank(cell: str) -> str:
    return "" if cell.strip() in EMPTY else cell.strip()


def is_header(row: list[str]) -> bool:
    found = [column(c) for c in row if c.strip()]
    return sum(1 for k in found if k) >= 2 and any(k in ("title", "text") for k in found)


def parse_rows(table: Table) -> Parsed | None:
    """The header and the data rows of a table (see the module docstring)."""
    start = next((i for i, r in enumerate(table.rows) if is_header(r)), None)
    if start is None:
        return None
    header = [re.sub(r"\s+", "", c) for c in table.rows[start]]
    cols = header_columns(header)
    if not cols:
        return None
    out = Parsed(header, cols)
    previous: Row | None = None
    for cells, line in zip(table.rows[start + 1 :], table.row_lines[start + 1 :], strict=False):
        cells = [_blank(c) for c in cells]
        if [re.sub(r"\s+", "", c) for c in cells] == header or is_header(cells):
            continue  # the header repeated after a page break
        distinct = {c for c in cells if c}
        if not distinct:
            continue
        if len(distinct) == 1 and len(cells) > 1:
            text = next(iter(distinct))
            no_col = cols.get("no")
            if no_col is None or cells[no_col] != text or not _NUMBER.match(text):
                out.rows.append(Row(cells, line, group=text))  # a merged section row
                continue
        if len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        no_col = cols.get("no")
        row = Row(cells, line)
        if no_col is not None and not cells[no_col] and previous is not None:
            # a continuation row: the merged number (and title) cells are those above
            row.continued = True
            cells[no_col] = previous.cells[no_col]
            title_col = cols.get("title")
            if title_col is not None and not cells[title_col]:
                cells[title_col] = previous.cells[title_col]
        out.rows.append(row)
        previous = row
    return out


def _unwrap(text: str) -> str:
    """A cell's lines wrapped at the column width are one line; a sentence end keeps its break."""
    return re.sub(r"(?<![。；;：:！？!?])\n+", "", text)


def units(cell: str, role: str = "lead") -> Assignment:
    """The units of an assignment cell: 牵头/负责 phrases as the grammar reads them, else a
    plain list of names in ``role``."""
    cell = re.sub(r"(?<=[、，,；;])\n+", "", cell.strip())
    found = parse_assignment(cell.replace("\n", "、")) if cell else None
    if found is not None:
        return found
    found = Assignment()
    names_into(found, re.sub(r"\n+", "、", re.sub(r"(?<=[、，,；;])\n+", "", cell)), role)
    return found


def is_deadline(text: str, base: dt.date) -> bool:
    from ansheng_cli.plan.deadlines import DeadlineError, parse

    try:
        parse(text, base)
    except DeadlineError:
        return False
    return True


def row_task(
    parsed: Parsed, row: Row, base: dt.date, source_name: str, index: int
) -> tuple[dict[str, Any], list[str]]:
    """One data row as a task."""
    cols = parsed.cols

    def cell(key: str) -> str:
        i = cols.get(key)
        return row.cells[i].strip() if i is not None and i < len(row.cells) else ""

    doubts: list[str] = []
    title, text = _unwrap(cell("title")), _unwrap(cell("text"))
    body = text or title
    if title and text and not text.startswith(title):
        body = f"{title}。{text}" if not title.endswith(("。", "；")) else title + text
    lead_cell, support_cell = cell("lead"), cell("support")
    found = units(lead_cell, "lead")
    if support_cell:
        more = units(support_cell, "support")
        found.support.extend(n for n in [*more.lead, *more.support] if n not in found.support)
        found.others.extend(more.others)
    no = re.sub(r"[.．、]$", "", cell("no")) or str(index)
    deadline = cell("deadline") or found.deadline or None
    if "deadline" not in cols and found.deadline is None:
        from ansheng_cli.importer.deadlines import find_deadline

        deadline = find_deadline(body, base, doc_date=base)
    if deadline and not is_deadline(deadline, base):
        doubts.append(f"时限“{deadline}”无法识别")
    first = (title or re.split(r"[。；\n]", body, maxsplit=1)[0]).replace("\n", "")
    task: dict[str, Any] = {"no": no, "title": first, "text": body}
    task["lead"], task["support"] = found.lead, found.support
    if found.others:
        task["others"] = "，".join(dict.fromkeys(found.others))
    if deadline:
        task["deadline"] = deadline
    task["source"] = {"file": source_name, "line": row.line}
    if row.continued:
        doubts.append("表中此行未写序号（合并单元格），沿用上一行的序号")
    doubts.extend(found.doubts)
    return task, doubts


# --- tables flattened into text, one cell per paragraph -----------------------------------

_HEADER_WORD = re.compile(
    r"^(?:序号|编号|(?:主要|重点|具体|工作)?(?:任务|事项|内容|措施|举措)(?:名称|类型|类别|内容)?|名称|类型"
    r"|(?:牵头|责任|配合|协办|参与|主办|主责)(?:单位|部门|处室)?.{0,6}|(?:完成)?(?:时限|时间)(?:要求|节点)?"
    r"|参考文件|备注|依据|类型（.{0,12}）)$"
)


def _cells(paras: list[Para], blank_separated: bool = True) -> list[Para]:
    """Paragraphs joined into cells: a cell is a run of lines without a blank line between
    (or, where the table has no blank lines at all, one line)."""
    if not blank_separated:  # a line ending in 、 or ， is a unit list wrapped onto the next
        lines: list[Para] = []
        for para in paras:
            if lines and re.search(r"[、，,]$", lines[-1].text):
                last = lines[-1]
                lines[-1] = Para(last.line, last.text + para.text, last.blank_before)
            else:
                lines.append(para)
        return lines
    out: list[Para] = []
    for para in paras:
        if out and para.blank_before == 0 and para.text not in ("序号", "编号"):
            last = out[-1]
            out[-1] = Para(last.line, last.text + "\n" + para.text, last.blank_before)
        else:
            out.append(para)
    return out


def flatten_cells(paras: list[Para]) -> list[Para | Table]:
    """Turn tables printed one cell per blank-separated paragraph back into tables; other
    paragraphs pass through."""
    out: list[Para | Table] = []
    i = 0
    while i < len(paras):
        header = _header_run(paras, i)
        if not header:
            out.append(paras[i])
            i += 1
            continue
        table, i = _rows(paras, i, header)
        out.append(table)
    return out


def _header_run(paras: list[Para], i: int) -> list[str]:
    """Three or more blank-separated header cells (序号 / 工作事项 / 牵头单位 …) then ``1``."""
    cells: list[str] = []
    j = i
    blank = i + 1 < len(paras) and paras[i + 1].blank_before > 0
    while j < len(paras) and len(cells) < 10:
        p = paras[j]
        if cells and (p.blank_before > 0) != blank:
            return []
        if not _HEADER_WORD.match(p.text):
            break
        cells.append(p.text)
        j += 1
    if j < len(paras) and _GROUP.match(paras[j].text) and len(paras[j].text) <= 40:
        j += 1  # a group row (一、风险防控) before the first numbered row
    if len(cells) < 3 or j >= len(paras) or not _NUMBER.match(paras[j].text):
        return []
    if (paras[j].blank_before > 0) != blank or "no" not in header_columns(cells):
        return []
    return cells


def _rows(paras: list[Para], i: int, header: list[str]) -> tuple[Table, int]:
    width = len(header)
    table = Table(paras[i].line, [header], [paras[i].line])
    j = i + width
    expected = 1
    current: list[str] | None = None
    line = paras[j].line if j < len(paras) else paras[i].line
    blank = i + 1 < len(paras) and paras[i + 1].blank_before > 0
    cells = _cells(paras[j:], blank)
    k = 0
    while k < len(cells):
        cell = cells[k]
        text = cell.text.strip()
        if text == header[0] and [c.text for c in cells[k : k + width]] == header:
            k += width  # the header repeated after a page break
            continue
        number = _NUMBER.match(text)
        complete = current is None or len(current) >= width - 1
        if _GROUP.match(text) and len(text) <= 40 and "\n" not in text and complete:
            if current is not None:
                table.rows.append(current + [""] * (width - len(current)))
                table.row_lines.append(line)
            table.rows.append([text] * width)  # a group row spans the table
            table.row_lines.append(cell.line)
            current = None
            k += 1
            continue
        if current is not None and len(current) >= width and not number:
            # a continuation row: the number (and title) cells are merged with the row above
            table.rows.append(current)
            table.row_lines.append(line)
            title_col = header_columns(header).get("title")
            current, line = [""], cell.line
            if title_col is not None:
                current += [""] * title_col  # skipped cells up to and including the title
                current = current[: title_col + 1]
            current.append(text)
            k += 1
            continue
        if number and int(number.group(1)) in (expected, expected + 1) and complete:
            if current is not None:
                table.rows.append(current + [""] * (width - len(current)))
                table.row_lines.append(line)
            current, line = [number.group(1)], cell.line
            expected = int(number.group(1)) + 1
        elif current is not None and len(current) < width:
            current.append(text)
        else:
            break
        k += 1
    if current is not None:
        table.rows.append(current + [""] * (width - len(current)))
        table.row_lines.append(line)
    # where the table ended, in the paragraph list
    end_line = cells[k].line if k < len(cells) else None
    if end_line is None:
        return table, len(paras)
    stop = next(n for n in range(j, len(paras)) if paras[n].line == end_line)
    return table, stop


# --- tables pasted with no separator at all: 序号名称…责任部门1重要指示…负责2推进… --------------

_GLUED_HEADER = re.compile(
    r"序号(?:[\u4e00-\u9fff（）()、，]{1,16}?)(?:责任单位|责任部门|责任处室|牵头单位|牵头部门)"
    r"(?:配合单位|配合部门)?(?:完成时限|完成时间|时间节点)?(?:备注)?(?=1\D)"
)
_ROW_END = "责头合局处委办室队心府）)。"


def glued_table(text: str, line: int) -> tuple[str, Table] | None:
    """A table whose header and cells run together in one line: rows are cut where the next
    number follows a cell that ends like an assignment (…负责2推进…)."""
    m = _GLUED_HEADER.search(text)
    if not m:
        return None
    rest = text[m.end() :]
    starts: list[tuple[int, int]] = []  # (position, number)
    expected, i = 1, 0
    while True:
        label = str(expected)
        at = rest.find(label, i)
        if at < 0:
            break
        end = at + len(label)
        whole = (at == 0 or not rest[at - 1].isdigit()) and (
            end >= len(rest) or not rest[end].isdigit()
        )
        if whole and (at == 0 or rest[at - 1] in _ROW_END):
            starts.append((at, expected))
            expected += 1
        i = at + 1
    if len(starts) < 2:
        return None
    table = Table(line, [["序号", "具体内容", "责任单位"]], [line])
    for k, (at, number) in enumerate(starts):
        stop = starts[k + 1][0] if k + 1 < len(starts) else len(rest)
        row = rest[at + len(str(number)) : stop].strip()
        body, _, tail = row.rpartition("。")
        found = parse_assignment(tail) if body and tail else None
        if found is None:
            body, tail = row, ""
        else:
            body += "。"
        table.rows.append([str(number), body.strip(), tail.strip()])
        table.row_lines.append(line)
    return text[: m.start()].rstrip(), table
