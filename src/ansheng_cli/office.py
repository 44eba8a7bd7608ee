"""LibreOffice, when installed: a .doc, .wps or .rtf file → .docx (any sheet → .xlsx).

The readers know .docx and .xlsx; the older and the WPS formats are converted first by
``soffice --headless --convert-to``, each run in a throwaway folder with its own user
profile, so two runs at once (or a LibreOffice the user has open) never share a profile,
and nothing is left behind. Sheets need no conversion: calamine reads .xls, .xlsb and .ods,
and a WPS .et too (LibreOffice itself types .et as Excel 97, see its ``calc_MS_Excel_97``
filter), so only ``converted(path, "xlsx")`` is offered for them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ansheng_cli.errors import FileProblem

# file suffix → (format it is converted to, what the file is, as the user would say it)
CONVERTS: dict[str, tuple[str, str]] = {
    ".doc": ("docx", "Word 97"),
    ".wps": ("docx", "WPS 文字"),  # LibreOffice reads it as Word 97 (or as MS Works)
    ".rtf": ("docx", "RTF"),
    ".odt": ("docx", "OpenDocument 文本"),
}
TARGETS = {"docx": "Word 文档（.docx）", "xlsx": "Excel 工作簿（.xlsx）"}
MAX_BYTES = 20 * 1024 * 1024  # the input and the converted file alike
_KEPT_OUTPUT = 4096  # bytes of soffice's messages kept for an error


def available() -> str | None:
    """The path of LibreOffice's ``soffice`` (or ``libreoffice``) on PATH, else None."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    if os.name == "nt":  # pragma: no cover - Windows: the installer does not touch PATH
        for root in (os.environ.get("PROGRAMFILES"), os.environ.get("PROGRAMFILES(X86)")):
            exe = Path(root or "C:/Program Files") / "LibreOffice" / "program" / "soffice.exe"
            if exe.is_file():
                return str(exe)
    return None


@contextmanager
def converted(
    path: Path, target: str, *, timeout: float = 60, max_bytes: int = MAX_BYTES
) -> Iterator[Path]:
    """``path`` converted to ``target`` ("docx" or "xlsx") by LibreOffice: the converted
    file, in a temporary folder removed when the block ends, whatever happens.

    The input must be a regular file of at most ``max_bytes`` bytes (a FIFO or device is
    refused before anything runs); LibreOffice converts a copy of it, so it never sees a
    symbolic link or the user's folder. It runs with stdin closed, in its own process group,
    killed as a whole after ``timeout`` seconds. The output must exist and be at most
    ``max_bytes`` bytes. Every refusal is a :class:`FileProblem` saying what to do."""
    from ansheng_cli.plan.files import read_regular

    if target not in TARGETS:
        raise ValueError(f"unknown conversion target {target!r}")
    data = read_regular(path, max_bytes, "文件")
    soffice = available()
    if soffice is None:
        raise FileProblem(
            f"{path} 需要 LibreOffice 转换后才能读取，但没有找到 soffice。请用 WPS 或 Word 打开，"
            f"“另存为”{TARGETS[target]}后再导入；或安装 LibreOffice（soffice 须在 PATH 中）"
        )
    with tempfile.TemporaryDirectory(prefix="ansheng-office-") as scratch:
        work = Path(scratch)
        # the copy keeps the suffix: LibreOffice picks its import filter by it, then content
        source = work / f"input{path.suffix.lower()}"
        source.write_bytes(data)
        outdir = work / "out"
        _run(soffice, source, target, outdir, work, timeout, path)
        result = outdir / f"{source.stem}.{target}"
        _check_output(result, path, target, max_bytes, work)
        yield result


def _run(
    soffice: str, source: Path, target: str, outdir: Path, work: Path, timeout: float, path: Path
) -> None:
    """One ``soffice --convert-to`` run; its messages go to files (a pipe could be held open
    by a straggler child and block the read) and its temporary files into ``work``."""
    profile = (work / "profile").as_uri()
    temp = work / "tmp"
    temp.mkdir()
    command = [
        soffice,
        "--headless",
        "--norestore",
        "--nologo",
        f"-env:UserInstallation={profile}",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(source),
    ]
    env = {**os.environ, "TMPDIR": str(temp), "TMP": str(temp), "TEMP": str(temp)}
    with (work / "stdout").open("wb") as out, (work / "stderr").open("wb") as err:
        try:
            proc = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=err,
                cwd=work,
                env=env,
                start_new_session=True,  # its own process group, killed as a whole
            )
        except OSError as exc:
            raise FileProblem(f"无法启动 LibreOffice（{soffice}）：{exc.strerror or exc}") from None
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise FileProblem(
                f"{path} 转换超时（{timeout:g} 秒），已终止 LibreOffice；"
                f"请用 WPS 或 Word 打开，“另存为”{TARGETS[target]}后再导入"
            ) from None
        finally:
            if proc.poll() is None:  # timed out, or interrupted (Ctrl+C) while waiting
                _kill_group(proc)
    if code != 0:
        raise FileProblem(f"LibreOffice 无法转换 {path}：{_first_error(work, code)}")


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    """Kill soffice and everything it started (oosplash starts soffice.bin), then reap it."""
    if os.name == "nt":  # pragma: no cover - Windows has no process groups to signal
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, check=False
        )
    else:
        import signal

        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _first_error(work: Path, code: int | None = None) -> str:
    """The first line soffice wrote that says what went wrong: "Error: …" lines first, then
    anything but its harmless warnings (javaldx on a machine without Java)."""
    lines: list[str] = []
    for name in ("stderr", "stdout"):
        with (work / name).open("rb") as stream:
            raw = stream.read(_KEPT_OUTPUT)
        lines += [ln.strip() for ln in raw.decode("utf-8", "replace").splitlines() if ln.strip()]
    for line in lines:
        if line.lower().startswith("error"):
            return line
    for line in lines:
        if not line.lower().startswith(("warning", "convert ")):
            return line
    return f"退出码 {code}" if code else "没有生成转换结果"


def _check_output(result: Path, path: Path, target: str, max_bytes: int, work: Path) -> None:
    import stat

    try:
        info = result.lstat()
    except OSError:
        # soffice exits 0 when it cannot load the file or has no filter: it only says so
        raise FileProblem(f"LibreOffice 无法转换 {path}：{_first_error(work)}") from None
    if not stat.S_ISREG(info.st_mode):
        raise FileProblem(f"LibreOffice 转换 {path} 的结果不是普通文件，未读取")
    if info.st_size > max_bytes:
        raise FileProblem(
            f"{path} 转换为 {TARGETS[target]}后过大：{info.st_size} 字节，上限 {max_bytes} 字节"
        )
