"""txt and md through Jinja templates, rendered in a sandbox and streamed to the file.

Built-in templates live in templates/ (packaged as ansheng_cli.templates); a data
repository's own templates/ overrides them by name; ``--template FILE`` uses a user's.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import traceback
from importlib.resources import files
from pathlib import Path
from typing import Any

from ansheng_cli.export.formats import WORD, ExportOptions, ExportProblem, breakdown_title
from ansheng_cli.plan.compiled import CompiledTask, Plan


def template_name(options: ExportOptions) -> str:
    view = "units" if options.unit_view else "attachment"
    return f"{view}.{options.fmt}.j2"


MAX_TEMPLATE_BYTES = 1024 * 1024
MAX_OUTPUT_CHARS = 100 * 1024 * 1024  # far above any plan's text; stops a runaway template
MAX_LOOP_STEPS = 2_000_000  # items all range() calls of one rendering may produce
MAX_SECONDS = 60.0
MAX_REPEAT = 1_000_000  # the longest text or list "*" may build


def _read_template(path: Path) -> str:
    from ansheng_cli.plan.files import read_regular

    raw = read_regular(path, MAX_TEMPLATE_BYTES, "模板")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ExportProblem(f"模板 {path} 不是 UTF-8 编码（用记事本“另存为”UTF-8）") from None


def _source(options: ExportOptions) -> tuple[str, str]:
    """(name for messages, template text). Only regular files of bounded size are read, and
    a repository template that links out of the repository is refused."""
    from ansheng_cli.plan.files import escapes

    if options.template is not None:
        return str(options.template), _read_template(options.template)
    name = template_name(options)
    if options.templates_dir is not None and (options.templates_dir / name).exists():
        own = options.templates_dir / name
        outside = escapes(own, options.templates_dir.parent)
        if outside is not None:
            raise ExportProblem(f"模板 {own} 是指向数据仓库之外（{outside}）的链接，未使用")
        return str(own), _read_template(own)
    return name, files("ansheng_cli.templates").joinpath(name).read_text(encoding="utf-8")


def task_number(task: CompiledTask) -> str:
    """How a task's number leads its line: 1 → "1. ", （一） as is, a label → "标签：".

    A label the text already starts with (长春市侧重…) is not repeated.
    """
    no = task.no
    if no.isdigit():
        return f"{no}. "
    if no[:1] in "（(" or no[-1:] in "、.．":
        return no
    return "" if task.text.startswith(no) else f"{no}："


def task_ref(task: CompiledTask) -> str:
    """A task named in a sentence: 第3项, 第（一）项, “长春市”项."""
    no = task.no
    if no.isdigit() or no[:1] in "（(":
        return f"第{no}项"
    return f"“{no}”项"


def lead_text(task: CompiledTask, sep: str = "、") -> str:
    names = task.lead_names + ([task.others] if task.others else [])
    return sep.join(names) or "—"


def md(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def date_cn(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def context(plan: Plan, options: ExportOptions, used: set[str] | None = None) -> dict[str, Any]:
    """The template's variables; the unit lists (costly on a large plan) only when the
    template uses them (``used``: the names it reads; None: all)."""
    out: dict[str, Any] = {
        "documents": plan.documents,
        "by_unit": options.unit_view,
        "unit": options.unit,
    }
    if used is None or "units" in used:
        out["units"] = plan.unit_lists(options.unit)
    return out


class Budget:
    """What one rendering may spend: loop steps through range(), time, output size."""

    def __init__(self) -> None:
        self.steps = 0
        self.deadline = time.monotonic() + MAX_SECONDS

    def tick(self, steps: int = 1) -> None:
        self.steps += steps
        if self.steps > MAX_LOOP_STEPS:
            raise ExportProblem(
                f"模板循环次数超过 {MAX_LOOP_STEPS} 次，已停止（请检查模板中的 range）"
            )
        if time.monotonic() > self.deadline:
            raise ExportProblem(f"模板渲染超过 {int(MAX_SECONDS)} 秒，已停止")

    def range(self, *args: int) -> Any:
        from jinja2.sandbox import safe_range

        for value in safe_range(*args):
            self.tick()
            yield value


def environment(budget: Budget | None = None) -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class Bounded(SandboxedEnvironment):
        """Jinja's sandbox, with "*" and "**" unable to build a huge value."""

        intercepted_binops = frozenset(["*", "**"])

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int) and abs(right) > 64:
                raise ExportProblem("模板中的乘方过大，已停止")
            if operator == "*":
                for seq, n in ((left, right), (right, left)):
                    sized = isinstance(seq, str | list | tuple) and isinstance(n, int)
                    if sized and len(seq) * n > MAX_REPEAT:
                        raise ExportProblem("模板中用“*”重复生成的内容过长，已停止")
            return super().call_binop(context, operator, left, right)

    env = Bounded(
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters.update(
        lead_text=lead_text,
        md=md,
        date_cn=date_cn,
        task_number=task_number,
        task_ref=task_ref,
        breakdown_title=breakdown_title,
    )
    env.globals["word"] = WORD
    env.globals["range"] = (budget or Budget()).range
    return env


def render(plan: Plan, path: Path, options: ExportOptions) -> None:
    from jinja2 import FunctionLoader, TemplateError, TemplateSyntaxError

    name, source = _source(options)
    budget = Budget()
    env = environment(budget)
    # The loader names the template's file, so jinja puts that name on traceback frames.
    env.loader = FunctionLoader(lambda _: (source, name, lambda: True))
    try:
        from jinja2 import meta

        template = env.get_template(name)
        variables = context(plan, options, meta.find_undeclared_variables(env.parse(source)))
        budget.deadline = time.monotonic() + MAX_SECONDS  # the template's own time
        written = 0
        with path.open("w", encoding="utf-8", newline="\n") as out:
            for chunk in template.generate(**variables):
                written += len(chunk)
                if written > MAX_OUTPUT_CHARS:
                    raise ExportProblem(f"模板输出超过 {MAX_OUTPUT_CHARS} 个字符，已停止")
                budget.tick(0)
                out.write(chunk)
    except TemplateSyntaxError as exc:
        raise ExportProblem(f"模板 {name} 第 {exc.lineno} 行语法错误：{exc.message}") from None
    except ExportProblem as exc:
        raise ExportProblem(f"模板 {name}：{exc}") from None
    except RecursionError:
        raise ExportProblem(f"模板 {name} 递归过深，已停止") from None
    except (TemplateError, AttributeError, TypeError, ValueError, KeyError, OverflowError) as exc:
        line = _template_line(name)
        where = f"第 {line} 行" if line else ""
        raise ExportProblem(f"模板 {name} {where}出错：{exc}") from None


def _template_line(name: str) -> int | None:
    """The template line of the error being handled (jinja puts template frames in it)."""
    frames = traceback.extract_tb(sys.exc_info()[2])
    lines = [f.lineno for f in frames if f.filename == name]
    return lines[-1] if lines else None
