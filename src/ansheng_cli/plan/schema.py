"""JSON Schema of both file kinds, generated from the pydantic models."""

from __future__ import annotations

import json
from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schemas() -> dict[str, dict[str, Any]]:
    from pydantic.json_schema import models_json_schema

    from ansheng_cli.plan.models import Document, UnitRegistry

    document = Document.model_json_schema(by_alias=True)
    units = UnitRegistry.model_json_schema(by_alias=True)
    _, combined = models_json_schema(
        [(Document, "validation"), (UnitRegistry, "validation")], by_alias=True
    )
    both = {
        "title": "ansheng 计划文件或单位名录",
        "oneOf": [{"$ref": "#/$defs/Document"}, {"$ref": "#/$defs/UnitRegistry"}],
        "$defs": combined["$defs"],
    }
    out = {"document": document, "units": units, "all": both}
    for schema in out.values():
        schema["$schema"] = DIALECT
    return out


def schema_text(kind: str) -> str:
    """The JSON Schema of ``document``, ``units`` or ``all``."""
    from ansheng_cli.errors import UsageProblem

    found = schemas()
    if kind not in found:
        raise UsageProblem(f"未知的类型“{kind}”，可选：document、units、all")
    return json.dumps(found[kind], ensure_ascii=False, indent=2)
