"""The bundled data: the five source documents as encoded in data/tasks.

The expected values below were read off the source texts in data/sources, not off the
YAML: task counts per section, sampled tasks with their units and deadlines, and the
exact findings validate reports (suppressed or not) for each document.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from ansheng_cli.plan.loader import load_file
from ansheng_cli.plan.models import Document, Task, deadline_words
from ansheng_cli.plan.shape import check_shape
from ansheng_cli.plan.walk import sections, tasks
from ansheng_cli.validate.engine import Options, Validator

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
DOCS = sorted(p.stem for p in (DATA / "tasks").glob("*.yaml"))


@cache
def document(doc_id: str) -> Document:
    doc, problems = check_shape(Document, load_file(DATA / "tasks" / f"{doc_id}.yaml").data)
    assert doc is not None, problems
    return doc


def _label(doc: Document, path: tuple[str | int, ...]) -> str:
    out, items = [], doc.sections
    for i in range(1, len(path), 2):
        section = items[path[i]]
        out.append(section.no or section.title)
        items = section.sections
    return "/".join(out)


def task(doc_id: str, where: str, no: str) -> Task:
    doc = document(doc_id)
    found = [t for p, t in tasks(doc) if _label(doc, p[:-2]) == where and t.no == no]
    assert len(found) == 1, (where, no, found)
    return found[0]


def test_the_five_documents_are_there() -> None:
    assert DOCS == [
        "jilin-2014-reform-pilot",
        "luan-2017-13th-plan",
        "neimenggu-2017-decision",
        "xinghua-2020-workpoints",
        "xingning-2018-reform",
    ]
    for doc_id in DOCS:
        assert document(doc_id).document.id == doc_id
        assert (DATA / "departments" / f"{document(doc_id).document.jurisdiction}.yaml").is_file()


COUNTS = {
    "xingning-2018-reform": {
        "二/（一）": 8, "二/（二）": 3, "二/（三）": 6, "二/（四）": 6, "二/（五）": 5, "附件": 10,
    },
    "xinghua-2020-workpoints": {"一": 2, "二": 4, "三": 2, "四": 4, "五": 4, "六": 7},
    "jilin-2014-reform-pilot": {
        "四/(一)": 5, "四/(二)": 7, "四/(三)": 7, "四/(四)": 3, "五/(一)": 2, "五/(二)": 10,
    },
    "neimenggu-2017-decision": {"一": 3, "二": 4, "三": 8, "四": 5},
    "luan-2017-13th-plan": {
        "第四章/一": 5, "第四章/二": 6, "第四章/三": 4, "第四章/四": 17, "第四章/五": 2,
        "第四章/六": 4, "第五章/一": 6, "第五章/二/（一）": 4, "第五章/二/（二）/1": 5,
        "第五章/二/（二）/2": 3, "第五章/二/（二）/3": 3,
    },
}  # fmt: skip


@pytest.mark.parametrize("doc_id", DOCS)
def test_tasks_per_section(doc_id: str) -> None:
    doc = document(doc_id)
    counts = {_label(doc, p): len(s.tasks) for p, s in sections(doc) if s.tasks}
    assert counts == COUNTS[doc_id]


# (document, section, no) → (lead, support, others, deadline)
SAMPLES = {
    ("xingning-2018-reform", "二/（一）", "1"): ([], [], None, None),
    ("xingning-2018-reform", "二/（二）", "9"): ([], [], None, None),
    ("xingning-2018-reform", "二/（五）", "28"): ([], [], None, None),
    ("xingning-2018-reform", "附件", "1"): (["市编办", "市安监局"], [], None, "2018年12月"),
    ("xingning-2018-reform", "附件", "4"): (["市安监局", "市委组织部", "市人社局"], [], None, "每年第一季度"),
    ("xingning-2018-reform", "附件", "5"): (
        ["市安监局", "市公安局", "市住建局", "市交通运输局", "市消防大队"], [], None, "2018年12月"),
    ("xingning-2018-reform", "附件", "7"): (["市安监局", "市财政局", "市发改局"], [], None, "2018年12月"),
    ("xingning-2018-reform", "附件", "9"): (["市安监局"], [], None, "2018年10月"),
    ("xingning-2018-reform", "附件", "10"): (
        ["市安监局", "市公安局", "市交通运输局", "市住建局", "市工商质监局"], [], None, "2018年12月"),
    ("xingning-2018-reform", "附件", "11"): (["市安监局", "市金融办"], [], None, "2018年11月"),
    ("xinghua-2020-workpoints", "一", "1"): (["市委宣传部", "市安委办"], [], "相关部门", None),
    ("xinghua-2020-workpoints", "二", "6"): (["市委组织部", "市效能办", "市安委办"], [], None, None),
    ("xinghua-2020-workpoints", "三", "7"): (["市效能办", "市安委办"], [], "市相关部门", None),
    ("xinghua-2020-workpoints", "三", "8"): (["市安委办", "市专治办"], [], "市各专项整治牵头部门", None),
    ("xinghua-2020-workpoints", "四", "9"): (
        ["市发改委", "市工信局", "市行政审批局", "市应急管理局"], [], "相关部门", None),
    ("xinghua-2020-workpoints", "四", "12"): (
        ["市发改委", "市工信局", "市生态环境局", "市住建局", "市交通运输局", "市农业农村局",
         "市应急管理局", "市消防救援大队"], [], "相关部门", None),
    ("xinghua-2020-workpoints", "五", "14"): (
        ["市应急管理局", "市公安局", "市检察院", "市法院"], [], "相关部门", None),
    ("xinghua-2020-workpoints", "六", "22"): (["市应急管理局", "市委宣传部"], [], "相关部门", None),
    ("xinghua-2020-workpoints", "六", "23"): (
        ["市委宣传部", "市融媒体中心", "市教育局", "团市委", "市应急管理局", "市总工会"], [], "相关部门", None),
    ("jilin-2014-reform-pilot", "四/(一)", "1"): ([], [], None, None),
    ("jilin-2014-reform-pilot", "四/(二)", "7"): ([], [], None, None),
    ("jilin-2014-reform-pilot", "四/(四)", "22"): ([], [], None, None),
    ("jilin-2014-reform-pilot", "五/(一)", "1"): ([], [], None, "2014年"),
    ("jilin-2014-reform-pilot", "五/(一)", "2"): ([], [], None, "2015年"),
    ("jilin-2014-reform-pilot", "五/(二)", "1"): ([], [], None, "9月底前"),
    ("jilin-2014-reform-pilot", "五/(二)", "2"): ([], [], None, "2015年至2017年"),
    ("jilin-2014-reform-pilot", "五/(二)", "长春市"): (["长春市"], [], None, "2015年至2017年"),
    ("jilin-2014-reform-pilot", "五/(二)", "延边州"): (["延边州"], [], None, "2015年至2017年"),
    ("neimenggu-2017-decision", "一", "(一)"): ([], [], None, None),
    ("neimenggu-2017-decision", "二", "(四)"): ([], [], None, "每月企业至少对本单位的安全隐患进行1次全面检查；每季度企业至少开展1次安全风险评估和危害辨识"),
    ("neimenggu-2017-decision", "二", "(五)"): ([], [], None, "每年党委常委会和政府常务会分别至少听取2次安全生产工作汇报；每季度自治区安委会至少召开1次安委会会议；每月盟市、旗县(市、区)安委会至少召开1次安委会会议；每季度自治区安委会听取盟市和重点行业部门典型事故案例查处情况；每半年自治区党政主要领导至少1次带队开展安全生产督导检查；每季度盟市党政主要领导至少1次带队开展安全生产督导检查；每月旗县(市、区)党政主要领导至少1次带队开展安全生产督导检查"),
    ("neimenggu-2017-decision", "二", "(六)"): ([], [], None, "每月至少带队检查1次"),
    ("neimenggu-2017-decision", "三", "(九)"): ([], [], None, "2017年年底前盟市、旗县级政府全部设立安全生产监管执法机构；每3年在岗人员原则上轮训一次"),
    ("neimenggu-2017-decision", "三", "(十三)"): ([], [], None, "2017年年底前各盟市至少建立1支区域性应急救援队伍；2018年年底前自治区统筹规划建设2—3个综合性区域应急救援基地"),
    ("neimenggu-2017-decision", "三", "(十五)"): ([], [], None, "每月"),
    ("neimenggu-2017-decision", "四", "(二十)"): ([], [], None, None),
    ("luan-2017-13th-plan", "第四章/一", "（一）"): ([], [], None, None),
    ("luan-2017-13th-plan", "第四章/二", "（六）"): ([], [], None, None),
    ("luan-2017-13th-plan", "第四章/四", "非煤矿山"): ([], [], None, "到2020年"),
    ("luan-2017-13th-plan", "第四章/四", "水利"): ([], [], None, None),
    ("luan-2017-13th-plan", "第四章/五", "（二）"): ([], [], None, None),
    ("luan-2017-13th-plan", "第五章/一", "6"): ([], [], None, None),
    ("luan-2017-13th-plan", "第五章/二/（一）", "4"): ([], [], None, None),
    ("luan-2017-13th-plan", "第五章/二/（二）/1", "（5）"): ([], [], None, None),
    ("luan-2017-13th-plan", "第五章/二/（二）/3", "（3）"): ([], [], None, None),
}  # fmt: skip


@pytest.mark.parametrize(("key", "expected"), SAMPLES.items(), ids=[" ".join(k) for k in SAMPLES])
def test_sampled_tasks(key: tuple[str, str, str], expected: tuple[object, ...]) -> None:
    t = task(*key)
    assert (t.lead, t.support, t.others, deadline_words(t.deadline)) == expected


def test_titles_and_texts_are_the_documents_own_words() -> None:
    t = task("xingning-2018-reform", "二/（二）", "9")
    assert t.title == "完善监督管理体制"
    assert t.text is not None and t.text.startswith("强化市镇两级安全生产委员会的组织指导")
    t = task("xinghua-2020-workpoints", "一", "1")
    assert t.title == "坚持把深入学习贯彻习近平总书记关于安全生产重要论述作为重大政治任务"
    assert t.text is not None and t.text.endswith("进一步强化红线意识和底线思维。")


def test_document_metadata() -> None:
    meta = {d: document(d).document for d in DOCS}
    assert meta["xinghua-2020-workpoints"].doc_no == "兴安办〔2020〕20号"
    assert str(meta["xinghua-2020-workpoints"].date) == "2020-02-24"
    assert meta["xinghua-2020-workpoints"].default_deadline == "2020年底前"
    assert [meta[d].status for d in DOCS] == ["draft", "draft", "issued", "issued", "draft"]
    assert str(meta["neimenggu-2017-decision"].date) == "2017-01-26"
    assert str(meta["xingning-2018-reform"].date) == "2018-08-22"
    assert str(meta["luan-2017-13th-plan"].date) == "2017-08-30"


def test_indicators_of_luan() -> None:
    doc = document("luan-2017-13th-plan")
    groups = Counter(i.group for i in doc.indicators)
    assert groups == {"专栏1": 8, "专栏2": 7}
    road = next(i for i in doc.indicators if i.name == "道路交通万车死亡率" and i.group == "专栏2")
    assert road.baseline is not None and str(road.baseline.value) == "2.53"
    assert road.target is not None and (road.target.op, str(road.target.value)) == ("<=", "2.15")
    assert road.change is not None and str(road.change.percent) == "6"
    first = doc.indicators[0]
    assert (first.name, first.result, first.plan) == ("各类事故死亡总人数", "基本实现", "下降10%")


@cache
def _report() -> dict[str, list[tuple[str, bool]]]:
    report = Validator(Options()).run([str(DATA)])
    out: dict[str, list[tuple[str, bool]]] = {}
    for f in report.findings:
        out.setdefault(Path(f.file).stem, []).append((f.code, f.suppressed))
    return out


FINDINGS = {
    # 正文28项无单位、无时限（文件级确认）；附件缺第6项
    "xingning-2018-reform": {("W404", True): 28, ("W505", True): 28, ("W301", True): 1},
    "xinghua-2020-workpoints": {},
    # 22项主要任务与4个年度阶段无单位；22项无时限；第7项引用的两个文号用﹝﹞
    "jilin-2014-reform-pilot": {("W404", True): 26, ("W505", True): 22, ("W701", True): 2},
    "neimenggu-2017-decision": {("W404", True): 20, ("W505", True): 14},
    # 专栏2三项目标与基期、降幅不符；第六章两个“二、”
    "luan-2017-13th-plan": {("W404", True): 59, ("W601", True): 3, ("E302", True): 1},
}


@pytest.mark.parametrize("doc_id", DOCS)
def test_exact_findings_per_document(doc_id: str) -> None:
    assert Counter(_report().get(doc_id, [])) == FINDINGS[doc_id]


def test_registries_are_clean() -> None:
    for name in ("兴宁市", "兴化市", "吉林省", "内蒙古自治区", "六安市"):
        assert _report().get(name, []) == []


def test_validate_strict_passes_on_the_bundled_data() -> None:
    report = Validator(Options(strict=True)).run([str(DATA)])
    assert report.exit_code == 0
    assert len(report.files) == 10


def test_sources_are_unchanged_copies_of_the_seeds() -> None:
    import hashlib

    expected = {
        "xingning-2018-reform.txt": "e45d96d333ea0a108ec84035a52a8b6f4a162af59abeb99c65f99a59ae3934d8",
        "xinghua-2020-workpoints.txt": "6e04f495a993dc6c2e104af9eaaaa32d5295b68134ec393d4a7508f18280abb5",
        "jilin-2014-reform-pilot.txt": "c1b859edc6db76a81c9baabee52002550d0421c901d09d38f98d52c03fe39880",
        "neimenggu-2017-decision.txt": "8829c1bb6d10dcff7f1f47d793dbaa5e7dba8d1d54dbfa08804f01f9170323ee",
        "luan-2017-13th-plan.txt": "b1666da3e646957e13031671c0695e348b3e7a16bc82ac2a2c0eda024b8d7560",
    }
    for name, digest in expected.items():
        assert hashlib.sha256((DATA / "sources" / name).read_bytes()).hexdigest() == digest


@pytest.mark.parametrize("doc_id", DOCS)
def test_every_source_line_holds_the_start_of_its_task(doc_id: str) -> None:
    doc = document(doc_id)
    for _path, t in tasks(doc):
        assert t.source is not None, t.no
        source = (DATA / "sources" / t.source.file).read_text(encoding="utf-8").split("\n")
        line = source[t.source.line - 1]
        starts = [s[:12] for s in (t.text, t.title) if s]
        assert any(start in line for start in starts), (t.no, t.source.line, starts)
