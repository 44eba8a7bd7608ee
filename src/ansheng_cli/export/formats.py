"""Renderers: each output format is a thin view over the compiled plan.

A renderer module has ``render(plan, path, options)`` and writes one file at ``path``
(the export use case hands it a temporary path and renames it into place).
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ansheng_cli.errors import AnshengError

if TYPE_CHECKING:
    from ansheng_cli.plan.compiled import Plan
    from ansheng_cli.supervise.lights import LightRule


class ExportProblem(AnshengError):
    """The export cannot be done as asked; the message says why (in Chinese)."""


@dataclass(frozen=True)
class ExportOptions:
    fmt: str
    by_unit: bool = False
    unit: str | None = None
    template: Path | None = None
    templates_dir: Path | None = None  # a data repository's own templates/
    jurisdiction: str | None = None  # only the documents of this jurisdiction
    portrait: bool = False  # docx: the 任务分工表 on portrait pages (landscape by default)
    split: bool = False  # docx: one file per document (see export.split)
    top_units: int = 20  # xlsx: units the 统计 chart shows (the table lists all)
    as_of: dt.date | None = None  # progress-xlsx: the day its lights are for (today)
    lights: LightRule | None = None  # progress-xlsx: [lights] of ansheng.toml

    @property
    def unit_view(self) -> bool:
        return self.by_unit or self.unit is not None


# format → (renderer module, file extension)
FORMATS: dict[str, tuple[str, str]] = {
    "xlsx": ("xlsx", ".xlsx"),
    "txt": ("text", ".txt"),
    "md": ("text", ".md"),
    "docx": ("docx", ".docx"),
    "json": ("data", ".json"),
    "csv": ("data", ".csv"),
    "progress-xlsx": ("progress", ".xlsx"),  # a unit's 进展填报表 (needs --unit)
}

WORD = "任务分工表"  # one word for the attachment in every format


def breakdown_title(title: str, word: str = WORD) -> str:
    """The attachment's title as offices write it: 《关于…的决定》任务分工表. A title that
    already carries its book-title marks or ends in the word keeps them."""
    title = title.strip()
    if title.endswith(word):
        return title
    if not (title.startswith("《") and title.endswith("》")):
        title = f"《{title}》"
    return f"{title}{word}"


Renderer = Callable[["Plan", Path, ExportOptions], None]


def renderer(fmt: str) -> Renderer:
    module = importlib.import_module(f"ansheng_cli.export.{FORMATS[fmt][0]}")
    render: Renderer = module.render
    return render


def choose_format(to: str | None, output: str | None) -> str:
    """The format asked for: ``--to``, else the output file's extension, else xlsx. A
    ``--to`` that contradicts the extension (``--to docx -o x.xlsx``) is refused."""
    from ansheng_cli.errors import UsageProblem

    by_ext = {ext: name for name, (_, ext) in FORMATS.items() if name != "progress-xlsx"}
    ext = (
        Path(output).suffix.lower()
        if output and output != "-" and not output.endswith(("/", "\\"))
        else ""
    )
    implied = by_ext.get(ext)
    if to is None:
        return implied or "xlsx"
    if to not in FORMATS:
        raise UsageProblem(f"不支持的导出格式“{to}”，可选：{'、'.join(FORMATS)}")
    if implied is not None and implied != to and FORMATS[to][1] != ext:
        raise UsageProblem(
            f"--to {to} 与输出文件的扩展名“{ext}”不符；请改用 {FORMATS[to][1]} 或去掉 --to"
        )
    return to
