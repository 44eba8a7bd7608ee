"""MkDocs hook of the user guide: pages generated from ansheng itself, so they cannot drift.

A page holds a marker comment that is replaced when the site is built:

- ``<!-- ansheng:schema document -->`` / ``<!-- ansheng:schema units -->``: every field of the
  JSON Schema that ``ansheng schema`` prints, with its meaning and an example value taken from
  the complete example file below (which the tests validate);
- ``<!-- ansheng:example document -->`` / ``<!-- ansheng:example units -->``: that example;
- ``<!-- ansheng:rules FAMILY -->``: the documentation ``ansheng rules CODE`` prints for every code
  of one family (``numbering``, ``units``…), 错误示例/正确示例 as YAML blocks;
- ``<!-- ansheng:rules-index -->``: the list of all codes with links to their pages.

Used by mkdocs.yml (``hooks: [tools/docs_hooks.py]``) and by tests/test_docs.py.
"""

from __future__ import annotations

import json
import re
from typing import Any

# The families in the order of their codes, with the page title of each.
FAMILIES: dict[str, str] = {
    "reading": "读取（E1xx）",
    "shape": "结构（E2xx）",
    "numbering": "编号（x3xx）",
    "units": "单位（x4xx）",
    "registry": "单位名录（E41x）",
    "deadlines": "完成时限（x5xx）",
    "indicators": "指标（x6xx）",
    "references": "文号与文字（x7xx）",
    "progress": "进展（x8xx）",
    "suppression": "忽略注释（x9xx）",
}

# A complete plan file: every field of the schema appears at least once. The tests validate it
# (with EXAMPLE_UNITS as its registry) and check that no schema field is missing from it.
EXAMPLE_DOCUMENT = """\
schema: ansheng/v1
document:
  id: shili-2021-workpoints
  title: 2021年全市安全生产工作要点
  issuer: 示例市安全生产委员会办公室
  doc_no: 示安办〔2021〕1号
  date: 2021-02-20
  status: issued
  jurisdiction: 示例市
  period: {start: 2021-01-01, end: 2021-12-31}
  default_deadline: 2021年底前
  implements: [示安委〔2021〕1号]
  parents: []
sections:
  - no: 一
    title: 压实安全生产责任
    text: 全面落实党政同责、一岗双责、齐抓共管、失职追责。
    deadline: 2021年6月底前
    source: {file: data/sources/shili-2021-workpoints.txt, line: 12}
    tasks:
      - no: "1"
        title: 落实党政领导干部安全生产责任制
        text: 制定年度安全生产重点工作清单。
        lead: [市委办, 市政府办]
        support: [市应急管理局]
        others: 相关部门
        source: {file: data/sources/shili-2021-workpoints.txt, line: 14}
        status: 已销号
        done: 2021-05-20
        confirmed: {date: 2021-05-25, by: 张三}
        implements: []
        progress:
          - {date: 2021-05-20, unit: 市政府办, text: 重点工作清单已印发。}
    sections:
      - no: （一）
        title: 开展安全生产巡查
        tasks:
          - no: "2"
            title: 开展专项整治
            lead: [市应急管理局]
            deadline:
              - {when: 2021年6月底前, what: 摸排, units: [市应急管理局]}
              - {when: 2021年12月底前, what: 整治}
indicators:
  - no: "1"
    name: 亿元地区生产总值生产安全事故死亡率
    unit: 人/亿元
    group: 约束性
    baseline: {year: 2015, value: 0.242}
    target: {year: 2020, op: "<=", value: 0.206}
    change: {direction: decrease, percent: 15}
    actual: {year: 2020, value: 0.2}
    plan: 下降15%
    result: 下降17%
    source: {file: data/sources/shili-2021-workpoints.txt, line: 30}
"""

