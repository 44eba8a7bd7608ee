"""The Chinese deadline grammar: text as written → a structured, dated deadline.

A deadline stays as written in the data and is parsed here into one of these kinds:

- ``date``: due on one day (the last day of the period named, a named day);
- ``phased``: a span (``2015年至2017年``) or several dated steps (milestones,
  ``2024年6月底前完成摸排，12月底前完成整治``): ``steps`` lists each step in order;
- ``recurring``: a period, maybe a part of it and a count (``每月5日前``, ``每季度末``);
- ``ongoing``: no end (``长期坚持``, ``2024年起``, ``即日起``), maybe with a ``start``;
- ``relative``: counted from the document date (``本文印发后3个月内``) or from an event
  (``疫情解除后3个月``: no date, the event is kept in ``event``);
- ``text``: a deadline that names no date (``立即``, ``随时``, ``与国家安排同步``, ``赛前``).

The grammar is a table of clause families (``GRAMMAR``) tried in order on each clause of
the text. Text that no family knows raises :class:`UnknownDeadline` (W507, a warning: the
text is kept); impossible or contradictory dates raise :class:`DeadlineError` (E501, E504).
Nothing is guessed: a clause that no family recognises adds no date, and a text none of
whose clauses is recognised is unknown. Parses (and errors) are cached by (text, document
date, seasons), so a plan that repeats a phrase parses it once.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from ansheng_cli.plan import named_days
from ansheng_cli.plan.cn import cn_int

UNKNOWN = "W507"
# The settings table that maps a season to its first day: [seasons] "汛期" = "06-01".
SEASONS_SETTING = "seasons"
# Seasons recognised as such even before they are configured (so that a missing setting
# is reported by name rather than as an unknown phrase).
SEASON_WORDS = (
    "主汛期", "汛期", "防汛期", "供暖季", "采暖季", "供暖期", "采暖期", "森林防火期",
    "防火期", "雨季", "台风季", "旅游旺季", "春运",
)  # fmt: skip

# A number as deadlines write it: 3, 12, 三, 十二, 二十, 两 (what cn_int reads).
_CN_NUM = r"[一二两三四五六七八九]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九]{1,3}"
_NUM = rf"\d+|{_CN_NUM}"


class DeadlineError(ValueError):
    """Text that is not a usable deadline: E501 (no date can be computed although one is
    meant, or the dates contradict each other), E504 (a date that does not exist), or
    W507 (:class:`UnknownDeadline`)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class UnknownDeadline(DeadlineError):
    """A phrase the grammar does not know (W507): kept as written, with no date."""

    def __init__(self, message: str) -> None:
        super().__init__(UNKNOWN, message)


