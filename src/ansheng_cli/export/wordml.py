"""A .docx package written as a stream: fixed parts (styles, settings, footers) from
templates below, the body generated paragraph by paragraph and row by row straight into the
zip entry, so memory stays flat whatever the size of the table.

Only what the attachment needs: paragraphs in named styles, fixed-layout tables whose header
row repeats on each page, and one section per document whose page numbers restart at 1
(GB/T 9704-2012 7.5: "— 1 —" in 4号 半角宋体, odd pages at the right, even pages at the
left, one character in from the edge).
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from ansheng_cli.plan.text import NOT_XML

TWIPS_PER_MM = 1440 / 25.4
A4 = (210, 297)  # mm
MARGINS = (37, 35, 28, 26)  # top, bottom, left, right (mm), GB/T 9704 5.2.1
FOOTER_MM = 23  # the page number's dashes sit about 7 mm below the type area
CELL_PADDING = 108  # twips left and right inside a table cell (Word's default)

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEI = "黑体"
KAI = "楷体_GB2312"
SONG = "宋体"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def mm(value: float) -> int:
    return round(value * TWIPS_PER_MM)


def escape(text: str) -> str:
    if NOT_XML.search(text):
        text = NOT_XML.sub("\ufffd", text)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _fonts(name: str) -> str:
    return f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:eastAsia="{name}" w:cs="{name}"/>'


def _style(
    sid: str, name: str, font: str, size: float, *, bold: bool = False, jc: str | None = None,
    spacing: str = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>',
    based: str = "Normal", extra_ppr: str = "",
) -> str:  # fmt: skip
    half = int(size * 2)
    # schema order inside pPr: spacing, ind, jc
    ppr = spacing + extra_ppr + (f'<w:jc w:val="{jc}"/>' if jc else "")
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{sid}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="{based}"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{_fonts(font)}'
        f'{"<w:b/><w:bCs/>" if bold else ""}<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
        "</w:rPr></w:style>"
    )


def styles_xml(table_size: float) -> str:
    """The styles part: Normal (仿宋_GB2312 三号) and one paragraph style per use."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W}">'
        f"<w:docDefaults><w:rPrDefault><w:rPr>{_fonts(BODY_FONT)}"
        '<w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        f'<w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr><w:rPr>{_fonts(BODY_FONT)}'
        '<w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:style>'
        + _style("Label", "附件标识", HEI, 16, jc="left")
        + _style(
            "Title", "Title", TITLE_FONT, 22, jc="center",
            spacing='<w:spacing w:before="240" w:after="360" w:line="240" w:lineRule="auto"/>',
        )
        + _style("Mark", "校验标记", BODY_FONT, 16, jc="center",
                 spacing='<w:spacing w:before="0" w:after="240"/>')
        + _style("TableHead", "表头", HEI, table_size, jc="center")
        + _style("TableText", "表格正文", BODY_FONT, table_size, jc="both")
        + _style("TableCenter", "表格居中", BODY_FONT, table_size, jc="center")
        + _style("TableH1", "表内一级标题", HEI, table_size, jc="left")
        + _style("TableH2", "表内二级标题", KAI, table_size, jc="left")
        + _style("TableH3", "表内三级标题", BODY_FONT, table_size, bold=True, jc="left")
        + _style("PageNumberOdd", "页码（单页）", SONG, 14, jc="right",
                 extra_ppr='<w:ind w:right="280"/>')
        + _style("PageNumberEven", "页码（双页）", SONG, 14, jc="left",
                 extra_ppr='<w:ind w:left="280"/>')
        + '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        f'<w:top w:w="0" w:type="dxa"/><w:left w:w="{CELL_PADDING}" w:type="dxa"/>'
        f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{CELL_PADDING}" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>"
        '<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/>'
        '<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + "</w:tblBorders></w:tblPr></w:style></w:styles>"
    )  # fmt: skip


