"""Reporters turn one validation report into one output format; picked by name."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

from ansheng_cli.validate.result import Report

Reporter = Callable[[Report, TextIO], None]

# format name → module; each module has ``render(report, out)``.
FORMATS = {
    "human": "human",
    "json": "json_format",
    "github": "github",
    "sarif": "sarif",
    "gitlab": "gitlab",
    "junit": "junit",
}


def reporter(name: str) -> Reporter:
    module = importlib.import_module(f"{__name__}.{FORMATS[name]}")
    render: Reporter = module.render
    return render


def render_report(report: Report, name: str) -> str:
    """The report in format ``name`` as text."""
    import io

    out = io.StringIO()
    reporter(name)(report, out)
    return out.getvalue()