@dataclass(frozen=True, slots=True)
class Step:
    """One dated step of a phased deadline: due date, optional start, and the words that
    say what is due (``完成摸排``)."""

    due: dt.date
    label: str | None = None
    start: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    text: str
    kind: str  # date | recurring | ongoing | phased | relative | text
    due: dt.date | None = None  # last day to finish (None for recurring, ongoing, text)
    start: dt.date | None = None  # first day of a span, or of an open-ended duty
    period: str | None = None  # recurring: year | half | quarter | month | xun | week | day | hour
    every: int = 1  # recurring: every N periods (每3年 → 3)
    part: str | None = None  # recurring: which part of the period (see _PARTS below)
    count: int | None = None  # recurring: at least N times per period
    steps: tuple[Step, ...] = ()  # phased: every dated step in order (milestones)
    label: str | None = None  # the words beside the date (全部清零), when there are some
    event: str | None = None  # the event or named day it hangs on (疫情解除, 春节, 两会)

    @property
    def dues(self) -> tuple[dt.date, ...]:
        """Every due date the text states, in order (several for milestones)."""
        if self.steps:
            return tuple(s.due for s in self.steps)
        return (self.due,) if self.due else ()

    def step_on(self, as_of: dt.date) -> Step | None:
        """The milestone that matters on ``as_of``: the first step due on or after it, else
        the last one (all are past). None when the deadline has no steps."""
        if not self.steps:
            return None
        return next((s for s in self.steps if s.due >= as_of), self.steps[-1])

    def occurrence(self, as_of: dt.date) -> dt.date | None:
        """Due date of the occurrence that matters on ``as_of`` (the fixed due date if not
        recurring)."""
        if self.kind != "recurring" or self.period is None:
            return self.due
        found = self.window(as_of)
        return found[1] if found else as_of  # a daily duty is due the same day

    def window(
        self, as_of: dt.date, anchor: dt.date | None = None
    ) -> tuple[dt.date, dt.date] | None:
        """(start, due) of the recurring occurrence that matters on ``as_of``: the part of
        this year (or, before that part has begun, of last year), the current quarter, month…;
        every N years counts from ``anchor`` (the document date). None for a daily duty."""
        if self.kind != "recurring" or self.period is None:
            return None
        y, part, period = as_of.year, self.part, self.period
        if period == "year":
            return _year_window(y, part, as_of, self.every, anchor)
        if period == "half":
            span = _half(y, as_of.month > 6)
        elif period == "quarter":
            span = _quarter(y, (as_of.month - 1) // 3 + 1)
        elif period == "month":
            span = _month(y, as_of.month, "")
            return span.first, _month_part(span, part, as_of)
        elif period == "xun":
            first = min(as_of.day - 1, 20) // 10 * 10 + 1
            end = _month_end(y, as_of.month) if first == 21 else dt.date(y, as_of.month, first + 9)
            return dt.date(y, as_of.month, first), end
        elif period == "week":
            start = as_of - dt.timedelta(days=as_of.weekday())
            if part and part.startswith("W"):
                return start, start + dt.timedelta(days=int(part[1:]) - 1)
            return start, start + dt.timedelta(days=6)
        else:
            return None
        return span.first, span.last


# Recurring parts: Q1–Q4, H1/H2 (of a year); M6 (by the end of June), M6D24 (by 24 June),
# N春节 (by a named day) of a year; D5 / D15,30 (by that day) and LW (last working day) of a
# month; W5 (by Friday) of a week; "end" (the end of the period).
_MD = re.compile(r"M(\d+)(?:D(\d+))?")


def _year_window(
    y: int, part: str | None, as_of: dt.date, every: int, anchor: dt.date | None
) -> tuple[dt.date, dt.date] | None:
    if part and part[0] in "QH" and part[1:].isdigit():
        span = _quarter(y, int(part[1])) if part[0] == "Q" else _half(y, part == "H2")
        if as_of < span.first:
            span = _quarter(y - 1, int(part[1])) if part[0] == "Q" else _half(y - 1, part == "H2")
        return span.first, span.last
    m = _MD.fullmatch(part or "")
    if m:
        month = int(m[1])
        due = dt.date(y, month, int(m[2])) if m[2] else _month_end(y, month)
        return dt.date(y, 1, 1), due
    if part and part.startswith("N"):
        named = named_days.day(part[1:], y)
        return (dt.date(y, 1, 1), named) if named else None
    every = max(1, every)
    base = anchor.year if anchor else y
    start_year = y - ((y - base) % every)
    return dt.date(start_year, 1, 1), dt.date(start_year + every - 1, 12, 31)


def _month_part(span: _Span, part: str | None, as_of: dt.date) -> dt.date:
    if part and part.startswith("D"):
        days = [min(int(d), span.last.day) for d in part[1:].split(",")]
        later = [d for d in days if d >= as_of.day]
        return span.first.replace(day=later[0] if later else days[-1])
    if part == "LW":
        last = span.last
        while last.weekday() >= 5:
            last -= dt.timedelta(days=1)
        return last
    return span.last


@dataclass(frozen=True, slots=True)
class _Span:
    first: dt.date
    last: dt.date


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _date(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise DeadlineError("E504", f"日期不存在：“{text}”（{year}年{month}月{day}日）") from None


def _month(year: int, month: int, text: str) -> _Span:
    if not 1 <= month <= 12:
        raise DeadlineError("E504", f"月份不存在：“{text}”（{month}月）")
    return _Span(dt.date(year, month, 1), _month_end(year, month))


def _quarter(year: int, q: int) -> _Span:
    return _Span(dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q))


def _half(year: int, second: bool) -> _Span:
    return _Span(
        dt.date(year, 7 if second else 1, 1),
        dt.date(year, 12 if second else 6, 31 if second else 30),
    )


def _year(year: int) -> _Span:
    return _Span(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _add_months(base: dt.date, months: int) -> dt.date:
    index = base.month - 1 + months
    year, month = base.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(base.day, calendar.monthrange(year, month)[1]))


# ---------------------------------------------------------------------------------------
# Normalising: one spelling for punctuation and dashes, no spaces, no remarks in brackets.

_FULLWIDTH = str.maketrans(
    "０１２３４５６７８９．／（）：，；！？〜～—–－",
    "0123456789./():,;!?~~---",
)
_DROP = re.compile(r"[\s“”\"'‘’《》「」『』]+")
_REMARK = re.compile(r"\([^()]*\)|【[^【】]*】")
_DASHES = re.compile(r"[~-]+")
_COMPACT = (
    (re.compile(r"(\d{4})年?-(\d{4})年"), r"\1年-\2年"),  # 2018—2020年
    (re.compile(r"(?<![\d.])(\d{1,2})-(\d{1,2})月"), r"\1月-\2月"),  # 2020年6-12月
    (re.compile(r"(\d{1,2})月(\d{1,2})日?-(\d{1,2})日"), r"\1月\2日-\1月\3日"),  # 3月6-15日
)
_CLAUSE_END = re.compile(r"[;。!?]")


def _normalise(text: str) -> str:
    s = _DROP.sub("", text.translate(_FULLWIDTH))
    while True:
        t = _REMARK.sub("", s)
        if t == s:
            break
        s = t
    s = _DASHES.sub("-", s)
    for pattern, repl in _COMPACT:
        s = pattern.sub(repl, s)
    return s.strip(",.;:、。!?")


# ---------------------------------------------------------------------------------------
# The pieces of the grammar.

# Words in front of a deadline that do not change its date.
_HEDGE = (
    r"(?:其中|并且|并|另外|同时|要求|要|应当|应|必须|务必|须|需要|需|请|力争|确保|争取|计划|预计"
    r"|原则上|最迟|最晚|不晚于|不迟于|一般|统一|均|截止到|截止至|截至|截止|直到|直至"
    r"|于|在|到|至|从|自|由|是)"
)
_HEDGES = re.compile(rf"^{_HEDGE}+")
_YEAR = (
    r"(?:(?P<y>(?:19|20)\d{2})年度?"
    r"|(?P<yr>今年|本年度?|当年|同年|明年|次年|来年|下一年度?|去年|上一年度?))"
)
_YEAR_OFFSET = {"今年": 0, "本年": 0, "本年度": 0, "当年": 0, "同年": 0, "明年": 1, "次年": 1,
                "来年": 1, "下一年": 1, "下一年度": 1, "去年": -1, "上一年": -1, "上一年度": -1}  # fmt: skip
_MONTH = r"1[0-9]|0?[1-9]|十[一二]?|[一二三四五六七八九]"
# 十一 (National Day) is also the number eleven: not when a month or day follows.
_NAMED = "|".join(n + "(?![月日])" if n == "十一" else n for n in named_days.NAMES)
_TIME_OF_DAY = re.compile(
    r"(?:(?:星期|周)[一二三四五六日天])?(?:上午|下午|中午|晚上|晚)?"
    r"(?:下班|\d{1,2}(?:[:：]\d{2}|[时点](?:\d{1,2}分|半)?)|十二时|二十四时)?"
)
_TAIL = re.compile(
    r"(?P<around>前后|期间|假期|长假|节日期间)"
    r"|(?P<since>起|开始|以后|之后|以来|后)(?![\d一二两三四五六七八九十])"
    r"|(?:底|末)?(?:之前|以前|前|为止|止|截止|结束|以内|之内|内)"
)
_CONNECT = re.compile(rf"(?:起|开始)?(?:至|到|-)(?:{_HEDGE})*")
_AND = re.compile(r"(?:和|及|与|、)")
_NOW = re.compile(
    r"(?:即日|现在|今日|今天|目前|(?:本|该|此)?(?:文件?|方案|通知|意见|办法|规定|计划|细则)?"
    r"(?:印发|下发|发布|公布|实施|施行|出台)之日)(?P<since>起|开始)?"
)
_DOC_EVENT = re.compile(
    r"(?:本|该|此)?(?:文件?|方案|通知|意见|办法|规定|计划|细则)?(?:印发|下发|发布|公布|实施|施行|出台)"
)


@lru_cache(maxsize=64)
def _when_re(seasons: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(sorted({*SEASON_WORDS, *seasons}, key=len, reverse=True))
    return re.compile(
        r"(?P<iso>(?P<iy>\d{4})[-./](?P<im>\d{1,2})[-./](?P<id>\d{1,2})(?!\d))"
        rf"|(?:{_YEAR})?(?:"
        rf"(?P<m>\d{{1,2}}|{_MONTH})月份?"
        r"(?:(?P<d>\d{1,2})[日号]|(?P<mp>上旬|中旬|下旬|初|底|末))?"
        r"|第?(?P<q>[一二三四1-4])季度(?:末|底)?"
        r"|(?P<h>上半年|下半年)(?:末|底)?"
        r"|(?P<ye>年?(?:底|末|内|终)|全年)"
        r"|(?P<fyp>十[一二三四五六七八九]五)(?:规划)?(?:期间|时期|期末|末)?"
        rf"|(?P<named>{_NAMED})"
        rf"|(?P<season>{names})"
        r")?"
    )


@dataclass(frozen=True, slots=True)
class _Ctx:
    text: str  # as written, for messages
    base: dt.date | None
    seasons: Mapping[str, str]
    when: re.Pattern[str]
    recurring: re.Pattern[str]

    def need_year(self, what: str) -> int:
        if self.base is None:
            raise DeadlineError("E501", f"“{self.text}”中的“{what}”没有写年份，而文件未给出日期")
        return self.base.year


@dataclass(frozen=True, slots=True)
class _When:
    span: _Span
    end: int  # index after the expression
    year: int  # the year it falls in (for the next year-less step)
    explicit_year: bool
    named: str | None = None  # a named day or season


def _when(ctx: _Ctx, s: str, pos: int, year: int | None) -> _When | None:
    """A point or period of time at ``s[pos:]``: a day, month, quarter, half, year, named
    day or season; None if there is none there."""
    m = ctx.when.match(s, pos)
    if m is None or m.end() == pos:
        return None
    if m["iso"]:
        iso = _date(int(m["iy"]), int(m["im"]), int(m["id"]), ctx.text)
        return _When(_Span(iso, iso), m.end(), iso.year, True)
    explicit = bool(m["y"] or m["yr"])
    y: int | None
    if m["y"]:
        y = int(m["y"])
    elif m["yr"]:
        y = ctx.need_year(m["yr"]) + _YEAR_OFFSET[m["yr"]]
    else:
        y = year

    def the_year() -> int:
        return y if y is not None else ctx.need_year(m.group(0))

    if m["m"]:
        yy = the_year()
        month = cn_int(m["m"])
        span = _month(yy, month, ctx.text)
        if m["d"]:
            d = _date(yy, month, int(m["d"]), ctx.text)
            span = _Span(d, d)
        elif m["mp"] in ("上旬", "初"):
            span = _Span(span.first, span.first.replace(day=10))
        elif m["mp"] == "中旬":
            span = _Span(span.first.replace(day=11), span.first.replace(day=20))
        elif m["mp"] == "下旬":
            span = _Span(span.first.replace(day=21), span.last)
        return _When(span, m.end(), yy, explicit)
    if m["q"]:
        yy = the_year()
        return _When(_quarter(yy, cn_int(m["q"])), m.end(), yy, explicit)
    if m["h"]:
        yy = the_year()
        return _When(_half(yy, m["h"] == "下半年"), m.end(), yy, explicit)
    if m["ye"] is not None:
        if not explicit and not m["ye"].startswith(("年", "全")):
            return None  # a bare 底 / 末 is not a deadline
        yy = the_year()
        return _When(_year(yy), m.end(), yy, explicit)
    if m["fyp"]:
        first = 1966 + 5 * (cn_int(m["fyp"][:-1]) - 3)  # the 3rd plan began in 1966
        return _When(_Span(dt.date(first, 1, 1), dt.date(first + 4, 12, 31)), m.end(), first, True)
    if m["named"] or m["season"]:
        name = m["named"] or m["season"]
        yy = the_year()
        found = named_days.day(name, yy) if m["named"] else _season(ctx, name, yy)
        if found is None:
            raise UnknownDeadline(f"“{ctx.text}”：日历推算不到{yy}年的“{name}”，原文保留")
        return _When(_Span(found, found), m.end(), yy, explicit, named=name)
    yy = the_year()  # a year alone: 2020年, 明年
    return _When(_year(yy), m.end(), yy, explicit)


def _season(ctx: _Ctx, name: str, year: int) -> dt.date:
    value = ctx.seasons.get(name)
    if value is None:
        raise UnknownDeadline(
            f"“{ctx.text}”中的“{name}”没有设定日期：请在 ansheng.toml 的 [{SEASONS_SETTING}] 中"
            f'写明它开始的月、日，如 "{name}" = "06-01"'
        )
    try:
        month, day = (int(p) for p in value.split("-"))
        return dt.date(year, month, day)
    except ValueError:
        raise DeadlineError(
            "E501", f"设置 {SEASONS_SETTING} 中“{name}”的日期“{value}”不是“月-日”（如 06-01）"
        ) from None


@dataclass(frozen=True, slots=True)
class _Part:
    """What one clause says."""

    kind: str  # date | span | list | open | recurring | relative | text | ongoing
    due: dt.date | None = None
    start: dt.date | None = None
    label: str | None = None
    event: str | None = None
    year: int | None = None  # the year a following year-less step takes
    spans: tuple[_Span, ...] = ()
    recurring: Deadline | None = None


def _label(rest: str) -> str | None:
    rest = rest.strip(",:、.")
    return rest or None


def _after_when(ctx: _Ctx, s: str, w: _When, label_before: str = "") -> _Part | None:
    """The clause from a first time expression on: a range, a list, an open start or a
    due date, then the words that say what is due."""
    pos = _skip_time(s, w.end)
    # a range: X至Y, X-Y, 从X起至Y
    c = _CONNECT.match(s, pos)
    if c:
        w2 = _when(ctx, s, c.end(), w.year) or _bare_year(s, c.end())
        if w2 is not None:
            first, last = w.span, w2.span
            if last.last < first.first:
                if w2.explicit_year:
                    raise DeadlineError(
                        "E501",
                        f"“{ctx.text}”的结束日期（{last.last}）早于开始日期（{first.first}）",
                    )
                w2 = _when(ctx, s, c.end(), w.year + 1) or w2  # 12月至3月: into the next year
                last = w2.span
            end = _skip_time(s, w2.end)
            t = _TAIL.match(s, end)
            if t and not t["around"] and not t["since"]:
                end = t.end()
            rest = s[end:]
            if _EVENT.search(rest):  # 至3月全国两会结束: ends with an event
                return _Part("text", start=first.first, event=_label(rest), year=w.year)
            return _Part(
                "span", due=last.last, start=first.first,
                label=_label(label_before + rest), year=last.last.year,
            )  # fmt: skip
        if not c.group(0).startswith("到"):
            return None  # 2024年3月10日-下旬: a range whose end is not a time
    # a list: 2018年底和2020年底
    spans = [w.span]
    end = pos
    while True:
        a = _AND.match(s, end)
        if not a:
            break
        nxt = _when(ctx, s, a.end(), w.year) or _bare_year(s, a.end())
        if nxt is None:
            break
        spans.append(nxt.span)
        end = _skip_time(s, nxt.end)
    if len(spans) > 1:
        t = _TAIL.match(s, end)
        if t and not t["around"] and not t["since"]:
            end = t.end()
        return _Part(
            "list", due=spans[-1].last, start=spans[0].first, spans=tuple(spans),
            label=_label(label_before + s[end:]), year=spans[-1].last.year,
        )  # fmt: skip
    r = _AFTER.match(s, pos)
    if r:  # 2024年6月底后3个月内: counted from that date
        due = _shift(w.span.last, cn_int(r["n"]), r["u"])
        if due is not None:
            label = _label(label_before + s[r.end() :])
            return _Part("relative", due=due, start=w.span.last, label=label, year=due.year)
    t = _TAIL.match(s, pos)
    if t:
        pos = t.end()
    rest = label_before + s[pos:]
    if t and t["around"]:
        return _Part("text", label=_label(s[pos:]), event=w.named, year=w.year)
    if t and t["since"]:
        start = w.span.first
        if t["since"] in ("以后", "之后", "后") and (w.named or s[w.end - 1] in "底末"):
            start = w.span.last + dt.timedelta(days=1)  # 年底后, 春节后: after that day
        return _Part("open", start=start, label=_label(rest), year=w.year)
    return _Part("date", due=w.span.last, label=_label(rest), event=w.named, year=w.year)


def _skip_time(s: str, pos: int) -> int:
    m = _TIME_OF_DAY.match(s, pos)
    return m.end() if m else pos


_BARE_YEAR = re.compile(r"(?:19|20)\d{2}(?!\d)")


def _bare_year(s: str, pos: int) -> _When | None:
    m = _BARE_YEAR.match(s, pos)
    if not m:
        return None
    y = int(m.group(0))
    return _When(_year(y), m.end(), y, True)


def _strip(s: str) -> str:
    return _HEDGES.sub("", s)


# -- the clause families ------------------------------------------------------------------


@lru_cache(maxsize=64)
def _recurring_re(seasons: tuple[str, ...]) -> re.Pattern[str]:
    names = "|".join(sorted({*SEASON_WORDS, *seasons}, key=len, reverse=True))
    return re.compile(
        rf"^(?P<pre>[\u4e00-\u9fff]{{0,4}}?)每(?:逢)?(?P<n>{_NUM})?(?:-(?P<n2>{_NUM}))?(?:个)?"
        r"(?P<unit>年度|年|半年|季度|季|月|旬|周|星期|天|日|小时)"
        r"(?:第?(?P<q>[一二三四1-4])季度(?:末|底)?"
        r"|(?P<h>上半年|下半年)"
        rf"|(?P<m>\d{{1,2}}|{_MONTH})月份?(?:(?P<md>\d{{1,2}})[日号]|(?P<mp>底|末|上旬|中旬|下旬))?"
        r"|(?P<days>\d{1,2}[日号](?:[、,和及]\d{1,2}[日号])*)"
        r"|(?P<lw>最后一个工作日)"
        r"|(?P<wd>[一二三四五六日天])(?![次遍回个至到\-])"
        r"|(?P<end>年?底|年?末)"
        rf"|(?P<named>{_NAMED}|{names}))?"
        r"(?P<rest>.*)$"
    )


# What is left after a recurring period that still names a time: 每年开学前 (unknown).
_UNKNOWN_PART = re.compile(r"^[\u4e00-\u9fff]{1,8}?(?:之前|以前|前|期间|底|末)$")
_COUNT = re.compile(rf"(?:至少|不少于|最少|不低于)?(?P<c>{_NUM})(?:个)?(?:次|遍|回|批次|轮)")
_UNIT = {"年度": "year", "年": "year", "半年": "half", "季度": "quarter", "季": "quarter",
         "月": "month", "旬": "xun", "周": "week", "星期": "week", "天": "day", "日": "day",
         "小时": "hour"}  # fmt: skip
_WEEKDAY = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7}


def _g_recurring(ctx: _Ctx, s: str, year: int | None) -> _Part | None:
    m = ctx.recurring.match(_strip(s))
    if not m:
        return None
    rest = m["rest"][_skip_time(m["rest"], 0) :]
    if _UNKNOWN_PART.match(rest):
        return None  # a part of the period the grammar does not know
    period = _UNIT[m["unit"]]
    wrong = period != "year" and (m["q"] or m["h"] or m["m"] or m["named"])
    wrong = wrong or (period != "month" and (m["days"] or m["lw"]))
    wrong = wrong or (period != "week" and m["wd"])
    if wrong:
        raise DeadlineError("E501", f"“{ctx.text}”前后矛盾：周期与其中的时间不相配")
    part = None
    if m["q"]:
        part = f"Q{cn_int(m['q'])}"
    elif m["h"]:
        part = "H2" if m["h"] == "下半年" else "H1"
    elif m["m"]:
        month = cn_int(m["m"])
        _month(2000, month, ctx.text)
        if m["md"]:
            _date(2000, month, int(m["md"]), ctx.text)  # a leap year: 2月29日 exists
            part = f"M{month}D{int(m['md'])}"
        elif m["mp"] in ("上旬", "中旬"):
            part = f"M{month}D{10 if m['mp'] == '上旬' else 20}"
        else:
            part = f"M{month}"
    elif m["days"]:
        days = sorted({int(d) for d in re.findall(r"\d+", m["days"])})
        if not all(1 <= d <= 31 for d in days):
            raise DeadlineError("E504", f"日期不存在：“{ctx.text}”")
        part = "D" + ",".join(str(d) for d in days)
    elif m["lw"]:
        part = "LW"
    elif m["wd"]:
        part = f"W{_WEEKDAY[m['wd']]}"
    elif m["end"]:
        part = "end"
    elif m["named"]:
        name = m["named"]
        if name in named_days.NAMES:
            part = f"N{name}"
        else:
            season = _season(ctx, name, 2000)
            part = f"M{season.month}D{season.day}"
    counted = _COUNT.search(m["rest"])
    every = max(cn_int(m["n"]) if m["n"] else 1, cn_int(m["n2"]) if m["n2"] else 1)
    found = Deadline(
        ctx.text, "recurring", period=period, every=every, part=part,
        count=cn_int(counted["c"]) if counted else None,
    )  # fmt: skip
    return _Part("recurring", recurring=found, label=_label(m["rest"]), year=year)


def _g_from_now(ctx: _Ctx, s: str, year: int | None) -> _Part | None:
    """即日起, 从现在起至2017年12月底, 自发布之日起至2020年12月底."""
    s = _strip(s)
    m = _NOW.match(s)
    if not m or _DURATION.match(s, m.end()):
        return None  # 印发之日起30日内: counted from the document (relative)
    if ctx.base is None:
        raise DeadlineError("E501", f"“{ctx.text}”从发文日期起算，而文件未给出日期")
    c = _CONNECT.match(s, m.end())
    if c and c.end() > m.end():
        w = _when(ctx, s, c.end(), ctx.base.year)
        if w is not None and w.span is not None:
            part = _after_when(ctx, s, w)
            if part is not None and part.kind == "date":
                return replace(part, kind="span", start=ctx.base)
    if m["since"]:
        return _Part("open", start=ctx.base, label=_label(s[m.end() :]), year=ctx.base.year)
    return None


def _g_dated(ctx: _Ctx, s: str, year: int | None) -> _Part | None:
    """A clause that starts with a time: 2024年6月底前完成摸排, 到三季度, 2024年起."""
    s = _strip(s)
    w = _when(ctx, s, 0, year)
    if w is None:
        return None
    return _after_when(ctx, s, w)


_DURATION = re.compile(
    rf"(?:(?<![\d月年第])(?P<n>\d{{1,3}}|{_CN_NUM})(?!\d)"
    r"(?P<u>个?工作日|个?小时|天|日|个?周|个?星期|个月|个季度|年)|(?P<half>半年|半个月))"
    r"(?P<within>内|以内|之内|时间|左右)?"
)
_AFTER = re.compile(
    rf"(?:之后|以后|后)的?(?P<n>\d{{1,3}}|{_CN_NUM})(?:个)?"
    r"(?P<u>天|日|周|星期|个月|月|季度|年)(?:内|以内|之内)?"
)


def _shift(base: dt.date, n: int, unit: str) -> dt.date | None:
    """``base`` plus N units; None for hours and working days (counted per case)."""
    if unit in ("天", "日", "周", "星期"):
        return base + dt.timedelta(days=n * (7 if unit in ("周", "星期") else 1))
    if unit == "半个月":
        return base + dt.timedelta(days=15)
    if unit in ("个月", "月", "季度", "年", "半年"):
        return _add_months(base, n * {"年": 12, "季度": 3, "半年": 6}.get(unit, 1))
    return None


_EVENT_TAIL = re.compile(r"(?:之日起|之日后的|之日后|之日|之后的|以后的|后的|之后|以后|后|起)$")
_EVENT_LEAD = re.compile(rf"^(?:{_HEDGE}|利用|用|顺延至|延至|延长至|推迟至|顺延到|,)+")


def _g_relative(ctx: _Ctx, s: str, year: int | None) -> _Part | None:
    """N个月内, 利用2年时间, 本文印发后3个月内, 疫情解除后3个月, 在故障发生12小时内."""
    for m in _DURATION.finditer(s):
        before = s[: m.start()].rstrip(",")
        tail = _EVENT_TAIL.search(before)
        if not m["within"] and not tail:
            continue
        event = _EVENT_LEAD.sub("", before[: tail.start()] if tail else before).rstrip(",的在于")
        label = _label(s[m.end() :].removeprefix("止"))
        n, unit = (cn_int(m["n"]), m["u"].removeprefix("个")) if m["n"] else (1, m["half"])
        if event and not _DOC_EVENT.fullmatch(event):
            return _Part("relative", event=event, label=label, year=year)
        if unit in ("小时", "工作日"):
            return _Part("relative", label=label, year=year)  # counted from each case
        if ctx.base is None:
            raise DeadlineError("E501", f"“{ctx.text}”从发文日期起算，而文件未给出日期")
        due = _shift(ctx.base, n, unit)
        assert due is not None
        return _Part("relative", due=due, start=ctx.base, label=label, year=due.year)
    return None


_MARKED = re.compile(r"(?:请于|并于|于|在|到|截至|截止)")


def _g_labelled(ctx: _Ctx, s: str, year: int | None) -> _Part | None:
    """Words first, then the time: 工作方案请于2013年6月20日前报送."""
    for m in _MARKED.finditer(s):
        if m.start() == 0:
            continue
        w = _when(ctx, s, m.end(), year)
        if w is None:
            continue
        pos = _skip_time(s, w.end)
        t = _TAIL.match(s, pos)
        if pos == len(s) or _CONNECT.match(s, pos) or (t and not t["around"] and not t["since"]):
            return _after_when(ctx, s, w, label_before=s[: m.start()])
        # 在2024年基础上: a year mentioned, not a time limit
    return None


# Events without a calendar date: the phrase is a deadline, but names no day.
_EVENT = re.compile(
    r"两会|人代会|党代会|开学|开工|复工|竣工|赛前|赛事|比赛|运动会|博览会|峰会|论坛|大会|会议召开"
    r"|考试|中考|高考|放假|假期|节前|节后|节日期间|换届"
)
_EVENT_CLAUSE = re.compile(
    r"^(?:直到|直至|待)(?P<ev>.+)$"
    r"|^(?P<ev2>.{2,30}?(?:结束|解除|终止|完成|发生|开工|竣工|验收|批复|到位|启动))"
    r"(?:之日)?(?:之后|以后|后)$"
)


def _g_event(ctx: _Ctx, s: str, year: int | None) -> _Part | None:
    """赛前, 在秋季开学之前, 两会期间; 直到警报解除, 在疫情防控调度任务结束后."""
    m = _EVENT_CLAUSE.match(_strip(s)) or _EVENT_CLAUSE.match(s)
    if m:
        return _Part("relative", event=m["ev"] or _strip(m["ev2"]), year=year)
    e = _EVENT.search(s)
    if e:
        return _Part("text", event=e.group(0), label=_label(_strip(s)), year=year)
    return None


_TEXT = re.compile(
    r"^(?:随时|尽早|尽快|立即|立刻|马上|即刻|即时|及时|适时|按期|如期|按时|限期|定期|不定期"
    r"|第一时间|实时|另行通知|另行安排|视情|同步"
    r"|(?:根据|按照?|依照).{0,12}(?:需要|要求|安排|部署|进度|时间)"
    r"|与.{1,12}(?:同步|一致|同时))"
)


def _g_text(ctx: _Ctx, s: str, year: int | None) -> _Part | None:
    """立即, 随时上报, 限期整改, 与国家安排同步."""
    s = _strip(s)
    return _Part("text", label=_label(s), year=year) if _TEXT.match(s) else None


_ONGOING = re.compile(
    r"^(?:长期|持续|常态化|长效|逐步|动态|不断|久久为功|常抓不懈|坚持不懈|常年|全程)"
    r"|长期坚持|持续推进|持续开展|持续实施|常态化开展|长效常态"
)


def _g_ongoing(ctx: _Ctx, s: str, year: int | None) -> _Part | None:
    """长期坚持, 持续推进, 逐步提高, 动态清零."""
    s = _strip(s)
    return _Part("ongoing", label=_label(s), year=year) if _ONGOING.search(s) else None


_Family = Callable[[_Ctx, str, int | None], _Part | None]

# The clause families, tried in order; the first that recognises a clause wins.
GRAMMAR: tuple[tuple[str, _Family], ...] = (
    ("recurring", _g_recurring),  # 每月5日前, 每季度末, 每年汛期前, 每3年
    ("from-now", _g_from_now),  # 即日起, 自发布之日起至2020年12月底
    ("dated", _g_dated),  # 2024年6月底前, 12月底前, 一季度, 2024年国庆节前, 2024年起, X至Y
    ("labelled", _g_labelled),  # 工作总结请于2013年10月10日前报送
    ("relative", _g_relative),  # 3个月内, 本文印发后3个月内, 疫情解除后3个月
    ("event", _g_event),  # 赛前, 两会期间, 直到警报解除
    ("text", _g_text),  # 立即, 随时, 与国家安排同步
    ("ongoing", _g_ongoing),  # 长期坚持, 持续推进, 逐步提高
)


# ---------------------------------------------------------------------------------------
# Clauses → one deadline.

_STARTS = re.compile(
    rf"{_HEDGE}*(?:(?:19|20)\d{{2}}|(?:\d{{1,2}}|{_MONTH})月|第?[一二三四]季度|[上下]半年"
    r"|年底|年末|年内|今年|明年|次年|当年|本年|每|即日|现在)"
)


def _clauses(s: str) -> list[str]:
    """Split at ; and 。, and at a comma when what follows starts a new dated step."""
    out: list[str] = []
    for chunk in _CLAUSE_END.split(s):
        current: list[str] = []
        for piece in chunk.split(","):
            if not piece:
                continue
            starts = _STARTS.match(piece) or (
                (m := _MARKED.search(piece)) is not None
                and m.start() > 0
                and _STARTS.match(piece, m.end())
            )
            if current and starts:
                out.append(",".join(current))
                current = []
            current.append(piece)
        if current:
            out.append(",".join(current))
    return out


def _one(ctx: _Ctx, s: str, year: int | None) -> _Part | None:
    for _family, build in GRAMMAR:
        found = build(ctx, s, year)
        if found is not None:
            return found
    return None


def _combine(ctx: _Ctx, parts: list[_Part]) -> Deadline:
    text = ctx.text
    if len(parts) == 1:
        return _single(ctx, parts[0])
    dated = [p for p in parts if p.due is not None]
    starts = [p.start for p in parts if p.kind == "open" and p.start]
    if len(dated) == 1:
        one = _single(ctx, dated[0])
        if starts and one.kind == "date":  # 从2015年起，用3年时间，到2017年: a span
            return replace(one, kind="phased", start=starts[0])
        return one
    if dated:
        steps: list[Step] = []
        for p in dated:
            if p.kind == "list":
                steps += [Step(span.last, p.label) for span in p.spans]
            elif p.due is not None:
                steps.append(Step(p.due, p.label, p.start))
        return Deadline(text, "phased", due=steps[-1].due, start=starts[0] if starts else None,
                        steps=tuple(steps))  # fmt: skip
    recurring = [p.recurring for p in parts if p.recurring is not None]
    if recurring:
        return replace(recurring[0], start=starts[0] if starts else None)
    return _single(ctx, parts[0])


def _single(ctx: _Ctx, p: _Part) -> Deadline:
    text = ctx.text
    if p.kind == "recurring":
        assert p.recurring is not None
        return p.recurring
    if p.kind == "date":
        return Deadline(text, "date", due=p.due, label=p.label, event=p.event)
    if p.kind == "span":
        return Deadline(text, "phased", due=p.due, start=p.start, label=p.label)
    if p.kind == "list":
        steps = tuple(Step(span.last) for span in p.spans)
        return Deadline(text, "phased", due=p.due, start=p.start, steps=steps, label=p.label)
    if p.kind == "open":
        return Deadline(text, "ongoing", start=p.start, label=p.label)
    if p.kind == "relative":
        return Deadline(text, "relative", due=p.due, start=p.start, label=p.label, event=p.event)
    return Deadline(text, p.kind, start=p.start, label=p.label, event=p.event)


def parse(
    text: str, base: dt.date | None = None, seasons: Mapping[str, str] | None = None
) -> Deadline:
    """Parse a deadline as written; ``base`` (the document date) supplies a missing year
    and anchors relative deadlines; ``seasons`` maps a season to its first day
    (``{"汛期": "06-01"}``, the setting named by :data:`SEASONS_SETTING`).

    Raises :class:`UnknownDeadline` (W507) for a phrase the grammar does not know, and
    :class:`DeadlineError` with code E501 (contradictory, or no date where one is meant) or
    E504 (no such date).
    """
    key = tuple(sorted(seasons.items())) if seasons else ()
    found = _parse(text, base, key)
    if isinstance(found, Deadline):
        return found
    code, message = found  # a new exception each time: a cached one would keep its traceback
    raise UnknownDeadline(message) if code == UNKNOWN else DeadlineError(code, message)


@lru_cache(maxsize=65536)
def _parse(
    text: str, base: dt.date | None, seasons: tuple[tuple[str, str], ...]
) -> Deadline | tuple[str, str]:
    """The parse of one (text, anchor, seasons), or the (code, message) of its error; both
    are cached, so a plan that repeats a phrase parses it once."""
    try:
        return _parse_uncached(text, base, seasons)
    except DeadlineError as exc:
        return exc.code, exc.message


def _parse_uncached(
    text: str, base: dt.date | None, seasons: tuple[tuple[str, str], ...]
) -> Deadline:
    s = _normalise(text)
    if not s:
        raise DeadlineError("E501", "完成时限为空")
    names = tuple(k for k, _ in seasons)
    ctx = _Ctx(text, base, dict(seasons), _when_re(names), _recurring_re(names))
    year = base.year if base else None
    parts: list[_Part] = []
    for clause in _clauses(s):
        found = _one(ctx, clause, year)
        if found is None:
            continue  # an undated clause between dated steps adds nothing
        parts.append(found)
        if found.year is not None and (found.due is not None or found.start is not None):
            year = found.year  # the next year-less step takes this step's year
    if not parts:
        raise UnknownDeadline(f"未能识别的完成时限“{text}”：原文保留，但算不出到期日期")
    return _combine(ctx, parts)


__all__ = [
    "GRAMMAR",
    "SEASONS_SETTING",
    "Deadline",
    "DeadlineError",
    "Step",
    "UnknownDeadline",
    "cn_int",
    "parse",
]
