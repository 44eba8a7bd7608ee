"""``ansheng export … --split``: one file per document, each written atomically.

The files go into a folder (``-o`` names it; the current folder without ``-o``), each named
after its document (《…》任务分工表.docx without the marks); two documents with the same
title get their id added. Inputs with errors are refused as by a single export.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ansheng_cli.export.formats import FORMATS, ExportOptions, ExportProblem, renderer

if TYPE_CHECKING:
    from ansheng_cli.config import Settings

SPLITTABLE = ("docx", "xlsx", "txt", "md")


def export_split(
    paths: Sequence[str],
    options: ExportOptions,
    settings: Settings,
    output: str | None = None,
    force: bool = False,
) -> list[Path]:
    """Render each document under ``paths`` into a file of its own; returns the files."""
    from dataclasses import replace

    from ansheng_cli.atomic import atomic_path, guard_output
    from ansheng_cli.export import build_plan, collector_paused, sanitise
    from ansheng_cli.plan.compiled import Plan
    from ansheng_cli.plan.files import collect
    from ansheng_cli.plan.registry import data_root

    if options.fmt not in SPLITTABLE:
        raise ExportProblem(f"--split 只用于 {'、'.join(SPLITTABLE)} 格式")
    if options.unit_view:
        raise ExportProblem("--split 按文件拆分，不能与 --by-unit/--unit 同用")
    if output == "-":
        raise ExportProblem("--split 输出多个文件，请用 -o 指定目录")
    folder = Path(output) if output else Path(".")
    if folder.exists() and not folder.is_dir():
        raise ExportProblem(f"--split 的 -o 应是目录：{folder}")
    folder.mkdir(parents=True, exist_ok=True)
    inputs = [p for _, p in collect(paths)]
    plan, _ = build_plan(paths, settings, force)
    if options.jurisdiction is not None:
        plan = plan.only(options.jurisdiction)
        if not plan.documents:
            raise ExportProblem(f"所选文件中没有地区“{options.jurisdiction}”的计划")
    if options.templates_dir is None:
        root = data_root(Path(paths[0]))
        if root is not None and (root / "templates").is_dir():
            options = replace(options, templates_dir=root / "templates")
    ext = FORMATS[options.fmt][1]
    titles = [d.title for d in plan.documents]
    render = renderer(options.fmt)
    written = []
    for doc in plan.documents:
        stem = f"{doc.title}任务分工表"
        if titles.count(doc.title) > 1:
            stem = f"{doc.title}（{doc.id}）任务分工表"
        target = folder / (sanitise(stem) + ext)
        guard_output(target, inputs)
        with atomic_path(target) as tmp, collector_paused():
            render(Plan([doc]), tmp, options)
        written.append(target)
    return written
