"""``ansheng diff``: what changed between two versions of a plan, in tasks, not lines.

Tasks are matched by content, not by number alone — first the same text, then the same
number under the same heading, then the most similar text — so a renumbered or moved task
is reported as such, not as one removed and one added.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ansheng_cli.errors import UsageProblem
from ansheng_cli.plan.compiled import heading_number
from ansheng_cli.plan.models import Document, Section, Task, deadline_words

SIMILAR = 0.6  # texts at least this alike are the same task, edited
META_FIELDS = ("title", "issuer", "doc_no", "date", "status", "jurisdiction", "default_deadline")
META_NAMES = {
    "title": "标题", "issuer": "发文机关", "doc_no": "文号", "date": "日期", "status": "状态",
    "jurisdiction": "地区", "default_deadline": "默认时限",
}  # fmt: skip


@dataclass
class Placed:
    task: Task
    section: str  # the heading path, e.g. "二、主要任务 / （一）健全…"

    @property
    def key(self) -> str:
        return re.sub(r"\s+", "", self.task.text or self.task.title or "")


@dataclass
class TaskChange:
    kind: str  # added | removed | renumbered | moved | text | lead | support | others | deadline | document
    no: str | None
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "no": self.no, **self.detail}


def _placed(doc: Document) -> list[Placed]:
    out: list[Placed] = []

    def walk(sections: list[Section], trail: list[str]) -> None:
        for section in sections:
            here = [*trail, f"{heading_number(section.no)}{section.title}"]
            out.extend(Placed(task, " / ".join(here)) for task in section.tasks)
            walk(section.sections, here)

    walk(doc.sections, [])
    return out


def match(
    old: list[Placed], new: list[Placed]
) -> tuple[list[tuple[Placed, Placed]], list[Placed], list[Placed]]:
    """Pairs of the same task, then what only the old and only the new version have."""
    pairs: list[tuple[Placed, Placed]] = []
    left, right = list(old), list(new)

    def take(test: Any) -> None:
        for a in list(left):
            b = next((b for b in right if test(a, b)), None)
            if b is not None:
                pairs.append((a, b))
                left.remove(a)
                right.remove(b)

    take(lambda a, b: a.key and a.key == b.key)
    take(lambda a, b: a.task.no == b.task.no and a.section == b.section)
    scored = sorted(
        ((difflib.SequenceMatcher(None, a.key, b.key).ratio(), i, j) for i, a in enumerate(left) for j, b in enumerate(right)),
        reverse=True,
    )  # fmt: skip
    used_a: set[int] = set()
    used_b: set[int] = set()
    for ratio, i, j in scored:
        if ratio < SIMILAR:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((left[i], right[j]))
    left = [a for i, a in enumerate(left) if i not in used_a]
    right = [b for j, b in enumerate(right) if j not in used_b]
    return pairs, left, right


def compare(old: Document, new: Document) -> list[TaskChange]:
    changes: list[TaskChange] = []
    for name in META_FIELDS:
        a, b = getattr(old.document, name), getattr(new.document, name)
        if a != b:
            changes.append(
                TaskChange("document", None, {"field": name, "old": _text(a), "new": _text(b)})
            )
    pairs, removed, added = match(_placed(old), _placed(new))
    order = {id(p.task): i for i, p in enumerate(_placed(new))}
    pairs.sort(key=lambda pair: order[id(pair[1].task)])
    for a, b in pairs:
        ta, tb = a.task, b.task
        before = len(changes)
        if ta.no != tb.no:
            changes.append(TaskChange("renumbered", tb.no, {"old": ta.no, "new": tb.no}))
        if a.section != b.section:
            changes.append(TaskChange("moved", tb.no, {"old": a.section, "new": b.section}))
        if (ta.text or ta.title) != (tb.text or tb.title):
            changes.append(
                TaskChange("text", tb.no, {"old": ta.text or ta.title, "new": tb.text or tb.title})
            )
        for role in ("lead", "support"):
            was, now = getattr(ta, role), getattr(tb, role)
            if was != now:
                gone = [u for u in was if u not in now]
                came = [u for u in now if u not in was]
                changes.append(
                    TaskChange(
                        role, tb.no, {"removed": gone, "added": came, "old": was, "new": now}
                    )
                )
        if ta.others != tb.others:
            changes.append(TaskChange("others", tb.no, {"old": ta.others, "new": tb.others}))
        was, now = deadline_words(ta.deadline), deadline_words(tb.deadline)
        if was != now:
            changes.append(TaskChange("deadline", tb.no, {"old": was, "new": now}))
        for change in changes[before:]:
            change.detail.setdefault("section", b.section)
    for p in removed:
        changes.append(
            TaskChange(
                "removed", p.task.no, {"section": p.section, "title": p.task.title or p.task.text}
            )
        )
    for p in added:
        changes.append(
            TaskChange(
                "added", p.task.no, {"section": p.section, "title": p.task.title or p.task.text}
            )
        )
    return changes


def _text(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _names(names: list[str]) -> str:
    return "、".join(names) or "（无）"


def describe(change: TaskChange) -> str:
    """One line in Chinese for a change."""
    d = change.detail
    where = d.get("section", "").rsplit(" / ", 1)[-1]
    task = f"任务“{change.no}”" + (
        f"（{_short(where, 20)}）" if where and change.kind not in ("added", "removed") else ""
    )
    text: Callable[[], str] = {
        "document": lambda: f"文件{META_NAMES[d['field']]}：{d['old']} → {d['new']}",
        "added": lambda: f"新增{task}（{d['section']}）：{_short(d['title'])}",
        "removed": lambda: f"删除{task}（{d['section']}）：{_short(d['title'])}",
        "renumbered": lambda: f"任务重新编号（{_short(where, 20)}）：“{d['old']}” → “{d['new']}”",
        "moved": lambda: f"{task}移动：{d['old']} → {d['new']}",
        "text": lambda: f"{task}内容修改：{_short(d['old'])} → {_short(d['new'])}",
        "lead": lambda: f"{task}牵头单位：{_names(d['old'])} → {_names(d['new'])}",
        "support": lambda: f"{task}配合单位：{_names(d['old'])} → {_names(d['new'])}",
        "others": lambda: f"{task}其他单位：{d['old'] or '（无）'} → {d['new'] or '（无）'}",
        "deadline": lambda: f"{task}完成时限：{d['old'] or '（无）'} → {d['new'] or '（无）'}",
    }[change.kind]
    return text()


def _short(text: str | None, limit: int = 40) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"


def markdown(changes: list[TaskChange], old_name: str, new_name: str) -> str:
    lines = [f"### 计划变更：{old_name} → {new_name}", ""]
    if not changes:
        return "\n".join([*lines, "没有变化。", ""])
    lines += ["| 类型 | 任务 | 变化 |", "| --- | --- | --- |"]
    kinds = {"document": "文件", "added": "新增", "removed": "删除", "renumbered": "编号", "moved": "移动",
             "text": "内容", "lead": "牵头单位", "support": "配合单位", "others": "其他单位", "deadline": "时限"}  # fmt: skip
    for c in changes:
        cell = describe(c).replace("|", "\\|")
        lines.append(f"| {kinds[c.kind]} | {c.no or ''} | {cell} |")
    return "\n".join(lines) + "\n"


def load_document(path: Path, text: str | None = None) -> Document:
    """A plan document from a file (or the given text), or ValueError saying why not."""
    from ansheng_cli.plan.loader import load_file, load_text
    from ansheng_cli.plan.shape import check_shape

    if text is None and not path.is_file():
        raise UsageProblem(f"文件不存在：{path}")
    loaded = load_file(path) if text is None else load_text(path, text)
    if not loaded.ok:
        issue = loaded.issues[0]
        raise UsageProblem(f"{path}:{issue.line}:{issue.column}: {issue.message}")
    doc, _ = check_shape(Document, loaded.data)
    if doc is None:
        raise UsageProblem(f"{path} 不是有效的计划文件（先运行 ansheng validate 查看）")
    return doc


def load_from_git(rev: str, path: Path) -> Document:
    """The document as committed at ``rev`` (``git show REV:path``)."""
    import subprocess

    if not rev or rev.startswith("-"):
        raise UsageProblem(f"版本号“{rev}”无效：不能以“-”开头")
    try:
        top = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"],
            cwd=path.resolve().parent,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        rel = path.resolve().relative_to(Path(top).resolve()).as_posix()
        raw = subprocess.run(
            ["git", "show", "--end-of-options", f"{rev}:{rel}"],
            cwd=top,
            capture_output=True,
            check=True,
        ).stdout
        text = raw.decode("utf-8-sig")
    except (OSError, ValueError, subprocess.CalledProcessError, UnicodeDecodeError) as exc:
        raise UsageProblem(f"无法从 git 取得 {rev}:{path}（{exc}）") from None
    return load_document(path, text)


FORMATS = ("text", "json", "md")


def run(old: Path, new: Path | None, git: str | None, fmt: str) -> tuple[str, str]:
    """``ansheng diff``: the changes between two versions as (stdout, stderr) text."""
    import json

    if fmt not in FORMATS:
        raise UsageProblem(f"不支持的输出格式“{fmt}”，可选：{'、'.join(FORMATS)}")
    if git is not None:
        before, before_name = load_from_git(git, old), f"{git}:{old}"
        after, after_name = load_document(old), str(old)
    elif new is not None:
        before, before_name = load_document(old), str(old)
        after, after_name = load_document(new), str(new)
    else:
        raise UsageProblem("请给出两个文件，或用 --git 版本号 与 git 中的版本比较")
    changes = compare(before, after)
    if fmt == "json":
        data = {"old": before_name, "new": after_name, "changes": [c.as_dict() for c in changes]}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n", ""
    if fmt == "md":
        return markdown(changes, before_name, after_name), ""
    text = "".join(describe(c) + "\n" for c in changes)
    return text, f"共 {len(changes)} 处变化（{before_name} → {after_name}）\n"
