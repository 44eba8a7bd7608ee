"""Where an assignment holds (item, several items, a section, 下同, stated conventions),
tasks inside one item, tables flattened into text, and the deadline an item states."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from ansheng_cli.importer import import_file
from ansheng_cli.plan.loader import load_text
from ansheng_cli.plan.models import Document
from ansheng_cli.plan.shape import check_shape
from ansheng_cli.plan.walk import tasks

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def imported(tmp_path: Path, name: str, **kw: Any) -> tuple[Document, str]:
    path = tmp_path / name
    shutil.copy(FIXTURES / name, path)
    text, _ = import_file(path, **kw)
    doc, problems = check_shape(Document, load_text(path, text).data)
    assert doc is not None, problems
    return doc, text


def rows(doc: Document) -> list[tuple[Any, ...]]:
    return [(t.no, t.lead, t.support, t.others, t.deadline) for _, t in tasks(doc)]


CARRIED = (["市消防救援支队"], "各区政府")  # 实施单位 given once, with 下同


def test_scope_of_assignments(tmp_path: Path) -> None:
    doc, text = imported(tmp_path, "scope.txt")
    assert doc.document.title == "测试市2022年安全生产工作要点"
    got = rows(doc)
    assert got[:3] == [
        ("1", ["市应急局"], ["市消防救援支队"], "各区政府", None),
        # 列第一的为牵头单位: the first of a plain list leads; a deadline inside the bracket
        ("2", ["市应急局"], ["市公安局", "市消防救援支队"], "各区政府", "2022年6月"),
        # cited title 《2019年…》 and the date of a cited notice are no deadlines
        ("3", ["市住建局"], ["市交通局", "市消防救援支队"], "各区政府", "每季度"),
    ]
    # a section heading's bracket covers its items; an item's own bracket wins
    assert got[3][:2] == ("4", ["市交通委"]) and got[4][:2] == ("5", ["市港航中心"])
    # 以下各项工作均由…负责
    assert [r[:2] for r in got[5:7]] == [("6", ["市财政局"]), ("7", ["市财政局"])]
    assert "分工取自所在部分的总括说明" in text


def test_tasks_inside_one_item(tmp_path: Path) -> None:
    doc, _ = imported(tmp_path, "scope.txt")
    [_, _, _, four, five] = doc.sections
    gas, fire = four.sections
    assert [(t.no, t.title, t.lead) for t in gas.tasks] == [
        ("一是", "排查餐饮场所", ["市住建局"]),
        ("二是", "整治液化气市场", ["市市场监管局"]),
        ("三是", "开展培训", ["市住建局"]),
    ]
    assert [(t.title, t.lead) for t in fire.tasks] == [
        ("排查高层建筑", ["市消防救援支队"]),
        ("整治电动自行车", ["市公安局"]),
    ]
    # unnumbered duty lines: X负责… (分别负责: each leads, no first-listed rule)
    assert [t.lead for t in five.tasks] == [["市应急局"], ["市公安局"], ["市住建局", "市城管局"]]


@pytest.mark.parametrize("name", ["flat_table.txt", "flat_lines.txt"])
def test_a_flattened_table_once(tmp_path: Path, name: str) -> None:
    """One cell per blank-separated paragraph (wrapped cells), or one cell per line."""
    doc, text = imported(tmp_path, name)
    assert rows(doc) == [
        ("1", ["县应急管理局"], ["县公安局", "县交通运输局"], None, "2023年6月底前"),
        ("1", ["县住建局"], [], None, "2023年9月底前"),  # a continuation row
        ("2", ["县应急管理局"], [], "各乡镇人民政府", "每年"),
    ]
    titles = [t.title for _, t in tasks(doc)]
    assert titles == ["开展隐患排查", "开展隐患排查", "修订应急预案"]
    if name == "flat_table.txt":
        assert "只按分工表导入一次" in text  # the body repeated the table without units


def test_a_registry_and_extra_roles(tmp_path: Path) -> None:
    units = {"市应急管理局": ["市应急局"], "市公安局": [], "市住建局": [], "市交通局": []}
    doc, text = imported(tmp_path, "scope.txt", units=units)
    first = next(t for _, t in tasks(doc))
    assert first.lead == ["市应急管理局"]
    assert "单位“市消防救援支队”不在单位名录中" in text


def test_deadlines_never_from_cited_dates(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "测试区2021年工作要点\n测试区安委办\n2021年3月1日\n一、任务\n"
        "1.贯彻《2019年安全生产规划》要求，落实2020年2月28日召开的会议精神。（区应急局负责）\n"
        "2.调查摸底（2021年4月至5月）。区应急局负责。\n"
        "3.整治隐患，2020年底前已完成一批，2021年9月底前全部完成。（区住建局负责）\n",
        encoding="utf-8",
    )
    text, _ = import_file(path)
    doc, _ = check_shape(Document, load_text(path, text).data)
    assert doc is not None
    assert [t.deadline for _, t in tasks(doc)] == [None, "2021年4月至5月", "2021年9月底前"]


def test_an_annex_of_duty_lines_assigns_body_tasks(tmp_path: Path) -> None:
    doc, text = imported(tmp_path, "annex.txt")
    assert doc.document.jurisdiction == "测试镇"
    assert rows(doc) == [
        ("1", ["镇安监办"], ["派出所"], None, None),
        ("2", ["镇城管中队"], [], None, None),
        ("3", ["镇宣传办"], [], None, None),
    ]
    assert "附件中 2 条分工已并入正文同名任务" in text


def test_sentences_each_closed_by_their_bracket(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "测试区2022年安全生产工作要点\n测试区安委办\n2022年1月5日\n一、强化监管\n"
        "（一）加强危化品监管\n开展危化品企业专项检查。（区应急局负责）\n"
        "整治危化品运输车辆。（区交通局、区公安分局负责）\n"
        "（二）加强燃气监管\n燃气企业全面自查，整改隐患。（区住建局负责）\n",
        encoding="utf-8",
    )
    text, _ = import_file(path)
    doc, _ = check_shape(Document, load_text(path, text).data)
    assert doc is not None
    # （一） holds two tasks (a section of its own), （二） is one task
    assert sorted((t.title, t.lead) for _, t in tasks(doc)) == [
        ("加强燃气监管", ["区住建局"]),
        ("开展危化品企业专项检查", ["区应急局"]),
        ("整治危化品运输车辆", ["区交通局", "区公安分局"]),
    ]


def test_a_registry_file_for_matching(tmp_path: Path) -> None:
    from ansheng_cli.importer import ImportProblem, units_from_registry

    root = Path(__file__).resolve().parents[1]
    units = units_from_registry(root / "data" / "departments" / "兴化市.yaml")
    assert "市安全生产委员会办公室" in units["市安委办"]
    path = tmp_path / "plan.txt"
    path.write_text(
        "兴化市2021年安全生产工作要点\n兴化市安全生产委员会办公室\n2021年3月1日\n一、任务\n"
        "1.压实责任。（兴化市安全生产委员会办公室牵头，市某某局配合）\n",
        encoding="utf-8",
    )
    text, _ = import_file(path, units=units)
    doc, _ = check_shape(Document, load_text(path, text).data)
    assert doc is not None
    [task] = [t for _, t in tasks(doc)]
    assert (task.lead, task.support) == (["市安委办"], ["市某某局"])
    assert "单位“市某某局”不在单位名录中" in text
    with pytest.raises(ImportProblem, match="找不到单位名录文件"):
        units_from_registry(tmp_path / "missing.yaml")


def test_an_unnumbered_heading_over_numbered_items(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "测试区2022年安全生产工作方案\n测试区安委办\n2022年1月5日\n一、主要任务\n"
        "1.排查隐患。全面排查。（区应急局负责）\n2.整治隐患。限期整改。（区住建局负责）\n"
        "工作安排\n（一）动员部署。制定方案。（区应急局负责）\n（二）集中整治。开展检查。（区住建局负责）\n"
        "二、工作要求\n（一）加强领导。各单位要高度重视。\n",
        encoding="utf-8",
    )
    text, _ = import_file(path)
    doc, _ = check_shape(Document, load_text(path, text).data)
    assert doc is not None
    [one, two] = doc.sections
    assert [t.no for t in one.tasks] == ["1", "2"]
    [plan] = one.sections
    assert (plan.no, plan.title, [t.no for t in plan.tasks]) == (
        None,
        "工作安排",
        ["（一）", "（二）"],
    )
    assert two.tasks == []  # 工作要求 holds no tasks


def test_an_assignment_bracket_inside_the_item(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_text(
        "测试区2022年安全生产工作方案\n测试区安委办\n2022年1月5日\n一、主要任务\n"
        "1.排查隐患。全面排查企业隐患（区应急局牵头，区公安分局配合），同时建立台账。\n",
        encoding="utf-8",
    )
    text, _ = import_file(path)
    doc, _ = check_shape(Document, load_text(path, text).data)
    assert doc is not None
    [task] = [t for _, t in tasks(doc)]
    assert (task.lead, task.support) == (["区应急局"], ["区公安分局"])
    assert "牵头" not in (task.text or "")
