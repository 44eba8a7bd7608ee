"""The deadline (完成时限) a task states, found in its text.

In order of trust:

1. a labelled one: ``时间节点：2025年3月`` / ``完成时限：…`` / ``排查整治时间：…`` /
   ``任务和进度安排：…`` (``LABELS``), also inside a bracket;
2. a bracket holding nothing but a deadline: ``调查摸底（2013年1月至2月）``;
3. phrases in the prose, checked with the deadline grammar: dated milestones ending in 前 are
   joined (2017年年底前、2018年年底前), else the first phrase printed.

Never a deadline: dates inside a cited title 《…》, a 文号 （…〔2014〕14号）, a quoted “…”, a date
followed by 印发/发布/召开… (an event cited), a date that falls on or before the document date
(the past, when the document is dated), 年内 after a count (1年内 is a span, not this year).
"""

from __future__ import annotations

import datetime as dt
import re

from ansheng_cli.plan.deadlines import DeadlineError, parse

LABELS = (
    "时间节点", "完成时限", "完成时间", "时限要求", "完成期限", "时间要求", "进度安排",
    "任务和进度安排", "排查整治时间", "整治时间", "时间安排", "办结时限", "截止时间",
)  # fmt: skip
_LABELLED = re.compile(
    r"(?:"
    + "|".join(sorted(LABELS, key=len, reverse=True))
    + r")\s*[:：]\s*(?P<d>[^\n]{2,300}?)(?=$|\n|责任|牵头|配合|\d{1,2}[.．、])"
)
_BRACKET = re.compile(r"[（(](?P<d>[^（）()]{2,40})[)）]")
_Y = r"\d{4}\s*年"
_IN_TEXT = re.compile(
    rf"{_Y}(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?(?:至|到|—|-|－|~)(?:{_Y})?(?:\d{{1,2}}月)?(?:\d{{1,2}}日)?"
    r"|\d{1,2}月(?:\d{1,2}日)?(?:至|到|—|-|－|~)\d{1,2}月(?:\d{1,2}日|底)?"
    r"|\d{4}(?:—|-|－)\d{4}年"
    rf"|(?:于|在|到|截至|力争|确保)?{_Y}(?:\d{{1,2}}\s*月(?:\d{{1,2}}日|底|末|中旬|上旬|下旬)?|年?底|年?末|春节|元旦)?(?:前|期间)?(?:完成)?"
    r"|(?:于|在)?(?:今年)?\d{1,2}月(?:\d{1,2}日|底|末)前"
    r"|每(?:年|季度|半年|月|周|旬)(?:第[一二三四]季度|\d{1,2}日前"
    r"|[\u4e00-\u9fff]{0,6}?(?:至少|不少于)[\u4e00-\u9fff]{0,4}?(?:\d+|[一二两三四五六七八九十])[次批])?"
    r"|(?:(?<=^)|(?<=[，,。；;\s]))(?:年内(?![，,])|年终(?=[，,]))"
    r"|年底前|春节前|春节期间"
)
# Titles of cited documents, 文号 and quoted words are not deadlines.
_CITED = re.compile(r"《[^《》]{0,80}》|[〔﹝\[【(（]\d{4}[〕﹞\]】)）]\d{1,4}号|“[^“”]{0,60}”")
_EVENT_AFTER = re.compile(
    r"^\s*(?:印发|发布|出台|颁布|召开|通过|施行|修订|以来|起施行|举行|发生|成立|下发|签署)"
)
_MARKED = re.compile(r"(前|底|末|完成|日|月|期间|至\d|到\d|—\d|-\d|内|终|[次批])$|^(每|到|截至|至)")


def _ok(phrase: str, base: dt.date, doc_date: dt.date | None) -> str | None:
    """The deadline kind, or None if ``phrase`` is not a usable deadline."""
    phrase = phrase.strip()
    try:
        found = parse(phrase, base)
    except DeadlineError:
        return None
    past = doc_date is not None and found.dues and max(found.dues) <= doc_date
    if past and found.kind == "date":
        return None  # in the past: a date cited, not a deadline
    return found.kind


def labelled(text: str, base: dt.date, doc_date: dt.date | None = None) -> str | None:
    for m in _LABELLED.finditer(text):
        field = m.group("d").strip()
        whole = re.split(r"[，,。；;（(）)\s]", field, maxsplit=1)[0]
        if _IN_TEXT.fullmatch(whole) and _ok(whole, base, doc_date):
            return whole
        for c in _IN_TEXT.finditer(field):  # the first deadline inside the field
            if _MARKED.search(c.group(0)) and _ok(c.group(0), base, doc_date):
                return c.group(0).strip()
    return None


def find_deadline(
    text: str, base: dt.date, title: str = "", doc_date: dt.date | None = None
) -> str | None:
    """The deadline a task's text states (see the module docstring); a bare year counts only
    in the title (2014年主要任务)."""
    found = labelled(text, base, doc_date)
    if found:
        return found
    clean = _CITED.sub(lambda m: " " * len(m.group(0)), text)
    for m in _BRACKET.finditer(clean):
        phrase = m.group("d").strip()
        if _IN_TEXT.fullmatch(phrase) and _ok(phrase, base, doc_date):
            return phrase
    dated: list[str] = []
    other: list[str] = []
    for source, bare_ok in ((title, True), (clean, False)):
        for m in _IN_TEXT.finditer(source):
            candidate = m.group(0).strip()
            if not bare_ok and not _MARKED.search(candidate):
                continue
            if _EVENT_AFTER.match(source[m.end() :]) or source[m.end() : m.end() + 1] == "的":
                continue
            kind = _ok(candidate, base, doc_date)
            if kind is None:
                continue
            ends = candidate.removesuffix("完成").endswith("前")
            bucket = dated if kind in ("date", "phased") and ends else other
            if candidate not in bucket:
                bucket.append(candidate)
    if dated:
        return "、".join(dated[:3])
    return other[0] if other else None
