"""考核: a score per unit over a window of days, from a formula the office writes itself.

The default formula (``DEFAULT_FORMULA``)::

    100 * 按期完成率 - 5 * 逾期 - 3 * 迟报 - 5 * 未报

A unit that finished every lead task falling due in the window on time, has nothing overdue
and returned every 进展填报表 on time scores 100. The names a formula may use are listed in
``VARIABLES``; a formula is parsed once with :mod:`ast` and may use only numbers, those names,
``+ - * /``, a leading minus, parentheses and ``min()``, ``max()``, ``round()`` (四舍五入, as a
clerk rounds). Full-width signs (＋－＊／（）) and × ÷ are read as their ASCII forms. Anything
else is refused with a :class:`~ansheng_cli.errors.ConfigProblem` naming the part. Division
by zero gives 0; scores are rounded half up to one decimal.

How the quantities are counted (``unit_scores``):

- units are named as ``due`` and ``stats`` name them: a unit that ceased counts under its
  successor as of the end of the window, with its jurisdiction when several are loaded;
- a task falls due in the window when the date of its last checkpoint (its deadline, the
  last step of a phased one, the last milestone) lies in the window. Recurring deadlines
  (每季度末) and ongoing ones (长期坚持) never fall due in this sense: counting every occurrence
  would weigh a quarterly duty four times a one-off task. 暂缓 tasks are left out. The task
  falls due for the units of its last milestone when it names some, else its lead units;
- 按期完成: completed with a completion date (``done``) on or before the due date. A task
  marked 已销号 without a date counts as on time (the office itself closed it); one marked
  已完成 without a date does not, since nothing shows when it was done;
- 逾期: the lead items ``ansheng due`` lists as overdue on the last day of the window, whatever
  the window's start (an old task still open keeps counting), recurring occurrences included;
- a unit answers once per task, even if the task names it twice (a ceased unit and its
  successor);
- returns: one record per (unit, round); duplicates merge, the earliest return counting. A
  round belongs to the window when its return date does; 迟报 when returned after that date,
  未报 when not returned at all (the window's last day counts as over). Rounds without a
  return date are ignored;
- every unit a task names gets a row (a unit that only supports scores on the other
  quantities), and so does a unit that only appears in the window's returns.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import math
import unicodedata
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from ansheng_cli.errors import ConfigProblem, UsageProblem
from ansheng_cli.plan.compiled import ROLE_LEAD, CompiledTask, Plan, UnitRef

DEFAULT_FORMULA = "100 * 按期完成率 - 5 * 逾期 - 3 * 迟报 - 5 * 未报"
MAX_FORMULA_CHARS = 500

VARIABLES: dict[str, str] = {
    "到期": "考核期内到期的牵头任务数（按最后一个时间节点计，周期性、长期性任务不计）",
    "按期完成": "到期任务中在时限内完成的项数（完成日期不晚于时限；无完成日期的已销号任务计入）",
    "按期完成率": "按期完成 ÷ 到期，到期为 0 时记为 1",
    "逾期": "截至考核期末已逾期未完成的牵头任务数（与 ansheng due 一致）",
    "迟报": "报送日期在考核期内、晚于报送日期交回的填报轮次数",
    "未报": "报送日期在考核期内、至今未交回的填报轮次数",
    "牵头": "牵头任务总数",
    "配合": "配合任务总数",
}
FUNCTIONS = ("min", "max", "round")
MAX_ROUND_DIGITS = 6
MAX_SCORE = 1e15  # beyond this a float holds no decimals: no score is that large

_HIDDEN_CHARS = ("Cc", "Cf", "Cs")  # controls, format characters (bidi, zero width), surrogates
_SIGNS = str.maketrans({"×": "*", "÷": "/", "−": "-"})
_HELP = f"可用的量：{'、'.join(VARIABLES)}；可用的写法：数字、+ - * /、括号、min()、max()、round()"


def half_up(value: float, digits: int = 0) -> float:
    """``value`` rounded half up (四舍五入) to ``digits`` decimals, as read in decimal: 0.25 →
    0.3, where Python's round gives 0.2. Huge values are whole already and kept as they are."""
    if isinstance(value, int) and digits >= 0:
        return value
    if not math.isfinite(value):
        raise OverflowError("not a finite number")
    if abs(value) >= 1e15:
        return value
    quantum = Decimal(1).scaleb(-digits)
    rounded = float(Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP))
    return rounded + 0.0  # -0.0 → 0.0


