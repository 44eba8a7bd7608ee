"""The draft YAML: document metadata, sections and tasks, with ``# 待核对：…`` where unsure."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ansheng_cli.importer import deadlines
from ansheng_cli.importer.actors import duty_line, named_duties, subjects, unit_heading
from ansheng_cli.importer.assignments import (
    BRACKET,
    GRAMMAR,
    Assignment,
    Grammar,
    UnitNames,
    parse_assignment,
    parse_bracket,
    split_names,
    trailing,
)
from ansheng_cli.importer.outline import (
    LABELLED,
    PLACE_LINE,
    Node,
    build,
    classify,
    continued_items,
    is_task,
    place_runs,
    segments,
)
from ansheng_cli.importer.pieces import split as split_pieces
from ansheng_cli.importer.scope import (
    annex_assignments,
    cn_count,
    deduplicate,
    fill,
    first_listed_leads,
    resolve_units,
    same_below,
    section_assignment,
    spread_covering,
    unassigned,
)
from ansheng_cli.importer.source import Para, Source, Table
from ansheng_cli.importer.tables import column, is_deadline, is_header, parse_rows, row_task
from ansheng_cli.plan.cn import DOC_NO

_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_QUOTED_TITLE = re.compile(r"《([^《》]{4,80})》")
_TITLE_WORDS = re.compile(r"(方案|要点|规划|意见|决定|办法|计划|细则|安排)")
_TITLE_START = re.compile(r"^(\S.{3,60}?(?:方案|要点|规划|意见|决定|办法|计划|细则|安排|通知))")
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,8}?(?:自治区|省|市|县|区|州|旗|镇|乡|街道))")
_DRAFT = "征求意见稿"
# （以上两项由A牵头，B配合） on its own line after several items; also without brackets.
_COVERING = re.compile(
    r"^(?P<open>[（(])?(?:以上|上述)(?P<n>[一二两三四五六七八九十\d]{1,3})?项?(?:任务|工作)?[，,：:]?\s*(?:均)?(?:由)?"
    r"(?P<rest>[^（）()]{0,300}(?:[（(][^（）()]{0,40}[)）][^（）()]{0,300})*)"
    r"(?(open)[)）])[。；;]?$"
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
        if classify(p.text) is not None:
            break  # the body has begun: titles quoted there are cited documents
        m = _QUOTED_TITLE.search(p.text)
        if m and len(p.text) <= 120 and ("关于" in p.text or "印发" in p.text or "征求" in p.text):
            title = m.group(1)
            break
    if title is None:
        for p in paras:
            if _TITLE_WORDS.search(p.text) and len(p.text) <= 80 and not p.text.startswith("附件"):
                title = re.split(r"\s*[（(]", p.text, maxsplit=1)[0]
                break
    if title is None and paras:  # a document pasted as one line: its title opens it
        m = _TITLE_START.match(paras[0].text)
        if m:
            title = m.group(1)
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


# False in a 规划 or 决定, whose prose subjects are addressees, never assignees.
POLICY_OK: ContextVar[bool] = ContextVar("POLICY_OK", default=True)
# Whether the document states its date (else it is today's, and no date is "past").
DATED: ContextVar[bool] = ContextVar("DATED", default=False)


def find_deadline(text: str, base: dt.date, title: str = "") -> str | None:
    """The deadline a task's text states; dates on or before the document date are cited."""
    return deadlines.find_deadline(text, base, title, doc_date=base if DATED.get() else None)


def task_map(
    node: Node, base: dt.date, source_name: str, doubts: list[str], prose: bool = True
) -> dict[str, Any]:
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
    if found is None:
        text, found = labelled_tail(text)
    if found is None:
        text, found = inner_bracket(text)
    if found is None:
        # 隐患排查：市应急局负责，市公安局配合。 — the assignment after a short label
        said = re.match(r"^[^：:。；]{2,30}[：:]([^。]{4,200})", head)
        found = parse_assignment(said.group(1)) if said else None
    if found is None and prose:
        found = _prose_actors(head, text, doubts)
    elif found is None and POLICY_OK.get():
        found = named_duties(text)  # 市应急局负责…, also where others use brackets
        if found is not None:
            doubts.append("责任单位取自正文（X负责…）")
    if found is None and _UNSPLIT.search(text[-200:]):
        doubts.append("文中提到牵头/配合/责任单位，但未能拆分，请手工填写")
    out: dict[str, Any] = {"no": _number(node), "title": title, "text": text}
    fill(out, found)
    if found is not None and found.deadline is not None:
        deadline = found.deadline or None  # stated in the assignment (or stated as none)
    else:
        deadline = find_deadline(text if text != title else "", base, title)
    if deadline:
        out["deadline"] = deadline
        doubts.append(f"时限“{deadline}”取自正文")
    if found is not None:
        doubts.extend(found.doubts)
        if found.same_below:
            out["_below"] = found
    out["source"] = {"file": source_name, "line": node.line}
    if covers and found is not None:
        out["_covers"] = covers
    return out


