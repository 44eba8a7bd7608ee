"""``ansheng progress import``: every returned sheet merged in one pass over the plan files,
a line per sheet and a total, and the round's record noting who returned what and when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from ansheng_cli.errors import AnshengError, FileProblem, UsageProblem
from ansheng_cli.supervise.merge import documents_by_id, merge
from ansheng_cli.supervise.progress import (
    Row,
    SheetMeta,
    read_returned,
    read_together,
    sheet_files,
)


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
    read = read_together(found)
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
