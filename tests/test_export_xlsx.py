"""The 任务分工表 workbook read back: sheet names, filters, the 统计 chart, row heights."""

from __future__ import annotations

import zipfile
from pathlib import Path

from ansheng_cli.export.formats import ExportOptions
from ansheng_cli.export.measure import lines, title_lines
from ansheng_cli.export.sheet import capacity, lines_needed
from ansheng_cli.export.xlsx import render, sheet_names
from ansheng_cli.plan.compiled import Plan
from tests.clirun import run
from tests.test_export import DOCS, ROOT, compiled


def test_sheet_names_say_which_document(tmp_path: Path) -> None:
    import openpyxl

    docs = [compiled(d) for d in DOCS]
    long = compiled("xinghua-2020-workpoints")
    long.title = "关于印发《某某市安全生产专项整治三年行动实施方案》的通知附件任务分工"
    twin = compiled("xingning-2018-reform")
    names = sheet_names([*docs, long, twin])
    assert len(set(names)) == len(names) and all(len(n) <= 31 for n in names)
    assert names[: len(docs)] == [d.title for d in docs]
    assert names[len(docs)] == "xinghua-2020-workpoints"  # too long a title: the id
    assert names[-1] == "兴宁市关于推进安全生产领域改革发展的实施方案(2)"
    odd = compiled("xinghua-2020-workpoints")
    odd.title, odd.id = "统计", "统计"
    assert sheet_names([odd]) == ["统计(2)"]  # never one of the list sheets
    out = tmp_path / "a.xlsx"
    render(Plan([*docs, twin]), out, ExportOptions("xlsx"))
    assert openpyxl.load_workbook(out).sheetnames[-4:] == [names[-1], "按单位", "时间节点", "统计"]


def test_filters_and_the_chart_of_the_top_units(tmp_path: Path) -> None:
    import openpyxl
    from lxml import etree

    out = tmp_path / "all.xlsx"
    assert run(ROOT, "export", "data", "-o", str(out))[0] == 0
    wb = openpyxl.load_workbook(out)
    units, timeline, stats = wb["按单位"], wb["时间节点"], wb["统计"]
    assert units.auto_filter.ref == f"A2:G{units.max_row}"
    assert timeline.auto_filter.ref == f"A2:G{timeline.max_row}"
    assert stats.auto_filter.ref == f"A2:D{stats.max_row}"
    for d in DOCS:
        assert wb[compiled(d).title]["A1"].value == "附件"
    assert stats.max_row - 2 > 20  # every unit in the table …
    with zipfile.ZipFile(out) as z:
        [chart] = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        tree = etree.fromstring(z.read(chart))
        drawing = etree.fromstring(
            z.read(next(n for n in z.namelist() if n.startswith("xl/drawings/drawing")))
        )
    ns = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart"}
    series = tree.findall(".//c:ser", ns)
    assert len(series) == 2  # 牵头, 配合
    refs = [s.find("c:cat//c:f", ns).text for s in series]
    assert all(r.endswith("$A$3:$A$22") for r in refs)  # … the chart the top 20 (default)
    assert "前" not in "".join(tree.itertext()) or "20" in "".join(tree.itertext())
    # the chart is no taller than the first printed page below the header rows
    xdr = {"xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"}
    ext = drawing.find(".//xdr:ext", xdr)
    assert int(ext.get("cy")) <= 14.5 * 360_000
    out5 = tmp_path / "top5.xlsx"
    render(Plan([compiled(d) for d in DOCS]), out5, ExportOptions("xlsx", top_units=5))
    with zipfile.ZipFile(out5) as z:
        [chart] = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        text = z.read(chart).decode()
    assert "$A$3:$A$7" in text and "任务最多的 5 个单位" in text


def test_row_heights_from_the_width_table() -> None:
    # a 62-wide column holds 27 em of 12 pt text (7·62 + 5 − 6 px at 16 px an em)
    assert 27 < capacity(62) < 27.2
    assert lines_needed("安" * 27, 62) == 1 and lines_needed("安" * 28, 62) == 2
    assert lines_needed("2020" * 13, 62) == 1  # half-width digits: 26 em
    assert lines_needed("甲\n乙\n丙", 8) == 3
    assert lines("安" * 30, 10) == 3
    assert lines("一二三四五六七八九，" * 3, 10) in (3, 4)  # kinsoku may push a line down
    assert title_lines("短标题", 20) == ["短标题"]
