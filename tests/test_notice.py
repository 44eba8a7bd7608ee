"""催办单 (supervise.notice): letters read back with python-docx, user templates, refusals,
file names, the built-in template's reproducibility and its printed pages."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from ansheng_cli.errors import FileProblem, UsageProblem
from ansheng_cli.supervise.notice import (
    MAX_NAME_CHARS,
    Letter,
    NoticeItem,
    file_names,
    render_letters,
)

ROOT = Path(__file__).resolve().parents[1]
ISSUER = "兴化市安全生产委员会办公室"
PLAN = "兴化市安全生产专项整治三年行动实施方案"
POINTS = "2024年全市安全生产工作要点"
LONG = (
    "深入开展危险化学品、矿山、消防、道路运输、工业园区等重点行业领域安全整治，建立健全安全风险"
    "分级管控和隐患排查治理双重预防机制，推动企业落实全员安全生产责任制。"
)
OVERDUE = [
    NoticeItem("（三）3", PLAN, LONG, "牵头", "2024年6月底前", dt.date(2024, 6, 30), 1, "红"),
    NoticeItem("12", POINTS, "组织开展安全生产月活动。", "配合", "每季度", dt.date(2024, 3, 31), 92, "红"),
]  # fmt: skip
SOON = [
    NoticeItem("7", POINTS, "完成全市应急预案修订工作。", "牵头", "2024年7月10日前",
               dt.date(2024, 7, 10), -9, "黄"),
]  # fmt: skip
RED = Letter(
    "市应急管理局", "兴化市", "红色", ISSUER, dt.date(2024, 7, 1), OVERDUE, SOON,
    return_by=dt.date(2024, 7, 10), round="2024年第二季度", missing_return=True,
    number="安委办督〔2024〕3号",
)  # fmt: skip
YELLOW = Letter(
    "市住房和城乡建设局", "兴化市", "黄色", ISSUER, dt.date(2024, 7, 1), [], SOON,
    missing_return=True,
)  # fmt: skip


def read(path: Path) -> Any:
    from docx import Document

    return Document(str(path))


def paragraphs(doc: Any) -> list[tuple[str, str]]:
    """(style name, text) of the body's paragraphs that show something."""
    return [(p.style.name, p.text) for p in doc.paragraphs if p.text.strip()]


