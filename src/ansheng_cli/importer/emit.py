"""The draft YAML: document metadata, sections and tasks, with ``# 待核对：…`` where unsure."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ansheng_cli.importer.assignments import parse_bracket, split_names, trailing
from ansheng_cli.importer.outline import (
    LABELLED,
    PLACE_LINE,
    Node,
    build,
    continued_items,
    is_task,
    place_runs,
    segments,
)
from ansheng_cli.importer.source import Para, Source, Table
from ansheng_cli.plan.deadlines import DeadlineError, parse
from ansheng_cli.validate.rules.references import DOC_NO

_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_QUOTED_TITLE = re.compile(r"《([^《》]{4,80})》")
_TITLE_WORDS = re.compile(r"(方案|要点|规划|意见|决定|办法|计划|细则|安排)")
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,8}?(?:自治区|省|市|县|区|州|旗))")
# Deadline phrases inside prose; each candidate is checked with the deadline grammar.
_IN_TEXT = re.compile(
    r"\d{4}年(?:至|到|—|-)\d{4}年"
    r"|(?:于|在|到|截至)?\d{4}年(?:\d{1,2}月(?:\d{1,2}日|底|末)?|年?底|年?末)?前?(?:完成)?"
    r"|\d{1,2}月(?:\d{1,2}日|底|末)前"
    r"|每(?:年|季度|半年|月|周)(?:第[一二三四]季度|[\u4e00-\u9fff]{0,6}?(?:至少|不少于)?\d次)?"
)
# Titles of cited documents and 文号 are not deadlines: 《2014年…方案》, （…〔2014〕14号）.
_CITED = re.compile(r"《[^《》]{0,80}》|[〔﹝\[【(（]\d{4}[〕﹞\]】)）]\d{1,4}号")
_MARKED = re.compile(r"(前|底|末|完成|日|月|至\d|到\d|—\d|-\d)$|^(每|到|截至)")
_DRAFT = "征求意见稿"
_COVERING = re.compile(
    r"^[（(](?:以上|上述)(?P<n>[一二两三四五六七八九十\d]{1,3})?项?(?:任务|工作)?[，,：:]?\s*(?:均)?(?:由)?"
    r"(?P<rest>[^（）()]{0,300}(?:[（(][^（）()]{0,40}[)）][^（）()]{0,300})*)[)）][。；;]?$"
)
_UNSPLIT = re.compile(r"[（(][^（）()]{0,120}(牵头|配合|责任单位|负责)[^（）()]{0,120}[)）]")
HEAD_LINES = 40


@dataclass
class Draft:
    doc: dict[str, Any]
    doubts: dict[int, list[str]] = field(default_factory=dict)  # id(task map) → reasons


def metadata(
    source: Source, jurisdiction: str | None, doc_id: str | None
) -> tuple[dict[str, Any], list[str]]:
    paras = [p for p in source.items if isinstance(p, Para)][:HEAD_LINES]
    doubts: list[str] = []
    title = None
    for p in paras:
        m = _QUOTED_TITLE.search(p.text)
        if m and ("关于" in p.text or "印发" in p.text or "征求" in p.text):
            title = m.group(1)
            break
    if title is None:
        for p in paras:
            if _TITLE_WORDS.search(p.text) and len(p.text) <= 80 and not p.text.startswith("附件"):
                title = re.split(r"\s*[（(]", p.text, maxsplit=1)[0]
                break
    title = re.sub(r"[（(]\s*征求意见稿\s*[)）]", "", title or "").strip()
    if not title:
        title = "（待填写标题）"
        doubts.append("未找到标题")
    date, issuer = None, None
    for i, p in enumerate(paras):
        m = _DATE.search(p.text)
        if m and len(p.text) <= 30:
            try:
                date = dt.date(int(m[1]), int(m[2]), int(m[3]))
            except ValueError:
                continue
            before = paras[i - 1].text if i else ""
            if (
                re.search(r"(办公室|办|局|委员会|政府|厅|委|党委|人民政府)$", before)
                and len(before) <= 30
            ):
                issuer = before
            break
    if date is None:
        for p in paras:
            m = _DATE.search(p.text)
            if m:
                try:
                    date = dt.date(int(m[1]), int(m[2]), int(m[3]))
                    break
                except ValueError:
                    continue
    if date is None:
        date = dt.date.today()
        doubts.append("原文未写日期，暂填今天")
    if issuer is None:
        issuer = "（待填写发文机关）"
        doubts.append("未找到发文机关")
    doc_no = next((p.text for p in paras if DOC_NO.fullmatch(p.text)), None)
    place = jurisdiction
    if place is None:
        for text in (issuer, title):
            m = _PLACE.match(text)
            if m:
                place = m.group(1)
                break
    if place is None:
        place = "（待填写）"
        doubts.append("未能确定地区（jurisdiction），请用 --jurisdiction 指定")
    meta: dict[str, Any] = {
        "id": doc_id or _slug(source.path, date),
        "title": title,
        "issuer": issuer,
    }
    if doc_no:
        meta["doc_no"] = doc_no
    meta["date"] = date
    meta["status"] = "draft" if any(_DRAFT in p.text for p in paras) else "issued"
    meta["jurisdiction"] = place
    return meta, doubts


def _slug(path: Path, date: dt.date) -> str:
    stem = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return stem if re.fullmatch(r"[a-z][a-z0-9-]*", stem or "") else f"plan-{date.year}"


def find_deadline(text: str, base: dt.date, title: str = "") -> str | None:
    """The deadline a task's prose states: dated milestones joined (2017年年底前、2018年年底前),
    else the first recurring one; a bare year counts only in the title (2014年主要任务)."""
    dated: list[str] = []
    other: list[str] = []
    for source, bare_ok in ((title, True), (_CITED.sub("", text), False)):
        for m in _IN_TEXT.finditer(source):
            candidate = m.group(0)
            if not bare_ok and not _MARKED.search(candidate):
                continue
            try:
                kind = parse(candidate, base).kind
            except DeadlineError:
                continue
            bucket = dated if kind in ("date", "phased") and candidate.endswith("前") else other
            if candidate not in bucket:
                bucket.append(candidate)
    if dated:
        return "、".join(dated[:3])
    return other[0] if other else None


def task_map(node: Node, base: dt.date, source_name: str, doubts: list[str]) -> dict[str, Any]:
    body = [p.text for p in node.body]
    head = node.head
    if "。" not in head and "；" not in head and len(head) <= 60 and body:
        title, text = head.rstrip("。"), "\n".join(body)
    else:
        title = re.split(r"[。；]", head, maxsplit=1)[0]
        text = "\n".join([head, *body])
    covers = 0
    if body and _COVERING.match(body[-1]):
        # （以上两项由A牵头，B配合）: a bracket on its own line after several items
        m = _COVERING.match(body[-1])
        assert m is not None
        covers = cn_count(m.group("n")) if m.group("n") else -1
        body = body[:-1]
        text = text[: text.rindex(m.group(0))].rstrip()
        found = parse_bracket(m.group("rest"))
        if found is not None:
            doubts.append("分工取自其后“以上…”括号，已用于前面各项")
    else:
        text, found = trailing(text)
    if found is None and body:
        # the assignment may close the first paragraph instead of the last
        head_only, found = trailing(head)
        if found is not None:
            text = "\n".join([head_only, *body])
    if found is None and _UNSPLIT.search(text[-200:]):
        doubts.append("文中提到牵头/配合/责任单位，但未能拆分，请手工填写")
    out: dict[str, Any] = {"no": _number(node), "title": title, "text": text}
    out["lead"] = found.lead if found else []
    out["support"] = found.support if found else []
    if found and found.others:
        out["others"] = "、".join(found.others)
    deadline = find_deadline(text if text != title else "", base, title)
    if deadline:
        out["deadline"] = deadline
        doubts.append(f"时限“{deadline}”取自正文")
    out["source"] = {"file": source_name, "line": node.line}
    if covers and found is not None:
        out["_covers"] = covers
    return out


def cn_count(text: str) -> int:
    from ansheng_cli.plan.deadlines import cn_int

    return cn_int(text)


def spread_covering(tasks: list[dict[str, Any]], doubts: dict[int, list[str]]) -> None:
    """Give the items before a （以上…）bracket its assignment, as many as it says (or all
    back to the previous assigned item)."""
    for i, task in enumerate(tasks):
        covers = task.pop("_covers", 0)
        if not covers:
            continue
        before = tasks[:i][::-1]
        count = covers - 1 if covers > 0 else len(before)
        for other in before[:count]:
            if other["lead"] or other["support"]:
                break
            other["lead"], other["support"] = list(task["lead"]), list(task["support"])
            if task.get("others"):
                other["others"] = task["others"]
            doubts.setdefault(id(other), []).append("分工取自其后“以上…”括号")


def _number(node: Node) -> str:
    assert node.no is not None
    return node.no


def table_tasks(
    table: Table, base: dt.date, source_name: str
) -> list[tuple[dict[str, Any], list[str]]]:
    """Tasks from an assignment table, its columns found by their header cells."""
    start = next(
        (i for i, r in enumerate(table.rows) if sum(1 for c in r if _column(c)) >= 2), None
    )
    if start is None:
        return []
    table = Table(table.line, table.rows[start:], table.row_lines[start:])
    header = table.rows[0]
    cols: dict[str, int] = {}
    for i, h in reversed(list(enumerate(header))):
        key = _column(h)
        if key:
            cols[key] = i
    out: list[tuple[dict[str, Any], list[str]]] = []
    flattened = len(table.rows) > 1 and len(header) < max(len(r) for r in table.rows)
    for row, line in zip(table.rows[1:], table.row_lines[1:], strict=False):
        doubts: list[str] = []
        if flattened:
            no, text, cells = row[0], row[1], row[2:]
            deadline = cells[-1] if cells and _is_deadline(cells[-1], base) else None
            units = cells[:-1] if deadline else cells
            lead, support = units, []
            if "support" in cols:
                doubts.append("表格按行展开，无法区分牵头与配合单位")
        else:
            no, text = _cell(row, cols, "no"), _cell(row, cols, "text")
            deadline = _cell(row, cols, "deadline") or None
            lead = [n for part in _cell(row, cols, "lead").split("\n") for n in split_names(part)]
            support = [
                n for part in _cell(row, cols, "support").split("\n") for n in split_names(part)
            ]
            if deadline and not _is_deadline(deadline, base):
                doubts.append(f"时限“{deadline}”无法识别")
        no = re.sub(r"[.．、]$", "", no.strip()) or str(len(out) + 1)
        task: dict[str, Any] = {
            "no": no,
            "title": re.split(r"[。；]", text, maxsplit=1)[0],
            "text": text,
            "lead": lead,
            "support": support,
        }
        if deadline:
            task["deadline"] = deadline
        task["source"] = {"file": source_name, "line": line}
        out.append((task, doubts))
    return out


def _cell(row: list[str], cols: dict[str, int], key: str) -> str:
    i = cols.get(key)
    return row[i] if i is not None and i < len(row) else ""


def _column(header: str) -> str | None:
    table = (("no", ("序号", "编号")), ("lead", ("牵头", "责任", "主办")), ("support", ("配合", "协办", "参与")),
             ("deadline", ("时限", "时间", "完成")), ("text", ("任务", "事项", "内容", "措施")))  # fmt: skip
    for key, words in table:
        if any(w in header for w in words):
            return key
    return None


def _is_deadline(text: str, base: dt.date) -> bool:
    try:
        parse(text, base)
    except DeadlineError:
        return False
    return True


def _section_no(node: Node) -> str | None:
    return node.no


def _split_head(node: Node) -> tuple[str, str | None]:
    head, body = node.head, [p.text for p in node.body]
    if not head and body:  # a bare heading such as 附件: its title is the next line
        head, body = body[0], body[1:]
    first, sep, rest = head.partition("。")
    if sep and rest.strip():
        return first, "\n".join([rest.strip(), *body]) or None
    return head.rstrip("。") or (node.no or ""), "\n".join(body) or None


def convert(
    roots: list[Node], base: dt.date, source_name: str
) -> tuple[list[dict[str, Any]], dict[int, list[str]]]:
    doubts: dict[int, list[str]] = {}
    continued = continued_items(roots)

    def add_task(tasks: list[dict[str, Any]], task: dict[str, Any], reasons: list[str]) -> None:
        tasks.append(task)
        if reasons:
            doubts[id(task)] = reasons

    def section_of(node: Node, ancestors: list[Node]) -> dict[str, Any]:
        title, text = _split_head(node)
        section: dict[str, Any] = {"no": _section_no(node), "title": title or "（无标题）"}
        tasks: list[dict[str, Any]] = []
        sections: list[dict[str, Any]] = []
        labelled = [p for p in node.body if LABELLED.match(p.text)] if node.style != "box" else []
        numbered = [c for c in node.children if c.style != "table"]
        if len(labelled) >= 3 and not any(
            is_task(c, [*ancestors, node], continued) for c in numbered
        ):
            kept = [p.text for p in node.body if p not in labelled]
            _, text_rest = title, "\n".join(kept) or None
            text = text_rest
            for p in labelled:
                m = LABELLED.match(p.text)
                assert m is not None
                label, content = m.group(1), m.group(2)
                reasons: list[str] = []
                task: dict[str, Any] = {"no": label, "title": re.split(r"[。；]", content, maxsplit=1)[0], "text": content,
                        "lead": [], "support": []}  # fmt: skip
                deadline = find_deadline(content, base)
                if deadline:
                    task["deadline"] = deadline
                    reasons.append(f"时限“{deadline}”取自正文")
                task["source"] = {"file": source_name, "line": p.line}
                reasons.append("未编号的段落，按段首“标签：”记为任务")
                add_task(tasks, task, reasons)
        if text:
            section["text"] = text
        section["source"] = {"file": source_name, "line": node.line}
        for child in node.children:
            if child.style == "table" and child.table is not None:
                for task, reasons in table_tasks(child.table, base, source_name):
                    add_task(tasks, task, reasons)
            elif is_task(child, [*ancestors, node], continued):
                places = place_runs(child.body)
                if places:
                    child.body = [p for p in child.body if p not in places]
                reasons = []
                add_task(tasks, task_map(child, base, source_name, reasons), reasons)
                for para in places:
                    add_task(tasks, *_place_task(para, child, base, source_name))
                # a box (专栏) or a table printed after a task belongs to the task's section
                for extra in child.children:
                    if extra.style == "box":
                        sections.append(section_of(extra, [*ancestors, node]))
                    elif extra.table is not None:
                        for task, more in table_tasks(extra.table, base, source_name):
                            add_task(tasks, task, more)
            else:
                sections.append(section_of(child, [*ancestors, node]))
        spread_covering(tasks, doubts)
        if sections:
            section["sections"] = sections
        if tasks:
            section["tasks"] = tasks
        return section

    out: list[dict[str, Any]] = []
    loose: list[dict[str, Any]] = []
    for node in roots:
        if node.style == "table" and node.table is not None:
            for task, reasons in table_tasks(node.table, base, source_name):
                add_task(loose, task, reasons)
        elif is_task(node, [], continued):
            reasons = []
            add_task(loose, task_map(node, base, source_name, reasons), reasons)
        else:
            out.append(section_of(node, []))
    if loose:
        out.append({"title": "（未分节的任务）", "tasks": loose})
    _mark_jumps(out, doubts)
    return out, doubts


def _place_task(
    para: Para, parent: Node, base: dt.date, source_name: str
) -> tuple[dict[str, Any], list[str]]:
    """A place-led line (长春市侧重…；) as a task led by that place, in its item's phase."""
    m = PLACE_LINE.match(para.text)
    assert m is not None
    place = m.group(1)
    text = para.text
    task: dict[str, Any] = {
        "no": place,
        "title": text.rstrip("；;。"),
        "text": text,
        "lead": [place],
        "support": [],
    }
    deadline = find_deadline("", base, parent.head)
    if deadline:
        task["deadline"] = deadline
    task["source"] = {"file": source_name, "line": para.line}
    return task, ["未编号的各地任务，按行首地名记为任务并由该地牵头"]


