"""due and stats: exact lists on the bundled data and on small plans with progress."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from typer.testing import CliRunner

from ansheng_cli.cli import app
from ansheng_cli.config import Settings
from ansheng_cli.export import build_plan
from ansheng_cli.supervise.due import due_items, stats

ROOT = Path(__file__).resolve().parents[1]
D = dt.date


def plan_of(*paths: str, cwd: Path = ROOT) -> object:
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return build_plan(list(paths), Settings(), force=True)[0]
    finally:
        os.chdir(old)


def brief(items: list) -> list[tuple[str, str, str, str, str]]:
    return [(i.unit, i.role, i.state, i.task.no, str(i.due)) for i in items]


def test_due_on_the_xingning_attachment() -> None:
    plan = plan_of("data/tasks/xingning-2018-reform.yaml")
    items = due_items(plan, D(2018, 12, 15), 30, unit="市安监局")
    assert brief(items) == [
        ("市安监局", "牵头", "逾期", "2", "2018-10-31"),
        ("市安监局", "牵头", "逾期", "3", "2018-10-31"),
        ("市安监局", "牵头", "逾期", "9", "2018-10-31"),
        ("市安监局", "牵头", "逾期", "11", "2018-11-30"),
        ("市安监局", "牵头", "将到期", "1", "2018-12-31"),
        ("市安监局", "牵头", "将到期", "5", "2018-12-31"),
        ("市安监局", "牵头", "将到期", "7", "2018-12-31"),
        ("市安监局", "牵头", "将到期", "8", "2018-12-31"),
        ("市安监局", "牵头", "将到期", "10", "2018-12-31"),
    ]
    # 每年第一季度: the 2018 occurrence was due before the plan; the 2019 one is due soon later
    assert [i.task.no for i in due_items(plan, D(2019, 3, 10), 30, unit="市人社局")] == ["4"]
    assert brief(due_items(plan, D(2019, 5, 1), 30, unit="市人社局")) == [
        ("市人社局", "牵头", "逾期", "4", "2019-03-31")
    ]


def test_due_on_the_xinghua_work_points() -> None:
    plan = plan_of("data/tasks/xinghua-2020-workpoints.yaml")
    soon = due_items(plan, D(2020, 12, 10), 30)
    assert {i.state for i in soon} == {"将到期"} and len({i.task.no for i in soon}) == 23
    assert [i.unit for i in soon][:1] == ["市安委办"]  # registry order, lead before support
    late = due_items(plan, D(2021, 1, 5), 30, unit="市融媒体中心")
    assert brief(late) == [("市融媒体中心", "牵头", "逾期", "23", "2020-12-31")]
    assert due_items(plan, D(2020, 6, 1), 30) == []


PLAN = """schema: ansheng/v1
document: {id: s, title: 督办测试, issuer: 测试市安委办, date: 2021-01-10, jurisdiction: 测试市}
sections:
  - no: 一
    title: 甲
    tasks:
      - no: "1"
        lead: [市应急管理局]
        deadline: 每年第一季度
      - no: "2"
        lead: [市公安局]
        support: [市应急管理局]
        deadline: 每年第一季度
        progress:
          - {date: 2021-03-20, unit: 市公安局, text: 已完成一季度考核}
      - no: "3"
        lead: [市应急管理局]
        deadline: 长期坚持
      - no: "4"
        lead: [市应急管理局]
        deadline: 2021年6月底前
        status: 已完成
        done: 2021-04-30
      - no: "5"
        lead: [市公安局]
        deadline: 2021年4月底前
        status: 暂缓
