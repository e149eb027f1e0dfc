"""A lenient JSON reader for MOCK request templates (docs/integration.md §4, U28).

API Gateway reads ``statusCode`` from the rendered MOCK template with a lenient
JSON parser: unquoted keys, single-quoted strings and trailing commas are
accepted [AWS-rec]; anything after the first value is ignored.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["parse_lenient", "LenientJsonError", "mock_status_code"]


class LenientJsonError(ValueError):
    """Text that is not JSON even by the lenient rules."""


_WS = re.compile(r"(?:\s+|//[^\n]*|/\*.*?\*/)*", re.DOTALL)
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_BARE = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_ESCAPES = {'"': '"', "'": "'", "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, what: str) -> LenientJsonError:
        return LenientJsonError(f"{what} at offset {self.pos}")

    def ws(self) -> None:
        self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def value(self, depth: int = 0) -> Any:
        if depth > 500:
            raise self.fail("nested too deeply")
        self.ws()
        ch = self.peek()
        if ch == "{":
            return self.obj(depth)
        if ch == "[":
            return self.array(depth)
        if ch and ch in "\"'":
            return self.string()
        m = _NUMBER.match(self.text, self.pos)
        if m:
            self.pos = m.end()
            token = m.group()
            return int(token) if re.fullmatch(r"-?[0-9]+", token) else float(token)
        m = _BARE.match(self.text, self.pos)
        if m and m.group() in ("true", "false", "null"):
            self.pos = m.end()
            return {"true": True, "false": False, "null": None}[m.group()]
        raise self.fail("expected a value")

    def string(self) -> str:
        quote = self.text[self.pos]
        self.pos += 1
        out: list[str] = []
        while True:
            if self.pos >= len(self.text):
                raise self.fail("unterminated string")
            ch = self.text[self.pos]
            self.pos += 1
            if ch == quote:
                return "".join(out)
            if ch == "\\":
                esc = self.text[self.pos:self.pos + 1]
                self.pos += 1
                if esc == "u":
                    digits = self.text[self.pos:self.pos + 4]
                    if not re.fullmatch(r"[0-9a-fA-F]{4}", digits):
                        raise self.fail("bad \\u escape")
                    out.append(chr(int(digits, 16)))
                    self.pos += 4
                elif esc in _ESCAPES:
                    out.append(_ESCAPES[esc])
                else:
                    raise self.fail("bad escape")
            else:
                out.append(ch)

    def key(self) -> str:
        ch = self.peek()
        if ch in ("\"", "'") and ch:
            return self.string()
        m = _BARE.match(self.text, self.pos) or re.compile(r"[0-9]+").match(self.text, self.pos)
        if not m:
            raise self.fail("expected a field name")
        self.pos = m.end()
        return m.group()

    def obj(self, depth: int) -> dict[str, Any]:
        self.pos += 1
        result: dict[str, Any] = {}
        while True:
            self.ws()
            if self.peek() == "}":
                self.pos += 1
                return result
            name = self.key()
            self.ws()
            if self.peek() != ":":
                raise self.fail("expected ':'")
            self.pos += 1
            result[name] = self.value(depth + 1)
            self.ws()
            ch = self.peek()
            if ch == ",":
                self.pos += 1
            elif ch == "}":
                self.pos += 1
                return result
            else:
                raise self.fail("expected ',' or '}'")

    def array(self, depth: int) -> list[Any]:
        self.pos += 1
        result: list[Any] = []
        while True:
            self.ws()
            if self.peek() == "]":
                self.pos += 1
                return result
            result.append(self.value(depth + 1))
            self.ws()
            ch = self.peek()
            if ch == ",":
                self.pos += 1
            elif ch == "]":
                self.pos += 1
                return result
            else:
                raise self.fail("expected ',' or ']'")


def parse_lenient(text: str) -> Any:
    """The first JSON value of ``text`` under the lenient rules; raises LenientJsonError."""
    return _Parser(text).value()


_DIGITS = re.compile(r"\s*[0-9]+\s*")


def mock_status_code(text: str) -> int | None:
    """The integer ``statusCode`` of a rendered MOCK template (an int or a numeric string, U28), else None."""
    try:
        data = parse_lenient(text)
    except LenientJsonError:
        return None
    if not isinstance(data, dict):
        return None
    value = data.get("statusCode")
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        return int(value)
    return None
