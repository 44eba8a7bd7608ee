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
        ".github/workflows/ansheng.yml", ".gitlab-ci.yml", ".gitignore", "data/sources/.gitkeep",
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


# --- CI files (issue 19): --ci, the install source, the forges' schemas, the diff summary ---

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid"]


def _made(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _yaml(path: Path) -> dict[str, object]:
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.mark.parametrize(
    ("ci", "present", "absent"),
    [
        (None, {".gitlab-ci.yml", ".github/workflows/ansheng.yml"}, set()),
        ("github", {".github/workflows/ansheng.yml"}, {".gitlab-ci.yml"}),
        ("gitlab", {".gitlab-ci.yml"}, {".github/workflows/ansheng.yml"}),
        ("gitee", set(), {".gitlab-ci.yml", ".github/workflows/ansheng.yml"}),
        ("none", set(), {".gitlab-ci.yml", ".github/workflows/ansheng.yml"}),
    ],
)
def test_init_ci_choice(
    tmp_path: Path, ci: str | None, present: set[str], absent: set[str]
) -> None:
    from ansheng_cli.scaffold import init

    init(tmp_path / "r", ci=ci)
    made = _made(tmp_path / "r")
    assert present <= made and not absent & made
    readme = (tmp_path / "r/README.md").read_text(encoding="utf-8")
    assert all(f"`{p}`" in readme for p in present)
    assert ("在 Gitee 上使用" in readme) == (ci == "gitee")
    assert "pip install ansheng-0.1.0-py3-none-any.whl" in readme and "git+https://" in readme


def test_init_refuses_unknown_ci_and_unsafe_install(tmp_path: Path) -> None:
    from ansheng_cli.errors import AnshengError
    from ansheng_cli.scaffold import init

    with pytest.raises(AnshengError):
        init(tmp_path / "a", ci="jenkins")
    with pytest.raises(AnshengError):
        init(tmp_path / "b", install='ansheng"; rm -rf /')
    with pytest.raises(AnshengError, match="一起写"):
        init(tmp_path / "c", hooks_repo="https://example.invalid/ansheng.git")
    assert not any((tmp_path / n).exists() for n in "abc")


def test_pre_commit_is_local_without_a_hooks_repository(tmp_path: Path) -> None:
    from ansheng_cli.scaffold import init

    init(tmp_path / "r")
    config = _yaml(tmp_path / "r/.pre-commit-config.yaml")
    (repo,) = config["repos"]  # type: ignore[misc]
    assert repo["repo"] == "local"
    assert {h["id"] for h in repo["hooks"]} == {"ansheng-validate", "ansheng-fmt"}
    assert all(
        h["language"] == "system" and h["entry"].startswith("ansheng ") for h in repo["hooks"]
    )
    gitlab = (tmp_path / "r/.gitlab-ci.yml").read_text(encoding="utf-8")
    assert 'ANSHENG_INSTALL: "ansheng"' in gitlab


def test_install_source_follows_what_the_user_passes(tmp_path: Path) -> None:
    from ansheng_cli.scaffold import init

    url = "https://git.example.gov.cn/aqj/ansheng.git"
    init(tmp_path / "a", hooks_repo=url, hooks_rev="v0.2.0")
    config = _yaml(tmp_path / "a/.pre-commit-config.yaml")
    assert config["repos"] == [  # type: ignore[comparison-overlap]
        {"repo": url, "rev": "v0.2.0", "hooks": [{"id": "ansheng-validate"}, {"id": "ansheng-fmt"}]}
    ]
    for name in (".gitlab-ci.yml", ".github/workflows/ansheng.yml"):
        assert f"git+{url}@v0.2.0" in (tmp_path / "a" / name).read_text(encoding="utf-8")
    wheel = "http://10.1.2.3/pkgs/ansheng-0.1.0-py3-none-any.whl"
    init(tmp_path / "b", install=wheel)
    gitlab = _yaml(tmp_path / "b/.gitlab-ci.yml")
    assert gitlab["variables"]["ANSHENG_INSTALL"] == wheel  # type: ignore[index]
    workflow = (tmp_path / "b/.github/workflows/ansheng.yml").read_text(encoding="utf-8")
    assert f'pip install "{wheel}"' in workflow


def _vendored_schema(name: str) -> dict[str, object] | None:
    """SchemaStore's schema as vendored by check-jsonschema, or None when it is not installed."""
    try:
        from importlib.resources import files

        text = (files("check_jsonschema.builtin_schemas.vendor") / name).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None
    schema = json.loads(text)
    assert isinstance(schema, dict)
    return schema


@pytest.mark.parametrize(
    ("path", "schema_name"),
    [
        (".gitlab-ci.yml", "gitlab-ci.json"),
        (".github/workflows/ansheng.yml", "github-workflows.json"),
    ],
)
def test_ci_files_pass_the_forges_schemas(tmp_path: Path, path: str, schema_name: str) -> None:
    from ansheng_cli.scaffold import init

    init(tmp_path / "r", install="https://example.invalid/ansheng-0.1.0-py3-none-any.whl")
    data = _yaml(tmp_path / "r" / path)
    schema = _vendored_schema(schema_name)
    if schema is None:
        pytest.skip("check-jsonschema (which ships SchemaStore's CI schemas) is not installed")
    validator_class = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_class(schema).iter_errors(data), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:5])


