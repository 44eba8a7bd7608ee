"""The command line: wiring only. Each command merges its flags into the settings, calls one
use case and hands the result to a renderer; every refusal is an ``AnshengError`` shown once.

Imports are lazy: ``ansheng --version`` and ``--help`` load neither pydantic nor any
renderer's library.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ansheng_cli import i18n

i18n.install()

import typer  # noqa: E402  (after the catalog is installed)

from ansheng_cli import options as opt  # noqa: E402
from ansheng_cli.options import command  # noqa: E402

if TYPE_CHECKING:
    from ansheng_cli.config import Settings

i18n.localize_help_option()
i18n.localize_errors()
i18n.localize_completion()

app = typer.Typer(
    name="ansheng",
    help="安生：安全生产任务分工的校验、导出与督办工具。计划文件是 YAML，每次提交都可校验。",
    add_completion=True,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
)
progress_app = typer.Typer(
    help="进展填报：把各单位填好的进展填报表合并回计划文件，查看报送情况，复核销号。",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    options_metavar="[选项]",
    subcommand_metavar="命令 [参数]...",
)
app.add_typer(progress_app, name="progress", short_help="进展填报、报送情况、复核销号")


@app.callback()
def _root(
    version: opt.Version = False,
    quiet: opt.Quiet = False,
    verbose: opt.Verbose = False,
) -> None:
    """安生：安全生产任务分工的校验、导出与督办工具。"""
    from ansheng_cli import streams

    streams.VERBOSITY = -1 if quiet else 1 if verbose else 0


def _settings(**flags: Any) -> Settings:
    from ansheng_cli.config import command_settings

    return command_settings(**flags)


def _paths(given: list[str] | None) -> list[str]:
    from ansheng_cli.config import default_paths

    return default_paths(given)


def _echo(out: str, err: str = "", code: int | None = None) -> None:
    """Print a use case's (stdout, stderr) text; end with ``code`` when one is given."""
    if out:
        typer.echo(out, nl=False)
    if err:
        from ansheng_cli.streams import note

        note(err)
    if code is not None:
        raise typer.Exit(code)


@command(app, "validate", "校验计划文件，列出每个问题的位置和修改提示")
def validate_cmd(
    paths: opt.Paths = None,
    fmt: opt.Format = None,
    strict: opt.Strict = None,
    select: opt.Select = None,
    ignore: opt.Ignore = None,
    units: opt.Units = None,
    output: opt.Output = None,
    as_of: opt.AsOf = None,
    stdin_filename: opt.StdinFilename = None,
) -> None:
    """校验计划文件：列出每个问题的位置、代码、说明和修改提示。

    退出码：0 无错误（可有警告）；1 有错误（加 --strict 时警告也算）；2 无法运行（参数错误、路径不存在）。
    """
    from ansheng_cli.atomic import write_output
    from ansheng_cli.plan.files import collect
    from ansheng_cli.validate.engine import validate_paths
    from ansheng_cli.validate.reporters import render_report

    settings = _settings(
        format=fmt, strict=strict, select=opt.codes(select), ignore=opt.codes(ignore), units=units
    )
    report = validate_paths(_paths(paths), settings, opt.as_of_date(as_of), stdin_filename)
    inputs = [p for _, p in collect(_paths(paths))] if paths != ["-"] else []
    write_output(output, render_report(report, settings.format), inputs, "校验结果.txt")
    raise typer.Exit(report.exit_code)


@command(app, "export", "导出任务分工表（Excel、Word、文本等）")
def export_cmd(
    paths: opt.ExportPaths,
    to: opt.To = None,
    output: opt.ExportOutput = None,
    template: opt.Template = None,
    by_unit: opt.ByUnit = False,
    unit: opt.Unit = None,
    force: opt.Force = False,
    units: opt.Units = None,
    jurisdiction: opt.InJurisdiction = None,
    portrait: opt.Portrait = False,
    split: opt.Split = False,
    top: opt.TopUnits = 20,
    round_name: opt.Round = None,
    return_by: opt.ReturnBy = None,
    as_of: opt.AsOf = None,
) -> None:
    """导出任务分工表：Excel（xlsx）、可粘贴到 Word 的文本（txt/md）、Word 文档（docx）、json 或 csv。

    有未忽略错误的文件拒绝导出（加 --force 强制导出，输出标注“未通过校验”）。
    """
    from ansheng_cli.export import export
    from ansheng_cli.export.formats import ExportOptions, choose_format
    from ansheng_cli.export.split import export_split

    fmt = choose_format(to, output)
    if fmt == "progress-xlsx" and (unit is None or round_name):
        from ansheng_cli.supervise.rounds import start

        dates = opt.as_of_date(as_of), opt.as_of_date(return_by) if return_by else None
        _echo("", start(paths, _settings(units=units), output, unit, round_name, *dates, force))
        return
    settings = _settings(units=units)
    options = ExportOptions(
        fmt, by_unit, unit, template, None, jurisdiction, portrait, split, top_units=top,
        as_of=opt.as_of_date(as_of), lights=settings.lights,
    )  # fmt: skip
    run = export_split if split else export
    written = run(paths, options, settings, output, force)
    for path in written if isinstance(written, list) else [written] if written else []:
        _echo("", f"已导出：{path}")