class Formula:
    """A score formula: parsed and checked once, evaluated per unit."""

    __slots__ = ("_tree", "names", "text")

    def __init__(self, text: str = DEFAULT_FORMULA) -> None:
        if len(text) > MAX_FORMULA_CHARS:
            raise _too_long(len(text))
        self.text = " ".join(text.split())
        source = " ".join(unicodedata.normalize("NFKC", text).translate(_SIGNS).split())
        if len(source) > MAX_FORMULA_CHARS:
            raise _too_long(len(source))
        if not source:
            raise ConfigProblem(f"考核公式为空。{_HELP}")
        hidden = next(
            (i for i, c in enumerate(source) if unicodedata.category(c) in _HIDDEN_CHARS), None
        )
        if hidden is not None:
            raise ConfigProblem(
                f"考核公式第 {hidden + 1} 个字符是不可见的控制字符，请删去。{_HELP}"
            )
        self._tree = _parse(source)
        self.names = frozenset(
            n.id for n in ast.walk(self._tree) if isinstance(n, ast.Name) and n.id in VARIABLES
        )

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Formula) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)

    def evaluate(self, values: Mapping[str, float]) -> float:
        """The score for these values (every name of ``VARIABLES``), rounded half up to one
        decimal. A result of 1e15 or more is refused: no score is that large."""
        try:
            result = float(_evaluate(self._tree, values))
            if not abs(result) < MAX_SCORE:  # also refuses inf and nan
                raise OverflowError(result)
            return half_up(result, 1)
        except (OverflowError, RecursionError):
            raise ConfigProblem(f"考核公式“{_clip(self.text)}”的计算结果超出范围") from None


def _too_long(length: int) -> ConfigProblem:
    return ConfigProblem(f"考核公式过长（{length} 个字符，最多 {MAX_FORMULA_CHARS} 个）。{_HELP}")


def _clip(text: str, most: int = 40) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def _parse(source: str) -> ast.expr:
    if source.count("(") != source.count(")"):
        raise ConfigProblem(f"考核公式“{_clip(source)}”有误：括号不配对。{_HELP}")
    try:
        with warnings.catch_warnings():
            # the parser warns on stderr about text like "1if" or "'\\d'": the refusal says it
            warnings.simplefilter("ignore")
            tree = ast.parse(source, mode="eval").body
    except SyntaxError as exc:
        offset = exc.offset or 0
        where = (
            f"第 {offset} 个字符“{source[offset - 1]}”处无法解析"
            if 1 <= offset <= len(source)
            else "算式不完整"
        )
        raise ConfigProblem(f"考核公式“{_clip(source)}”有误：{where}。{_HELP}") from None
    except (ValueError, RecursionError, MemoryError):  # null bytes; nesting beyond the parser
        raise ConfigProblem(f"考核公式“{_clip(source)}”有误：无法解析。{_HELP}") from None
    try:
        _check(tree, source)
    except RecursionError:
        raise ConfigProblem(f"考核公式“{_clip(source)}”有误：嵌套过深。{_HELP}") from None
    return tree


_BINARY = (ast.Add, ast.Sub, ast.Mult, ast.Div)


