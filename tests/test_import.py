"""ansheng import: each format variant on small fixtures, the bundled sources, bad input."""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ansheng_cli.cli import app
from ansheng_cli.importer import ImportProblem, import_file
from ansheng_cli.importer.assignments import split_names, trailing
from ansheng_cli.plan.loader import load_text
from ansheng_cli.plan.models import Document
from ansheng_cli.plan.shape import check_shape
from ansheng_cli.plan.walk import tasks

ROOT = Path(__file__).resolve().parents[1]


def draft(tmp_path: Path, text: str, name: str = "plan.txt", **kw: Any) -> tuple[Document, str]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    yaml_text, _ = import_file(path, **kw)
    doc, problems = check_shape(Document, load_text(path, yaml_text).data)
    assert doc is not None, problems
    return doc, yaml_text


def rows(doc: Document) -> list[tuple[Any, ...]]:
    return [(t.no, t.lead, t.support, t.others, t.deadline) for _, t in tasks(doc)]


PLAN = """测试市安全生产委员会办公室
关于印发《2021年全市安全生产工作要点》的通知
测安办〔2021〕3号
测试市安全生产委员会办公室
2021年3月1日

2021年全市安全生产工作要点

一、压实责任
1.落实党政领导责任。制定责任清单。（责任单位：市委办、市政府办和相关部门）
2．开展安全巡查，于2021年12月20日前完成。（牵头单位：市安委办；配合单位：市委组织部、各县（市、区）人民政府）
这一段没有编号，是本节的说明。
二、专项整治
3、整治危化品企业（市应急管理局牵头，市公安局、市交通运输局配合）
4. 整治建筑施工（市住建局牵头负责，各乡镇（街道）组织落实）
（1）检查起重机械。
（2）检查深基坑。
"""


def test_numbering_assignments_deadlines_and_metadata(tmp_path: Path) -> None:
    doc, text = draft(tmp_path, PLAN)
    meta = doc.document
    assert (meta.title, meta.issuer, meta.doc_no, str(meta.date)) == (
        "2021年全市安全生产工作要点", "测试市安全生产委员会办公室", "测安办〔2021〕3号", "2021-03-01",
    )  # fmt: skip
    assert (meta.status, meta.jurisdiction) == ("issued", "测试市")
    assert [s.no for s in doc.sections] == ["一", "二"]
    assert doc.sections[0].text is None
    assert rows(doc) == [
        ("1", ["市委办", "市政府办"], [], "相关部门", None),
        ("2", ["市安委办"], ["市委组织部"], "各县（市、区）人民政府", "于2021年12月20日前完成"),
        ("3", ["市应急管理局"], ["市公安局", "市交通运输局"], None, None),
        # the bracket closing the heading of item 4 covers its sub-items
        ("（1）", ["市住建局"], [], "各乡镇（街道）", None),
        ("（2）", ["市住建局"], [], "各乡镇（街道）", None),
    ]
    [four] = doc.sections[1].sections
    assert (four.no, four.title) == ("4", "整治建筑施工")
    first = next(t for _, t in tasks(doc))
    assert first.text == "落实党政领导责任。制定责任清单。"
    assert first.source is not None and first.source.line == 10
    second = [t for _, t in tasks(doc)][1]
    assert second.text is not None and second.text.endswith("这一段没有编号，是本节的说明。")
    assert "待核对：时限“于2021年12月20日前完成”取自正文" in text


def test_half_width_brackets_and_colons(tmp_path: Path) -> None:
    doc, _ = draft(tmp_path, "一、总则\n1.做好工作。(责任单位:市应急管理局、市工信局等相关部门)\n")
    assert rows(doc) == [("1", ["市应急管理局", "市工信局"], [], "相关部门", None)]


