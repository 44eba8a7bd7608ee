"""``ansheng init``: a new data repository an office can start from.

Files are data here (one table of path → content), written only where nothing exists yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MODELINE = "# yaml-language-server: $schema={schema}\n"

EXAMPLE_DOCUMENT = """# 示例计划文件：按原文录入，每个文件一份文件。运行 ansheng validate 检查，ansheng export 导出分工表。
schema: ansheng/v1
document:
  id: example-2021-workpoints        # 文件 id：小写字母、数字和连字符
  title: 2021年全市安全生产工作要点
  issuer: 示例市安全生产委员会办公室
  doc_no: 示安办〔2021〕1号
  date: 2021-02-20                   # 印发（或征求意见）日期
  status: issued                     # draft（征求意见稿）或 issued（已印发）
  jurisdiction: 示例市                # 对应 data/departments/示例市.yaml
  period: {start: 2021-01-01, end: 2021-12-31}
  default_deadline: 2021年底前        # 未写时限的任务按此时限
sections:
  - no: 一
    title: 压实安全生产责任
    tasks:
      - no: "1"                      # 编号按原文照录，数字编号加引号
        title: 落实党政领导干部安全生产责任制
        text: 落实党政领导干部安全生产责任制，制定年度安全生产重点工作清单。
        lead: [市委办, 市政府办]
        support: [市应急管理局]
        others: 相关部门             # “和相关部门”等兜底说法写在这里
      - no: "2"
        title: 开展安全生产巡查
        text: 开展对各乡镇（街道）和市有关部门的安全生产巡查。
        lead: [市安委办]
        support: [市委组织部]
        deadline: 2021年9月底前
"""

EXAMPLE_REGISTRY = """# 示例单位名录：列出本地区所有承担任务的单位。别名写在 aliases；机构改革撤并的单位写 until 和 successor。
schema: ansheng/units-v1
jurisdiction: 示例市
units:
  - {name: 市委办, full_name: 中共示例市委办公室, kind: 党委部门}
  - {name: 市委组织部, full_name: 中共示例市委组织部, kind: 党委部门}
  - {name: 市政府办, full_name: 示例市人民政府办公室, kind: 政府部门}
  - {name: 市安委办, full_name: 示例市安全生产委员会办公室, kind: 议事协调机构}
  - {name: 市应急管理局, full_name: 示例市应急管理局, aliases: [市应急局], kind: 政府部门}
  - {name: 市安监局, full_name: 示例市安全生产监督管理局, kind: 政府部门, until: 2019-02-28, successor: 市应急管理局}
catch_alls: [各乡镇（街道）]
"""

CONFIG = """# ansheng 的设置（可删去不用的项）
strict = true          # 有警告也算不通过
# select = ["E", "W"]  # 只检查这些代码或前缀
# ignore = ["W505"]    # 不检查这些代码
"""

PRE_COMMIT = """# 每次提交前检查计划文件（需先 pip install pre-commit，再运行 pre-commit install）
repos:
  - repo: {repo}
    rev: {rev}
    hooks:
      - id: ansheng-validate
      - id: ansheng-fmt
"""

# Without a hooks repository: the ansheng installed on the machine runs the same checks.
PRE_COMMIT_LOCAL = """# 每次提交前检查计划文件（需先 pip install pre-commit，再运行 pre-commit install）
# 使用本机已安装的 ansheng；如有 ansheng 的 git 仓库，可改用 ansheng init --hooks-repo 生成的配置。
repos:
  - repo: local
    hooks:
      - id: ansheng-validate
        name: ansheng validate（校验计划文件）
        entry: ansheng validate --strict
        language: system
        files: ^data/.*\\.ya?ml$
      - id: ansheng-fmt
        name: ansheng fmt（检查格式）
        entry: ansheng fmt --check
        language: system
        files: ^data/.*\\.ya?ml$
