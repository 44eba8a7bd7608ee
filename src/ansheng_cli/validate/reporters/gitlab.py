"""``--format gitlab``: GitLab Code Quality report (a JSON list of issues)."""

from __future__ import annotations

import hashlib
import json
from typing import TextIO

from ansheng_cli.plan.finding import Severity
from ansheng_cli.validate.result import Report

_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report, out: TextIO) -> None:
    issues = []
    for f in report.findings:
        if f.suppressed:
            continue
        key = f"{f.file}:{f.line}:{f.column}:{f.code}:{f.message}"
        issues.append(
            {
                "description": f"{f.code} {f.message}",
                "check_name": f.code,
                "fingerprint": hashlib.sha256(key.encode()).hexdigest()[:32],
                "severity": _SEVERITY[f.severity],
                "location": {"path": f.file, "lines": {"begin": f.line}},
            }
        )
    json.dump(issues, out, ensure_ascii=False, indent=2)
    out.write("\n")