"""


def test_recurring_ongoing_completed_and_suspended(repo: Path) -> None:
    (repo / "data" / "tasks" / "s.yaml").write_text(PLAN, encoding="utf-8")
    plan = plan_of("data/tasks/s.yaml", cwd=repo)
    assert brief(due_items(plan, D(2021, 2, 10), 60)) == [
        ("市应急管理局", "牵头", "将到期", "1", "2021-03-31"),
        ("市应急管理局", "配合", "将到期", "2", "2021-03-31"),
        ("市公安局", "牵头", "将到期", "2", "2021-03-31"),
    ]
    assert brief(due_items(plan, D(2021, 5, 1), 30)) == [
        ("市应急管理局", "牵头", "逾期", "1", "2021-03-31"),
    ]
    result = stats(plan, D(2021, 5, 1))
    assert [(u.name, u.lead, u.support, u.overdue, u.completed) for u in result.units] == [
        ("市应急管理局", 3, 1, 1, 1),
        ("市公安局", 2, 0, 0, 0),
    ]
    assert result.months == [("2021-04", 1), ("2021-06", 1)]
    assert [(d.title, d.tasks, d.completed, d.confirmed) for d in result.documents] == [
        ("督办测试", 5, 1, 0)
    ]
    # lights: 1 missed its first quarter (红); 2 reported for it and 3 is ongoing (绿);
    # completed and suspended tasks have none
    assert [(u.name, u.lights) for u in result.units] == [
        ("市应急管理局", {"红": 1, "绿": 2}),
        ("市公安局", {"绿": 1}),
    ]
    closed = PLAN.replace(
        "status: 已完成", "status: 已销号\n        confirmed: {date: 2021-05-01, by: 张三}"
    )
    (repo / "data" / "tasks" / "s.yaml").write_text(closed, encoding="utf-8")
    result = stats(plan_of("data/tasks/s.yaml", cwd=repo), D(2021, 5, 1))
    assert [(u.name, u.completed, u.confirmed) for u in result.units] == [
        ("市应急管理局", 1, 1),
        ("市公安局", 0, 0),
    ]
    assert [(d.completed, d.confirmed) for d in result.documents] == [(1, 1)]


def test_cli_due_and_stats(repo: Path) -> None:
    (repo / "data" / "tasks" / "s.yaml").write_text(PLAN, encoding="utf-8")
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(repo)
    try:
        result = runner.invoke(app, ["due", "--as-of", "2021-05-01", "--format", "json"])
        data = json.loads(result.output)
        assert [(i["unit"], i["state"], i["no"]) for i in data["items"]] == [
            ("市应急管理局", "overdue", "1")
        ]
        assert data["items"][0]["light"] == "red"
        result = runner.invoke(app, ["due", "--as-of", "2021-05-01"])
        assert result.output == (
            "截至 2021-05-01：逾期 1 项，30 天内到期 0 项\n"
            "三色督办：红灯 1 项，黄灯 0 项，绿灯 0 项\n\n"
            "市应急管理局\n"
            "  红  逾期  2021-03-31  【牵头】《督办测试》第1项：（每年第一季度）\n"
        )
        # one rule everywhere: [lights] of ansheng.toml moves the yellow line
        soon = ["due", "--as-of", "2021-03-20"]
        assert "  黄  将到期 2021-03-31" in runner.invoke(app, soon).output
        (repo / "ansheng.toml").write_text("[lights]\nyellow_within = 5\n", encoding="utf-8")
        assert "  绿  将到期 2021-03-31" in runner.invoke(app, soon).output
        (repo / "ansheng.toml").unlink()
        assert (
            runner.invoke(
                app, ["due", "--format", "xlsx", "-o", "d.xlsx", "--as-of", "2021-05-01"]
            ).exit_code
            == 0
        )
        import openpyxl

        ws = openpyxl.load_workbook(repo / "d.xlsx")["督办清单"]
        assert [c.value for c in ws[3]][:5] == [
            "市应急管理局",
            "牵头",
            "逾期",
            "红",
            dt.datetime(2021, 3, 31),
        ]
        [(cells, rules)] = [
            (str(k.sqref), v) for k, v in ws.conditional_formatting._cf_rules.items()
        ]
        assert cells == "D3" and [r.formula for r in rules] == [['"红"'], ['"黄"'], ['"绿"']]
        result = runner.invoke(app, ["stats", "--as-of", "2021-05-01", "--format", "json"])
        data = json.loads(result.output)
        assert data["documents"] == [
            {"title": "督办测试", "tasks": 5, "completed": 1, "confirmed": 0, "rate": 0.2}
        ]
        assert data["units"][0] == {
            "name": "市应急管理局", "lead": 3, "support": 1, "overdue": 1, "completed": 1,
            "confirmed": 0, "light_red": 1, "light_yellow": 0, "light_green": 2,
        }  # fmt: skip
        result = runner.invoke(app, ["stats", "--as-of", "2021-05-01"])
        assert result.output.splitlines()[2:5] == [
            "各单位任务：单位 / 牵头 / 配合 / 逾期 / 已完成（其中已销号） / 红灯 / 黄灯 / 绿灯",
            "  市应急管理局  3  1  1  1（0）  1  0  2",
            "  市公安局  2  0  0  0（0）  0  0  1",
        ]
        assert runner.invoke(app, ["due", "--as-of", "2021-13-01"]).exit_code == 2
    finally:
        os.chdir(old)


def test_a_unit_that_ceased_is_supervised_through_its_successor() -> None:

    plan = plan_of("data/tasks/xingning-2018-reform.yaml")
    items = due_items(plan, dt.date(2020, 1, 5), 30)
    moved = sorted({(i.unit, i.note) for i in items if i.note})
    assert ("市应急管理局", "原市安监局 → 市应急管理局") in moved
    assert not any(i.unit == "市安监局" for i in items)
    assert "市安监局" not in {u.name for u in stats(plan, dt.date(2020, 1, 5)).units}
    # while it existed, it answers for itself
    assert any(i.unit == "市安监局" for i in due_items(plan, dt.date(2018, 12, 15), 30))


def test_units_of_two_jurisdictions_are_kept_apart() -> None:

    plan = plan_of(
        "data/tasks/xinghua-2020-workpoints.yaml", "data/tasks/xingning-2018-reform.yaml"
    )
    names = [u.name for u in stats(plan, dt.date(2018, 9, 1)).units]
    assert "兴化市 市委组织部" in names and "兴宁市 市委组织部" in names
    assert "市委组织部" not in names


MILESTONES = """schema: ansheng/v1
document: {id: m, title: 燃气整治, issuer: 测试市安委办, date: 2024-02-24, jurisdiction: 测试市}
sections:
  - no: 一
    title: 甲
    tasks:
      - no: "1"
        text: 开展燃气隐患排查整治
        lead: [市应急管理局]
        deadline:
          - {when: 2024年6月底前, what: 完成摸排}
          - {when: 2024年12月底前, what: 完成整治, units: [市公安局]}
      - {no: "2", lead: [市公安局], deadline: 2024年6月底前完成摸排，12月底前完成整治}
