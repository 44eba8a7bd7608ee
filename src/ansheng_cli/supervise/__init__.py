"""Supervision (督办): due and overdue lists, statistics, the HTML report and progress sheets."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ansheng_cli.config import Settings
    from ansheng_cli.plan.compiled import Plan


def plan_for(
    paths: list[str], settings: Settings, jurisdiction: str | None = None
) -> tuple[Plan, list[str]]:
    """The compiled plan of the given files (only one jurisdiction's, if named), and the
    files used although they have errors (supervision still reports on them)."""
    from ansheng_cli.errors import UsageProblem
    from ansheng_cli.export import build_plan

    plan, report = build_plan(paths, settings, force=True)
    if jurisdiction is not None:
        plan = plan.only(jurisdiction)
        if not plan.documents:
            raise UsageProblem(f"所选文件中没有地区“{jurisdiction}”的计划")
    return plan, [r.display for r in report.files if r.failed]


def supervised_plan(paths: list[str], settings: Settings, jurisdiction: str | None) -> Plan:
    """The plan supervision reports on; files used despite errors are named on stderr."""
    from ansheng_cli.streams import note

    plan, failed = plan_for(paths, settings, jurisdiction)
    if failed:
        note(f"注意：以下文件有未解决的错误，结果仅供参考：{'、'.join(failed)}")
    return plan
