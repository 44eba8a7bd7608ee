"""``ansheng import``: an existing plan (.txt, .docx, .xlsx) → a draft ansheng/v1 YAML.

Readers turn each format into one stream of paragraphs and tables (``source``); the outline
parser finds headings, tasks and assignment tables (``outline``, ``assignments``); the
writer emits YAML with ``# 待核对：…`` comments where a person must look (``emit``).
"""

from __future__ import annotations

from pathlib import Path

from ansheng_cli.importer.source import ImportProblem

FORMATS = ("txt", "docx", "xlsx")


def import_file(
    path: Path, fmt: str | None = None, jurisdiction: str | None = None, doc_id: str | None = None
) -> tuple[str, str]:
    """Read ``path`` and return (draft YAML text, encoding used)."""
    from ansheng_cli.importer.emit import draft_yaml
    from ansheng_cli.importer.source import read

    kind = fmt or path.suffix.lower().lstrip(".")
    if kind in ("text", "md"):
        kind = "txt"
    if kind not in FORMATS:
        raise ImportProblem(f"无法识别的格式“{kind}”，请用 --from 指定 txt、docx 或 xlsx")
    source = read(path, kind)
    return draft_yaml(source, jurisdiction, doc_id, path.name), source.encoding


__all__ = ["FORMATS", "ImportProblem", "import_file"]