def inner_bracket(text: str) -> tuple[str, Assignment | None]:
    """The one assignment bracket inside an item that goes on after it (…（市应急局负责）。
    同时…): taken out of the text; two or more are left for a person (or ``pieces``)."""
    found = [(m, parse_assignment(m.group(1))) for m in BRACKET.finditer(text)]
    found = [(m, a) for m, a in found if a is not None and (a.lead or a.support or a.others)]
    if len(found) != 1:
        return text, None
    m, assignment = found[0]
    return (text[: m.start()] + text[m.end() :]).strip(), assignment


_TAIL_LABEL = re.compile(
    r"(?:^|(?<=[\s。；;，,]))(?:牵头单位|牵头部门|牵头处室|责任单位|责任部门|责任处室(?:及单位)?|配合单位|主办单位)\s*[:：]"
)


def labelled_tail(text: str) -> tuple[str, Assignment | None]:
    """An item that ends with ``责任处室：A、B`` (a flattened form row) outside brackets."""
    window = text[-400:]
    starts = list(_TAIL_LABEL.finditer(window))
    if not starts:
        return text, None
    # the first label of the last run of labels (牵头单位：…；配合单位：…)
    first = starts[-1]
    for m in reversed(starts[:-1]):
        if "。" in window[m.end() : first.start()]:
            break
        first = m
    tail = window[first.start() :]
    if "。" in tail.rstrip("。"):
        return text, None
    found = parse_assignment(tail.strip())
    if found is None:
        return text, None
    cut = len(text) - len(window) + first.start()
    return text[:cut].rstrip(), found


def _prose_actors(head: str, text: str, doubts: list[str]) -> Assignment | None:
    """No bracket: a unit heading (1.街道消委办。牵头…) or the subjects of its clauses."""
    heading = unit_heading(head)
    if heading is not None:
        doubts.append("责任单位取自条目开头的单位名称")
        return heading[0]
    found = subjects(text)
    if found is not None and (found.lead or found.support):
        doubts.append("责任单位取自正文主语（X负责…/X要…）")
    return found


def _number(node: Node) -> str:
    assert node.no is not None
    return node.no


def table_tasks(
    table: Table, base: dt.date, source_name: str
) -> list[tuple[dict[str, Any], list[str]]]:
    """Tasks from an assignment table (see ``tables``); a table flattened one cell per line
    whose rows run longer than its header is read as number, text, units…, deadline."""
    legacy = _flat_lines(table, base, source_name)
    if legacy is not None:
        return legacy
    parsed = parse_rows(table)
    if parsed is None:
        return []
    out: list[tuple[dict[str, Any], list[str]]] = []
    for row in parsed.rows:
        if row.group is None:
            task, doubts = row_task(parsed, row, base, source_name, len(out) + 1)
            task["_table"] = True
            out.append((task, doubts))
    return out