def cells(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def colour(para: Any) -> str | None:
    [shown] = [r for r in para.runs if r.text]
    return None if shown.font.color.rgb is None else str(shown.font.color.rgb)


def test_red_letter_reads_back(tmp_path: Path) -> None:
    from docx.shared import Mm

    [path] = render_letters([RED], tmp_path / "out")
    assert path == tmp_path / "out" / "市应急管理局_红色督办单.docx"
    doc = read(path)
    assert paragraphs(doc) == [
        ("发文机关标志", ISSUER),
        ("督办单标题", "红色督办单"),
        ("文号", "安委办督〔2024〕3号"),
        ("主送", "市应急管理局："),
        # the missing 进展填报表 first, then the tasks
        ("正文", "按照兴化市安全生产工作任务分工，经梳理，截至2024年7月1日，你单位尚未报送"
                 "2024年第二季度任务进展填报表，牵头或配合的任务中有2项已超过完成时限、1项即将到期。"),
        ("正文", "现对上述事项予以红色督办。请单位主要负责同志亲自过问，逐项查明原因，"
                 "明确整改措施和完成时间，确保尽快完成。"),
        ("一级标题", "一、已逾期任务（2项）"),
        ("一级标题", "二、即将到期任务（1项）"),
        ("正文", "请于2024年7月10日前补报2024年第二季度任务进展填报表，"
                 "并将上述任务办理进展情况（附佐证材料）书面报送我办。"),
        ("署名", ISSUER),
        ("成文日期", "2024年7月1日"),
    ]  # fmt: skip
    overdue, soon = doc.tables
    assert cells(overdue) == [
        ["序号", "任务", "完成时限", "状态"],
        ["1", f"《{PLAN}》（三）3（牵头）\n{LONG}", "2024年6月底前", "逾期1天"],
        ["2", f"《{POINTS}》第12项（配合）\n组织开展安全生产月活动。", "每季度（2024年3月31日）",
         "逾期92天"],
    ]  # fmt: skip
    assert cells(soon) == [
        ["序号", "任务", "完成时限", "状态"],
        ["3", f"《{POINTS}》第7项（牵头）\n完成全市应急预案修订工作。", "2024年7月10日前", "还剩9天"],
    ]  # fmt: skip
    title = next(p for p in doc.paragraphs if p.text == "红色督办单")
    assert colour(title) is None  # black: GB/T 9704 keeps red for the issuer and its rule
    [section] = doc.sections
    page = [section.page_width, section.page_height, section.top_margin, section.bottom_margin,
            section.left_margin, section.right_margin]  # fmt: skip
    assert [round(v / Mm(1)) for v in page] == [210, 297, 37, 35, 28, 26]


def test_yellow_letter_without_overdue_tasks_or_return_date(tmp_path: Path) -> None:
    [path] = render_letters([YELLOW], tmp_path)
    assert path.name == "市住房和城乡建设局_黄色督办单.docx"
    doc = read(path)
    shown = paragraphs(doc)
    assert shown[:3] == [
        ("发文机关标志", ISSUER),
        ("督办单标题", "黄色督办单"),
        ("主送", "市住房和城乡建设局："),  # no number: its line is left out
    ]
    assert shown[3:] == [
        ("正文", "按照兴化市安全生产工作任务分工，经梳理，截至2024年7月1日，"
                 "你单位尚未报送本期任务进展填报表，牵头或配合的任务中有1项即将到期。"),
        # the 督办 is for the missing sheet, not for 上述任务 (none is overdue)
        ("正文", "现予以黄色督办。请分管负责同志督促落实，对即将到期的任务抓紧推进，确保按期完成。"),
        ("一级标题", "一、即将到期任务（1项）"),
        # no round date: 5 working days after the letter's (2024-07-01, a Monday)
        ("正文", "请于2024年7月8日前补报本期任务进展填报表，"
                 "并将上述任务办理进展情况（附佐证材料）书面报送我办。"),
        ("署名", ISSUER),
        ("成文日期", "2024年7月1日"),
    ]  # fmt: skip
    [table] = doc.tables
    assert cells(table)[1][0] == "1"  # numbered from 1 when nothing is overdue
    title = next(p for p in doc.paragraphs if p.text == "黄色督办单")
    assert colour(title) is None


def test_letter_for_a_missing_return_only(tmp_path: Path) -> None:
    # no task at all: the letter is about the sheet, with no 上述任务 and no past date
    letter = Letter("市委宣传部", "兴化市", "黄色", ISSUER, dt.date(2024, 7, 15), [], [],
                    return_by=dt.date(2024, 7, 10), round="2024年第二季度", missing_return=True)  # fmt: skip
    [path] = render_letters([letter], tmp_path)
    doc = read(path)
    assert paragraphs(doc)[3:] == [
        ("正文", "按照兴化市安全生产工作任务分工，经梳理，截至2024年7月15日，"
                 "你单位尚未报送2024年第二季度任务进展填报表。"),
        ("正文", "现予以黄色督办。请分管负责同志督促落实。"),
        ("正文", "请于2024年7月22日前将2024年第二季度任务进展填报表书面补报我办。"),
        ("署名", ISSUER),
        ("成文日期", "2024年7月15日"),
    ]  # fmt: skip
    assert not doc.tables
    assert "上述" not in "".join(p.text for p in doc.paragraphs)


def test_letter_for_overdue_tasks_only_and_a_past_return_date(tmp_path: Path) -> None:
    letter = Letter("市公安局", "兴化市", "黄色", ISSUER, dt.date(2024, 7, 12), OVERDUE[:1], [],
                    return_by=dt.date(2024, 7, 10), round="2024年第二季度")  # fmt: skip
    [path] = render_letters([letter], tmp_path)
    shown = paragraphs(read(path))
    assert shown[3:5] == [
        ("正文", "按照兴化市安全生产工作任务分工，经梳理，截至2024年7月12日，"
                 "你单位牵头或配合的任务中有1项已超过完成时限。"),
        ("正文", "现对上述任务予以黄色督办。请分管负责同志督促推进，逐项明确措施，确保按期完成。"),
    ]  # fmt: skip
    # the round's 2024-07-10 has passed: 5 working days after Friday 2024-07-12
    assert (
        "正文",
        "请于2024年7月19日前将上述任务办理进展情况（附佐证材料）书面报送我办。",
    ) in shown


@pytest.mark.parametrize(
    ("as_of", "return_by", "expected"),
    [
        (dt.date(2024, 7, 1), dt.date(2024, 7, 10), dt.date(2024, 7, 10)),  # still ahead
        (dt.date(2024, 7, 10), dt.date(2024, 7, 10), dt.date(2024, 7, 17)),  # today: too late
        (dt.date(2024, 7, 15), dt.date(2024, 7, 10), dt.date(2024, 7, 22)),  # passed
        (dt.date(2024, 7, 1), None, dt.date(2024, 7, 8)),
        (dt.date(2024, 7, 6), None, dt.date(2024, 7, 12)),  # from a Saturday
        (dt.date(2024, 12, 31), None, dt.date(2025, 1, 7)),
    ],
)
def test_reply_date_is_never_past(
    as_of: dt.date, return_by: dt.date | None, expected: dt.date
) -> None:
    from ansheng_cli.supervise.notice import context

    letter = Letter("市局", "兴化市", "红色", ISSUER, as_of, OVERDUE, [], return_by=return_by)
    variables = context(letter)
    assert variables["reply_by"] == f"{expected.year}年{expected.month}月{expected.day}日"
    assert expected > as_of
    # the round's own date stays as it was, for templates that name it
    assert variables["return_by"] == (
        None if return_by is None else f"{return_by.year}年{return_by.month}月{return_by.day}日"
    )


def test_signature_block_keeps_together(tmp_path: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    [path] = render_letters([RED], tmp_path)
    doc = read(path)
    body = doc.paragraphs
    closing = next(i for i, p in enumerate(body) if p.text.startswith("请于"))
    signer, date = body[-2], body[-1]
    assert (signer.style.name, date.style.name) == ("署名", "成文日期")
    # the closing sentence, the blank lines left for the seal, the issuer and the date
    # go to a page together: the 落款 never stands alone on one
    chain = body[closing:]
    assert [p.text for p in chain[1:-2]] == ["", ""]
    for para in chain[:-1]:
        fmt = para.paragraph_format
        keep = fmt.keep_with_next if fmt.keep_with_next is not None else (
            para.style.paragraph_format.keep_with_next)  # fmt: skip
        assert keep, para.text
    assert body[closing].paragraph_format.keep_together
    assert signer.style.paragraph_format.keep_together
    assert date.style.paragraph_format.keep_with_next
    # 成文日期 右空四字; the issuer centred on the date (加盖印章, GB/T 9704 7.3.5.1)
    date_fmt, signer_fmt = date.style.paragraph_format, signer.style.paragraph_format
    assert date_fmt.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert date_fmt.right_indent == Pt(4 * 16)
    assert signer_fmt.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert not signer_fmt.right_indent and signer.paragraph_format.alignment is None
    line = Mm(156) - signer_fmt.left_indent  # the issuer's line ends at the right margin
    date_middle = Pt(4 * 16) + Pt(3.75 * 16)  # of a date 7.5 characters wide
    assert abs(line / 2 - date_middle) < Pt(1)


def test_long_issuer_is_set_flush_right(tmp_path: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    issuer = "兴化市兴化区安全生产委员会办公室"  # 16 characters: over the centred line
    letter = Letter("市局", "兴化市", "红色", issuer, dt.date(2024, 7, 1), OVERDUE, [])
    [path] = render_letters([letter], tmp_path)
    signer = [p for p in read(path).paragraphs if p.style.name == "署名"]
    assert [p.text for p in signer] == [issuer]
    assert signer[0].paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert signer[0].paragraph_format.left_indent == 0
    assert signer[0].style.paragraph_format.keep_with_next


def test_task_table_layout(tmp_path: Path) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm

    [path] = render_letters([RED], tmp_path)
    doc = read(path)
    for table in doc.tables:
        grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.iter(qn("w:gridCol"))]
        widths = [round(twips * 25.4 / 1440) for twips in grid]
        assert sum(widths) == 156
        number, task, deadline, state = widths
        assert number >= 13  # 序号 on one line
        assert state >= 30  # 逾期1234天 on one line
        assert task > deadline > state
        for row in table.rows:
            assert [round(c.width / Mm(1)) for c in row.cells] == widths
        # rows may break across pages; the header row repeats on each
        assert not table._tbl.xpath(".//w:cantSplit")
        header, *rows = table.rows
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        # the task text is set left, not justified (which spreads Han characters apart)
        for row in rows:
            for para in row.cells[1].paragraphs:
                assert para.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.LEFT
                assert para.paragraph_format.alignment is None
                # keep-with-next in a cell would keep each row with the next one
                assert not para.style.paragraph_format.keep_with_next


def test_reminder_and_text_made_xml_safe(tmp_path: Path) -> None:
    odd = NoticeItem("1", "A&B<方案>", "甲\x07乙\x0c丙 & <w:p> {{ unit }}\n丁", "牵头",
                     "2024年底前", dt.date(2024, 12, 31), -30, "绿")  # fmt: skip
    letter = Letter("市\x1b局", "兴化市", "提醒", ISSUER, dt.date(2024, 12, 1), [], [odd])
    [path] = render_letters([letter], tmp_path)
    assert path.name == "市_局_提醒单.docx"
    doc = read(path)
    assert ("督办单标题", "提醒单") in paragraphs(doc)
    assert ("主送", "市\ufffd局：") in paragraphs(doc)
    [table] = doc.tables
    assert cells(table)[1] == [
        "1",
        "《A&B<方案>》第1项（牵头）\n甲\ufffd乙\ufffd丙 & <w:p> {{ unit }}\n丁",
        "2024年底前（2024年12月31日）",
        "还剩30天",
    ]


def test_several_letters_and_nothing_left_behind(tmp_path: Path) -> None:
    out = tmp_path / "letters"
    paths = render_letters([RED, YELLOW], out)
    assert [p.name for p in paths] == [
        "市应急管理局_红色督办单.docx",
        "市住房和城乡建设局_黄色督办单.docx",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in paths)  # no temp files
    # a second run replaces the letters in place
    assert render_letters([RED], out) == paths[:1]


def docx_template(path: Path, *texts: str, cell: str | None = None) -> Path:
    from docx import Document

    doc = Document()
    for text in texts:
        doc.add_paragraph(text)
    if cell is not None:
        doc.add_table(rows=1, cols=1).cell(0, 0).text = cell
    doc.save(str(path))
    return path


def test_own_template(tmp_path: Path) -> None:
    own = docx_template(
        tmp_path / "own.docx",
        "{{ unit }}（{{ title }}，{{ level }}）",
        "{% for item in items %}{{ item.seq }}.{{ item.status }}；{% endfor %}",
        "{{ date }} {{ return_by }} {{ summary }}",
    )
    [path] = render_letters([RED], tmp_path / "out", own)
    assert [p.text for p in read(path).paragraphs] == [
        "市应急管理局（红色督办单，红色）",
        "1.逾期1天；2.逾期92天；3.还剩9天；",
        "2024年7月1日 2024年7月10日 有2项已超过完成时限、1项即将到期",
    ]


@pytest.mark.parametrize(
    ("texts", "cell", "message"),
    [
        (["{% if unit %}没有结束"], None, "在“{% if unit %}没有结束”处语法错误"),
        (["{{ unit | nosuch }}"], None, "语法错误：No filter named 'nosuch'"),
        (["前文", "{{ unitt }}"], None, "在“{{ unitt }}”处出错：变量 unitt 未定义"),
        (["{{ items[0].nosuch }}"], None, "任务没有 nosuch 这一项（可用：seq、no、"),
        (["{{ unit.__class__.__mro__ }}"], None, "unsafe"),
        (["{% for i in range(10**9) %}{% endfor %}"], None, "range 范围过大"),
        (["{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}"],
         None, "循环次数超过"),
        (['{% for i in range(99999) %}{{ "x" * 999 }}{% endfor %}'], None, "输出超过"),
        (["{% if not missing_return %}"], "{% endif %}", "生成的文档结构不完整"),
    ],
)  # fmt: skip
def test_template_errors_are_named_and_write_nothing(
    tmp_path: Path, texts: list[str], cell: str | None, message: str
) -> None:
    bad = docx_template(tmp_path / "bad.docx", *texts, cell=cell)
    out = tmp_path / "out"
    with pytest.raises(UsageProblem) as caught:
        render_letters([RED, YELLOW], out, bad)
    assert f"模板 {bad} " in str(caught.value) or f"模板 {bad}：" in str(caught.value)
    assert message in str(caught.value)
    assert not out.exists()


def test_a_template_that_fails_on_a_later_letter_writes_none(tmp_path: Path) -> None:
    bad = docx_template(tmp_path / "bad.docx", "{{ overdue[0].text }}")
    out = tmp_path / "out"
    with pytest.raises(UsageProblem):
        render_letters([RED, YELLOW], out, bad)  # YELLOW has no overdue task
    assert not out.exists()


def test_files_that_are_no_word_document(tmp_path: Path) -> None:
    text = tmp_path / "text.docx"
    text.write_text("{{ unit }}", encoding="utf-8")
    with pytest.raises(FileProblem, match="不是有效的"):
        render_letters([RED], tmp_path / "out", text)
    # a Word template (.dotx) saved instead of a document
    good = docx_template(tmp_path / "good.docx", "{{ unit }}")
    dotx = tmp_path / "x.dotx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(dotx, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            dst.writestr(name, data)
    with pytest.raises(FileProblem, match=r"\.dotx"):
        render_letters([RED], tmp_path / "out", dotx)
    with pytest.raises(FileProblem):
        render_letters([RED], tmp_path / "out", tmp_path / "missing.docx")
    if hasattr(os, "mkfifo"):  # a pipe is refused unread, not waited on
        os.mkfifo(tmp_path / "pipe.docx")
        with pytest.raises(FileProblem, match="不是普通文件"):
            render_letters([RED], tmp_path / "out", tmp_path / "pipe.docx")
    assert not (tmp_path / "out").exists()


def test_file_names_are_safe_and_distinct(tmp_path: Path) -> None:
    units = ["../../etc/passwd", "a/b", "a_b", "A_B", "市\x00应急\\局", "\u202e局办", "长" * 200,
             "", " . ", "CON", "a:b*?<>|\"c"]  # fmt: skip
    letters = [Letter(u, "兴化市", "提醒", ISSUER, dt.date(2024, 7, 1), [], SOON) for u in units]
    names = file_names(letters)
    assert names[:4] == ["etc_passwd_提醒单.docx", "a_b_提醒单.docx", "a_b_提醒单（2）.docx",
                         "A_B_提醒单（3）.docx"]  # fmt: skip
    assert names[4:6] == ["市_应急_局_提醒单.docx", "局办_提醒单.docx"]
    assert names[6] == "长" * MAX_NAME_CHARS + "_提醒单.docx"
    assert names[7:] == ["未命名单位_提醒单.docx", "未命名单位_提醒单（2）.docx", "CON_提醒单.docx",
                         "a_b______c_提醒单.docx"]  # fmt: skip
    for name in names:
        assert len(name.encode("utf-8")) < 255
        assert not any(c in name for c in '/\\:*?"<>|') and name.isprintable()
    paths = render_letters(letters, tmp_path / "out")
    assert all(p.parent == tmp_path / "out" and p.is_file() for p in paths)
    assert len(set(paths)) == len(units)


def test_built_in_template_is_what_the_script_makes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_notice_template", ROOT / "tools" / "make_notice_template.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    def parts(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            return {name: package.read(name) for name in package.namelist()}

    committed = (ROOT / "templates" / "催办单.docx").read_bytes()
    assert parts(module.build()) == parts(committed), "run tools/make_notice_template.py"


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.skipif(SOFFICE is None or PDFTOTEXT is None, reason="needs LibreOffice and poppler")
def test_printed_pages(tmp_path: Path) -> None:
    from tests.test_export_render import to_pdf

    red, yellow = render_letters([RED, YELLOW], tmp_path)
    for path, count in ((red, 2), (yellow, 1)):
        assert PDFTOTEXT is not None
        text = subprocess.run(
            [PDFTOTEXT, "-layout", str(to_pdf(path)), "-"],
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        pages = ["".join(page.split()) for page in text.split("\f")[:-1]]
        assert len(pages) == count, path.name
        assert pages[0].startswith(ISSUER)
        assert path.stem.split("_")[1] in pages[0]
        assert pages[-1].endswith(f"{ISSUER}2024年7月1日—{count}—")
        for number, page in enumerate(pages, 1):
            assert f"—{number}—" in page
