"""``--format github``: workflow annotations, with the counts first (GitHub shows only a few dozen)."""

from __future__ import annotations

from typing import TextIO

from ansheng_cli.plan.finding import Severity
from ansheng_cli.plan.text import printable
from ansheng_cli.validate.reporters.summary import summary_line
from ansheng_cli.validate.result import Report

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _data(text: str) -> str:
    text = printable(text)  # an ESC in a message must not reach the log as a sequence
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report, out: TextIO) -> None:
    out.write(f"::notice title={_prop('ansheng 校验结果')}::{_data(summary_line(report))}\n")
    for f in report.findings:
        if f.suppressed:
            continue
        message = f"{f.message}（提示：{f.hint}）" if f.hint else f.message
        out.write(
            f"::{_LEVEL[f.severity]} file={_prop(f.file)},line={f.line},col={f.column},"
            f"title={_prop(f.code)}::{_data(message)}\n"
        )
