"""Whether a Python value is a JSON value, and where it is not: the check behind the Python API's inputs.

Request dicts, Lambda results and HTTP bodies given from Python may hold what
no file could (a set, bytes, ``object()``, an integer key, a cycle, nesting a
hundred thousand deep). :func:`json_problem` finds the first such thing, in
document order, and names it by JSON pointer, so the caller can raise a
:class:`~vtlgw.vtl.errors.VtlError` that says which argument and which field.
It walks the value without recursion, so depth costs no stack.
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["json_problem", "describe_type", "MAX_VALUE_DEPTH", "pointer_join"]

#: Nesting of lists and maps accepted in a value given from Python (a JSON file nested deeper fails to parse).
MAX_VALUE_DEPTH = 500


def pointer_join(pointer: str, token: Any) -> str:
    """``pointer`` extended by one reference token (``~`` and ``/`` escaped)."""
    return f"{pointer}/{str(token).replace('~', '~0').replace('/', '~1')}"


def describe_type(value: Any) -> str:
    """``a set``, ``an int``, ``None``: the value's type as a message says it."""
    if value is None:
        return "None"
    name = type(value).__name__
    return f"an {name}" if name[:1].lower() in "aeiou" else f"a {name}"


_HINTS = {bytes: " (decode it to text, or base64-encode it)", bytearray: " (decode it to text, or base64-encode it)",
          set: " (use a list)", frozenset: " (use a list)"}

_EXIT = object()


def json_problem(value: Any, *, max_depth: int = MAX_VALUE_DEPTH) -> tuple[str, str] | None:
    """``(pointer, message)`` for the first part of ``value`` that is not a JSON value, or None.

    JSON values here are ``None``, ``bool``, ``int``, finite ``float``, ``str``,
    and ``dict`` (string keys), ``list`` or ``tuple`` of them, nested at most
    ``max_depth`` levels and without cycles.
    """
    on_path: set[int] = set()
    done: set[int] = set()
    stack: list[Any] = [(value, "", 0)]
    while stack:
        item = stack.pop()
        if item[0] is _EXIT:
            on_path.discard(item[1])
            done.add(item[1])
            continue
        v, pointer, depth = item
        if v is None or isinstance(v, (str, bool, int)):
            continue
        if isinstance(v, float):
            if not math.isfinite(v):
                name = "NaN" if v != v else ("Infinity" if v > 0 else "-Infinity")
                return pointer, f"{name} is not valid JSON"
            continue
        if not isinstance(v, (dict, list, tuple)):
            return pointer, f"{describe_type(v)} is not a JSON value{_HINTS.get(type(v), '')}"
        ident = id(v)
        if ident in done:
            continue
        if ident in on_path:
            return pointer, "the value contains itself (a cycle); JSON cannot hold one"
        if depth >= max_depth:
            return pointer, f"nested more than {max_depth} levels deep"
        on_path.add(ident)
        stack.append((_EXIT, ident))
        if isinstance(v, dict):
            children = []
            for key, child in v.items():
                if not isinstance(key, str):
                    shown = f" {key!r}" if key is None or isinstance(key, (int, float)) else ""
                    return pointer_join(pointer, key), f"keys must be strings, not {describe_type(key)}{shown}"
                children.append((child, pointer_join(pointer, key), depth + 1))
        else:
            children = [(child, pointer_join(pointer, n), depth + 1) for n, child in enumerate(v)]
        stack.extend(reversed(children))
    return None
