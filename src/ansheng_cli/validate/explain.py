"""Text for ``ansheng rules``: the list of codes, or one code's documentation."""

from __future__ import annotations

from rich.cells import cell_len

from ansheng_cli.plan.finding import Severity, severity_of
from ansheng_cli.validate.docs import Documented, all_docs

_LEVEL = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def fixable(doc: Documented) -> str:
    """How ``ansheng fix`` treats the code: 可自动修复, 可修复（需指定）or nothing."""
    from ansheng_cli.fix import LINK_CODE

    fix = getattr(doc, "fix", None)
    if doc.code == LINK_CODE:
        return "可按需修复"
    if fix is None:
        return ""
    return "可自动修复" if fix.default else "可按需修复"


def listing() -> str:
    docs = all_docs()
    width = max(len(d.name) for d in docs)
    lines = [f"{_pad('代码', 6)}{_pad('级别', 6)}{_pad('名称', width + 2)}说明"]
    for d in docs:
        lines.append(
            f"{d.code:<6}{_pad(_LEVEL[severity_of(d.code)], 6)}{d.name:<{width + 2}}{d.summary}"
            + (f"（{fixable(d)}）" if fixable(d) else "")
        )
    lines.append("")
    lines.append("运行 ansheng rules 代码（如 ansheng rules W301）查看详细说明。")
    return "\n".join(lines)


def explain(doc: Documented) -> str:
    level = _LEVEL[severity_of(doc.code)]
    fix = f"，{fixable(doc)}：ansheng fix --select {doc.code}" if fixable(doc) else ""
    return f"{doc.code}（{doc.name}，{level}{fix}）\n\n{doc.doc.strip()}\n"


def rules_text(code: str | None) -> str:
    """``ansheng rules [CODE]``: the list, or one code's documentation."""
    from ansheng_cli.errors import UsageProblem
    from ansheng_cli.validate.docs import find

    if code is None:
        return listing() + "\n"
    doc = find(code)
    if doc is None:
        raise UsageProblem(f"没有规则“{code}”；运行 ansheng rules 查看全部")
    return explain(doc) + "\n"
