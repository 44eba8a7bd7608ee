"""Codes that are not rules: reading (E1xx), shape (E2xx) and suppression (x9xx) findings.

Each entry is data: code, stable name and its documentation (Chinese, like a rule's).
`ansheng rules` lists these beside the rule modules.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    doc: str

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


CATALOG: tuple[Entry, ...] = (
    Entry(
        "E101",
        "reading.syntax",
        """YAML 语法错误。

为什么：语法错误的文件读不出任何内容，后面的检查都无法进行。报告给出解析器发现问题的行和列。

错误示例：
    lead: [市应急管理局          # 方括号未闭合

正确示例：
    lead: [市应急管理局]

如何修改：按提示的位置修正缩进、冒号、引号或括号。
""",
    ),
    Entry(
        "E102",
        "reading.duplicate-key",
        """同一映射中出现重复的键。

为什么：YAML 读取时后一个值会悄悄覆盖前一个，录入的内容就丢了。ansheng 以第一次出现的为准并报告。

错误示例：
    deadline: 2018年12月
    deadline: 2018年10月          # E102

正确示例：
    deadline: 2018年12月

如何修改：删去或合并重复的键。
""",
    ),
    Entry(
        "E103",
        "reading.encoding",
        """文件不是 UTF-8 编码（或不是文本文件）。

为什么：Windows 下的记事本、WPS 常以 GBK 保存，直接读取会是乱码。ansheng 会指出能否按 GBK/GB18030 解码。
带 BOM 的 UTF-8 可以正常读取。

错误示例：
    以 GBK 编码保存的 tasks.yaml

正确示例：
    以 UTF-8 编码保存的 tasks.yaml

如何修改：用记事本打开文件，“另存为”时把编码选为 UTF-8（WPS、VS Code 等编辑器同理）。
""",
    ),
    Entry(
        "E104",
        "reading.too-large",
        """文件过大、嵌套过深，或锚点/别名展开过多。

为什么：防止异常或恶意文件（如“十亿笑声”攻击）耗尽内存。正常的计划文件远小于上限。

错误示例：
    a: &a [x, x, x, x, x, x, x, x, x]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    …                              # 层层引用，展开后有数十亿个节点

正确示例：
    不使用层层嵌套的锚点与别名。

如何修改：拆分文件；确需更大的文件，可在 ansheng.toml 中调高 max_file_bytes。
""",
    ),
    Entry(
        "E105",
        "reading.empty",
        """文件为空。

为什么：空文件里没有任何任务，多半是保存失败或误建的文件。

错误示例：
    （空文件）

正确示例：
    schema: ansheng/v1
    document: {…}

如何修改：补全内容，或删除该文件。
""",
    ),
    Entry(
        "E106",
        "reading.outside-link",
        """符号链接指向数据仓库之外：未读取。

为什么：数据仓库中的文件都应受版本管理、可审核；一个指向仓库外的链接会把别处的文件
（甚至与计划无关的文件）当作计划读取、输出或改写。

错误示例：
    data/tasks/plan.yaml -> /home/user/其他目录/plan.yaml

正确示例：
    data/tasks/plan.yaml（仓库中的普通文件）

如何修改：把文件复制到数据仓库中，删除链接。
""",
    ),
    Entry(
        "E107",
        "reading.duplicate-id",
        """两个文件的 document.id 相同。

为什么：document.id 是文件的身份：上下级对照、导出和督办都按它找文件。复制一份计划改了
文件名却没改 id，两份就会被当成同一个文件，导出时任务重复出现。

错误示例：
    data/tasks/a.yaml:  document: {id: xinghua-2020-workpoints, …}
    data/tasks/b.yaml:  document: {id: xinghua-2020-workpoints, …}   # E107

正确示例：
    data/tasks/b.yaml:  document: {id: xinghua-2021-workpoints, …}

如何修改：给复制出的文件换一个 id（或删去多余的副本）。
""",
    ),
    Entry(
        "E704",
        "references.unknown-parent",
        """implements 或 document.parents 引用的上级文件或任务不存在。

为什么：本级任务写明落实的是上级哪一条（implements: [上级文件id#任务编号]），对照表和向上报送
进展都靠这条链接；文件 id 或任务编号写错，这条任务就对不上上级，缺项也查不出来。报告会给出
最接近的文件 id 或任务编号。编号在上级文件中重复时，写出所在章节（二/3），也可写任务标题。

错误示例：
    document: {id: huangpu-2024-fire, parents: [sh-2024-fire], …}
    - no: "（一）"
      implements: [sh-2024-fire#9]        # 上级文件没有第9项

正确示例：
    - no: "（一）"
      implements: [sh-2024-fire#1]

如何修改：改为上级文件的 document.id 和任务编号；上级文件要与本级文件一起校验，或放在同一数据
仓库的 data/ 下。
""",
    ),
    Entry(
        "W705",
        "references.later-than-parent",
        """本级任务的完成时限晚于它所落实的上级任务的时限。

为什么：分解落实上级方案时，本级时限不能晚于上级时限，否则到上级督查时本级尚未完成。

错误示例：
    上级 sh-2024-fire#3：deadline: 2024年12月底前
    本级任务：implements: [sh-2024-fire#3]
              deadline: 2025年6月底前        # W705

正确示例：
    本级任务：deadline: 2024年10月底前

如何修改：把本级时限提前到上级时限之前；确需延后的，请示上级后用忽略注释写明原因。
""",
    ),
    Entry(
        "W706",
        "references.unimplemented-parent-task",
        """上级方案交给本级的任务，本级方案没有任务落实（缺项）。

为什么：上级任务写明由“各区政府”“各县（市、区）”“各乡镇（街道）”等负责的，本级方案应逐条
分解落实；漏掉的任务到督查时才发现就晚了。本级的层级名称取自单位名录的 levels 表（未写时按
地区名称的结尾取默认值：区、县、市、乡镇街道），每条缺项单独报告在 document.parents 处。

错误示例：
    上级 sh-2024-fire#2：others: 各区政府       # 交给各区
    本级文件：document: {parents: [sh-2024-fire]}，没有任务 implements: [sh-2024-fire#2]

正确示例：
    本级任务：implements: [sh-2024-fire#2]

如何修改：增加落实该上级任务的本级任务，写上 implements；上级任务确不适用本地的，用忽略注释
写明原因。
""",
    ),
    Entry(
        "W707",
        "references.unit-not-local",
        """本级任务的单位是上级地区的单位，不是本级的。

为什么：照抄上级方案时常把“市应急管理局”“市消防救援总队”原样留下，本级方案却应由本级单位
（区应急管理局、区消防救援支队）牵头。单位属于哪一级，按本级和上级的单位名录判断；没有名录时，
按单位名称的首字（市、省）与上级地区名称的末字是否相同判断。

错误示例：
    document: {jurisdiction: 黄浦区, parents: [sh-2024-fire], …}
    lead: [市应急管理局]                # W707

正确示例：
    lead: [区应急管理局]

如何修改：改为本级对应的单位；上级单位只是配合的，可写入 others 说明。
""",
    ),
    Entry(
        "W708",
        "references.likely-implements",
        """本级任务的文字与上级任务相近，却没有写 implements（落实哪项上级任务）。

为什么：写明 implements，上下级对照表（ansheng trace）、缺项检查（W706）和按上级计划汇总的
督办（due/stats/report --parent）才算得到这项任务。相近按字符二元组的重合度（按稀有程度加权）
判断，相似度 0.3 以上才报告；只检查在 document.parents 中写明了上级文件的计划。

错误示例：
    document: {parents: [sh-2024-fire], …}
    - no: （一）
      text: 加强政府统一领导。……落实“党政同责、一岗双责”制度……   # W708（与 sh-2024-fire#1 相近）

正确示例：
    - no: （一）
      text: 加强政府统一领导。……
      implements: [sh-2024-fire#1]

如何修改：核对提示中的上级任务后写上 implements；ansheng fix --select W708 可按建议写入，
并在该行加“# 待核对”注释（核对后删去注释，W903 才不再提示）。确与上级任务无关的，用忽略注释写明。
""",
    ),
    Entry(
        "E201",
        "shape.missing-field",
        """缺少必填字段。

为什么：document 的 id、title、issuer、date、jurisdiction，任务的 no 等是生成分工表和核对单位的依据。

错误示例：
    document:
      title: 2020年全市安全生产工作要点       # 缺少 id、issuer、date、jurisdiction

正确示例：
    document:
      id: xinghua-2020-workpoints
      title: 2020年全市安全生产工作要点
      issuer: 兴化市安全生产委员会办公室
      date: 2020-02-24
      jurisdiction: 兴化市

如何修改：在报告的位置补上该字段。
""",
    ),
    Entry(
        "E202",
        "shape.invalid-value",
        """字段的值类型或取值不对。

为什么：YAML 会把不加引号的 1.10 读成小数 1.1、把 2018-12-31 读成日期；文本字段收到数字或日期，
原样内容就丢了。日期必须真实存在（2021-13-45 不行），枚举字段只能取允许的值。

错误示例：
    no: 1.10                      # 读成了 1.1
    deadline: 2018-12-31          # 应为原文文本
    status: 已印发                # 只能是 draft 或 issued

正确示例：
    no: "1.10"
    deadline: 2018年12月31日前
    status: issued

如何修改：按提示加引号或改为允许的值。
""",
    ),
    Entry(
        "E203",
        "shape.unknown-field",
        """未知字段（多为拼写错误）。

为什么：拼错的字段（如 leads、dead_line）会被当作不存在，任务就“没有”牵头单位或时限。
报告会给出最接近的正确字段名。

错误示例：
    leads: [市应急管理局]          # 是不是“lead”？

正确示例：
    lead: [市应急管理局]

如何修改：改为提示的字段名。
""",
    ),
    Entry(
        "E901",
        "suppression.no-reason",
        """忽略注释没有写原因，未生效。

为什么：每一次忽略都要让后来的人知道为什么；没有原因的忽略不被接受，对应的问题照常报告。

错误示例：
    - no: "7"   # ansheng: ignore[W301]

正确示例：
    - no: "7"   # ansheng: ignore[W301] 原文附件即无第6项

如何修改：在方括号后写明原因（最好引用原文）。
""",
    ),
    Entry(
        "W902",
        "suppression.unused",
        """忽略注释没有对应任何问题。

为什么：问题已经改好，或注释写错了行、写错了代码，留下的注释会误导读者。

错误示例：
    - no: "6"   # ansheng: ignore[W301] 原文缺号        （此行并无 W301）

正确示例：
    删去这条注释。

如何修改：删去注释，或移到问题所在的行。
""",
    ),
    Entry(
        "W903",
        "suppression.unchecked-draft",
        """还有“# 待核对”标记没有处理：导入的草稿尚未经人核对。

为什么：`ansheng import` 在拿不准的地方（单位拆分、时限、编号）写下“# 待核对：…”。
这些地方核对之前，草稿不应当作正式数据；在 CI 中用 `validate --strict` 可以挡住未核对的草稿。

错误示例：
    - no: "3"  # 待核对：单位未能拆分

正确示例：
    - no: "3"

如何修改：逐条核对原文，改正数据后删去这条注释。
""",
    ),
)

BY_CODE = {entry.code: entry for entry in CATALOG}
