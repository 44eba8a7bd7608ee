"""The command line. Thin: parse flags, call one use case, hand the result to a renderer.

Imports are lazy: ``ansheng --version`` and ``--help`` load neither pydantic nor any
renderer's library.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

from ansheng_cli import __version__, i18n

i18n.install()

import typer  # noqa: E402  (after the catalog is installed)

from ansheng_cli import options as opt  # noqa: E402

i18n.localize_help_option()

app = typer.Typer(
    name="ansheng",
    help="安生：安全生产任务分工的校验、导出与督办工具。计划文件是 YAML，每次提交都可校验。",
    add_completion=False,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ansheng {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", help="显示版本号并退出", callback=_version, is_eager=True),
    ] = False,
) -> None:
    """安生：安全生产任务分工的校验、导出与督办工具。"""


def _fail(message: str) -> typer.Exit:
    typer.echo(f"错误：{message}", err=True)
    return typer.Exit(2)


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _fail(f"日期“{value}”无效，应写成 YYYY-MM-DD") from None


def _codes(values: list[str] | None) -> tuple[str, ...]:
    return tuple(c.strip().upper() for v in values or [] for c in v.split(",") if c.strip())


@app.command("validate")
def validate_cmd(
    paths: opt.Paths = None,
    fmt: opt.Format = None,
    strict: opt.Strict = None,
    select: opt.Select = None,
    ignore: opt.Ignore = None,
    units: opt.Units = None,
    output: opt.Output = None,
    as_of: opt.AsOf = None,
) -> None:
    """校验计划文件：列出每个问题的位置、代码、说明和修改提示。

    退出码：0 无错误（可有警告）；1 有错误（加 --strict 时警告也算）；2 无法运行（参数错误、路径不存在）。
    """
    from pathlib import Path

    from ansheng_cli.config import ConfigProblem, find_config
    from ansheng_cli.validate.engine import Options, UsageProblem, Validator
    from ansheng_cli.validate.reporters import FORMATS, reporter

    try:
        config = find_config(Path.cwd())
    except ConfigProblem as exc:
        raise _fail(str(exc)) from None
    name = fmt or config.get("format", "human")
    if name not in FORMATS:
        raise _fail(f"不支持的输出格式“{name}”，可选：{'、'.join(FORMATS)}")
    units_path = units or (Path(config.get("units")) if config.get("units") else None)
    if units_path is not None and not units_path.is_file():
        raise _fail(f"单位名录文件不存在：{units_path}")
    options = Options(
        select=_codes(select) or _codes(config.get("select")),
        ignore=_codes(ignore) or _codes(config.get("ignore")),
        strict=bool(config.get("strict", False)) if strict is None else strict,
        units=units_path,
        max_file_bytes=int(config.get("max_file_bytes", 10 * 1024 * 1024)),
        as_of=_as_of(as_of),
    )
    try:
        report = Validator(options).run(paths or ["data"])
    except UsageProblem as exc:
        raise _fail(str(exc)) from None
    render = reporter(name)
    if output is None:
        render(report, sys.stdout)
    else:
        import io

        from ansheng_cli.atomic import write_text_atomic

        buffer = io.StringIO()
        render(report, buffer)
        write_text_atomic(output, buffer.getvalue())
    raise typer.Exit(report.exit_code)


@app.command("export")
def export_cmd(
    paths: opt.ExportPaths,
    to: opt.To = "xlsx",
    output: opt.ExportOutput = None,
    template: opt.Template = None,
    by_unit: opt.ByUnit = False,
    unit: opt.Unit = None,
    force: opt.Force = False,
    units: opt.Units = None,
) -> None:
    """导出任务分工表：Excel（xlsx）、可粘贴到 Word 的文本（txt/md）、Word 文档（docx）、json 或 csv。

    有未忽略错误的文件拒绝导出（加 --force 强制导出，输出标注“未通过校验”）。
    """
    from ansheng_cli.export import Refused, export
    from ansheng_cli.export.formats import FORMATS, ExportOptions, ExportProblem
    from ansheng_cli.validate.reporters import reporter

    if to not in FORMATS:
        raise _fail(f"不支持的导出格式“{to}”，可选：{'、'.join(FORMATS)}")
    if template is not None and to not in ("txt", "md"):
        raise _fail("--template 只用于 txt 和 md 格式")
    options = ExportOptions(fmt=to, by_unit=by_unit, unit=unit, template=template)
    try:
        written = export(paths, options, output=output, force=force, units=units)
    except Refused as refused:
        reporter("human")(refused.report, sys.stderr)
        typer.echo("错误：以上文件有未解决的错误，拒绝导出（确需导出请加 --force）", err=True)
        raise typer.Exit(1) from None
    except ExportProblem as exc:
        raise _fail(str(exc)) from None
    typer.echo(f"已导出：{written}")


@app.command("import")
def import_cmd(
    file: Annotated[
        Path, typer.Argument(help="要导入的文件：.txt、.docx 或 .xlsx", show_default=False)
    ],
    source_format: Annotated[
        str | None,
        typer.Option(
            "--from", help="文件格式：txt、docx、xlsx（默认按扩展名）", show_default=False
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="输出的 YAML 文件（默认输出到终端）", show_default=False
        ),
    ] = None,
    jurisdiction: Annotated[
        str | None,
        typer.Option("--jurisdiction", help="地区（对应单位名录），如 兴化市", show_default=False),
    ] = None,
    doc_id: Annotated[
        str | None,
        typer.Option("--id", help="文件 id（小写字母、数字和连字符）", show_default=False),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> None:
    """把现有计划（txt、docx、xlsx）转成 ansheng/v1 草稿 YAML，需人工核对处标有“# 待核对”。"""
    from ansheng_cli.importer import ImportProblem, import_file

    if not file.is_file():
        raise _fail(f"文件不存在：{file}")
    if output is not None and output.exists() and not force:
        raise _fail(f"输出文件已存在：{output}（确需覆盖请加 --force）")
    if output is not None and output.resolve() == file.resolve():
        raise _fail("输出文件不能是输入文件本身")
    try:
        text, encoding = import_file(file, source_format, jurisdiction, doc_id)
    except ImportProblem as exc:
        raise _fail(str(exc)) from None
    if output is None:
        typer.echo(text, nl=False)
        return
    from ansheng_cli.atomic import write_text_atomic

    write_text_atomic(output, text)
    doubts = text.count("待核对：")
    typer.echo(f"已导入：{output}（按 {encoding} 读取；{doubts} 处待核对）", err=True)