"""


def test_a_missed_first_milestone_is_overdue_and_a_met_one_is_not(repo: Path) -> None:
    (repo / "data" / "tasks" / "m.yaml").write_text(MILESTONES, encoding="utf-8")
    plan = plan_of("data/tasks/m.yaml", cwd=repo)
    items = due_items(plan, D(2024, 7, 15), 30)
    assert [(i.unit, i.task.no, i.state, i.due, i.milestone) for i in items] == [
        ("市应急管理局", "1", "逾期", D(2024, 6, 30), "完成摸排"),
        ("市公安局", "2", "逾期", D(2024, 6, 30), "完成摸排"),
    ]
    # a progress report by the June date meets the first milestone; December then falls due
    # for the units of that milestone
    met = MILESTONES.replace(
        "        lead: [市应急管理局]\n",
        "        lead: [市应急管理局]\n        progress: [{date: 2024-06-20, unit: 市应急管理局, text: 摸排完成}]\n",
    )
    (repo / "data" / "tasks" / "m.yaml").write_text(met, encoding="utf-8")
    plan = plan_of("data/tasks/m.yaml", cwd=repo)
    items = due_items(plan, D(2024, 12, 10), 30)
    assert [(i.unit, i.task.no, i.state, i.milestone) for i in items] == [
        ("市公安局", "2", "逾期", "完成摸排"),
        ("市公安局", "1", "将到期", "完成整治"),
    ]
