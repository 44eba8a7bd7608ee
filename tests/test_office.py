"""Files from every office suite (issue 18): .xls/.ods/.et read by calamine everywhere;
.doc/.wps converted by LibreOffice when it is installed, safely when it misbehaves."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from ansheng_cli.errors import FileProblem
from ansheng_cli.importer import ImportProblem, import_file
from ansheng_cli.office import available, converted
from ansheng_cli.plan.loader import load_text
from ansheng_cli.plan.models import Document
from ansheng_cli.plan.shape import check_shape
from ansheng_cli.plan.walk import tasks
from tests.clirun import run

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "office"
needs_soffice = pytest.mark.skipif(available() is None, reason="LibreOffice (soffice) 未安装")
posix = pytest.mark.skipif(os.name == "nt", reason="POSIX process groups and FIFOs")


def _make() -> ModuleType:
    spec = importlib.util.spec_from_file_location("office_make", FIXTURES / "make.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load(path: Path, **kw: Any) -> Document:
    text, _ = import_file(path, **kw)
    doc, problems = check_shape(Document, load_text(path, text).data)
    assert doc is not None, problems
    return doc


def rows(doc: Document) -> list[tuple[Any, ...]]:
    return [
        (t.no, t.lead, t.support, t.deadline, t.source.line if t.source else None)
        for _, t in tasks(doc)
    ]


def convert(path: Path, target: str, **kw: Any) -> None:
    """Convert and let go at once (the refusals come before the block)."""
    with converted(path, target, **kw):
        pass


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The folder every temporary folder goes to: it must be empty again afterwards."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    assert list(folder.iterdir()) == [], "临时文件未清理"


# --- workbooks of other suites: calamine, no LibreOffice needed -----------------------------

SHEET_ROWS = [
    # the task sheet starts at B2: rows are numbered as in the sheet (title 2, header 3)
    ("1", ["县应急管理局"], ["县公安局"], "2023年9月", 5),
    ("1", ["县消防救援大队"], [], "2023年10月", 6),  # under the merged 序号 cell
    ("2", ["县人社局"], [], "2023年6月30日", 7),  # 2.0 and a date typed as such
]


@pytest.mark.parametrize("name", ["plan.xls", "plan.ods", "plan.et"])
def test_a_workbook_of_another_suite_reads_like_the_xlsx(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    # no WPS here: the .et is the .xls renamed (LibreOffice itself types .et as Excel 97)
    shutil.copy(FIXTURES / name.replace(".et", ".xls"), path)
    xlsx = tmp_path / "plan.xlsx"
    shutil.copy(FIXTURES / "plan.xlsx", xlsx)
    assert rows(load(path)) == rows(load(xlsx)) == SHEET_ROWS
    text, read_as = import_file(path)
    assert text == import_file(xlsx)[0].replace("plan.xlsx", name)
    assert read_as == "utf-8"


def test_the_sheet_is_chosen_in_an_xls_as_in_an_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "plan.xls"
    shutil.copy(FIXTURES / "plan.xls", path)
    assert rows(load(path, sheet="任务分工表")) == rows(load(path, sheet=2)) == SHEET_ROWS
    assert rows(load(path, sheet="统计")) == []
    with pytest.raises(ImportProblem, match="没有名为“汇总”的工作表"):
        import_file(path, sheet="汇总")
    with pytest.raises(ImportProblem, match="没有第 9 个"):
        import_file(path, sheet=9)


def test_from_xls_reads_a_workbook_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "plan.bin"
    shutil.copy(FIXTURES / "plan.ods", path)
    assert rows(load(path, fmt="ods")) == rows(load(path, fmt="xls")) == SHEET_ROWS
    code, output = run(tmp_path, "import", "plan.bin")
    assert code == 2 and "--from" in output and "xls" in output


@posix
def test_a_damaged_xls_ends_in_a_message_not_a_crash(tmp_path: Path) -> None:
    # damaged.xls makes calamine abort the whole process ("memory allocation of
    # 343592530080 bytes failed"); read in a child, it is one refused file
    shutil.copy(FIXTURES / "damaged.xls", tmp_path / "plan.xls")
    done = subprocess.run(
        [sys.executable, "-m", "ansheng_cli", "import", "plan.xls"],
        cwd=tmp_path, capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert "已损坏" in done.stderr and "另存为" in done.stderr
    for bad in ("Traceback", "panicked", "memory allocation", "内部错误"):
        assert bad not in done.stdout + done.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS is enforced on Linux only")
def test_an_ods_that_swells_to_gigabytes_is_refused(tmp_path: Path) -> None:
    # a few kilobytes: one row of 16,000 cells repeated 6,000 times (calamine took 12 GB)
    with zipfile.ZipFile(FIXTURES / "plan.ods") as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    content = parts["content.xml"].decode()
    swell = (
        '<table:table-row table:number-rows-repeated="6000"><table:table-cell '
        'table:number-columns-repeated="16000" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row>"
    )
    at = content.index("<table:table-row")
    parts["content.xml"] = (content[:at] + swell + content[at:]).encode()
    path = tmp_path / "plan.ods"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 20_000
    started = time.monotonic()
    with pytest.raises(ImportProblem, match="已损坏或过于庞大"):
        import_file(path)
    assert time.monotonic() - started < 30


# --- .doc and .wps through LibreOffice --------------------------------------------------------

DOC_ROWS = [
    ("1", ["县应急管理局"], ["县公安局"], "2024年6月底前完成", 5),
    ("2", ["县安委办"], ["县委组织部"], None, 6),
    ("1", ["县应急管理局"], ["县公安局"], "2024年9月底前", 8),
    ("2", ["县消防救援大队"], [], "2024年10月底前", 8),
]


@needs_soffice
@pytest.mark.parametrize(("name", "read_as"), [("plan.doc", "Word 97"), ("plan.wps", "WPS 文字")])
def test_a_doc_or_wps_is_converted_and_read_like_the_docx(
    tmp_path: Path, scratch: Path, name: str, read_as: str
) -> None:
    path = tmp_path / name
    shutil.copy(FIXTURES / "plan.doc", path)  # a WPS .wps is a Word 97 file too
    docx = tmp_path / "plan.docx"
    _make().document(docx)
    doc = load(path)
    assert rows(doc) == rows(load(docx)) == DOC_ROWS
    assert doc.document.doc_no == "测安办〔2024〕2号"
    assert {t.source.file for _, t in tasks(doc) if t.source} == {name}
    code, output = run(tmp_path, "import", name, "-o", "out.yaml")
    assert code == 0, output
    assert f"按 {read_as}（经 LibreOffice 转换） 读取" in output
    draft = (tmp_path / "out.yaml").read_text(encoding="utf-8")
    assert draft.startswith(f"# 由 ansheng import 从 {name} 生成的草稿")


@needs_soffice
def test_an_odt_is_converted_and_read_like_the_docx(tmp_path: Path, scratch: Path) -> None:
    """LibreOffice Writer's own format: saved from the .docx fixture, read back the same."""
    docx = tmp_path / "plan.docx"
    _make().document(docx)
    profile = (tmp_path / "profile").as_uri()
    subprocess.run([str(available()), f"-env:UserInstallation={profile}", "--headless",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(docx)],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    docx.rename(tmp_path / "original.docx")
    assert rows(load(tmp_path / "plan.odt")) == rows(load(tmp_path / "original.docx"))
    code, output = run(tmp_path, "import", "plan.odt", "-o", "out.yaml")
    assert code == 0 and "按 OpenDocument 文本（经 LibreOffice 转换） 读取" in output, output


@needs_soffice
def test_two_conversions_at_once_do_not_clash(tmp_path: Path, scratch: Path) -> None:
    def convert(index: int) -> bytes:
        with converted(FIXTURES / "plan.doc", "docx") as docx:
            return docx.read_bytes()[:2]

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(convert, range(2))) == [b"PK", b"PK"]


