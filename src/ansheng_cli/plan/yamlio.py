"""The one round-trip YAML setup used by every command that rewrites a whole file (fmt, the
importer's draft, a round's record): comments, quoting and order are kept. Edits at known
places (fix, progress import) go through :mod:`plan.yamledit` instead.

Two guards make rewriting safe: a value ruamel cannot construct (``2021-13-45``, a
5,000-digit number) is a located :class:`YamlProblem`, never a crash halfway through a
folder; and :func:`lost_comments` tells whether a rewrite would drop a comment (ruamel drops
comments inside multi-line flow lists), so the caller can refuse instead of losing it.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from typing import Any

from ansheng_cli.errors import AnshengError


class YamlProblem(AnshengError):
    """The text cannot be rewritten safely; the file is left untouched."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line, self.column = line, column


def round_trip() -> Any:
    """A ruamel.yaml round-trip instance with the project's layout (2-space maps, dashes
    indented by 2 under their key, no line folding, never anchors for repeated values)."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 100_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = True
    yaml.Constructor = _located_constructor()
    yaml.representer.ignore_aliases = lambda data: True
    return yaml


@functools.cache
def _located_constructor() -> Any:
    """ruamel's round-trip constructor, where a value it rejects names its line and column."""
    from ruamel.yaml.constructor import RoundTripConstructor

    class Located(RoundTripConstructor):
        pass

    for kind, name in (("timestamp", "日期"), ("int", "数字"), ("float", "数字")):
        tag = f"tag:yaml.org,2002:{kind}"
        Located.add_constructor(tag, _located(RoundTripConstructor.yaml_constructors[tag], name))
    return Located


def _located(original: Any, name: str) -> Any:
    def construct(self: Any, node: Any) -> Any:
        try:
            return original(self, node)
        except (ValueError, OverflowError):
            mark = node.start_mark
            value = str(node.value)[:40]
            raise YamlProblem(f"{name}“{value}”无效", mark.line + 1, mark.column + 1) from None

    return construct


def load(yaml: Any, text: str) -> Any:
    """Parse ``text`` round-trip; every failure is a located :class:`YamlProblem`."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise YamlProblem(f"YAML 语法错误：{exc.problem}", *where) from None
    except YAMLError as exc:
        raise YamlProblem(f"YAML 语法错误：{exc}") from None
    except RecursionError:
        raise YamlProblem("嵌套层次过深，无法处理") from None


_OPENERS = set(":-[{,?")


def comments(text: str) -> Counter[tuple[str, ...]]:
    """The comments of a YAML text (their words, spacing ignored), as a multiset.

    A light scanner: ``#`` starts a comment at the start of a line or after a space, outside
    quoted scalars; a quote opens a scalar only where a value can start.
    """
    found: Counter[tuple[str, ...]] = Counter()
    quote = ""
    for line in text.splitlines():
        i, prev = 0, ""
        while i < len(line):
            ch = line[i]
            if quote:
                if ch == "\\" and quote == '"':
                    i += 2
                    continue
                if ch == quote:
                    if quote == "'" and line[i + 1 : i + 2] == "'":
                        i += 2
                        continue
                    quote = ""
            elif ch in "'\"" and (prev == "" or prev in _OPENERS):
                quote = ch
            elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
                found[tuple(line[i + 1 :].split())] += 1
                break
            if not ch.isspace():
                prev = ch
            i += 1
    return found


def lost_comments(before: str, after: str) -> list[tuple[int, str]]:
    """Comments of ``before`` missing from ``after``: (line, comment) for each."""
    missing = comments(before) - comments(after)
    if not missing:
        return []
    out = []
    for number, line in enumerate(before.splitlines(), start=1):
        match = _COMMENT.search(line)
        if match and tuple(match.group(1).split()) in missing:
            out.append((number, match.group(1).strip()))
    return out or [(1, " ".join(next(iter(missing))))]


_COMMENT = re.compile(r"(?:^|\s)#(.*)$")
