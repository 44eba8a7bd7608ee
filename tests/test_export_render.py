"""Rendered pages: LibreOffice turns the docx and xlsx into PDF, poppler reads the words back
with their boxes. Skipped where soffice or pdftotext is absent (.ci installs them)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from ansheng_cli.export.docx import render as render_docx
from ansheng_cli.export.formats import ExportOptions
from ansheng_cli.export.sheet import Sheet, add_styles, lines_needed
from ansheng_cli.plan.compiled import Plan
from tests.test_export import compiled

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
pytestmark = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None, reason="needs LibreOffice and poppler-utils"
)
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
)


def to_pdf(path: Path) -> Path:
    profile = path.parent / "lo-profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(path.parent), str(path)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return path.with_suffix(".pdf")


def pages(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, str]]]]:
    """Per page: width, height, words (xMin, yMin, xMax, text)."""
    html = subprocess.run(
        [PDFTOTEXT, "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout  # type: ignore[list-item]
    out = []
    for page in html.split("<page ")[1:]:
        size = re.match(r'width="([\d.]+)" height="([\d.]+)"', page)
        assert size
        words = [(float(a), float(b), float(c), t) for a, b, c, _, t in WORD.findall(page)]
        out.append((float(size[1]), float(size[2]), words))
    return out


def test_docx_pages_landscape_and_page_numbers_restart(tmp_path: Path) -> None:
    docs = [compiled("xinghua-2020-workpoints"), compiled("jilin-2014-reform-pilot")]
    out = tmp_path / "two.docx"
    render_docx(Plan(docs), out, ExportOptions("docx"))
    found = pages(to_pdf(out))
    assert len(found) >= 4
    numbers = []
    for width, height, words in found:
        assert width > height  # landscape
        dashes = [w for w in words if w[3] == "—"]
        digits = [w for w in words if w[3].isdigit() and w[1] > height * 0.85]
        assert len(dashes) == 2 and len(digits) == 1
        number = int(digits[0][3])
        numbers.append(number)
        # odd numbers at the right edge, even at the left
        assert (digits[0][0] > width / 2) == (number % 2 == 1)
    # the second document starts again at 1
    assert numbers[0] == 1 and numbers.count(1) == 2 and numbers == sorted(numbers[: numbers.index(1, 1)]) + numbers[numbers.index(1, 1):]  # fmt: skip
    titles = [" ".join(w[3] for w in ws[:4]) for _, _, ws in found]
    assert sum("附件" in t for t in titles) == 2


def test_xlsx_row_heights_match_the_rendered_lines(tmp_path: Path) -> None:
    """A sheet of task texts in a 62-wide column: LibreOffice wraps each into as many lines
    as the width table predicts (at most one fewer: kinsoku is reckoned on the safe side)."""
    from openpyxl import Workbook

    doc = compiled("xingning-2018-reform")
    texts = [t.body for t in doc.tasks if lines_needed(t.body, 62) <= 10][:14]
    wb = Workbook(write_only=True)
    add_styles(wb)
    sheet = Sheet(wb, "样张", "样张", ("行", "主要任务"), (6, 62))
    for i, text in enumerate(texts, start=1):
        sheet.append([f"R{i}", text], ["as-cell", "as-text"])
        sheet.append(["", f"END{i}"], ["as-cell", "as-text"])  # a fence after each row
    out = tmp_path / "rows.xlsx"
    wb.save(out)
    seen = 0
    for _, _, words in pages(to_pdf(out)):
        top = max(w[1] for w in words if w[3] == "主要任务")  # the header, on each page
        left = max(w[2] for w in words if re.fullmatch(r"R\d+", w[3]))
        for y, i in sorted((w[1], int(w[3][3:])) for w in words if w[3].startswith("END")):
            if any(w[3] == f"R{i}" for w in words):
                got = {round(w[1]) for w in words if w[0] > left and top < w[1] < y - 2}
                predicted = lines_needed(texts[i - 1], 62)
                assert predicted - 1 <= len(got) <= predicted, (i, texts[i - 1], len(got))
                seen += 1
            top = y + 2
    assert seen == len(texts) >= 10