@app.command("fmt")
def fmt_cmd(
    paths: opt.Paths = None,
    check: Annotated[
        bool, typer.Option("--check", help="只检查不改动：列出差异，不合规范时退出码为 1")
    ] = False,
) -> None:
    """把计划文件和单位名录整理成统一格式（保留全部注释），写入是原子的。"""
    from ansheng_cli.fmt import format_files
    from ansheng_cli.validate.engine import UsageProblem

    try:
        outcomes = format_files(paths or ["data"], check)
    except UsageProblem as exc:
        raise _fail(str(exc)) from None
    problems = [o for o in outcomes if o.problem]
    changed = [o for o in outcomes if o.changed]
    for o in problems:
        typer.echo(f"错误：{o.problem}", err=True)
    if check:
        for o in changed:
            typer.echo(o.diff, nl=False)
        typer.echo(f"检查了 {len(outcomes)} 个文件：{len(changed)} 个需要格式化", err=True)
    else:
        typer.echo(f"格式化了 {len(changed)} 个文件（共 {len(outcomes)} 个）", err=True)
    raise typer.Exit(1 if problems or (check and changed) else 0)


@app.command("fix")
def fix_cmd(
    paths: opt.Paths = None,
    diff: Annotated[bool, typer.Option("--diff", help="只列出将要做的修改，不写入")] = False,
    select: opt.Select = None,
    rename: Annotated[
        bool,
        typer.Option("--rename-to-successors", help="把已撤销或更名的单位改为承接单位（W403）"),
    ] = False,
    units: opt.Units = None,
) -> None:
    """自动修复校验能识别的机械性问题：单位别名（W402）、文号括号（W701）、单位名称和时限中的空格与全角数字（W408、W506），
    加 --rename-to-successors 时把已撤销的单位改为承接单位（W403）。注释和其他内容保持不变。"""
    import difflib

    from ansheng_cli.fix import fix_files
    from ansheng_cli.validate.engine import UsageProblem

    codes = _codes(select) or ("W408", "W402", "W506", "W701") + (("W403",) if rename else ())
    try:
        results = fix_files(paths or ["data"], codes, rename, write=not diff, units=units)
    except UsageProblem as exc:
        raise _fail(str(exc)) from None
    total = 0
    for r in results:
        if r.problem:
            typer.echo(f"错误：{r.problem}", err=True)
            continue
        assert r.fixed is not None
        for c in r.fixed.changes:
            total += 1
            typer.echo(f"{r.display}:{c.line}: {c.code} “{c.old}” → “{c.new}”")
        if diff and r.fixed.changes:
            typer.echo(
                "".join(
                    difflib.unified_diff(
                        r.fixed.original.splitlines(keepends=True),
                        r.fixed.text.splitlines(keepends=True),
                        fromfile=f"a/{r.display}",
                        tofile=f"b/{r.display}",
                    )
                ),
                nl=False,
            )
    verb = "可修复" if diff else "已修复"
    typer.echo(f"{verb} {total} 处（检查了 {len(results)} 个文件）", err=True)
    raise typer.Exit(1 if any(r.problem for r in results) else 0)


