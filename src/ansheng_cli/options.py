"""Typer options defined once, so a flag and its Chinese help read the same everywhere, and
the one way a command is registered."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from ansheng_cli.export.formats import FORMATS as EXPORT_FORMATS
from ansheng_cli.importer import FORMATS as IMPORT_FORMATS

Paths = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="路径",
        help="要检查的文件或目录（目录中的 *.yaml / *.yml 全部检查）；默认 data/",
        show_default=False,
    ),
]
Format = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        help="输出格式：human（默认）、json、github、sarif、gitlab、junit",
        show_default=False,
    ),
]
Strict = Annotated[
    bool | None,
    typer.Option(
        "--strict/--no-strict", help="有未忽略的警告也以退出码 1 结束", show_default=False
    ),
]
Select = Annotated[
    list[str] | None,
    typer.Option(
        "--select",
        help="只检查这些代码或前缀，可逗号分隔或重复给出，如 W3,E401",
        show_default=False,
    ),
]
Ignore = Annotated[
    list[str] | None,
    typer.Option("--ignore", help="不检查这些代码或前缀，如 W505", show_default=False),
]
Units = Annotated[
    Path | None,
    typer.Option(
        "--units",
        help="指定单位名录文件（默认按 jurisdiction 在 data/departments/ 中查找）",
        show_default=False,
    ),
]
Output = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="把结果写入文件或目录（以 / 结尾表示目录）；默认或写 - 时输出到终端",
        show_default=False,
    ),
]
ExportPaths = Annotated[
    list[str],
    typer.Argument(metavar="路径", help="要导出的计划文件或目录（可多个）", show_default=False),
]
To = Annotated[
    str | None,
    typer.Option(
        "--to",
        "-t",
        help="导出格式：" + "、".join(EXPORT_FORMATS) + "（默认按 -o 的扩展名，否则 xlsx）",
        show_default=False,
    ),
]
ExportOutput = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        help="输出文件或目录（以 / 结尾表示目录，不存在则创建；文件名默认按标题）；- 表示输出到终端",
        show_default=False,
    ),
]
Template = Annotated[
    Path | None,
    typer.Option(
        "--template", help="用自己的 Jinja 模板导出 txt/md（在沙箱中运行）", show_default=False
    ),
]
Notice = Annotated[
    bool,
    typer.Option("--notice", help="生成催办单：每个需催办的单位一份 Word 文档（-o 为目录）"),
]
NoticeTemplate = Annotated[
    Path | None,
    typer.Option(
        "--template", help="催办单模板（.docx，可在 Word 中修改内置模板后使用）", show_default=False
    ),
]
ByUnit = Annotated[
    bool, typer.Option("--by-unit", help="按单位汇总：导出各单位的任务清单（可跨多个文件）")
]
Unit = Annotated[
    str | None,
    typer.Option("--unit", help="只导出这个单位的任务清单（可写别名）", show_default=False),
]
Force = Annotated[bool, typer.Option("--force", help="有错误也导出，输出标注“未通过校验”")]
AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="按这一天计算（YYYY-MM-DD，默认今天）", show_default=False),
]

Within = Annotated[
    int, typer.Option("--within", min=0, help="多少天内到期算“即将到期”（不小于 0）")
]
DueUnit = Annotated[
    str | None,
    typer.Option("--unit", help="只列出这个单位的任务（可写别名）", show_default=False),
]
DueFormat = Annotated[str, typer.Option("--format", "-f", help="输出格式：text、json、xlsx")]
StatsFormat = Annotated[
    str, typer.Option("--format", "-f", help="输出格式：text、json（--score 时还可 md、xlsx）")
]
Score = Annotated[
    bool, typer.Option("--score", help="考核得分：按期完成率、逾期、迟报、未报和得分")
]
ScoreFrom = Annotated[
    str | None,
    typer.Option("--from", help="考核期起始日（YYYY-MM-DD；默认不限）", show_default=False),
]
ScoreTo = Annotated[
    str | None,
    typer.Option(
        "--to", help="考核期截止日（YYYY-MM-DD；默认 --as-of 或今天）", show_default=False
    ),
]
ReportOutput = Annotated[
    str, typer.Option("--output", "-o", help="输出的 HTML 文件或目录（以 / 结尾表示目录）")
]
FmtPaths = Annotated[
    list[str] | None,
    typer.Argument(metavar="路径", help="要整理格式的文件或目录；默认 data/", show_default=False),
]
Check = Annotated[
    bool, typer.Option("--check", help="只检查不改动：列出差异，需要整理时退出码为 1")
]
FixPaths = Annotated[
    list[str] | None,
    typer.Argument(metavar="路径", help="要修复的文件或目录；默认 data/", show_default=False),
]
FixDiff = Annotated[
    bool, typer.Option("--diff", help="只列出将要做的修改，不写入；有待修改时退出码为 1")
]
FixSelect = Annotated[
    list[str] | None,
    typer.Option("--select", help="只修复这些代码或前缀，如 W402,W701", show_default=False),
]
Rename = Annotated[
    bool,
    typer.Option("--rename-to-successors", help="把已撤销或更名的单位改为承接单位（W403）"),
]
ImportFile = Annotated[
    Path,
    typer.Argument(
        metavar="文件",
        help="要导入的文件：.txt、.docx、.doc、.wps、.xlsx、.xls、.ods、.et、.html 或 .pdf",
        show_default=False,
    ),
]
ImportFrom = Annotated[
    str | None,
    typer.Option(
        "--from",
        help="文件格式：" + "、".join(IMPORT_FORMATS) + "（默认按扩展名；pdf 需安装 ansheng[pdf]）",
        show_default=False,
    ),
]
ImportSheet = Annotated[
    str | None,
    typer.Option(
        "--sheet", help="Excel 中任务表所在的工作表：名称或序号（默认自动识别）", show_default=False
    ),
]
ImportOutput = Annotated[
    str | None,
    typer.Option("--output", "-o", help="输出的 YAML 文件（默认输出到终端）", show_default=False),
]
Jurisdiction = Annotated[
    str | None,
    typer.Option("--jurisdiction", help="地区（对应单位名录），如 兴化市", show_default=False),
]
DocId = Annotated[
    str | None,
    typer.Option("--id", help="文件 id（小写字母、数字和连字符）", show_default=False),
]
Overwrite = Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")]
DiffOld = Annotated[
    Path,
    typer.Argument(
        metavar="旧文件", help="旧版本文件（用 --git 时为要比较的文件）", show_default=False
    ),
]
DiffNew = Annotated[
    Path | None, typer.Argument(metavar="新文件", help="新版本文件", show_default=False)
]
Git = Annotated[
    str | None,
    typer.Option("--git", help="与 git 中的某个版本比较，如 HEAD、main", show_default=False),
]
DiffFormat = Annotated[str, typer.Option("--format", "-f", help="输出格式：text、json、md")]
InitDir = Annotated[Path, typer.Argument(metavar="目录", help="新数据仓库的目录（不存在则创建）")]
HooksRepo = Annotated[
    str,
    typer.Option("--hooks-repo", help="pre-commit 钩子所在的 ansheng 仓库（网址或本地路径）"),
]
HooksRev = Annotated[str, typer.Option("--hooks-rev", help="钩子仓库的版本（标签或提交号）")]
InitCi = Annotated[
    str | None,
    typer.Option(
        "--ci",
        metavar="github|gitlab|gitee|none",
        help="生成哪种自动检查配置：github、gitlab、gitee（用提交前检查，写入说明）或 none；"
        "默认同时生成 GitLab 和 GitHub 的",
    ),
]
InitInstall = Annotated[
    str,
    typer.Option(
        "--install",
        help="流水线安装 ansheng 的来源：包名、wheel 文件网址或 git+网址@版本"
        "（默认 ansheng，写了 --hooks-repo 网址时用该仓库）",
    ),
]
RuleCode = Annotated[
    str | None, typer.Argument(metavar="代码", help="规则代码（如 W301）或名称；省略则列出全部")
]
SchemaKind = Annotated[
    str,
    typer.Argument(
        metavar="类型",
        help="all（两种文件，按 schema 字段区分，默认）、document（计划文件）或 units（单位名录）",
    ),
]
Sheets = Annotated[
    list[Path],
    typer.Argument(
        metavar="填报表或目录...",
        help="填好的进展填报表（.xlsx、.xls、.ods、.et），或放填报表的目录（可给多个）",
        show_default=False,
    ),
]
ImportInto = Annotated[
    list[str] | None,
    typer.Option(
        "--into", help="合并到这些计划文件或目录（可多次给出；默认 data/）", show_default=False
    ),
]
Round = Annotated[
    str | None,
    typer.Option(
        "--round",
        help="督办轮次名称（如 2024年第二季度）：记录在 data/progress/ 中，供 progress status 查看",
        show_default=False,
    ),
]
ReturnBy = Annotated[
    str | None,
    typer.Option("--return-by", help="报送期限（YYYY-MM-DD）", show_default=False),
]
StatusRound = Annotated[
    str | None,
    typer.Option("--round", help="督办轮次名称（默认最近一轮）", show_default=False),
]
StatusFormat = Annotated[str, typer.Option("--format", "-f", help="输出格式：text、md、json、xlsx")]
ConfirmTasks = Annotated[
    list[str],
    typer.Argument(
        metavar="任务...",
        help="要复核销号的任务：文件id#任务编号（如 xinghua-2020-workpoints#3）",
        show_default=False,
    ),
]
ConfirmBy = Annotated[str, typer.Option("--by", help="复核人（记录在计划文件中）")]
ConfirmDate = Annotated[
    str | None,
    typer.Option("--date", help="复核日期（YYYY-MM-DD，默认今天）", show_default=False),
]
InJurisdiction = Annotated[
    str | None,
    typer.Option(
        "--jurisdiction",
        help="只看这个地区的计划（同名单位按地区区分，如 兴化市）",
        show_default=False,
    ),
]


def as_of_date(value: str | None) -> dt.date:
    """``--as-of``: a YYYY-MM-DD date, today when not given."""
    from ansheng_cli.errors import UsageProblem

    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageProblem(f"日期“{value}”无效，应写成 YYYY-MM-DD") from None


StdinFilename = Annotated[
    str | None,
    typer.Option(
        "--stdin-filename",
        help="从标准输入读取（路径写 -）时，结果中使用的文件名，如 data/tasks/plan.yaml",
        show_default=False,
    ),
]


F = TypeVar("F", bound=Callable[..., Any])


def command(group: typer.Typer, name: str, short: str) -> Callable[[F], F]:
    """Register a command whose ``AnshengError`` is shown in Chinese with its exit code;
    ``short`` is its line in ``ansheng --help`` (short enough for 80 columns, never cut)."""

    def register(fn: F) -> F:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> Any:
            from ansheng_cli.errors import AnshengError

            try:
                return fn(*args, **kwargs)
            except AnshengError as exc:
                exc.show(sys.stderr)
                raise typer.Exit(exc.exit_code) from None

        group.command(name, short_help=short)(run)
        return fn

    return register


Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="只输出结果，不输出提示和统计")]
Verbose = Annotated[bool, typer.Option("--verbose", "-v", help="另外显示用了哪个设置文件等细节")]


def codes(values: list[str] | None) -> tuple[str, ...]:
    """``--select W3,E401 --select W5`` → (W3, E401, W5)."""
    from ansheng_cli.config import parse_codes

    return parse_codes(values or [])


TraceChildren = Annotated[
    list[str], typer.Argument(metavar="本级文件", help="本级计划文件或目录", show_default=False)
]
TraceParent = Annotated[
    list[str] | None,
    typer.Option(
        "--parent",
        "-p",
        help="上级计划文件或目录（可多次给出；不给时按 document.parents 和 implements 在数据仓库中查找）",
        show_default=False,
    ),
]
RollupParent = Annotated[
    list[str] | None,
    typer.Option(
        "--parent",
        help="按上级计划汇总：上级每项任务的状态和进展取自落实它的本级任务（上级计划文件或目录，可多次给出）",
        show_default=False,
    ),
]
TraceFormat = Annotated[str, typer.Option("--format", "-f", help="输出格式：text、md、json、xlsx")]
Suggest = Annotated[
    bool,
    typer.Option(
        "--suggest",
        help="按文字相似度为未写 implements 的本级任务建议上级任务（显示分数和相同的词句）",
    ),
]


def _show_version(value: bool) -> None:
    if value:
        from ansheng_cli import __version__

        typer.echo(f"ansheng {__version__}")
        raise typer.Exit()


Version = Annotated[
    bool,
    typer.Option("--version", "-V", help="显示版本号并退出", callback=_show_version, is_eager=True),
]

Portrait = Annotated[bool, typer.Option("--portrait", help="Word 任务分工表用纵向页面（默认横向）")]
Split = Annotated[
    bool,
    typer.Option("--split", help="每个计划文件导出为单独的文件（-o 为目录；docx、xlsx、txt、md）"),
]
TopUnits = Annotated[
    int, typer.Option("--top", min=1, help="Excel 统计图显示任务最多的前几个单位（表中列出全部）")
]
