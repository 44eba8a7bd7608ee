"""txt and md through Jinja templates, rendered in a sandbox and streamed to the file.

Built-in templates live in templates/ (packaged as ansheng_cli.templates); a data
repository's own templates/ overrides them by name; ``--template FILE`` uses a user's.
"""

from __future__ import annotations

import datetime as dt
import sys
import traceback
from importlib.resources import files
from pathlib import Path
from typing import Any

from ansheng_cli.export.formats import ExportOptions, ExportProblem
from ansheng_cli.plan.compiled import CompiledTask, Plan


def template_name(options: ExportOptions) -> str:
    view = "units" if options.unit_view else "attachment"
    return f"{view}.{options.fmt}.j2"


def _source(options: ExportOptions) -> tuple[str, str]:
    """(name for messages, template text)."""
    if options.template is not None:
        try:
            return str(options.template), options.template.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ExportProblem(f"无法读取模板 {options.template}：{exc}") from None
    name = template_name(options)
    if options.templates_dir is not None and (options.templates_dir / name).is_file():
        own = options.templates_dir / name
        return str(own), own.read_text(encoding="utf-8-sig")
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


def context(plan: Plan, options: ExportOptions) -> dict[str, Any]:
    return {
        "documents": plan.documents,
        "units": plan.unit_lists(options.unit),
        "by_unit": options.unit_view,
        "unit": options.unit,
    }


def environment() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.filters.update(
        lead_text=lead_text, md=md, date_cn=date_cn, task_number=task_number, task_ref=task_ref
    )
    return env


def render(plan: Plan, path: Path, options: ExportOptions) -> None:
    from jinja2 import FunctionLoader, TemplateError, TemplateSyntaxError

    name, source = _source(options)
    env = environment()
    # The loader names the template's file, so jinja puts that name on traceback frames.
    env.loader = FunctionLoader(lambda _: (source, name, lambda: True))
    try:
        template = env.get_template(name)
        with path.open("w", encoding="utf-8", newline="\n") as out:
            for chunk in template.generate(**context(plan, options)):
                out.write(chunk)
    except TemplateSyntaxError as exc:
        raise ExportProblem(f"模板 {name} 第 {exc.lineno} 行语法错误：{exc.message}") from None
    except (TemplateError, AttributeError, TypeError, ValueError, KeyError) as exc:
        line = _template_line(name)
        where = f"第 {line} 行" if line else ""
        raise ExportProblem(f"模板 {name} {where}出错：{exc}") from None


def _template_line(name: str) -> int | None:
    """The template line of the error being handled (jinja puts template frames in it)."""
    frames = traceback.extract_tb(sys.exc_info()[2])
    lines = [f.lineno for f in frames if f.filename == name]
    return lines[-1] if lines else None