EXAMPLE_UNITS = """\
schema: ansheng/units-v1
jurisdiction: 示例市
units:
  - {name: 市委办, full_name: 中共示例市委办公室, kind: 党委部门}
  - {name: 市委组织部, full_name: 中共示例市委组织部, kind: 党委部门}
  - {name: 市政府办, full_name: 示例市人民政府办公室, kind: 政府部门}
  - {name: 市安委办, full_name: 示例市安全生产委员会办公室, kind: 议事协调机构}
  - {name: 市公安局, full_name: 示例市公安局, kind: 政府部门}
  - name: 市应急管理局
    full_name: 示例市应急管理局
    aliases: [市应急局]
    kind: 政府部门
  - name: 市安监局
    full_name: 示例市安全生产监督管理局
    kind: 政府部门
    until: 2019-02-28
    successor: 市应急管理局
    note: 2019年机构改革并入市应急管理局
catch_alls: [各乡镇（街道）]
levels: [各县（市、区）]
"""

# What each field means, for the fields the JSON Schema does not describe yet. A Chinese
# description in the schema itself (pydantic ``Field(description=…)``) is used instead, and the
# tests then ask for the entry here to be removed; they also fail when a field has neither.
FIELD_DOCS: dict[str, str] = {
    "Document.schema": "文件类型，固定写 `ansheng/v1`",
    "Document.document": "文件信息：标题、发文机关、文号、日期等（见“文件信息”）",
    "Document.sections": "正文的章节，按原文层级嵌套（一、→（一）→ 1.）",
    "Document.indicators": "目标指标（专栏中的指标表）",
    "DocumentMeta.id": "文件 id：小写字母、数字和连字符，全仓库唯一，通常与文件名相同",
    "DocumentMeta.title": "文件标题，照原文",
    "DocumentMeta.issuer": "发文机关",
    "DocumentMeta.doc_no": "文号，年份用六角括号〔〕",
    "DocumentMeta.date": "印发日期（征求意见稿写起草日期）",
    "DocumentMeta.status": "`issued`（已印发，默认）或 `draft`（征求意见稿）",
    "DocumentMeta.jurisdiction": "地区，对应单位名录 `data/departments/地区.yaml`",
    "DocumentMeta.period": "规划期：开始和结束日期，完成时限超出时提示 W503",
    "DocumentMeta.default_deadline": "文件的默认完成时限：任务和章节都没写时限时采用",
    "DocumentMeta.implements": "本文件贯彻落实的上级文件、法规（照原文，如文号）",
    "DocumentMeta.parents": "本文件落实的上级计划文件的 id（上下级对照，见 ansheng trace）",
    "Period.start": "开始日期",
    "Period.end": "结束日期",
    "Section.title": "章节标题",
    "Section.text": "章节的导语或正文",
    "Section.deadline": "本章节任务的默认完成时限",
    "Section.source": "原文位置（data/sources 中的文件和行号）",
    "Section.sections": "下一级章节",
    "Section.tasks": "本章节的任务",
    "Task.title": "任务标题（原文的加粗句或第一句）",
    "Task.text": "任务内容",
    "Task.lead": "牵头单位，写单位名录中的规范名称",
    "Task.support": "配合单位",
    "Task.others": "“相关部门”“各乡镇（街道）”等兜底说法，照原文保留",
    "Task.deadline": "完成时限，照原文（如 `2021年9月底前`、`每季度`、`长期坚持`），"
    "或分阶段的时间节点列表",
    "Task.source": "原文位置",
    "Task.status": "办理状态：未启动、推进中、已完成（单位报告，待复核）、已销号（安委办复核后）、暂缓",
    "Task.progress": "各单位报送的进展，一次一条（通常由 `ansheng progress import` 写入）",
    "Task.done": "完成日期",
    "Task.confirmed": "复核销号：安委办核实“已完成”后改为已销号，记下复核日期和复核人"
    "（`ansheng progress confirm` 写入）",
    "Confirmation.date": "复核日期",
    "Confirmation.by": "复核人",
    "Task.implements": "本任务承接的上级任务，写 `上级文件id#任务编号`（上下级对照，见 ansheng trace）",
    "Milestone.when": "时间节点的时限",
    "Milestone.what": "这一阶段做什么",
    "Milestone.units": "这一阶段负责的单位",
    "Progress.date": "报送日期",
    "Progress.unit": "报送单位（应是该任务的牵头或配合单位）",
    "Progress.text": "进展情况",
    "Source.file": "原文文件，相对数据仓库根目录",
    "Source.line": "原文行号（从 1 起）",
    "Indicator.name": "指标名称",
    "Indicator.unit": "计量单位",
    "Indicator.group": "指标类别（如 约束性、预期性）",
    "Indicator.baseline": "基期值：年份和数值",
    "Indicator.actual": "实际完成值：年份和数值",
    "Indicator.target": "目标值：年份、比较符（`<=` `<` `>=` `>` `=`）和数值",
    "Indicator.change": "规划变化：`decrease`（下降）或 `increase`（上升）及百分比",
    "Indicator.plan": "原文的规划表述",
    "Indicator.result": "原文的完成情况表述",
    "Indicator.source": "原文位置",
    "Measure.year": "年份",
    "Measure.value": "数值",
    "Target.year": "目标年份",
    "Target.op": "比较符：`<=`（不高于）、`<`、`>=`（不低于）、`>`、`=`（默认）",
    "Target.value": "目标数值",
    "TargetChange.direction": "`decrease`（下降）或 `increase`（上升）",
    "TargetChange.percent": "变化百分比（写 15 表示 15%）",
    "UnitRegistry.schema": "文件类型，固定写 `ansheng/units-v1`",
    "UnitRegistry.jurisdiction": "地区名称，与文件名、计划文件的 jurisdiction 相同",
    "UnitRegistry.units": "本地区承担任务的单位",
    "UnitRegistry.levels": "上级文件称呼本级时的说法，如“各县（市、区）”（上下级对照，见 ansheng trace）",
    "UnitRegistry.catch_alls": "本地区常用的兜底说法，如“各乡镇（街道）”：写在 others 中不算未知单位",
    "Unit.name": "规范名称（简称），计划文件中写这个名称",
    "Unit.full_name": "全称",
    "Unit.aliases": "别名：写了别名时提示 W402，`ansheng fix` 可改为规范名称",
    "Unit.kind": "单位类别：党委部门、政府部门、群团组织、司法机关、企业、乡镇街道等",
    "Unit.until": "撤销或更名的日期（机构改革）",
    "Unit.successor": "承接单位：撤销后由哪个单位承担（须在名录中）",
    "Unit.note": "备注",
}

