"""The rule registry: one module per code, its docstring is its documentation.

A rule module declares ``CODE``, ``NAME`` (a stable dotted name), optionally ``TARGET``
("document" or "registry"), and ``check(ctx)`` yielding hits by data path. Rules never
decide their severity (the code's letter and the engine do) and never touch YAML.

A rule whose defect can be mended mechanically also declares ``FIX``: which kind of value it
touches and how one value is mended. ``ansheng fix`` is built from these declarations, so a
repair lives beside the rule that reports what it repairs.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from ansheng_cli.plan.finding import Hit

if TYPE_CHECKING:
    from ansheng_cli.plan.registry import Registry

# The table of rule modules, in code order.
MODULES = (
    "numbering.w301_gap",
    "numbering.e302_duplicate",
    "numbering.w303_order",
    "numbering.w304_mixed_styles",
    "units.e401_unknown",
    "units.w402_alias",
    "units.w403_renamed",
    "units.w404_no_lead",
    "units.w405_lead_and_support",
    "units.w406_no_registry",
    "units.w407_catch_all_as_unit",
    "units.w408_untidy_name",
    "units.w409_joined_units",
    "registry.e410_duplicate_name",
    "registry.e411_unknown_successor",
    "registry.e412_successor_cycle",
    "deadlines.e501_unparseable",
    "deadlines.w502_before_document",
    "deadlines.w503_after_period",
    "deadlines.e504_impossible_date",
    "deadlines.w505_missing",
    "deadlines.w506_untidy",
    "deadlines.w507_unknown_phrase",
    "indicators.w601_target",
    "indicators.w602_result",
    "references.w701_brackets",
    "references.w702_doc_no",
    "references.e703_control_characters",
    "progress.w801_before_document",
    "progress.w802_in_future",
    "progress.w803_completed_without_date",
    "progress.w804_unassigned_unit",
    "progress.w805_closed_without_completion",
)


@dataclass(frozen=True)
class FixContext:
    """What a repair may consult: the document's registry and date."""

    registry: Registry | None
    date: dt.date | None


@dataclass(frozen=True)
class Fix:
    """A mechanical repair: ``field`` is the kind of value it touches (``unit`` for names in
    lead/support, ``deadline``, ``text`` for title/text/others/doc_no), ``mend`` returns the
    mended value (or the same value); a unit may be mended into several (a list: split) or
    none (``[]``: taken out of its list, and added to ``move_to`` when that is set).
    ``default``: applied by a plain ``ansheng fix``; otherwise only when its code is selected. ``stage`` 0 tidies spelling before the stage-1
    repairs that look names up."""

    field: str
    mend: Callable[[str, FixContext], str | list[str]]
    default: bool = True
    stage: int = 1
    move_to: str | None = None  # a unit mended to [] leaves its list for this task field


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    target: str
    check: Callable[[Any], Iterable[Hit]]
    doc: str
    fix: Fix | None = None

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0]


@cache
def all_rules() -> tuple[Rule, ...]:
    rules = []
    for name in MODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        rules.append(
            Rule(
                code=module.CODE,
                name=module.NAME,
                target=getattr(module, "TARGET", "document"),
                check=module.check,
                doc=module.__doc__ or "",
                fix=getattr(module, "FIX", None),
            )
        )
    return tuple(rules)


def fixes() -> tuple[Rule, ...]:
    """Rules that can mend what they find, in the order their repairs apply."""
    return tuple(sorted((r for r in all_rules() if r.fix), key=lambda r: (r.fix.stage, r.code)))  # type: ignore[union-attr]
