"""The widened deadline grammar, one table row per phrase family (issue 13, part 1)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansheng_cli.plan import named_days
from ansheng_cli.plan.deadlines import (
    GRAMMAR,
    SEASONS_SETTING,
    DeadlineError,
    Step,
    UnknownDeadline,
    parse,
)

D = dt.date
DOC = D(2024, 3, 15)  # the document date of every row below
SEASONS = {"汛期": "06-01", "供暖季": "11-15"}

# (family, text as written, kind, every due date in order, start)
FAMILIES = [
    # fixed dates and ends of periods
    ("date", "2024年国庆节前", "date", [D(2024, 10, 1)], None),
    ("date", "2024年6月底前", "date", [D(2024, 6, 30)], None),
    ("date", "于2024年9月25日前", "date", [D(2024, 9, 25)], None),
    ("date", "2024年6月前", "date", [D(2024, 6, 30)], None),  # 月前 read as 月底前
    ("date", "2025年前", "date", [D(2025, 12, 31)], None),
    ("date", "2024年2月中旬前", "date", [D(2024, 2, 20)], None),
    ("date", "2024年3月初", "date", [D(2024, 3, 10)], None),
    ("date", "争取在2024年6月底", "date", [D(2024, 6, 30)], None),
    ("date", "到 2025 年", "date", [D(2025, 12, 31)], None),
    ("date", "“十四五”期间", "date", [D(2025, 12, 31)], None),
    ("date", "2024-07-01", "date", [D(2024, 7, 1)], None),
    # year-less: the year of the document
    ("yearless", "12月底前", "date", [D(2024, 12, 31)], None),
    ("yearless", "一季度完成", "date", [D(2024, 3, 31)], None),
    ("yearless", "年内完成", "date", [D(2024, 12, 31)], None),
    ("yearless", "全年推进", "date", [D(2024, 12, 31)], None),
    ("yearless", "年底", "date", [D(2024, 12, 31)], None),
    ("yearless", "到三季度", "date", [D(2024, 9, 30)], None),
    ("yearless", "今年12月底前", "date", [D(2024, 12, 31)], None),
    ("yearless", "明年底前", "date", [D(2025, 12, 31)], None),
    ("yearless", "于7月31日（星期三）下午下班前", "date", [D(2024, 7, 31)], None),
    ("yearless", "请于9月29日18时前", "date", [D(2024, 9, 29)], None),
    # milestones: every dated step, a year-less step takes the previous step's year
    (
        "milestones",
        "2024年6月底前完成摸排，12月底前完成整治",
        "phased",
        [D(2024, 6, 30), D(2024, 12, 31)],
        None,
    ),
    (
        "milestones",
        "一季度完成选址；二季度完成立项。2025年形成能力",
        "phased",
        [D(2024, 3, 31), D(2024, 6, 30), D(2025, 12, 31)],
        None,
    ),
    (
        "milestones",
        "工作方案请于2024年6月20日前报送,工作总结请于2024年10月10日前报送",
        "phased",
        [D(2024, 6, 20), D(2024, 10, 10)],
        None,
    ),
    (
        "milestones",
        "2024年底和2025年底",
        "phased",
        [D(2024, 12, 31), D(2025, 12, 31)],
        D(2024, 1, 1),
    ),
    # ranges: the end is due
    ("range", "2024年至2026年", "phased", [D(2026, 12, 31)], D(2024, 1, 1)),
    ("range", "2024年12月至3月", "phased", [D(2025, 3, 31)], D(2024, 12, 1)),  # into 2025
    ("range", "2024年6-12月", "phased", [D(2024, 12, 31)], D(2024, 6, 1)),
    ("range", "3月28日-4月15日（不含周末）", "phased", [D(2024, 4, 15)], D(2024, 3, 28)),
    ("range", "从即日起至9月底", "phased", [D(2024, 9, 30)], DOC),
    ("range", "自发布之日起至2024年12月底", "phased", [D(2024, 12, 31)], DOC),
    ("range", "从2024年起,用3年时间,到2026年", "phased", [D(2026, 12, 31)], D(2024, 1, 1)),
    # relative to the document date
    ("relative", "本文印发后3个月内", "relative", [D(2024, 6, 15)], DOC),
    ("relative", "本方案印发之日起30日内", "relative", [D(2024, 4, 14)], DOC),
    ("relative", "3个月内", "relative", [D(2024, 6, 15)], DOC),
    ("relative", "半年内", "relative", [D(2024, 9, 15)], DOC),
    ("relative", "2024年6月底后3个月内", "relative", [D(2024, 9, 30)], D(2024, 6, 30)),
    # relative to an event: no date
    ("relative", "疫情解除后3个月内", "relative", [], None),
    ("relative", "在正式开工之日起一个月内", "relative", [], None),
    ("relative", "在24小时内", "relative", [], None),
    ("relative", "直到警报解除", "relative", [], None),
    # open-ended
    ("open", "即日起", "ongoing", [], DOC),
    ("open", "2024年起", "ongoing", [], D(2024, 1, 1)),
    ("open", "5月1日开始", "ongoing", [], D(2024, 5, 1)),
    ("open", "持续推进", "ongoing", [], None),
    ("open", "长期坚持", "ongoing", [], None),
    ("open", "逐步提高", "ongoing", [], None),
    ("open", "动态清零", "ongoing", [], None),
    # named days: fixed, lunar (through the calendar library) and configured seasons
    ("named", "春节前", "date", [D(2024, 2, 10)], None),
    ("named", "2025年春节前", "date", [D(2025, 1, 29)], None),
    ("named", "2025年元旦前全部清零", "date", [D(2025, 1, 1)], None),
    ("named", "端午节前", "date", [D(2024, 6, 10)], None),
    ("named", "中秋节前", "date", [D(2024, 9, 17)], None),
    ("named", "除夕前", "date", [D(2024, 2, 9)], None),
    ("named", "从即日起至农历年末", "phased", [D(2025, 1, 28)], DOC),
    ("named", "七一前", "date", [D(2024, 7, 1)], None),
    ("named", "清明节前", "date", [D(2024, 4, 4)], None),
    ("named", "2024年汛期前", "date", [D(2024, 6, 1)], None),
    ("named", "供暖季前", "date", [D(2024, 11, 15)], None),
    ("named", "国庆期间", "text", [], None),  # a holiday period, not a deadline
    ("named", "七一前后", "text", [], None),
    ("named", "力争于赛前完成整改", "text", [], None),
    ("named", "两会期间", "text", [], None),
    # a deadline with no date
    ("text", "与国家安排同步", "text", [], None),
    ("text", "随时", "text", [], None),
    ("text", "立即", "text", [], None),
    ("text", "立即整改", "text", [], None),
    ("text", "尽快", "text", [], None),
    ("text", "第一时间", "text", [], None),
    ("text", "限期整改", "text", [], None),
    ("text", "按照省里部署", "text", [], None),
]


@pytest.mark.parametrize(
    ("family", "text", "kind", "dues", "start"), FAMILIES, ids=[row[1] for row in FAMILIES]
)
def test_phrase_families(
    family: str, text: str, kind: str, dues: list[dt.date], start: dt.date | None
) -> None:
    d = parse(text, DOC, SEASONS)
    assert (d.text, d.kind, list(d.dues), d.start) == (text, kind, dues, start), family


# (text, period, every, part, count, start)
RECURRING = [
    ("每月5日前", "month", 1, "D5", None, None),
    ("每季度末", "quarter", 1, "end", None, None),
    ("每年6月24日前", "year", 1, "M6D24", None, None),
    ("每年汛期前", "year", 1, "M6D1", None, None),
    ("每年春节前", "year", 1, "N春节", None, None),
    ("每月15日、30日前", "month", 1, "D15,30", None, None),
    ("每月最后一个工作日前", "month", 1, "LW", None, None),
    ("每周五下午16时前", "week", 1, "W5", None, None),
    ("每周一次", "week", 1, None, 1, None),
    ("每1-2周", "week", 2, None, None, None),
    ("白天至少每2小时进行一次防火巡查", "hour", 2, None, 1, None),
    ("原则上每5年修订1次", "year", 5, None, 1, None),
    ("每年召开两次会议", "year", 1, None, 2, None),
    ("从2025年起，每年1月1日前", "year", 1, "M1D1", None, D(2025, 1, 1)),
    ("于6月份开始,在每月7日前", "month", 1, "D7", None, D(2024, 6, 1)),
]


@pytest.mark.parametrize(
    ("text", "period", "every", "part", "count", "start"), RECURRING, ids=[r[0] for r in RECURRING]
)
def test_recurring_with_a_day(
    text: str, period: str, every: int, part: str | None, count: int | None, start: dt.date | None
) -> None:
    d = parse(text, DOC, SEASONS)
    assert (d.kind, d.period, d.every, d.part, d.count, d.start, d.dues) == (
        "recurring", period, every, part, count, start, (),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "as_of", "window"),
    [
        ("每月5日前", D(2024, 4, 3), (D(2024, 4, 1), D(2024, 4, 5))),
        ("每月15日、30日前", D(2024, 4, 20), (D(2024, 4, 1), D(2024, 4, 30))),
        ("每月15日、30日前", D(2024, 2, 20), (D(2024, 2, 1), D(2024, 2, 29))),  # clamped
        ("每月最后一个工作日前", D(2024, 3, 3), (D(2024, 3, 1), D(2024, 3, 29))),  # a Friday
        ("每周五下午16时前", D(2024, 3, 13), (D(2024, 3, 11), D(2024, 3, 15))),
        ("每季度末", D(2024, 5, 1), (D(2024, 4, 1), D(2024, 6, 30))),
        ("每年6月24日前", D(2024, 3, 1), (D(2024, 1, 1), D(2024, 6, 24))),
        ("每年汛期前", D(2024, 3, 1), (D(2024, 1, 1), D(2024, 6, 1))),
        ("每年春节前", D(2025, 1, 2), (D(2025, 1, 1), D(2025, 1, 29))),
    ],
)
def test_recurring_windows(text: str, as_of: dt.date, window: tuple[dt.date, dt.date]) -> None:
    d = parse(text, DOC, SEASONS)
    assert d.window(as_of) == window
    assert d.occurrence(as_of) == window[1]


def test_milestone_steps_carry_their_labels() -> None:
    d = parse("2024年6月底前完成摸排，12月底前完成整治", DOC)
    assert d.steps == (Step(D(2024, 6, 30), "完成摸排"), Step(D(2024, 12, 31), "完成整治"))
    assert d.due == D(2024, 12, 31)  # the last step: callers that know one due date keep working
    two = parse("2024年底前，建立机制；2025年底前，基本建成体系", DOC)
    assert [(s.due, s.label) for s in two.steps] == [
        (D(2024, 12, 31), "建立机制"),
        (D(2025, 12, 31), "基本建成体系"),
    ]


def test_the_step_that_matters_on_a_date() -> None:
    d = parse("2024年6月底前完成摸排，12月底前完成整治", DOC)
    assert d.step_on(D(2024, 5, 1)) == d.steps[0]
    assert d.step_on(D(2024, 7, 1)) == d.steps[1]
    assert d.step_on(D(2025, 7, 1)) == d.steps[1]
    assert parse("2024年底前", DOC).step_on(D(2024, 5, 1)) is None


def test_undated_steps_add_nothing() -> None:
    d = parse("2月23日-3月5日，开展摸底；3月6日-4月15日，重点攻坚；5月1日开始，长效常态化。", DOC)
    assert d.dues == (D(2024, 3, 5), D(2024, 4, 15))
    assert d.steps[0].start == D(2024, 2, 23)


def test_a_single_date_keeps_its_words() -> None:
    d = parse("2025年元旦前全部清零", DOC)
    assert (d.label, d.event) == ("全部清零", "元旦")


def test_an_event_is_kept() -> None:
    assert parse("在疫情解除后的3个月内", DOC).event == "疫情解除"
    assert parse("力争于赛前完成整改", DOC).event == "赛前"


def test_a_season_without_a_setting_names_the_setting() -> None:
    with pytest.raises(UnknownDeadline) as info:
        parse("2024年汛期前", DOC)
    assert info.value.code == "W507"
    assert SEASONS_SETTING in info.value.message and "汛期" in info.value.message
    with pytest.raises(UnknownDeadline):
        parse("每年供暖季前", DOC, {"汛期": "06-01"})


def test_a_bad_season_setting_is_an_error() -> None:
    with pytest.raises(DeadlineError) as info:
        parse("汛期前", DOC, {"汛期": "6月1日"})
    assert info.value.code == "E501" and SEASONS_SETTING in info.value.message


def test_a_configured_season_need_not_be_a_known_word() -> None:
    assert parse("2024年梅雨季前", DOC, {"梅雨季": "06-10"}).due == D(2024, 6, 10)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2024年12月至2024年3月", "E501"),  # contradictory
        ("每季度第一季度", "E501"),
        ("每月第一季度", "E501"),
        ("每周5日前", "E501"),
        ("2024年2月30日前完成摸排，12月底前完成整治", "E504"),
        ("视天气而定", "W507"),
        ("年后", "W507"),
        ("确保两年完成任务", "W507"),  # two years from when? not guessed
    ],
)
def test_errors_and_unknown_phrases(text: str, code: str) -> None:
    with pytest.raises(DeadlineError) as info:
        parse(text, DOC, SEASONS)
    assert info.value.code == code


@pytest.mark.parametrize("text", ["即日起", "本文印发后3个月内", "12月底前", "春节前"])
def test_phrases_that_need_the_document_date(text: str) -> None:
    with pytest.raises(DeadlineError) as info:
        parse(text, None)
    assert info.value.code == "E501"


def test_lunar_calendar() -> None:
    assert named_days.day("春节", 2013) == D(2013, 2, 10)
    assert named_days.day("除夕", 2024) == D(2024, 2, 9)
    assert named_days.day("农历年末", 2023) == D(2024, 2, 9)
    assert named_days.day("中秋节", 2021) == D(2021, 9, 21)
    assert named_days.day("清明", 2023) == D(2023, 4, 5)
    assert named_days.day("冬至", 2024) == D(2024, 12, 21)
    assert named_days.day("春节", 2200) is None


def test_the_grammar_is_a_table() -> None:
    names = [name for name, _build in GRAMMAR]
    assert len(names) == len(set(names)) >= 8


def test_parsing_is_cached_by_text_and_anchor() -> None:
    assert parse("每月5日前", DOC) is parse("每月5日前", DOC)
    assert parse("每年汛期前", DOC, {"汛期": "06-01"}) is parse(
        "每年汛期前", DOC, {"汛期": "06-01"}
    )
    assert parse("12月底前", DOC).due != parse("12月底前", D(2025, 1, 1)).due


_PIECES = [
    "2024年", "12月", "31日", "底", "前", "至", "-", "、", "和", "，", "；", "每", "年", "月",
    "季度", "第一", "上半年", "春节", "汛期", "起", "后", "3个月", "内", "本文印发", "即日",
    "完成", "长期", "立即", "13月", "32日", "2月30日", "十一", "十四五", "(", ")", "除夕",
    "明年", "周五", "小时", "两会", "直到", "之日起", "二十", "上旬", "2024-13-01", "供暖季",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8), st.booleans())
@settings(max_examples=300, deadline=None)
def test_any_text_parses_or_fails_with_a_code(pieces: list[str], dated: bool) -> None:
    text = "".join(pieces)
    try:
        d = parse(text, DOC if dated else None, SEASONS)
    except DeadlineError as exc:
        assert exc.code in ("E501", "E504", "W507")
    else:
        assert d.kind in ("date", "phased", "recurring", "ongoing", "relative", "text")
        assert (d.due is None) == (not d.dues)
