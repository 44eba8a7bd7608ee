"""The one-line count every human-facing format ends (or starts) with."""

from __future__ import annotations

from ansheng_cli.plan.finding import Severity
from ansheng_cli.validate.result import Report


def summary_line(report: Report) -> str:
    errors = report.count(Severity.ERROR)
    warnings = report.count(Severity.WARNING)
    parts = [f"检查了 {len(report.files)} 个文件", f"{errors} 个错误", f"{warnings} 个警告"]
    if report.suppressed:
        parts.append(f"{report.suppressed} 条已按注释忽略")
    return "，".join(parts[:1]) + "：" + "，".join(parts[1:])