def test_gitlab_pipeline_structure(tmp_path: Path) -> None:
    """What the pipeline must do, checked without the forge's schema."""
    from ansheng_cli.scaffold import init

    init(tmp_path / "r")
    ci = _yaml(tmp_path / "r/.gitlab-ci.yml")
    validate = ci["ansheng-validate"]
    assert isinstance(validate, dict)
    script = "\n".join(validate["script"])
    assert "--format gitlab -o gl-code-quality-report.json" in script
    assert "--format junit -o ansheng-junit.xml" in script
    assert "ansheng validate data --strict" in script
    assert validate["artifacts"]["reports"] == {
        "codequality": "gl-code-quality-report.json",
        "junit": "ansheng-junit.xml",
    }
    # Both in merge-request pipelines (reports shown on the MR) and branch pipelines.
    assert {"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'} in validate["rules"]
    assert {"if": "$CI_COMMIT_BRANCH"} in validate["rules"]
    assert ci["workflow"]["rules"][0] == validate["rules"][0]  # type: ignore[index]
    install = ci[".ansheng"]["before_script"][0]  # type: ignore[index]
    assert "--no-index --find-links ansheng-offline" in install and "$ANSHENG_INSTALL" in install
    diff = ci["ansheng-diff"]
    assert isinstance(diff, dict)
    assert diff["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    assert diff["artifacts"]["paths"] == ["ansheng-diff.md"]
    workflow = _yaml(tmp_path / "r/.github/workflows/ansheng.yml")
    steps = workflow["jobs"]["check"]["steps"]  # type: ignore[index]
    assert steps[0]["with"]["fetch-depth"] == 0
    assert any("GITHUB_STEP_SUMMARY" in s.get("run", "") for s in steps)


def _diff_scripts(root: Path) -> list[str]:
    gitlab = _yaml(root / ".gitlab-ci.yml")["ansheng-diff"]["script"][-1]  # type: ignore[index]
    steps = _yaml(root / ".github/workflows/ansheng.yml")["jobs"]["check"]["steps"]  # type: ignore[index]
    (github,) = [s["run"] for s in steps if s.get("name") == "任务变化"]
    # The GitHub step also appends to the job summary; that file is set here as GitHub does.
    return [gitlab, github]


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("sh") is None, reason="needs git")
def test_ci_diff_summary_on_a_two_commit_repository(tmp_path: Path) -> None:
    from ansheng_cli.scaffold import init

    repo = tmp_path / "office"
    init(repo)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run([*GIT, "add", "."], cwd=repo, check=True)
    subprocess.run([*GIT, "commit", "-qm", "start"], cwd=repo, check=True)
    subprocess.run(["git", "checkout", "-qb", "change"], cwd=repo, check=True)
    bindir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
           "ANSHENG_BASE": "main", "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}  # fmt: skip
    scripts = _diff_scripts(repo)

    def summary(script: str) -> str:
        done = subprocess.run(
            ["sh", "-c", script], cwd=repo, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return (repo / "ansheng-diff.md").read_text(encoding="utf-8")

    # Nothing changed yet: an empty summary.
    assert [summary(s) for s in scripts] == ["", ""]
    plan = repo / "data/tasks/example-2021-workpoints.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text.replace("2021年9月底前", "2021年10月底前").replace(
            "support: [市应急管理局]", "support: [市应急管理局, 市委组织部]"
        ),
        encoding="utf-8",
    )
    (repo / "data/tasks/second.yaml").write_text(
        text.replace("example-2021-workpoints", "second-2021"), encoding="utf-8"
    )
    subprocess.run([*GIT, "add", "."], cwd=repo, check=True)
    subprocess.run([*GIT, "commit", "-qm", "change"], cwd=repo, check=True)
    for script in scripts:
        out = summary(script)
        assert "完成时限：2021年9月底前 → 2021年10月底前" in out
        assert "市委组织部" in out
        assert "### 新增计划文件：data/tasks/second.yaml" in out
    assert "2021年10月底前" in (tmp_path / "summary.md").read_text(encoding="utf-8")