def _check(node: ast.expr, source: str) -> None:
    """Refuse every node but numbers, known names, + - * /, a sign, and the three calls."""

    def refuse(part: ast.AST, reason: str) -> ConfigProblem:
        segment = ast.get_source_segment(source, part) or source
        return ConfigProblem(
            f"考核公式“{_clip(source)}”有误：不能使用“{_clip(segment)}”（{reason}）。{_HELP}"
        )

    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise refuse(node, "只能用数字")
    elif isinstance(node, ast.Name):
        if node.id not in VARIABLES:
            raise refuse(node, "没有这个量")
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, ast.USub | ast.UAdd):
            raise refuse(node, "只能用 + - * /")
        _check(node.operand, source)
    elif isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Pow):
            raise refuse(node, "不支持乘方")
        if not isinstance(node.op, _BINARY):
            raise refuse(node, "只能用 + - * /")
        _check(node.left, source)
        _check(node.right, source)
    elif isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if name not in FUNCTIONS:
            raise refuse(node, "只能用 min、max、round 三个函数")
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise refuse(node, "函数的参数只能依次写在括号里")
        if name in ("min", "max") and len(node.args) < 2:
            raise refuse(node, f"{name} 至少需要两个参数")
        if name == "round":
            if not 1 <= len(node.args) <= 2:
                raise refuse(node, "只能写成 round(x) 或 round(x, 小数位数)")
            if len(node.args) == 2:
                digits = node.args[1]
                if not (
                    isinstance(digits, ast.Constant)
                    and type(digits.value) is int
                    and 0 <= digits.value <= MAX_ROUND_DIGITS
                ):
                    raise refuse(digits, f"小数位数只能是 0 到 {MAX_ROUND_DIGITS} 的整数")
        for arg in node.args:
            _check(arg, source)
    else:
        raise refuse(node, "不支持这种写法")


def _evaluate(node: ast.expr, values: Mapping[str, float]) -> float:
    """Evaluate a checked tree as Python would, except that x / 0 is 0."""
    if isinstance(node, ast.Constant):
        assert isinstance(node.value, int | float)  # checked when parsed
        return node.value
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.UnaryOp):
        operand = _evaluate(node.operand, values)
        return -operand if isinstance(node.op, ast.USub) else +operand
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, values), _evaluate(node.right, values)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return 0.0 if right == 0 else left / right
    assert isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    args = [_evaluate(a, values) for a in node.args]
    if node.func.id == "min":
        return min(args)
    if node.func.id == "max":
        return max(args)
    return half_up(args[0], int(args[1]) if len(args) > 1 else 0)


# -- the rows ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Return:
    """One round of 进展填报 sent to a unit: when it was due back and when it came back."""

    unit: str  # as lists show it: 市应急管理局, or 兴化市 市应急管理局 when several
    round: str  # 2024年第二季度
    return_by: dt.date | None
    returned: dt.date | None


@dataclass(frozen=True, slots=True)
class UnitScore:
    unit: str
    lead: int
    support: int
    due: int
    on_time: int
    overdue: int
    late: int
    missing: int
    score: float

    @property
    def rate(self) -> float:
        """按期完成率 as the formula sees it: 1 when nothing fell due."""
        return self.on_time / self.due if self.due else 1.0

    def values(self) -> dict[str, float]:
        """The formula's variables for this unit."""
        return _values(self.lead, self.support, self.due, self.on_time, self.overdue,
                       self.late, self.missing)  # fmt: skip


def _values(lead: int, support: int, due: int, on_time: int, overdue: int, late: int,
            missing: int) -> dict[str, float]:  # fmt: skip
    return {
        "到期": due,
        "按期完成": on_time,
        "按期完成率": on_time / due if due else 1.0,
        "逾期": overdue,
        "迟报": late,
        "未报": missing,
        "牵头": lead,
        "配合": support,
    }


@dataclass
class _Tally:
    lead: int = 0
    support: int = 0
    due: int = 0
    on_time: int = 0
    overdue: int = 0
    late: int = 0
    missing: int = 0


_LAST = ("\U0010ffff", 1_000_000)  # units only known from returns: after the plan's units
_UNSCORED_KINDS = ("recurring", "ongoing")  # never "fall due" once (see the docstring)


