"""``ansheng progress confirm``: 复核销号. A unit's 已完成 is its claim (申请办结); the office
checks it and closes the task: status 已销号 and ``confirmed: {date, by}`` in the plan file.

The edit goes through the progress merge (a confirming 复核意见 on an 已完成 row), so it
keeps comments, holds the repository lock and changes nothing when repeated.
"""

from __future__ import annotations

import datetime as dt

from ansheng_cli.errors import UsageProblem


def confirm(
    refs: list[str], by: str, day: dt.date, paths: list[str], max_bytes: int
) -> tuple[str, str, int]:
    """Close the tasks ``refs`` (<document id>#<task>); (stdout, stderr, exit code)."""
    from ansheng_cli.plan.models import CLOSED
    from ansheng_cli.plan.text import invisible
    from ansheng_cli.supervise.merge import CLAIMS, documents_by_id, merge
    from ansheng_cli.supervise.progress import Row, check_code
    from ansheng_cli.trace import read_plan, split_ref

    by = by.strip()
    if not by:
        raise UsageProblem("请用 --by 写明复核人")
    if invisible(by):
        raise UsageProblem("复核人姓名中有换行、制表符或看不见的字符：请重新输入")
    files, _ = documents_by_id(paths, max_bytes)
    rows, refused = [], []
    for number, ref in enumerate(refs, start=1):
        parts = split_ref(ref)
        if parts is None or parts[0] not in files:
            refused.append(f"{ref}：找不到文件（写作 文件id#任务编号）")
            continue
        plan = read_plan(str(files[parts[0]]), files[parts[0]])
        task = plan.find(parts[1]) if plan else None
        if task is None:
            refused.append(f"{ref}：文件中没有这项任务")
            continue
        if task.status == CLOSED:
            refused.append(f"{ref}：已销号，无需复核")
            continue
        if task.status not in CLAIMS:
            refused.append(f"{ref}：状态是“{task.status or '未填报'}”，单位尚未报告已完成")
            continue
        where = tuple(p for p in task.path if isinstance(p, int))
        code = check_code(task.no, task.text or task.title)
        rows.append(Row(number, parts[0], where, code, "", "已完成", None, None, None, "同意", by,
                        confirming=True))  # fmt: skip
    result = merge(rows, files, day)
    refused += [f"{refs[r.number - 1]}：{text}" for r, text in result.refused]
    closed = [f"{refs[r.number - 1]}：已销号（复核人 {by}，{day}）" for r, t in result.applied
              if CLOSED in t]  # fmt: skip
    err = "".join(f"拒绝：{line}\n" for line in refused)
    err += f"销号 {len(closed)} 项，拒绝 {len(refused)} 项\n"
    return "".join(f"{line}\n" for line in closed), err, 1 if refused else 0
