"""``--to progress-xlsx``: one unit's 进展填报表 (see progress_sheet)."""

from __future__ import annotations

from pathlib import Path

from ansheng_cli.export.formats import ExportOptions, ExportProblem
from ansheng_cli.plan.compiled import Plan


def render(plan: Plan, path: Path, options: ExportOptions) -> None:
    from ansheng_cli.supervise.progress import write_sheet

    if options.unit is None:
        raise ExportProblem("进展填报表要指定单位：--unit 单位名称")
    write_sheet(plan, options.unit, path, options.as_of, rule=options.lights)
