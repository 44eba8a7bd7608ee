"""找不到本地区的单位名录，单位名称无法核对。

为什么：没有名录就查不出写错的单位名、别名和已撤销的单位。
名录位置：数据仓库根目录（含 ansheng.toml 或 data/ 的最近上级目录）下的
data/departments/<jurisdiction>.yaml，或用 `--units 文件` 指定。

错误示例：
    document: {jurisdiction: 兴化市, …}   # 但没有 data/departments/兴化市.yaml

正确示例：
    data/departments/兴化市.yaml：
      schema: ansheng/units-v1
      jurisdiction: 兴化市
      units: [{name: 市应急管理局, kind: 政府部门}]

如何修改：建立名录文件，或检查 jurisdiction 是否与名录文件名一致。
"""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Hit
from ansheng_cli.validate.context import DocumentContext

CODE = "W406"
NAME = "units.no-registry"


def check(ctx: DocumentContext) -> Iterator[Hit]:
    if ctx.registry is None:
        jurisdiction = ctx.doc.document.jurisdiction
        yield Hit(
            CODE,
            ("document", "jurisdiction"),
            ctx.registry_problem or f"找不到“{jurisdiction}”的单位名录，未核对单位名称",
            f"建立 data/departments/{jurisdiction}.yaml，或用 --units 指定名录",
        )
