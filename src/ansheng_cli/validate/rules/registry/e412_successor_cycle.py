"""承接关系成环：甲由乙承接，乙又由甲承接（或经过更多单位绕回）。

为什么：`ansheng fix --rename-to-successors` 和督办都沿承接关系找到现在负责的单位；
成环时永远找不到，改名会在几个名称之间来回切换。

错误示例：
    - {name: 市安监局, until: 2019-02-28, successor: 市应急管理局}
    - {name: 市应急管理局, until: 2020-01-01, successor: 市安监局}   # E412

正确示例：
    - {name: 市安监局, until: 2019-02-28, successor: 市应急管理局}
    - {name: 市应急管理局}

如何修改：核对机构改革文件，只保留实际的承接方向，删去反向的 successor。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import RegistryContext

CODE = "E412"
NAME = "registry.successor-cycle"
TARGET = "registry"


def check(ctx: RegistryContext) -> Iterator[Hit]:
    successor = {u.name: u.successor for u in ctx.registry.units if u.successor}
    for i, unit in enumerate(ctx.registry.units):
        seen = [unit.name]
        current = successor.get(unit.name)
        while current is not None and current not in seen:
            seen.append(current)
            current = successor.get(current)
        if current == unit.name:
            chain = " → ".join([*seen, unit.name])
            yield Hit(
                CODE, ("units", i, "successor"), f"承接关系成环：{chain}", "删去反向的 successor"
            )
