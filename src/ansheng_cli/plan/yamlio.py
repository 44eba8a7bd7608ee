"""The one round-trip YAML setup used by every command that rewrites a file in place
(fmt, fix, progress import, the importer's draft): comments, quoting and order are kept."""

from __future__ import annotations

from typing import Any


def round_trip() -> Any:
    """A ruamel.yaml round-trip instance with the project's layout (2-space maps, dashes
    indented by 2 under their key, no line folding)."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 100_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    return yaml
