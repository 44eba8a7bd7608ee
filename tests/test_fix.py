"""ansheng fix: only the listed repairs, each tied to a rule code; comments and the rest kept."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansheng_cli.fix import fix_text
from ansheng_cli.plan.loader import load_text
from ansheng_cli.plan.registry import Registry
from ansheng_cli.validate.engine import Options, Validator
from tests.clirun import run

ROOT = Path(__file__).resolve().parents[1]

DOC = """# 头注释
schema: ansheng/v1
document: {id: t, title: 测试, issuer: 测试市安委办, doc_no: 测安办﹝2020﹞2号, date: 2020-02-24, jurisdiction: 测试市, default_deadline: 2020年底前}
sections:
  - no: 一
    title: 甲
    tasks:
      - no: "1"  # 第一项
        text: 按照《方案》（安委办[2014]14号）执行
        lead: [市应急局, 市 公安局]
        support: [市安监局]
        deadline: ２０２０年 １２月底前
      - no: "2"
        text: 依据（安委办﹝2014﹞15号）  # ansheng: ignore[W701] 原文如此
        lead: [市公安局]
"""


def codes(repo: Path) -> list[str]:
    report = Validator(Options()).run([str(repo / "data" / "tasks")])
    return sorted(f.code for f in report.findings if not f.suppressed)


def test_fix_repairs_what_it_lists_and_keeps_the_rest(repo: Path) -> None:
    plan = repo / "data" / "tasks" / "plan.yaml"
    plan.write_text(DOC, encoding="utf-8")
    assert codes(repo) == ["E401", "W402", "W403", "W408", "W506", "W701", "W701"]
    code, out = run(repo, "fix", "--diff", "data")
    assert code == 1 and plan.read_text(encoding="utf-8") == DOC
    assert (
        "-        lead: [市应急局, 市 公安局]" in out
        and "+        lead: [市应急管理局, 市公安局]" in out
    )
    code, out = run(repo, "fix", "data")
    assert code == 0
    assert out.splitlines()[:5] == [
        "data/tasks/plan.yaml:3: W701 “测安办﹝2020﹞2号” → “测安办〔2020〕2号”",
        "data/tasks/plan.yaml:9: W701 “按照《方案》（安委办[2014]14号）执行” → “按照《方案》（安委办〔2014〕14号）执行”",
        "data/tasks/plan.yaml:12: W506 “２０２０年 １２月底前” → “2020年12月底前”",
        "data/tasks/plan.yaml:10: W402 “市应急局” → “市应急管理局”",
        "data/tasks/plan.yaml:10: W408 “市 公安局” → “市公安局”",
    ]
    fixed = plan.read_text(encoding="utf-8")
    assert (
        "# 头注释" in fixed
        and '- no: "1"  # 第一项' in fixed
        and "（安委办﹝2014﹞15号）  # ansheng" in fixed
    )
    assert codes(repo) == ["W403"]
    code, out = run(repo, "fix", "--rename-to-successors", "data")
    assert "W403 “市安监局” → “市应急管理局”" in out
    assert codes(repo) == ["W405"]  # now lead and support: a real defect for a person


def test_select_limits_the_repairs(repo: Path) -> None:
    plan = repo / "data" / "tasks" / "plan.yaml"
    plan.write_text(DOC, encoding="utf-8")
    run(repo, "fix", "--select", "W402", "data")
    assert codes(repo) == ["E401", "W403", "W408", "W506", "W701", "W701"]


def test_fix_on_a_copy_of_the_bundled_data(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    jilin = tmp_path / "data" / "tasks" / "jilin-2014-reform-pilot.yaml"
    before = jilin.read_text(encoding="utf-8")
    unacknowledged = "\n".join(
        line.split("  # ansheng: ignore[W701]")[0] for line in before.split("\n")
    )
    jilin.write_text(unacknowledged, encoding="utf-8")
    assert "W701" in codes(tmp_path)
    code, out = run(tmp_path, "fix", "data")
    assert code == 0 and out.count(" W701 ") == 1  # one value held both 文号
    assert "W701" not in codes(tmp_path)
    after = jilin.read_text(encoding="utf-8").split("\n")
    changed = [
        i for i, (a, b) in enumerate(zip(unacknowledged.split("\n"), after, strict=True)) if a != b
    ]
    assert len(changed) == 1
    assert "安委办〔2014〕14号" in after[changed[0]] and "安监总厅〔2014〕73号" in after[changed[0]]


def _registry() -> Registry:
    from ansheng_cli.plan.models import UnitRegistry

    model = UnitRegistry.model_validate(
        {"schema": "ansheng/units-v1", "jurisdiction": "测试市",
         "units": [{"name": "市应急管理局", "aliases": ["市应急局"]}, {"name": "市公安局"}]}
    )  # fmt: skip
    return Registry(model, Path("x.yaml"))


def _leaves(data: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    if isinstance(data, dict):
        return {
            k: v for key, value in data.items() for k, v in _leaves(value, (*path, key)).items()
        }
    if isinstance(data, list):
        return {k: v for i, value in enumerate(data) for k, v in _leaves(value, (*path, i)).items()}
    return {path: data}


unit = st.sampled_from(["市应急局", "市应急管理局", "市 公安局", "市公安局", "市第１中学"])
deadline = st.sampled_from(["2020年底前", "２０２０年底前", "每季度", "2020年 12月"])
text = st.sampled_from(["按要求（安委办﹝2014﹞1号）落实", "落实责任", "依据[2019]3号文"])


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.lists(unit, max_size=3), st.lists(unit, max_size=2), deadline, text),
        min_size=1,
        max_size=4,
    )
)
def test_fix_changes_only_the_values_it_reports(
    items: list[tuple[list[str], list[str], str, str]],
) -> None:
    lines = [
        "schema: ansheng/v1",
        "document: {id: t, title: 测试, issuer: 办, date: 2020-02-24, jurisdiction: 测试市}",
        "sections:",
        "  - title: 甲  # 注释",
        "    tasks:",
    ]
    for i, (lead, support, due, words) in enumerate(items):
        lines += [
            f'      - no: "{i + 1}"',
            f"        text: {words}",
            f"        lead: [{', '.join(lead)}]",
            f"        support: [{', '.join(support)}]",
            f"        deadline: {due}  # 时限",
        ]
    source = "\n".join(lines) + "\n"
    fixed = fix_text(source, lambda _: _registry(), ["W"])
    before = _leaves(load_text(Path("a"), source).data)
    after = _leaves(load_text(Path("b"), fixed.text).data)
    assert before.keys() == after.keys()
    changed = [(before[k], after[k]) for k in before if before[k] != after[k]]
    assert sorted(changed) == sorted((c.old, c.new) for c in fixed.changes)
    assert fixed.text.count("#") == source.count("#")
    again = fix_text(fixed.text, lambda _: _registry(), ["W"])
    assert again.changes == []


BLOCK_TASK = """schema: ansheng/v1
document: {id: t, title: 测试, issuer: 测试市安委办, date: 2020-02-24, jurisdiction: 测试市, default_deadline: 2020年底前}
sections:
  - no: 一
    title: 甲
    tasks:
      - no: "1"
        lead:
          - 市公安局
          - 相关部门
        support: [有关单位]
        deadline: 2020年底前
"""


def test_catch_alls_move_to_others_in_block_and_flow_lists(repo: Path) -> None:
    plan = repo / "data" / "tasks" / "plan.yaml"
    plan.write_text(BLOCK_TASK, encoding="utf-8")
    code, out = run(repo, "fix", "--select", "W407")
    assert code == 0 and out.count("W407") == 2
    assert plan.read_text(encoding="utf-8") == BLOCK_TASK.replace(
        "          - 相关部门\n", ""
    ).replace(
        "        support: [有关单位]\n",
        "        support: []\n        others: 相关部门、有关单位\n",
    )
    assert codes(repo) == []
