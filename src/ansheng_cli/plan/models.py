"""The two file kinds as pydantic models: a plan document (ansheng/v1) and a unit registry.

Field names are the YAML keys, so a pydantic error location is a data path the loader
can place. Values are kept as written: no silent coercion of numbers or dates into text.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    WithJsonSchema,
)
from pydantic_core import PydanticCustomError


def _number_as_printed(value: Any) -> Any:
    """A task or section number is text; a bare integer is accepted, a bare float is not.

    ``no: 1.10`` loads as the float 1.1 and would silently become "1.1".
    """
    if isinstance(value, bool):
        raise PydanticCustomError(
            "ansheng_no_bool", "编号应为文本，实为布尔值 {value}", {"value": value}
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = getattr(value, "text", repr(value))
        raise PydanticCustomError(
            "ansheng_no_float",
            "编号 {text} 被 YAML 读成了小数 {value}，原样编号会丢失",
            {"text": text, "value": value},
        )
    return value


def as_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or YYYY-MM-DD text; None for anything else."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _strict_date(value: Any) -> Any:
    """Dates are YYYY-MM-DD (bare or quoted); numbers are never read as timestamps."""
    found = as_date(value)
    if found is not None:
        return found
    if isinstance(value, str):
        raise PydanticCustomError("ansheng_bad_date", "日期“{value}”无效", {"value": value})
    raise PydanticCustomError(
        "ansheng_date_type", "应为日期（YYYY-MM-DD），实为 {kind}", {"kind": type(value).__name__}
    )


def _exact_number(value: Any) -> Any:
    """Numbers keep the precision they were written with (2.10 stays 2.10)."""
    if isinstance(value, bool):
        raise PydanticCustomError("ansheng_number_type", "应为数字，实为布尔值", {})
    if isinstance(value, float):
        text = getattr(value, "text", repr(value))
        try:
            return Decimal(text.replace("_", ""))
        except InvalidOperation:
            return Decimal(repr(value))
    return value


Number = Annotated[
    str,
    BeforeValidator(_number_as_printed),
    WithJsonSchema({"type": ["string", "integer"], "description": "编号，按原文照录"}),
]
Date = Annotated[
    dt.date, BeforeValidator(_strict_date), WithJsonSchema({"type": "string", "format": "date"})
]
Exact = Annotated[Decimal, BeforeValidator(_exact_number), WithJsonSchema({"type": "number"})]
Text = str


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Period(_Model):
    start: Date
    end: Date


class Source(_Model):
    """Where in data/sources the item was encoded from."""

    file: Text
    line: int = Field(ge=1)


class DocumentMeta(_Model):
    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    title: Text
    issuer: Text
    doc_no: Text | None = None
    date: Date
    status: Literal["draft", "issued"] = "issued"
    jurisdiction: Text
    period: Period | None = None
    default_deadline: Text | None = None
    implements: list[Text] = []  # cited laws and plans, free text
    parents: list[str] = []  # document ids of the higher-level plans this one implements


STATUSES = ("未启动", "推进中", "已完成", "已销号", "暂缓")
CLOSED = "已销号"  # 复核销号: the office confirmed a unit's 已完成
NOT_REPORTED = "未填报"  # shown for a task whose status nobody has reported yet
Status = Literal["未启动", "推进中", "已完成", "已销号", "暂缓"]


class Progress(_Model):
    """One progress report of a unit on a task (督办)."""

    date: Date
    unit: Text
    text: Text


class Confirmation(_Model):
    """复核销号: the office checked a unit's 已完成 and closed the task (status 已销号)."""

    date: Date
    by: Text


class Milestone(_Model):
    """One dated step or duty of a task: 摸排 by June and 整治 by December, or the several
    duties of one item (每月检查, 每季度评估)."""

    when: Text  # the deadline as written: 2024年6月底前, 每季度
    what: Text | None = None  # what is due then: 完成摸排
    units: list[Text] = []  # who answers for this step, when not the task's lead units


def _deadline_form(value: Any) -> str:
    return "<节点>" if isinstance(value, list) else "<文本>"


# One deadline text, or a list of milestones. The discriminator reports a bad value against
# the form it was written in only (not against both); the tags never reach a finding's path.
Deadline = Annotated[
    Annotated[Text, Tag("<文本>")] | Annotated[list[Milestone], Tag("<节点>")],
    Discriminator(_deadline_form),
]


def deadline_words(deadline: Deadline | None) -> str | None:
    """A deadline as one line of text: the text itself, or the milestones joined
    (2024年6月底前完成摸排；2024年12月底前完成整治)."""
    if deadline is None or isinstance(deadline, str):
        return deadline
    return "；".join(f"{m.when}{m.what or ''}" for m in deadline) or None


class Task(_Model):
    no: Number
    title: Text | None = None
    text: Text | None = None
    lead: list[Text] = []
    support: list[Text] = []
    others: Text | None = None
    deadline: Deadline | None = None  # text, or several milestones
    source: Source | None = None
    status: Status | None = None
    progress: list[Progress] = []
    done: Date | None = None
    implements: list[Text] = []  # upper tasks taken up: <document id>#<task no or label>
    confirmed: Confirmation | None = None  # who closed the task (已销号), and when


class Section(_Model):
    no: Number | None = None
    title: Text
    text: Text | None = None
    deadline: Text | None = None  # for the whole section (a phase); tasks inherit it
    source: Source | None = None
    sections: list[Section] = []
    tasks: list[Task] = []


class Measure(_Model):
    year: int
    value: Exact


class Target(_Model):
    year: int | None = None
    op: Literal["<=", "<", ">=", ">", "="] = "="
    value: Exact


class TargetChange(_Model):
    direction: Literal["decrease", "increase"]
    percent: Exact = Field(ge=0)


class Indicator(_Model):
    no: Number | None = None
    name: Text
    unit: Text | None = None
    group: Text | None = None
    baseline: Measure | None = None
    actual: Measure | None = None
    target: Target | None = None
    change: TargetChange | None = None
    plan: Text | None = None
    result: Text | None = None
    source: Source | None = None


class Document(_Model):
    schema_: Literal["ansheng/v1"] = Field(alias="schema")
    document: DocumentMeta
    sections: list[Section] = []
    indicators: list[Indicator] = []

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Unit(_Model):
    name: Text
    full_name: Text | None = None
    aliases: list[Text] = []
    kind: Text | None = None
    until: Date | None = None
    successor: Text | None = None
    note: Text | None = None


class UnitRegistry(_Model):
    schema_: Literal["ansheng/units-v1"] = Field(alias="schema")
    jurisdiction: Text
    units: list[Unit] = []
    catch_alls: list[Text] = []
    # How higher-level plans address this jurisdiction's level (各区政府, 各县（市、区）…)
    levels: list[Text] = []

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
