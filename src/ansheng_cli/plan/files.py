"""Which files are plan files: the schema ids, folder walking and telling the two kinds apart."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ansheng_cli.errors import FileProblem, UsageProblem

DOCUMENT_SCHEMA = "ansheng/v1"
REGISTRY_SCHEMA = "ansheng/units-v1"

YAML_SUFFIXES = {".yaml", ".yml"}
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".tox"}
ROUNDS = "progress"  # data/progress holds the records of 督办 rounds, not plans


def collect(paths: Iterable[str]) -> list[tuple[str, Path]]:
    """Files to check, as (name as the user would write it, path). Folders recurse."""
    out: list[tuple[str, Path]] = []
    for given in paths:
        path = Path(given)
        if path.is_file():
            out.append((given, path))
        elif path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(
                    d
                    for d in dirs
                    if d not in SKIP_DIRS
                    and not d.startswith(".")
                    and not (d == ROUNDS and Path(root).name == "data")
                )
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


class TooLarge(FileProblem):
    """A file over its size limit (E104 when it is a plan file)."""


def read_regular(path: Path, limit: int, what: str = "文件") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    A FIFO, device or folder is refused without reading (opened non-blocking, so a FIFO
    never hangs), and so is a file over the limit: nothing is read without bound.
    """
    import stat

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise FileProblem(f"无法读取{what} {path}：{exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(f"{path} 不是普通文件（可能是管道、设备或目录），未读取")
        if info.st_size > limit:
            raise TooLarge(f"{what} {path} 过大：{info.st_size} 字节，上限 {limit} 字节")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise TooLarge(f"{what} {path} 过大：超过上限 {limit} 字节")
        return b"".join(chunks)
    except OSError as exc:
        raise FileProblem(f"无法读取{what} {path}：{exc.strerror or exc}") from None
    finally:
        os.close(fd)


def escapes(path: Path, root: Path | None) -> Path | None:
    """Where ``path`` really points when it is a symbolic link (or lies under one) leading
    out of ``root``; None when it stays inside (or there is no root to judge by)."""
    if root is None:
        return None
    real = path.resolve()
    try:
        real.relative_to(root.resolve())
    except ValueError:
        return real
    return None


MAX_UNZIPPED = 100 * 1024 * 1024  # the XML of any real .docx/.xlsx is far smaller


def check_package(path: Path, what: str, limit: int = MAX_UNZIPPED) -> None:
    """Refuse an Office file (a zip) whose parts would expand past ``limit`` bytes when read:
    a zip bomb, or a sheet of a million rows. Pictures (stored, not parsed) do not count."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as package:
            parsed = sum(
                info.file_size
                for info in package.infolist()
                if info.filename.endswith((".xml", ".rels", ".vml"))
            )
    except (zipfile.BadZipFile, OSError):
        raise FileProblem(
            f"{path} 不是有效的 {what} 文件（若用 WPS 另存过，请另存为标准格式）"
        ) from None
    if parsed > limit:
        raise FileProblem(f"{path} 解压后过大（{parsed} 字节，上限 {limit} 字节），未读取")