def test_a_bracket_covering_several_items(tmp_path: Path) -> None:
    text = (
        "一、甲\n1.修订预案。\n2.开展演练。\n3.培训队伍。\n（以上两项由市应急管理局牵头，市消防救援大队配合）\n"
        "4.排查隐患。（责任单位：市住建局）\n"
    )
    doc, yaml_text = draft(tmp_path, text)
    assert rows(doc) == [
        ("1", [], [], None, None),
        ("2", ["市应急管理局"], ["市消防救援大队"], None, None),
        ("3", ["市应急管理局"], ["市消防救援大队"], None, None),
        ("4", ["市住建局"], [], None, None),
    ]
    assert "分工取自其后“以上…”括号" in yaml_text


def test_an_assignment_it_cannot_split_is_marked(tmp_path: Path) -> None:
    doc, text = draft(tmp_path, "一、甲\n1.做好工作。（由市应急管理局会同有关方面负责推进）\n")
    assert rows(doc) == [("1", [], [], None, None)]
    assert "待核对：文中提到牵头/配合/责任单位，但未能拆分" in text


def test_split_names_only_outside_brackets() -> None:
    assert split_names("市公安局、各县（市、区）、市财政局") == [
        "市公安局",
        "各县（市、区）",
        "市财政局",
    ]
    assert trailing("参照《办法》（2016版）")[1] is None


CHAPTERS = """第一章 总体要求
一、指导思想
坚持安全发展。
第二章 主要任务
一、责任体系
（一）明确领导责任。建立责任制。
（二）落实部门责任。管行业必须管安全。
二、依法治理
（三）完善法规。加快立法。
专栏1 重点工程
重点部位：化工园区。


（四）严格执法。加强执法检查。
附件：分工方案
"""


def test_chapters_boxes_and_numbering_straight_through(tmp_path: Path) -> None:
    doc, text = draft(tmp_path, CHAPTERS)
    assert [s.no for s in doc.sections] == ["第一章", "第二章", "附件"]
    first = doc.sections[0].sections[0]
    assert (first.no, first.title, first.text, first.tasks) == (
        "一",
        "指导思想",
        "坚持安全发展。",
        [],
    )
    assert [t.no for _, t in tasks(doc)] == ["（一）", "（二）", "（三）", "（四）"]
    box = doc.sections[1].sections[1].sections[0]
    assert (box.no, box.title, box.text) == ("专栏1", "重点工程", "重点部位：化工园区。")
    assert "待核对" not in text.split("sections:")[1]


def test_a_numbering_jump_is_marked(tmp_path: Path) -> None:
    _, text = draft(tmp_path, "一、甲\n1.任务一。内容。\n2.任务二。内容。\n4.任务四。内容。\n")
    assert 'no: "4"  # 待核对：编号从 2 跳到 4' in text


def test_labelled_paragraphs_and_places_become_tasks(tmp_path: Path) -> None:
    text = (
        "一、行业治理\n非煤矿山：推进资源整合，到2020年减少10%。\n危险化学品：提升自动化水平。\n"
        "消防：健全责任体系。\n二、分步实施\n1.2015年至2017年主要任务。\n全面完成改革。\n"
        "长春市侧重责任体系建设；\n吉林市侧重投入机制建设；\n延边州侧重诚信体系建设。\n"
    )
    doc, _ = draft(tmp_path, text)
    assert rows(doc) == [
        ("非煤矿山", [], [], None, "到2020年"),
        ("危险化学品", [], [], None, None),
        ("消防", [], [], None, None),
        ("1", [], [], None, "2015年至2017年"),
        ("长春市", ["长春市"], [], None, "2015年至2017年"),
        ("吉林市", ["吉林市"], [], None, "2015年至2017年"),
        ("延边州", ["延边州"], [], None, "2015年至2017年"),
    ]


FLAT_TABLE = """关于征求《测试县实施方案（征求意见稿）》意见的函
测试县安委办
2018年8月22日
附件
重点任务分工方案
\t主要任务
\t牵头部门
\t完成时间

\t1.明确职责。
\t县编办

县安监局
\t2018年12月

\t2.每年考核。
\t县安监局
\t每年第一季度
"""


