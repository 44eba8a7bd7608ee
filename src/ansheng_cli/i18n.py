"""Chinese for the few strings typer/click print themselves (panel titles, help option).

typer binds ``gettext.gettext`` at import time, so the catalog is installed before typer
is imported; anything not in the table falls through to the original.
"""

from __future__ import annotations

import gettext

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
