"""The user guide (docs/, built by mkdocs.yml): it builds strictly, and its examples are true.

- every ``ansheng …`` line in a code block parses against the real command line;
- the 快速开始 page's ``console`` blocks are run in order in an empty folder and print what
  the page shows;
- every YAML block that is a whole file validates, or gives exactly the codes the comment
  ``<!-- 预期：W402 -->`` right before it names; every other YAML block is at least YAML;
- the generated pages (schema fields, rules) cover everything ``ansheng schema`` and
  ``ansheng rules`` know;
- every picture is referenced with Chinese alt text and stays small.
"""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.clirun import run

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
GUIDE = sorted(p for p in DOCS.rglob("*.md") if "dev" not in p.relative_to(DOCS).parts)
FENCE = re.compile(
    r"^(?P<indent> *)```(?P<lang>[\w-]*)[^\n]*\n(?P<body>.*?)^(?P=indent)```", re.M | re.S
)
EXPECT = re.compile(r"<!-- 预期：(?P<codes>[A-Z0-9, ]*) -->\s*$")
EDIT = re.compile(r"<!-- 修改 (?P<file>\S+)：(?P<old>.+?) => (?P<new>.+?) -->")


def _hooks() -> ModuleType:
    spec = importlib.util.spec_from_file_location("docs_hooks", ROOT / "tools" / "docs_hooks.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hooks = _hooks()


def _blocks(page: Path) -> list[tuple[str, str, int, str]]:
    """(language, body, offset, text before) of every fenced block of a page."""
    text = page.read_text(encoding="utf-8")
    found = []
    for m in FENCE.finditer(text):
        indent = len(m.group("indent"))
        body = "".join(line[indent:] + "\n" for line in m.group("body").splitlines())
        found.append((m.group("lang"), body, m.start(), text[: m.start()]))
    return found


# --- the site builds -----------------------------------------------------------------------


def test_guide_builds_strictly(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    pytest.importorskip("material")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    page = (tmp_path / "site" / "rules" / "numbering.html").read_text(encoding="utf-8")
    assert 'id="w301"' in page and "错误示例" in page
    writing = (tmp_path / "site" / "writing.html").read_text(encoding="utf-8")
    assert "default_deadline" in writing and "<!-- ansheng:" not in writing
    if importlib.util.find_spec("jieba") is not None:  # Chinese search: words cut by jieba
        index = (tmp_path / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
        assert "\\u200b" in index or "\u200b" in index


# --- commands ------------------------------------------------------------------------------


def _command_lines() -> list[tuple[str, str, bool]]:
    """(page, command line, whole) for every ``ansheng …`` in a code block (whole) or in
    running text (which may name just a command: `ansheng import`)."""
    lines = []
    for page in GUIDE:
        name = page.relative_to(DOCS).as_posix()
        for lang, body, _, _ in _blocks(page):
            if lang not in ("sh", "console", "bat", "text", "powershell", ""):
                continue
            for line in body.splitlines():
                line = line.strip().removeprefix("$ ").removeprefix("> ")
                if line.startswith("ansheng ") or line == "ansheng":
                    lines.append((name, line, True))
        prose = FENCE.sub("", page.read_text(encoding="utf-8"))
        for span in re.findall(r"`(ansheng(?: [^`]*)?)`", prose):
            lines.append((name, span, False))
    return lines


def _parse(args: list[str]) -> None:
    """Parse ``args`` with the real command line (options, choices, counts), running nothing."""
    import typer

    from ansheng_cli.cli import app

    command = typer.main.get_command(app)
    ctx = command.make_context("ansheng", list(args), resilient_parsing=False)
    rest = [*getattr(ctx, "_protected_args", []), *ctx.args]
    while rest and hasattr(command, "resolve_command"):
        name, sub, rest = command.resolve_command(ctx, rest)
        assert sub is not None, name
        command = sub
        ctx = command.make_context(name or "", rest, parent=ctx, resilient_parsing=False)
        rest = [*getattr(ctx, "_protected_args", []), *ctx.args]


def test_every_command_in_the_guide_parses() -> None:
    lines = _command_lines()
    assert len(lines) > 50
    failures = []
    for page, line, whole in lines:
        words = shlex.split(line.split("  #")[0])
        words = [w for w in words if w not in (">", ">>")][1:]
        try:
            _parse(words)
        except Exception as error:  # click's UsageError and friends
            kind = type(error).__name__
            if kind in ("Exit", "NoArgsIsHelpError") or (kind == "MissingParameter" and not whole):
                continue  # --help/--version, or running text naming a command
            failures.append(f"{page}: {line}\n  {kind}: {error}")
    assert not failures, "\n".join(failures)


def test_init_cli_offers_ci_and_install(tmp_path: Path) -> None:
    code, out = run(tmp_path, "init", "r", "--ci", "gitlab", "--install", "https://x.invalid/a.whl")
    assert code == 0, out
    assert (tmp_path / "r/.gitlab-ci.yml").exists()
    assert not (tmp_path / "r/.github").exists()


def test_the_parser_check_catches_a_wrong_option() -> None:
    with pytest.raises(Exception, match="--no-such"):
        _parse(["validate", "--no-such"])
    with pytest.raises(Exception):  # noqa: B017 - click raises its own error types
        _parse(["nosuchcommand"])


# --- 快速开始 is run as written --------------------------------------------------------------


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def quickstart_transcript(where: Path) -> list[tuple[str, str, str]]:
    """Run the console blocks of quickstart.md in ``where``: (command, shown, printed)."""
    page = (DOCS / "quickstart.md").read_text(encoding="utf-8")
    cwd = where
    results = []
    position = 0
    for m in FENCE.finditer(page):
        for edit in EDIT.finditer(page, position, m.start()):
            target = cwd / edit.group("file")
            text = target.read_text(encoding="utf-8")
            assert edit.group("old") in text, edit.group(0)
            target.write_text(text.replace(edit.group("old"), edit.group("new")), encoding="utf-8")
        position = m.end()
        if m.group("lang") != "console":
            continue
        chunks = re.split(r"^\$ ", m.group("body"), flags=re.M)[1:]
        for chunk in chunks:
            command, _, shown = chunk.partition("\n")
            words = shlex.split(command)
            if words[0] == "cd":
                cwd = cwd / words[1]
                results.append((command, shown, ""))
                continue
            assert words[0] == "ansheng", command
            _, printed = run(cwd, *words[1:])
            results.append((command, shown, printed))
    return results


def test_quickstart_shows_the_real_output(tmp_path: Path) -> None:
    transcript = quickstart_transcript(tmp_path)
    assert len(transcript) >= 6
    for command, shown, printed in transcript:
        assert _normal(printed) == _normal(shown), f"$ {command}"


# --- YAML examples -------------------------------------------------------------------------


def _yaml_blocks() -> list[tuple[str, str, set[str] | None]]:
    found = []
    for page in GUIDE:
        for lang, body, _, before in _blocks(page):
            if lang != "yaml":
                continue
            last = before.rstrip("\n").rsplit("\n", 1)[-1]
            m = EXPECT.search(last)
            codes = {c.strip() for c in m.group("codes").split(",") if c.strip()} if m else None
            found.append((page.relative_to(DOCS).as_posix(), body, codes))
    return found


def _codes(repo: Path) -> set[str]:
    import json

    code, out = run(repo, "validate", "--format", "json", "--strict")
    assert code in (0, 1), out
    return {f["code"] for f in json.loads(out)["findings"] if not f["suppressed"]}


def test_every_yaml_example_validates_or_gives_its_finding(tmp_path: Path) -> None:
    from ruamel.yaml import YAML

    blocks = _yaml_blocks()
    whole = 0
    for number, (page, body, expected) in enumerate(blocks):
        YAML(typ="safe").load(body)  # every block is YAML at least
        if (
            not body.lstrip().startswith(("schema: ansheng/", "# "))
            or "schema: ansheng/" not in body
        ):
            assert expected is None, f"{page}: 预期 on a fragment"
            continue
        whole += 1
        repo = tmp_path / str(number)
        (repo / "data" / "tasks").mkdir(parents=True)
        (repo / "data" / "departments").mkdir(parents=True)
        if "schema: ansheng/units-v1" in body:
            (repo / "data" / "departments" / "示例市.yaml").write_text(body, encoding="utf-8")
        else:
            (repo / "data" / "departments" / "示例市.yaml").write_text(
                hooks.EXAMPLE_UNITS, encoding="utf-8"
            )
            (repo / "data" / "tasks" / "example.yaml").write_text(body, encoding="utf-8")
        assert _codes(repo) == (expected or set()), f"{page}:\n{body}"
    assert whole >= 2


def test_the_complete_examples_validate(tmp_path: Path) -> None:
    (tmp_path / "data" / "tasks").mkdir(parents=True)
    (tmp_path / "data" / "departments").mkdir(parents=True)
    (tmp_path / "data/tasks/example.yaml").write_text(hooks.EXAMPLE_DOCUMENT, encoding="utf-8")
    (tmp_path / "data/departments/示例市.yaml").write_text(hooks.EXAMPLE_UNITS, encoding="utf-8")
    assert _codes(tmp_path) == set()


# --- generated pages cover everything ------------------------------------------------------


@pytest.mark.parametrize("kind", ["document", "units"])
def test_every_schema_field_has_a_meaning_and_an_example(kind: str) -> None:
    defs = hooks.definitions(kind)
    examples = hooks.example_values(kind)
    missing_example = [f"{d}.{f}" for d, f in hooks.fields(kind) if f"{d}.{f}" not in examples]
    missing_meaning = [
        f"{d}.{f}"
        for d, f in hooks.fields(kind)
        if not hooks._description(d, f, defs[d]["properties"][f])
    ]
    assert not missing_example, (
        f"add these to the example in tools/docs_hooks.py: {missing_example}"
    )
    assert not missing_meaning, f"add these to FIELD_DOCS in tools/docs_hooks.py: {missing_meaning}"
    page = hooks.schema_page(kind)
    for definition, field in hooks.fields(kind):
        assert f"| `{field}` |" in page, (definition, field)


def test_field_docs_name_only_real_fields_the_schema_does_not_describe() -> None:
    known = {f"{d}.{f}" for kind in ("document", "units") for d, f in hooks.fields(kind)}
    assert set(hooks.FIELD_DOCS) <= known, set(hooks.FIELD_DOCS) - known
    described = hooks.schema_described("document") | hooks.schema_described("units")
    twice = set(hooks.FIELD_DOCS) & described
    assert not twice, f"the schema describes these now; remove them from FIELD_DOCS: {twice}"


def test_every_rule_is_on_a_family_page() -> None:
    from ansheng_cli.validate.docs import all_docs

    pages = {p.stem for p in (DOCS / "rules").glob("*.md")} - {"index"}
    assert pages == set(hooks.FAMILIES)
    for family in hooks.FAMILIES:
        marker = f"<!-- ansheng:rules {family} -->"
        assert marker in (DOCS / "rules" / f"{family}.md").read_text(encoding="utf-8")
    for doc in all_docs():
        family = hooks.family_of(doc.name)
        assert family in hooks.FAMILIES, doc.code
        page = hooks.rules_page(family)
        assert f"{{#{doc.code.lower()}}}" in page
        if "错误示例：" in doc.doc:
            assert "**错误示例**" in page and "**正确示例**" in page


# --- pictures ------------------------------------------------------------------------------


def test_pictures_are_referenced_small_and_described_in_chinese() -> None:
    images = sorted((DOCS / "images").glob("*.png"))
    assert len(images) >= 4
    text = "\n".join(p.read_text(encoding="utf-8") for p in GUIDE)
    refs = re.findall(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)]+\.png)\)", text)
    used = {Path(src).name for _, src in refs}
    for image in images:
        assert image.stat().st_size <= 200_000, image.name
        assert image.name in used, f"{image.name} is not shown on any page"
    for alt, src in refs:
        assert re.search(r"[\u4e00-\u9fff]", alt), f"{src}: alt text must be Chinese"


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="needs LibreOffice and poppler-utils",
)
def test_pictures_can_be_made(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_pictures.py"), "--out", str(tmp_path)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert {"tasks-xlsx.png", "tasks-docx.png", "progress-form.png"} <= {
        p.name for p in tmp_path.glob("*.png")
    }
