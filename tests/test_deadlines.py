"""The deadline grammar, table-driven: every expression of the five source documents."""

from __future__ import annotations

import datetime as dt

import pytest

from ansheng_cli.plan.deadlines import DeadlineError, UnknownDeadline, parse

D = dt.date

# (text as written, document date, kind, due, start, period, every, part, count)
SEEDS = [
    # 000 兴宁市 (2018-08-22): the attachment's 完成时间 column and the body's targets
    ("2018年12月", D(2018, 8, 22), "date", D(2018, 12, 31), None, None, 1, None, None),
    ("2018年10月", D(2018, 8, 22), "date", D(2018, 10, 31), None, None, 1, None, None),
    ("2018年11月", D(2018, 8, 22), "date", D(2018, 11, 30), None, None, 1, None, None),
    ("每年第一季度", D(2018, 8, 22), "recurring", None, None, "year", 1, "Q1", None),
    ("到2018年底", D(2018, 8, 22), "date", D(2018, 12, 31), None, None, 1, None, None),
    ("到2020年", D(2018, 8, 22), "date", D(2020, 12, 31), None, None, 1, None, None),
    ("8月31日前", D(2018, 8, 22), "date", D(2018, 8, 31), None, None, 1, None, None),
    ("每季度至少召开1次", D(2018, 8, 22), "recurring", None, None, "quarter", 1, None, 1),
    ("每月至少召开1次", D(2018, 8, 22), "recurring", None, None, "month", 1, None, 1),
    ("每年不少于2次", D(2018, 8, 22), "recurring", None, None, "year", 1, None, 2),
    # 001 兴化市 (2020-02-24): the plan year is the horizon
    ("2020年底前", D(2020, 2, 24), "date", D(2020, 12, 31), None, None, 1, None, None),
    # 002 吉林省 (2014): 工作步骤
    ("2014年", D(2014, 6, 1), "date", D(2014, 12, 31), None, None, 1, None, None),
    ("2015年", D(2014, 6, 1), "date", D(2015, 12, 31), None, None, 1, None, None),
    ("2015年底前", D(2014, 6, 1), "date", D(2015, 12, 31), None, None, 1, None, None),
    ("2017年底前", D(2014, 6, 1), "date", D(2017, 12, 31), None, None, 1, None, None),
    ("到2016年底", D(2014, 6, 1), "date", D(2016, 12, 31), None, None, 1, None, None),
    ("9月底前", D(2014, 6, 1), "date", D(2014, 9, 30), None, None, 1, None, None),
    ("2014年7月底前", D(2014, 6, 1), "date", D(2014, 7, 31), None, None, 1, None, None),
    ("2020年", D(2014, 6, 1), "date", D(2020, 12, 31), None, None, 1, None, None),
    (
        "2015年至2017年",
        D(2014, 6, 1),
        "phased",
        D(2017, 12, 31),
        D(2015, 1, 1),
        None,
        1,
        None,
        None,
    ),
    (
        "2018年和2019年",
        D(2014, 6, 1),
        "phased",
        D(2019, 12, 31),
        D(2018, 1, 1),
        None,
        1,
        None,
        None,
    ),
    ("利用2年时间", D(2014, 6, 1), "relative", D(2016, 6, 1), D(2014, 6, 1), None, 1, None, None),
    # 003 内蒙古自治区 (2017-01-26)
    ("2017年年底前", D(2017, 1, 26), "date", D(2017, 12, 31), None, None, 1, None, None),
    ("2018年年底前", D(2017, 1, 26), "date", D(2018, 12, 31), None, None, 1, None, None),
    ("每月", D(2017, 1, 26), "recurring", None, None, "month", 1, None, None),
    ("每季度", D(2017, 1, 26), "recurring", None, None, "quarter", 1, None, None),
    ("每月至少1次", D(2017, 1, 26), "recurring", None, None, "month", 1, None, 1),
    ("每季度至少1次", D(2017, 1, 26), "recurring", None, None, "quarter", 1, None, 1),
    ("每半年至少1次", D(2017, 1, 26), "recurring", None, None, "half", 1, None, 1),
    ("每年至少2次", D(2017, 1, 26), "recurring", None, None, "year", 1, None, 2),
    ("每3年", D(2017, 1, 26), "recurring", None, None, "year", 3, None, None),
    ("每3年轮训一次", D(2017, 1, 26), "recurring", None, None, "year", 3, None, 1),
    # 004 六安市 (2017-08-30)
    ("到2020年", D(2017, 8, 30), "date", D(2020, 12, 31), None, None, 1, None, None),
    (
        "2018年底和2020年底",
        D(2017, 8, 30),
        "phased",
        D(2020, 12, 31),
        D(2018, 1, 1),
        None,
        1,
        None,
        None,
    ),
    # the DESIGN table's other forms
    ("2018年10月31日", D(2018, 1, 1), "date", D(2018, 10, 31), None, None, 1, None, None),
    ("长期坚持", D(2018, 1, 1), "ongoing", None, None, None, 1, None, None),
    ("持续推进", D(2018, 1, 1), "ongoing", None, None, None, 1, None, None),
    ("长期", D(2018, 1, 1), "ongoing", None, None, None, 1, None, None),
    ("每半年", D(2018, 1, 1), "recurring", None, None, "half", 1, None, None),
    # common variants
    ("２０１８年１２月底前", D(2018, 1, 1), "date", D(2018, 12, 31), None, None, 1, None, None),
    ("2018年第三季度", D(2018, 1, 1), "date", D(2018, 9, 30), None, None, 1, None, None),
    ("2018年上半年", D(2018, 1, 1), "date", D(2018, 6, 30), None, None, 1, None, None),
    ("2018年6月中旬", D(2018, 1, 1), "date", D(2018, 6, 20), None, None, 1, None, None),
    ("2018—2020年", D(2018, 1, 1), "phased", D(2020, 12, 31), D(2018, 1, 1), None, 1, None, None),
    (
        "2018年10月至12月",
        D(2018, 1, 1),
        "phased",
        D(2018, 12, 31),
        D(2018, 10, 1),
        None,
        1,
        None,
        None,
    ),
    ("3个月内", D(2018, 1, 31), "relative", D(2018, 4, 30), D(2018, 1, 31), None, 1, None, None),
    ("每年6月底前", D(2018, 1, 1), "recurring", None, None, "year", 1, "M6", None),
    ("于2021年12月20日前完成", D(2021, 1, 1), "date", D(2021, 12, 20), None, None, 1, None, None),
]