def final_due(task: CompiledTask) -> dt.date | None:
    """The date a task falls due for scoring: its last checkpoint's, unless that one is
    recurring or ongoing (or names no date)."""
    points = task.checkpoints()
    if not points or points[-1].deadline.kind in _UNSCORED_KINDS:
        return None
    return points[-1].deadline.due


def on_time(task: CompiledTask, due: dt.date) -> bool:
    """Completed by its due date; 已销号 without a completion date counts, 已完成 does not."""
    if not task.completed:
        return False
    if task.done is None:
        return task.status == "已销号"
    return task.done <= due


def unit_scores(
    plan: Plan,
    returns: Sequence[Return],
    start: dt.date | None,
    end: dt.date,
    formula: Formula,
) -> list[UnitScore]:
    """One row per unit for the window [start, end] (start None: everything up to end), best
    score first, then in the units' order (registry order, as ``stats`` lists them)."""
    from ansheng_cli.supervise.due import NO_UNIT, OVERDUE, due_items

    if start is not None and start > end:
        raise UsageProblem(f"考核起始日期 {start} 晚于截止日期 {end}")
    tallies: dict[str, _Tally] = {}
    rank: dict[str, tuple[str, int]] = {}
    aliases: dict[str, str] = {}

    def shown(ref: UnitRef) -> str:
        name, _ = ref.responsible(end)
        label = plan.label(ref.jurisdiction, name)
        if label not in tallies:
            tallies[label] = _Tally()
        key = (ref.jurisdiction, ref.order if name == ref.name else 1_000_000)
        rank[label] = min(rank.get(label, key), key)
        for written in (ref.name, ref.written):
            aliases.setdefault(plan.label(ref.jurisdiction, written), label)
        return label

    for doc in plan.documents:
        for task in doc.tasks:
            for label in {shown(r) for r in task.lead}:
                tallies[label].lead += 1
            for label in {shown(r) for r in task.support}:
                tallies[label].support += 1
            points = task.checkpoints()
            for point in points:
                for ref in point.units:
                    shown(ref)
            due = final_due(task)
            if due is None or task.status == "暂缓" or due > end:
                continue
            if start is not None and due < start:
                continue
            for label in {shown(r) for r in (points[-1].units or task.lead)}:
                tallies[label].due += 1
                tallies[label].on_time += on_time(task, due)

    overdue = {
        (i.unit, id(i.task))
        for i in due_items(plan, end, within=-1)
        if i.state == OVERDUE and i.role == ROLE_LEAD and i.unit != NO_UNIT
    }
    for label, _ in overdue:
        tallies.setdefault(label, _Tally()).overdue += 1

    for unit, return_by, returned in _rounds(returns, aliases):
        if return_by is None or return_by > end or (start is not None and return_by < start):
            continue
        tally = tallies.setdefault(unit, _Tally())
        if returned is None:
            tally.missing += 1
        elif returned > return_by:
            tally.late += 1

    rows = [
        UnitScore(
            unit, t.lead, t.support, t.due, t.on_time, t.overdue, t.late, t.missing,
            formula.evaluate(_values(t.lead, t.support, t.due, t.on_time, t.overdue, t.late,
                                     t.missing)),
        )
        for unit, t in tallies.items()
    ]  # fmt: skip
    return sorted(rows, key=lambda r: (-r.score, rank.get(r.unit, _LAST), r.unit))


def _rounds(
    returns: Sequence[Return], aliases: Mapping[str, str]
) -> list[tuple[str, dt.date | None, dt.date | None]]:
    """(unit, return date, first return) per (unit, round): a unit's old name or alias is
    read as the unit that answers for it now."""
    merged: dict[tuple[str, str], tuple[dt.date | None, dt.date | None]] = {}
    for r in returns:
        unit = aliases.get(r.unit, r.unit)
        by, back = merged.get((unit, r.round), (None, None))
        merged[(unit, r.round)] = (_earliest(by, r.return_by), _earliest(back, r.returned))
    return [(unit, by, back) for (unit, _), (by, back) in merged.items()]