@command(app, "import", "把现有计划（Word、Excel、文本等）转成草稿")
def import_cmd(
    file: opt.ImportFile,
    source_format: opt.ImportFrom = None,
    output: opt.ImportOutput = None,
    jurisdiction: opt.Jurisdiction = None,
    doc_id: opt.DocId = None,
    force: opt.Overwrite = False,
    sheet: opt.ImportSheet = None,
    units: opt.Units = None,
) -> None:
    """把现有计划（txt、docx、doc、wps、xlsx、xls、ods、et、html、pdf；doc 和 wps 经 LibreOffice 转换）转成 ansheng/v1 草稿 YAML，需人工核对处标有“# 待核对”。"""
    from ansheng_cli.importer import run

    settings = _settings(units=units)
    _echo(*run(file, output, force, settings, source_format, jurisdiction, doc_id, sheet))


@command(app, "fmt", "把文件整理成统一格式（保留注释）")
def fmt_cmd(
    paths: opt.FmtPaths = None, check: opt.Check = False, stdin_filename: opt.StdinFilename = None
) -> None:
    """把计划文件和单位名录整理成统一格式，全部注释保留；文件写完才替换原文件，中途出错原文件不变。"""
    from ansheng_cli.fmt import format_files, format_stdin, summary

    limit = _settings().max_file_bytes
    if paths == ["-"]:
        _echo(*format_stdin(stdin_filename or "-", check, limit))
    _echo(*summary(format_files(_paths(paths), check, limit), check))


@command(app, "fix", "自动修复可机械修改的问题（单位别名、文号括号等）")
def fix_cmd(
    paths: opt.FixPaths = None,
    diff: opt.FixDiff = False,
    select: opt.FixSelect = None,
    rename: opt.Rename = False,
    units: opt.Units = None,
) -> None:
    """自动修复校验能识别的机械性问题（ansheng rules 中标有“可自动修复”的代码）：单位别名、文号括号、
    单位名称和时限中的空格与全角数字；加 --rename-to-successors 时把已撤销的单位改为承接单位（W403）。
    只改动有问题的值，注释、缩进和其他内容保持不变。"""
    from ansheng_cli.fix import default_codes, fix_files, summary

    codes = (opt.codes(select) or default_codes()) + (("W403",) if rename else ())
    settings = _settings(units=units)
    results = fix_files(_paths(paths), codes, not diff, settings.units, settings.max_file_bytes)
    _echo(*summary(results, diff))


@command(app, "diff", "比较计划的两个版本")
def diff_cmd(
    old: opt.DiffOld, new: opt.DiffNew = None, git: opt.Git = None, fmt: opt.DiffFormat = "text"
) -> None:
    """比较一个计划的两个版本：新增、删除、重新编号、移动的任务，以及内容、单位和时限的变化。"""
    from ansheng_cli.diff import run

    _echo(*run(old, new, git, fmt))


@command(app, "init", "新建一个数据仓库")
def init_cmd(
    directory: opt.InitDir, hooks_repo: opt.HooksRepo = "", hooks_rev: opt.HooksRev = "",
    ci: opt.InitCi = None, install: opt.InitInstall = "",
) -> None:  # fmt: skip
    """新建一个数据仓库：示例计划文件和单位名录、设置、模板、JSON Schema、提交前检查（pre-commit）与 GitLab / GitHub 流水线配置、说明。

    已存在的文件不会被覆盖。
    """
    from ansheng_cli.scaffold import init

    _echo(init(directory, hooks_repo, hooks_rev, ci, install))


