"""``ansheng due --notice -o FOLDER/``: one 催办单 per unit that has overdue tasks or has not
returned its sheet for the latest round; its level (提醒 / 黄色 / 红色) is the worst light
among its tasks (supervise/lights.py), a missing return is at least 黄色."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from ansheng_cli.errors import UsageProblem

if TYPE_CHECKING:
    from ansheng_cli.config import Settings
    from ansheng_cli.plan.compiled import Plan
    from ansheng_cli.supervise.due import DueItem
    from ansheng_cli.supervise.notice import Letter, NoticeItem

ORDER = ("提醒", "黄色", "红色")


def _item(entry: DueItem, as_of: dt.date, settings: Settings) -> NoticeItem:
    from ansheng_cli.supervise.lights import RED, light
    from ansheng_cli.supervise.notice import NoticeItem

    colour = entry.light or light(entry.task, as_of, settings.lights) or RED

    return NoticeItem(
        entry.task.no,
        entry.document.title,
        entry.task.body,
        entry.role,
        entry.task.deadline_text or "",
        entry.due,
        (as_of - entry.due).days,
        colour,
    )


def letters(
    plan: Plan, items: list[DueItem], as_of: dt.date, settings: Settings, round_name: str | None,
    paths: list[str], unit: str | None = None,
) -> list[Letter]:  # fmt: skip
    """The letters to send: units with overdue tasks, and units that did not return the
    round's sheet (its return date passed); units in due-list order (only ``unit`` when
    given). Tasks of no unit get no letter: the office chases those itself."""
    from ansheng_cli.supervise.due import NO_UNIT, OVERDUE
    from ansheng_cli.supervise.lights import LEVELS, YELLOW
    from ansheng_cli.supervise.notice import Letter
    from ansheng_cli.supervise.rounds import chosen

    record = chosen(paths, round_name)  # a broken record is an error, not "all returned"
    missing = {
        s.unit
        for s in (record.units if record else [])
        if s.returned is None
        and (record and (record.return_by is None or record.return_by < as_of))
        and (unit is None or unit in (s.unit, s.unit.removeprefix(f"{s.jurisdiction} ")))
    }
    by_unit: dict[str, list[DueItem]] = {}
    for entry in items:
        if entry.unit != NO_UNIT:
            by_unit.setdefault(entry.unit, []).append(entry)
    for unit in missing:
        by_unit.setdefault(unit, [])
    issuers = {d.jurisdiction: d.issuer for d in plan.documents}
    out = []
    for name, entries in by_unit.items():
        notice = [_item(e, as_of, settings) for e in entries]
        overdue = [n for e, n in zip(entries, notice, strict=True) if e.state == OVERDUE]
        soon = [n for e, n in zip(entries, notice, strict=True) if e.state != OVERDUE]
        if not overdue and name not in missing:
            continue
        lights = [n.light for n in overdue] + ([YELLOW] if name in missing else [])
        level = max((LEVELS[c] for c in lights), key=ORDER.index, default="提醒")
        jurisdiction = next((e.document.jurisdiction for e in entries), "")
        if not jurisdiction and record:
            jurisdiction = next((s.jurisdiction or "" for s in record.units if s.unit == name), "")
        issuer = office(jurisdiction, issuers.get(jurisdiction) or "")
        out.append(
            Letter(
                name.removeprefix(f"{jurisdiction} "),
                jurisdiction,
                level,
                issuer,
                as_of,
                overdue,
                soon,
                record.return_by if record else None,
                record.name if record else None,
                name in missing,
            )
        )
    return out


def office(jurisdiction: str, issuer: str) -> str:
    """The office that sends reminders: the plan's issuer when it is a 安委办 named in full,
    else the jurisdiction's 安全生产委员会办公室 (a plan issued by the government or by the
    party committee and government together is chased by its 安委办)."""
    if "安全生产委员会办公室" in issuer and "（" not in issuer and "、" not in issuer:
        return issuer
    if jurisdiction:
        return f"{jurisdiction}安全生产委员会办公室"
    return issuer


def write_notices(
    plan: Plan, items: list[DueItem], as_of: dt.date, settings: Settings, output: str | None,
    template: Path | None, round_name: str | None, paths: list[str], unit: str | None = None,
) -> str:  # fmt: skip
    """Render the letters into the folder ``output``; returns what to tell the user."""
    from ansheng_cli.atomic import KNOWN
    from ansheng_cli.supervise.due import NO_UNIT, OVERDUE
    from ansheng_cli.supervise.notice import render_letters

    if not output or output == "-":
        raise UsageProblem("催办单要写入一个目录：请用 -o 指定，如 -o 催办单/")
    folder = Path(output)
    if (folder.exists() and not folder.is_dir()) or (
        folder.suffix.lower() in KNOWN and not output.endswith(("/", "\\"))
    ):
        raise UsageProblem(f"{output} 是文件名：催办单要写入一个目录，如 -o 催办单/")
    found = letters(plan, items, as_of, settings, round_name, paths, unit)
    unassigned = len({id(i.task) for i in items if i.unit == NO_UNIT and i.state == OVERDUE})
    aside = f"另有 {unassigned} 项逾期任务未分解到单位，未生成催办单\n" if unassigned else ""
    if not found:
        return "没有需要催办的单位（无逾期任务，填报表均已交回）\n" + aside
    written = render_letters(found, Path(output), template)
    counts = {level: sum(x.level == level for x in found) for level in reversed(ORDER)}
    summary = "，".join(f"{level} {n} 份" for level, n in counts.items() if n)
    return f"已生成 {len(written)} 份催办单（{summary}）：{output}\n" + aside
