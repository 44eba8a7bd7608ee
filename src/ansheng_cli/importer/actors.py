"""Actors named in prose, where a task has no assignment bracket.

* ``X要…`` / ``X负责…`` / ``X应当…``: a clause whose grammatical subject is a unit list. Named
  units are leads, catch-alls (各地, 相关部门, …等部门, X的单位) go to others; the subject must
  look like units (every name ends like one, or is a catch-all), so 加强监管要… is no actor.
* A unit heading: ``1.街道消委办。牵头…`` / ``（一）交建部门和综合执法部门：负责…`` — the item's
  first phrase is nothing but unit names.
"""

from __future__ import annotations

import re

from ansheng_cli.importer.assignments import (
    UNIT_END,
    Assignment,
    depth_split,
    is_catch_all,
    names_into,
    split_names,
)

# What follows a subject: a modal or a duty verb.
_VERB = (
    "要", "负责", "分别负责", "具体负责", "应当", "应", "须", "必须", "将", "于", "牵头", "会同", "指导", "督促",
    "配合", "协助", "按照", "按", "依法", "切实", "加强", "加快", "组织", "做好", "落实", "继续",
)  # fmt: skip
_SUBJECT = re.compile(
    r"^(?:同时|此外|另外|其中|并且|并)?[，,]?(?P<s>[^，,。；：:、]{1,40}?(?:、[^，,。；：:、]{1,40}?){0,12}?)"
    r"(?P<v>" + "|".join(sorted(_VERB, key=len, reverse=True)) + ")"
)
# Regulated parties and generic roles: never a unit, always others.
_GENERIC = re.compile(
    r"(?:的[^，。；]{0,12}(?:单位|企业|场所|部门|机构)|场所|企业|经营者|业主|生产经营单位|监护人)$"
)
# Catch-alls named anywhere in an item's prose (组织有关部门…, 会同相关职能部门…).
_MENTIONED = re.compile(
    r"(?:各(?:有关|相关)?|相关|有关|其他)(?:职能|行政主管|主管|管理)?(?:部门|单位)"
    r"|(?:[\u4e00-\u9fff]{1,12}、){1,12}[\u4e00-\u9fff]{1,12}?等(?:有关|相关)?(?:职能|行政主管|主管)?部门"
)
_VERB_LEAD = re.compile(
    r"^(?:组织|会同|督促|联合|协调|配合|指导|要求|由|和|及|与|并|对|加强|开展)+"
)
_SUPPORT_VERBS = ("配合", "协助")
_WEAK_VERBS = ("加强", "加快", "组织", "做好", "落实", "继续", "依法", "切实", "按", "按照", "将")


def _whole(subject: str) -> bool:
    """A catch-all said as a list: 公安、文化等部门, 生产、储存…危险化学品的单位."""
    return bool(_GENERIC.search(subject) or re.search(r"等[^、]{0,8}(?:部门|单位|机构)$", subject))


# A subject never opens with a verb or preposition (发挥工会…, 构成犯罪的…, 对…).
_NOT_SUBJECT = re.compile(
    r"^(?:发挥|建立|构成|有效|加强|推进|推动|对|在|将|把|以|为|从|按照|按|依法|依据|依照|经过|凡|如果|若|"
    r"通过|根据|结合|开展|实行|实施|完善|健全|落实|强化|严格|坚持|深化|鼓励|支持|引导|督促|组织|指导|"
    r"协调|确保|做好|实现|通知|被|激发|充分|积极|认真|全面|进一步|大力|加大|提高|提升|促进|保障|维护|"
    r"规范|优化|当|由于|因|各类|所有|凡是|发动|动员|要求|号召)"
)


def _names_ok(subject: str) -> bool:
    if len(subject) <= 2:
        return False  # 部门, 业主: a word, not a unit
    if _NOT_SUBJECT.match(subject) or subject.endswith("社会") or "并" in subject:
        return False
    if ("的" in subject and len(subject) > 30) or re.search(r"对|按照|要求", subject):
        return False
    if _whole(subject) and len(subject) <= 30:
        return True
    names = split_names(subject)
    if not names or len(subject) > 80:
        return False
    for name in names:
        bare = name.rstrip("等")
        if len(bare) <= 2:
            return False  # 部门, 业主: a word, not a unit
        if len(bare) > 24 and not _GENERIC.search(bare):
            return False
        if not (UNIT_END.search(bare) or is_catch_all(bare) or _GENERIC.search(bare)):
            return False
    return True


_VERB_AT = re.compile("|".join(sorted(_VERB, key=len, reverse=True)))
_OPENER = re.compile(r"^(?:同时|此外|另外|其中|并且|并)?[，,]?(?:由|请|对|并由)?")


def subject_of(clause: str) -> tuple[str, str] | None:
    """(subject, verb) when ``clause`` opens with unit names and a verb: every verb position
    in the first 80 characters is tried, so 市应急局负责 is not read as 市 + 应."""
    start = _OPENER.match(clause)
    offset = start.end() if start else 0
    for m in _VERB_AT.finditer(clause, offset, min(len(clause), offset + 80)):
        subject = clause[offset : m.start()]
        if not subject or re.search(r"[，,。；;：:]", subject):
            break
        if _names_ok(subject):
            return subject, m.group(0)
    return None


