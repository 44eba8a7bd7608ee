"""Make the pictures of the user guide (docs/images/*.png) from the bundled data.

    python tools/make_pictures.py

Needs LibreOffice and poppler-utils (Debian: ``apt-get install -y libreoffice-writer
libreoffice-calc poppler-utils``) for the workbook and Word pictures, and Chromium
(``/usr/bin/chromium``) for the report. It runs, in a scratch copy of data/, the commands the
guide shows: export the 任务分工表 as xlsx and docx, a unit's 进展填报表, fill that form in as
the unit would, ``ansheng progress import`` it, and ``ansheng report``. Each picture is the
first page, scaled so that the PNG stays under 200 KB.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
PLAN = "data/tasks/xinghua-2020-workpoints.yaml"
UNIT = "市应急管理局"
AS_OF = "2020-07-01"
MAX_BYTES = 200_000

# What the unit writes into its form: (row of the sheet, status, progress, done date or None).
FILLED = [
    (3, "推进中", "已排查重大风险隐患12处，落实市领导挂钩联系。", None),
    (4, "已完成", "双重预防机制信息平台上线，录入企业风险点326个。", date(2020, 6, 20)),
    (5, "推进中", "化工企业安全评估完成40家，淘汰落后产能企业3家。", None),
]


def ansheng(*args: str, cwd: Path) -> None:
    exe = Path(sys.executable).with_name("ansheng")
    subprocess.run([str(exe) if exe.exists() else "ansheng", *args], cwd=cwd, check=True)


def to_pdf(document: Path, out: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("需要 LibreOffice：apt-get install -y libreoffice-writer libreoffice-calc")
    profile = out / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(out), str(document)],
        check=True, capture_output=True,
    )  # fmt: skip
    return out / (document.stem + ".pdf")


def png_of_page(pdf: Path, target: Path, width: int = 1100) -> None:
    """The first page of ``pdf`` as ``target``, narrowed until it is small enough."""
    while True:
        stem = target.with_suffix("")
        subprocess.run(
            ["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile", "-scale-to-x", str(width),
             "-scale-to-y", "-1", str(pdf), str(stem)],
            check=True,
        )  # fmt: skip
        if target.stat().st_size <= MAX_BYTES or width <= 500:
            return
        width -= 100


def screenshot(html: Path, target: Path) -> bool:
    chromium = next((c for c in ("/usr/bin/chromium", shutil.which("chromium")) if c), None)
    if chromium is None or not Path(chromium).exists():
        print("没有 Chromium，跳过督办报告的图片", file=sys.stderr)
        return False
    height = 1500
    while True:
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
             f"--screenshot={target}", f"--window-size=1100,{height}", html.as_uri()],
            check=True, capture_output=True,
        )  # fmt: skip
        if target.stat().st_size <= MAX_BYTES or height <= 700:
            return True
        height -= 200


def fill_form(form: Path) -> None:
    from openpyxl import load_workbook

    book = load_workbook(form)
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[2]]
    col = {name: header.index(name) + 1 for name in ("状态", "进展情况", "完成日期", "填报日期")}
    for row, status, text, done in FILLED:
        sheet.cell(row, col["状态"], status)
        sheet.cell(row, col["进展情况"], text)
        # Typed as text, as many units do; a real date cell works as well.
        sheet.cell(row, col["填报日期"], "2020-06-30")
        if done:
            sheet.cell(row, col["完成日期"], done.isoformat())
    book.save(form)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=IMAGES, help="图片目录（默认 docs/images）")
    out_dir: Path = parser.parse_args().out
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copytree(ROOT / "data", work / "data")
        (work / "out").mkdir()
        ansheng("export", PLAN, "--to", "xlsx", "-o", "out/分工表.xlsx", cwd=work)
        ansheng("export", PLAN, "--to", "docx", "-o", "out/分工表.docx", cwd=work)
        ansheng("export", PLAN, "--to", "progress-xlsx", "--unit", UNIT, "-o", "out/填报表.xlsx",
                "--as-of", AS_OF, cwd=work)  # fmt: skip
        form = work / "out" / "填报表.xlsx"
        fill_form(form)
        ansheng("progress", "import", str(form), PLAN, "--as-of", AS_OF, cwd=work)
        ansheng("report", PLAN, "--as-of", AS_OF, "-o", "out/report.html", cwd=work)
        pdfs = work / "pdf"
        pdfs.mkdir()
        png_of_page(to_pdf(work / "out/分工表.xlsx", pdfs), out_dir / "tasks-xlsx.png")
        png_of_page(to_pdf(work / "out/分工表.docx", pdfs), out_dir / "tasks-docx.png")
        png_of_page(to_pdf(form, pdfs), out_dir / "progress-form.png")
        screenshot(work / "out/report.html", out_dir / "report.png")
    for picture in sorted(out_dir.glob("*.png")):
        print(f"{picture.relative_to(ROOT) if picture.is_relative_to(ROOT) else picture}"
              f"  {picture.stat().st_size // 1024} KB")  # fmt: skip


if __name__ == "__main__":
    main()
