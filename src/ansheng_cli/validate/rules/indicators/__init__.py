"""Indicator rules (x6xx): targets and results must follow from baselines."""

from __future__ import annotations

from decimal import Decimal

from ansheng_cli.plan.models import Measure, TargetChange


def planned(base: Measure, change: TargetChange) -> Decimal:
    """The value a stated change gives from a baseline."""
    sign = -1 if change.direction == "decrease" else 1
    return base.value * (1 + sign * change.percent / 100)


def achieved_percent(base: Measure, later: Decimal, change: TargetChange) -> Decimal | None:
    """The change actually reached, in the stated direction, in percent (None from 0)."""
    if base.value == 0:
        return None
    delta = (base.value - later) if change.direction == "decrease" else (later - base.value)
    return delta / base.value * 100


def unit_of(value: Decimal) -> Decimal:
    """One unit in the last printed place: 0.206 → 0.001, 17 → 1."""
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) else 0)


def fmt(value: Decimal, places: int = 3) -> str:
    """A number for a message: at most ``places`` decimals, no trailing zeros."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return text or "0"


WORDS = {"decrease": "下降", "increase": "上升"}
