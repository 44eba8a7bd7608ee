"""Which files are plan files: the schema ids, folder walking and telling the two kinds apart."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ansheng_cli.errors import UsageProblem

DOCUMENT_SCHEMA = "ansheng/v1"
REGISTRY_SCHEMA = "ansheng/units-v1"

YAML_SUFFIXES = {".yaml", ".yml"}
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".tox"}


def collect(paths: Iterable[str]) -> list[tuple[str, Path]]:
    """Files to check, as (name as the user would write it, path). Folders recurse."""
    out: list[tuple[str, Path]] = []
    for given in paths:
        path = Path(given)
        if path.is_file():
            out.append((given, path))
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                for name in sorted(files):
                    if Path(name).suffix in YAML_SUFFIXES and not name.startswith("."):
                        full = Path(root) / name
                        display = os.path.normpath(os.path.join(given, full.relative_to(path)))
                        out.append((display.replace(os.sep, "/"), full))
        else:
            raise UsageProblem(f"路径不存在：{given}")
    return out


def file_kind(data: Any, path: Path) -> str:
    """``registry`` or ``document``: by the ``schema`` field, else by the folder name."""
    if isinstance(data, dict):
        if data.get("schema") == REGISTRY_SCHEMA:
            return "registry"
        if "schema" not in data and path.parent.name == "departments":
            return "registry"
    return "document"
