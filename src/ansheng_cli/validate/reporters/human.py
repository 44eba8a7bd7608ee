"""The default output: findings grouped by file, each with its source line and a caret."""

from __future__ import annotations

from typing import TextIO

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape

from ansheng_cli.plan.finding import Severity
from ansheng_cli.plan.text import clip, printable
from ansheng_cli.validate.reporters.summary import summary_line
from ansheng_cli.validate.result import Report

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render(report: Report, out: TextIO) -> None:
    console = Console(file=out, highlight=False, soft_wrap=True)
    for result in report.files:
        shown = [f for f in result.findings if not f.suppressed]
        if not shown:
            continue
        lines = result.text.splitlines()
        console.print(f"[bold]{escape(printable(result.display))}[/]")
        shown_line = 0
        for f in shown:
            console.print(
                f"  {f.line}:{f.column}  [{_STYLE[f.severity]}]{f.code}[/]  {escape(printable(f.message))}"
            )
            if 0 < f.line <= len(lines) and f.line != shown_line:
                shown_line = f.line  # several findings on one line: the line is shown once
                # a 120 KB line is shown as a window around the column, never whole
                line, column = clip(printable(lines[f.line - 1].expandtabs(4)), f.column)
                gutter = f"{f.line:>6} | "
                console.print(f"[dim]{gutter}[/]{escape(line)}")
                caret = " " * cell_len(line[: column - 1])
                console.print(
                    f"[dim]{' ' * (len(gutter) - 2)}| [/]{caret}[{_STYLE[f.severity]}]^[/]"
                )
            if f.hint:
                console.print(f"         [dim]提示：{escape(printable(f.hint))}[/]")
        console.print()
    style = "bold red" if report.failed else "bold green"
    console.print(f"[{style}]{escape(summary_line(report))}[/]")
