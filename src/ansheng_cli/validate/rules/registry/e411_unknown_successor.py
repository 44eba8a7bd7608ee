"""承接单位不在名录中：successor 写了一个名录里没有的单位。

为什么：W403 会建议改成承接单位；承接单位不在名录里，改过去又会变成未知单位。

错误示例：
    units:
      - {name: 市安监局, until: 2019-02-28, successor: 市应急局}   # E411

正确示例：
    units:
      - {name: 市安监局, until: 2019-02-28, successor: 市应急管理局}
      - {name: 市应急管理局}

如何修改：把承接单位加入名录，或改正 successor。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import RegistryContext

CODE = "E411"
NAME = "registry.unknown-successor"
TARGET = "registry"


def check(ctx: RegistryContext) -> Iterator[Hit]:
    names = {u.name for u in ctx.registry.units}
    for i, unit in enumerate(ctx.registry.units):
        if unit.successor and unit.successor not in names:
            yield Hit(
                CODE,
                ("units", i, "successor"),
                f"承接单位“{unit.successor}”不在名录中",
                "把它作为一个单位加入名录",
            )