@pytest.mark.parametrize(
    ("text", "base", "kind", "due", "start", "period", "every", "part", "count"),
    SEEDS,
    ids=[row[0] for row in SEEDS],
)
def test_seed_expressions(
    text: str, base: dt.date, kind: str, due: dt.date | None, start: dt.date | None,
    period: str | None, every: int, part: str | None, count: int | None,
) -> None:  # fmt: skip
    d = parse(text, base)
    assert (d.text, d.kind, d.due, d.start, d.period, d.every, d.part, d.count) == (
        text, kind, due, start, period, every, part, count,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "E501"),
        ("底前", "W507"),  # a bare 底 is no period: unknown, not guessed
        ("择机完成", "W507"),
        ("每季度第一季度", "E501"),  # contradictory
        ("2019年12月至2019年3月", "E501"),  # ends before it starts
        ("2021年2月30日", "E504"),
        ("2月29日", "E504"),  # 2019 is not a leap year
        ("2018年13月", "E504"),
        ("2018-02-30", "E504"),
        ("每年2月30日前", "E504"),
    ],
)
def test_never_guesses(text: str, code: str) -> None:
    with pytest.raises(DeadlineError) as info:
        parse(text, D(2019, 1, 1))
    assert info.value.code == code
    assert text in info.value.message


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("尽快", "text", None),
        ("定期", "text", None),
        ("明年", "date", D(2020, 12, 31)),
    ],
)
def test_formerly_rejected_phrases(text: str, kind: str, due: dt.date | None) -> None:
    d = parse(text, D(2019, 1, 1))
    assert (d.kind, d.due) == (kind, due)


def test_an_unknown_phrase_is_a_warning_that_keeps_the_text() -> None:
    with pytest.raises(UnknownDeadline) as info:
        parse("视天气而定", D(2019, 1, 1))
    assert info.value.code == "W507" and "视天气而定" in info.value.message


def test_a_year_less_date_needs_a_document_date() -> None:
    with pytest.raises(DeadlineError):
        parse("9月底前", None)


@pytest.mark.parametrize(
    ("text", "as_of", "due"),
    [
        ("每年第一季度", D(2021, 2, 10), D(2021, 3, 31)),
        ("每年第一季度", D(2021, 5, 1), D(2021, 3, 31)),
        ("每季度", D(2021, 5, 1), D(2021, 6, 30)),
        ("每月", D(2021, 2, 3), D(2021, 2, 28)),
        ("每半年至少1次", D(2021, 8, 1), D(2021, 12, 31)),
        ("2018年12月", D(2021, 8, 1), D(2018, 12, 31)),
        ("长期坚持", D(2021, 8, 1), None),
        ("每旬", D(2021, 2, 15), D(2021, 2, 20)),
        ("每旬", D(2021, 2, 25), D(2021, 2, 28)),
        ("每年第四季度", D(2021, 2, 10), D(2020, 12, 31)),  # this year's has not begun
    ],
)
def test_occurrence_for_an_as_of_date(text: str, as_of: dt.date, due: dt.date | None) -> None:
    assert parse(text, D(2018, 1, 1)).occurrence(as_of) == due
