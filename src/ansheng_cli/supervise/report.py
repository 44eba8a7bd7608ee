"""``ansheng report``: one self-contained HTML page for leaders (no script, no network).

Inline CSS and SVG only: a summary, the overdue list, load per unit and due dates per
month as bar charts, and each document's task table with its status. The page names CJK
fonts found on stock Linux, Windows and macOS desktops, and prints on A4.
"""

from __future__ import annotations

import datetime as dt
import html
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from ansheng_cli.export.measure import em
from ansheng_cli.export.text import date_cn
from ansheng_cli.plan.compiled import CompiledTask, Plan
from ansheng_cli.plan.models import CLOSED, NOT_REPORTED
from ansheng_cli.supervise.due import OVERDUE, SOON, Stats, stats, task_state

if TYPE_CHECKING:
    from ansheng_cli.config import Settings
    from ansheng_cli.supervise.lights import LightRule
    from ansheng_cli.supervise.status import Status

BAR = 18  # px per bar in the unit chart
TOP_UNITS = 25


def _task_state(task: CompiledTask, as_of: dt.date, within: int) -> str:
    if task.completed:
        return task.status if task.status in ("已完成", "已销号") else "已完成"
    if task.status == "暂缓":
        return "暂缓"
    found = task_state(task, as_of, within)
    if found:
        return found[0]
    if task.kind == "ongoing":
        return "长期"
    return task.status or NOT_REPORTED


def _answering(task: CompiledTask, as_of: dt.date) -> str:
    """The lead units that answer for an overdue task today: a unit that ceased is shown
    as its successor (市应急管理局（原市安监局）), as the per-unit lists below count it."""
    names = []
    for ref in task.lead:
        name, note = ref.responsible(as_of)
        names.append(f"{name}（原{ref.name}）" if note else name)
    return "、".join(dict.fromkeys(names))


