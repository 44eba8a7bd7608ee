"""单位名录中名称重复：同一名称（或别名）指向两个单位。

为什么：名称重复时无法确定任务落到哪个单位。

错误示例：
    units:
      - {name: 市应急管理局}
      - {name: 市应急局, aliases: [市应急管理局]}   # E410

正确示例：
    units:
      - {name: 市应急管理局, aliases: [市应急局]}

如何修改：合并为一个单位，其余写作别名。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import RegistryContext

CODE = "E410"
NAME = "registry.duplicate-name"
TARGET = "registry"


def check(ctx: RegistryContext) -> Iterator[Hit]:
    seen: dict[str, str] = {}
    for i, unit in enumerate(ctx.registry.units):
        names: list[tuple[str, int | None, str]] = [("name", None, unit.name)]
        names += [("aliases", j, alias) for j, alias in enumerate(unit.aliases)]
        for key, j, name in names:
            if name in seen:
                path: tuple[str | int, ...] = (
                    ("units", i, key) if j is None else ("units", i, key, j)
                )
                yield Hit(
                    CODE,
                    path,
                    f"名称“{name}”重复：已属于单位“{seen[name]}”",
                    "合并或删去重复的名称",
                )
            else:
                seen[name] = unit.name