"""

# The task-level changes of a merge/pull request, as Markdown, into ansheng-diff.md; nothing
# when no plan changed. Shared by the GitHub and GitLab files (and run as is by the tests).
# Inputs: ANSHENG_BASE (the target branch, fetched). POSIX sh.
DIFF_SCRIPT = """base=$(git merge-base "$ANSHENG_BASE" HEAD)
git -c core.quotePath=false diff --name-status --no-renames "$base" HEAD -- data/tasks |
while IFS="$(printf '\\t')" read -r change file; do
  case "$file" in *.yaml|*.yml) ;; *) continue ;; esac
  case "$change" in
    A) printf '### 新增计划文件：%s\\n\\n' "$file" ;;
    D) printf '### 删除计划文件：%s\\n\\n' "$file" ;;
    *) out=$(ansheng diff "$file" --git "$base" --format md) || out="### $file：无法比较，请查看日志"
       case "$out" in *没有变化。*) ;; *) printf '%s\\n\\n' "$out" ;; esac ;;
  esac
done > ansheng-diff.md
cat ansheng-diff.md"""


def _indent(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line else line for line in text.splitlines())


WORKFLOW = """# 每次推送和合并请求都校验计划文件，问题直接标注在对应行上；
# 合并请求（pull request）时，在运行摘要中列出与目标分支相比任务的变化。
name: ansheng
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - name: 安装 ansheng
        run: pip install "{install}"
      - name: 校验计划文件
        run: ansheng validate data --format github --strict
      - name: 检查格式
        run: ansheng fmt --check data
      - name: 任务变化
        if: github.event_name == 'pull_request'
        env:
          ANSHENG_BASE: origin/${{{{ github.base_ref }}}}
        run: |
{diff}
          cat ansheng-diff.md >> "$GITHUB_STEP_SUMMARY"
"""

GITLAB_CI = """# GitLab 流水线：校验计划文件。问题显示在合并请求的“代码质量”和“测试”页中；
# 合并请求时另生成 ansheng-diff.md（与目标分支相比任务的变化），在合并请求页面可直接打开。
# 安装 ansheng：仓库里有 ansheng-offline/ 目录（Linux 版离线安装包中的 wheels 文件夹）时从中安装，不需要外网；
# 否则按 ANSHENG_INSTALL 安装（可改成内网的 wheel 文件网址或 git 地址）。
# 内网没有 Docker Hub 时，把 image 改成内网镜像仓库中的 Python 3.11 镜像。
# 有合并请求时只运行合并请求流水线（不再重复运行分支流水线），报告显示在合并请求页面。
workflow:
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS
      when: never
    - if: $CI_COMMIT_BRANCH
    - if: $CI_COMMIT_TAG

variables:
  ANSHENG_INSTALL: "{install}"
  PIP_DISABLE_PIP_VERSION_CHECK: "1"

.ansheng:
  image: python:3.11
  before_script:
    - if [ -d ansheng-offline ]; then pip install --no-index --find-links ansheng-offline ansheng; else pip install "$ANSHENG_INSTALL"; fi

ansheng-validate:
  extends: .ansheng
  stage: test
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH
    - if: $CI_COMMIT_TAG
  script:
    - ansheng validate data --format gitlab -o gl-code-quality-report.json || true
    - ansheng validate data --format junit -o ansheng-junit.xml || true
    - ansheng validate data --strict
    - ansheng fmt --check data
  artifacts:
    when: always
    reports:
      codequality: gl-code-quality-report.json
      junit: ansheng-junit.xml

ansheng-diff:
  extends: .ansheng
  stage: test
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
  variables:
    GIT_DEPTH: "0"
  script:
    - git fetch origin "$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"
    - export ANSHENG_BASE=FETCH_HEAD
    - |
{diff}
  artifacts:
    when: always
    expose_as: "ansheng diff"
    paths:
      - ansheng-diff.md
"""

CI_CHOICES = ("github", "gitlab", "gitee", "none")

README = """# 安全生产任务分工数据仓库

本仓库用 ansheng 管理本地区的安全生产计划：每份文件（实施方案、工作要点、规划）一个 YAML 文件，
提交时自动检查，分工表、文本和 Word 文档都由它生成。

## 目录

