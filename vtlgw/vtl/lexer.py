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


@dataclass(slots=True)
class Token:
    """One expression token; ``kind`` is one of the names below, ``pos`` a source offset."""

    kind: str  # INT FLOAT DSTRING SSTRING REF WORD OP PUNCT EOF ERROR
    value: str
    pos: int
    end: int


def skip_ws(src: str, pos: int) -> int:
    """Skip spaces, tabs and line breaks (all are insignificant inside directive arguments)."""
    return WS_RE.match(src, pos).end()


# One alternation, tried in order; a float needs a '.' with digits on one side or an exponent,
# and "1..3" is a range (the integer 1, then "..").
TOKEN_RE = re.compile(
    r"""[ \t\r\n]*(?:(?P<REF>\$)"""
    r"""|(?P<DSTRING>"[^"]*(?:""[^"]*)*")"""
    r"""|(?P<SSTRING>'[^']*(?:''[^']*)*')"""
    r"""|(?P<FLOAT>-?(?:[0-9]+\.(?!\.)[0-9]*(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?|[0-9]+[eE][-+]?[0-9]+))"""
    r"""|(?P<INT>-?[0-9]+)"""
    r"""|(?P<WORD>[A-Za-z_][A-Za-z0-9_]*)"""
    r"""|(?P<OP>==|!=|<=|>=|&&|\|\||\.\.|[<>+\-*/%!=])"""
    r"""|(?P<PUNCT>[()\[\]{},:]))"""
)


def scan_token(src: str, pos: int) -> Token:
    """The expression token at or after ``pos``, skipping spaces, tabs and line breaks."""
    m = TOKEN_RE.match(src, pos)
    if m is None:
        pos = skip_ws(src, pos)
        if pos >= len(src):
            return Token("EOF", "", pos, pos)
        c = src[pos]
        if c in "\"'":
            return Token("ERROR", "unterminated string literal", pos, len(src))
        return Token("ERROR", f"unexpected character {c!r}", pos, pos + 1)
    kind = m.lastgroup
    start = m.start(kind)
    value = m.group(kind)
    if kind == "DSTRING":
        value = value[1:-1].replace('""', '"')
    elif kind == "SSTRING":
        value = value[1:-1].replace("''", "'")
    return Token(kind, value, start, m.end())


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
