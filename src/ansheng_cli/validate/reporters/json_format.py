"""``--format json``: every finding, suppressed ones included, and the counts."""

from __future__ import annotations

import json
from typing import Any, TextIO

from ansheng_cli.plan.finding import Severity
from ansheng_cli.validate.result import Report


def as_dict(report: Report) -> dict[str, Any]:
    return {
        "version": 1,
        "findings": [f.to_dict() for f in report.findings],
        "summary": {
            "files": len(report.files),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "suppressed": report.suppressed,
        },
    }


def render(report: Report, out: TextIO) -> None:
    json.dump(as_dict(report), out, ensure_ascii=False, indent=2)
    out.write("\n")