def load_chart(loads: Stats) -> str:
    every = sorted(loads.units, key=lambda u: -(u.lead + u.support))
    units = every[:TOP_UNITS]
    if not units:
        return "<p>没有分解到单位的任务。</p>"
    more = (
        f'<p class="muted" id="load-note">仅列任务最多的 {TOP_UNITS} 个单位（共 {len(every)} 个）。</p>'
        if len(every) > TOP_UNITS
        else ""
    )
    most = max(u.lead + u.support for u in units)
    label = 12 + round(12 * max(em(u.name) for u in units))  # 12 px text
    width, value = 520, 70  # bars, and room for "牵头/配合" after the longest
    height = BAR * len(units) + 34
    total = label + width + value
    parts = [
        f'<svg id="load-chart" role="img" aria-label="各单位任务量" width="{total}" height="{height}" viewBox="0 0 {total} {height}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, u in enumerate(units):
        y = 14 + i * BAR
        lead_w = width * u.lead / most
        support_w = width * u.support / most
        parts.append(
            f'<text x="{label - 6}" y="{y + 12}" text-anchor="end">{html.escape(u.name)}</text>'
        )
        parts.append(
            f'<rect x="{label}" y="{y}" width="{lead_w:.1f}" height="{BAR - 4}" fill="#1d4ed8"><title>牵头 {u.lead}</title></rect>'
        )
        parts.append(
            f'<rect x="{label + lead_w:.1f}" y="{y}" width="{support_w:.1f}" height="{BAR - 4}" fill="#93c5fd"><title>配合 {u.support}</title></rect>'
        )
        parts.append(
            f'<text x="{label + lead_w + support_w + 6:.1f}" y="{y + 12}">{u.lead}/{u.support}</text>'
        )
    parts.append(
        f'<text x="{label}" y="{height - 4}" class="legend">深色：牵头　浅色：配合</text></svg>'
    )
    return "".join(parts) + more


def month_chart(loads: Stats, as_of: dt.date) -> str:
    months = loads.months
    if not months:
        return "<p>没有带具体日期的完成时限。</p>"
    most = max(c for _, c in months)
    col, chart_h, top = 60, 160, 24  # top: room for the count above the tallest bar
    width = col * len(months) + 20
    parts = [
        f'<svg id="month-chart" role="img" aria-label="各月到期任务" width="{width}" height="{top + chart_h + 40}" viewBox="0 0 {width} {top + chart_h + 40}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (month, count) in enumerate(months):
        h = chart_h * count / most
        x = 10 + i * col
        fill = "#b42318" if month < as_of.strftime("%Y-%m") else "#1d4ed8"
        parts.append(
            f'<rect x="{x}" y="{top + chart_h - h:.1f}" width="{col - 10}" height="{h:.1f}" fill="{fill}"><title>{month}：{count} 项</title></rect>'
        )
        parts.append(
            f'<text x="{x + (col - 10) / 2}" y="{top - 6 + chart_h - h:.1f}" text-anchor="middle">{count}</text>'
        )
        parts.append(
            f'<text x="{x + (col - 10) / 2}" y="{top + chart_h + 18}" text-anchor="middle" class="month">{month}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


SHORT_TITLE = 16  # characters of a document title shown in a table cell


def short_title(title: str, limit: int = SHORT_TITLE) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


def context(
    plan: Plan, as_of: dt.date, within: int, rule: LightRule | None = None,
    returns: Status | None = None,
) -> dict[str, Any]:  # fmt: skip
    from markupsafe import Markup

    from ansheng_cli.supervise.lights import CODES, ORDER, light

    tables = []
    overdue: list[tuple[dt.date, dict[str, Any]]] = []
    by_unit: dict[str, list[tuple[dt.date, dict[str, Any]]]] = {}
    total = completed = confirmed = soon = 0
    lights = dict.fromkeys(ORDER, 0)
    for number, doc in enumerate(plan.documents, start=1):
        rows = []
        for task in doc.tasks:
            state = _task_state(task, as_of, within)
            colour = light(task, as_of, rule)
            total += 1
            completed += state in ("已完成", CLOSED)
            confirmed += state == CLOSED
            soon += state == SOON
            if colour:
                lights[colour] += 1
            row = {
                "light": colour or "",
                "light_code": CODES.get(colour or "", "none"),
                "no": task.no,
                "title": task.title,
                "lead": "、".join(task.lead_names + ([task.others] if task.others else [])),
                "support": "、".join(task.support_names),
                "deadline": task.deadline_text or "—",
                "state": state,
            }
            rows.append(row)
            if state == OVERDUE:
                found = task_state(task, as_of, within)
                due = found[1] if found else as_of
                item = {
                    "units": _answering(task, as_of) or row["lead"] or "—",
                    "document": doc.title,
                    "doc_short": short_title(doc.title),
                    "doc_number": number,
                    "no": task.no,
                    "title": task.title,
                    "deadline": row["deadline"],
                    "due": date_cn(due),
                    "days": (as_of - due).days,
                }
                overdue.append((due, item))
                for ref in task.lead:
                    name, _ = ref.responsible(as_of)
                    by_unit.setdefault(plan.label(ref.jurisdiction, name), []).append((due, item))
        tables.append((doc, rows))
    overdue.sort(key=lambda pair: pair[0])
    units = [
        {
            "name": name,
            "anchor": f"unit-{i}",
            "rows": [r for _, r in sorted(items, key=lambda p: p[0])],
        }
        for i, (name, items) in enumerate(
            sorted(by_unit.items(), key=lambda kv: (-len(kv[1]), kv[0])), start=1
        )
    ]
    issuers = list(dict.fromkeys(d.issuer for d in plan.documents if d.issuer))
    loads = stats(plan, as_of)  # both charts read it: computed once
    return {
        "as_of": as_of,
        "within": within,
        "documents": plan.documents,
        "issuers": issuers,
        "summary": {"total": total, "completed": completed, "overdue": len(overdue), "soon": soon},
        "confirmed": confirmed,
        "lights": lights,
        "returns": _returns(returns),
        "overdue": [row for _, row in overdue],
        "units": units,
        "load_chart": Markup(load_chart(loads)),
        "month_chart": Markup(month_chart(loads, as_of)),
        "tables": tables,
    }


def _returns(status: Status | None) -> dict[str, Any] | None:
    """The 报送情况 section: the round's counts and the units that have not (fully) reported
    or reported late; None when no round was started."""
    if status is None:
        return None
    from ansheng_cli.supervise.rounds import MISSING, PARTIAL, RETURNED
    from ansheng_cli.supervise.status import state_words

    record = status.round
    behind = [s for s in status.units if s.state != RETURNED or record.late(s)]
    return {
        "name": record.name,
        "as_of": record.as_of,
        "return_by": record.return_by,
        "units": len(status.units),
        "returned": status.count(RETURNED),
        "partial": status.count(PARTIAL),
        "missing": status.count(MISSING),
        "late": len(status.late),
        "behind": [
            {"unit": s.unit, "tasks": s.tasks, "state": state_words(status, s)} for s in behind
        ],
        "silent": len(status.silent),
    }


def render(
    plan: Plan, as_of: dt.date, within: int = 30, rule: LightRule | None = None,
    returns: Status | None = None,
) -> str:  # fmt: skip
    from jinja2 import Environment

    env = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["date_cn"] = date_cn
    source = files("ansheng_cli.templates").joinpath("report.html.j2").read_text(encoding="utf-8")
    return env.from_string(source).render(**context(plan, as_of, within, rule, returns))


def report(
    plan: Plan, paths: list[str], as_of: dt.date, within: int, settings: Settings,
    round_name: str | None = None, rolled_up: bool = False,
) -> str:  # fmt: skip
    """``ansheng report``: the page, with the 报送情况 of the round named (else the latest,
    when one was started; never for a plan rolled up from another jurisdiction's rounds)."""
    from ansheng_cli.supervise.rounds import chosen
    from ansheng_cli.supervise.status import round_status

    record = None if rolled_up else chosen(paths, round_name)
    returns = round_status(plan, record) if record else None
    return render(plan, as_of, within, settings.lights, returns)
