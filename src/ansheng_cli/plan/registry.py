"""Unit registries: find the one for a jurisdiction and resolve names through it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from ansheng_cli.plan.models import Unit, UnitRegistry

# Names that stand for "others" in every jurisdiction; a registry may add its own.
BUILTIN_CATCH_ALLS = frozenset(
    {"相关部门", "有关部门", "各有关部门", "各相关部门", "相关单位", "有关单位", "各有关单位",
     "其他相关部门", "其他有关部门", "市相关部门", "市有关部门", "市各有关部门"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Resolution:
    unit: Unit
    via_alias: bool


class Registry:
    """A jurisdiction's units, indexed by canonical name and alias."""

    def __init__(self, model: UnitRegistry, path: Path) -> None:
        self.model = model
        self.path = path
        self._by_name: dict[str, Resolution] = {}
        for unit in model.units:
            for alias in unit.aliases:
                self._by_name.setdefault(alias, Resolution(unit, True))
            if unit.full_name and unit.full_name != unit.name:
                self._by_name.setdefault(unit.full_name, Resolution(unit, True))
        for unit in model.units:
            self._by_name[unit.name] = Resolution(unit, False)
        self.catch_alls = BUILTIN_CATCH_ALLS | set(model.catch_alls)
        self._order = {unit.name: i for i, unit in enumerate(model.units)}

    def order(self, name: str) -> int:
        """The unit's position in the registry (offices list units in a fixed order)."""
        return self._order.get(name, 1_000_000)

    def resolve(self, name: str) -> Resolution | None:
        return self._by_name.get(name)

    def unit(self, name: str) -> Unit | None:
        found = self._by_name.get(name)
        return found.unit if found and not found.via_alias else None

    def suggest(self, name: str) -> str | None:
        close = difflib.get_close_matches(name, list(self._by_name), n=1, cutoff=0.5)
        if not close:
            return None
        return self._by_name[close[0]].unit.name


def data_root(start: Path) -> Path | None:
    """The data repository root: nearest ancestor with ansheng.toml, else with data/."""
    start = start.resolve()
    ancestors = [start, *start.parents] if start.is_dir() else list(start.parents)
    for folder in ancestors:
        if (folder / "ansheng.toml").is_file():
            return folder
    for folder in ancestors:
        if (folder / "data").is_dir():
            return folder
    return None


def jurisdiction_problem(jurisdiction: str) -> str | None:
    """Why a jurisdiction cannot name a registry file: it is a name, never a path."""
    if not jurisdiction.strip() or any(c in jurisdiction for c in "/\\:\0") or ".." in jurisdiction:
        return f"地区名称“{jurisdiction}”不能含路径符号（/ \\ : ..），应写地区名，如 兴化市"
    return None


def registry_path(document: Path, jurisdiction: str) -> Path | None:
    if jurisdiction_problem(jurisdiction):
        return None
    root = data_root(document)
    if root is None:
        return None
    candidate = root / "data" / "departments" / f"{jurisdiction}.yaml"
    return candidate if candidate.is_file() else None
