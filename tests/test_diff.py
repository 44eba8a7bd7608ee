"""ansheng diff: changes between two versions of a bundled document, as exact lists."""

from __future__ import annotations

import io
import json
import os
import subprocess
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from ansheng_cli.cli import app
from ansheng_cli.diff import compare, describe, load_document
from ansheng_cli.plan.yamlio import round_trip as _yaml

ROOT = Path(__file__).resolve().parents[1]
XINGNING = ROOT / "data" / "tasks" / "xingning-2018-reform.yaml"
XINGHUA = ROOT / "data" / "tasks" / "xinghua-2020-workpoints.yaml"


def edited(path: Path, edit: Any, tmp_path: Path) -> Path:
    yaml = _yaml()
    data = yaml.load(path.read_text(encoding="utf-8"))
    edit(data)
    out = io.StringIO()
    yaml.dump(data, out)
    target = tmp_path / path.name
    target.write_text(out.getvalue(), encoding="utf-8")
    return target


def lines(old: Path, new: Path) -> list[str]:
    return [describe(c) for c in compare(load_document(old), load_document(new))]


def attachment(data: Any) -> Any:
    return data["sections"][-1]


def test_a_unit_swapped_and_a_deadline_moved(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        rows = attachment(data)["tasks"]
        rows[5]["lead"][2] = "市发展和改革局"
        rows[9]["deadline"] = "2018年12月"

    new = edited(XINGNING, edit, tmp_path)
    assert lines(XINGNING, new) == [
        "任务“7”（附件 推进安全生产领域改革发展重点任务分…）牵头单位：市安监局、市财政局、市发改局 → 市安监局、市财政局、市发展和改革局",
        "任务“11”（附件 推进安全生产领域改革发展重点任务分…）完成时限：2018年11月 → 2018年12月",
    ]


def test_rows_renumbered_are_matched_by_content(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        for row in attachment(data)["tasks"][5:]:
            row["no"] = str(int(row["no"]) - 1)

    new = edited(XINGNING, edit, tmp_path)
    changes = compare(load_document(XINGNING), load_document(new))
    assert [(c.kind, c.detail["old"], c.detail["new"]) for c in changes] == [
        ("renumbered", "7", "6"), ("renumbered", "8", "7"), ("renumbered", "9", "8"),
        ("renumbered", "10", "9"), ("renumbered", "11", "10"),
    ]  # fmt: skip


def test_a_task_moved_edited_removed_and_added(tmp_path: Path) -> None:
    def edit(data: Any) -> None:
        first, second = data["sections"][0], data["sections"][1]
        moved = first["tasks"].pop(1)
        second["tasks"].insert(0, moved)
        second["tasks"][1]["text"] = second["tasks"][1]["text"].replace("认真落实", "全面落实")
        del data["sections"][5]["tasks"][-1]
        data["sections"][5]["tasks"].append(
            {"no": "24", "title": "新增任务", "text": "开展新增工作。", "lead": ["市应急管理局"]}
        )
        data["document"]["status"] = "draft"

    new = edited(XINGHUA, edit, tmp_path)
    assert lines(XINGHUA, new) == [
        "文件状态：issued → draft",
        "任务“2”（二、强化明责知责,压实安全责任）移动：一、强化红线意识,提高政治站位 → 二、强化明责知责,压实安全责任",
        "任务“3”（二、强化明责知责,压实安全责任）内容修改：认真落实《兴化市党政领导干部安全生产责任制实施办法》,制定《兴化市党政领导干部安…"
        " → 全面落实《兴化市党政领导干部安全生产责任制实施办法》,制定《兴化市党政领导干部安…",
        "删除任务“23”（六、强化支撑保障,夯实基层基础）：兴化日报、兴化电视台等主流媒体和政务新媒体定期普及安全生产常识和应急救援技能等,…",
        "新增任务“24”（六、强化支撑保障,夯实基层基础）：新增任务",
    ]


def test_formats_and_git(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    plan = repo / "plan.yaml"
    plan.write_text(XINGHUA.read_text(encoding="utf-8"), encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "v1"], cwd=repo, check=True)
    plan.write_text(
        plan.read_text(encoding="utf-8").replace(
            "lead: [市委组织部, 市安委办]", "lead: [市委组织部]"
        ),
        encoding="utf-8",
    )
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(repo)
    try:
        result = runner.invoke(app, ["diff", "plan.yaml", "--git", "HEAD", "--format", "json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        assert [(c["kind"], c["no"], c["removed"], c["added"]) for c in data["changes"]] == [
            ("lead", "2", ["市安委办"], [])
        ]
        result = runner.invoke(app, ["diff", "plan.yaml", "--git", "HEAD", "--format", "md"])
        assert result.output.splitlines()[:4] == [
            "### 计划变更：HEAD:plan.yaml → plan.yaml", "", "| 类型 | 任务 | 变化 |", "| --- | --- | --- |",
        ]  # fmt: skip
        assert runner.invoke(app, ["diff", "plan.yaml"]).exit_code == 2
        assert runner.invoke(app, ["diff", "plan.yaml", "missing.yaml"]).exit_code == 2
        assert runner.invoke(app, ["diff", "plan.yaml", "--git", "nosuchrev"]).exit_code == 2
    finally:
        os.chdir(old)