| 位置 | 内容 |
| --- | --- |
| `data/tasks/` | 计划文件，一份文件一个 `.yaml` |
| `data/departments/` | 单位名录，一个地区一个文件（`地区名.yaml`） |
| `templates/` | 导出文本用的模板，可按需要修改 |
| `schema/ansheng.schema.json` | 编辑器（VS Code 的 YAML 插件）据此提示字段、检查格式 |
| `ansheng.toml` | ansheng 的设置 |
| `.pre-commit-config.yaml` | 提交前检查（pre-commit）的设置 |
{ci_rows}
## 安装 ansheng

- 能访问软件源时：`pip install ansheng`
- 有 ansheng 的 wheel 文件时：`pip install ansheng-0.1.0-py3-none-any.whl`（写实际的文件名）
- 有 ansheng 的 git 仓库时：`pip install "git+https://内网git地址/ansheng.git@v0.1.0"`
- 内网电脑、没有软件源时：用离线安装包 `ansheng-版本-offline-平台.zip`，解压后双击 `安装.bat`
  （Windows）或运行 `sh install.sh`（Linux），详见包内的“安装说明.txt”。

## 常用命令

```sh
ansheng validate                 # 检查全部文件
ansheng fmt                      # 整理格式（保留注释）
ansheng fix                      # 自动修复别名、文号括号等机械性问题
ansheng export data/tasks -o out/              # 导出 Excel 任务分工表
ansheng export data/tasks --to docx -o out/    # 导出 Word 附件
ansheng export data/tasks --by-unit --to txt   # 各单位任务清单
ansheng import 原文件.docx -o data/tasks/新文件.yaml   # 从 Word/Excel/文本生成草稿
ansheng diff data/tasks/某文件.yaml --git HEAD  # 查看与上次提交相比改了哪些任务
ansheng rules W301               # 查看某条检查规则的说明
```

## 提交前检查（pre-commit）

`.pre-commit-config.yaml` 让每次 `git commit` 前自动运行 `ansheng validate` 和 `ansheng fmt --check`：
先 `pip install pre-commit`，再在本仓库中运行一次 `pre-commit install`。
{gitee}
## 忽略某个问题

原文确实如此（例如原文就缺第 6 项）时，在该行末尾写明原因：

```yaml
      - no: "7"   # ansheng: ignore[W301] 原文附件即无第6项
```
"""

CI_ROWS = {
    ".github/workflows/ansheng.yml": "GitHub 的自动检查（推送和合并请求时运行）",
    ".gitlab-ci.yml": "GitLab 的流水线（推送和合并请求时运行）",
}

GITEE = """
## 在 Gitee 上使用

