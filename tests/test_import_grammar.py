"""The assignment grammar (importer.assignments) and actors in prose (importer.actors)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ansheng_cli.importer.actors import duty_line, subjects, unit_heading
from ansheng_cli.importer.assignments import (
    Grammar,
    UnitNames,
    parse_assignment,
    resolve,
    split_names,
)


def roles(text: str, **kw: object) -> tuple[list[str], list[str], list[str]] | None:
    found = parse_assignment(text, **kw)  # type: ignore[arg-type]
    return None if found is None else (found.lead, found.support, found.others)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # role words never stay inside unit names
        ("市交通委牵头负责", (["市交通委"], [], [])),
        ("省财政厅按职责分工负责", (["省财政厅"], [], [])),
        ("市国资委负责", (["市国资委"], [], [])),
        ("市民政局按职责组织", (["市民政局"], [], [])),
        ("市市场监管局按职责分工负责落实", (["市市场监管局"], [], [])),
        # a duty phrase after a lead supports it
        (
            "市交通委牵头，省财政厅、省公安厅按职责分工负责",
            (["市交通委"], ["省财政厅", "省公安厅"], []),
        ),
        ("A局牵头，各分局配合", (["A局"], [], ["各分局"])),
        ("市住建局牵头负责，各乡镇（街道）组织落实", (["市住建局"], [], ["各乡镇（街道）"])),
        # 等…有关部门 keeps the named unit, the tail is a catch-all
        ("省交通运输厅等省直有关部门负责", (["省交通运输厅"], [], ["省直有关部门"])),
        ("公安、文化、安监等部门配合", ([], [], ["公安、文化、安监等部门"])),
        # one catch-all, not split on the 、 inside it
        ("各市、县〔区〕人民政府负责", ([], [], ["各市、县〔区〕人民政府"])),
        # labels, several roles, deadline inside the bracket, 下同
        (
            "牵头单位:区规划局；配合单位：区交通与建设局、区水务集团",
            (["区规划局"], ["区交通与建设局", "区水务集团"], []),
        ),
        ("责任部门：市交通委、市公安局。时间节点：2025年3月", (["市交通委", "市公安局"], [], [])),
        (
            "责任单位：市绿化市容局，各区政府、临港新片区管委会",
            (["市绿化市容局", "临港新片区管委会"], [], ["各区政府"]),
        ),
        ("局质监处、消保处及公平交易处牵头", (["局质监处", "消保处", "公平交易处"], [], [])),
        ("各处室按职责分工负责", ([], [], ["各处室"])),
        (
            "市应急局牵头，市公安局、市交通局等部门配合",
            (["市应急局"], ["市公安局", "市交通局"], []),
        ),
        ("由市应急局牵头，会同市公安局等单位组织实施", (["市应急局"], ["市公安局"], [])),
        ("各县（市、区）政府负责，市应急局督导", ([], ["市应急局"], ["各县（市、区）政府"])),
        # the role in brackets after a name
        (
            "责任单位：市应急局（牵头）、市公安局、市交通局",
            (["市应急局"], ["市公安局", "市交通局"], []),
        ),
        ("市应急局（牵头）、市公安局（配合）负责", (["市应急局"], ["市公安局"], [])),
        # not an assignment
        ("含港澳台", None),
        ("2019年", None),
        ("确保落实", None),
    ],
)
def test_clauses(text: str, expected: object) -> None:
    assert roles(text) == expected


def test_deadline_and_same_below() -> None:
    found = parse_assignment("责任部门：市交通委。时间节点：2025年3月")
    assert found is not None and found.deadline == "2025年3月"
    found = parse_assignment("牵头单位：甲处，乙局、丙局为实施单位，下同")
    assert found is not None and found.same_below and found.below is not None
    assert (found.lead, found.support, found.below.support) == (
        ["甲处"],
        ["乙局", "丙局"],
        ["乙局", "丙局"],
    )
    found = parse_assignment("市应急局、市公安局按职责分工负责，2022年12月底前完成")
    assert found is not None and found.deadline == "2022年12月底前完成"
    stated_none = parse_assignment("牵头单位：甲局\n完成时限：—")
    assert stated_none is not None and stated_none.deadline == ""


def test_bare_unit_list_only_when_asked() -> None:
    assert parse_assignment("局办公室、下属事业单位") is None
    found = parse_assignment("局办公室、下属事业单位", bare_units=True)
    assert found is not None and (found.lead, found.others) == (["局办公室"], ["下属事业单位"])
    assert found.doubts


def test_more_role_phrases_from_configuration() -> None:
    assert parse_assignment("市应急局挂帅") is None
    grammar = Grammar([("挂帅", "lead"), ("跟进", "support")])
    found = parse_assignment("市应急局挂帅，市公安局跟进", grammar)
    assert found is not None and (found.lead, found.support) == (["市应急局"], ["市公安局"])


def test_split_names_keeps_every_bracket_kind() -> None:
    assert split_names("市公安局、各县（市、区）、各市、县〔区〕人民政府、甲［乙、丙］局") == [
        "市公安局", "各县（市、区）", "各市、县〔区〕人民政府", "甲［乙、丙］局",
    ]  # fmt: skip
    assert split_names("市委办和市政府办") == ["市委办", "市政府办"]
    assert split_names("各单位和各部门") == ["各单位和各部门"]


def test_registry_longest_match_and_doubts() -> None:
    registry = UnitNames(
        {"市应急管理局": ["市应急局"], "市公安局": [], "市公安局交警支队": ["交警支队"]}
    )
    assert registry.match("市应急局") == "市应急管理局"
    assert registry.match("由市公安局交警支队") == "市公安局交警支队"
    found = parse_assignment("市应急局牵头，市公安局、市园林局配合")
    assert found is not None
    resolve(found, registry)
    assert (found.lead, found.support) == (["市应急管理局"], ["市公安局", "市园林局"])
    assert found.doubts == ["单位“市园林局”不在单位名录中"]


def test_prose_subjects() -> None:
    found = subjects("排查整治内容：消防支队筹建组负责检查；县政府要组织有关部门联合检查。")
    assert found is not None and found.lead == ["消防支队筹建组", "县政府"]
    found = subjects("各区（县）政府要切实履行属地监管职能。")
    assert found is not None and (found.lead, found.others) == ([], ["各区（县）政府"])
    assert subjects("加强监管要到位，确保安全。") is None
    assert subjects("按照属地管理，业主负责，部门配合的原则。") is None


def test_unit_headings_and_duty_lines() -> None:
    heading = unit_heading("街道消委办。牵头开展关爱工作。")
    assert heading is not None and heading[0].lead == ["街道消委办"]
    assert unit_heading("建立区域联络小组。车站…") is None
    duty = duty_line("市商务委、市国资委、市民防办分别负责指导各车站。")
    assert duty is not None and duty.lead == ["市商务委", "市国资委", "市民防办"]
    assert duty_line("市应急局负责指导应急处置。") is not None
    assert duty_line("小型餐饮场所要认真自查。") is None


def test_named_duties_only_in_so_many_words() -> None:
    from ansheng_cli.importer.actors import named_duties

    found = named_duties("建立台账。市应急局负责督促检查，市住建局牵头整改。")
    assert found is not None and found.lead == ["市应急局", "市住建局"]
    assert named_duties("各地要加强检查，企业负责整改。") is None
    assert named_duties("市安委会主任或者副主任会同组织部门负责约谈。") is None


def test_prose_subject_with_a_date() -> None:
    found = subjects("各居村、相关责任单位于2021年12月20日前完成排查。")
    assert found is not None and (found.lead, found.others) == ([], ["各居村", "相关责任单位"])


ALPHABET = "市县区局委办厅处各有关相关等牵头负责配合按职责分工、，。；（）〔〕()：:下同以上由和及年月日底前0123456789一二是 \n"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80))
def test_the_grammar_never_crashes(text: str) -> None:
    found = parse_assignment(text, bare_units=True)
    if found is not None:
        for name in [*found.lead, *found.support]:
            assert name and not name.endswith(("牵头", "负责", "配合"))
    subjects(text)
    split_names(text)
