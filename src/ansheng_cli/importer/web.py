"""Readers for saved government web pages (.html) and text-layer PDF files (.pdf).

HTML (lxml, which python-docx already needs): scripts, styles, navigation, headers, footers
and forms are dropped; the article body is the element that holds the most text in
paragraphs (a ``div``/``td``/``article`` whose class or id names it — TRS_Editor, article,
content, zoom … — is preferred); block elements become paragraphs, ``<br>`` breaks a line, and
every ``<table>`` becomes a table (cells, one row per ``<tr>``), merged cells repeated as
Word shows them.

PDF (pypdf, optional: ``pip install ansheng[pdf]``): the text layer of each page, one
paragraph per line. A PDF without a text layer (a scan) is refused with a message: OCR is not
provided.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ansheng_cli.importer.source import ImportProblem, Item, Para, Source, Table, decode

_DROP = ("script", "style", "noscript", "iframe", "nav", "header", "footer", "form", "select",
         "button", "object", "svg", "template")  # fmt: skip
_BODY_HINT = re.compile(
    r"TRS_Editor|article|content|zoom|main|detail|text|zw|wzy|pages_content|view", re.I
)
_NOISE_HINT = re.compile(r"nav|menu|breadcrumb|footer|header|share|related|sidebar|login", re.I)
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article",
           "blockquote", "pre", "dd", "dt", "center"}  # fmt: skip


def read_html(path: Path) -> Source:
    raw = path.read_bytes()
    declared = re.search(rb"charset=[\"']?([A-Za-z0-9_-]+)", raw[:4096])
    name = declared.group(1).decode("ascii").lower() if declared else ""
    if name in ("gb2312", "gbk", "gb_2312-80", "x-gbk"):
        name = "gb18030"  # the superset: pages declared GB2312 often use GBK characters
    try:
        text, encoding = (raw.decode(name), name) if name else decode(raw)
    except (LookupError, UnicodeDecodeError):
        text, encoding = decode(raw)
    try:
        import lxml.html  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - lxml comes with python-docx
        raise ImportProblem("读取网页需要 lxml：请运行 pip install lxml") from None
    if not text.strip():
        return Source(path, [], encoding)
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as exc:  # lxml raises ParserError and ValueError for broken input
        raise ImportProblem(f"不是有效的网页（.html）文件：{type(exc).__name__}") from None
    for bad in root.xpath("//comment()"):
        _remove(bad)
    for tag in _DROP:
        for el in root.iter(tag):
            _remove(el)
    body = _article(root)
    items: list[Item] = []
    _walk(body, items, [""])
    return Source(path, [i for i in items if not isinstance(i, Para) or i.text], encoding)


def _remove(el: Any) -> None:
    parent = el.getparent()
    if parent is not None:
        tail = el.tail
        parent.remove(el)
        if tail:  # keep the text that followed the removed element
            prev = parent[-1] if len(parent) else None
            if prev is not None:
                prev.tail = (prev.tail or "") + tail
            else:
                parent.text = (parent.text or "") + tail


def _text_len(el: Any) -> int:
    return len(re.sub(r"\s+", "", el.text_content() or ""))


def _article(root: Any) -> Any:
    """The element holding the article: a hinted container with most of the text, else the
    block with the most paragraph text."""
    body = root.find("body")
    body = body if body is not None else root
    total = _text_len(body) or 1
    best, best_score = body, 0.0
    for el in body.iter("div", "td", "article", "section", "main"):
        marker = " ".join(str(el.get(a) or "") for a in ("class", "id"))
        if _NOISE_HINT.search(marker) and not _BODY_HINT.search(marker):
            continue
        size = _text_len(el)
        if size < 0.3 * total:
            continue
        # the deepest element that still holds most of the text; hinted ones win
        score = size / total + (0.5 if _BODY_HINT.search(marker) else 0.0) - 0.001 * len(el)
        if score > best_score:
            best, best_score = el, score
    return best


def _walk(el: Any, items: list[Item], line: list[str]) -> None:
    """Append paragraphs and tables below ``el`` in document order."""

    def flush() -> None:
        text = re.sub(r"[ \t\u3000\xa0]+", " ", line[0]).strip()
        if text:
            items.append(Para(len(items) + 1, text))
        line[0] = ""

    if el.text:
        line[0] += el.text
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "table" and _layout(child):
            flush()  # a table that lays out the page: its cells are blocks of text
            for cell in child.iter("td", "th"):
                if not any(a.tag in ("td", "th") for a in cell.iterancestors() if a is not child):
                    _walk(cell, items, line)
                    flush()
        elif tag == "table":
            flush()
            table = _table(child, len(items) + 1)
            if table.rows:
                items.append(table)
        elif tag == "br":
            flush()
        elif tag in _BLOCKS:
            flush()
            _walk(child, items, line)
            flush()
        else:
            _walk(child, items, line)
        if child.tail:
            line[0] += child.tail
    if el.tag in _BLOCKS:
        flush()


def _layout(table: Any) -> bool:
    """A table used for page layout, not data: it holds another table or paragraphs, or a
    cell with a whole article's worth of text."""
    if any(True for _ in table.iterdescendants("table")):
        return True
    for cell in table.iter("td", "th"):
        if _text_len(cell) > 800 or sum(1 for _ in cell.iter("p", "div", "br")) > 6:
            return True
    return False