@app.command("diff")
def diff_cmd(
    old: Annotated[
        Path, typer.Argument(help="旧版本文件（用 --git 时为要比较的文件）", show_default=False)
    ],
    new: Annotated[Path | None, typer.Argument(help="新版本文件", show_default=False)] = None,
    git: Annotated[
        str | None,
        typer.Option("--git", help="与 git 中的某个版本比较，如 HEAD、main", show_default=False),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text、json、md")] = "text",
) -> None:
    """比较一个计划的两个版本：新增、删除、重新编号、移动的任务，以及内容、单位和时限的变化。"""
    import json

    from ansheng_cli.diff import compare, describe, load_document, load_from_git, markdown

    if fmt not in ("text", "json", "md"):
        raise _fail(f"不支持的输出格式“{fmt}”，可选：text、json、md")
    if git is None and new is None:
        raise _fail("请给出两个文件，或用 --git 版本号 与 git 中的版本比较")
    try:
        if git is not None:
            before, before_name = load_from_git(git, old), f"{git}:{old}"
            after, after_name = load_document(old), str(old)
        else:
            assert new is not None
            before, before_name = load_document(old), str(old)
            after, after_name = load_document(new), str(new)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    changes = compare(before, after)
    if fmt == "json":
        data = {"old": before_name, "new": after_name, "changes": [c.as_dict() for c in changes]}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    elif fmt == "md":
        typer.echo(markdown(changes, before_name, after_name), nl=False)
    else:
        for c in changes:
            typer.echo(describe(c))
        typer.echo(f"共 {len(changes)} 处变化（{before_name} → {after_name}）", err=True)


@app.command("init")
def init_cmd(
    directory: Annotated[Path, typer.Argument(help="新数据仓库的目录（不存在则创建）")],
    hooks_repo: Annotated[
        str,
        typer.Option("--hooks-repo", help="pre-commit 钩子所在的 ansheng 仓库（网址或本地路径）"),
    ] = "https://github.com/ansheng/ansheng",
    hooks_rev: Annotated[
        str, typer.Option("--hooks-rev", help="钩子仓库的版本（标签或提交号）")
    ] = "v0.1.0",
) -> None:
    """新建一个数据仓库：示例计划文件和单位名录、设置、模板、JSON Schema、pre-commit 与 GitHub Actions 配置、说明。

    已存在的文件不会被覆盖。
    """
    from importlib.resources import files

    from ansheng_cli import scaffold
    from ansheng_cli.plan.schema import schema_text

    if directory.exists() and not directory.is_dir():
        raise _fail(f"{directory} 已存在且不是目录")
    templates = {
        p.name: p.read_text(encoding="utf-8")
        for p in files("ansheng_cli.templates").iterdir()
        if p.name.endswith((".txt.j2", ".md.j2"))  # the export templates a repository may override
    }
    if (hooks_repo is None) != (hooks_rev is None):
        raise _fail("--hooks-repo 与 --hooks-rev 需同时给出")
    install = f"git+{hooks_repo}@{hooks_rev}" if hooks_repo and "://" in hooks_repo else "ansheng"
    planned = scaffold.plan(schema_text("all") + "\n", templates, hooks_repo, hooks_rev, install)
    directory.mkdir(parents=True, exist_ok=True)
    written, kept = scaffold.write(directory, planned)
    for path in written:
        typer.echo(f"已创建：{directory / path}")
    for path in kept:
        typer.echo(f"已存在，未改动：{directory / path}")


def _plan_for(paths: list[str] | None, units: Path | None):  # type: ignore[no-untyped-def]
    """The compiled plan of the given files; files with errors are used but named."""
    from ansheng_cli.export import build_plan
    from ansheng_cli.export.formats import ExportProblem
    from ansheng_cli.validate.engine import UsageProblem

    try:
        plan, report = build_plan(paths or ["data"], units, force=True)
    except (UsageProblem, ExportProblem) as exc:
        raise _fail(str(exc)) from None
    failed = [r.display for r in report.files if r.failed]
    if failed:
        typer.echo(f"注意：以下文件有未解决的错误，结果仅供参考：{'、'.join(failed)}", err=True)
    return plan


@app.command("due")
def due_cmd(
    paths: opt.Paths = None,
    as_of: opt.AsOf = None,
    within: Annotated[int, typer.Option("--within", help="列出多少天内到期的任务")] = 30,
    unit: opt.Unit = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text、json、xlsx")] = "text",
    output: opt.Output = None,
    units: opt.Units = None,
) -> None:
    """督办：列出截至某日已逾期和即将到期的任务，按单位分组，牵头在前、配合在后。"""
    from ansheng_cli.supervise import views as views
    from ansheng_cli.supervise.due import due_items

    if fmt not in ("text", "json", "xlsx"):
        raise _fail(f"不支持的输出格式“{fmt}”，可选：text、json、xlsx")
    if fmt == "xlsx" and output is None:
        raise _fail("xlsx 格式需要用 -o 指定输出文件")
    day = _as_of(as_of)
    plan = _plan_for(paths, units)
    items = due_items(plan, day, within, unit)
    if fmt == "xlsx":
        assert output is not None
        from ansheng_cli.atomic import atomic_path

        with atomic_path(output) as tmp:
            views.due_xlsx(items, day, tmp)
        typer.echo(f"已导出：{output}")
        return
    text = (
        views.due_json(items, day, within) if fmt == "json" else views.due_text(items, day, within)
    )
    if output is None:
        typer.echo(text, nl=False)
    else:
        from ansheng_cli.atomic import write_text_atomic

        write_text_atomic(output, text)


@app.command("stats")
def stats_cmd(
    paths: opt.Paths = None,
    as_of: opt.AsOf = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="输出格式：text、json")] = "text",
    units: opt.Units = None,
) -> None:
    """统计：各单位牵头、配合、逾期、已完成的任务数，各月到期任务数，各文件完成率。"""
    from ansheng_cli.supervise import views as views
    from ansheng_cli.supervise.due import stats

    if fmt not in ("text", "json"):
        raise _fail(f"不支持的输出格式“{fmt}”，可选：text、json")
    day = _as_of(as_of)
    result = stats(_plan_for(paths, units), day)
    typer.echo(
        views.stats_json(result, day) if fmt == "json" else views.stats_text(result, day), nl=False
    )