def _plan(paths: list[str] | None, units: Path | None, jurisdiction: str | None,
          parent: list[str] | None = None) -> Any:  # fmt: skip
    """The plan supervision reports on; with ``--parent`` the upper plan, rolled up."""
    from ansheng_cli.supervise import supervised_plan

    plan = supervised_plan(_paths(paths), settings := _settings(units=units), jurisdiction)
    if parent is None:
        return plan
    from ansheng_cli.supervise.rollup import rolled_up

    upper, line = rolled_up(plan, _paths(paths), parent, settings)
    _echo("", line + "\n")
    return upper


@command(app, "due", "督办：列出逾期和即将到期的任务")
def due_cmd(
    paths: opt.Paths = None,
    as_of: opt.AsOf = None,
    within: opt.Within = 30,
    unit: opt.DueUnit = None,
    fmt: opt.DueFormat = "text",
    output: opt.Output = None,
    units: opt.Units = None,
    jurisdiction: opt.InJurisdiction = None,
    parent: opt.RollupParent = None,
    notice: opt.Notice = False,
    template: opt.NoticeTemplate = None,
    round_name: opt.StatusRound = None,
) -> None:
    """督办：列出截至某日已逾期和即将到期的任务，按单位分组，牵头在前、配合在后。

    加 --notice 时为每个有逾期任务或未交回填报表的单位生成一份催办单（Word），按灯色分为提醒单、黄色督办单和红色督办单。
    """
    from ansheng_cli.supervise.due import due_items
    from ansheng_cli.supervise.views import write_due

    day = opt.as_of_date(as_of)
    plan = _plan(paths, units, jurisdiction, parent)
    settings = _settings(units=units)
    if unit is not None:
        from ansheng_cli.supervise.due import unit_named

        unit = unit_named(plan, unit, day, _paths(paths), settings.units)
    items = due_items(plan, day, within, unit, settings.lights)
    if notice:
        from ansheng_cli.supervise.reminders import write_notices

        if fmt != "text":
            from ansheng_cli.errors import UsageProblem

            raise UsageProblem("--notice 生成 Word 催办单，不能同时用 --format")

        _echo(
            "",
            write_notices(
                plan, items, day, settings, output, template, round_name, _paths(paths), unit
            ),
        )
        return
    _echo(*write_due(items, day, within, fmt, output))


@command(app, "stats", "统计各单位的任务量、逾期和完成情况")
def stats_cmd(
    paths: opt.Paths = None,
    as_of: opt.AsOf = None,
    fmt: opt.StatsFormat = "text",
    output: opt.Output = None,
    units: opt.Units = None,
    jurisdiction: opt.InJurisdiction = None,
    parent: opt.RollupParent = None,
    score: opt.Score = False,
    start: opt.ScoreFrom = None,
    end: opt.ScoreTo = None,
) -> None:
    """统计：各单位牵头、配合、逾期、已完成的任务数，各月到期任务数，各文件完成率。

    加 --score 时为考核得分：各单位按期完成率、逾期任务数、迟报和未报次数，得分按 ansheng.toml 中
    [score] 的 formula 计算（默认 100 × 按期完成率 − 5 × 逾期 − 3 × 迟报 − 5 × 未报）。
    """
    from ansheng_cli.atomic import emit
    from ansheng_cli.supervise.due import stats
    from ansheng_cli.supervise.views import stats_output

    if (start or end) and not score:
        from ansheng_cli.errors import UsageProblem

        raise UsageProblem("--from 和 --to 只用于 --score（考核的起止日期）")
    day = opt.as_of_date(as_of)
    plan = _plan(paths, units, jurisdiction, parent)
    if score:
        from ansheng_cli.supervise.score import score as scores

        first, last = opt.as_of_date(start) if start else None, opt.as_of_date(end or as_of)
        formula = _settings(units=units).score
        _echo(*scores(plan, _paths(paths), formula, first, last, fmt, output))
        return
    text = stats_output(stats(plan, day, _settings(units=units).lights), day, fmt)
    _echo(*emit(fmt, output, f"统计（截至{day}）", text))


