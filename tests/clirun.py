"""Run the command line in a folder, as a user would from there."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from typer.testing import CliRunner

from ansheng_cli.cli import app


@contextlib.contextmanager
def inside(folder: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old)


def run(cwd: Path, *args: str) -> tuple[int, str]:
    """Exit code and output (stdout and stderr) of ``ansheng ARGS`` run in ``cwd``."""
    with inside(cwd):
        result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output
