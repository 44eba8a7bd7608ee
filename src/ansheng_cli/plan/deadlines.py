"""The Chinese deadline grammar: text as written → a structured, dated deadline.

A deadline stays as written in the data and is parsed here into one of five kinds
(date, recurring, ongoing, phased, relative). The grammar is a table of patterns; text
that matches none is an error that quotes it. Nothing is guessed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

_FULLWIDTH = str.maketrans("０１２３４５６７８９－．／～（）", "0123456789-./~()")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_NUM = r"\d+|[零〇一二两三四五六七八九十]+"


def cn_int(text: str) -> int:
    """1, 12, 一, 十二, 二十, 两 → int (small numbers as deadlines use them)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS.get(tens, 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + _CN_DIGITS[ch]
    return value


class DeadlineError(ValueError):
    """Text that is not a deadline (E501) or names a date that does not exist (E504)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True, slots=True)
class Deadline:
    text: str
    kind: str  # date | recurring | ongoing | phased | relative
    due: dt.date | None = None  # last day to finish (None for recurring and ongoing)
    start: dt.date | None = None  # first day of a phased span
    period: str | None = None  # recurring: year | half | quarter | month | xun | week | day
    every: int = 1  # recurring: every N periods (每3年 → 3)
    part: str | None = None  # recurring: which part of the period (Q1, H2, M6, end)
    count: int | None = None  # recurring: at least N times per period

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
            if part and part[0] in "QH":
                span = _quarter(y, int(part[1])) if part[0] == "Q" else _half(y, part == "H2")
                if as_of < span.first:
                    span = (
                        _quarter(y - 1, int(part[1]))
                        if part[0] == "Q"
                        else _half(y - 1, part == "H2")
                    )
                return span.first, span.last
            if part and part.startswith("M"):
                return dt.date(y, 1, 1), _month_end(y, int(part[1:]))
            every = max(1, self.every)
            base = anchor.year if anchor else y
            start_year = y - ((y - base) % every)
            return dt.date(start_year, 1, 1), dt.date(start_year + every - 1, 12, 31)
        if period == "half":
            span = _half(y, as_of.month > 6)
        elif period == "quarter":
            span = _quarter(y, (as_of.month - 1) // 3 + 1)
        elif period == "month":
            span = _month(y, as_of.month, "")
        elif period == "xun":
            first = min(as_of.day - 1, 20) // 10 * 10 + 1
            end = _month_end(y, as_of.month) if first == 21 else dt.date(y, as_of.month, first + 9)
            return dt.date(y, as_of.month, first), end
        elif period == "week":
            start = as_of - dt.timedelta(days=as_of.weekday())
            return start, start + dt.timedelta(days=6)
        else:
            return None
        return span.first, span.last


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


_XUN = {"上旬": 10, "中旬": 20}

# One calendar period, with or without a year. Named groups decide the meaning.
_PERIOD = re.compile(
    r"^(?:(?P<y>\d{4})年)?(?:"
    r"(?P<m>\d{1,2}|[一二三四五六七八九十]+)月份?(?:(?P<d>\d{1,2})日|(?P<xun>上旬|中旬|下旬)|底|末|初)?"
    r"|第?(?P<q>[一二三四1-4])季度(?:末|底)?"
    r"|(?P<h>上半年|下半年)(?:末|底)?"
    r"|(?P<ye>年?(?:底|末|内|终)|全年)"
    r")$"
)
_ISO = re.compile(r"^(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})$")
_YEAR_ONLY = re.compile(r"^(?P<y>\d{4})年?(?:度)?$")


def _period(text: str, year: int | None) -> _Span | None:
    """A single period: a day, month, quarter, half-year or year. None if not one."""
    m = _ISO.match(text)
    if m:
        day = _date(int(m["y"]), int(m["m"]), int(m["d"]), text)
        return _Span(day, day)
    m = _YEAR_ONLY.match(text)
    if m and "年" in text:
        return _year(int(m["y"]))
    m = _PERIOD.match(text)
    if not m:
        return None
    y = int(m["y"]) if m["y"] else year
    if y is None:
        raise DeadlineError("E501", f"“{text}”没有写年份，而文件未给出日期")
    if m["m"]:
        month = cn_int(m["m"])
        span = _month(y, month, text)
        if m["d"]:
            day = _date(y, month, int(m["d"]), text)
            return _Span(day, day)
        if m["xun"] in _XUN:
            return _Span(span.first, dt.date(y, month, _XUN[m["xun"]]))
        return span
    if m["q"]:
        return _quarter(y, cn_int(m["q"]))
    if m["h"]:
        return _half(y, m["h"] == "下半年")
    if m["ye"] is not None:
        if not m["y"] and not m["ye"].startswith(("年", "全")):
            return None  # a bare 底 / 末 is not a deadline
        return _year(y)
    return None


_ONGOING = re.compile(
    r"^(?:长期(?:坚持|推进|开展|执行|实施)?|持续(?:推进|开展|实施|进行|抓好)|常态化(?:推进|开展|实施)?"
    r"|长期坚持[，,、]?持续推进)$"
)
_RELATIVE = re.compile(
    rf"^(?:(?P<use>利用|用|在)(?P<n1>{_NUM})(?P<u1>个月|年|个季度)(?:时间|内|左右)?"
    rf"|(?P<n2>{_NUM})(?P<u2>个月|年|个季度)(?:时间|内))$"
)
_RECURRING = re.compile(
    rf"^每(?P<n>{_NUM})?(?:个)?(?P<unit>年度|年|半年|季度|季|月|旬|周|星期|天|日)"
    r"(?:(?:第?(?P<q>[一二三四1-4])季度)|(?P<h>上半年|下半年)"
    r"|(?P<m>\d{1,2}|[一二三四五六七八九十]+)月(?:底|末)?|(?P<end>年?底|年?末))?"
    rf"(?:[\u4e00-\u9fff]{{0,6}}?(?:至少|不少于|最少)?(?P<c>{_NUM})次)?$"
)
_UNIT = {"年度": "year", "年": "year", "半年": "half", "季度": "quarter", "季": "quarter",
         "月": "month", "旬": "xun", "周": "week", "星期": "week", "天": "day", "日": "day"}  # fmt: skip
_SPLIT_SPAN = re.compile(r"(?:至|到|—|–|－|~|-)")
_SPLIT_AND = re.compile(r"(?:和|及|与|、|，|,)")
_PREFIX = re.compile(r"^(?:截至到?|截止到?|到|于|在|至)(?=\d|[一二三四五六七八九十]|年|第|上|下)")
_SUFFIX = re.compile(r"(?:前完成|之前|以前|前|止|为止|完成)$")


def _normalise(text: str) -> str:
    s = re.sub(r"\s+", "", text.translate(_FULLWIDTH)).rstrip("。；;，,")
    s = _PREFIX.sub("", s)
    for _ in range(2):
        s = _SUFFIX.sub("", s)
    return s


def _recurring(text: str, m: re.Match[str]) -> Deadline:
    period = _UNIT[m["unit"]]
    part = None
    if m["q"]:
        part = f"Q{cn_int(m['q'])}"
    elif m["h"]:
        part = "H2" if m["h"] == "下半年" else "H1"
    elif m["m"]:
        month = cn_int(m["m"])
        if not 1 <= month <= 12:
            raise DeadlineError("E504", f"月份不存在：“{text}”（{month}月）")
        part = f"M{month}"
    elif m["end"]:
        part = "end"
    if part and period != "year":
        raise DeadlineError("E501", f"无法识别的完成时限“{text}”")
    return Deadline(
        text,
        "recurring",
        period=period,
        every=cn_int(m["n"]) if m["n"] else 1,
        part=part,
        count=cn_int(m["c"]) if m["c"] else None,
    )


def _add_months(base: dt.date, months: int) -> dt.date:
    index = base.month - 1 + months
    year, month = base.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(base.day, calendar.monthrange(year, month)[1]))


def _relative(text: str, m: re.Match[str], base: dt.date | None) -> Deadline:
    if base is None:
        raise DeadlineError("E501", f"“{text}”从发文日期起算，而文件未给出日期")
    n = cn_int(m["n1"] or m["n2"])
    unit = m["u1"] or m["u2"]
    months = {"年": 12, "个季度": 3, "个月": 1}[unit] * n
    return Deadline(text, "relative", due=_add_months(base, months), start=base)


def _span_of(parts: list[str], year: int | None) -> tuple[_Span, ...] | None:
    spans: list[_Span] = []
    for part in parts:
        span = _period(_normalise(part), spans[-1].first.year if spans else year)
        if span is None:
            return None
        spans.append(span)
    return tuple(spans)


_Builder = Callable[[str, str, int | None, dt.date | None], Deadline | None]


def _as_date(text: str, s: str, year: int | None, base: dt.date | None) -> Deadline | None:
    span = _period(s, year)
    return Deadline(text, "date", due=span.last) if span else None


def _as_span(text: str, s: str, year: int | None, base: dt.date | None) -> Deadline | None:
    for splitter in (_SPLIT_SPAN, _SPLIT_AND):
        parts = [p for p in splitter.split(s) if p]
        if len(parts) < 2:
            continue
        # "2015年至2017年" and "2018年和2019年": the second year may carry the 年 alone.
        parts = [p if not p.isdigit() or len(p) != 4 else p + "年" for p in parts]
        spans = _span_of(parts, year)
        if spans:
            return Deadline(text, "phased", due=spans[-1].last, start=spans[0].first)
    return None


def _as_ongoing(text: str, s: str, year: int | None, base: dt.date | None) -> Deadline | None:
    return Deadline(text, "ongoing") if _ONGOING.match(s) else None


def _as_recurring(text: str, s: str, year: int | None, base: dt.date | None) -> Deadline | None:
    m = _RECURRING.match(s)
    return _recurring(text, m) if m else None


def _as_relative(text: str, s: str, year: int | None, base: dt.date | None) -> Deadline | None:
    m = _RELATIVE.match(s)
    return _relative(text, m, base) if m else None


# Tried in order; the first that recognises the text wins.
GRAMMAR: tuple[tuple[str, _Builder], ...] = (
    ("ongoing", _as_ongoing),
    ("recurring", _as_recurring),
    ("relative", _as_relative),
    ("date", _as_date),
    ("phased", _as_span),
)


@lru_cache(maxsize=4096)
def parse(text: str, base: dt.date | None = None) -> Deadline:
    """Parse a deadline as written; ``base`` (the document date) supplies a missing year.

    Raises :class:`DeadlineError` with code E501 (not a deadline) or E504 (no such date).
    """
    s = _normalise(text)
    year = base.year if base else None
    if s:
        for _kind, build in GRAMMAR:
            found = build(text, s, year, base)
            if found is not None:
                return found
    raise DeadlineError("E501", f"无法识别的完成时限“{text}”")
