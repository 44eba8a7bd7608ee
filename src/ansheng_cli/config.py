"""Defaults from ansheng.toml or [tool.ansheng] in pyproject.toml (nearest to the cwd)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

KEYS = {"select", "ignore", "strict", "units", "max_file_bytes", "format"}


class ConfigProblem(Exception):
    pass


@dataclass
class Config:
    path: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def find_config(start: Path) -> Config:
    start = start.resolve()
    for folder in [start, *start.parents]:
        own = folder / "ansheng.toml"
        if own.is_file():
            return _read(own, lambda d: d)
        project = folder / "pyproject.toml"
        if project.is_file():
            config = _read(project, lambda d: d.get("tool", {}).get("ansheng"))
            if config.values:
                return config
    return Config()


def _read(path: Path, pick: Any) -> Config:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigProblem(f"无法读取配置文件 {path}：{exc}") from None
    values = pick(data) or {}
    unknown = sorted(set(values) - KEYS)
    if unknown:
        raise ConfigProblem(
            f"配置文件 {path} 中有未知设置：{', '.join(unknown)}（可用：{', '.join(sorted(KEYS))}）"
        )
    if "units" in values:
        values["units"] = str((path.parent / values["units"]).resolve())
    return Config(path, values)
