"""Text on the wire: how API Gateway's Java strings become UTF-8 bytes, in one place.

A Java String is UTF-16 and may hold an unpaired surrogate (``$util.parseJson('"\\ud800"')``
makes one, and a request file's ``"\\ud800"`` is one too). Nothing API Gateway
sends can carry it: ``String.getBytes(UTF_8)`` writes ``?`` in its place, and a
high and a low surrogate that meet form one four-byte character. Every place
where vtlgw turns template output, a body, a header or a log line into bytes or
into the text a user sees goes through :func:`java_utf8` or :func:`as_sent`, so
lone surrogates print as ``?`` everywhere and never break an encoder.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["java_utf8", "as_sent", "as_sent_deep", "has_surrogates", "strip_bom", "BOM"]

_SURROGATE = re.compile("[\ud800-\udfff]")

#: The byte order mark a UTF-8 editor may put first (U+FEFF); files vtlgw reads drop it.
BOM = "\ufeff"


def strip_bom(text: str) -> str:
    """``text`` without a leading byte order mark: a template file's BOM is not template text."""
    return text[1:] if text.startswith(BOM) else text


def has_surrogates(text: str) -> bool:
    """Whether ``text`` holds a surrogate code point (paired or not)."""
    return not text.isascii() and _SURROGATE.search(text) is not None


def java_utf8(text: str) -> bytes:
    """``text.getBytes(UTF_8)`` as Java does it: pairs joined, a lone surrogate becomes ``?``."""
    if not has_surrogates(text):
        return text.encode("utf-8")
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return joined.encode("utf-8", "replace")


def as_sent(text: str) -> str:
    """The text that :func:`java_utf8`'s bytes decode to (``text`` itself when it has no surrogates)."""
    if not has_surrogates(text):
        return text
    return java_utf8(text).decode("utf-8")


def as_sent_deep(value: Any) -> Any:
    """:func:`as_sent` applied to every string inside dicts and lists (keys included).

    Containers without a surrogate inside come back as they are; changed ones
    are copied into their own class (the engine's ordered maps and lists).
    Other values are returned unchanged.
    """
    if isinstance(value, str):
        return as_sent(value)
    if isinstance(value, dict):
        items = [(as_sent_deep(k), as_sent_deep(v)) for k, v in value.items()]
        if all(a is k and b is v for (a, b), (k, v) in zip(items, value.items())):
            return value
        try:
            return type(value)(items)
        except TypeError:
            return dict(items)
    if isinstance(value, list):
        values = [as_sent_deep(v) for v in value]
        if all(a is b for a, b in zip(values, value)):
            return value
        try:
            return type(value)(values)
        except TypeError:
            return values
    return value