def _earliest(a: dt.date | None, b: dt.date | None) -> dt.date | None:
    return b if a is None else a if b is None else min(a, b)


# -- the views ---------------------------------------------------------------------------

FORMATS = ("text", "md", "json", "xlsx")
HEADER = ("单位", "牵头", "到期", "按期完成", "按期完成率", "逾期", "迟报", "未报", "得分")
WIDTHS = (26, 8, 8, 10, 12, 8, 8, 8, 10)
SHEET = "考核得分"
RATE_NOTE = "按期完成率 = 按期完成 ÷ 到期（考核期内到期的任务）；到期为 0 的单位按 100% 计分，表中记为“—”。逾期为截至考核期末仍未完成的逾期任务，含考核期以前到期的、周期性和分阶段的任务，故可多于到期。"
NO_ROWS = "（没有可考核的单位）"


def heading(start: dt.date | None, end: dt.date) -> str:
    """考核得分（2024年1月1日至2024年6月30日）, or （截至2024年6月30日） without a start."""
    from ansheng_cli.export.text import date_cn

    span = f"截至{date_cn(end)}" if start is None else f"{date_cn(start)}至{date_cn(end)}"
    return f"{SHEET}（{span}）"


def formula_line(formula: Formula) -> str:
    return f"计分公式：得分 = {formula.text}"


def rate_text(row: UnitScore) -> str:
    """85.7%, or — when nothing fell due."""
    return f"{half_up(100 * row.on_time / row.due, 1):.1f}%" if row.due else "—"


def cells(row: UnitScore) -> list[str]:
    """A row as the text views print it, in ``HEADER`` order."""
    counts = (row.lead, row.due, row.on_time)
    rest = (row.overdue, row.late, row.missing)
    return [row.unit, *map(str, counts), rate_text(row), *map(str, rest), f"{row.score:.1f}"]


def render(
    rows: Sequence[UnitScore],
    fmt: str,
    start: dt.date | None,
    end: dt.date,
    formula: Formula,
) -> str:
    """The score table as text (aligned columns), Markdown or JSON."""
    if fmt == "text":
        return _text(rows, start, end, formula)
    if fmt == "md":
        return _markdown(rows, start, end, formula)
    if fmt == "json":
        return _json(rows, start, end, formula)
    raise UsageProblem(f"不支持的输出格式“{fmt}”，可选：{'、'.join(FORMATS)}")


