"""Tokens of VTL expressions and the character classes of the template text.

Velocity is lexed modally: template text, references and directive arguments
follow different rules. The parser drives the modes; this module supplies the
expression tokens (inside ``#if( … )``, ``#set( … )``, method arguments, list
and map literals) and the small character-level scanners the parser shares.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
DIRECTIVE_WORD_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
# Numbers: a float needs a '.' with digits on one side, or an exponent.
FLOAT_RE = re.compile(r"-?(?:[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+)")
INT_RE = re.compile(r"-?[0-9]+")
WS_RE = re.compile(r"[ \t\r\n]*")
BLANK_TO_EOL_RE = re.compile(r"[ \t]*(?:\r\n|\n)")
SET_AHEAD_RE = re.compile(r"[ \t]+(?=#set[ \t]*\(|#\{set\}[ \t]*\()")

WORD_OPERATORS = {
    "and": "&&", "or": "||", "not": "!",
    "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">=",
}
SYMBOL_OPERATORS = ("==", "!=", "<=", ">=", "&&", "||", "..", "<", ">", "+", "-", "*", "/", "%", "!", "=")
PUNCTUATION = "()[]{},:"


@dataclass(frozen=True)
class Token:
    """One expression token; ``kind`` is one of the names below, ``pos`` a source offset."""

    kind: str  # INT FLOAT DSTRING SSTRING REF WORD OP PUNCT EOF ERROR
    value: str
    pos: int
    end: int


def skip_ws(src: str, pos: int) -> int:
    """Skip spaces, tabs and line breaks (all are insignificant inside directive arguments)."""
    return WS_RE.match(src, pos).end()


def scan_token(src: str, pos: int) -> Token:
    """The expression token at ``pos`` (whitespace must already be skipped)."""
    n = len(src)
    if pos >= n:
        return Token("EOF", "", pos, pos)
    c = src[pos]
    if c == "$":
        return Token("REF", "$", pos, pos + 1)
    if c == '"' or c == "'":
        end = _scan_string(src, pos, c)
        if end < 0:
            return Token("ERROR", "unterminated string literal", pos, n)
        return Token("DSTRING" if c == '"' else "SSTRING", src[pos + 1:end - 1].replace(c + c, c), pos, end)
    if c.isdigit() or (c in "-." and pos + 1 < n and src[pos + 1].isdigit()):
        m = FLOAT_RE.match(src, pos)
        # "1..3" is a range, not the float "1." followed by ".3"
        if m and not (src.startswith("..", m.end() - 1) and m.group().endswith(".")):
            return Token("FLOAT", m.group(), pos, m.end())
        m = INT_RE.match(src, pos)
        if m:
            return Token("INT", m.group(), pos, m.end())
    if c.isalpha() or c == "_":
        m = IDENT_RE.match(src, pos)
        word = m.group()
        # Word tokens never take hyphens (those belong to reference names only).
        word = re.match(r"[A-Za-z_][A-Za-z0-9_]*", word).group()
        return Token("WORD", word, pos, pos + len(word))
    for op in SYMBOL_OPERATORS:
        if src.startswith(op, pos):
            return Token("OP", op, pos, pos + len(op))
    if c in PUNCTUATION:
        return Token("PUNCT", c, pos, pos + 1)
    return Token("ERROR", f"unexpected character {c!r}", pos, pos + 1)


def _scan_string(src: str, pos: int, quote: str) -> int:
    """End offset (after the closing quote) of the literal at ``pos``; -1 if unterminated.

    A doubled quote stands for one quote character; there are no backslash escapes.
    """
    i = pos + 1
    n = len(src)
    while True:
        j = src.find(quote, i)
        if j < 0:
            return -1
        if j + 1 < n and src[j + 1] == quote:
            i = j + 2
            continue
        return j + 1


def describe(tok: Token) -> str:
    """A token as an error message shows it."""
    if tok.kind == "EOF":
        return "end of template"
    if tok.kind in ("DSTRING", "SSTRING"):
        return "a string literal"
    return repr(tok.value)