def _flat_lines(
    table: Table, base: dt.date, source_name: str
) -> list[tuple[dict[str, Any], list[str]]] | None:
    rows = table.rows
    if len(rows) < 2 or len(rows[0]) >= max(len(r) for r in rows) or not is_header(rows[0]):
        return None
    has_support = any(column(h) == "support" for h in rows[0])
    out: list[tuple[dict[str, Any], list[str]]] = []
    for row, line in zip(rows[1:], table.row_lines[1:], strict=False):
        doubts: list[str] = []
        no, text, cells = row[0], row[1], row[2:]
        deadline = cells[-1] if cells and is_deadline(cells[-1], base) else None
        units = cells[:-1] if deadline else cells
        if has_support:
            doubts.append("表格按行展开，无法区分牵头与配合单位")
        no = re.sub(r"[.．、]$", "", no.strip()) or str(len(out) + 1)
        task: dict[str, Any] = {
            "no": no,
            "title": re.split(r"[。；]", text, maxsplit=1)[0],
            "text": text,
            "lead": [n for u in units for n in split_names(u)],
            "support": [],
        }
        if deadline:
            task["deadline"] = deadline
        task["source"] = {"file": source_name, "line": line}
        out.append((task, doubts))
    return out


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
    roots: list[Node], base: dt.date, source_name: str, prose: bool = True
) -> tuple[list[dict[str, Any]], dict[int, list[str]]]:
    doubts: dict[int, list[str]] = {}
    continued = continued_items(roots)

    def add_task(tasks: list[dict[str, Any]], task: dict[str, Any], reasons: list[str]) -> None:
        tasks.append(task)
        if reasons:
            doubts[id(task)] = reasons

    def section_of(
        node: Node, ancestors: list[Node], inherited: Assignment | None = None
    ) -> dict[str, Any]:
        own = section_assignment(node)
        if own is not None:
            inherited = own
        title, text = _split_head(node)
        if own is not None and own.doubts == ["heading"]:
            title = trailing(title)[0]
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
                content, found = labelled_tail(content)
                task: dict[str, Any] = {"no": label, "title": re.split(r"[。；]", content, maxsplit=1)[0], "text": content}  # fmt: skip
                fill(task, found)
                if found is not None and found.deadline is not None:
                    deadline = found.deadline or None
                else:
                    deadline = find_deadline(content, base)
                if deadline:
                    task["deadline"] = deadline
                    reasons.append(f"时限“{deadline}”取自正文")
                task["source"] = {"file": source_name, "line": p.line}
                reasons.append("未编号的段落，按段首“标签：”记为任务")
                add_task(tasks, task, reasons)
        duties = [(p, duty_line(p.text)) for p in node.body] if not tasks else []
        duties = [(p, a) for p, a in duties if a is not None]
        if len(duties) >= 3 and not any(
            is_task(c, [*ancestors, node], continued) for c in numbered
        ):
            kept = [p.text for p in node.body if p not in {d[0] for d in duties}]
            text = "\n".join(kept) or None
            for p, duty in duties:
                assert duty is not None
                task = {"no": "、".join(duty.lead)[:20], "title": re.split(r"[。；]", p.text, maxsplit=1)[0],
                        "text": p.text}  # fmt: skip
                fill(task, duty)
                deadline = find_deadline(p.text, base)
                if deadline:
                    task["deadline"] = deadline
                task["source"] = {"file": source_name, "line": p.line}
                add_task(tasks, task, ["未编号的职责段落（X负责…），按段记为任务，编号为草稿所加"])
        if not tasks and not numbered and node.body and node.style != "box":
            pieces = split_pieces("\n".join(p.text for p in node.body))
            if pieces is not None:  # sentences of a section, each closed by its bracket
                part = piece_section(Node(node.style, node.no, title, node.line, node.body),
                                     base, source_name, doubts)  # fmt: skip
                if part is not None:
                    tasks.extend(part["tasks"])
                    text = part.get("text")
        if text:
            section["text"] = text
        section["source"] = {"file": source_name, "line": node.line}
        for child in node.children:
            if child.style == "table" and child.table is not None:
                for task, reasons in table_tasks(child.table, base, source_name):
                    add_task(tasks, task, reasons)
            elif is_task(child, [*ancestors, node], continued) and (
                split := piece_section(child, base, source_name, doubts)
            ):
                sections.append(split)
            elif is_task(child, [*ancestors, node], continued):
                places = place_runs(child.body)
                if places:
                    child.body = [p for p in child.body if p not in places]
                reasons = []
                add_task(tasks, task_map(child, base, source_name, reasons, prose), reasons)
                for para in places:
                    add_task(tasks, *_place_task(para, child, base, source_name))
                # a box (专栏) or a table printed after a task belongs to the task's section
                for extra in child.children:
                    if extra.style == "box":
                        sections.append(section_of(extra, [*ancestors, node], inherited))
                    elif extra.table is not None:
                        for task, more in table_tasks(extra.table, base, source_name):
                            add_task(tasks, task, more)
            else:
                sections.append(section_of(child, [*ancestors, node], inherited))
        spread_covering(tasks, doubts)
        if inherited is not None:
            for task in tasks:
                if unassigned(task):
                    fill(task, inherited)
                    doubts.setdefault(id(task), []).append("分工取自所在部分的总括说明")
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
            add_task(loose, task_map(node, base, source_name, reasons, prose), reasons)
        else:
            out.append(section_of(node, []))
    if loose:
        out.append({"title": "（未分节的任务）", "tasks": loose})
    same_below(out, doubts)
    _mark_jumps(out, doubts)
    return out, doubts