def subjects(text: str) -> Assignment | None:
    """Units that are the subject of a clause in ``text`` (X要… / X负责…), in order."""
    found = Assignment()
    text = re.sub(r"(?<=[）)。；：:])\s+", "。", text)  # paragraphs pasted flat
    text = re.sub(r"[（(][^（）()]{8,}[)）]", "", text)  # a bracket is not a subject
    clauses = [c for c in depth_split(text, "。；;") if c.strip()]
    pieces: list[str] = []
    for clause in clauses:
        clause = clause.strip()
        # 排查整治内容：消防支队筹建组负责… — the part after a label
        label, sep, rest = clause.partition("：")
        pieces.append(rest if sep and len(label) <= 10 else clause)
        pieces.extend(p for p in depth_split(clause, "，,")[1:] if p.strip())
    seen = False
    for piece in pieces:
        piece = re.sub(r"\s+", "", piece)
        said = subject_of(piece)
        if said is None:
            continue
        subject, verb = said
        clear = all(UNIT_END.search(n.rstrip("等")) for n in split_names(subject))
        if verb in _WEAK_VERBS and not clear:
            continue  # weaker verbs only after names that are clearly units (not 各地, 企业)
        role = "support" if verb in _SUPPORT_VERBS and found.lead else "lead"
        seen = True
        if _GENERIC.search(subject):
            found.others.append(subject)
        else:
            names_into(found, subject, role)
    for m in _MENTIONED.finditer(text):
        phrase = m.group(0)
        if "原则" in text[m.end() : m.end() + 16]:
            continue  # 按照…相关部门协同配合的原则: a principle, not an assignment
        if "、" in phrase:  # a sector list: from after the last verb before its first item
            first, rest = phrase.split("、", 1)
            first = re.sub(
                r"^.*(?:组织|会同|督促|联合|协调|配合|指导|要求|要|和|及|与|并|对|由)", "", first
            )
            phrase = f"{first}、{rest}"
            if any(len(item) < 2 for item in phrase.split("、")):
                continue
        phrase = _VERB_LEAD.sub("", phrase)
        if phrase and not any(phrase in o or o in phrase for o in found.others):
            found.others.append(phrase)
            seen = True
    if not seen:
        return None
    found.explicit_lead = True  # each named subject acts itself: no first-listed rule
    found.lead = list(dict.fromkeys(found.lead))
    found.support = [n for n in dict.fromkeys(found.support) if n not in found.lead]
    found.others = list(dict.fromkeys(found.others))
    return found


_HEADING = re.compile(r"^(?P<h>[^。：:，,；]{2,40})(?:[。：:]|\s)(?P<rest>.+)$", re.S)


def unit_heading(head: str) -> tuple[Assignment, str] | None:
    """``街道消委办。牵头开展…`` → (the units, the text after the heading)."""
    m = _HEADING.match(head)
    if not m:
        return None
    heading = m.group("h").strip()
    if _NOT_SUBJECT.match(heading) or _GENERIC.search(heading):
        return None
    names = split_names(heading)
    if not names or not all(
        UNIT_END.search(n) and len(n) <= 20 and not re.search(r"[\d年月]", n) for n in names
    ):
        return None
    found = Assignment(explicit_lead=True)
    names_into(found, heading, "lead")
    if not (found.lead or found.others):
        return None
    return found, m.group("rest").strip()


_DUTY_VERBS = ("负责", "分别负责", "具体负责", "牵头", "指导", "督促", "会同", "要", "应当")


def duty_line(text: str) -> Assignment | None:
    """``市应急局负责指导…``: a paragraph that opens with named units and a duty verb (an
    unnumbered duty list); None unless the subject names at least one unit."""
    said = subject_of(re.sub(r"\s+", "", text))
    if said is None or said[1] not in _DUTY_VERBS or len(text) > 400:
        return None
    subject = said[0]
    if _GENERIC.search(subject):
        return None
    found = Assignment(explicit_lead=True)
    names_into(found, subject, "lead")
    return found if found.lead else None


_STRONG_VERBS = ("负责", "牵头", "分别负责", "具体负责", "牵头负责")


def named_duties(text: str) -> Assignment | None:
    """Only the clauses where named units take a duty in so many words (市应急局负责…,
    市住建局牵头…): safe to read even in a plan whose assignments are otherwise in brackets."""
    found = Assignment(explicit_lead=True)
    text = re.sub(r"[（(][^（）()]{8,}[)）]", "", text)
    for clause in re.split(r"[。；;，,\n]", text):
        said = subject_of(re.sub(r"\s+", "", clause))
        if said is None or said[1] not in _STRONG_VERBS:
            continue
        names = split_names(said[0])
        if not names or re.search(r"会同|或者|或|和", said[0]):
            continue
        if all(
            UNIT_END.search(n) and not is_catch_all(n) and not _GENERIC.search(n) for n in names
        ):
            found.lead.extend(n for n in names if n not in found.lead)
    return found if found.lead else None
