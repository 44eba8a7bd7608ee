"""``--format junit``: one test case per file; it fails when the file fails the run."""

from __future__ import annotations

from typing import TextIO
from xml.etree import ElementTree as ET

from ansheng_cli.plan.finding import Severity
from ansheng_cli.plan.text import xml_safe
from ansheng_cli.validate.result import Report


def render(report: Report, out: TextIO) -> None:
    levels = {Severity.ERROR, Severity.WARNING} if report.strict else {Severity.ERROR}
    suites = ET.Element("testsuites", name="ansheng")
    suite = ET.SubElement(
        suites, "testsuite", name="ansheng validate", tests=str(len(report.files))
    )
    failures = 0
    for result in report.files:
        case = ET.SubElement(suite, "testcase", classname="ansheng", name=result.display)
        active = [f for f in result.findings if not f.suppressed]
        failing = [f for f in active if f.severity in levels]
        lines = "\n".join(f"{f.file}:{f.line}:{f.column}: {f.code} {f.message}" for f in active)
        if failing:
            failures += 1
            first = failing[0]
            failure = ET.SubElement(
                case,
                "failure",
                message=f"{len(failing)} 个问题：{first.code} {first.message}",
                type=first.code,
            )
            failure.text = lines
        elif lines:
            ET.SubElement(case, "system-out").text = lines
    suite.set("failures", str(failures))
    suite.set("errors", "0")
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(xml_safe(ET.tostring(suites, encoding="unicode")))
    out.write("\n")