@command(app, "report", "生成可打印的督办报告（HTML）")
def report_cmd(
    paths: opt.Paths = None,
    as_of: opt.AsOf = None,
    within: opt.Within = 30,
    output: opt.ReportOutput = "report.html",
    units: opt.Units = None,
    jurisdiction: opt.InJurisdiction = None,
    parent: opt.RollupParent = None,
    round_name: opt.StatusRound = None,
) -> None:
    """生成督办报告：一个离线可用、可打印的 HTML 页面（汇总、三色、报送情况、逾期清单、单位任务量、各月到期、各文件任务状态）。"""
    from ansheng_cli.atomic import emit
    from ansheng_cli.supervise.report import report

    plan = _plan(paths, units, jurisdiction, parent)
    settings = _settings(units=units)
    day = opt.as_of_date(as_of)
    page = report(plan, _paths(paths), day, within, settings, round_name, parent is not None)
    _echo(*emit("html", output, "督办报告", page))


@command(app, "trace", "对照上级方案，查看逐条分解落实情况")
def trace_cmd(
    children: opt.TraceChildren,
    parent: opt.TraceParent = None,
    fmt: opt.TraceFormat = "text",
    output: opt.Output = None,
    suggest: opt.Suggest = False,
) -> None:
    """上下级任务对照表：上级每项任务由本级哪些任务落实、牵头单位和时限、缺项，以及各章节分解率。"""
    from ansheng_cli.trace import trace

    _echo(*trace(children, parent or [], fmt, output, suggest, _settings()))


@command(app, "rules", "列出检查规则，或说明其中一条")
def rules_cmd(code: opt.RuleCode = None) -> None:
    """列出全部检查规则，或说明其中一条（含错误示例、正确示例和修改方法）。"""
    from ansheng_cli.validate.explain import rules_text

    _echo(rules_text(code))


@command(app, "schema", "输出 JSON Schema（供编辑器补全）")
def schema_cmd(kind: opt.SchemaKind = "all", output: opt.Output = None) -> None:
    """输出计划文件和单位名录的 JSON Schema（供编辑器 yaml-language-server 补全与检查）。"""
    from ansheng_cli.atomic import write_output
    from ansheng_cli.plan.schema import schema_text

    write_output(output, schema_text(kind) + "\n", default_name="ansheng.schema.json")


@command(progress_app, "import", "把填好的进展填报表合并回计划文件")
def progress_import_cmd(
    sheets: opt.Sheets, paths: opt.ImportInto = None, as_of: opt.AsOf = None
) -> None:
    """把进展填报表中填写的状态、进展和完成日期合并到计划文件（保留注释；只追加进展，不删除）。

    可一次给出多张表或整个目录，每张表一行小结；表中任务的编号或内容已变更的行会被拒绝，并说明行号。
    同一张表重复导入不会重复记录；属于某一督办轮次的表登记为已报送。
    """
    from ansheng_cli.supervise.returns import import_sheets

    day, limit = opt.as_of_date(as_of), _settings().max_file_bytes
    _echo(*import_sheets(sheets, paths, day, limit))


@command(progress_app, "status", "查看一轮督办的报送情况")
def progress_status_cmd(
    paths: opt.Paths = None, round_name: opt.StatusRound = None, fmt: opt.StatusFormat = "text",
    output: opt.Output = None,
) -> None:  # fmt: skip
    """一轮督办的报送情况：各单位已报送、部分报送、未报送，逾期报送，以及仍无任何进展的任务。"""
    from ansheng_cli.supervise.status import status

    _echo(*status(_paths(paths), _settings(), round_name, fmt, output))


@command(progress_app, "confirm", "复核销号：确认单位报告的“已完成”")
def progress_confirm_cmd(
    tasks: opt.ConfirmTasks, by: opt.ConfirmBy, paths: opt.ImportInto = None,
    day: opt.ConfirmDate = None,
) -> None:  # fmt: skip
    """复核销号：把单位报告“已完成”的任务改为“已销号”，并记录复核人和日期（confirmed）。"""
    from ansheng_cli.supervise.confirm import confirm

    _echo(*confirm(tasks, by, opt.as_of_date(day), _paths(paths), _settings().max_file_bytes))


def main() -> None:
    """Entry point: a failure the tool did not foresee is said plainly, not as a traceback
    (set ANSHENG_DEBUG=1 to see it)."""
    import os

    from ansheng_cli import streams

    streams.prepare()
    try:
        app()
    except Exception as exc:
        if os.environ.get("ANSHENG_DEBUG"):
            raise
        typer.echo(
            f"错误：内部错误 {type(exc).__name__}: {exc}（设置 ANSHENG_DEBUG=1 可查看详情）",
            err=True,
        )
        raise SystemExit(2) from None
