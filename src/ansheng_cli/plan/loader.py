"""Read one YAML file into plain data plus a way to turn a data path into a place.

Validation must be fast, so the file is parsed by ruamel.yaml's C-backed parser and
composed into nodes; a lean constructor then builds plain dicts and lists and records,
per container, the 1-based position of every key and value. Rules report by path, and
the :class:`Locator` answers ``file:line:col`` for any path: the value's position for a
wrong value, the key's for an unknown key, the nearest existing parent's for a missing
one. Round-trip loading (which keeps comments) is left to the commands that edit.

Every reading problem becomes a finding (E1xx), never an exception: a file that cannot
be read is data, so one broken file never hides the findings in the others.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path as FsPath
from typing import Any

from ruamel.yaml.resolver import BaseResolver

from ansheng_cli.plan.finding import Path

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ALIAS_EXPANSION = 100_000
MAX_DEPTH = 200

_TS = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_BOM = b"\xef\xbb\xbf"


class YamlFloat(float):
    """A float that remembers how it was written, so precision (2.10) is not lost."""

    text: str

    def __new__(cls, value: float, text: str) -> YamlFloat:
        obj = super().__new__(cls, value)
        obj.text = text
        return obj

    def __reduce__(self) -> tuple[type[YamlFloat], tuple[float, str]]:
        return (YamlFloat, (float(self), self.text))  # copies keep the written form


@dataclass(frozen=True, slots=True)
class ReadIssue:
    """A reading finding before a file name is attached: code, 1-based place, text."""

    code: str
    line: int
    column: int
    message: str
    hint: str = ""
    detail: str = ""  # the parser's own words


# Positions of one container: its own start, and per key (key pos, value pos) or per item.
_Pos = tuple[int, int]


@dataclass(slots=True)
class _Entry:
    start: _Pos
    keys: dict[Any, tuple[_Pos, _Pos]] | None = None
    items: list[_Pos] | None = None


class Locator:
    """Turns a data path into a 1-based (line, column)."""

    def __init__(self, root: Any, table: dict[int, _Entry]) -> None:
        self._root = root
        self._table = table

    def locate(self, path: Path, at_key: bool = False) -> tuple[int, int]:
        obj = self._root
        entry = self._table.get(id(obj))
        pos: _Pos = entry.start if entry else (1, 1)
        last = len(path) - 1
        for i, step in enumerate(path):
            if entry is None:
                break
            if entry.keys is not None and isinstance(obj, dict):
                slot = entry.keys.get(step)
                if slot is None:
                    break
                pos = slot[0] if (at_key and i == last) else slot[1]
                obj = obj[step]
            elif entry.items is not None and isinstance(obj, list) and isinstance(step, int):
                if not 0 <= step < len(entry.items):
                    break
                pos = entry.items[step]
                obj = obj[step]
            else:
                break
            entry = self._table.get(id(obj))
        return pos


@dataclass
class Loaded:
    """One file as read: its text, its data (None when unreadable) and its reading issues."""

    path: FsPath
    text: str
    data: Any
    locator: Locator
    issues: list[ReadIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.data is not None and not any(i.code in _FATAL for i in self.issues)


_FATAL = {"E101", "E103", "E104", "E105"}

# The parser's English problems, said in Chinese (unknown ones are passed through).
_PROBLEMS = {
    "mapping values are not allowed": "此处不允许出现“键: 值”（常见原因：冒号后缺空格、缩进不齐或文本含“: ”未加引号）",
    "did not find expected key": "未找到预期的键（缩进不齐，或列表项与键混用）",
    "did not find expected '-' indicator": "未找到预期的“-”列表项标记（缩进不齐）",
    "found character that cannot start any token": "出现了不能开始任何记号的字符（如制表符缩进或“@”“`”开头）",
    "found a tab character that violates indentation": "缩进中出现制表符（YAML 只能用空格缩进）",
    "found undefined alias": "引用了未定义的锚点",
    "did not find expected node content": "未找到预期的内容",
    "did not find expected ',' or ']'": "流式列表未闭合：缺少“,”或“]”",
    "did not find expected ',' or '}'": "流式映射未闭合：缺少“,”或“}”",
    "found unexpected end of stream": "文件意外结束（引号或括号未闭合）",
    "found unknown escape character": "双引号文本中有未知的转义字符（反斜杠）",
    "could not find expected ':'": "未找到预期的“:”",
    "expected a single document in the stream": "文件中只能有一个 YAML 文档（不要用“---”分隔多个文档）",
    "while scanning a simple key": "扫描键时出错",
    "found duplicate anchor": "锚点名重复",
    "while scanning for the next token": "出现了不能开始任何记号的字符（如制表符缩进）",
    "while scanning a quoted scalar": "引号未闭合",
    "while parsing a block mapping": "映射的缩进不齐",
    "while parsing a block collection": "列表的缩进不齐",
    "while parsing a flow sequence": "流式列表 [..] 有误",
    "while parsing a flow mapping": "流式映射 {..} 有误",
    "found character '\\t' that cannot start any token": "缩进中出现制表符（YAML 只能用空格缩进）",
    "expected <block end>, but found": "缩进不齐：此处应结束上一层",
    "could not determine a constructor": "无法识别的标签（“!”开头）",
}


def _problem_text(problem: str | None) -> str:
    """The parser's problem in Chinese (what it says in English goes to ``detail``)."""
    text = (problem or "").strip()
    for english, chinese in _PROBLEMS.items():
        if text.startswith(english):
            return chinese
    return "无法解析"