def test_a_table_flattened_one_cell_per_line(tmp_path: Path) -> None:
    doc, _ = draft(tmp_path, FLAT_TABLE)
    assert (doc.document.status, doc.document.title) == ("draft", "测试县实施方案")
    assert rows(doc) == [
        ("1", ["县编办", "县安监局"], [], None, "2018年12月"),
        ("2", ["县安监局"], [], None, "每年第一季度"),
    ]
    [section] = doc.sections
    assert (section.no, section.title) == ("附件", "重点任务分工方案")


def test_docx_paragraphs_and_a_real_table(tmp_path: Path) -> None:
    from docx import Document as Docx

    d = Docx()
    d.add_paragraph("2022年安全生产工作计划")
    d.add_paragraph("测试区安委办")
    d.add_paragraph("2022年1月5日")
    d.add_paragraph("一、主要任务")
    d.add_paragraph("1.排查隐患。全面排查。（责任单位：区应急管理局）")
    table = d.add_table(rows=3, cols=5)
    for row, values in zip(
        table.rows,
        [("序号", "工作任务", "牵头单位", "配合单位", "完成时限"),
         ("1", "开展培训", "区应急管理局", "区教育局、区人社局", "2022年6月底前"),
         ("2", "应急演练", "区消防救援大队", "", "每季度")],
        strict=True,
    ):  # fmt: skip
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    path = tmp_path / "plan.docx"
    d.save(str(path))
    text, _encoding = import_file(path)
    doc, problems = check_shape(Document, load_text(path, text).data)
    assert doc is not None, problems
    assert (doc.document.title, str(doc.document.date), doc.document.jurisdiction) == (
        "2022年安全生产工作计划", "2022-01-05", "测试区",
    )  # fmt: skip
    assert rows(doc) == [
        ("1", ["区应急管理局"], [], None, None),
        ("1", ["区应急管理局"], ["区教育局", "区人社局"], None, "2022年6月底前"),
        ("2", ["区消防救援大队"], [], None, "每季度"),
    ]


def test_xlsx_breakdown_table(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["2023年任务分工表"])
    ws.append(["序号", "主要任务", "牵头单位", "配合单位", "完成时限"])
    ws.append([1, "修订预案", "县应急管理局", "县公安局\n县卫健委", "2023年9月"])
    ws.append([2, "=SUM(1)", "县住建局", None, "长期坚持"])
    path = tmp_path / "table.xlsx"
    wb.save(path)
    text, _ = import_file(path, jurisdiction="测试县", doc_id="t-2023")
    doc, problems = check_shape(Document, load_text(path, text).data)
    assert doc is not None, problems
    assert (doc.document.id, doc.document.jurisdiction) == ("t-2023", "测试县")
    assert rows(doc) == [
        ("1", ["县应急管理局"], ["县公安局", "县卫健委"], None, "2023年9月"),
        ("2", ["县住建局"], [], None, "长期坚持"),
    ]
    assert [t.source.line for _, t in tasks(doc) if t.source] == [3, 4]


def test_gbk_text_is_read_and_said(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(PLAN.encode("gbk"))
    text, encoding = import_file(path)
    assert encoding == "gb18030" and "（gb18030 编码）" in text
    assert "市安委办" in text


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", None),
        ("binary.txt", b"\x00\x01\x02\xff" * 100, "NUL"),
        ("fake.docx", None, "Word"),
        ("fake.xlsx", b"not a zip at all", "Excel"),
        ("plan.pdf", b"%PDF-1.4", "不是有效的 PDF"),
        ("plan.key", b"PK", "格式"),
    ],
)
def test_bad_input_gets_a_message(
    tmp_path: Path, name: str, content: bytes | None, message: str | None
) -> None:
    path = tmp_path / name
    if content is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("hello.txt", "a zip of something else")
    else:
        path.write_bytes(content)
    if message is None:
        text, _ = import_file(path)
        doc, _problems = check_shape(Document, load_text(path, text).data)
        assert doc is not None and doc.sections == []
        return
    with pytest.raises(ImportProblem) as info:
        import_file(path)
    assert message in str(info.value)


def test_a_huge_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as out:
        out.seek(50 * 1024 * 1024)
        out.write(b"x")
    with pytest.raises(ImportProblem, match=r"huge\.txt 过大"):
        import_file(path)