def _mark_jumps(sections: list[dict[str, Any]], doubts: dict[int, list[str]]) -> None:
    previous: int | None = None
    stack = list(reversed(sections))
    while stack:
        section = stack.pop()
        for task in section.get("tasks", []):
            no = task["no"]
            if no.isdigit():
                value = int(no)
                if previous is not None and value not in (1, previous + 1):
                    doubts.setdefault(id(task), []).append(f"编号从 {previous} 跳到 {value}")
                previous = value
        stack.extend(reversed(section.get("sections", [])))


def draft_yaml(
    source: Source, jurisdiction: str | None, doc_id: str | None, source_name: str
) -> str:
    """The draft document as YAML text, comments included."""
    meta, doc_doubts = metadata(source, jurisdiction, doc_id)
    roots = build(segments(source))
    sections, doubts = convert(roots, meta["date"], source_name)
    return _dump(meta, sections, doubts, doc_doubts, source)


def _dump(meta: dict[str, Any], sections: list[dict[str, Any]], doubts: dict[int, list[str]],
          doc_doubts: list[str], source: Source) -> str:  # fmt: skip
    from ruamel.yaml import YAML
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    def flow(items: list[str]) -> CommentedSeq:
        seq = CommentedSeq(items)
        seq.fa.set_flow_style()
        return seq

    def flow_map(data: dict[str, Any]) -> CommentedMap:
        m = CommentedMap(data)
        m.fa.set_flow_style()
        return m

    def text(value: str) -> Any:
        return LiteralScalarString(value) if "\n" in value else value

    def number(no: str | None) -> Any:
        return DoubleQuotedScalarString(no) if no is not None and no.isdigit() else no

    def task(t: dict[str, Any]) -> CommentedMap:
        m = CommentedMap()
        m["no"] = number(t["no"])
        for key in ("title", "text"):
            if t.get(key):
                m[key] = text(t[key])
        m["lead"] = flow(t["lead"])
        m["support"] = flow(t["support"])
        for key in ("others", "deadline"):
            if t.get(key):
                m[key] = t[key]
        m["source"] = flow_map(t["source"])
        reasons = doubts.get(id(t))
        if reasons:
            m.yaml_add_eol_comment("待核对：" + "；".join(reasons), "no")
        return m

    def section(s: dict[str, Any]) -> CommentedMap:
        m = CommentedMap()
        if s.get("no") is not None:
            m["no"] = number(s["no"])
        m["title"] = s["title"]
        if s.get("text"):
            m["text"] = text(s["text"])
        if s.get("source"):
            m["source"] = flow_map(s["source"])
        if s.get("sections"):
            m["sections"] = CommentedSeq([section(c) for c in s["sections"]])
        if s.get("tasks"):
            m["tasks"] = CommentedSeq([task(t) for t in s["tasks"]])
        return m

    doc = CommentedMap()
    doc["schema"] = "ansheng/v1"
    doc["document"] = CommentedMap(meta)
    doc["sections"] = CommentedSeq([section(s) for s in sections])
    yaml = YAML()
    yaml.width = 100_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    header = [
        f"# 由 ansheng import 从 {source.path.name} 生成的草稿（{source.encoding} 编码）；",
        "# 请逐条核对标有“待核对”的地方，核对后删去该注释。",
    ]
    header += [f"# 待核对：{d}" for d in doc_doubts]
    buffer.write("\n".join(header) + "\n")
    yaml.dump(doc, buffer)
    return buffer.getvalue()
