"""Every code is documented the same way and has cases that trigger it and that do not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from ansheng_cli.validate.codes import CATALOG
from ansheng_cli.validate.docs import all_docs, find
from ansheng_cli.validate.rules import all_rules

CASES_DIR = Path(__file__).parent / "cases"
SECTIONS = ("为什么", "错误示例", "正确示例", "如何修改")
# Codes fixed by the core issue; they must exist and keep their meaning.
FIXED = [
    "E101",
    "E102",
    "E103",
    "E104",
    "E201",
    "E202",
    "E203",
    "W301",
    "E302",
    "W303",
    "E401",
    "W402",
    "W403",
    "W404",
    "W405",
    "W406",
    "E501",
    "W502",
    "W503",
    "E504",
    "W505",
    "W601",
    "W602",
    "W701",
    "E901",
    "W902",
]


def test_fixed_codes_exist() -> None:
    codes = {d.code for d in all_docs()}
    assert set(FIXED) <= codes


def test_codes_and_names_are_unique_and_well_formed() -> None:
    docs = all_docs()
    assert len({d.code for d in docs}) == len(docs)
    assert len({d.name for d in docs}) == len(docs)
    for d in docs:
        assert re.fullmatch(r"[EW][1-9]\d\d", d.code), d.code
        assert re.fullmatch(r"[a-z]+\.[a-z-]+", d.name), d.name


@pytest.mark.parametrize("doc", all_docs(), ids=lambda d: d.code)
def test_documentation_has_required_sections(doc: object) -> None:
    text = doc.doc  # type: ignore[attr-defined]
    for section in SECTIONS:
        assert f"{section}" in text, f"{doc.code} lacks {section}"  # type: ignore[attr-defined]


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_every_rule_module_matches_its_family(rule: object) -> None:
    family = {
        "3": "numbering",
        "4": ("units", "registry"),
        "5": "deadlines",
        "6": "indicators",
        "7": "references",
        "8": "progress",
    }
    code: str = rule.code  # type: ignore[attr-defined]
    module = rule.check.__module__  # type: ignore[attr-defined]
    expected = family[code[1]]
    assert module.split(".")[3] in (expected if isinstance(expected, tuple) else (expected,))
    assert module.split(".")[4].startswith(code.lower())


# Codes that need other files (or the file system) to arise: tested in their own modules
# (tests/test_trace.py for the upper/lower links).
NOT_SINGLE_FILE = {"E103", "E104", "E106", "E107", "E704", "W705", "W706", "W707", "W708"}


@pytest.mark.parametrize("code", sorted({d.code for d in all_docs()} - NOT_SINGLE_FILE), ids=str)
def test_every_code_has_positive_and_negative_cases(code: str) -> None:
    path = CASES_DIR / f"{code}.yaml"
    assert path.is_file(), f"missing {path.name}"
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    assert data["code"] == code
    assert any(case["expect"] for case in data["cases"]), "no case triggers it"
    assert any(not case["expect"] for case in data["cases"]), "no case where it must stay silent"


def test_find_by_code_or_name() -> None:
    assert find("w301") is not None and find("w301").code == "W301"
    assert find("numbering.gap").code == "W301"
    assert find("X999") is None
    assert {e.code for e in CATALOG} <= {d.code for d in all_docs()}


def test_every_rule_module_is_registered() -> None:
    """A rule module left out of MODULES would silently never run."""
    from ansheng_cli.validate import rules

    folder = Path(rules.__file__).parent
    on_disk = {
        f"{p.parent.name}.{p.stem}"
        for p in folder.glob("*/*.py")
        if p.stem != "__init__" and p.stem[:1] in "ewi"
    }
    assert on_disk == set(rules.MODULES)
