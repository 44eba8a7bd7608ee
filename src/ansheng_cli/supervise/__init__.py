"""Supervision (督办): due and overdue lists, statistics, the HTML report and progress sheets."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ansheng_cli.config import Settings
    from ansheng_cli.plan.compiled import Plan


def plan_for(paths: list[str], settings: Settings) -> tuple[Plan, list[str]]:
    """The compiled plan of the given files, and the files used although they have errors
    (supervision still reports on them; the caller says so)."""
    from ansheng_cli.export import build_plan

    plan, report = build_plan(paths, settings, force=True)
    return plan, [r.display for r in report.files if r.failed]
