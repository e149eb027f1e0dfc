"""Where values sit in a JSON text, by JSON pointer: the one position index of request files and definitions.

``json`` gives the data but no positions. :class:`JsonPositions` scans the
same text when a position is first asked for, never before: loading a file
that needs no error or warning costs nothing here. The scan is iterative
(any nesting depth), keeps one ``(start, end, key start)`` triple per value
and turns offsets into ``line:col`` only for the values asked about, so its
memory grows with the number of values indexed, never with what ``json``
holds besides. Values under a pointer given as ``opaque`` (a request's
``/body``) are not indexed at all: only their own span is kept.
"""

from __future__ import annotations

import functools
import json
import re
from array import array
from bisect import bisect_right
from typing import Iterable, Iterator

__all__ = ["JsonPositions", "Span", "join_pointer", "escape_token", "nesting_offset", "deepest"]

# One token of a valid JSON text (Python's extensions NaN and Infinity included); whitespace is skipped.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\],:]|[^\s{}\[\],:"]+', re.S)

Span = tuple  # (start, end, key_start or -1): offsets into the text


def escape_token(token: str | int) -> str:
    """One JSON pointer reference token, escaped (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def join_pointer(pointer: str, token: str | int) -> str:
    return f"{pointer}/{escape_token(token)}"


def _key(token: str) -> str:
    return json.loads(token) if "\\" in token else token[1:-1]




@functools.lru_cache(maxsize=None)
def _blanks_outside_strings():
    """Whitespace between JSON tokens (the ``regex`` package skips strings whole, so ``sub`` stays in C)."""
    import regex

    return regex.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"(*SKIP)(*FAIL)|[ \t\r\n]+', regex.S)


_ESCAPED_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)+"', re.S)
_BRACKETS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[{]|[\]}]', re.S)
# Everything up to the next bracket, strings (and the brackets inside them) included.
_TO_BRACKET = re.compile(r'(?:[^"\[\]{}]+|"[^"\\]*(?:\\.[^"\\]*)*")*', re.S)


def _skip_container(text: str, start: int) -> int:
    """The offset just past the list or map opening at ``start`` (one step per bracket, not per token)."""
    depth = 0
    i = start
    while True:
        c = text[i]
        if c == "[" or c == "{":
            depth += 1
        else:  # "]" or "}"
            depth -= 1
            if not depth:
                return i + 1
        i = _TO_BRACKET.match(text, i + 1).end()


def deepest(text: str) -> tuple[int, int]:
    """The deepest nesting of lists and maps in ``text``, and the offset of the first opener that reaches it."""
    depth = best = 0
    at = 0
    for m in _BRACKETS.finditer(text):
        c = text[m.start()]
        if c == "[" or c == "{":
            depth += 1
            if depth > best:
                best, at = depth, m.start()
        elif c != '"':
            depth -= 1
    return best, at


def nesting_offset(text: str, limit: int) -> int | None:
    """Offset of the first ``[`` or ``{`` nested deeper than ``limit`` levels (None: none is)."""
    depth = 0
    for m in _BRACKETS.finditer(text):
        c = text[m.start()]
        if c == "[" or c == "{":
            depth += 1
            if depth > limit:
                return m.start()
        elif c != '"':
            depth -= 1
    return None


class JsonPositions:
    """The positions of a valid JSON ``text``, indexed on first use."""

    def __init__(self, text: str, *, opaque: Iterable[str] = ()) -> None:
        self.text = text
        self._opaque = frozenset(opaque)
        self._spans: dict[str, Span] | None = None
        self._duplicates: list[tuple[str, Span, Span]] = []
        self._lines: array | None = None
        self._inner: dict[str, dict[str, Span]] = {}

    # ------------------------------------------------------------ queries

    def span(self, pointer: str) -> Span | None:
        """``(start, end, key_start)`` of the value at ``pointer`` (key_start -1: it has no key)."""
        found = self._table().get(pointer)
        if found is None and self._opaque:
            for outer in self._opaque:
                if pointer.startswith(outer + "/"):
                    return self._inside(outer).get(pointer)
        return found

    def _inside(self, outer: str) -> dict[str, Span]:
        """The spans inside an opaque value, scanned on the first question about one of them."""
        inner = self._inner.get(outer)
        if inner is None:
            inner = self._inner[outer] = {}
            span = self._table().get(outer)
            if span is not None:
                self._scan(inner, span[0], span[1], outer, opaque=frozenset(), duplicates=[])
        return inner

    @property
    def duplicates(self) -> list[tuple[str, Span, Span]]:
        """Repeated object keys, in text order: (pointer, its span, the first one's span); only key_start is set."""
        self._table()
        return self._duplicates

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a text offset."""
        if self._lines is None:
            self._lines = array("q", [0])
            self._lines.extend(m.end() for m in re.finditer("\n", self.text))
        i = bisect_right(self._lines, offset) - 1
        return i + 1, offset - self._lines[i] + 1

    def position(self, pointer: str, *, key: bool = False) -> tuple[int, int] | None:
        """``(line, column)`` of the value at ``pointer`` (of its key with ``key``, when it has one)."""
        span = self.span(pointer)
        if span is None:
            return None
        start = span[2] if key and span[2] >= 0 else span[0]
        return self.line_col(start)

    def compact(self, pointer: str) -> str | None:
        """The value's JSON text without whitespace, numbers exactly as written, non-ASCII kept."""
        span = self.span(pointer)
        if span is None:
            return None
        # Whitespace between tokens goes (strings are kept whole, in one pass in C); a string
        # without escapes is already what json.dumps(..., ensure_ascii=False) writes, the others are rewritten.
        out = _blanks_outside_strings().sub("", self.text[span[0]:span[1]])
        if "\\" in out:
            out = _ESCAPED_STRING.sub(lambda m: json.dumps(json.loads(m.group()), ensure_ascii=False), out)
        return out

    # ------------------------------------------------------------ the scan

    def _table(self) -> dict[str, Span]:
        if self._spans is None:
            self._spans = {}
            self._scan(self._spans, 0, len(self.text), "", opaque=self._opaque, duplicates=self._duplicates)
        return self._spans

    def _scan(self, spans: dict[str, Span], begin: int, end: int, pointer: str, *, opaque: frozenset[str],
              duplicates: list[tuple[str, Span, Span]]) -> None:
        """Index the one value in ``text[begin:end]``, whose pointer is ``pointer``."""
        text = self.text
        # An open list or map: [is_map, pointer, start, key_start, next list index, keys seen (maps)].
        stack: list[list] = []
        key_at = -1  # the next value's key offset
        expect_key = False
        tokens: Iterator[re.Match] = _TOKEN.finditer(text, begin, end)
        while True:
            m = next(tokens, None)
            if m is None:
                break
            token = m.group()
            c = token[0]
            if c == "}" or c == "]":
                frame = stack.pop()
                spans[frame[1]] = (frame[2], m.end(), frame[3])
                expect_key = False
                continue
            if expect_key:
                top = stack[-1]
                pointer, key_at = join_pointer(top[1], _key(token)), m.start()
                seen = top[5]
                if pointer in seen:
                    duplicates.append((pointer, (-1, -1, key_at), seen[pointer]))
                seen[pointer] = (-1, -1, key_at)
                expect_key = False
                next(tokens, None)  # the ':'
                continue
            if c == ",":
                top = stack[-1]
                if top[0]:
                    expect_key = True
                else:
                    top[4] += 1
                    pointer, key_at = join_pointer(top[1], top[4]), -1
                continue
            if c == "{" or c == "[":
                if pointer in opaque:
                    after = _skip_container(text, m.start())
                    spans[pointer] = (m.start(), after, key_at)
                    tokens = _TOKEN.finditer(text, after, end)
                    continue
                stack.append([c == "{", pointer, m.start(), key_at, 0, {} if c == "{" else None])
                if c == "{":
                    expect_key = True
                else:
                    pointer, key_at = join_pointer(pointer, 0), -1
                continue
            spans[pointer] = (m.start(), m.end(), key_at)
