"""催办单 / 督办单: one .docx letter per unit, through a Word template the office can replace.

The built-in template (templates/催办单.docx, made by tools/make_notice_template.py) is laid
out after GB/T 9704-2012. An office writes its own in Word and passes it with
``--template``: docxtpl (python-docx-template) fills the ``{{ … }}`` and ``{% … %}`` marks
written in the document itself, ``{%p … %}`` for whole paragraphs and ``{%tr … %}`` for table
rows. The template runs in Jinja's sandbox within the budget of user text templates
(export.text): bounded loops, time and output; values are XML-escaped.

Variables of a letter (all text, Chinese dates as 2024年7月1日):

- ``unit``, ``jurisdiction``, ``issuer``, ``level`` (提醒 | 黄色 | 红色), ``title`` (提醒单 |
  黄色督办单 | 红色督办单), ``number`` (督办单编号 or none), ``date`` (the as-of date),
  ``return_by`` (the round's date to return the sheets, or none; it may have passed),
  ``reply_by`` (the date to reply by, never before the letter's: ``return_by`` when it is
  later than ``date``, else ``date`` + 5 working days), ``round`` (or none),
  ``missing_return`` (true when the unit has not returned its 进展填报表);
- ``overdue``, ``soon``, ``items`` (both): lists of tasks, each with ``seq`` (1, 2, … across
  the letter), ``no``, ``document``, ``source`` (《文件》第3项), ``text``, ``role`` (牵头 |
  配合), ``deadline`` (as written), ``due`` (the date, or empty), ``due_note`` (the date when
  the deadline text does not already name its month, else empty), ``days`` (> 0 overdue),
  ``status`` (逾期12天 | 今日到期 | 还剩5天), ``light`` (红 | 黄 | 绿);
- ``summary`` (有2项已超过完成时限、1项即将到期), ``overdue_heading`` and ``soon_heading``
  (一、已逾期任务（2项）, numbered in turn).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import sys
import time
import traceback
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ansheng_cli.errors import AnshengError, FileProblem, UsageProblem

TEMPLATE_NAME = "催办单.docx"
TITLES = {"提醒": "提醒单", "黄色": "黄色督办单", "红色": "红色督办单"}
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024  # a letterhead picture or two
MAX_TEMPLATE_XML = 10 * 1024 * 1024  # the XML of a real letter template is well under 1 MB
MAX_LETTER_CHARS = 20 * 1024 * 1024  # one rendered part; a runaway template stops here
MAX_NAME_CHARS = 60  # of the unit in a file name (UTF-8: 180 bytes, well under 255)
REPLY_DAYS = 5  # working days to reply when the round's return date is not later


@dataclass(frozen=True)
class NoticeItem:
    no: str  # task number as printed, e.g. "（三）3" or "12"
    document: str  # the plan's title
    text: str  # task text, kept whole
    role: str  # "牵头" or "配合"
    deadline: str  # deadline as written, e.g. "2024年6月底前"
    due: dt.date | None
    days: int  # > 0: days overdue; <= 0: due in -days days
    light: str  # "红" | "黄" | "绿"


@dataclass(frozen=True)
class Letter:
    unit: str
    jurisdiction: str
    level: str  # "提醒" | "黄色" | "红色"
    issuer: str
    as_of: dt.date
    overdue: list[NoticeItem]
    soon: list[NoticeItem]
    return_by: dt.date | None = None  # 请于…前报送
    round: str | None = None  # "2024年第二季度"
    missing_return: bool = False  # no 进展填报表 returned for the round
    number: str | None = None  # 督办单编号, e.g. "安委办督〔2024〕3号"


@dataclass(frozen=True)
class Row:
    """One task as the template sees it (attributes, so that a misspelt name is an error
    rather than a method of dict)."""

    seq: int
    no: str
    document: str
    source: str
    text: str
    role: str
    deadline: str
    due: str
    due_note: str
    days: int
    status: str
    light: str


def render_letters(letters: list[Letter], folder: Path, template: Path | None = None) -> list[Path]:
    """Write one letter per entry into ``folder`` (created if needed); return the paths.

    Every letter is rendered before the first is written, so a template that fails on any
    of them leaves no file; each file is written atomically."""
    from ansheng_cli.atomic import write_bytes_atomic

    name, source = _template(template)
    _open(name, source)  # a broken package is named before any rendering
    env, budget = _environment()
    rendered = [_render(name, source, context(letter), env, budget) for letter in letters]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise FileProblem(f"无法创建输出目录 {folder}：{exc.strerror or exc}") from None
    paths = [folder / file_name for file_name in file_names(letters)]
    for path, data in zip(paths, rendered, strict=True):
        write_bytes_atomic(path, data)
    return paths


# -- file names --------------------------------------------------------------------------

# path separators, characters Windows refuses in names, and control characters (invisible
# format characters, such as bidi overrides, are replaced by their Unicode category)
_UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\x7f-\x9f]')


def safe_name(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """``text`` usable as (part of) a file name on any system: no separators, controls or
    invisible characters, no leading dot, at most ``limit`` characters."""
    text = unicodedata.normalize("NFC", text)
    text = "".join("_" if unicodedata.category(c) in ("Cf", "Zl", "Zp") else c for c in text)
    text = _UNSAFE.sub("_", text)
    text = re.sub(r"\s+", " ", text).strip(" ._")
    return text[:limit].rstrip(" .") or "未命名单位"


def file_names(letters: list[Letter]) -> list[str]:
    """``<单位>_<红色督办单>.docx`` per letter (``<地区>_<单位>_…`` when the letters go to
    units of several jurisdictions); names that would coincide (units told apart
    only by characters a file name cannot hold) get （2）, （3）…"""
    seen: set[str] = set()
    out = []
    several = len({letter.jurisdiction for letter in letters}) > 1
    for letter in letters:
        unit = f"{letter.jurisdiction}_{letter.unit}" if several else letter.unit
        stem = f"{safe_name(unit)}_{_title(letter.level)}"
        name, n = f"{stem}.docx", 1
        while name.casefold() in seen:  # Windows and macOS folders ignore case
            n += 1
            name = f"{stem}（{n}）.docx"
        seen.add(name.casefold())
        out.append(name)
    return out


# -- the template's variables --------------------------------------------------------------


def date_cn(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _title(level: str) -> str:
    try:
        return TITLES[level]
    except KeyError:
        raise ValueError(f"level must be one of {', '.join(TITLES)}: {level!r}") from None


def status(days: int) -> str:
    if days > 0:
        return f"逾期{days}天"
    return "今日到期" if days == 0 else f"还剩{-days}天"


def source(item: NoticeItem) -> str:
    """Where the task comes from: 《文件》第12项, 《文件》（三）3."""
    number = f"第{item.no}项" if item.no.isdigit() else item.no
    return f"《{item.document}》{number}" if item.document else number


def _row(seq: int, item: NoticeItem) -> Row:
    from ansheng_cli.plan.text import xml_safe

    due = date_cn(item.due) if item.due else ""
    named = item.due is not None and f"{item.due.year}年{item.due.month}月" in item.deadline
    return Row(
        seq=seq,
        no=xml_safe(item.no),
        document=xml_safe(item.document),
        source=xml_safe(source(item)),
        text=xml_safe(item.text),
        role=xml_safe(item.role),
        deadline=xml_safe(item.deadline),
        due=due,
        due_note="" if named else due,
        days=item.days,
        status=status(item.days),
        light=xml_safe(item.light),
    )


def reply_by(as_of: dt.date, return_by: dt.date | None) -> dt.date:
    """The date a letter asks for a reply by: the round's return date when it is still ahead,
    else ``as_of`` + 5 working days (Monday to Friday; public holidays are not known here),
    so that no letter asks for a reply by a day already gone."""
    if return_by is not None and return_by > as_of:
        return return_by
    day, left = as_of, REPLY_DAYS
    while left:
        day += dt.timedelta(days=1)
        left -= day.weekday() < 5
    return day


def summary(overdue: int, soon: int) -> str:
    parts = []
    if overdue:
        parts.append(f"{overdue}项已超过完成时限")
    if soon:
        parts.append(f"{soon}项即将到期")
    return "有" + "、".join(parts) if parts else "暂无逾期或即将到期的任务"


def context(letter: Letter) -> dict[str, Any]:
    """The variables a template sees for one letter."""
    from ansheng_cli.plan.text import xml_safe

    def text(value: str | None) -> str | None:
        return None if value is None else xml_safe(value)

    overdue = [_row(i, item) for i, item in enumerate(letter.overdue, 1)]
    soon = [_row(i, item) for i, item in enumerate(letter.soon, len(overdue) + 1)]
    numerals = iter("一二")
    return {
        "unit": text(letter.unit),
        "jurisdiction": text(letter.jurisdiction),
        "issuer": text(letter.issuer),
        "level": letter.level,
        "title": _title(letter.level),
        "number": text(letter.number),
        "date": date_cn(letter.as_of),
        "return_by": date_cn(letter.return_by) if letter.return_by else None,
        "reply_by": date_cn(reply_by(letter.as_of, letter.return_by)),
        "round": text(letter.round),
        "missing_return": letter.missing_return,
        "overdue": overdue,
        "soon": soon,
        "items": overdue + soon,
        "summary": summary(len(overdue), len(soon)),
        "overdue_heading": f"{next(numerals)}、已逾期任务（{len(overdue)}项）" if overdue else "",
        "soon_heading": f"{next(numerals)}、即将到期任务（{len(soon)}项）" if soon else "",
    }


# -- the template ----------------------------------------------------------------------------


def _template(path: Path | None) -> tuple[str, bytes]:
    """(name for messages, the .docx bytes): the built-in one, or the user's file, read only
    when it is a regular file whose parts stay small when unpacked."""
    if path is None:
        from importlib.resources import files

        return TEMPLATE_NAME, files("ansheng_cli.templates").joinpath(TEMPLATE_NAME).read_bytes()
    from ansheng_cli.plan.files import check_package, read_regular

    data = read_regular(path, MAX_TEMPLATE_BYTES, "模板")  # first: refuses a pipe unread
    check_package(path, "Word（.docx）", MAX_TEMPLATE_XML)
    return str(path), data


def _open(name: str, data: bytes) -> Any:
    """The template as a docxtpl document; a file Word would not call a document is refused
    with what to do about it."""
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree  # type: ignore[import-untyped]

    try:
        doc = _template_class()(io.BytesIO(data))
        doc.init_docx()
    except ValueError as exc:
        if "template.main" in str(exc):
            raise FileProblem(
                f"模板 {name} 是 Word 模板文件（.dotx），请在 Word 中“另存为”Word 文档（.docx）后使用"
            ) from None
        raise FileProblem(
            f"模板 {name} 不是 Word 文档（.docx）；请在 Word 中“另存为”.docx 后重试"
        ) from None
    except (KeyError, zipfile.BadZipFile, PackageNotFoundError, etree.LxmlError):
        raise FileProblem(
            f"模板 {name} 不是有效的 Word 文档（.docx）；请在 Word 中“另存为”.docx 后重试"
        ) from None
    return doc


@functools.cache
def _template_class() -> Any:
    """docxtpl's template, remembering the XML of the part being rendered, so that an error
    can quote the paragraph it happened in, and checking the body it produced. Made on
    first use: docxtpl is imported only by the commands that write letters."""
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]
    from lxml import etree

    class Template(DocxTemplate):  # type: ignore[misc]
        source: str | None = None
        properties = False  # rendering the document properties (title, author, comments)

        def render_xml_part(
            self, src_xml: str, part: Any, context: Any, jinja_env: Any = None
        ) -> Any:
            # docxtpl starts every paragraph on a line of its own before handing it to
            # Jinja; the same split here makes Jinja's line numbers point into these lines
            self.source = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
            return super().render_xml_part(src_xml, part, context, jinja_env)

        def render_properties(self, context: Any, jinja_env: Any = None) -> None:
            self.source, self.properties = None, True
            super().render_properties(context, jinja_env)

        def build_xml(self, context: Any, jinja_env: Any = None) -> Any:
            xml = super().build_xml(context, jinja_env)
            # docxtpl reads the result back with a recovering parser, which would silently
            # drop what a misplaced tag broke; read it strictly first
            try:
                etree.fromstring(xml.encode("utf-8"))
            except etree.XMLSyntaxError:
                raise _Broken from None
            return xml

        def place(self, number: int | None) -> str:
            """Where line ``number`` of the part being rendered is, for a message: the text
            of its paragraph, or the document properties."""
            if self.properties:
                return "的文档属性（标题、作者、备注等）中"
            if number is None or self.source is None:
                return ""
            lines = self.source.split("\n")
            if not 0 < number <= len(lines):
                return ""
            text = re.sub(r"<[^>]+>", "", lines[number - 1])
            text = re.sub(r"\s+", " ", text).strip()
            if not text:
                return ""
            return f"在“{text if len(text) <= 40 else text[:40] + '…'}”处"

    return Template


class _Broken(Exception):
    """The body a template produced is not well-formed WordprocessingML."""


def _environment() -> tuple[Any, Any]:
    """The sandboxed environment of user text templates, its output bounded per part.

    Each part of the template is compiled once for all letters (docxtpl would compile it
    again for each: two thirds of the time)."""
    from jinja2 import Template

    from ansheng_cli.export.text import Budget, environment

    budget = Budget()
    env = environment(budget)

    class Bounded(Template):
        def render(self, *args: Any, **kwargs: Any) -> str:
            parts, size = [], 0
            for chunk in self.generate(*args, **kwargs):
                size += len(chunk)
                if size > MAX_LETTER_CHARS:
                    raise UsageProblem(f"输出超过 {MAX_LETTER_CHARS} 个字符，已停止")
                budget.tick(0)
                parts.append(chunk)
            return "".join(parts)

    env.template_class = Bounded
    env.from_string = functools.lru_cache(maxsize=32)(env.from_string)
    return env, budget


def _render(name: str, data: bytes, variables: dict[str, Any], env: Any, budget: Any) -> bytes:
    from jinja2 import TemplateError, TemplateSyntaxError, UndefinedError
    from lxml import etree

    from ansheng_cli.export.text import MAX_SECONDS

    doc = _open(name, data)
    budget.steps = 0  # each letter has the whole budget of one rendering
    budget.deadline = time.monotonic() + MAX_SECONDS
    try:
        doc.render(variables, env, autoescape=True)
        out = io.BytesIO()
        doc.save(out)
    except TemplateSyntaxError as exc:
        raise UsageProblem(f"模板 {name} {doc.place(exc.lineno)}语法错误：{exc.message}") from None
    except UndefinedError as exc:
        raise UsageProblem(
            f"模板 {name} {doc.place(_line())}出错：{_undefined(str(exc))}"
        ) from None
    except AnshengError as exc:  # the budget: loops, time, output size
        raise UsageProblem(f"模板 {name}：{exc.message}") from None
    except RecursionError:
        raise UsageProblem(f"模板 {name} 递归过深，已停止") from None
    except (_Broken, etree.LxmlError, SyntaxError):
        raise UsageProblem(
            f"模板 {name} 生成的文档结构不完整：常见原因是 {{% if %}}、{{% for %}} 与其 "
            "{% endif %}、{% endfor %} 不在同一段落（跨段落用 {%p … %}，跨表格行用 {%tr … %}）"
        ) from None
    except OverflowError:  # the sandbox's range(): at most 100000 items a call
        where = doc.place(_line())
        raise UsageProblem(
            f"模板 {name} {where}出错：range 范围过大（每次至多 100000 项）"
        ) from None
    except (TemplateError, AttributeError, TypeError, ValueError, LookupError) as exc:
        raise UsageProblem(f"模板 {name} {doc.place(_line())}出错：{exc}") from None
    return out.getvalue()


def _undefined(message: str) -> str:
    """Jinja's words for a name or attribute the template reads and the letter lacks."""
    if missing := re.fullmatch(r"'([^']+)' is undefined", message):
        return f"变量 {missing[1]} 未定义"
    if missing := re.fullmatch(r"'(.+) object' has no attribute '([^']+)'", message):
        if missing[1].endswith(".Row"):
            fields = "、".join(Row.__dataclass_fields__)
            return f"任务没有 {missing[2]} 这一项（可用：{fields}）"
        return f"{missing[1]} 没有 {missing[2]} 这一项"
    return message


def _line() -> int | None:
    """The template line of the error being handled (Jinja puts template frames in it)."""
    frames = traceback.extract_tb(sys.exc_info()[2])
    lines = [f.lineno for f in frames if f.filename == "<template>"]
    return lines[-1] if lines else None
