"""Merging filled-in rows into the plan files: progress entries appended (never deleted),
status and completion date set, 复核销号 recorded, and the second import of the same sheet
changing nothing.

Rows are applied to the plain data and written as text edits at each task's place
(plan/yamledit.py), checked by parsing the file again: comments, quoting and layout stay as
the user wrote them. Claims follow the office's rules: 已完成 is a unit's claim until the
office's 复核 (已销号), and no sheet takes another unit's claim back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ansheng_cli.errors import AnshengError
from ansheng_cli.plan.models import CLOSED
from ansheng_cli.supervise.progress import Row, check_code

CONFIRMING = ("同意", "同意销号", "销号", "已销号", "通过")  # 复核意见 that confirms 已完成
CLAIMS = ("已完成",)  # a unit's word: 申请办结, until the office confirms it (复核销号)
LOWER = ("未启动", "推进中", "暂缓")  # a sheet never takes a task back from a claim


@dataclass
class Merge:
    """What merging did, row by row: (row, what was applied) and (row, why it was refused)."""

    applied: list[tuple[Row, str]] = field(default_factory=list)
    refused: list[tuple[Row, str]] = field(default_factory=list)
    changed_files: list[Path] = field(default_factory=list)


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