@app.command("report")
def report_cmd(
    paths: opt.Paths = None,
    as_of: opt.AsOf = None,
    within: Annotated[int, typer.Option("--within", help="多少天内到期算“将到期”")] = 30,
    output: Annotated[Path, typer.Option("--output", "-o", help="输出的 HTML 文件")] = Path(
        "report.html"
    ),
    units: opt.Units = None,
) -> None:
    """生成督办报告：一个离线可用、可打印的 HTML 页面（汇总、逾期清单、单位任务量、各月到期、各文件任务状态）。"""
    from ansheng_cli.atomic import write_text_atomic
    from ansheng_cli.supervise.report import render

    page = render(_plan_for(paths, units), _as_of(as_of), within)
    write_text_atomic(output, page)
    typer.echo(f"已生成：{output}")


@app.command("rules")
def rules_cmd(
    code: Annotated[
        str | None, typer.Argument(help="规则代码（如 W301）或名称；省略则列出全部")
    ] = None,
) -> None:
    """列出全部检查规则，或说明其中一条（含错误示例、正确示例和修改方法）。"""
    from ansheng_cli.validate.docs import find
    from ansheng_cli.validate.explain import explain, listing

    if code is None:
        typer.echo(listing())
        return
    doc = find(code)
    if doc is None:
        raise _fail(f"没有规则“{code}”；运行 ansheng rules 查看全部")
    typer.echo(explain(doc))


