"""Named days a deadline can be pinned to: fixed holidays (元旦, 国庆节) and lunar festivals
(春节, 端午, 中秋…) and solar terms (清明, 冬至), the latter two computed with the ``borax``
calendar library (pure Python, MIT, covers 1900–2100).

Events without a calendar date (两会, 开学, 赛前) are not here: they are kept as text.
Seasons whose start differs from place to place (汛期, 供暖季) come from the settings.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

# Day fixed in the Gregorian calendar: (month, day).
FIXED: dict[str, tuple[int, int]] = {
    "元旦": (1, 1), "元旦节": (1, 1), "妇女节": (3, 8), "三八": (3, 8), "植树节": (3, 12),
    "劳动节": (5, 1), "五一": (5, 1), "青年节": (5, 4), "五四": (5, 4), "儿童节": (6, 1),
    "六一": (6, 1), "建党节": (7, 1), "七一": (7, 1), "建军节": (8, 1), "八一": (8, 1),
    "教师节": (9, 10), "国庆节": (10, 1), "国庆": (10, 1), "十一": (10, 1),
}  # fmt: skip

# Day fixed in the lunar calendar: (lunar month, lunar day) of the lunar year numbered like
# the Gregorian year it mostly falls in.
LUNAR: dict[str, tuple[int, int]] = {
    "春节": (1, 1), "元宵节": (1, 15), "元宵": (1, 15), "端午节": (5, 5), "端午": (5, 5),
    "七夕": (7, 7), "中秋节": (8, 15), "中秋": (8, 15), "重阳节": (9, 9), "重阳": (9, 9),
    "腊八": (12, 8),
}  # fmt: skip

# The last day of a lunar year: 除夕 of year Y is the eve of Y's 春节 (it falls in Y);
# 农历年末 of year Y is the end of lunar year Y (the eve of the next 春节).
EVE = ("除夕",)
LUNAR_YEAR_END = ("农历年末", "农历年底", "农历年终", "农历岁末")

# Solar terms: the name borax knows each by.
SOLAR: dict[str, str] = {"清明节": "清明", "清明": "清明", "冬至": "冬至"}

NAMES: tuple[str, ...] = tuple(
    sorted([*FIXED, *LUNAR, *EVE, *LUNAR_YEAR_END, *SOLAR], key=len, reverse=True)
)


def _lunar(year: int, month: int, day: int) -> dt.date | None:
    from borax.calendars.lunardate import LunarDate  # type: ignore[import-untyped]

    try:
        solar: dt.date = LunarDate(year, month, day).to_solar_date()
    except ValueError:  # outside the library's years
        return None
    return solar


def _term(year: int, name: str) -> dt.date | None:
    from borax.calendars.lunardate import TermUtils

    try:
        found: dt.date = TermUtils.nth_term_day(year, term_name=name)
    except ValueError:  # outside the library's years
        return None
    return found


@lru_cache(maxsize=1024)
def day(name: str, year: int) -> dt.date | None:
    """The Gregorian date of the named day in ``year``; None if not a named day or the
    calendar does not reach that year."""
    if name in FIXED:
        month, d = FIXED[name]
        return dt.date(year, month, d)
    if name in LUNAR:
        return _lunar(year, *LUNAR[name])
    if name in EVE or name in LUNAR_YEAR_END:
        spring = _lunar(year + (name in LUNAR_YEAR_END), 1, 1)
        return spring - dt.timedelta(days=1) if spring else None
    if name in SOLAR:
        return _term(year, SOLAR[name])
    return None