# Section titles on the schema page, and the order of the definitions there.
DEF_TITLES: dict[str, dict[str, str]] = {
    "document": {
        "Document": "顶层",
        "DocumentMeta": "文件信息（document）",
        "Period": "规划期（document.period）",
        "Section": "章节（sections）",
        "Task": "任务（tasks）",
        "Milestone": "时间节点（deadline 写成列表时）",
        "Progress": "进展（progress）",
        "Source": "原文位置（source）",
        "Indicator": "指标（indicators）",
        "Measure": "数值（baseline、actual）",
        "Target": "目标（target）",
        "TargetChange": "变化（change）",
    },
    "units": {"UnitRegistry": "顶层", "Unit": "单位（units）"},
}

ROOT_DEFS = {"document": "Document", "units": "UnitRegistry"}


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema ``ansheng schema KIND`` prints."""
    from ansheng_cli.plan.schema import schema_text

    data = json.loads(schema_text(kind))
    assert isinstance(data, dict)
    return data


def definitions(kind: str) -> dict[str, dict[str, Any]]:
    """Every object definition of the schema by name, the root under its own name."""
    data = schema(kind)
    defs: dict[str, dict[str, Any]] = {ROOT_DEFS[kind]: data}
    defs.update(data.get("$defs", {}))
    return defs


def _refs(prop: dict[str, Any]) -> list[str]:
    """Names of the definitions a property's value may be (directly, in a list, in anyOf)."""
    found = []
    if "$ref" in prop:
        found.append(prop["$ref"].rsplit("/", 1)[-1])
    for key in ("anyOf", "oneOf"):
        for option in prop.get(key, []):
            found += _refs(option)
    if isinstance(prop.get("items"), dict):
        found += _refs(prop["items"])
    return found


