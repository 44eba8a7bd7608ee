"""Check loaded data against a model and say every shape problem as an E2xx hit.

pydantic reports a path and an error type; one table maps the type to a code and a
Chinese message, so rewording lives in data, not in branches.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ansheng_cli.plan.finding import Hit, Path

M = TypeVar("M", bound=BaseModel)

_KIND = {
    str: "文本",
    int: "整数",
    float: "数字",
    bool: "布尔值",
    dt.date: "日期",
    dt.datetime: "日期时间",
    list: "列表",
    dict: "映射",
    type(None): "空值",
}


def kind_of(value: Any) -> str:
    for cls in type(value).__mro__:
        if cls in _KIND:
            return _KIND[cls]
    return type(value).__name__


def _quote_hint(value: Any) -> str:
    if isinstance(value, dt.date | int | float) and not isinstance(value, bool):
        text = getattr(value, "text", None) or (
            value.isoformat() if isinstance(value, dt.date) else str(value)
        )
        return f'加引号写成 "{text}"，按原文保存为文本'
    return "改为文本"


Message = Callable[[dict[str, Any], Any], tuple[str, str]]

# pydantic error type → (code, message builder). err is pydantic's error dict.
_TABLE: dict[str, tuple[str, Message]] = {
    "missing": ("E201", lambda e, v: (f"缺少必填字段“{e['loc'][-1]}”", "补上该字段")),
    "string_type": (
        "E202",
        lambda e, v: (f"“{_field(e)}”应为文本，实为{kind_of(v)}", _quote_hint(v)),
    ),
    "list_type": (
        "E202",
        lambda e, v: (
            f"“{_field(e)}”应为列表，实为{kind_of(v)}",
            "写成 [甲, 乙] 或逐行“- 甲”",
        ),
    ),
    "model_type": ("E202", lambda e, v: (f"“{_field(e)}”应为映射（键: 值），实为{kind_of(v)}", "")),
    "model_attributes_type": (
        "E202",
        lambda e, v: (f"“{_field(e)}”应为映射（键: 值），实为{kind_of(v)}", ""),
    ),
    "dict_type": ("E202", lambda e, v: (f"“{_field(e)}”应为映射（键: 值），实为{kind_of(v)}", "")),
    "literal_error": (
        "E202",
        lambda e, v: (
            f"“{_field(e)}”的值“{v}”不在允许范围内",
            f"可选值：{e.get('ctx', {}).get('expected', '')}",
        ),
    ),
    "string_pattern_mismatch": (
        "E202",
        lambda e, v: (
            f"“{_field(e)}”的值“{v}”格式不对",
            "只能用小写字母、数字和连字符，如 xinghua-2020-workpoints",
        ),
    ),
    "int_type": ("E202", lambda e, v: (f"“{_field(e)}”应为整数，实为{kind_of(v)}", "")),
    "int_parsing": ("E202", lambda e, v: (f"“{_field(e)}”应为整数，实为{kind_of(v)}", "")),
    "int_from_float": ("E202", lambda e, v: (f"“{_field(e)}”应为整数，实为小数 {v}", "")),
    "decimal_type": ("E202", lambda e, v: (f"“{_field(e)}”应为数字，实为{kind_of(v)}", "")),
    "decimal_parsing": ("E202", lambda e, v: (f"“{_field(e)}”应为数字，实为{kind_of(v)}", "")),
    "greater_than_equal": ("E202", lambda e, v: (f"“{_field(e)}”不能小于 {e['ctx']['ge']}", "")),
}

_CUSTOM_HINTS = {
    "ansheng_no_float": '给编号加引号，如 no: "1.10"',
    "ansheng_no_bool": "给编号加引号",
    "ansheng_bad_date": "写成 YYYY-MM-DD，并确认是真实存在的日期",
    "ansheng_date_type": "写成 YYYY-MM-DD",
    "ansheng_number_type": "写成数字，如 0.206",
}


def _field(err: dict[str, Any]) -> str:
    names = [str(p) for p in err["loc"] if isinstance(p, str)]
    return names[-1] if names else "值"


def _holder(root: type[BaseModel], loc: Path) -> type[BaseModel] | None:
    """The model that holds the key at ``loc`` (list indices skipped)."""
    model: type[BaseModel] | None = root
    for step in loc[:-1]:
        if isinstance(step, int) or model is None:
            continue
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == step), None)
        model = _model_in(field.annotation) if field else None
    return model


def _allowed_fields(root: type[BaseModel], loc: Path) -> list[str]:
    """Field names (as written in YAML) of the model that holds the key at ``loc``."""
    model = _holder(root, loc)
    return [f.alias or n for n, f in model.model_fields.items()] if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType) or origin is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found:
                return found
    return None


def _unknown_field(root: type[BaseModel], loc: Path) -> tuple[str, str]:
    key = loc[-1]
    allowed = _allowed_fields(root, loc)
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
    hint = f"是不是“{close[0]}”？" if close else f"可用字段：{', '.join(allowed)}"
    return f"未知字段“{key}”", hint


def data_path(loc: Iterable[Any]) -> Path:
    """A pydantic error location as a data path: union tags (``<文本>``) are no keys."""
    return tuple(s for s in loc if not (isinstance(s, str) and s.startswith("<")))


def check_shape(model: type[M], data: Any) -> tuple[M | None, list[Hit]]:
    """Validate; on failure return every problem as a hit with its data path."""
    try:
        return model.model_validate(data), []
    except ValidationError as exc:
        return None, list(_hits(model, exc.errors(include_url=False)))


def _hits(model: type[BaseModel], errors: Iterable[Any]) -> Iterable[Hit]:
    for err in errors:
        loc: Path = data_path(err["loc"])
        value = err.get("input")
        typ = err["type"]
        if typ == "extra_forbidden":
            message, hint = _unknown_field(model, loc)
            yield Hit("E203", loc, message, hint, at_key=True)
        elif typ.startswith("ansheng_"):
            yield Hit("E202", loc, f"“{_field(err)}”：{err['msg']}", _CUSTOM_HINTS.get(typ, ""))
        elif typ in _TABLE:
            code, build = _TABLE[typ]
            message, hint = build(err, value)
            if code == "E201":
                yield Hit(code, loc[:-1], message, hint or f"在此处添加 {loc[-1]}: …")
            else:
                yield Hit(code, loc, message, hint)
        else:
            yield Hit("E202", loc, f"“{_field(err)}”的值无效：{err['msg']}", "")


@dataclass
class Salvage:
    """A model built from what is valid in a file that has shape errors, so the rules can
    still check the rest. ``dropped`` are the keys taken out (optional fields with a bad
    value, unknown fields) and ``removed`` the list items taken out (an item with a bad
    required field), both as paths of the original data."""

    model: Any
    dropped: list[Path] = field(default_factory=list)
    removed: list[tuple[Path, int]] = field(default_factory=list)  # in removal order

    def original(self, path: Path) -> Path:
        """The path in the original data of a path in the salvaged model."""
        out = list(path)
        for base, index in reversed(self.removed):
            n = len(base)
            step = out[n] if len(out) > n else None
            if tuple(out[:n]) == base and isinstance(step, int) and step >= index:
                out[n] = step + 1
        return tuple(out)

    def keeps(self, path: Path) -> bool:
        """Whether a rule's finding at ``path`` (original) stands: not at or under a dropped
        key, nor about the object that lost it (its lead or deadline would be "missing"; such
        findings are placed at the object or at its ``no``)."""
        return not any(
            path[: len(d)] == d or path in (d[:-1], (*d[:-1], "no")) for d in self.dropped
        )


def salvage(model: type[M], data: Any, rounds: int = 8) -> Salvage | None:
    """Drop what fails validation, a little at a time, until the rest validates."""
    import copy

    work = copy.deepcopy(data)
    found = Salvage(None)
    for _ in range(rounds):
        try:
            found.model = model.model_validate(work)
            return found
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
        # deepest first, so removing one list item does not shift another error's index
        for err in sorted(errors, key=lambda e: len(e["loc"]), reverse=True):
            if not _drop(model, work, data_path(err["loc"]), err["type"], found):
                return None
    return None


def _drop(model: type[BaseModel], data: Any, loc: Path, typ: str, found: Salvage) -> bool:
    steps: list[str | int] = []
    node = data
    for step in loc:  # the part of loc that exists in the data (unions add type names)
        in_map = isinstance(node, dict) and step in node
        in_list = isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node)
        if not (in_map or in_list):
            break
        node = typing.cast(Any, node)[step]
        steps.append(step)
    if typ == "missing":
        return _remove_item(data, tuple(steps), found)
    if not steps:
        return False
    key = steps[-1]
    parent = _at(data, tuple(steps[:-1]))
    optional = isinstance(key, str) and not _required(model, tuple(steps))
    if isinstance(parent, dict) and (typ == "extra_forbidden" or optional):
        del parent[key]
        found.dropped.append(found.original(tuple(steps)))
        return True
    return _remove_item(data, tuple(steps), found)


def _remove_item(data: Any, path: Path, found: Salvage) -> bool:
    """Take out the innermost list item containing ``path``."""
    for i in range(len(path) - 1, -1, -1):
        if isinstance(path[i], int):
            base = path[:i]
            items = _at(data, base)
            index = path[i]
            if isinstance(items, list) and isinstance(index, int) and 0 <= index < len(items):
                found.dropped.append(found.original((*base, index)))
                del items[index]
                found.removed.append((base, index))  # in the data's coordinates of that moment
                return True
    return False


def _at(data: Any, path: Path) -> Any:
    for step in path:
        data = data[step]
    return data


def _required(root: type[BaseModel], loc: Path) -> bool:
    model = _holder(root, loc)
    if model is None:
        return True
    info = next((f for n, f in model.model_fields.items() if (f.alias or n) == loc[-1]), None)
    return info is None or info.is_required()
