"""Unit rules (x4xx): every name in lead/support resolves through the registry."""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Path
from ansheng_cli.validate.context import DocumentContext

ROLES = ("lead", "support")
ROLE_NAMES = {"lead": "牵头单位", "support": "配合单位"}


def unit_names(ctx: DocumentContext) -> Iterator[tuple[Path, str, str]]:
    """(path, role, name) for every unit named in a task."""
    for path, task in ctx.tasks:
        for role in ROLES:
            for i, name in enumerate(getattr(task, role)):
                yield (*path, role, i), role, name
        if isinstance(task.deadline, list):  # a milestone's own units answer for it: leads
            for i, milestone in enumerate(task.deadline):
                for j, name in enumerate(milestone.units):
                    yield (*path, "deadline", i, "units", j), "lead", name
