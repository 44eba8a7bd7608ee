"""The assignment grammar: who does a task, as a plan writes it.

An assignment is a run of clauses separated by ；，。 (outside brackets). A clause is one of

* ``LABEL：UNITS``   — 牵头单位：… / 责任单位：… / 配合单位：… (``LABELS``); the units of a label
  run on over ， until the next label or role clause (（责任单位：市…，各区政府、临港新片区管委会）);
* ``UNITS ROLE``     — 市交通委牵头负责 / 省财政厅按职责分工负责 / 各分局配合 (``ROLES``, longest
  phrase wins; ``由``/``分别由`` in front and ``分别`` before the role are dropped);
* ``UNITS为实施单位`` — the same, the role said with 为…单位;
* ``时间节点：…`` / ``完成时限：…`` — a deadline (``DEADLINE_LABELS``);
* ``下同`` / ``以下同`` — the assignment holds for the items that follow (``same_below``).

Roles come in three kinds: ``lead`` (牵头…), ``support`` (配合, 参与, 协助 …) and ``duty`` (负责,
按职责分工负责, 组织落实 …): duty units are leads, unless the same assignment names a lead, in
which case they support it (A牵头，B按职责分工负责). ``ROLES`` is data: callers may pass more
phrases (``extra_roles``), e.g. from configuration.

Unit lists split on 、 (and 和/及/与 between two unit names) outside every bracket kind
（）()〔〕［］[]【】, so 各市、县〔区〕人民政府 and 各县（市、区） stay whole. Catch-alls — 各…, 相关…,
有关…, 其他…, …等部门, 下属/所属… — go to ``others`` whole; ``X等有关部门`` keeps X as a unit and
the ``有关部门`` tail as a catch-all, ``A、B等行政主管部门`` (no unit names) goes to others whole.

Where a registry is given (``UnitNames``: canonical names and aliases), names are matched against
it (exact, alias, then the longest registered name the text ends with) and the others are
listed in ``doubts`` for a person to check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field

OPEN = "（(〔［[【"
EMPTY = frozenset({"/", "／", "—", "－", "-", "无", "——", "\\", "暂无"})
CLOSE = "）)〕］]】"

# (phrase, kind). Longest phrase is tried first, so order here is for reading only.
ROLES: tuple[tuple[str, str], ...] = (
    ("牵头", "lead"), ("牵头负责", "lead"), ("牵头抓总", "lead"), ("牵头落实", "lead"),
    ("按职责分工牵头", "lead"), ("按职责牵头", "lead"), ("总牵头", "lead"), ("主抓", "lead"),
    ("负总责", "lead"), ("总协调", "lead"), ("负责排查工作总协调", "lead"),
    ("负责", "duty"), ("分别负责", "duty"), ("负责落实", "duty"), ("具体负责", "duty"),
    ("按职责分工负责", "duty"), ("按职责分工负责落实", "duty"), ("按职责分工", "duty"),
    ("按职责负责", "duty"), ("按职责分工落实", "duty"), ("按照职责分工负责", "duty"),
    ("按各自职责负责", "duty"), ("各负其责", "duty"), ("按职责落实", "duty"),
    ("组织落实", "duty"), ("具体落实", "duty"), ("抓好落实", "duty"), ("落实", "duty"),
    ("按职责组织落实", "duty"), ("按职责组织", "duty"), ("组织实施", "duty"),
    ("实施", "duty"), ("承办", "duty"), ("主办", "lead"),
    ("配合", "support"), ("协助", "support"), ("参与", "support"), ("协办", "support"),
    ("按职责配合", "support"), ("按职责组织配合", "support"), ("按职责分工配合", "support"),
    ("共同负责", "duty"), ("配合落实", "support"), ("协同", "support"), ("参加", "support"),
    ("督导", "support"), ("指导", "support"), ("督促指导", "support"), ("协调", "support"),
)  # fmt: skip

LABELS: tuple[tuple[str, str], ...] = (
    ("牵头单位", "lead"), ("牵头部门", "lead"), ("牵头处室", "lead"), ("牵头指导处室", "lead"),
    ("牵头领导", "ignore"), ("责任领导", "ignore"), ("分管领导", "ignore"),
    ("主办单位", "lead"), ("主责单位", "lead"), ("主责部门", "lead"),
    ("责任单位", "duty"), ("责任部门", "duty"), ("责任处室", "duty"), ("责任处室及单位", "duty"),
    ("责任主体", "duty"), ("实施单位", "support"), ("落实单位", "duty"),
    ("配合单位", "support"), ("配合部门", "support"), ("配合处室", "support"),
    ("协办单位", "support"), ("参与单位", "support"), ("协助单位", "support"),
    ("牵头", "lead"), ("主责", "lead"), ("配合", "support"), ("协办", "support"),
    ("参与", "support"),
)  # fmt: skip

DEADLINE_LABELS = ("时间节点", "完成时限", "完成时间", "时间要求", "时限要求", "完成期限", "时限")

# A name ends like a unit: 局, 委, 办, 厅, 处, 部, 中心, 政府, 公司 …
UNIT_END = re.compile(
    r"(局|委|办|厅|处|室|部|署|院|会|队|站|所|中心|政府|公司|集团|银行|单位|部门|支队|大队|中队|"
    r"分局|管委会|委员会|办公室|街道|乡|镇|村|社区|学校|协会|联社|团|军|总队|园区|片区|法院|检察院|组|专班|机关|"
    r"机构|(?<![地社辖城园景小矿厂山校])区|县|(?<![城都超门])市|州|盟|旗)$"
)
_CATCH_START = re.compile(
    r"^(?:[市县区省州盟旗局乡镇]?(?:直|属)?)?(?:各|相关|有关|其他|其它|下属|所属|我局|本局|区直各|市直各|省直各)"
)
_CATCH_INNER = re.compile(
    r"各(?:有关|相关)|[有相]关(?:部门|单位|处室|科室|企业)|^[^、]{0,6}各[^、]{0,8}(?:部门|单位|处室|科室|分局|企业|地|级)$"
)
_ETC_TAIL = re.compile(
    r"^(?P<head>.+?)等(?P<tail>[^、]{0,12}?(?:部门|单位|处室|科室|机构|企业|组织))$"
)
_DEADLINE_CLAUSE = re.compile(
    r"^(?:于|在|力争|确保)?(?:\d{4}\s*年|\d{1,2}月|每(?:年|季度|月|半年))[^，。；]{0,16}$"
)
_MARKED_LEAD = re.compile(r"[（(](?:牵头|牵头单位|主责|主办)[)）]")
_MARKED_ROLE = re.compile(r"^(.+?)[（(](牵头|牵头单位|主责|主办|配合|协办|参与)[)）]$")
_MARK_KIND = {"牵头": "lead", "牵头单位": "lead", "主责": "lead", "主办": "lead",
              "配合": "support", "协办": "support", "参与": "support"}  # fmt: skip
_SAME_BELOW = re.compile(r"^(?:以)?下同$|^下同[。.]?$")
_AS_ROLE = re.compile(r"^(?P<names>.+?)为(?P<label>[^为]{1,6}单位|[^为]{1,6}部门)$")
_LEADING = re.compile(r"^(?:均由|分别由|由|请|并由|要由|各自)")
_TRAILING_WORDS = re.compile(r"(?:分别|共同|要|应|须|必须|统一|主要)$")
_JOIN = re.compile(r"(?:和|及|以及|与|同)")


def _by_length(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(pairs, key=lambda p: -len(p[0]))


@dataclass
class Assignment:
    lead: list[str] = field(default_factory=list)
    support: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)
    deadline: str | None = None
    same_below: bool = False  # 下同: (part of) it holds for the following items too
    below: Assignment | None = None  # the part 下同 refers to: the clause just before it
    explicit_lead: bool = False  # a lead said as such (牵头), not a plain list of units

    @property
    def empty(self) -> bool:
        return not (self.lead or self.support or self.others)


class UnitNames:
    """A registry for matching: canonical names with their aliases."""

    def __init__(self, units: Mapping[str, Iterable[str]]) -> None:
        self.by_name: dict[str, str] = {}
        for name, aliases in units.items():
            for alias in aliases:
                self.by_name.setdefault(alias, name)
        for name in units:
            self.by_name[name] = name
        self._longest = sorted(self.by_name, key=len, reverse=True)

    def match(self, name: str) -> str | None:
        """Canonical name for ``name``: exact or alias, else the longest registered name the
        text ends with (省应急管理厅 in 由省应急管理厅)."""
        if name in self.by_name:
            return self.by_name[name]
        for known in self._longest:
            if len(known) >= 3 and name.endswith(known):
                return self.by_name[known]
        return None


def depth_split(text: str, seps: str) -> list[str]:
    """Split on any of ``seps`` outside all bracket kinds."""
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and ch in seps:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def split_names(text: str) -> list[str]:
    """Split a unit list on 、 ， , (and 和/及/与 between unit names) outside brackets, so
    各县（市、区） and 各市、县〔区〕人民政府 stay one name each."""
    out: list[str] = []
    for part in depth_split(text, "、，,；;"):
        part = re.sub(r"\s+", "", part).strip("。.：:")
        if not part:
            continue
        out.extend(_split_joined(part))
    return _keep_catch_all_lists(out)


def _split_joined(name: str) -> list[str]:
    """市委办和市政府办 → two names, when both halves look like units."""
    pieces = [p for p in _JOIN.split(name) if p]
    if len(pieces) > 1 and all(is_catch_all(p) for p in pieces):
        return [name]  # 各单位和各部门: one catch-all
    heads = len(pieces) > 1 and all(UNIT_END.search(p) and len(p) >= 2 for p in pieces[:-1])
    if heads and (UNIT_END.search(pieces[-1]) or is_catch_all(pieces[-1])):
        return pieces
    return [name]


def _keep_catch_all_lists(names: list[str]) -> list[str]:
    """各市、县〔区〕人民政府 is one catch-all: a 各 name without a unit ending joins the next."""
    out: list[str] = []
    carry = ""
    for name in names:
        if carry and is_catch_all(name):
            out.append(carry)  # 各居村、相关责任单位: two catch-alls
            carry = ""
        if carry:
            name = carry + "、" + name
            carry = ""
        short = name.startswith("各") and (len(name) <= 3 or not UNIT_END.search(name))
        if short and len(name) <= 4:
            carry = name
            continue
        out.append(name)
    if carry:
        out.append(carry)
    return out


def is_catch_all(name: str) -> bool:
    return bool(_CATCH_START.match(name) or _CATCH_INNER.search(name)) or name.endswith(
        ("等部门", "等单位", "等有关部门", "等相关部门")
    )


class Grammar:
    """The role and label tables, longest phrase first; ``extra_roles`` adds (phrase, kind)."""

    def __init__(self, extra_roles: Iterable[tuple[str, str]] = ()) -> None:
        self.roles = _by_length([*ROLES, *extra_roles])
        self.labels = _by_length(LABELS)
        self.role_end = re.compile("(?:" + "|".join(re.escape(p) for p, _ in self.roles) + ")$")

    def role_of(self, clause: str) -> tuple[str, str] | None:
        """(names, kind) when the clause ends with a role phrase."""
        for phrase, kind in self.roles:
            if clause.endswith(phrase) and len(clause) > len(phrase):
                names = clause[: -len(phrase)]
                names = _TRAILING_WORDS.sub("", names)
                names = _LEADING.sub("", names)
                if names and not re.search(r"[，。；]", names) and _unit_like(names):
                    return names, kind
        return None

    def label_of(self, clause: str) -> tuple[str, str] | None:
        """(rest, kind) when the clause opens with LABEL：."""
        m = re.match(r"^([\u4e00-\u9fff]{2,8})\s*[:：]\s*", clause)
        if not m:
            return None
        label = m.group(1)
        for phrase, kind in self.labels:
            if label == phrase or (label.endswith(phrase) and len(label) - len(phrase) <= 2):
                return clause[m.end() :], kind
        if label in DEADLINE_LABELS or label.endswith(DEADLINE_LABELS):
            return clause[m.end() :], "deadline"
        return None


DEFAULT = Grammar()
# The grammar in use for one import (extra role phrases from configuration).
GRAMMAR: ContextVar[Grammar] = ContextVar("GRAMMAR", default=DEFAULT)


def _unit_like(names: str) -> bool:
    """At least one unit or catch-all, none longer than a unit name can be."""
    parts = [_MARKED_ROLE.sub(r"\1", p) for p in split_names(names)]
    return (
        bool(parts)
        and all(len(p) <= 30 for p in parts)
        and any(
            UNIT_END.search(p.rstrip("等")) or is_catch_all(p) or _ETC_TAIL.match(p) for p in parts
        )
    )


def names_into(assignment: Assignment, text: str, role: str) -> None:
    """Add the names of one role, moving catch-alls (和相关部门, 各乡镇（街道）) to others."""
    whole = _ETC_TAIL.match(re.sub(r"\s+", "", text))
    if whole and not all(UNIT_END.search(h) for h in split_names(whole.group("head"))):
        assignment.others.append(whole.group(0))  # 公安、文化、安监等部门: a sector list
        return
    for name in split_names(text):
        if name in EMPTY:
            continue
        marked = _MARKED_ROLE.match(name)
        if marked:  # 市应急局（牵头）: the role said in brackets after the name
            kind = _MARK_KIND.get(marked.group(2), role)
            names_into(assignment, marked.group(1), kind)
            continue
        name = re.sub(r"^(?:配合|协助|会同|联合|由)(?=..)", "", name)
        etc = _ETC_TAIL.match(name)
        if etc and not is_catch_all(etc.group("head")):
            head, tail = etc.group("head"), etc.group("tail")
            heads = split_names(head)
            if heads and all(UNIT_END.search(h) for h in heads):
                getattr(assignment, role).extend(heads)
                if tail not in ("部门", "单位", "处室", "科室", "机构"):  # 等部门: nothing more
                    assignment.others.append(tail)
            else:
                assignment.others.append(name)  # 规划、安监、消防等行政主管部门
            continue
        if name.endswith("等") and len(name) > 1:
            name = name[:-1]
        if is_catch_all(name) or "的" in name:  # 所在的各区政府: a description, not a name
            assignment.others.append(name)
        else:
            getattr(assignment, role).append(name)


def parse_assignment(
    content: str, grammar: Grammar | None = None, bare_units: bool = False
) -> Assignment | None:
    """The assignment that ``content`` (a bracket's text, a cell, a clause run) states, or
    None if it states none. ``bare_units``: a list of unit names with no role word at all
    (（局办公室、下属事业单位）) counts, as leads."""
    grammar = grammar or GRAMMAR.get()
    content = content.strip().strip("（()）")
    clauses = [c.strip() for c in depth_split(content, "；;，,。\n") if c.strip()]
    if not clauses:
        return None
    found = Assignment()
    pending: list[tuple[str, str]] = []  # (names, kind) in order
    current: str | None = None
    said = False
    below_at = -1
    for clause in clauses:
        clause = re.sub(r"\s+", "", clause)
        if _SAME_BELOW.match(clause):
            found.same_below = True
            below_at = len(pending) - 1
            continue
        labelled = grammar.label_of(clause)
        if labelled:
            rest, kind = labelled
            said = True
            if kind == "deadline":
                # "" = the plan says there is none (完成时限：—), None = not said
                found.deadline = rest.strip("。；;") if rest.strip("。；;") not in EMPTY else ""
                current = None
            elif kind == "ignore":
                current = "ignore"
            else:
                current = kind
                if rest:
                    pending.append(_maybe_role(rest, kind, grammar))
            continue
        as_role = _AS_ROLE.match(clause)
        if as_role:
            label_kind = _label_kind(as_role.group("label"), grammar)
            if label_kind:
                pending.append((as_role.group("names"), label_kind))
                said = True
                current = None
                continue
        role = grammar.role_of(clause)
        if role:
            pending.append(role)
            said = True
            current = None
            continue
        if current == "ignore":
            continue
        if current and not _DEADLINE_CLAUSE.search(clause):
            pending.append((clause, current))
            continue
        if _DEADLINE_CLAUSE.search(clause) and found.deadline is None:
            found.deadline = clause  # …按职责分工负责，2022年12月底前完成
            said = said or bool(pending)
            current = None
            continue
        if said:
            continue  # a remark after the assignment
        return None if not bare_units else _bare(clauses)
    if not said:
        return None
    has_lead = any(kind == "lead" or _MARKED_LEAD.search(names) for names, kind in pending)
    found.explicit_lead = has_lead
    for i, (names, kind) in enumerate(pending):
        slot = {"lead": "lead", "support": "support"}.get(kind, "support" if has_lead else "lead")
        names_into(found, names, slot)
        if i == below_at:
            found.below = Assignment()
            names_into(found.below, names, slot)
    return found


def _maybe_role(rest: str, kind: str, grammar: Grammar) -> tuple[str, str]:
    """责任单位：市应急局牵头 — a role word after a label still says the role."""
    role = grammar.role_of(rest)
    return role if role else (rest, kind)


def _label_kind(label: str, grammar: Grammar) -> str | None:
    for phrase, kind in grammar.labels:
        if label.endswith(phrase) and kind != "ignore":
            return kind
    return None


def _bare(clauses: list[str]) -> Assignment | None:
    """（局办公室、下属事业单位）: every name looks like a unit."""
    names = [n for c in clauses for n in split_names(c)]
    if not names or not all(
        UNIT_END.search(n) and 2 <= len(n) <= 20 and not re.search(r"\d", n) for n in names
    ):
        return None
    found = Assignment()
    names_into(found, "、".join(names), "lead")
    if not found.lead:
        return None
    found.doubts.append("括号中只有单位名称，未写牵头/负责，暂作牵头单位")
    return found


def parse_bracket(content: str, grammar: Grammar | None = None) -> Assignment | None:
    """The assignment a bracket's content states, or None if it states none."""
    return parse_assignment(content, grammar)


# A trailing bracket, one level of nested brackets allowed (各县（市、区）), at most 400 chars:
# bounded, so a long line cannot make the search backtrack badly.
_TRAILING = re.compile(
    r"[（(]((?:[^（）()]|[（(][^（）()]{0,40}[)）]){1,400})[)）]\s*[。；;.]?\s*$"
)
# Any bracket in running text, for assignments in the middle (一是…（A负责）；二是…).
BRACKET = re.compile(r"[（(]((?:[^（）()]|[（(][^（）()]{0,40}[)）]){2,400})[)）]")


def trailing(
    text: str, grammar: Grammar | None = None, bare_units: bool = True
) -> tuple[str, Assignment | None]:
    """Split a task's text from the assignment bracket it ends with."""
    window = text[-460:] if text else ""
    m = _TRAILING.search(window)
    if not m:
        return text, None
    found = parse_assignment(m.group(1), grammar, bare_units=bare_units)
    if found is None:
        return text, None
    start = len(text) - len(window) + m.start()
    return text[:start].rstrip(), found


def resolve(assignment: Assignment, registry: UnitNames | None) -> None:
    """Canonical names through ``registry``; names it does not know go to ``doubts``."""
    if registry is None:
        return
    for role in ("lead", "support"):
        names: list[str] = getattr(assignment, role)
        out: list[str] = []
        for name in names:
            known = registry.match(name)
            if known is None:
                assignment.doubts.append(f"单位“{name}”不在单位名录中")
                out.append(name)
            else:
                out.append(known)
        setattr(assignment, role, list(dict.fromkeys(out)))