def _table(el: Any, line: int) -> Table:
    rows: list[list[str]] = []
    spans: dict[int, tuple[int, str]] = {}  # column → (rows left, text) for rowspan

    def carried(row: list[str], col: int) -> int:
        """Fill the columns from ``col`` that a cell above spans into; the next free one."""
        while col in spans:
            left, text = spans[col]
            row.append(text)
            spans[col] = (left - 1, text)
            if left - 1 <= 0:
                del spans[col]
            col += 1
        return col

    for tr in el.iter("tr"):
        row: list[str] = []
        col = 0
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        for cell in cells:
            col = carried(row, col)
            text = "\n".join(t.strip() for t in cell.itertext() if t.strip())
            span = _int(cell.get("colspan"))
            down = _int(cell.get("rowspan"))
            for _ in range(span):
                row.append(text)
                if down > 1:
                    spans[col] = (down - 1, text)
                col += 1
        carried(row, col)
        if any(row):
            rows.append(row)
    return Table(line, rows, [line] * len(rows))


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 50))
    except ValueError:
        return 1


def read_pdf(path: Path) -> Source:
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:
        raise ImportProblem(
            "读取 PDF 需要可选组件 pypdf：请运行 pip install 'ansheng[pdf]'（或 pip install pypdf）"
        ) from None
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise ImportProblem("PDF 文件已加密，无法读取文字")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ImportProblem:
        raise
    except (PdfReadError, ValueError, KeyError, OSError, TypeError) as exc:
        raise ImportProblem(f"不是有效的 PDF 文件：{type(exc).__name__}") from None
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise ImportProblem(f"不是有效的 PDF 文件：{type(exc).__name__}") from None
    if not any(re.search(r"[\u4e00-\u9fff\w]", p) for p in pages):
        raise ImportProblem(
            "PDF 中没有文字层（可能是扫描件）。本工具不提供文字识别（OCR），"
            "请先用 OCR 软件转成文字或 Word 后再导入"
        )
    items: list[Item] = []
    number = 0
    for page in pages:
        for raw in page.splitlines():
            number += 1
            text = raw.strip()
            if text and not re.fullmatch(r"[-—\s]*\d{1,3}[-—\s]*", text):  # page numbers
                items.append(Para(number, text))
    return Source(path, _join_wrapped(items))


def _join_wrapped(items: list[Item]) -> list[Item]:
    """PDF lines are wrapped at the page width: a line that does not end a sentence and is
    followed by one that does not start an item is joined to it."""
    from ansheng_cli.importer.outline import classify

    out: list[Item] = []
    for item in items:
        if (
            out
            and isinstance(item, Para)
            and isinstance(out[-1], Para)
            and not re.search(r"[。；;：:！？）)]$", out[-1].text)
            and len(out[-1].text) >= 20
            and classify(item.text) is None
        ):
            last = out[-1]
            out[-1] = Para(last.line, last.text + item.text, last.blank_before)
        else:
            out.append(item)
    return out
