"""ansheng init and the pre-commit / CI kit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.clirun import run

ROOT = Path(__file__).resolve().parents[1]


def test_init_makes_a_working_repository(tmp_path: Path) -> None:
    repo = tmp_path / "office"
    code, out = run(tmp_path, "init", "office")
    assert code == 0
    expected = {
        "ansheng.toml", "README.md", "schema/ansheng.schema.json", ".pre-commit-config.yaml",
        ".github/workflows/ansheng.yml", ".gitignore", "data/sources/.gitkeep",
        "data/tasks/example-2021-workpoints.yaml", "data/departments/示例市.yaml",
        "templates/attachment.txt.j2", "templates/attachment.md.j2", "templates/units.txt.j2",
        "templates/units.md.j2",
    }  # fmt: skip
    made = {p.relative_to(repo).as_posix() for p in repo.rglob("*") if p.is_file()}
    assert made == expected
    for name in ("data/tasks/example-2021-workpoints.yaml", "data/departments/示例市.yaml"):
        first = (repo / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/ansheng.schema.json"
    jsonschema.Draft202012Validator.check_schema(
        json.loads((repo / "schema/ansheng.schema.json").read_text(encoding="utf-8"))
    )
    assert run(repo, "validate")[0] == 0  # ansheng.toml sets strict = true
    assert run(repo, "fmt", "--check")[0] == 0
    assert run(repo, "export", "data/tasks", "--to", "txt", "-o", "a.txt")[0] == 0
    workflow = (repo / ".github/workflows/ansheng.yml").read_text(encoding="utf-8")
    assert (
        "ansheng validate data --format github --strict" in workflow
        and "ansheng fmt --check data" in workflow
    )
    (repo / "README.md").write_text("我们自己的说明\n", encoding="utf-8")
    code, out = run(tmp_path, "init", "office")
    assert code == 0 and "已存在，未改动" in out
    assert (repo / "README.md").read_text(encoding="utf-8") == "我们自己的说明\n"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.slow
def test_pre_commit_runs_this_projects_hooks(tmp_path: Path) -> None:
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("the project is not a git checkout")
    repo = tmp_path / "office"
    code, _ = run(
        tmp_path, "init", "office", "--hooks-repo", str(ROOT), "--hooks-rev", head.stdout.strip()
    )
    assert code == 0
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run([*git, "add", "."], cwd=repo, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=repo, check=True)
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--all-files"]
    ok = subprocess.run(pre_commit, cwd=repo, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    plan = repo / "data/tasks/example-2021-workpoints.yaml"
    plan.write_text(
        plan.read_text(encoding="utf-8").replace("support: [市应急管理局]", "support: [市应急局]"),
        encoding="utf-8",
    )
    bad = subprocess.run(pre_commit, cwd=repo, env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "W402" in bad.stdout
