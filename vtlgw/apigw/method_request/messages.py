"""Schema errors worded as the execution log words them (U54).

API Gateway's log lists each reason in the words of the Java validator it
runs (``object has missing required properties (["name"])``). vtlgw words
the common keywords the same way and falls back to ``jsonschema``'s message
for the rest. Reasons come in document order of the body, the missing
properties of one object together.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["describe_errors", "describe"]


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _type_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def describe(error: Any) -> str:
    """One ``jsonschema`` error in the validator's words."""
    keyword, value, instance = error.validator, error.validator_value, error.instance
    if keyword == "type":
        allowed = value if isinstance(value, list) else [value]
        return (f"instance type ({_type_of(instance)}) does not match any allowed primitive type "
                f"(allowed: {_json(sorted(allowed))})")
    if keyword == "enum":
        return f"instance value ({_json(instance)}) not found in enum (possible values: {_json(value)})"
    if keyword == "minimum":
        return (f"numeric instance is lower than the required minimum (minimum: {_json(value)}, "
                f"found: {_json(instance)})")
    if keyword == "maximum":
        return (f"numeric instance is greater than the required maximum (maximum: {_json(value)}, "
                f"found: {_json(instance)})")
    if keyword == "minLength":
        return (f"string {_json(instance)} is too short (length: {len(instance)}, required minimum: "
                f"{_json(value)})")
    if keyword == "maxLength":
        return (f"string {_json(instance)} is too long (length: {len(instance)}, maximum allowed: "
                f"{_json(value)})")
    if keyword == "pattern":
        return f"ECMA 262 regex {_json(value)} does not match input string {_json(instance)}"
    if keyword == "minItems":
        return (f"array is too short: must have at least {value} elements but instance has "
                f"{len(instance)} elements")
    if keyword == "maxItems":
        return (f"array is too long: must have at most {value} elements but instance has "
                f"{len(instance)} elements")
    if keyword == "additionalProperties" and isinstance(instance, dict):
        known = set((error.schema or {}).get("properties") or {})
        extra = sorted(k for k in instance if k not in known)
        return f"object instance has properties which are not allowed by the schema: {_json(extra)}"
    if keyword == "multipleOf":
        return f"numeric instance is not a multiple of {_json(value)}"
    return error.message


def describe_errors(errors: list[Any]) -> list[str]:
    """Every error, in document order; the ``required`` errors of one object merged into one reason."""
    ordered = sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])
    out: list[str] = []
    missing: dict[tuple[str, ...], list[str]] = {}
    slots: dict[tuple[str, ...], int] = {}
    for error in ordered:
        if error.validator == "required":
            where = tuple(str(p) for p in error.absolute_path)
            names = missing.setdefault(where, [])
            if where not in slots:
                slots[where] = len(out)
                out.append("")
            for name in error.validator_value:
                if isinstance(error.instance, dict) and name not in error.instance and name not in names:
                    names.append(name)
            continue
        out.append(describe(error))
    for where, index in slots.items():
        out[index] = f"object has missing required properties ({_json(sorted(missing[where]))})"
    return out
