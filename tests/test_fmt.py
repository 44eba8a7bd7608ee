"""ansheng fmt: one canonical layout, every comment kept, idempotent, --check for CI."""

from __future__ import annotations

import os
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ansheng_cli.cli import app
from ansheng_cli.fmt import LayoutProblem, format_text
from ansheng_cli.plan.loader import load_text
from ansheng_cli.plan.models import Document
from ansheng_cli.plan.shape import check_shape

ROOT = Path(__file__).resolve().parents[1]

MESSY = """# 文件头注释
document:
  jurisdiction: 测试市   # 地区
  id: t
  date: 2020-02-24
  title: 测试
  issuer: 测试市安委办
schema: ansheng/v1
sections:
  - title: 甲
    tasks:
      - lead:
          - 市公安局
          - 市应急管理局
        deadline: 2020年底前
        no: 1   # ansheng: ignore[W301] 原文如此
        support: [市委宣传部, 市委组织部, 市发展和改革委员会, 市工业和信息化局, 市住房和城乡建设局, 市交通运输局, 市农业农村局]
      # 独立一行的注释
      - {no: '2', lead: [市公安局], source: {file: a.txt, line: 3}}
    no: '一'
"""

CANONICAL = """# 文件头注释
schema: ansheng/v1
document:
  id: t
  title: 测试
  issuer: 测试市安委办
  date: 2020-02-24
  jurisdiction: 测试市   # 地区
sections:
  - no: 一
    title: 甲
    tasks:
      - no: "1" # ansheng: ignore[W301] 原文如此
        lead: [市公安局, 市应急管理局]
        support:
          - 市委宣传部
          - 市委组织部
          - 市发展和改革委员会
          - 市工业和信息化局
          - 市住房和城乡建设局
          - 市交通运输局
          - 市农业农村局
        deadline: 2020年底前
      # 独立一行的注释
      - {no: "2", lead: [市公安局], source: {file: a.txt, line: 3}}
"""


def comments(text: str) -> list[str]:
    return sorted(m.group(0).strip() for m in re.finditer(r"#[^\n]*", text))


def model(text: str) -> object:
    doc, problems = check_shape(Document, load_text(Path("x.yaml"), text).data)
    assert doc is not None, problems
    return doc


def test_canonical_layout_keeps_comments() -> None:
    result = format_text(MESSY)
    assert result.text == CANONICAL
    assert comments(result.text) == comments(MESSY)
    assert model(result.text) == model(MESSY)
    assert format_text(result.text).text == result.text


def test_check_reports_a_diff_and_changes_nothing(tmp_path: Path) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(MESSY, encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [\n", encoding="utf-8")
    runner = CliRunner()
    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(app, ["fmt", "--check", "plan.yaml"])
        assert result.exit_code == 1
        assert "--- a/plan.yaml" in result.output and '+      - no: "1"' in result.output
        assert plan.read_text(encoding="utf-8") == MESSY
        assert runner.invoke(app, ["fmt", "plan.yaml"]).exit_code == 0
        assert plan.read_text(encoding="utf-8") == CANONICAL
        assert runner.invoke(app, ["fmt", "--check", "plan.yaml"]).exit_code == 0
        result = runner.invoke(app, ["fmt", "broken.yaml"])
        assert result.exit_code == 1 and "broken.yaml:2:1" in result.output
        assert broken.read_text(encoding="utf-8") == "a: [\n"
        gbk = tmp_path / "gbk.yaml"
        gbk.write_bytes("title: 中文\n".encode("gbk"))
        result = runner.invoke(app, ["fmt", "gbk.yaml"])
        assert result.exit_code == 1 and "gbk.yaml: 文件不是 UTF-8 编码" in result.output
        assert gbk.read_bytes() == "title: 中文\n".encode("gbk")
    finally:
        os.chdir(old)


def test_unparseable_text_is_refused() -> None:
    try:
        format_text("a: b: c\n")
    except LayoutProblem as exc:
        assert exc.line == 1
    else:
        raise AssertionError("expected a LayoutProblem")


def test_bundled_data_is_canonical() -> None:
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, ["fmt", "--check", "data"])
    finally:
        os.chdir(old)
    assert result.exit_code == 0, result.output


KEYS = ["no", "title", "lead", "deadline", "support", "others"]
names = st.sampled_from(
    ["市公安局", "市应急管理局", "市委宣传部", "市住房和城乡建设局和其他相关的很多部门"]
)
comment_text = st.text(alphabet="甲乙丙丁ab 12", min_size=1, max_size=8).map(str.strip).filter(bool)


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A plan with tasks in random key order and comments on random lines."""
    lines = [
        "schema: ansheng/v1",
        "document: {id: t, title: 测试, issuer: 办, date: 2020-02-24, jurisdiction: 测试市}",
    ]
    lines.append("sections:")
    lines.append("  - title: 甲")
    lines.append("    tasks:")
    for i in range(draw(st.integers(1, 4))):
        keys = draw(st.permutations(KEYS))
        first = True
        for key in keys:
            if key == "no":
                value = draw(st.sampled_from([str(i + 1), f'"{i + 1}"', "一", "（三）"]))
            elif key in ("lead", "support"):
                value = "[" + ", ".join(draw(st.lists(names, max_size=4))) + "]"
            elif key == "others":
                value = "相关部门"
            elif key == "deadline":
                value = draw(st.sampled_from(["2020年底前", "每季度", "长期坚持"]))
            else:
                value = f"任务{i}"
            prefix = "      - " if first else "        "
            note = f"  # {draw(comment_text)}" if draw(st.booleans()) else ""
            lines.append(f"{prefix}{key}: {value}{note}")
            first = False
        if draw(st.booleans()):
            lines.append(f"        # {draw(comment_text)}")
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fmt_properties(text: str) -> None:
    first = format_text(text).text
    assert format_text(first).text == first  # idempotent
    assert comments(first) == comments(text)  # every comment survives
    assert model(first) == model(text)  # the same data
