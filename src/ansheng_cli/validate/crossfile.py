"""The cross-file pass over upper/lower plan links (E704, W705, W706, W707, W708).

Runs after every file has been checked on its own, like the duplicate-id pass: the files
that declare links (``document.parents`` or a task's ``implements``) are read again with
their positions, and the documents they name are looked up among the files checked, then
in the data repository. Files without links cost one text search.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from ansheng_cli.plan.finding import Finding, severity_of
from ansheng_cli.validate.suppress import parse_directives

if TYPE_CHECKING:
    from ansheng_cli.trace import PlanFile, Problem
    from ansheng_cli.validate.engine import Options
    from ansheng_cli.validate.result import FileResult

CODES = ("E704", "W705", "W706", "W707", "W708")
# A link is written <document id>#<task>; document.implements (free text) has no such form.
_LINK = re.compile(r"[a-z0-9]#[^\s#]")


def check_links(files: list[FileResult], found: list[tuple[str, Path]], options: Options) -> None:
    """Add the link findings to the results of the files that declare links."""
    if not any(options.enabled(code) for code in CODES):
        return
    from ansheng_cli.trace import check_links as link_problems
    from ansheng_cli.trace import find_documents, read_plan, split_ref

    pairs = list(zip(files, found, strict=True))
    declaring = [
        (result, path)
        for result, (_, path) in pairs
        if result.kind == "document" and _declares(path)
    ]
    if not declaring:
        return
    plans: dict[str, PlanFile] = {}
    results: dict[int, FileResult] = {}
    for result, path in declaring:
        plan = read_plan(result.display, path, options.seasons)
        if plan is not None:
            plans[result.display] = plan
            results[id(plan)] = result
    wanted: set[str] = set()
    for plan in list(plans.values()):
        wanted |= set(plan.doc.document.parents)
        wanted |= {p[0] for t in plan.tasks for r in t.implements if (p := split_ref(r))}
    known = {p.id for p in plans.values()}
    for result, (display, path) in pairs:
        if result.doc_id and result.doc_id[0] in wanted - known and display not in plans:
            plan = read_plan(display, path, options.seasons)
            if plan is not None:
                plans[display] = plan
                known.add(plan.id)
    missing = wanted - known
    if missing and declaring:
        for plan in find_documents(missing, declaring[0][1]):
            if plan.id not in known:
                plans[f"\0{plan.display}"] = plan
                known.add(plan.id)
    for problem in link_problems(list(plans.values())):
        owner = results.get(id(problem.plan))
        if owner is not None and options.enabled(problem.code):
            _add(owner, problem)
    for owner in results.values():
        owner.findings.sort(key=lambda f: f.sort_key)


def _declares(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "parents:" in text or ("implements:" in text and _LINK.search(text) is not None)


def _add(result: FileResult, problem: Problem) -> None:
    loaded = problem.plan.loaded
    line, column = loaded.locator.locate(problem.path, False)
    finding = Finding(
        result.display, line, column, problem.code, problem.message, problem.hint,
        severity_of(problem.code),
    )  # fmt: skip
    for d in parse_directives(loaded.text):
        if d.reason and d.covers(problem.code, line):
            finding = Finding(
                finding.file, line, column, finding.code, finding.message, finding.hint,
                finding.severity, True, d.reason,
            )  # fmt: skip
            break
    result.findings.append(finding)
    if not result.text:
        result.text = loaded.text  # reporters show the offending line from it
