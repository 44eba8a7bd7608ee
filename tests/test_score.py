"""考核 (issue 18): the formula, the rows of a small plan, and every view of them."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ansheng_cli.config import Settings
from ansheng_cli.errors import ConfigProblem, UsageProblem
from ansheng_cli.export import build_plan
from ansheng_cli.plan.compiled import Plan
from ansheng_cli.supervise.due import stats
from ansheng_cli.supervise.score import (
    DEFAULT_FORMULA,
    MAX_SCORE,
    VARIABLES,
    Formula,
    Return,
    UnitScore,
    half_up,
    render,
    unit_scores,
    write_xlsx,
)

D = dt.date
START, END = D(2021, 1, 1), D(2021, 6, 30)
HELP = (
    "可用的量：到期、按期完成、按期完成率、逾期、迟报、未报、牵头、配合；"
    "可用的写法：数字、+ - * /、括号、min()、max()、round()"
)

PLAN = """schema: ansheng/v1
document: {id: k, title: 考核测试, issuer: 测试市安委办, date: 2020-06-01, jurisdiction: 测试市}
sections:
  - no: 一
    title: 甲
    tasks:
      - {no: "1", text: 按期完成, lead: [市应急管理局], deadline: 2021年3月底前, status: 已完成, done: 2021-03-20}
      - {no: "2", text: 逾期完成, lead: [市应急管理局], support: [市公安局], deadline: 2021年4月底前, status: 已完成, done: 2021-05-10}
      - {no: "3", text: 未完成, lead: [市公安局], deadline: 2021年5月底前}
      - {no: "4", text: 已销号无日期, lead: [市安监局], deadline: 2021年6月底前, status: 已销号}
      - {no: "5", text: 已完成无日期, lead: [市公安局], deadline: 2021年6月底前, status: 已完成}
      - {no: "6", text: 每年一次, lead: [市应急管理局], deadline: 每年第一季度}
      - {no: "7", text: 长期, lead: [市委宣传部], deadline: 长期坚持}
      - {no: "8", text: 暂缓, lead: [市公安局], deadline: 2021年6月底前, status: 暂缓}
      - {no: "9", text: 旧任务, lead: [市应急管理局], deadline: 2020年12月底前}
      - {no: "10", text: 两个名字, lead: [市应急管理局, 市安监局], deadline: 2021年2月底前, status: 已完成, done: 2021-02-01}
      - no: "11"
        text: 分步
        lead: [市委宣传部]
        deadline:
          - {when: 2021年3月底前, what: 完成摸排}
          - {when: 2021年5月底前, what: 完成整治, units: [市公安局]}
        progress:
          - {date: 2021-03-15, unit: 市委宣传部, text: 摸排完成}