def decode(raw: bytes) -> tuple[str | None, ReadIssue | None]:
    """UTF-8 (with or without BOM) or a finding that says what the bytes are."""
    if raw.startswith(_BOM):
        raw = raw[len(_BOM) :]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, ReadIssue(
            "E103", 1, 1, "文件是 UTF-16 编码，不是 UTF-8", "在编辑器中将文件另存为 UTF-8 编码"
        )
    if b"\x00" in raw:
        return None, ReadIssue("E103", 1, 1, "文件含有 NUL 字节，不是文本文件", "确认选对了文件")
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start]
        line = prefix.count(b"\n") + 1
        column = len(prefix[prefix.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        try:
            raw.decode("gb18030")
        except UnicodeDecodeError:
            what = "文件不是 UTF-8 编码"
            hint = "将文件转换为 UTF-8 编码后再校验"
        else:
            what = "文件不是 UTF-8 编码：看起来是 GBK/GB18030 编码"
            hint = "用记事本打开，“另存为”时编码选 UTF-8（WPS、VS Code 同理）"
        return None, ReadIssue("E103", line, column, what, hint)


class _Builder:
    """Builds plain data from composed nodes, recording positions and reading issues."""

    def __init__(self) -> None:
        self.table: dict[int, _Entry] = {}
        self.issues: list[ReadIssue] = []
        self._memo: dict[int, tuple[Any, int]] = {}
        self._real = 0

    def build(self, node: Any) -> Any:
        return self._node(node, 0)[0]

    def _node(self, node: Any, depth: int) -> tuple[Any, int]:
        memo = self._memo.get(id(node))
        if memo is not None:
            return memo
        if depth > MAX_DEPTH:
            mark = node.start_mark
            raise _Abort(
                ReadIssue(
                    "E104", mark.line + 1, mark.column + 1, f"嵌套超过 {MAX_DEPTH} 层", "简化结构"
                )
            )
        self._real += 1
        kind = node.id
        if kind == "scalar":
            result: tuple[Any, int] = (self._scalar(node), 1)
        elif kind == "mapping":
            result = self._mapping(node, depth)
        else:
            result = self._sequence(node, depth)
        self._memo[id(node)] = result
        # Sizes count nodes as if aliases were expanded; the excess over the real node
        # count is what a consumer walking the data would pay (a "billion laughs").
        if result[1] - self._real > MAX_ALIAS_EXPANSION:
            self._too_big(node, result[1])
        return result

    @staticmethod
    def _too_big(node: Any, size: int) -> None:
        mark = node.start_mark
        raise _Abort(
            ReadIssue(
                "E104",
                mark.line + 1,
                mark.column + 1,
                f"锚点/别名展开后节点数达 {size}，超过上限（疑似“十亿笑声”攻击）",
                "不要用锚点和别名层层嵌套引用",
            )
        )

    def _mapping(self, node: Any, depth: int) -> tuple[dict[Any, Any], int]:
        out: dict[Any, Any] = {}
        keys: dict[Any, tuple[_Pos, _Pos]] = {}
        size = 1
        for key_node, value_node in node.value:
            km, vm = key_node.start_mark, value_node.start_mark
            kpos, vpos = (km.line + 1, km.column + 1), (vm.line + 1, vm.column + 1)
            if key_node.id != "scalar":
                self.issues.append(
                    ReadIssue("E101", *kpos, "键必须是简单文本", "不要用列表或映射作键")
                )
                continue
            key = self._scalar(key_node)
            if not isinstance(key, str | int | bool | None):
                key = key_node.value
            if key in keys:
                first = keys[key][0][0]
                self.issues.append(
                    ReadIssue(
                        "E102",
                        *kpos,
                        f"键“{key}”重复（第 {first} 行已出现），以第一次出现的为准",
                        "删除或合并重复的键",
                    )
                )
                continue
            value, vsize = self._node(value_node, depth + 1)
            size += vsize
            out[key] = value
            keys[key] = (kpos, vpos)
        m = node.start_mark
        self.table[id(out)] = _Entry((m.line + 1, m.column + 1), keys=keys)
        return out, size

    def _sequence(self, node: Any, depth: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        items: list[_Pos] = []
        size = 1
        for child in node.value:
            value, vsize = self._node(child, depth + 1)
            size += vsize
            out.append(value)
            cm = child.start_mark
            items.append((cm.line + 1, cm.column + 1))
        m = node.start_mark
        self.table[id(out)] = _Entry((m.line + 1, m.column + 1), items=items)
        return out, size

    def _scalar(self, node: Any) -> Any:
        text: str = node.value
        tag: str = node.ctag.suffix
        if tag == _STR:
            # Plain scalars are typed here (YAML 1.2 core schema plus dates), much faster
            # than ruamel's versioned resolver; quoted scalars are always text.
            return _implicit(text) if node.style == "" else text
        kind = tag.rpartition(":")[2] if tag.startswith("tag:yaml.org,2002:") else ""
        build = _EXPLICIT.get(kind)
        if build is not None:
            return build(text)
        m = node.start_mark
        self.issues.append(
            ReadIssue(
                "E202",
                m.line + 1,
                m.column + 1,
                f"不支持的 YAML 标签 {tag}",
                "去掉“!”开头的标签，直接写值",
            )
        )
        return text


class _Abort(Exception):
    def __init__(self, issue: ReadIssue) -> None:
        self.issue = issue


def _int(text: str) -> int | str:
    clean = text.replace("_", "")
    try:
        return int(clean, 0)
    except ValueError:
        try:
            return int(clean, 10)
        except ValueError:
            return text


def _float(text: str) -> float | str:
    clean = text.replace("_", "").lower()
    specials = {".inf": "inf", "+.inf": "inf", "-.inf": "-inf", ".nan": "nan"}
    try:
        return YamlFloat(float(specials.get(clean, clean)), text)
    except ValueError:
        return text


def _timestamp(text: str) -> dt.date | dt.datetime | str:
    m = _TS.match(text)
    try:
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        return dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        # An impossible date such as 2021-13-45: keep the text; the schema says why.
        return text


_STR = "tag:yaml.org,2002:str"
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7_]+|0x[0-9a-fA-F_]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_DATE_LIKE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|[ \t]+)\d{1,2}:\d\d.*)?$")
_MAYBE_TYPED = frozenset("0123456789-+.~nNtTfF")