def footer_xml(style: str) -> str:
    """A footer holding "— PAGE —" in the given page-number style."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:ftr xmlns:w="{W}" xmlns:r="{R}"><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">— </w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:r><w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>'
    )


SETTINGS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:settings xmlns:w="{W}"><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
    '<w:evenAndOddHeaders/><w:characterSpacingControl w:val="compressPunctuation"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>'
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{DOC_REL}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{PKG}">'
    f'<Relationship Id="rId1" Type="{DOC_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{DOC_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdOdd" Type="{DOC_REL}/footer" Target="footer1.xml"/>'
    f'<Relationship Id="rIdEven" Type="{DOC_REL}/footer" Target="footer2.xml"/>'
    "</Relationships>"
)

APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>ansheng</Application></Properties>"
)


def core_xml(keywords: str | None) -> str:
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    kw = f"<cp:keywords>{escape(keywords)}</cp:keywords>" if keywords else ""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'<dc:creator>ansheng</dc:creator>{kw}<dcterms:created xsi:type="dcterms:W3CDTF">{now}'
        f'</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified>'
        "</cp:coreProperties>"
    )


class Page:
    """Page geometry of one section: A4, landscape or portrait, GB/T 9704 margins."""

    def __init__(self, landscape: bool) -> None:
        short, long = A4
        self.landscape = landscape
        self.width_mm, self.height_mm = (long, short) if landscape else (short, long)
        left, right = MARGINS[2:]
        self.text_width = mm(self.width_mm - left - right)  # twips

    def sect_pr(self) -> str:
        top, bottom, left, right = MARGINS
        orient = ' w:orient="landscape"' if self.landscape else ""
        return (
            '<w:sectPr><w:footerReference w:type="default" r:id="rIdOdd"/>'
            '<w:footerReference w:type="even" r:id="rIdEven"/>'
            '<w:type w:val="nextPage"/>'
            f'<w:pgSz w:w="{mm(self.width_mm)}" w:h="{mm(self.height_mm)}"{orient}/>'
            f'<w:pgMar w:top="{mm(top)}" w:right="{mm(right)}" w:bottom="{mm(bottom)}" '
            f'w:left="{mm(left)}" w:header="{mm(15)}" w:footer="{mm(FOOTER_MM)}" w:gutter="0"/>'
            '<w:pgNumType w:start="1"/><w:docGrid w:linePitch="312"/></w:sectPr>'
        )


TINY = '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'


def paragraph(text: str, style: str, breaks: Sequence[str] = ()) -> str:
    """A paragraph in a style; ``breaks`` are further lines after manual line breaks."""
    runs = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    for line in breaks:
        runs += f'<w:r><w:br/><w:t xml:space="preserve">{escape(line)}</w:t></w:r>'
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>'


class DocxWriter:
    """Write a .docx: ``open`` the zip, then ``write`` body XML, ``end_section`` after each
    document, ``close``. The body is compressed as it is written."""

    def __init__(self, path: Path, *, table_size: float = 12, keywords: str | None = None) -> None:
        self.zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6)
        self.zip.writestr("[Content_Types].xml", CONTENT_TYPES)
        self.zip.writestr("_rels/.rels", PACKAGE_RELS)
        self.zip.writestr("docProps/core.xml", core_xml(keywords))
        self.zip.writestr("docProps/app.xml", APP)
        self.zip.writestr("word/_rels/document.xml.rels", DOCUMENT_RELS)
        self.zip.writestr("word/styles.xml", styles_xml(table_size))
        self.zip.writestr("word/settings.xml", SETTINGS)
        self.zip.writestr("word/footer1.xml", footer_xml("PageNumberOdd"))
        self.zip.writestr("word/footer2.xml", footer_xml("PageNumberEven"))
        self.body: IO[bytes] = self.zip.open("word/document.xml", "w", force_zip64=True)
        self.parts: list[str] = []
        self.size = 0
        self.write(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>'
        )
        self.pending: Page | None = None

    def write(self, xml: str) -> None:
        self.parts.append(xml)
        self.size += len(xml)
        if self.size > 1 << 16:
            self.flush()

    def flush(self) -> None:
        self.body.write("".join(self.parts).encode("utf-8"))
        self.parts.clear()
        self.size = 0

    def begin_section(self) -> None:
        """Start a document: the section before it ends here (its properties go in a small
        paragraph after its table, which starts the next page)."""
        if self.pending is not None:
            self.write(f"<w:p><w:pPr>{TINY}{self.pending.sect_pr()}</w:pPr></w:p>")
            self.pending = None

    def end_section(self, page: Page) -> None:
        """The document just written is one section, laid out on ``page``."""
        self.pending = page

    def close(self) -> None:
        if self.pending is not None:
            # the last section: an empty paragraph after the table, then its properties
            self.write(f"<w:p><w:pPr>{TINY}</w:pPr></w:p>")
            self.write(self.pending.sect_pr())
        self.write("</w:body></w:document>")
        self.flush()
        self.body.close()
        self.zip.close()

    def abort(self) -> None:
        try:
            self.body.close()
        finally:
            self.zip.close()


class Table:
    """A fixed-layout table: column widths in twips, the header row repeated on each page."""

    def __init__(self, out: DocxWriter, header: Sequence[str], widths: Sequence[int]) -> None:
        self.out = out
        self.widths = list(widths)
        self.count = len(widths)
        total = sum(widths)
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        out.write(
            '<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/>'
            f'<w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
            '<w:tblLayout w:type="fixed"/><w:tblLook w:val="04A0" w:firstRow="1" '
            'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        )
        # cell openings are the same for every row: build them once
        self.open = [
            f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
            for w in widths
        ]
        self.span_open = (
            f'<w:tc><w:tcPr><w:tcW w:w="{total}" w:type="dxa"/>'
            f'<w:gridSpan w:val="{self.count}"/><w:vAlign w:val="center"/></w:tcPr>'
        )
        self.styled = {s: f'<w:p><w:pPr><w:pStyle w:val="{s}"/></w:pPr>' for s in STYLES}
        self.row(header, ["TableHead"] * self.count, header=True)

    def _cell(self, text: str, style: str) -> str:
        start = self.styled[style]
        if not text:
            return start + "</w:p>"
        if "\n" not in text:
            return f'{start}<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p>'
        return "".join(
            f'{start}<w:r><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
            for line in text.split("\n")
        )

    def row(self, values: Sequence[str], styles: Sequence[str], header: bool = False) -> None:
        tr = "<w:tr><w:trPr><w:tblHeader/></w:trPr>" if header else "<w:tr>"
        cells = "".join(
            f"{self.open[i]}{self._cell(v, styles[i])}</w:tc>" for i, v in enumerate(values)
        )
        self.out.write(f"{tr}{cells}</w:tr>")

    def spanning(self, text: str, style: str) -> None:
        """A row of one cell across the table (a section heading)."""
        self.out.write(
            f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{self.span_open}{self._cell(text, style)}</w:tc></w:tr>"
        )

    def close(self) -> None:
        self.out.write("</w:tbl>")


STYLES = ("TableHead", "TableText", "TableCenter", "TableH1", "TableH2", "TableH3")