def _text(rows: Sequence[UnitScore], start: dt.date | None, end: dt.date,
          formula: Formula) -> str:  # fmt: skip
    from rich.cells import cell_len

    table = [list(HEADER), *(cells(r) for r in rows)]
    widths = [max(cell_len(line[i]) for line in table) for i in range(len(HEADER))]

    def line(values: list[str]) -> str:
        first = values[0] + " " * (widths[0] - cell_len(values[0]))
        rest = (" " * (w - cell_len(v)) + v for v, w in zip(values[1:], widths[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    body = [line(values) for values in table] if rows else [line(table[0]), NO_ROWS]
    out = [heading(start, end), "", *body, "", formula_line(formula), RATE_NOTE]
    return "\n".join(out) + "\n"


def _markdown(rows: Sequence[UnitScore], start: dt.date | None, end: dt.date,
              formula: Formula) -> str:  # fmt: skip
    from ansheng_cli.export.text import md

    out = [
        f"# {heading(start, end)}",
        "",
        "| " + " | ".join(HEADER) + " |",
        "| --- |" + " ---: |" * (len(HEADER) - 1),
    ]
    out += ["| " + " | ".join(md(c) for c in cells(r)) + " |" for r in rows]
    if not rows:
        out += ["", NO_ROWS]
    out += ["", f"计分公式：`得分 = {formula.text}`", "", RATE_NOTE]
    return "\n".join(out) + "\n"


def _json(rows: Sequence[UnitScore], start: dt.date | None, end: dt.date,
          formula: Formula) -> str:  # fmt: skip
    data: dict[str, Any] = {
        "from": start.isoformat() if start else None,
        "to": end.isoformat(),
        "formula": formula.text,
        "units": [
            {
                "unit": r.unit,
                "lead": r.lead,
                "support": r.support,
                "due": r.due,
                "on_time": r.on_time,
                "on_time_rate": round(r.on_time / r.due, 4) if r.due else None,
                "overdue": r.overdue,
                "late": r.late,
                "missing": r.missing,
                "score": r.score,
            }
            for r in rows
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_xlsx(
    rows: Sequence[UnitScore],
    path: Path,
    start: dt.date | None,
    end: dt.date,
    formula: Formula,
) -> None:
    """The score table as a print-ready workbook: title, header, one row per unit, and the
    formula under the table. Rates and scores are numbers (sortable), shown as 85.7% and
    95.0."""
    from openpyxl import Workbook

    from ansheng_cli.export.sheet import Sheet, add_styles

    wb = Workbook(write_only=True)
    add_styles(wb)
    _add_number_styles(wb)
    sheet = Sheet(wb, SHEET, heading(start, end), HEADER, WIDTHS)
    styles = ["as-text", *["as-cell"] * 3, "as-percent", *["as-cell"] * 3, "as-score"]
    for r in rows:
        rate: float | str = r.on_time / r.due if r.due else "—"
        values = [r.unit, r.lead, r.due, r.on_time, rate, r.overdue, r.late, r.missing, r.score]
        sheet.append(values, styles)
    sheet.autofilter()
    if not rows:
        sheet.merged_row(NO_ROWS, "as-text")
    sheet.merged_row(formula_line(formula), "as-text")
    sheet.merged_row(RATE_NOTE, "as-text")
    wb.save(path)


def _add_number_styles(wb: Any) -> None:
    """as-cell with a number format: a percentage with one decimal, a score with one."""
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side

    from ansheng_cli.export.sheet import BODY_FONT

    thin = Side(style="thin", color="000000")
    for name, number_format in (("as-percent", "0.0%"), ("as-score", "0.0")):
        style = NamedStyle(
            name=name,
            font=Font(name=BODY_FONT, size=12, charset=134),
            alignment=Alignment("center", "center", wrap_text=True),
            border=Border(left=thin, right=thin, top=thin, bottom=thin),
            number_format=number_format,
        )
        wb.add_named_style(style)


def score(
    plan: Plan, paths: list[str], formula_text: str | None, start: dt.date | None,
    end: dt.date, fmt: str, output: str | None,
) -> tuple[str, str]:  # fmt: skip
    """``ansheng stats --score``: (stdout, stderr). Returns come from the rounds recorded in
    the data repository (none when there is no repository or no round)."""
    from ansheng_cli.atomic import emit
    from ansheng_cli.plan.files import collect
    from ansheng_cli.supervise.rounds import recorded

    if fmt not in FORMATS:
        raise UsageProblem(f"不支持的输出格式“{fmt}”，可选：{'、'.join(FORMATS)}")
    formula = Formula(formula_text or DEFAULT_FORMULA)
    rounds = recorded(paths)  # a record that cannot be read is an error, not "no returns"
    returns = [Return(s.unit, r.name, r.return_by, s.returned) for _, r in rounds for s in r.units]
    rows = unit_scores(plan, returns, start, end, formula)
    name = heading(start, end)
    inputs = [p for _, p in collect(paths)]
    if fmt == "xlsx":
        return emit(
            fmt, output, name, lambda tmp: write_xlsx(rows, tmp, start, end, formula), inputs
        )
    return emit(fmt, output, name, render(rows, fmt, start, end, formula), inputs)