def _implicit(text: str) -> Any:
    if not text or text in _NULLS:
        return None
    if text[0] not in _MAYBE_TYPED:
        return text
    if text in _BOOLS:
        return _BOOLS[text]
    if _INT.match(text):
        return _int(text)
    if _DATE_LIKE.match(text):
        return _timestamp(text)
    if _FLOAT.match(text):
        return _float(text)
    return text


_EXPLICIT: dict[str, Callable[[str], Any]] = {
    "str": str,
    "null": lambda text: None,
    "bool": lambda text: _BOOLS.get(text, text),
    "int": _int,
    "float": _float,
    "timestamp": _timestamp,
}


class _PlainResolver(BaseResolver):
    """Leaves every scalar untyped; :func:`_implicit` types plain ones."""

    def __init__(self, version: Any = None, loadumper: Any = None) -> None:
        super().__init__(loadumper)


def _empty_locator() -> Locator:
    return Locator(None, {})


def load_text(path: FsPath, text: str) -> Loaded:
    """Parse decoded text. Never raises for bad input."""
    return load_nodes(path, text)[0]


def load_nodes(path: FsPath, text: str) -> tuple[Loaded, Any]:
    """:func:`load_text`, and the composed node tree (None when unreadable), whose marks let
    a command edit the text in place."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver = _PlainResolver
    try:
        node = yaml.compose(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        issue = ReadIssue(
            "E101", line, column, f"YAML 语法错误：{_problem_text(exc.problem)}", "",
            (exc.problem or "").strip(),
        )  # fmt: skip
        return Loaded(path, text, None, _empty_locator(), [issue]), None
    except (YAMLError, ValueError, RecursionError) as exc:
        issue = ReadIssue("E101", 1, 1, f"YAML 语法错误：{_problem_text(str(exc))}", "", str(exc))
        return Loaded(path, text, None, _empty_locator(), [issue]), None
    if node is None:
        issue = ReadIssue("E105", 1, 1, "文件为空", "按 ansheng/v1 格式填写，或删除该文件")
        return Loaded(path, text, None, _empty_locator(), [issue]), None
    builder = _Builder()
    try:
        data = builder.build(node)
    except _Abort as abort:
        return Loaded(path, text, None, _empty_locator(), [abort.issue]), None
    return Loaded(path, text, data, Locator(data, builder.table), builder.issues), node


@functools.lru_cache(maxsize=256)
def _root_of(folder: str) -> FsPath | None:
    """The data repository a folder belongs to (cached: every file of a folder asks)."""
    from ansheng_cli.plan.registry import data_root

    return data_root(FsPath(folder))


def load_file(path: FsPath, max_bytes: int = MAX_FILE_BYTES) -> Loaded:
    """Read, decode and parse one file; every problem is a reading issue."""
    from ansheng_cli.errors import FileProblem
    from ansheng_cli.plan.files import TooLarge, escapes, read_regular

    outside = escapes(path, _root_of(os.path.dirname(os.path.abspath(path))))
    if outside is not None:
        issue = ReadIssue(
            "E106",
            1,
            1,
            f"符号链接指向数据仓库之外（{outside}），未读取",
            "把文件复制到数据仓库中，不要用链接",
        )
        return Loaded(path, "", None, _empty_locator(), [issue])
    try:
        raw = read_regular(path, max_bytes)
    except TooLarge as exc:
        hint = "拆分为多个文件，或在 ansheng.toml 中调高 max_file_bytes"
        issue = ReadIssue("E104", 1, 1, str(exc), hint)
        return Loaded(path, "", None, _empty_locator(), [issue])
    except FileProblem as exc:
        issue = ReadIssue("E103", 1, 1, str(exc))
        return Loaded(path, "", None, _empty_locator(), [issue])
    text, problem = decode(raw)
    if text is None:
        assert problem is not None
        return Loaded(path, "", None, _empty_locator(), [problem])
    return load_text(path, text)


def peek_id(path: FsPath, max_bytes: int = MAX_FILE_BYTES) -> str | None:
    """The ``document.id`` of a plan file, read from the parser's first events only (a
    command that looks files up by id need not parse 1,000 tasks). None when it is not a
    plain scalar near the top, or the file cannot be read: :func:`load_file` then tells."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError
    from ruamel.yaml.events import (
        AliasEvent,
        CollectionEndEvent,
        CollectionStartEvent,
        MappingStartEvent,
        ScalarEvent,
    )

    from ansheng_cli.errors import FileProblem
    from ansheng_cli.plan.files import escapes, read_regular

    if escapes(path, _root_of(os.path.dirname(os.path.abspath(path)))) is not None:
        return None
    try:
        text, _ = decode(read_regular(path, max_bytes))
    except FileProblem:
        return None
    if text is None:
        return None
    # one frame per open collection: [is a mapping, next node is a key, the last key]
    stack: list[list[Any]] = []
    try:
        for event in YAML(typ="safe", pure=False).parse(text):
            if isinstance(event, CollectionEndEvent):
                stack.pop()
                if len(stack) == 1 and stack[0][2] == "document":
                    return None  # the document mapping ended without a plain id
                if stack and stack[-1][0]:
                    stack[-1][1] = True
                continue
            if not isinstance(event, (ScalarEvent, CollectionStartEvent, AliasEvent)):
                continue
            top = stack[-1] if stack else None
            if top is not None and top[0] and top[1]:  # a key
                top[1], top[2] = False, event.value if isinstance(event, ScalarEvent) else None
                if isinstance(event, CollectionStartEvent):
                    stack.append([isinstance(event, MappingStartEvent), True, None])
                continue
            in_document = len(stack) == 2 and stack[0][2] == "document"
            if in_document and top is not None and top[2] == "id":
                if not isinstance(event, ScalarEvent) or event.tag or event.anchor:
                    return None
                return str(_implicit(event.value)) if event.style is None else event.value
            if isinstance(event, CollectionStartEvent):
                stack.append([isinstance(event, MappingStartEvent), True, None])
            elif top is not None and top[0]:
                top[1] = True
    except (YAMLError, RecursionError, ValueError):
        return None
    return None