"""

# 市安监局 ceased in 2019: its Q2 record merges with 市应急管理局's (the earliest return counts)
RETURNS = [
    Return("市应急管理局", "2021年第一季度", D(2021, 4, 5), D(2021, 4, 3)),
    Return("市应急管理局", "2021年第二季度", D(2021, 6, 25), D(2021, 6, 28)),
    Return("市安监局", "2021年第二季度", D(2021, 6, 25), None),
    Return("市公安局", "2021年第一季度", D(2021, 4, 5), None),
    Return("市公安局", "2021年第二季度", D(2021, 7, 5), None),  # due back after the window
    Return("市消防救援支队", "2021年第一季度", D(2021, 4, 5), D(2021, 4, 8)),
    Return("市委宣传部", "2020年第四季度", D(2021, 1, 5), D(2021, 1, 5)),
    Return("市卫健委", "2020年第三季度", D(2020, 10, 5), None),  # before the window: no row
    Return("市公安局", "不定期", None, None),  # no return date: ignored
]


def plan_in(repo: Path, *texts: str) -> Plan:
    for i, text in enumerate(texts):
        (repo / "data" / "tasks" / f"k{i}.yaml").write_text(text, encoding="utf-8")
    old = os.getcwd()
    os.chdir(repo)
    try:
        return build_plan(["data/tasks"], Settings(), force=True)[0]
    finally:
        os.chdir(old)


@pytest.fixture
def plan(repo: Path) -> Plan:
    return plan_in(repo, PLAN)


@pytest.fixture
def rows(plan: Plan) -> list[UnitScore]:
    return unit_scores(plan, RETURNS, START, END, Formula())


def brief(rows: list[UnitScore]) -> list[tuple[Any, ...]]:
    return [
        (r.unit, r.lead, r.support, r.due, r.on_time, r.overdue, r.late, r.missing, r.score)
        for r in rows
    ]


# -- rows --------------------------------------------------------------------------------


def test_rows_of_the_fixture_plan(rows: list[UnitScore]) -> None:
    # 市应急管理局: due 1, 2, 4 (市安监局's, 已销号 without a date: on time), 10 (named twice,
    # counted once); 2 was done late; overdue 9 (before the window) and the Q1 occurrence of 6.
    # 市公安局: due 3, 5 (已完成 without a date: not on time) and 11's last milestone (its
    # own); 8 is 暂缓. 市委宣传部 only leads 7 (ongoing) and 11 (its last step is 市公安局's).
    assert brief(rows) == [
        ("市委宣传部", 2, 0, 0, 0, 0, 0, 0, 100.0),
        ("市消防救援支队", 0, 0, 0, 0, 0, 1, 0, 97.0),
        ("市应急管理局", 6, 0, 4, 3, 2, 1, 0, 62.0),
        ("市公安局", 3, 1, 3, 0, 2, 0, 1, -15.0),
    ]
    assert rows[2].rate == 0.75 and rows[0].rate == 1.0
    assert rows[2].values() == {
        "到期": 4, "按期完成": 3, "按期完成率": 0.75, "逾期": 2, "迟报": 1, "未报": 0,
        "牵头": 6, "配合": 0,
    }  # fmt: skip


def test_names_match_stats(plan: Plan, rows: list[UnitScore]) -> None:
    from_stats = {u.name for u in stats(plan, END).units}
    assert {r.unit for r in rows} == from_stats | {"市消防救援支队"}


def test_without_a_start_everything_up_to_the_end_counts(plan: Plan) -> None:
    rows = unit_scores(plan, RETURNS, None, END, Formula())
    by_unit = {r.unit: r for r in rows}
    assert by_unit["市应急管理局"].due == 5  # task 9, due 2020-12-31, now falls due too
    assert by_unit["市应急管理局"].score == 100 * 3 / 5 - 10 - 3
    assert "市卫健委" in by_unit and by_unit["市卫健委"].missing == 1


def test_ties_follow_the_registry_order(plan: Plan) -> None:
    rows = unit_scores(plan, [], START, END, Formula("牵头 - 牵头"))
    assert [r.unit for r in rows] == ["市应急管理局", "市公安局", "市委宣传部"]


def test_units_of_several_jurisdictions_are_labelled(repo: Path) -> None:
    other = PLAN.replace("id: k,", "id: o,").replace("jurisdiction: 测试市", "jurisdiction: 另一市")
    plan = plan_in(repo, PLAN, other)
    returns = [Return("测试市 市安监局", "一季度", D(2021, 4, 5), None)]
    rows = unit_scores(plan, returns, START, END, Formula())
    assert {r.unit for r in rows} == {u.name for u in stats(plan, END).units}
    by_unit = {r.unit: r for r in rows}
    assert by_unit["测试市 市应急管理局"].missing == 1  # the ceased unit's label, mapped
    assert by_unit["另一市 市安监局"].due == 2  # unknown to 另一市's (empty) registry


def test_a_window_that_ends_before_it_starts(plan: Plan) -> None:
    with pytest.raises(UsageProblem, match="晚于截止日期"):
        unit_scores(plan, [], END, START, Formula())


# -- views -------------------------------------------------------------------------------


def test_text(rows: list[UnitScore]) -> None:
    assert render(rows, "text", START, END, Formula()) == (
        "考核得分（2021年1月1日至2021年6月30日）\n"
        "\n"
        "单位            牵头  到期  按期完成  按期完成率  逾期  迟报  未报   得分\n"
        "市委宣传部         2     0         0           —     0     0     0  100.0\n"
        "市消防救援支队     0     0         0           —     0     1     0   97.0\n"
        "市应急管理局       6     4         3       75.0%     2     1     0   62.0\n"
        "市公安局           3     3         0        0.0%     2     0     1  -15.0\n"
        "\n"
        "计分公式：得分 = 100 * 按期完成率 - 5 * 逾期 - 3 * 迟报 - 5 * 未报\n"
        "按期完成率 = 按期完成 ÷ 到期（考核期内到期的任务）；到期为 0 的单位按 100% 计分，表中记为“—”。逾期为截至考核期末仍未完成的逾期任务，含考核期以前到期的、周期性和分阶段的任务，故可多于到期。\n"
    )


def test_markdown(rows: list[UnitScore]) -> None:
    assert render(rows, "md", START, END, Formula()) == (
        "# 考核得分（2021年1月1日至2021年6月30日）\n"
        "\n"
        "| 单位 | 牵头 | 到期 | 按期完成 | 按期完成率 | 逾期 | 迟报 | 未报 | 得分 |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        "| 市委宣传部 | 2 | 0 | 0 | — | 0 | 0 | 0 | 100.0 |\n"
        "| 市消防救援支队 | 0 | 0 | 0 | — | 0 | 1 | 0 | 97.0 |\n"
        "| 市应急管理局 | 6 | 4 | 3 | 75.0% | 2 | 1 | 0 | 62.0 |\n"
        "| 市公安局 | 3 | 3 | 0 | 0.0% | 2 | 0 | 1 | -15.0 |\n"
        "\n"
        "计分公式：`得分 = 100 * 按期完成率 - 5 * 逾期 - 3 * 迟报 - 5 * 未报`\n"
        "\n"
        "按期完成率 = 按期完成 ÷ 到期（考核期内到期的任务）；到期为 0 的单位按 100% 计分，表中记为“—”。逾期为截至考核期末仍未完成的逾期任务，含考核期以前到期的、周期性和分阶段的任务，故可多于到期。\n"
    )


def test_markdown_escapes_unit_names_and_says_when_empty() -> None:
    row = UnitScore("甲|乙", 0, 0, 6, 5, 0, 0, 0, 83.3)
    text = render([row], "md", None, END, Formula("100*按期完成率"))
    assert "# 考核得分（截至2021年6月30日）\n" in text
    assert "| 甲\\|乙 | 0 | 6 | 5 | 83.3% | 0 | 0 | 0 | 83.3 |\n" in text
    assert "计分公式：`得分 = 100*按期完成率`\n" in text
    assert "（没有可考核的单位）" in render([], "md", None, END, Formula())
    assert "（没有可考核的单位）" in render([], "text", None, END, Formula())


def test_json(rows: list[UnitScore]) -> None:
    data = json.loads(render(rows, "json", START, END, Formula()))
    assert data["from"] == "2021-01-01" and data["to"] == "2021-06-30"
    assert data["formula"] == DEFAULT_FORMULA
    assert data["units"][0]["on_time_rate"] is None
    assert data["units"][2] == {
        "unit": "市应急管理局", "lead": 6, "support": 0, "due": 4, "on_time": 3,
        "on_time_rate": 0.75, "overdue": 2, "late": 1, "missing": 0, "score": 62.0,
    }  # fmt: skip
    assert json.loads(render([], "json", None, END, Formula()))["from"] is None


def test_unknown_format(rows: list[UnitScore]) -> None:
    with pytest.raises(UsageProblem, match="不支持的输出格式“xlsx”"):
        render(rows, "xlsx", START, END, Formula())


def test_xlsx_cells(rows: list[UnitScore], tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "考核.xlsx"
    write_xlsx(rows, path, START, END, Formula())
    ws = load_workbook(path)["考核得分"]
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [
        ["考核得分（2021年1月1日至2021年6月30日）", *[None] * 8],
        ["单位", "牵头", "到期", "按期完成", "按期完成率", "逾期", "迟报", "未报", "得分"],
        ["市委宣传部", 2, 0, 0, "—", 0, 0, 0, 100],
        ["市消防救援支队", 0, 0, 0, "—", 0, 1, 0, 97],
        ["市应急管理局", 6, 4, 3, 0.75, 2, 1, 0, 62],
        ["市公安局", 3, 3, 0, 0, 2, 0, 1, -15],
        ["计分公式：得分 = 100 * 按期完成率 - 5 * 逾期 - 3 * 迟报 - 5 * 未报", *[None] * 8],
        [
            "按期完成率 = 按期完成 ÷ 到期（考核期内到期的任务）；到期为 0 的单位按 100% 计分，表中记为“—”。逾期为截至考核期末仍未完成的逾期任务，含考核期以前到期的、周期性和分阶段的任务，故可多于到期。",
            *[None] * 8,
        ],
    ]
    assert sorted(str(m) for m in ws.merged_cells.ranges) == ["A1:I1", "A7:I7", "A8:I8"]
    assert ws["E5"].number_format == "0.0%" and ws["I5"].number_format == "0.0"
    assert ws["A3"].font.name == "仿宋" and ws["A2"].font.name == "黑体"
    widths = [ws.column_dimensions[c].width for c in "ABCDEFGHI"]
    assert widths == [26, 8, 8, 10, 12, 8, 8, 8, 10]
    assert ws.auto_filter.ref == "A2:I6"
    assert ws.freeze_panes == "A3"


def test_xlsx_without_rows(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = tmp_path / "空.xlsx"
    write_xlsx([], path, None, END, Formula())
    ws = load_workbook(path)["考核得分"]
    column = [r[0] for r in ws.iter_rows(values_only=True)]
    assert column[0] == "考核得分（截至2021年6月30日）"
    assert column[2] == "（没有可考核的单位）"


# -- the formula -------------------------------------------------------------------------

ZERO = dict.fromkeys(VARIABLES, 0) | {"按期完成率": 1.0}


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2 ** 3", "不能使用“2 ** 3”（不支持乘方）"),
        ("到期率 * 2", "不能使用“到期率”（没有这个量）"),
        ("__import__('os')", "不能使用“__import__('os')”（只能用 min、max、round 三个函数）"),
        ("到期(1)", "不能使用“到期(1)”（只能用 min、max、round 三个函数）"),
        ("逾期.real", "不能使用“逾期.real”（不支持这种写法）"),
        ("'100'", "不能使用“'100'”（只能用数字）"),
        ("True", "不能使用“True”（只能用数字）"),
        ("1j", "不能使用“1j”（只能用数字）"),
        ("逾期 // 2", "不能使用“逾期 // 2”（只能用 + - * /）"),
        ("~逾期", "不能使用“~逾期”（只能用 + - * /）"),
        ("逾期 if 到期 else 0", "不能使用“逾期 if 到期 else 0”（不支持这种写法）"),
        ("min(逾期)", "不能使用“min(逾期)”（min 至少需要两个参数）"),
        ("round(逾期, ndigits=1)", "不能使用“round(逾期, ndigits=1)”（函数的参数只能依次写在括号里）"),
        ("round(逾期, 1, 2)", "不能使用“round(逾期, 1, 2)”（只能写成 round(x) 或 round(x, 小数位数)）"),
        ("round(逾期, 9)", "不能使用“9”（小数位数只能是 0 到 6 的整数）"),
        ("1if 到期 else 0", "不能使用“1if 到期 else 0”（不支持这种写法）"),
        ("[1](2)", "不能使用“[1](2)”（只能用 min、max、round 三个函数）"),
        ("100 *", "算式不完整"),
        ("100 * * 逾期", "第 7 个字符“*”处无法解析"),
        ("(100 - 逾期", "括号不配对"),
    ],
)  # fmt: skip
@pytest.mark.filterwarnings("error")  # the parser's own warnings never reach the user
def test_formula_errors(text: str, problem: str) -> None:
    with pytest.raises(ConfigProblem) as caught:
        Formula(text)
    assert caught.value.message == f"考核公式“{text}”有误：{problem}。{HELP}"


def test_formula_errors_of_the_whole_text() -> None:
    with pytest.raises(ConfigProblem) as caught:
        Formula("1+" * 250 + "1")
    assert caught.value.message == f"考核公式过长（501 个字符，最多 500 个）。{HELP}"
    with pytest.raises(ConfigProblem) as caught:
        Formula(" \n ")
    assert caught.value.message == f"考核公式为空。{HELP}"
    with pytest.raises(ConfigProblem) as caught:
        Formula("100\u202e - 逾期")
    assert caught.value.message == f"考核公式第 4 个字符是不可见的控制字符，请删去。{HELP}"
    with pytest.raises(ConfigProblem) as caught:
        Formula("1e308 * 10").evaluate(ZERO)
    assert caught.value.message == "考核公式“1e308 * 10”的计算结果超出范围"


def test_division_by_zero_gives_zero() -> None:
    assert Formula("100 - 逾期 / 到期 * 10").evaluate(ZERO | {"逾期": 3}) == 100.0
    assert Formula("100 / 0 + 1").evaluate(ZERO) == 1.0
    assert Formula("1 / (到期 - 到期)").evaluate(ZERO | {"到期": 4}) == 0.0


def test_formula_values_and_rounding() -> None:
    values = dict(ZERO, 到期=7, 按期完成=6, 按期完成率=6 / 7, 逾期=1)
    assert Formula().evaluate(values) == 80.7  # 85.714… - 5
    assert Formula("min(100, 90 + 逾期 * 20) - max(0, 迟报)").evaluate(values) == 100.0
    assert Formula("round(按期完成率 * 100)").evaluate(values) == 86.0
    assert Formula("0.25").evaluate(ZERO) == 0.3  # half up, not to even
    assert Formula("-0.25").evaluate(ZERO) == -0.3
    assert Formula("round(2.5) + round(0.125, 2)").evaluate(ZERO) == 3.1  # 3 + 0.13
    assert Formula("-(逾期 - 逾期)").evaluate(ZERO) == 0.0


def test_formula_text_as_clerks_type_it() -> None:
    f = Formula("100×按期完成率－5×逾期\n  ÷ （1 ＋ 1）")
    assert f.text == "100×按期完成率－5×逾期 ÷ （1 ＋ 1）"
    assert f.evaluate(ZERO | {"逾期": 2}) == 95.0
    assert f.names == {"按期完成率", "逾期"}
    assert Formula().names == {"按期完成率", "逾期", "迟报", "未报"}
    assert Formula(DEFAULT_FORMULA) == Formula()


def test_half_up() -> None:
    assert [half_up(x, 1) for x in (85.75, 85.74, -0.05, 2.675)] == [85.8, 85.7, -0.1, 2.7]
    assert half_up(5) == 5 and half_up(1e20, 1) == 1e20


# -- properties --------------------------------------------------------------------------


def _reference_round(value: float, digits: int = 0) -> float:
    if isinstance(value, int):
        return value
    quantum = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)) + 0.0


_LEAF = st.one_of(
    st.sampled_from(list(VARIABLES)),
    st.integers(0, 1000).map(str),
    st.floats(0, 100, allow_nan=False).map(lambda f: repr(round(f, 2))),
)
_EXPR = st.recursive(
    _LEAF,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from("+-*/"), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        inner.map(lambda e: f"-{e}"),
        st.tuples(st.sampled_from(["min", "max"]), st.lists(inner, min_size=2, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"
        ),
        st.tuples(inner, st.integers(0, 3)).map(lambda t: f"round({t[0]}, {t[1]})"),
        inner.map(lambda e: f"round({e})"),
    ),
    max_leaves=12,
)
_VALUES = st.fixed_dictionaries(
    {name: st.integers(0, 50) for name in VARIABLES if name != "按期完成率"}
    | {"按期完成率": st.floats(0, 1)}
)


@given(_EXPR, _VALUES)
@settings(max_examples=400, deadline=None)
def test_formula_agrees_with_python(text: str, values: dict[str, float]) -> None:
    assume(len(text) <= 500)
    scope = {"__builtins__": {}, "min": min, "max": max, "round": _reference_round}
    try:
        expected = float(eval(text, scope, dict(values)))  # the oracle
    except ZeroDivisionError:
        assume(False)
        return
    formula = Formula(text)
    if abs(expected) >= MAX_SCORE:
        with pytest.raises(ConfigProblem):
            formula.evaluate(values)
    else:
        assert formula.evaluate(values) == _reference_round(expected, 1)


_PIECES = [
    *VARIABLES, "min", "max", "round", "(", ")", ",", "+", "-", "*", "/", "**", "//", "%",
    " ", "0", "1", "9", ".5", "1e308", "9" * 60, "_", "__import__", "'", "x", "lambda", ":",
    "[", "]", "×", "（", "）", "\x00", "\n", "=", "<", "if", "else", "not", "~", "@", "j",
    ".real", "\u202e", "\ud800",
]  # fmt: skip


@given(
    st.one_of(st.text(max_size=600), st.lists(st.sampled_from(_PIECES), max_size=80).map("".join)),
    st.fixed_dictionaries({name: st.sampled_from([0, 1, 7, 0.5]) for name in VARIABLES}),
)
@settings(max_examples=600, deadline=None)
@pytest.mark.filterwarnings("error")
def test_formula_refuses_only_with_config_problems(text: str, values: dict[str, float]) -> None:
    try:
        formula = Formula(text)
    except ConfigProblem as exc:
        assert exc.message.startswith("考核公式")
        return
    try:
        result = formula.evaluate(values)
    except ConfigProblem as exc:
        assert exc.message.endswith("的计算结果超出范围")
        return
    assert isinstance(result, float) and abs(result) < MAX_SCORE