def test_a_long_single_line_document(tmp_path: Path) -> None:
    source = ROOT / "data" / "sources" / "neimenggu-2017-decision.txt"
    doc, _ = draft(tmp_path, source.read_text(encoding="utf-8") * 3)
    assert len([t for _, t in tasks(doc)]) == 60
    hostile = "（" * 20000 + "责任单位：" + "、" * 20000
    draft(tmp_path, "一、甲\n1.任务。" + hostile + "\n", name="hostile.txt")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_arbitrary_text_never_crashes(tmp_path: Path, text: str) -> None:
    path = tmp_path / "any.txt"
    path.write_text(text, encoding="utf-8")
    try:
        yaml_text, _ = import_file(path)
    except ImportProblem:
        return
    doc, problems = check_shape(Document, load_text(path, yaml_text).data)
    assert doc is not None, problems


def test_bundled_sources_meet_the_quality_goals() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import import_eval

    total = import_eval.Score()
    for _, score in import_eval.bundled():
        total.add(score)
    assert total.recall >= 0.98
    assert total.precision >= 0.98
    assert import_eval._f1(*total.lead) >= 0.95 and import_eval._f1(*total.support) >= 0.95
    assert total.deadline >= 0.95
    assert total.role_words == 0


def test_cli_writes_atomically_and_needs_force(tmp_path: Path) -> None:
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    out = tmp_path / "plan.yaml"
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        runner = CliRunner()
        result = runner.invoke(app, ["import", "plan.txt", "-o", "plan.yaml"])
        assert result.exit_code == 0, result.output
        assert "待核对" in result.output and out.read_text(encoding="utf-8").startswith(
            "# 由 ansheng import"
        )
        out.write_text("# mine\n", encoding="utf-8")
        result = runner.invoke(app, ["import", "plan.txt", "-o", "plan.yaml"])
        assert result.exit_code == 2 and "--force" in result.output
        assert out.read_text(encoding="utf-8") == "# mine\n"
        assert (
            runner.invoke(app, ["import", "plan.txt", "-o", "plan.yaml", "--force"]).exit_code == 0
        )
        assert runner.invoke(app, ["import", "missing.txt"]).exit_code == 2
        result = runner.invoke(app, ["import", "plan.txt", "--from", "key"])
        assert result.exit_code == 2 and "格式" in result.output
    finally:
        os.chdir(old)


def test_word_automatic_numbering_is_read(tmp_path: Path) -> None:
    from docx import Document as Docx
    from docx.oxml.ns import qn

    from ansheng_cli.plan.cn import chinese

    assert [chinese(n) for n in (1, 10, 12, 20, 35, 101, 110)] == [
        "一",
        "十",
        "十二",
        "二十",
        "三十五",
        "一百零一",
        "一百一十",
    ]
    d = Docx()
    d.add_paragraph("2022年安全生产工作要点")
    d.add_paragraph("强化责任", style="List Bullet")  # bullets carry no number
    for text in ("落实责任。制定清单。（责任单位：县应急管理局）", "开展巡查。全面巡查。"):
        d.add_paragraph(text, style="List Number")
    # make List Number print 一、 二、 as Chinese documents do
    numbering = d.part.numbering_part.element
    style_num = d.styles["List Number"].element.pPr.numPr.numId.val
    num = next(n for n in numbering.findall(qn("w:num")) if n.get(qn("w:numId")) == str(style_num))
    abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    abstract = next(
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == abstract_id
    )
    level = abstract.findall(qn("w:lvl"))[0]
    level.find(qn("w:numFmt")).set(qn("w:val"), "chineseCounting")
    level.find(qn("w:lvlText")).set(qn("w:val"), "%1、")
    path = tmp_path / "auto.docx"
    d.save(str(path))
    text, _ = import_file(path, jurisdiction="测试县")
    doc, problems = check_shape(Document, load_text(path, text).data)
    assert doc is not None, problems
    assert rows(doc) == [("一", ["县应急管理局"], [], None, None), ("二", [], [], None, None)]
