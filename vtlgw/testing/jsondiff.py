"""A structural diff of two JSON values: one line per difference, named by its JSONPath.

``$.items[1].price: 10 != 10.5`` tells a test author what to fix faster than
two long strings side by side. Values compare as JSON compares them: ``1`` and
``1.0`` are equal, ``true`` and ``1`` are not.
"""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["json_diff"]

_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_MAX_LINES = 50


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _child(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if _PLAIN_NAME.match(key) else f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if value is None:
        return "null"
    return {dict: "object", list: "array", str: "string"}.get(type(value), type(value).__name__)


def _walk(left: Any, right: Any, path: str, out: list[str]) -> None:
    if len(out) > _MAX_LINES:
        return
    if isinstance(left, dict) and isinstance(right, dict):
        for key in left:
            if key not in right:
                out.append(f"{_child(path, key)}: only on the left: {_show(left[key])}")
            else:
                _walk(left[key], right[key], _child(path, key), out)
        for key in right:
            if key not in left:
                out.append(f"{_child(path, key)}: only on the right: {_show(right[key])}")
        return
    if isinstance(left, list) and isinstance(right, list):
        for index, (a, b) in enumerate(zip(left, right)):
            _walk(a, b, _child(path, index), out)
        if len(left) != len(right):
            longer, side = (left, "left") if len(left) > len(right) else (right, "right")
            extra = longer[min(len(left), len(right)):]
            out.append(f"{path}: {len(left)} items != {len(right)} items; extra on the {side}: "
                       + ", ".join(_show(v) for v in extra[:5]) + (" ..." if len(extra) > 5 else ""))
        return
    if _kind(left) != _kind(right):
        out.append(f"{path}: {_kind(left)} {_show(left)} != {_kind(right)} {_show(right)}")
    elif left != right:
        out.append(f"{path}: {_show(left)} != {_show(right)}")


def json_diff(left: Any, right: Any) -> list[str]:
    """The differences between two JSON values, empty when they are equal."""
    out: list[str] = []
    _walk(left, right, "$", out)
    if len(out) > _MAX_LINES:
        out[_MAX_LINES:] = [f"... and more differences (first {_MAX_LINES} shown)"]
    return out
