"""Settings: ``ansheng.toml`` (or ``[tool.ansheng]`` in pyproject.toml, nearest to the cwd)
merged with the command's flags into one typed, checked object that every command reads.

A bad value is refused with the key named (exit 2), never half-read: ``strict = "false"``
is an error, not "true".
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ansheng_cli.errors import ConfigProblem
from ansheng_cli.supervise.lights import LightRule

MAX_FILE_BYTES = 10 * 1024 * 1024


def parse_codes(value: Any) -> tuple[str, ...]:
    """Codes from a list (or a comma-separated text): ``["w3, E401"]`` → (W3, E401)."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(v, str) for v in items):
        raise TypeError('应为代码列表，如 ["W3", "E401"]')
    return tuple(c.strip().upper() for v in items for c in v.split(",") if c.strip())


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("应为 true 或 false（不加引号）")
    return value


def _positive_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise TypeError("应为正整数（字节数），如 10485760")
    return value


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError("应为文本")
    return value


def _dates(value: Any) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise TypeError('应为“"名称" = "月-日"”的表，如 [seasons] 下写 "汛期" = "06-01"')
    return dict(value)


def _words(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise TypeError('应为文本列表，如 ["牵头负责"]')
    return tuple(value)


def _score(value: Any) -> str:
    if (
        not isinstance(value, dict)
        or set(value) != {"formula"}
        or not isinstance(value["formula"], str)
    ):
        raise TypeError('应为表，只写 formula = "100 * 按期完成率 - 5 * 逾期"')
    return str(value["formula"])


# key → (converter, what it means); the converter raises TypeError with the expected form
KEYS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "select": (parse_codes, "只检查这些代码或前缀"),
    "ignore": (parse_codes, "不检查这些代码或前缀"),
    "strict": (_bool, "警告也以退出码 1 结束"),
    "units": (_text, "单位名录文件（相对于配置文件）"),
    "max_file_bytes": (_positive_int, "单个文件的大小上限（字节）"),
    "format": (_text, "validate 的默认输出格式"),
    "seasons": (_dates, '时限中的季节与节点，如 "汛期" = "06-01"'),
    "roles": (_words, '导入时另外识别的责任用语（如 "挂帅"），按“负责”处理'),
    "lights": (LightRule.from_settings, "三色督办：几天内到期亮黄灯，节点滞后亮黄灯还是红灯"),
    "score": (_score, '考核得分公式（[score] 下写 formula = "…"）'),
}


@dataclass(frozen=True)
class Settings:
    """Everything a command may need from the settings file, checked and typed."""

    path: Path | None = None  # the settings file, if one was found
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    strict: bool = False
    units: Path | None = None
    max_file_bytes: int = MAX_FILE_BYTES
    format: str = "human"
    seasons: dict[str, str] = field(default_factory=dict)
    roles: tuple[str, ...] = ()
    lights: LightRule = field(default_factory=LightRule)
    score: str | None = None  # the 考核 formula; None: the default one

    @property
    def root(self) -> Path | None:
        """The data repository's root: the folder of the settings file."""
        return self.path.parent if self.path else None

    def merged(self, **flags: Any) -> Settings:
        """These settings with every flag that was given (not None) taking precedence."""
        given = {k: v for k, v in flags.items() if v is not None and v != ()}
        return replace(self, **given)


def find_settings(start: Path) -> Settings:
    """The settings nearest to ``start`` (the folder itself, then its parents)."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        own = folder / "ansheng.toml"
        if own.is_file():
            found = _read(own, lambda d: d)
            assert found is not None
            return found
        project = folder / "pyproject.toml"
        if project.is_file():
            found = _read(project, lambda d: d.get("tool", {}).get("ansheng"), optional=True)
            if found is not None:
                return found
    return Settings()


def _read(
    path: Path, pick: Callable[[dict[str, Any]], Any], optional: bool = False
) -> Settings | None:
    try:
        raw = path.read_bytes()
        if len(raw) > 1024 * 1024:
            raise ConfigProblem(f"配置文件 {path} 过大（超过 1 MB）")
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ConfigProblem(
            f"配置文件 {path} 不是 UTF-8 编码（用记事本“另存为”UTF-8 后重试）"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigProblem(f"配置文件 {path} 格式错误：{exc}") from None
    except OSError as exc:
        raise ConfigProblem(f"无法读取配置文件 {path}：{exc.strerror or exc}") from None
    values = pick(data)
    if values is None and optional:
        return None
    if not isinstance(values, dict):
        raise ConfigProblem(f"配置文件 {path} 中的 ansheng 设置应为表")
    return _settings(path, values)


def _settings(path: Path, values: Mapping[str, Any]) -> Settings:
    unknown = sorted(set(values) - set(KEYS))
    if unknown:
        raise ConfigProblem(
            f"配置文件 {path} 中有未知设置：{'、'.join(unknown)}（可用：{'、'.join(KEYS)}）"
        )
    typed: dict[str, Any] = {}
    for key, value in values.items():
        convert, meaning = KEYS[key]
        try:
            typed[key] = convert(value)
        except TypeError as exc:
            raise ConfigProblem(f"配置文件 {path} 中 {key}（{meaning}）{exc}") from None
    if "units" in typed:
        typed["units"] = (path.parent / typed["units"]).resolve()
    return Settings(path=path, **typed)


def default_paths(given: list[str] | None) -> list[str]:
    """What a command works on: the paths given; without any, the ``data/`` folder of the
    data repository the current folder lies in (the folder of ansheng.toml, else the
    nearest one holding ``data/``), written relative to the current folder."""
    import os

    from ansheng_cli.plan.registry import data_root

    if given:
        return list(given)
    settings_root = find_settings(Path.cwd()).root
    root = settings_root or data_root(Path.cwd()) or Path.cwd()
    return [os.path.relpath(root / "data")]


def command_settings(**flags: Any) -> Settings:
    """What a command runs with: the settings file nearest to the current folder, the given
    flags on top; ``-v`` says which file; a ``units`` file that does not exist is refused."""
    from ansheng_cli.errors import UsageProblem
    from ansheng_cli.streams import detail

    settings = find_settings(Path.cwd()).merged(**flags)
    detail(f"设置文件：{settings.path or '（无，使用默认设置）'}")
    if settings.units is not None and not settings.units.is_file():
        raise UsageProblem(f"单位名录文件不存在：{settings.units}")
    return settings
