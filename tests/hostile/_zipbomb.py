"""Archives that expand hugely, built in well under a second.

A deflate stream flushed with Z_FULL_FLUSH forgets its history, so the compressed form of
one block can be repeated to stand for the block repeated: a gigabyte costs a few kilobytes
to store and one CRC pass to build.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

MB = 1024 * 1024


def repeated_deflate(head: bytes, unit: bytes, count: int, tail: bytes) -> tuple[bytes, int, int]:
    """(deflate stream, CRC-32, size) of ``head + unit * count + tail``."""
    per_block = max(1, MB // len(unit))
    blocks, rest = divmod(count, per_block)
    block = unit * per_block
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [c.compress(head) + c.flush(zlib.Z_FULL_FLUSH)]
    packed = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    parts.append(packed * blocks)
    parts.append(c.compress(unit * rest + tail) + c.flush())
    crc = zlib.crc32(head)
    for _ in range(blocks):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(unit * rest + tail, crc)
    size = len(head) + len(block) * blocks + len(unit) * rest + len(tail)
    return b"".join(parts), crc, size


def write_zip(path: Path, members: dict[str, bytes | tuple[bytes, bytes, int, bytes]]) -> None:
    """A zip of ``members``; a tuple value is (head, unit, count, tail), stored repeated."""
    out, central = bytearray(), bytearray()
    for name, value in members.items():
        if isinstance(value, tuple):
            data, crc, size = repeated_deflate(*value)
        else:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            data, crc, size = c.compress(value) + c.flush(), zlib.crc32(value), len(value)
        raw = name.encode()
        offset = len(out)
        fields = (20, 0, 8, 0, 0x21, crc, len(data), size, len(raw), 0)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + raw + data
        central += (
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, offset) + raw
        )
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central),
                      len(out), 0)  # fmt: skip
    path.write_bytes(bytes(out + central + end))


NS = "http://schemas.openxmlformats.org/"
RELS = "application/vnd.openxmlformats-package.relationships+xml"


def xlsx(path: Path, head: bytes, unit: bytes, count: int, tail: bytes) -> None:
    """A workbook whose one sheet, 进展填报表, is ``head + unit * count + tail``."""
    sheet_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
    book_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    write_zip(
        path,
        {
            "[Content_Types].xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{NS}package/2006/content-types">'
                f'<Default Extension="rels" ContentType="{RELS}"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/xl/workbook.xml" ContentType="{book_type}"/>'
                f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{sheet_type}"/>'
                "</Types>"
            ).encode(),
            "_rels/.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{NS}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ).encode(),
            "xl/workbook.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{NS}spreadsheetml/2006/main" '
                f'xmlns:r="{NS}officeDocument/2006/relationships"><sheets>'
                '<sheet name="进展填报表" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ).encode(),
            "xl/_rels/workbook.xml.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{NS}officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
                "</Relationships>"
            ).encode(),
            "xl/worksheets/sheet1.xml": (head, unit, count, tail),
        },
    )


def docx(path: Path, head: bytes, unit: bytes, count: int, tail: bytes) -> None:
    """A Word document whose document.xml is ``head + unit * count + tail``."""
    doc_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    write_zip(
        path,
        {
            "[Content_Types].xml": (
                f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{NS}package/2006/content-types">'
                f'<Default Extension="rels" ContentType="{RELS}"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                f'<Override PartName="/word/document.xml" ContentType="{doc_type}"/>'
                "</Types>"
            ).encode(),
            "_rels/.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{NS}package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{NS}officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
                "</Relationships>"
            ).encode(),
            "word/document.xml": (head, unit, count, tail),
        },
    )