def piece_section(
    node: Node, base: dt.date, source_name: str, doubts: dict[int, list[str]]
) -> dict[str, Any] | None:
    """An item holding several separately assigned parts (一是…（A负责）二是…（B负责）) as a
    section of those parts."""
    full = "\n".join([node.head, *(p.text for p in node.body)])
    found = split_pieces(full)
    if found is None:
        return None
    intro, parts = found
    title = re.split(r"[。；]", node.head, maxsplit=1)[0]
    section: dict[str, Any] = {"no": node.no, "title": title}
    rest = intro[len(title) :].strip(" 。") if intro.startswith(title) else intro
    if rest:
        section["text"] = rest
    section["source"] = {"file": source_name, "line": node.line}
    tasks: list[dict[str, Any]] = []
    if parts and parts[0].label is None and re.match(re.escape(title) + r"[。\n]", parts[0].text):
        parts[0].text = parts[0].text[len(title) + 1 :].lstrip()  # the item's heading
    for i, part in enumerate(parts, start=1):
        task: dict[str, Any] = {
            "no": part.label or str(i),
            "title": re.split(r"[。；]", part.text, maxsplit=1)[0],
            "text": part.text,
        }
        fill(task, part.assignment)
        deadline = (part.assignment.deadline if part.assignment else None) or find_deadline(
            part.text, base
        )
        if deadline:
            task["deadline"] = deadline
        task["source"] = {"file": source_name, "line": node.line}
        reasons = ["条目内各部分分别写明分工，已拆为多项任务"]
        if part.label is None:
            reasons.append("未编号，按句末分工括号拆分，编号为草稿所加")
        doubts[id(task)] = reasons
        tasks.append(task)
    section["tasks"] = tasks
    return section


def _place_task(
    para: Para, parent: Node, base: dt.date, source_name: str
) -> tuple[dict[str, Any], list[str]]:
    """A place-led line (长春市侧重…；) as a task led by that place, in its item's phase."""
    m = PLACE_LINE.match(para.text)
    assert m is not None
    place = m.group(1)
    text, found = labelled_tail(para.text)
    task: dict[str, Any] = {
        "no": place,
        "title": text.rstrip("；;。"),
        "text": text,
        "lead": [place],
        "support": [],
    }
    if found is not None and (found.lead or found.support or found.others):
        fill(task, found)
    if found is not None and found.deadline is not None:
        deadline = found.deadline or None
    else:
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


_POLICY = re.compile(r"规划|决定")


def prose_assigns(source: Source, title: str) -> bool:
    """Whether the actors named in prose (X负责…) assign tasks: only where the document uses
    no assignment brackets or labels at all (where it does, they are the assignment and prose
    subjects are addressees), and not in a 规划 or 决定 (policy statements, whose subjects
    are addressees)."""
    if _POLICY.search(title):
        return False
    for item in source.items:
        if isinstance(item, Table):
            return False
        if _TAIL_LABEL.search(item.text):
            return False
        for m in BRACKET.finditer(item.text):
            if parse_bracket(m.group(1)) is not None:
                return False
    return True


def draft_yaml(
    source: Source,
    jurisdiction: str | None,
    doc_id: str | None,
    source_name: str,
    *,
    units: Mapping[str, Iterable[str]] | None = None,
    roles: Iterable[tuple[str, str]] = (),
) -> str:
    """The draft document as YAML text, comments included (see ``import_file``)."""
    grammar = GRAMMAR.set(Grammar(roles))
    dated = DATED.set(False)
    policy = POLICY_OK.set(True)
    try:
        meta, doc_doubts = metadata(source, jurisdiction, doc_id)
        roots = build(segments(source))
        prose = prose_assigns(source, meta["title"])
        POLICY_OK.set(not _POLICY.search(meta["title"]))
        DATED.set(not any("日期" in d for d in doc_doubts))
        sections, doubts = convert(roots, meta["date"], source_name, prose)
        first_listed_leads(source, sections, doubts, doc_doubts)
        deduplicate(sections, doubts, doc_doubts)
        annex_assignments(sections, doubts, doc_doubts)
        if units is not None:
            resolve_units(sections, doubts, UnitNames(units))
    finally:
        GRAMMAR.reset(grammar)
        DATED.reset(dated)
        POLICY_OK.reset(policy)
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
