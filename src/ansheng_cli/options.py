"""Typer options defined once, so a flag and its Chinese help read the same everywhere."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

Paths = Annotated[
    list[str] | None,
    typer.Argument(
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
    Path | None,
    typer.Option("--output", "-o", help="把结果写入文件（默认输出到终端）", show_default=False),
]
ExportPaths = Annotated[
    list[str],
    typer.Argument(help="要导出的计划文件或目录（可多个）", show_default=False),
]
To = Annotated[
    str,
    typer.Option("--to", "-t", help="导出格式：xlsx、txt、md、docx、json、csv"),
]
ExportOutput = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="输出文件或目录（默认按文件标题命名，写在当前目录）",
        show_default=False,
    ),
]
Template = Annotated[
    Path | None,
    typer.Option(
        "--template", help="用自己的 Jinja 模板导出 txt/md（在沙箱中运行）", show_default=False
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
