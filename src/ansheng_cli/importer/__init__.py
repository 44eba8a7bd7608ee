"""``ansheng import``: an existing plan (.txt, .docx, .xlsx, .html, .pdf; .doc, .wps with
LibreOffice; .xls, .xlsb, .ods, .et) → a draft YAML.

One small module per job:

* ``source`` — readers of txt/docx/xlsx (and of what LibreOffice converts to docx, and what
  calamine reads as a workbook) into one stream of paragraphs and tables; ``web`` —
  saved web pages (lxml) and text-layer PDFs (pypdf, optional);
* ``tables`` — assignment tables: columns, group and continuation rows, flattened tables;
* ``outline`` — numbered headings and items, which items are tasks;
* ``assignments`` — the assignment grammar (UNITS ROLE clauses, labels, catch-alls, 下同);
* ``actors`` — units named in prose (X负责…), unit headings, duty lines;
* ``pieces`` — one item holding several separately assigned parts (一是…（A负责）二是…);
* ``deadlines`` — the deadline an item states, never a cited date;
* ``scope`` — where an assignment holds (several items, a section, 下同, stated conventions),
  tasks printed twice, an annex of duty lines, matching against a unit registry;
* ``emit`` — the draft YAML with ``# 待核对：…`` comments where a person must look.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ansheng_cli.importer.source import ImportProblem

if TYPE_CHECKING:
    from ansheng_cli.config import Settings

FORMATS = ("txt", "docx", "doc", "wps", "xlsx", "xls", "et", "ods", "html", "pdf")
# Other names of a format, as --from values or file suffixes.
ALIASES = {"text": "txt", "md": "txt", "htm": "html", "shtml": "html", "xlsm": "xlsx"}
# Suffixes read as a format without a --from value of their own: .xlsb as a workbook
# calamine reads, .rtf and .odt (LibreOffice Writer's own) converted by LibreOffice like a .doc.
SUFFIXES = {"xlsb": "xls", "rtf": "doc", "odt": "doc"}


def import_file(
    path: Path,
    fmt: str | None = None,
    jurisdiction: str | None = None,
    doc_id: str | None = None,
    *,
    sheet: str | int | None = None,
    units: Mapping[str, Iterable[str]] | None = None,
    roles: Iterable[tuple[str, str]] = (),
) -> tuple[str, str]:
    """Read ``path`` and return (draft YAML text, how it was read: the encoding, or the
    format LibreOffice converted from).

    ``sheet``: the task sheet of a workbook (name, or 1-based index; default: the first
    sheet with a task header that is not a view such as 统计/按单位). ``units``: a unit
    registry, canonical name → aliases; names are matched against it and the unknown ones
    marked 待核对. ``roles``: more role phrases for the assignment grammar, (phrase, kind)
    with kind lead / support / duty."""
    from ansheng_cli.importer.emit import draft_yaml
    from ansheng_cli.importer.source import read

    kind = fmt or SUFFIXES.get(path.suffix.lower().lstrip("."), path.suffix.lower().lstrip("."))
    kind = ALIASES.get(kind, kind)
    if kind not in FORMATS:
        raise ImportProblem(f"无法识别的格式“{kind}”，请用 --from 指定 {'、'.join(FORMATS)}")
    source = read(path, kind, sheet)
    text = draft_yaml(source, jurisdiction, doc_id, path.name, units=units, roles=roles)
    return text, _read_as(path, kind, source.encoding)


def _read_as(path: Path, kind: str, encoding: str) -> str:
    """How the file was read, for 已导入：…（按 X 读取）: the text encoding, or the format
    LibreOffice converted from (the draft's own header keeps the encoding)."""
    from ansheng_cli.importer.source import CONVERTED
    from ansheng_cli.office import CONVERTS

    if kind not in CONVERTED:
        return encoding
    _, what = CONVERTS.get(path.suffix.lower(), CONVERTS[f".{kind}"])
    return f"{what}（经 LibreOffice 转换）"


def units_from_registry(path: Path) -> dict[str, list[str]]:
    """A unit registry file (schema ansheng/units-v1) as ``import_file(units=…)`` takes it:
    canonical name → aliases and full name. Units renamed by a reorganisation stay, so an
    old plan's names still match."""
    from ansheng_cli.plan.loader import load_file
    from ansheng_cli.plan.models import UnitRegistry
    from ansheng_cli.plan.shape import check_shape

    if not path.is_file():
        raise ImportProblem(f"找不到单位名录文件 {path}")
    try:
        loaded = load_file(path)
    except OSError as exc:
        raise ImportProblem(f"无法读取单位名录 {path}：{exc.strerror or exc}") from None
    if not loaded.ok:
        first = loaded.issues[0].message if loaded.issues else "无法读取"
        raise ImportProblem(f"单位名录 {path} 无法读取：{first}")
    registry, problems = check_shape(UnitRegistry, loaded.data)
    if registry is None:
        first = problems[0].message if problems else "格式不对"
        raise ImportProblem(f"单位名录 {path} 无法使用：{first}")
    return {
        unit.name: [*unit.aliases, *([unit.full_name] if unit.full_name else [])]
        for unit in registry.units
    }


__all__ = ["FORMATS", "ImportProblem", "import_file", "units_from_registry"]


def run(file: Path, output: str | None, force: bool, settings: Settings, fmt: str | None = None,
        jurisdiction: str | None = None, doc_id: str | None = None,
        sheet: str | None = None) -> tuple[str, str]:  # fmt: skip
    """``ansheng import``: the draft to ``output`` (a file or folder) or to standard output;
    returns (stdout, stderr). The registry is ``--units``, else the data repository's
    registry of ``--jurisdiction``; role phrases of ``roles`` in the settings are added."""
    from ansheng_cli.atomic import guard_output, output_target, write_text_atomic
    from ansheng_cli.plan.registry import registry_path

    if not file.exists():  # a FIFO or a folder is refused by the reader, saying so
        raise ImportProblem(f"文件不存在：{file}")
    target = output_target(output, f"{file.stem}.yaml") if output else None
    if target is not None and target.exists() and not force:
        raise ImportProblem(f"输出文件已存在：{target}（确需覆盖请加 --force）")
    registry = settings.units or (
        registry_path(target or Path.cwd() / "x.yaml", jurisdiction) if jurisdiction else None
    )
    units = units_from_registry(registry) if registry else None
    roles = [(phrase, "duty") for phrase in settings.roles]
    chosen = int(sheet) if sheet and sheet.isdigit() else sheet
    text, encoding = import_file(
        file, fmt, jurisdiction, doc_id, sheet=chosen, units=units, roles=roles
    )
    if target is None:
        return text, ""
    guard_output(target, [file])
    write_text_atomic(target, text)
    doubts = text.count("待核对：")
    return "", f"已导入：{target}（按 {encoding} 读取；{doubts} 处待核对）\n"
