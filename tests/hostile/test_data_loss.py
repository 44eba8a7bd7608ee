"""Issue 11, data loss: comments, concurrent writers, -o onto inputs and special files, fix
rewriting the layout. The user's files stay byte-identical unless the command's job is to
change them, and then only the reported values change."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from functools import partial
from pathlib import Path

from tests.hostile.conftest import (
    PLAN,
    ROOT,
    TASK1,
    ansheng,
    clean,
    fill_sheet,
    parallel_cases,
    snapshot,
    write_plan,
)

case = parallel_cases(globals(), "test_data_loss")


# --- comments inside multi-line flow collections -------------------------------------------

ACK_LIST = PLAN.replace(
    "        lead: [市应急管理局]\n",
    "        lead: [市应急管理局]\n"
    "        support: [相关部门,  # ansheng: ignore[W407] 原文如此\n"
    "          市公安局]\n",
)
PERIOD_MAP = PLAN.replace(
    "default_deadline: 2021年底前}\n",
    "default_deadline: 2021年底前,\n"
    "  period: {start: 2021-01-01,  # 注：原文未写起始日\n"
    "    end: 2021-12-31}}\n",
)


def _comment_survives(command: list[str], text: str, comment: str, repo: Path) -> None:
    if command == ["fix"]:  # an alias to repair, so fix has a reason to write the file
        text = text.replace("lead: [市应急管理局]", "lead: [市应急局]")
    plan = write_plan(repo, text)
    result = ansheng(repo, *command)
    clean(result)
    assert comment in plan.read_text(encoding="utf-8")
    after = ansheng(repo, "validate", "--strict")
    assert after.code == 0, after.text


for _cmd in (["fmt"], ["fix"]):
    case(
        partial(_comment_survives, _cmd, ACK_LIST, "# ansheng: ignore[W407] 原文如此"),
        id=f"{_cmd[0]}_keeps_comment_in_flow_list",
    )
    case(
        partial(_comment_survives, _cmd, PERIOD_MAP, "# 注：原文未写起始日"),
        id=f"{_cmd[0]}_keeps_comment_in_flow_map",
    )


def progress_import_keeps_comment_in_flow_list(repo: Path) -> None:
    plan = write_plan(repo, ACK_LIST)
    fill_sheet(repo / "s.xlsx", [{**TASK1, "进展情况": "已完成初稿", "填报日期": "2021-03-01"}])
    before = plan.read_bytes()
    result = ansheng(repo, "progress", "import", "s.xlsx", "--as-of", "2021-03-20")
    clean(result)
    if result.code == 1:  # refused by row, saying where the comment is: the file is untouched
        assert "第 3 行" in result.text and "p.yaml" in result.text and "11" in result.text
        assert plan.read_bytes() == before
        return
    assert result.code == 0, result.text
    text = plan.read_text(encoding="utf-8")
    assert "已完成初稿" in text
    assert "# ansheng: ignore[W407] 原文如此" in text


case(progress_import_keeps_comment_in_flow_list)


# --- two progress imports at once ---------------------------------------------------------


def _big_plan(tasks: int) -> str:
    rows = "".join(
        f'      - no: "{i}"\n        text: 任务{i}。\n        lead: [市应急管理局]\n'
        f"        support: [市公安局]  # 注{i}\n"
        for i in range(1, tasks + 1)
    )
    return PLAN.split("    tasks:\n")[0] + "    tasks:\n" + rows


def concurrent_progress_imports_keep_both(repo: Path) -> None:
    """Two units' sheets imported at the same moment: each run that reports success has its
    entries in the file; a run kept out by the other's lock says so and changes nothing."""
    plan = write_plan(repo, _big_plan(600))
    first = {"task": "0.0", "no": "1", "text": "任务1。"}
    fill_sheet(repo / "a.xlsx", [{**first, "进展情况": "应急局已部署", "填报日期": "2021-03-01"}])
    fill_sheet(
        repo / "b.xlsx",
        [{**first, "进展情况": "公安局已配合", "填报日期": "2021-03-02"}],
        unit="市公安局",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = {
        name: subprocess.Popen(
            [sys.executable, "-m", "ansheng_cli", "progress", "import", f"{name}.xlsx"],
            cwd=repo,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=env,
        )
        for name in ("a", "b")
    }
    outs = {name: p.communicate(timeout=60) for name, p in procs.items()}
    text = plan.read_text(encoding="utf-8")
    wanted = {"a": "应急局已部署", "b": "公安局已配合"}
    for name, p in procs.items():
        out = outs[name][0].decode("utf-8", "replace")
        assert "Traceback" not in out and "内部错误" not in out, out
        if p.returncode == 0:
            assert wanted[name] in text, f"{name} 报告成功，但其进展已丢失：{out}"
        else:
            assert p.returncode in (1, 2), out
    assert any(p.returncode == 0 for p in procs.values())


case(concurrent_progress_imports_keep_both)


# --- -o onto inputs, registries, templates, special files ----------------------------------


def _o_onto_input(args: list[str], repo: Path) -> None:
    plan = write_plan(repo)
    before = snapshot(repo)
    result = ansheng(repo, *args, "-o", "data/tasks/p.yaml")
    clean(result)
    assert result.code in (1, 2), result.text
    if "Usage:" not in result.text:  # a command without -o refuses the option itself
        assert "p.yaml" in result.text
    assert snapshot(repo) == before
    assert plan.read_text(encoding="utf-8") == PLAN


for _args, _marks in (
    (["export", "data/tasks", "--to", "json"], ()),
    (["validate", "data"], ()),
    (["report", "data", "--as-of", "2021-03-01"], ()),
    (["due", "data", "--as-of", "2021-03-01"], ()),
    (["stats", "data", "--as-of", "2021-03-01"], ()),  # no -o yet: refused as an option
    (["schema"], ()),
):
    case(partial(_o_onto_input, _args), *_marks, id=f"o_onto_input_{_args[0]}")


def _export_onto(target: str, fmt: str, repo: Path) -> None:
    write_plan(repo)
    (repo / "templates").mkdir()
    (repo / "templates" / "attachment.txt.j2").write_text(
        (ROOT / "templates" / "attachment.txt.j2").read_text(encoding="utf-8"), encoding="utf-8"
    )
    before = snapshot(repo)
    result = ansheng(repo, "export", "data/tasks", "--to", fmt, "-o", target)
    clean(result)
    assert result.code in (1, 2), result.text
    assert Path(target).name in result.text
    assert snapshot(repo) == before


case(
    partial(_export_onto, "data/departments/测试市.yaml", "json"),
    id="export_o_onto_registry",
)
case(
    partial(_export_onto, "templates/attachment.txt.j2", "txt"),
    id="export_o_onto_template",
)


def _o_onto_fifo(args: list[str], repo: Path) -> None:
    """A FIFO given to -o stays a FIFO: written through, or refused; never replaced."""
    write_plan(repo)
    fifo = repo / "out.pipe"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader, so a writer never blocks
    try:
        result = ansheng(repo, *args, "-o", str(fifo), timeout=10)
    finally:
        os.close(reader)
    clean(result)
    assert stat.S_ISFIFO(fifo.lstat().st_mode), "FIFO 被替换成了普通文件"


for _args in (["validate", "data"], ["export", "data/tasks", "--to", "json"]):
    case(
        partial(_o_onto_fifo, _args),
        id=f"o_onto_fifo_{_args[0]}",
    )


def _o_onto_device(repo: Path) -> None:
    write_plan(repo)
    node = repo / "null"
    os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    result = ansheng(repo, "validate", "data", "-o", str(node))
    clean(result)
    assert stat.S_ISCHR(node.lstat().st_mode), "设备文件被替换成了普通文件"


if os.geteuid() == 0:  # creating a device node needs root: left out otherwise
    case(_o_onto_device, id="o_onto_device_node")


# --- fix changes only the values it reports -------------------------------------------------

FOUR_SPACES = """# 四空格缩进的计划
schema:    ansheng/v1
document:
    id: p
    title: 测试计划
    issuer: 测试市安委办
    date: 2021-01-10
    jurisdiction: 测试市
    default_deadline: 2021年底前
sections:
    -   no: 一
        title: 甲   #甲组
        tasks:
            -   no: "1"      #  重点任务
                text: 修订应急预案。
                lead: [ 市应急局 ]
            -   no: "2"
                text: 开展联合执法。
                lead:
                    - 市公安局
"""


def fix_keeps_layout(repo: Path) -> None:
    plan = write_plan(repo, FOUR_SPACES)
    result = ansheng(repo, "fix")
    clean(result)
    assert result.code == 0, result.text
    after = plan.read_text(encoding="utf-8").splitlines()
    before = FOUR_SPACES.splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=False) if a != b]
    assert len(after) == len(before)
    assert changed == [
        ("                lead: [ 市应急局 ]", "                lead: [ 市应急管理局 ]")
    ]


case(fix_keeps_layout)