def _type(prop: dict[str, Any]) -> str:
    if "const" in prop:
        return f"固定值 `{prop['const']}`"
    if "enum" in prop:
        return "取值之一：" + "、".join(f"`{v}`" for v in prop["enum"])
    if "$ref" in prop:
        return "对象"
    options = prop.get("anyOf") or prop.get("oneOf")
    if options:
        kinds = [_type(o) for o in options if o.get("type") != "null"]
        return " 或 ".join(dict.fromkeys(kinds))
    kind = prop.get("type")
    if isinstance(kind, list):
        return " 或 ".join(_type({"type": k}) for k in kind if k != "null")
    if kind == "array":
        items = prop.get("items", {})
        return "列表" if "$ref" in items else f"{_type(items)}列表"
    if kind == "string" and prop.get("format") == "date":
        return "日期（YYYY-MM-DD）"
    return {"string": "文字", "integer": "整数", "number": "数值", "boolean": "是/否"}.get(
        str(kind), str(kind)
    )


def _description(definition: str, field: str, prop: dict[str, Any]) -> str | None:
    described = prop.get("description") or next(
        (o["description"] for o in prop.get("anyOf", []) if "description" in o), None
    )
    # The models' descriptions are Chinese; an English one (a developer's note) is not shown.
    if described and re.search(r"[\u4e00-\u9fff]", described):
        return str(described)
    return FIELD_DOCS.get(f"{definition}.{field}")


def schema_described(kind: str) -> set[str]:
    """``Definition.field`` of every field the JSON Schema itself describes in Chinese."""
    defs = definitions(kind)
    return {
        f"{d}.{f}"
        for d, f in fields(kind)
        if (text := _description(d, f, defs[d]["properties"][f])) is not None
        and text != FIELD_DOCS.get(f"{d}.{f}")
    }


def example_values(kind: str) -> dict[str, Any]:
    """``Definition.field`` → the first value the complete example gives that field."""
    from ruamel.yaml import YAML

    text = EXAMPLE_DOCUMENT if kind == "document" else EXAMPLE_UNITS
    data = YAML(typ="safe").load(text)
    defs = definitions(kind)
    found: dict[str, Any] = {}

    def walk(value: Any, name: str) -> None:
        if not isinstance(value, dict):
            return
        props = defs[name].get("properties", {})
        for key, item in value.items():
            found.setdefault(f"{name}.{key}", item)
            targets = [r for r in _refs(props.get(key, {})) if r in defs]
            for target in targets:
                for element in item if isinstance(item, list) else [item]:
                    walk(element, target)

    walk(data, ROOT_DEFS[kind])
    return found


def _show(value: Any) -> str:
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return "（列表，见下）"
    if isinstance(value, dict):
        return (
            "（见下）" if any(isinstance(v, (dict, list)) for v in value.values()) else _flow(value)
        )
    return _flow(value)


def _flow(value: Any) -> str:
    if isinstance(value, str) and value.isdigit():
        return f'"{value}"'
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return str(value)


def fields(kind: str) -> list[tuple[str, str]]:
    """Every (definition, field) of the schema."""
    return [
        (name, field)
        for name, definition in definitions(kind).items()
        for field in definition.get("properties", {})
    ]


