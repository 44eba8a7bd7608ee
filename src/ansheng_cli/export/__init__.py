"""The export use case: validate the inputs, compile the plan, render one file atomically.

A file with unsuppressed validation errors is refused (``force`` renders it anyway and
marks the output as unchecked); the output is written beside its target and renamed into
place, and may never be one of the input files.
"""

from __future__ import annotations

import contextlib
import gc
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ansheng_cli.errors import AnshengError
from ansheng_cli.export.formats import FORMATS, ExportOptions, ExportProblem, renderer
from ansheng_cli.plan.files import collect

if TYPE_CHECKING:  # the package stays light: ``--help`` reads the format table from here
    from ansheng_cli.config import Settings
    from ansheng_cli.plan.compiled import Plan
    from ansheng_cli.validate.result import Report

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class Refused(AnshengError):
    """Inputs with unsuppressed errors: shown with their findings (exit 1)."""

    exit_code = 1

    def __init__(self, report: Report) -> None:
        super().__init__("以上文件有未解决的错误，拒绝导出（确需导出请加 --force）")
        self.report = report

    def show(self, err: TextIO) -> None:
        from ansheng_cli.validate.reporters import reporter

        reporter("human")(self.report, err)
        super().show(err)


def sanitise(name: str, limit: int = 180) -> str:
    """A file name derived from a title: no path separators, reserved, control or
    direction-changing characters, and at most ``limit`` UTF-8 bytes (file systems count
    bytes: 255 is 85 Chinese characters), cut at a character boundary."""
    import unicodedata

    visible = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cf", "Cc"))
    clean = _UNSAFE.sub("_", visible).strip(" .")
    while len(clean.encode("utf-8")) > limit:
        clean = clean[:-1]
    return clean.rstrip(" .") or "ansheng"


def default_name(plan: Plan, options: ExportOptions) -> str:
    ext = FORMATS[options.fmt][1]
    if options.fmt == "progress-xlsx":
        stem = f"{options.unit}进展填报表"
    elif options.unit:
        stem = f"{options.unit}任务清单"
    elif options.by_unit:
        stem = "部门任务清单"
    elif len(plan.documents) == 1:
        stem = f"{plan.documents[0].title}任务分工表"
    else:
        stem = "任务分工表"
    return sanitise(stem) + ext


def build_plan(paths: Sequence[str], settings: Settings, force: bool) -> tuple[Plan, Report]:
    """Validate and compile file by file, so only compiled documents stay in memory. The
    same settings as ``ansheng validate`` apply (registry, size limit, selected codes)."""
    from ansheng_cli.plan.compiled import Plan, compile_document
    from ansheng_cli.validate.engine import Options, Validator, mark_duplicate_ids
    from ansheng_cli.validate.result import Report

    if settings.units is not None and not settings.units.is_file():
        raise ExportProblem(f"单位名录文件不存在：{settings.units}")
    validator = Validator(Options.from_settings(settings), keep_models=True)
    files, compiled = [], []
    from ansheng_cli.streams import progress

    for display, path in progress(collect(paths), "读取"):
        result = validator.check_file(display, path)
        if result.kind == "document" and result.model is not None:
            doc = compile_document(
                result.model, result.registry, display, not result.failed, settings.seasons
            )
            compiled.append(doc)
            result.model = None
        files.append(result)
    mark_duplicate_ids(files, validator.options)
    report = Report(files)
    documents = [r for r in files if r.kind in ("document", "unknown")]
    if not documents:
        raise ExportProblem("没有找到可导出的计划文件（schema: ansheng/v1）")
    if any(r.failed for r in files) and not force:
        raise Refused(report)
    if len(compiled) < len(documents):
        broken = [r.display for r in documents if not any(d.file == r.display for d in compiled)]
        raise (
            Refused(report)
            if not force
            else ExportProblem(f"文件无法读取或结构有错误，无法导出：{'、'.join(broken)}")
        )
    return Plan(compiled), report


def resolve_unit(plan: Plan, report: Report, unit: str) -> str:
    for r in report.files:
        if r.registry is not None:
            found = r.registry.resolve(unit)
            if found:
                unit = found.unit.name
                break
    if not plan.assignments(unit):
        raise ExportProblem(f"单位“{unit}”在所选文件中没有任务")
    return unit


BINARY = ("xlsx", "docx", "progress-xlsx")


def export(
    paths: Sequence[str],
    options: ExportOptions,
    settings: Settings,
    output: str | None = None,
    force: bool = False,
) -> Path | None:
    """Render the documents under ``paths``; returns the file written (None: to stdout)."""
    import sys

    from ansheng_cli.atomic import atomic_path, guard_output, output_target
    from ansheng_cli.plan.registry import data_root

    if options.fmt not in FORMATS:
        raise ExportProblem(f"不支持的导出格式“{options.fmt}”，可选：{'、'.join(FORMATS)}")
    if options.template is not None and options.fmt not in ("txt", "md"):
        raise ExportProblem("--template 只用于 txt 和 md 格式")
    if output == "-" and options.fmt in BINARY and sys.stdout.isatty():
        raise ExportProblem(f"{options.fmt} 是二进制格式，不能输出到终端；请用 -o 指定文件")
    inputs = [p for _, p in collect(paths)]
    plan, report = build_plan(paths, settings, force)
    if options.jurisdiction is not None:
        plan = plan.only(options.jurisdiction)
        if not plan.documents:
            raise ExportProblem(f"所选文件中没有地区“{options.jurisdiction}”的计划")
    if options.unit:
        options = ExportOptions(
            **{**options.__dict__, "unit": resolve_unit(plan, report, options.unit)}
        )
    if options.templates_dir is None:
        root = data_root(Path(paths[0]))
        if root is not None and (root / "templates").is_dir():
            options = ExportOptions(**{**options.__dict__, "templates_dir": root / "templates"})
    target = output_target(output, default_name(plan, options))
    render = renderer(options.fmt)
    if target is None:
        import tempfile

        with tempfile.TemporaryDirectory(prefix="ansheng-") as scratch, collector_paused():
            tmp = Path(scratch) / f"out{FORMATS[options.fmt][1]}"
            render(plan, tmp, options)
            data = tmp.read_bytes()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return None
    guard_output(target, inputs)
    if options.fmt == "progress-xlsx":
        from ansheng_cli.supervise.rounds import refuse_filled

        refuse_filled([target])
    with atomic_path(target) as tmp, collector_paused():
        render(plan, tmp, options)
    return target


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Rendering builds no reference cycles; full GC passes over a large plan only cost time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
