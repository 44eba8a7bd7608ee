"""Safe writes: a temporary file beside the target, then one rename, so a failed run leaves
either the old file or the new one, never half of either; targets that must not be replaced
(inputs, registries, templates, links, pipes) are refused; and one lock per data repository
keeps two writing commands from losing each other's changes."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ansheng_cli.errors import FileProblem

LOCK_NAME = ".ansheng.lock"
LOCK_WAIT = 30.0  # seconds a command waits for another one to finish writing


def check_target(target: Path) -> None:
    """Refuse a target that is not a plain file to replace: a symbolic link (the file it
    points to would be replaced by a copy), a pipe, a device or a folder."""
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        parent = target.parent if str(target.parent) else Path(".")
        if not parent.is_dir():
            raise FileProblem(f"输出目录不存在：{parent}") from None
        return
    except OSError as exc:
        raise FileProblem(f"无法写入 {target}：{exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        raise FileProblem(f"{target} 是符号链接，为免改动它指向的文件，未写入")
    if stat.S_ISDIR(info.st_mode):
        raise FileProblem(f"{target} 是目录，不能作为输出文件")
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem(f"{target} 不是普通文件（可能是管道或设备），未写入")


def guard_output(target: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output that would overwrite what the user keeps: one of the inputs, a plan
    file, unit registry or template of the data repository, or its settings."""
    from ansheng_cli.plan.files import YAML_SUFFIXES
    from ansheng_cli.plan.registry import data_root

    check_target(target)
    if not target.exists():
        return
    real = target.resolve()
    if real in {p.resolve() for p in inputs}:
        raise FileProblem(f"输出文件 {target} 是输入文件之一，拒绝覆盖")
    root = data_root(real.parent)
    if root is None:
        return
    kept = (
        (real.suffix in YAML_SUFFIXES and _under(real, root / "data"))
        or _under(real, root / "templates")
        or real.name in ("ansheng.toml", "pyproject.toml")
    )
    if kept:
        raise FileProblem(f"输出文件 {target} 是数据仓库中的计划、名录、模板或设置文件，拒绝覆盖")


def _under(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder.resolve())
    except ValueError:
        return False
    return True


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it into place on success."""
    target = Path(target)
    check_target(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:60]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FileProblem(f"无法在 {folder} 中写入：{exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o7777)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise FileProblem(f"无法写入 {target}：{exc.strerror or exc}（原文件未改动）") from None
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes_atomic(path: Path, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def output_target(output: str | None, default_name: str) -> Path | None:
    """Where ``-o`` asks to write: a file; a folder (an existing one, or any path ending in
    ``/``, created if needed) gets the default name; ``-`` is standard output (None);
    no ``-o`` is the default name in the current folder."""
    if output == "-":
        return None
    if output is None:
        return Path(default_name)
    if not output.strip():
        from ansheng_cli.errors import UsageProblem

        raise UsageProblem("-o 后面要写文件名或目录")
    path = Path(output)
    if output.endswith(("/", os.sep)) or path.is_dir():
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FileProblem(f"无法创建输出目录 {path}：{exc.strerror or exc}") from None
        return path / default_name
    return path


def write_output(output: str | Path | None, text: str, inputs: Iterable[Path] = (),
                 default_name: str = "ansheng.txt") -> Path | None:  # fmt: skip
    """Text to the file ``-o`` names (atomically, never over an input or the repository's
    own files), or to standard output when there is no ``-o`` or it is ``-``."""
    target = None if output is None else output_target(str(output), default_name)
    if target is None:
        import sys

        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    guard_output(target, inputs)
    write_text_atomic(target, text)
    return target


EXTENSIONS = {"text": ".txt", "md": ".md", "json": ".json", "xlsx": ".xlsx", "html": ".html"}
# suffixes that say what a file holds: another format is never written under one of them
KNOWN = frozenset((*EXTENSIONS.values(), ".xls", ".docx", ".doc", ".wps", ".pdf", ".zip", ".csv",
                   ".yaml", ".yml", ".htm"))  # fmt: skip


def emit(fmt: str, output: str | None, stem: str, content: str | Callable[[Path], None],
         inputs: Iterable[Path] = ()) -> tuple[str, str]:  # fmt: skip
    """A view where ``-o`` says, the one tail of every command with several formats: text to
    standard output without ``-o`` (or ``-o -``), else to a file or into a folder as
    ``stem`` plus the format's extension; a binary view (``content`` writes a path) only to
    a file. A file named for another kind of content (``-f xlsx -o 说明.txt``) is refused.
    Returns (stdout, stderr)."""
    from ansheng_cli.errors import UsageProblem

    ext = EXTENSIONS.get(fmt, ".txt")
    if output in (None, "-"):
        if not isinstance(content, str):
            raise UsageProblem(f"{fmt} 是二进制格式，请用 -o 指定文件或目录")
        return content, ""
    target = output_target(output, stem + ext)
    assert target is not None
    guard_output(target, inputs)  # an input or the repository's own file: said first
    suffix = target.suffix.lower()
    if suffix != ext and suffix in KNOWN and {suffix, ext} != {".txt", ".md"}:
        raise UsageProblem(f"-o {output} 的扩展名与 {fmt} 格式不符：文件名应以 {ext} 结尾")
    if isinstance(content, str):
        write_text_atomic(target, content)
    else:
        with atomic_path(target) as tmp:
            content(tmp)
    return "", f"已导出：{target}\n"


@contextlib.contextmanager
def repository_lock(start: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the data repository's write lock (``.ansheng.lock`` at its root) while a command
    rewrites plan files; a second writer waits up to ``wait`` seconds, then is refused."""
    from ansheng_cli.plan.registry import data_root

    root = data_root(start) or (start if start.is_dir() else start.parent)
    path = root / LOCK_NAME
    try:
        handle = open(path, "a+b")  # noqa: SIM115 - held for the whole block
    except (PermissionError, OSError) as exc:
        import errno

        if exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise FileProblem(
                f"无法使用锁文件 {path}（{exc.strerror or exc}），未改动：请删除它后再试"
            ) from None
        yield  # a read-only repository: nothing will be written there anyway
        return
    deadline = time.monotonic() + wait
    try:
        while not _try_lock(handle):
            if time.monotonic() > deadline:
                raise FileProblem(
                    f"另一个 ansheng 命令正在修改这个数据仓库（锁文件 {path}），请稍后再试；"
                    "若确认没有命令在运行，可删除该锁文件"
                )
            time.sleep(0.05)
        yield
    finally:
        _unlock(handle)
        handle.close()


def _try_lock(handle: object) -> bool:
    fileno = handle.fileno()  # type: ignore[attr-defined]
    try:
        if os.name == "nt":  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(fileno, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(fileno, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: object) -> None:
    fileno = handle.fileno()  # type: ignore[attr-defined]
    with contextlib.suppress(OSError):
        if os.name == "nt":  # pragma: no cover - Windows
            import msvcrt

            msvcrt.locking(fileno, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        else:
            import fcntl

            fcntl.flock(fileno, fcntl.LOCK_UN)
