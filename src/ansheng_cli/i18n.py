"""Chinese for the strings typer/click print themselves: panel titles, the help option,
usage lines and usage errors ("No such option", "Missing argument" …).

typer binds ``gettext.gettext`` at import time, so the catalog is installed before typer
is imported; anything not in the table falls through to the original. The usage errors of
typer's vendored click are English f-strings, so they are translated by pattern when shown.
"""

from __future__ import annotations

import gettext
import re

ZH = {
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "Error": "错误",
    "Aborted.": "已中止。",
    "Aborted!": "已中止！",
    "[default: {}]": "[默认：{}]",
    "[required]": "[必填]",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Try [blue]'{command_path} {help_option}'[/] for help.": "运行 [blue]'{command_path} {help_option}'[/] 查看帮助。",
    "Show this message and exit.": "显示本帮助并退出。",
}

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    original = gettext.gettext

    def translate(message: str) -> str:
        return ZH.get(message) or original(message)

    gettext.gettext = translate
    _installed = True


def localize_help_option() -> None:
    """The help option's text is a literal in typer's vendored click; relabel it.

    Guarded: if typer's internals move, help stays in English rather than breaking.
    """
    try:
        from typer._click.core import Command
    except ImportError:  # pragma: no cover - other typer versions
        return
    original = Command.get_help_option
    if getattr(original, "_ansheng", False):
        return

    def get_help_option(self: Command, ctx: object) -> object:
        option = original(self, ctx)  # type: ignore[arg-type]
        if option is not None:
            option.help = ZH["Show this message and exit."]
        return option

    get_help_option._ansheng = True  # type: ignore[attr-defined]
    Command.get_help_option = get_help_option  # type: ignore[assignment,method-assign]


# English usage errors of click → Chinese, tried in order on the whole message.
ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.S), chinese)
    for pattern, chinese in (
        (
            r"^No such option: (?P<a>\S+) \(Possible options: (?P<b>.*)\)$",
            "没有选项 {a}（可用：{b}）",
        ),
        (
            r"^No such option: (?P<a>.+?)\.? Did you mean (?P<b>.+)\?$",
            "没有选项 {a}，是不是要用 {b}？",
        ),
        (r"^No such option: (?P<a>\S+)$", "没有选项 {a}"),
        (r"^(?P<a>没有命令 .+?)。?\.? Did you mean (?P<b>.+)\?$", "{a}，是不是要用 {b}？"),
        (
            r"^No such command (?P<a>'[^']+')\.? Did you mean (?P<b>.+)\?$",
            "没有命令 {a}，是不是要用 {b}？",
        ),
        (r"^No such command (?P<a>'[^']+')\.?$", "没有命令 {a}"),
        (r"^Missing command\.?$", "缺少命令"),
        (r"^Missing argument '?(?P<a>[^'.]+)'?\.$", "缺少参数：{a}"),
        (r"^Missing option '?(?P<a>[^'.]+)'?\.$", "缺少选项：{a}"),
        (r"^Option '(?P<a>[^']+)' does not take a value\.$", "选项 {a} 后面不能写值"),
        (r"^Option '(?P<a>[^']+)' requires an argument\.$", "选项 {a} 后面要写一个值"),
        (r"^Option '(?P<a>[^']+)' requires (?P<b>\d+) arguments\.$", "选项 {a} 后面要写 {b} 个值"),
        (r"^Got unexpected extra arguments? \((?P<a>.*)\)$", "多余的参数：{a}"),
        (r"^Invalid value for (?P<a>.+?): (?P<b>.*)$", "{a} 的值无效：{b}"),
        (r"^Invalid value: (?P<b>.*)$", "值无效：{b}"),
    )
)
DETAILS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), chinese)
    for pattern, chinese in (
        (r"^(?P<a>.+) is not a valid int(?: range)?\.$", "{a} 不是整数"),
        (r"^(?P<a>.+) is not a valid float(?: range)?\.$", "{a} 不是数字"),
        (r"^(?P<a>.+) is not a valid boolean.*$", "{a} 不是 true 或 false"),
        (r"^(?P<a>.+) is not in the range x>=(?P<b>[-\d.]+)\.$", "{a} 小于 {b}"),
        (r"^(?P<a>.+) is not in the range x<=(?P<b>[-\d.]+)\.$", "{a} 大于 {b}"),
        (r"^(?P<a>.+) is not in the range (?P<b>.+)\.$", "{a} 超出范围 {b}"),
        (r"^(?P<a>.+) is not one of (?P<b>.+)\.$", "{a} 不在可选值 {b} 中"),
        (r"^Path (?P<a>.+) does not exist\.$", "路径 {a} 不存在"),
    )
)


def translate_error(message: str) -> str:
    """A click usage error in Chinese (the English text when no pattern knows it)."""
    for pattern, chinese in ERRORS:
        m = pattern.match(message)
        if m:
            parts = {k: v for k, v in m.groupdict().items() if v is not None}
            if "b" in parts:
                parts["b"] = _detail(parts["b"])
            return chinese.format(**parts)
    return message


def _detail(text: str) -> str:
    for pattern, chinese in DETAILS:
        m = pattern.match(text)
        if m:
            return chinese.format(**m.groupdict())
    return text


def localize_errors() -> None:
    """Show click's usage errors and usage line in Chinese (guarded like the help option)."""
    try:
        from typer import exceptions as typer_exceptions
        from typer._click import exceptions, formatting
    except ImportError:  # pragma: no cover - other typer versions
        return
    base = exceptions.ClickException
    if getattr(base.format_message, "_ansheng", False):
        return
    roots = [c for c in vars(typer_exceptions).values() if isinstance(c, type)]
    for cls in (*roots, base, exceptions.UsageError, exceptions.BadParameter, exceptions.MissingParameter,
                exceptions.NoSuchOption, exceptions.BadOptionUsage, exceptions.BadArgumentUsage):  # fmt: skip
        original = cls.__dict__.get("format_message")
        if original is None:
            continue

        def format_message(self: object, _original: object = original) -> str:
            return translate_error(_original(self))  # type: ignore[operator]

        format_message._ansheng = True  # type: ignore[attr-defined]
        setattr(cls, "format_message", format_message)  # noqa: B010
    write_usage = formatting.HelpFormatter.write_usage

    def chinese_usage(self: object, prog: str, args: str = "", prefix: str | None = None) -> None:
        write_usage(self, prog, args, "用法：" if prefix is None else prefix)  # type: ignore[arg-type]

    formatting.HelpFormatter.write_usage = chinese_usage  # type: ignore[method-assign]


COMPLETION_HELP = {
    "--install-completion": "安装命令补全（按 Tab 补全命令和选项）",
    "--show-completion": "显示命令补全脚本，可复制后自行安装",
}


def localize_completion() -> None:
    """The help of typer's own completion options, in Chinese (guarded)."""
    try:
        from typer import completion
    except ImportError:  # pragma: no cover
        return
    for fn in (
        completion._install_completion_placeholder_function,
        completion._install_completion_no_auto_placeholder_function,
    ):
        for info in fn.__defaults__ or ():
            names = getattr(info, "param_decls", ()) or ()
            for name in names:
                if name in COMPLETION_HELP:
                    info.help = COMPLETION_HELP[name]
