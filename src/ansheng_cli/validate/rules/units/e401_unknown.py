"""未知单位：牵头或配合单位不在本地区的单位名录中。

为什么：名称写错一个字（“市应急管局”），按单位汇总任务清单时这项任务就落不到任何单位头上。
名录是 data/departments/<地区>.yaml；“相关部门”等兜底说法写在 others 字段，不算未知单位。

错误示例：
    lead: [市应急管局]        # E401：是不是“市应急管理局”？

正确示例：
    lead: [市应急管理局]

如何修改：改为名录中的规范名称；确属新单位的，先把它加入名录。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext
from ansheng_cli.validate.rules.units import ROLE_NAMES, unit_names
from ansheng_cli.validate.rules.units.w409_joined_units import parts as joined

CODE = "E401"
NAME = "units.unknown"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    registry = ctx.registry
    if registry is None:
        return
    for path, role, name in unit_names(ctx):
        if name in registry.catch_alls or registry.resolve(name) or joined(name, ctx):
            continue  # a known name, or two known ones joined (W409 says so)
        close = registry.suggest(name)
        hint = (
            f"是不是“{close}”？"
            if close
            else f"把它加入名录 {registry.path.name}，或改为名录中的名称"
        )
        yield Hit(
            CODE,
            path,
            f"{ROLE_NAMES[role]}“{name}”不在{registry.model.jurisdiction}单位名录中",
            hint,
        )
