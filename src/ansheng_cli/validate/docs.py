"""Every code with its documentation: the non-rule catalog and the rule modules together."""

from __future__ import annotations

from typing import Protocol


class Documented(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def doc(self) -> str: ...
    @property
    def summary(self) -> str: ...


def all_docs() -> list[Documented]:
    from ansheng_cli.validate.codes import CATALOG
    from ansheng_cli.validate.rules import all_rules

    docs: list[Documented] = [*CATALOG, *all_rules()]
    return sorted(docs, key=lambda d: d.code[1:])


def check_selectors(selectors: list[str]) -> None:
    """Refuse a selector that names no code (``--select X9`` would silently check nothing)."""
    from ansheng_cli.errors import UsageProblem

    codes = [d.code for d in all_docs()]
    unknown = [s for s in selectors if not any(c.startswith(s) for c in codes)]
    if unknown:
        raise UsageProblem(
            f"没有这样的规则代码：{'、'.join(unknown)}（运行 ansheng rules 查看全部代码）"
        )


def find(code_or_name: str) -> Documented | None:
    key = code_or_name.strip()
    return next((d for d in all_docs() if d.code == key.upper() or d.name == key.lower()), None)
