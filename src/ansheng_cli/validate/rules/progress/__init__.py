"""Progress rules (x8xx): what units report on tasks (督办) must be consistent."""

from __future__ import annotations

from collections.abc import Iterator

from ansheng_cli.plan.finding import Path
from ansheng_cli.plan.models import Progress
from ansheng_cli.validate.context import DocumentContext


def entries(ctx: DocumentContext) -> Iterator[tuple[Path, Progress]]:
    for path, task in ctx.tasks:
        for i, entry in enumerate(task.progress):
            yield (*path, "progress", i), entry