本仓库用提交前检查代替流水线：每位提交的同事在自己电脑上安装 ansheng 和 pre-commit，
在本仓库中运行一次 `pre-commit install`，之后有问题的计划文件无法提交。
如使用 Gitee Go 流水线，在构建步骤中运行与本机相同的命令：安装 ansheng 后运行
`ansheng validate data --strict` 和 `ansheng fmt --check data`。
"""


@dataclass(frozen=True)
class Planned:
    path: str
    content: str


def ci_files(ci: str | None, install: str) -> list[Planned]:
    """The forge files for ``--ci``; ``None`` (the default) writes both GitLab and GitHub."""
    from ansheng_cli.errors import UsageProblem

    if ci is not None and ci not in CI_CHOICES:
        raise UsageProblem(f"--ci 只能是 {'、'.join(CI_CHOICES)}，不能是“{ci}”")
    forges = {"github", "gitlab"} if ci is None else {ci}
    files = []
    if "github" in forges:
        workflow = WORKFLOW.format(install=install, diff=_indent(DIFF_SCRIPT, 10))
        files.append(Planned(".github/workflows/ansheng.yml", workflow))
    if "gitlab" in forges:
        pipeline = GITLAB_CI.format(install=install, diff=_indent(DIFF_SCRIPT, 6))
        files.append(Planned(".gitlab-ci.yml", pipeline))
    return files


def plan(
    schema_json: str,
    templates: dict[str, str],
    repo: str,
    rev: str,
    install: str,
    ci: str | None = None,
) -> list[Planned]:
    schema_path = "schema/ansheng.schema.json"
    forge_files = ci_files(ci, install)
    rows = "".join(f"| `{f.path}` | {CI_ROWS[f.path]} |\n" for f in forge_files)
    readme = README.format(ci_rows=rows, gitee=GITEE if ci == "gitee" else "")
    files = [
        Planned("ansheng.toml", CONFIG),
        Planned("README.md", readme),
        Planned(schema_path, schema_json),
        Planned(
            "data/tasks/example-2021-workpoints.yaml",
            MODELINE.format(schema="../../" + schema_path) + EXAMPLE_DOCUMENT,
        ),
        Planned(
            "data/departments/示例市.yaml",
            MODELINE.format(schema="../../" + schema_path) + EXAMPLE_REGISTRY,
        ),
        Planned("data/sources/.gitkeep", ""),
        Planned(
            ".pre-commit-config.yaml",
            PRE_COMMIT.format(repo=repo, rev=rev) if repo and rev else PRE_COMMIT_LOCAL,
        ),
        *forge_files,
        Planned(".gitignore", "out/\n.ansheng.lock\nansheng-diff.md\n"),
    ]
    files += [Planned(f"templates/{name}", text) for name, text in sorted(templates.items())]
    return files


def write(root: Path, files: list[Planned]) -> tuple[list[str], list[str]]:
    """Write what does not exist yet; returns (written, kept)."""
    from ansheng_cli.atomic import write_text_atomic

    written, kept = [], []
    for item in files:
        target = root / item.path
        if target.exists():
            kept.append(item.path)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(target, item.content)
        written.append(item.path)
    return written, kept


def install_spec(hooks_repo: str, hooks_rev: str, install: str) -> str:
    """What CI installs: ``install`` as given, else the hooks repository at its revision when it
    is a URL, else the package by name."""
    if install:
        return install
    if hooks_repo and "://" in hooks_repo:
        return f"git+{hooks_repo}@{hooks_rev}" if hooks_rev else f"git+{hooks_repo}"
    return "ansheng"


def init(
    directory: Path,
    hooks_repo: str = "",
    hooks_rev: str = "",
    ci: str | None = None,
    install: str = "",
) -> str:
    """Create a data repository in ``directory``; returns what was created and kept.

    ``hooks_repo``/``hooks_rev``: the ansheng repository pre-commit takes its hooks from;
    without both, the pre-commit configuration runs the installed ``ansheng`` (``repo: local``).
    ``ci``: github, gitlab, gitee (pre-commit, explained in the README) or none; ``None``
    writes both the GitLab and the GitHub file. ``install``: what CI gives ``pip install`` (a
    package name, a wheel URL or ``git+URL@REV``).
    """
    from importlib.resources import files

    from ansheng_cli.errors import UsageProblem
    from ansheng_cli.plan.schema import schema_text

    if directory.exists() and not directory.is_dir():
        raise UsageProblem(f"{directory} 已存在且不是目录")
    if bool(hooks_repo) != bool(hooks_rev):
        raise UsageProblem("--hooks-repo 和 --hooks-rev 要一起写（钩子仓库的网址和版本）")
    spec = install_spec(hooks_repo, hooks_rev, install)
    if not spec.strip() or any(c in spec for c in "\"'\n\\$`"):
        raise UsageProblem(f"安装来源不能为空，也不能含引号、换行、$、` 或反斜杠：{spec!r}")
    templates = {
        p.name: p.read_text(encoding="utf-8")
        for p in files("ansheng_cli.templates").iterdir()
        if p.name.endswith((".txt.j2", ".md.j2"))  # the export templates a repository may override
    }
    planned = plan(schema_text("all") + "\n", templates, hooks_repo, hooks_rev, spec, ci)
    directory.mkdir(parents=True, exist_ok=True)
    written, kept = write(directory, planned)
    lines = [f"已创建：{directory / p}" for p in written]
    lines += [f"已存在，未改动：{directory / p}" for p in kept]
    return "".join(line + "\n" for line in lines)