def schema_page(kind: str) -> str:
    """Markdown tables of every field of ``ansheng schema KIND``."""
    defs = definitions(kind)
    examples = example_values(kind)
    order = list(DEF_TITLES[kind]) + [d for d in defs if d not in DEF_TITLES[kind]]
    out = []
    for name in order:
        if name not in defs:
            continue
        definition = defs[name]
        required = set(definition.get("required", []))
        out.append(f"### {DEF_TITLES[kind].get(name, name)}\n")
        out.append("| 字段 | 必填 | 类型 | 说明 | 示例 |")
        out.append("| --- | --- | --- | --- | --- |")
        for field, prop in definition.get("properties", {}).items():
            value = examples.get(f"{name}.{field}")
            shown = "" if value is None else _cell(f"`{_show(value)}`")
            out.append(
                f"| `{field}` | {'是' if field in required else ''} | {_cell(_type(prop))} "
                f"| {_cell(_description(name, field, prop) or '')} | {shown} |"
            )
        out.append("")
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --- rules ---------------------------------------------------------------------------------


def _level(code: str) -> str:
    return "错误" if code.startswith("E") else "警告"


def family_of(name: str) -> str:
    return name.split(".", 1)[0]


def rule_markdown(doc: Any) -> str:
    """One code's documentation (what ``ansheng rules CODE`` prints) as Markdown."""
    from ansheng_cli.validate.explain import fixable

    lines = doc.doc.strip().splitlines()
    fix = fixable(doc)
    out = [
        f"## {doc.code} {lines[0].rstrip('。')} {{#{doc.code.lower()}}}",
        f"`{doc.name}`，{_level(doc.code)}"
        + (f"，{fix}：`ansheng fix --select {doc.code}`" if fix else "")
        + f"。命令行查看：`ansheng rules {doc.code}`",
    ]
    i = 1
    while i < len(lines):
        line = lines[i]
        if line.endswith("示例：") and i + 1 < len(lines) and lines[i + 1].startswith("    "):
            block = []
            i += 1
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                block.append(lines[i][4:])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            is_yaml = not all(re.search(r"[\u4e00-\u9fff]", b) and ":" not in b for b in block)
            out += [f"**{line.rstrip('：')}**", "", "```" + ("yaml" if is_yaml else "text")]
            out += block
            out += ["```", ""]
            continue
        if line.startswith(("为什么：", "如何修改：", "发现位置：", "计算：")):
            head, _, rest = line.partition("：")
            if out and out[-1]:
                out.append("")
            out.append(f"**{head}**：{rest}")
        else:
            out.append(line)
        i += 1
    return "\n".join(out).rstrip() + "\n"


def rules_page(family: str) -> str:
    from ansheng_cli.validate.docs import all_docs

    docs = [d for d in all_docs() if family_of(d.name) == family]
    if not docs:
        raise ValueError(f"no rule family {family!r}")
    return "\n".join(rule_markdown(d) for d in docs)


def rules_index() -> str:
    from ansheng_cli.validate.docs import all_docs
    from ansheng_cli.validate.explain import fixable

    out = ["| 代码 | 级别 | 说明 | 分类 |", "| --- | --- | --- | --- |"]
    for d in all_docs():
        family = family_of(d.name)
        summary = d.summary + (f"（{fixable(d)}）" if fixable(d) else "")
        out.append(
            f"| [{d.code}]({family}.md#{d.code.lower()}) | {_level(d.code)} | {_cell(summary)} "
            f"| {FAMILIES.get(family, family)} |"
        )
    return "\n".join(out) + "\n"


# --- the hook ------------------------------------------------------------------------------

MARKER = re.compile(r"<!-- ansheng:(schema|example|rules|rules-index)(?: (\w+))? -->")


def expand(markdown: str) -> str:
    """Replace every marker of a page with what it stands for."""

    def one(match: re.Match[str]) -> str:
        what, arg = match.group(1), match.group(2)
        if what == "schema":
            return schema_page(arg)
        if what == "example":
            text = EXAMPLE_DOCUMENT if arg == "document" else EXAMPLE_UNITS
            return "```yaml\n" + text + "```"
        if what == "rules":
            return rules_page(arg)
        return rules_index()

    return MARKER.sub(one, markdown)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    return expand(markdown)