def test_without_libreoffice_the_message_says_how_to_save_as_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    shutil.copy(FIXTURES / "plan.doc", tmp_path / "plan.wps")
    code, output = run(tmp_path, "import", "plan.wps")
    assert code == 2
    assert "用 WPS 或 Word 打开，“另存为”Word 文档（.docx）" in output
    with pytest.raises(FileProblem, match=r"“另存为”Excel 工作簿（\.xlsx）"):
        convert(FIXTURES / "plan.xls", "xlsx")


# --- a misbehaving soffice: a fake one on PATH -------------------------------------------------


def fake_soffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: str) -> Path:
    """A ``soffice`` shell script first on PATH; ``$MARK`` is a folder it may write to,
    ``$last`` its last argument (the input) and ``$outdir`` the --outdir it was given."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do [ "$prev" = --outdir ] && outdir=$a; prev=$a; last=$a; done\n'
        'echo "$@" > "$MARK/args"\n' + body,
        encoding="utf-8",
    )
    script.chmod(0o755)
    mark = tmp_path / "mark"
    mark.mkdir()
    monkeypatch.setenv("MARK", str(mark))
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return mark


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")  # killed, not yet reaped by init


@posix
def test_a_hanging_soffice_is_killed_with_its_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scratch: Path
) -> None:
    mark = fake_soffice(
        tmp_path, monkeypatch, 'sleep 60 &\necho $! > "$MARK/child"\necho $$ > "$MARK/self"\nwait\n'
    )
    started = time.monotonic()
    with pytest.raises(FileProblem, match=r"转换超时（1 秒）"):
        convert(FIXTURES / "plan.doc", "docx", timeout=1)
    assert time.monotonic() - started < 10
    pids = [int((mark / name).read_text()) for name in ("self", "child")]
    deadline = time.monotonic() + 5
    while not all(_gone(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_gone(pid) for pid in pids), "soffice 的子进程未被终止"
    args = (mark / "args").read_text()
    assert "--headless" in args and "-env:UserInstallation=file://" in args


@posix
def test_soffice_is_called_on_a_copy_with_stdin_closed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scratch: Path
) -> None:
    mark = fake_soffice(
        tmp_path,
        monkeypatch,
        '[ -L "$last" ] && echo link > "$MARK/kind" || echo file > "$MARK/kind"\n'
        'cat > "$MARK/stdin"\n'
        'mkdir -p "$outdir" && cp "$last" "$outdir/input.docx"\n',
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "real.doc").write_bytes(b"plan")
    link = tmp_path / "plan.doc"
    link.symlink_to(outside / "real.doc")
    with converted(link, "docx") as result:
        assert result.read_bytes() == b"plan"
        assert scratch in result.parents
    assert (mark / "kind").read_text() == "file\n"  # a copy, never the link
    assert (mark / "stdin").read_bytes() == b""


@posix
def test_a_fifo_or_a_huge_file_is_refused_before_soffice_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scratch: Path
) -> None:
    mark = fake_soffice(tmp_path, monkeypatch, "")
    fifo = tmp_path / "pipe.doc"
    os.mkfifo(fifo)
    link = tmp_path / "link.doc"
    link.symlink_to(fifo)
    for path in (fifo, link):
        with pytest.raises(FileProblem, match="不是普通文件"):
            convert(path, "docx")
    code, output = run(tmp_path, "import", "link.doc")
    assert code == 2 and "不是普通文件" in output
    big = tmp_path / "big.doc"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(FileProblem, match="过大"):
        convert(big, "docx", max_bytes=1000)
    assert not (mark / "args").exists(), "soffice 不应被调用"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@posix
def test_soffice_errors_and_oversized_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scratch: Path
) -> None:
    # soffice exits 0 when it cannot load a file; the error is only in its messages
    fake_soffice(
        tmp_path,
        monkeypatch,
        'echo "Warning: failed to launch javaldx - java may not function correctly" >&2\n'
        'if [ "$BIG" ]; then mkdir -p "$outdir"; head -c 5000 /dev/zero > "$outdir/input.docx";'
        ' else echo "Error: source file could not be loaded" >&2; fi\n',
    )
    with pytest.raises(FileProblem, match=r"LibreOffice 无法转换.*Error: source file could not"):
        convert(FIXTURES / "plan.doc", "docx")
    monkeypatch.setenv("BIG", "1")
    small = tmp_path / "small.doc"
    small.write_bytes(b"plan")
    with pytest.raises(FileProblem, match="过大：5000 字节，上限 4096 字节"):
        convert(small, "docx", max_bytes=4096)


@posix
def test_the_temporary_folder_goes_whatever_happens_in_the_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scratch: Path
) -> None:
    fake_soffice(tmp_path, monkeypatch, 'mkdir -p "$outdir" && cp "$last" "$outdir/input.docx"\n')
    with pytest.raises(RuntimeError), converted(FIXTURES / "plan.doc", "docx") as result:
        assert result.is_file()
        raise RuntimeError("the reader failed")
    assert not result.exists()