@app.command("schema")
def schema_cmd(
    kind: Annotated[
        str,
        typer.Argument(
            help="all（两种文件，按 schema 字段区分，默认）、document（计划文件）或 units（单位名录）"
        ),
    ] = "all",
    output: opt.Output = None,
) -> None:
    """输出计划文件和单位名录的 JSON Schema（供编辑器 yaml-language-server 补全与检查）。"""
    from ansheng_cli.plan.schema import schema_text

    try:
        text = schema_text(kind)
    except KeyError:
        raise _fail(f"未知的类型“{kind}”，可选：document、units、all") from None
    if output is None:
        typer.echo(text)
    else:
        from ansheng_cli.atomic import write_text_atomic

        write_text_atomic(output, text + "\n")


progress_app = typer.Typer(
    help="进展填报：把各单位填好的进展填报表合并回计划文件。", no_args_is_help=True
)
app.add_typer(progress_app, name="progress")


@progress_app.command("import")
def progress_import_cmd(
    sheet: Annotated[Path, typer.Argument(help="填好的进展填报表（.xlsx）", show_default=False)],
    paths: opt.Paths = None,
    as_of: opt.AsOf = None,
) -> None:
    """把进展填报表中填写的状态、进展和完成日期合并到计划文件（保留注释；只追加进展，不删除）。

    表中任务的编号或内容已变更的行会被拒绝，并说明行号。同一张表重复导入不会重复记录。
    """
    from ansheng_cli.plan.loader import load_file
    from ansheng_cli.supervise.progress import merge, read_sheet
    from ansheng_cli.validate.engine import UsageProblem, collect

    if not sheet.is_file():
        raise _fail(f"文件不存在：{sheet}")
    try:
        rows, problems = read_sheet(sheet)
        files = {}
        for _, path in collect(paths or ["data"]):
            data = load_file(path).data
            if isinstance(data, dict) and isinstance(data.get("document"), dict):
                files[str(data["document"].get("id"))] = path
    except (ValueError, UsageProblem) as exc:
        raise _fail(str(exc)) from None
    result = merge(rows, files, _as_of(as_of))
    for line in result.applied:
        typer.echo(line)
    for line in [*problems, *result.refused]:
        typer.echo(f"拒绝：{line}", err=True)
    typer.echo(
        f"合并了 {len(result.applied)} 项，拒绝 {len(problems) + len(result.refused)} 行，"
        f"修改了 {len(result.changed_files)} 个文件",
        err=True,
    )
    raise typer.Exit(1 if problems or result.refused else 0)


def main() -> None:
    """Entry point: a failure the tool did not foresee is said plainly, not as a traceback
    (set ANSHENG_DEBUG=1 to see it)."""
    import os

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
