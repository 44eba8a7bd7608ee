"""Issue 11, escapes: nothing outside the data repository is read, rewritten or run through
a symlink, a git revision that looks like an option, or a jurisdiction that is a path."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from tests.hostile.conftest import (
    PLAN,
    ansheng,
    case_adder,
    clean,
    outcome,
    run_in_parallel,
    snapshot,
    temp_files,
    write_plan,
)

Case = Callable[[Path, Path], None]
CASES: list[object] = []
SECRET = "机密内容甲乙丙"

case = case_adder(CASES)


def _run(run: Case, holder: Path) -> None:
    """The repository one level down in ``holder``, beside a folder that is outside it."""
    repo, outside = holder / "r", holder / "outside"
    repo.mkdir()
    outside.mkdir()
    for name in ("data", "ansheng.toml"):
        (holder / name).rename(repo / name)
    run(repo, outside)
    assert snapshot(outside) == SEALED.pop(outside), "仓库外的文件被改动"
    assert temp_files(repo) == []


SEALED: dict[Path, dict[str, str]] = {}


def seal(outside: Path) -> None:
    """The outside folder as set up by the case: no command may change it."""
    SEALED[outside] = snapshot(outside)


@pytest.fixture(scope="module")
def outcomes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[int, BaseException | None]:
    return run_in_parallel(request, tmp_path_factory, _run)


@pytest.mark.parametrize("run", CASES)
def test_escapes(run: Case, outcomes: dict[int, BaseException | None]) -> None:
    outcome(outcomes, run)


# --- symlinks out of the repository ---------------------------------------------------------

OUTSIDE_PLAN = PLAN.replace("id: p,", "id: x,").replace(
    "text: 修订应急预案。", f'text: "{SECRET}"\n        bad_field: {SECRET}'
)


def _link_out(repo: Path, outside: Path) -> Path:
    target = outside / "secret.yaml"
    target.write_text(OUTSIDE_PLAN, encoding="utf-8")
    link = repo / "data" / "tasks" / "x.yaml"
    link.symlink_to(target)
    seal(outside)
    return link


def validate_does_not_print_outside_file(repo: Path, outside: Path) -> None:
    _link_out(repo, outside)
    result = ansheng(repo, "validate", "data")
    clean(result)
    assert SECRET not in result.text
    assert "x.yaml" in result.text
    assert result.code in (1, 2)


case(validate_does_not_print_outside_file)


def fmt_keeps_symlink(repo: Path, outside: Path) -> None:
    link = _link_out(repo, outside)
    result = ansheng(repo, "fmt", "data")
    clean(result)
    assert link.is_symlink(), "符号链接被替换成了普通文件"
    assert "x.yaml" in result.text


case(fmt_keeps_symlink)


def _template_link(fmt: str, repo: Path, outside: Path) -> None:
    write_plan(repo)
    secret = outside / "passwd"
    secret.write_text(f"{SECRET}\n", encoding="utf-8")
    (repo / "templates").mkdir()
    (repo / "templates" / f"attachment.{fmt}.j2").symlink_to(secret)
    seal(outside)
    result = ansheng(repo, "export", "data/tasks", "--to", fmt, "-o", f"out.{fmt}")
    clean(result)
    written = (repo / f"out.{fmt}").read_text(encoding="utf-8") if result.code == 0 else ""
    assert SECRET not in written + result.text
    assert "attachment" in result.text


for _fmt in ("txt", "md"):
    case(
        partial(_template_link, _fmt),
        id=f"template_symlink_{_fmt}",
    )


# --- git revisions are revisions, not options -----------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def _diff_git_option(form: str, repo: Path, outside: Path) -> None:
    write_plan(repo)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "init")
    # git show REV:path with REV = --output=DIR/made writes DIR/made:data/tasks/p.yaml
    (outside / "made:data" / "tasks").mkdir(parents=True)
    made = outside / "made:data" / "tasks" / "p.yaml"
    seal(outside)
    args = ["--git", f"--output={outside / 'made'}"]
    if form == "joined":
        args = [f"--git=--output={outside / 'made'}"]
    result = ansheng(repo, "diff", "data/tasks/p.yaml", *args)
    clean(result)
    assert not made.exists(), "git 把版本号当成了选项"
    assert result.code == 2, result.text


case(
    partial(_diff_git_option, "joined"),
    id="diff_git_rev_option_joined",
)
case(
    partial(_diff_git_option, "separate"),
    id="diff_git_rev_option_separate",
)


def diff_git_normal_rev_still_works(repo: Path, outside: Path) -> None:
    plan = write_plan(repo)
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "init")
    plan.write_text(PLAN.replace("开展联合执法。", "开展联合执法检查。"), encoding="utf-8")
    seal(outside)
    result = ansheng(repo, "diff", "data/tasks/p.yaml", "--git", "HEAD")
    clean(result)
    assert result.code == 0, result.text
    assert "联合执法检查" in result.text


case(diff_git_normal_rev_still_works)


# --- a jurisdiction is a name, not a path ---------------------------------------------------

SECRET_UNITS = """schema: ansheng/units-v1
jurisdiction: 外地
units:
  - {name: 机密保卫局, kind: 政府部门}
"""


def _jurisdiction_path(kind: str, repo: Path, outside: Path) -> None:
    registry = outside / "reg.yaml"
    registry.write_text(SECRET_UNITS, encoding="utf-8")
    if kind == "relative":
        where = os.path.relpath(outside / "reg", repo / "data" / "departments")
    else:
        where = str(outside / "reg")
    text = PLAN.replace("jurisdiction: 测试市", f"jurisdiction: {where}").replace(
        "lead: [市公安局]", "lead: [机密保卫厅]"
    )
    write_plan(repo, text)
    seal(outside)
    result = ansheng(repo, "validate", "data")
    clean(result)
    assert "机密保卫局" not in result.text, "仓库外的名录被读取，单位名称经“你是不是要找”泄露"
    # the jurisdiction (line 3) is reported; a warning (no registry) or an error
    assert re.search(r"(p\.yaml:3:|\n\s+3:\d+\s)", result.text), result.text
    assert result.code in (0, 1)


for _kind in ("relative", "absolute"):
    case(
        partial(_jurisdiction_path, _kind),
        id=f"jurisdiction_{_kind}_path",
    )
