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

from .patterns import search as _search

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
    schema = error.schema if isinstance(error.schema, dict) else {}
    if keyword == "minimum":
        if instance == value and schema.get("exclusiveMinimum") is True:
            return f"numeric instance is not strictly greater than the required minimum {_json(value)}"
        return (f"numeric instance is lower than the required minimum (minimum: {_json(value)}, "
                f"found: {_json(instance)})")
    if keyword == "maximum":
        if instance == value and schema.get("exclusiveMaximum") is True:
            return f"numeric instance is not strictly lower than the required maximum {_json(value)}"
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
        known = set(schema.get("properties") or {})
        patterns = [p for p in (schema.get("patternProperties") or {}) if isinstance(p, str)]
        extra = sorted(k for k in instance if k not in known and not any(_search(p, k) for p in patterns))
        return f"object instance has properties which are not allowed by the schema: {_json(extra)}"
    if keyword == "multipleOf":
        return f"remainder of division is not zero ({_json(instance)} / {_json(value)})"
    if keyword == "minProperties" and isinstance(instance, dict):
        return f"object has too few properties (found {len(instance)} but schema requires at least {value})"
    if keyword == "maxProperties" and isinstance(instance, dict):
        return f"object has too many properties (found {len(instance)} but schema requires at most {value})"
    if keyword == "uniqueItems":
        return "array must not contain duplicate elements"
    if keyword == "anyOf" and isinstance(value, list):
        return f"instance failed to match at least one required schema among {len(value)}"
    if keyword == "oneOf" and isinstance(value, list):
        failing = {e.relative_schema_path[0] for e in error.context or [] if e.relative_schema_path}
        return f"instance failed to match exactly one schema (matched {len(value) - len(failing)} out of {len(value)})"
    if keyword == "not":
        return "instance matched a schema which it should not have"
    if keyword == "format":
        return _FORMAT_MESSAGES.get(value, 'string {} is not a valid ' + str(value)).format(_json(instance))
    return error.message


#: The Java validator's words for a string that fails its ``format`` (U74).
_FORMAT_MESSAGES = {
    "date-time": "string {} is invalid against requested date format(s) "
                 "[yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-dd'T'HH:mm:ss.[0-9]{{1,12}}Z]",
    "email": "string {} is not a valid email address",
    "hostname": "string {} is not a valid hostname",
    "ipv4": "string {} is not a valid IPv4 address",
    "ipv6": "string {} is not a valid IPv6 address",
    "uri": "string {} is not a valid URI",
    "regex": "string {} is not a valid ECMA 262 regular expression",
}




def _dependencies(error: Any) -> list[tuple[str, str]]:
    """(property, reason) for each property whose listed dependencies the object lacks."""
    out = []
    instance = error.instance if isinstance(error.instance, dict) else {}
    for prop, needs in (error.validator_value or {}).items():
        if prop in instance and isinstance(needs, list):
            missing = [n for n in needs if n not in instance]
            if missing:
                out.append((prop, f"property {_json(prop)} of object has missing property dependencies (schema "
                                  f"requires {_json(needs)}; missing: {_json(missing)})"))
    return out


def describe_errors(errors: list[Any]) -> list[str]:
    """Every error, in document order; the ``required`` errors of one object merged into one reason."""
    ordered = sorted(errors, key=lambda e: [str(p) for p in e.absolute_path])
    out: list[str] = []
    missing: dict[tuple[str, ...], list[str]] = {}
    slots: dict[tuple[str, ...], int] = {}
    reported: set[tuple[tuple[str, ...], str]] = set()
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
        if error.validator == "dependencies" and isinstance(error.validator_value, dict):
            # jsonschema reports each missing name; the Java validator one reason per property
            where = tuple(str(p) for p in error.absolute_path)
            for prop, reason in _dependencies(error):
                if (where, prop) not in reported:
                    reported.add((where, prop))
                    out.append(reason)
            continue
        out.append(describe(error))
    for where, index in slots.items():
        out[index] = f"object has missing required properties ({_json(sorted(missing[where]))})"
    return out
