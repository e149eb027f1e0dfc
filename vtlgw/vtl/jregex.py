"""``java.util.regex`` semantics on top of the ``regex`` package.

Templates call ``matches``, ``replaceAll``, ``replaceFirst`` and ``split`` with
Java patterns, and API Gateway matches selection patterns with ``matches()``.
Python's ``re`` differs from Java in ways that change results (``.`` and ``$``
around ``\\r``, ASCII ``\\d``/``\\w``/``\\s``, ``\\z``/``\\Z``, ``\\Q…\\E``,
POSIX classes, class intersections, replacement syntax, ``split`` rules), so
patterns are translated here; the ``regex`` package also gives possessive
quantifiers, atomic groups, nested classes and a timeout against catastrophic
backtracking. Constructs that cannot be translated faithfully raise
``PatternSyntaxException``-style errors rather than matching differently.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import regex

from vtlgw.vtl.errors import JavaException
from vtlgw.vtl.limits import REGEX_TIMEOUT

DEFAULT_TIMEOUT = REGEX_TIMEOUT
_LINE_TERMINATORS = "\\n\\r\\u0085\\u2028\\u2029"
_DOT = f"[^{_LINE_TERMINATORS}]"
_END_BEFORE_FINAL_TERMINATOR = "(?=(?:\\r\\n|[\\n\\r\\u0085\\u2028\\u2029])?\\Z)"

# Java's predefined and POSIX classes (US-ASCII unless UNICODE_CHARACTER_CLASS), as class contents.
_CLASS_BODIES = {
    "d": "0-9", "w": "a-zA-Z0-9_", "s": " \\t\\n\\x0B\\f\\r",
    "h": " \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000",
    "v": "\\n\\x0B\\f\\r\\x85\\u2028\\u2029",
}
_POSIX = {
    "Lower": "a-z", "Upper": "A-Z", "ASCII": "\\x00-\\x7F", "Alpha": "a-zA-Z", "Digit": "0-9",
    "Alnum": "a-zA-Z0-9", "Punct": "!-/:-@\\[-`{-~", "Graph": "!-~", "Print": " -~", "Blank": " \\t",
    "Cntrl": "\\x00-\\x1F\\x7F", "XDigit": "0-9a-fA-F", "Space": " \\t\\n\\x0B\\f\\r",
}
_JAVA_PROPERTIES = {
    "javaLowerCase": "\\p{Ll}", "javaUpperCase": "\\p{Lu}", "javaWhitespace": "\\s",
    "javaMirrored": "\\p{Bidi_Mirrored}", "javaLetter": "\\p{L}", "javaDigit": "\\p{Nd}",
    "javaLetterOrDigit": "[\\p{L}\\p{Nd}]", "javaAlphabetic": "\\p{Alphabetic}",
}


class RegexTimeoutError(JavaException):
    """A regular expression ran past its time budget (catastrophic backtracking, most likely)."""


def _syntax(message: str, pattern: str, index: int) -> JavaException:
    return JavaException("PatternSyntaxException", f"{message} near index {index}\n{pattern}")


@dataclass(frozen=True)
class _Translation:
    source: str
    flags: int
    group_count: int
    group_names: tuple[str, ...]


class _Translator:
    """One pass over a Java pattern producing an equivalent ``regex`` pattern."""

    def __init__(self, pattern: str) -> None:
        self.p = pattern
        self.i = 0
        self.out: list[str] = []
        self.dotall = False
        self.multiline = False
        self.comments = False
        self.unicode_classes = False
        self.unicode_case = False
        self.case_insensitive = False
        self.unix_lines = False
        self.version1 = False
        self.groups = 0
        self.names: list[str] = []
        self.scopes = [0]  # per open group: how many "(?flags:" a mid-pattern (?flags) opened
        self.scope_flags: list[list[str]] = [[]]

    def error(self, message: str, index: int | None = None) -> JavaException:
        return _syntax(message, self.p, self.i if index is None else index)

    def run(self) -> _Translation:
        p = self.p
        n = len(p)
        while self.i < n:
            c = p[self.i]
            if c == "\\":
                self.out.append(self.escape(in_class=False))
            elif c == "[":
                self.out.append(self.char_class())
            elif c == ".":
                self.out.append("(?s:.)" if self.dotall else "[^\\n]" if self.unix_lines else _DOT)
                self.i += 1
            elif c == "$":
                if self.unix_lines:
                    self.out.append("(?=\\n|\\Z)" if self.multiline else "(?=\\n?\\Z)")
                elif self.multiline:
                    # before any line terminator (not inside \r\n) or at the end
                    self.out.append("(?:(?=[\\r\\u0085\\u2028\\u2029]|\\Z)|(?<!\\r)(?=\\n))")
                else:
                    self.out.append(_END_BEFORE_FINAL_TERMINATOR)
                self.i += 1
            elif c == "^":
                if self.multiline:
                    # at the start, or after a line terminator that is not the input's last character
                    after = "(?<=\\n)" if self.unix_lines else "(?:(?<=[\\n\\u0085\\u2028\\u2029])|(?<=\\r)(?!\\n))"
                    self.out.append(f"(?:\\A|{after}(?!\\Z))")
                else:
                    self.out.append("\\A")
                self.i += 1
            elif c == "(":
                self.group_open()
            elif c == ")":
                if len(self.scopes) == 1:
                    raise self.error("Unmatched closing ')'", self.i - 1 if self.i else 0)
                self.out.append(")" * self.scopes.pop())
                self.scope_flags.pop()
                self.out.append(")")
                self.i += 1
            elif c == "|":
                # a mid-group (?i) covers every later alternative: close and reopen its scope around "|"
                flags = self.scope_flags[-1]
                self.out.append(")" * len(flags) + "|" + "".join(f"(?{f}:" for f in flags))
                self.i += 1
            elif c == "#" and self.comments:
                end = p.find("\n", self.i)
                self.i = n if end < 0 else end + 1
            elif c in " \t\n\r\f\x0b" and self.comments:
                self.i += 1
            elif c == "{":
                # Java has no literal "{": it opens a counted closure or the pattern is wrong
                m = _COUNTED.match(p, self.i)
                if m is None:
                    digit = self.i + 1 < n and "0" <= p[self.i + 1] <= "9"
                    raise self.error("Unclosed counted closure" if digit else "Illegal repetition", self.i)
                self.out.append(m.group())
                self.i = m.end()
            else:
                self.out.append(c)
                self.i += 1
        if len(self.scopes) > 1:
            raise self.error("Unclosed group", n)
        self.out.append(")" * self.scopes[0])
        flags = regex.V1 if self.version1 else regex.V0
        if self.case_insensitive and not self.unicode_case:
            flags |= regex.ASCII  # Java's (?i) folds ASCII letters only, unless (?u) is on
        return _Translation("".join(self.out), flags, self.groups, tuple(self.names))

    # ------------------------------------------------------------ groups and flags

    def group_open(self) -> None:
        p = self.p
        i = self.i
        if not p.startswith("(?", i):
            self.groups += 1
            self.out.append("(")
            self.i += 1
            self._push()
            return
        rest = p[i + 2:i + 3]
        if rest == "<" and p[i + 3:i + 4] not in ("=", "!"):
            end = p.find(">", i)
            name = p[i + 3:end] if end > 0 else ""
            if not name or not (name[0].isalpha() and name.isalnum() and name.isascii()):
                raise self.error("named capturing group is missing trailing '>'" if end < 0 else
                                 "capturing group name does not start with a Latin letter", i + 3)
            self.groups += 1
            self.names.append(name)
            self.out.append(f"(?P<{name}>")
            self.i = end + 1
            self._push()
            return
        if rest in (":", "=", "!", ">") or p.startswith("(?<=", i) or p.startswith("(?<!", i):
            length = 4 if p.startswith(("(?<=", "(?<!"), i) else 3
            self.out.append(p[i:i + length])
            self.i = i + length
            self._push()
            return
        # inline flags: (?idmsuxU-idmsuxU) or (?flags:...)
        j = i + 2
        on = True
        while j < len(p) and p[j] not in ":)":
            ch = p[j]
            if ch == "-":
                on = False
            elif ch == "s":
                self.dotall = on
            elif ch == "m":
                self.multiline = on
            elif ch == "x":
                self.comments = on
            elif ch == "U":
                self.unicode_classes = on
            elif ch == "d":
                self.unix_lines = on
            elif ch == "i":
                self.case_insensitive = self.case_insensitive or on
            elif ch == "u":
                self.unicode_case = self.unicode_case or on
            else:
                raise self.error("Unknown inline modifier", j)
            j += 1
        if j >= len(p):
            raise self.error("Unknown group type", i)
        flags = "".join(ch for ch in p[i + 2:j] if ch in "i-")
        flags = flags.rstrip("-")
        flags = "" if flags.replace("-", "") == "" else flags
        if p[j] == ")":
            if flags:
                # (?i) mid-pattern: scope it to the rest of the enclosing group
                self.out.append(f"(?{flags}:")
                self.scopes[-1] += 1
                self.scope_flags[-1].append(flags)
            self.i = j + 1
            return
        self.out.append(f"(?{flags}:" if flags else "(?:")
        self.i = j + 1
        self._push()

    def _push(self) -> None:
        self.scopes.append(0)
        self.scope_flags.append([])

    # ------------------------------------------------------------ escapes

    def escape(self, in_class: bool) -> str:
        p = self.p
        i = self.i
        if i + 1 >= len(p):
            raise self.error("Unexpected internal error", i + 1)
        c = p[i + 1]
        self.i = i + 2
        if c == "Q":
            end = p.find("\\E", self.i)
            literal = p[self.i:] if end < 0 else p[self.i:end]
            self.i = len(p) if end < 0 else end + 2
            return "".join(_escape_char(ch, in_class) for ch in literal)
        lower = c.lower()
        if lower in _CLASS_BODIES and not (c == "v" and False):
            body = _CLASS_BODIES[lower]
            if lower in "dws" and self.unicode_classes:
                return "\\" + c
            if in_class:
                if c.isupper():
                    self.version1 = True
                    return f"[^{body}]"
                return body
            return f"[^{body}]" if c.isupper() else f"[{body}]"
        if c in "pP":
            return self.property(c == "P", in_class)
        if c == "z":
            return "\\Z"
        if c == "Z":
            return _END_BEFORE_FINAL_TERMINATOR
        if c in "AGbB":
            if in_class:
                raise self.error("Illegal/unsupported escape sequence", i + 1)
            return "\\" + c
        if c == "R":
            return "(?:\\r\\n|[\\n\\x0B\\f\\r\\x85\\u2028\\u2029])"
        if c == "x":
            if p.startswith("{", self.i):
                end = p.find("}", self.i)
                if end < 0:
                    raise self.error("Unclosed hexadecimal escape sequence")
                code = int(p[self.i + 1:end], 16)
                self.i = end + 1
                return _escape_char(chr(code), in_class)
            digits = p[self.i:self.i + 2]
            if len(digits) < 2 or any(d not in "0123456789abcdefABCDEF" for d in digits):
                raise self.error("Illegal hexadecimal escape sequence")
            self.i += 2
            return _escape_char(chr(int(digits, 16)), in_class)
        if c == "u":
            digits = p[self.i:self.i + 4]
            if len(digits) < 4 or any(d not in "0123456789abcdefABCDEF" for d in digits):
                raise self.error("Illegal Unicode escape sequence")
            self.i += 4
            return _escape_char(chr(int(digits, 16)), in_class)
        if c == "0":
            j = self.i
            while j < len(p) and j < self.i + 3 and p[j] in "01234567":
                j += 1
            if j == self.i:
                raise self.error("Illegal octal escape sequence")
            value = int(p[self.i:j], 8)
            if value > 0o377:
                j -= 1
                value = int(p[self.i:j], 8)
            self.i = j
            return _escape_char(chr(value), in_class)
        if c == "c":
            if self.i >= len(p):
                raise self.error("Illegal control escape sequence")
            ch = p[self.i]
            self.i += 1
            return _escape_char(chr(ord(ch) ^ 64), in_class)
        if c in "tnrfae":
            return {"t": "\\t", "n": "\\n", "r": "\\r", "f": "\\f", "a": "\\x07", "e": "\\x1b"}[c]
        if "0" <= c <= "9":
            if in_class:
                raise self.error("Illegal/unsupported escape sequence", i + 1)
            j = self.i
            ref = int(c)
            while j < len(p) and "0" <= p[j] <= "9" and int(str(ref) + p[j]) <= self.groups:
                ref = int(str(ref) + p[j])
                j += 1
            self.i = j
            return f"(?:\\{ref})"
        if c == "k":
            if not p.startswith("<", self.i) or p.find(">", self.i) < 0:
                raise self.error("\\k is not followed by '<' for named capturing group")
            end = p.find(">", self.i)
            name = p[self.i + 1:end]
            self.i = end + 1
            return f"(?P={name})"
        if c.isalpha():
            raise self.error("Illegal/unsupported escape sequence", i + 1)
        return _escape_char(c, in_class)

    def property(self, negate: bool, in_class: bool) -> str:
        p = self.p
        if p.startswith("{", self.i):
            end = p.find("}", self.i)
            if end < 0:
                raise self.error("Unclosed character family")
            name = p[self.i + 1:end]
            self.i = end + 1
        else:
            if self.i >= len(p):
                raise self.error("Illegal character family")
            name = p[self.i]
            self.i += 1
        if name.startswith("Is") and name[2:] in _POSIX:
            name = name[2:]
        if name in _POSIX and not self.unicode_classes:
            body = _POSIX[name]
            if in_class and not negate:
                return body
            if in_class:
                self.version1 = True
            return f"[^{body}]" if negate else f"[{body}]"
        if name in _JAVA_PROPERTIES:
            expr = _JAVA_PROPERTIES[name]
        elif name.startswith("In"):
            expr = f"\\p{{Block={name[2:]}}}"
        elif name.startswith("Is"):
            expr = f"\\p{{{name[2:]}}}"
        else:
            expr = f"\\p{{{name}}}"
        try:
            regex.compile(expr)
        except regex.error:
            raise self.error(f"Unknown character property name {{{name}}}") from None
        if negate:
            if expr.startswith("\\p{"):
                expr = "\\P" + expr[2:]
            else:
                expr = f"[^{expr[1:-1]}]" if expr.startswith("[") else expr
        if in_class and expr.startswith("["):
            self.version1 = True
        if not in_class:
            expr = f"(?u:{expr})"  # Unicode properties stay Unicode even when (?i) needs ASCII folding
        return expr

    # ------------------------------------------------------------ character classes

    def char_class(self) -> str:
        """``[...]`` with Java's nesting and ``&&`` (regex's V1 set syntax)."""
        p = self.p
        self.i += 1
        parts = ["["]
        if p.startswith("^", self.i):
            parts.append("^")
            self.i += 1
        first = True
        while True:
            if self.i >= len(p):
                raise self.error("Unclosed character class", len(p) - 1)
            c = p[self.i]
            if c == "]" and not first:
                self.i += 1
                parts.append("]")
                return "".join(parts)
            if c == "[":
                self.version1 = True
                parts.append(self.char_class())
            elif c == "&" and p.startswith("&&", self.i):
                self.version1 = True
                parts.append("&&")
                self.i += 2
            elif c == "\\":
                parts.append(self.escape(in_class=True))
            elif c == "]" and first:
                parts.append("\\]")
                self.i += 1
            else:
                if c in "[]-" and c != "-":
                    parts.append("\\" + c)
                else:
                    parts.append(_escape_char(c, True) if c in "\\^" else c)
                self.i += 1
            first = False


def _escape_char(ch: str, in_class: bool) -> str:
    if ch.isalnum() or ch == "_" or (ord(ch) > 127):
        return ch
    if ch in "\n":
        return "\\n"
    return "\\" + ch


@dataclass(frozen=True)
class JavaPattern:
    """A compiled Java pattern."""

    pattern: str
    compiled: Any
    group_count: int
    group_names: tuple[str, ...]
    literal: str | None = None
    """The text the pattern matches when it is a plain literal (``\\'``, ``a.b`` escaped …)."""

    def _run(self, fn: Any, *args: Any, timeout: float | None) -> Any:
        try:
            return fn(*args, timeout=DEFAULT_TIMEOUT if timeout is None else timeout)
        except TimeoutError:
            raise RegexTimeoutError(
                "RegexTimeout",
                f"regular expression {self.pattern!r} took longer than "
                f"{DEFAULT_TIMEOUT if timeout is None else timeout} s (catastrophic backtracking?)") from None

    def matches(self, s: str, *, timeout: float | None = None) -> bool:
        """Whole-string match (``String.matches``, ``Matcher.matches``)."""
        return self._run(self.compiled.fullmatch, s, timeout=timeout) is not None

    def find(self, s: str, *, timeout: float | None = None) -> bool:
        return self._run(self.compiled.search, s, timeout=timeout) is not None

    def _matches_iter(self, s: str, timeout: float | None) -> list:
        return self._run(lambda text, timeout: list(self.compiled.finditer(text, timeout=timeout)), s,
                         timeout=timeout)

    def replace_all(self, s: str, replacement: str, *, timeout: float | None = None) -> str:
        return self._replace(s, replacement, timeout, first_only=False)

    def replace_first(self, s: str, replacement: str, *, timeout: float | None = None) -> str:
        return self._replace(s, replacement, timeout, first_only=True)

    def _replace(self, s: str, replacement: str, timeout: float | None, first_only: bool) -> str:
        parts = parse_replacement(replacement, self.group_count, self.group_names)
        if self.literal is not None and len(parts) <= 1 and (not parts or parts[0][0] == "text"):
            # The commonest template idiom (``.replaceAll("\\'", "'")``) needs no regex engine.
            return s.replace(self.literal, parts[0][1] if parts else "", 1 if first_only else -1)
        out: list[str] = []
        last = 0
        for m in self._matches_iter(s, timeout):
            out.append(s[last:m.start()])
            for kind, value in parts:
                if kind == "text":
                    out.append(value)
                else:
                    out.append(m.group(value) or "")
            last = m.end()
            if first_only:
                break
        out.append(s[last:])
        return "".join(out)

    def split(self, s: str, limit: int = 0, *, timeout: float | None = None) -> list[str]:
        """``String.split(regex, limit)``: no leading empty string for a zero-width match at 0."""
        if not s:
            return [""]
        result: list[str] = []
        index = 0
        limited = limit > 0
        matched = False
        for m in self._matches_iter(s, timeout):
            if limited and len(result) >= limit - 1:
                break
            if m.start() == 0 and m.end() == 0:
                continue
            if m.end() == 0 and index == 0:
                continue
            matched = True
            result.append(s[index:m.start()])
            index = m.end()
        if not matched:
            return [s]
        result.append(s[index:])
        if limit == 0:
            while result and result[-1] == "":
                result.pop()
        return result


@functools.lru_cache(maxsize=512)
def parse_replacement(replacement: str, group_count: int, names: tuple[str, ...]) -> list[tuple[str, Any]]:
    """Java's replacement syntax: ``$n``, ``${name}``, ``\\x`` literal; errors as Java throws them."""
    parts: list[tuple[str, Any]] = []
    buf: list[str] = []
    i = 0
    n = len(replacement)
    while i < n:
        c = replacement[i]
        if c == "\\":
            i += 1
            if i >= n:
                raise JavaException("IllegalArgumentException", "character to be escaped is missing")
            buf.append(replacement[i])
            i += 1
        elif c == "$":
            i += 1
            if i >= n:
                raise JavaException("IllegalArgumentException", "Illegal group reference: group index is missing")
            if replacement[i] == "{":
                end = replacement.find("}", i)
                if end < 0:
                    raise JavaException("IllegalArgumentException", "named capturing group is missing trailing '}'")
                name = replacement[i + 1:end]
                if not name or not name[0].isalpha():
                    raise JavaException("IllegalArgumentException",
                                        "named capturing group has 0 length name" if not name else
                                        "capturing group name {" + name + "} starts with digit character")
                if name not in names:
                    raise JavaException("IllegalArgumentException", f"No group with name {{{name}}}")
                ref: Any = name
                i = end + 1
            elif "0" <= replacement[i] <= "9":
                ref = int(replacement[i])
                if ref > group_count:
                    raise JavaException("IndexOutOfBoundsException", f"No group {ref}")
                i += 1
                while i < n and "0" <= replacement[i] <= "9" and ref * 10 + int(replacement[i]) <= group_count:
                    ref = ref * 10 + int(replacement[i])
                    i += 1
            else:
                raise JavaException("IllegalArgumentException", "Illegal group reference")
            if buf:
                parts.append(("text", "".join(buf)))
                buf = []
            parts.append(("group", ref))
        else:
            buf.append(c)
            i += 1
    if buf:
        parts.append(("text", "".join(buf)))
    return parts


@functools.lru_cache(maxsize=512)
def compile_java(pattern: str) -> JavaPattern:
    """Compile a Java regular expression (cached)."""
    translation = _Translator(pattern).run()
    source = translation.source
    try:
        compiled = regex.compile(source, translation.flags)
    except regex.error as exc:
        raise _syntax(str(exc), pattern, exc.pos or 0) from None
    return JavaPattern(pattern, compiled, translation.group_count, translation.group_names,
                       _literal_text(pattern))


_COUNTED = regex.compile(r"\{[0-9]+(?:,[0-9]*)?\}")
_META = frozenset("\\^$.|?*+()[]{}")


def _literal_text(pattern: str) -> str | None:
    """The text a Java pattern matches if it is a non-empty literal: plain characters and
    backslash-escaped ASCII punctuation only; else ``None``."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 >= n:
                return None
            e = pattern[i + 1]
            if not (e.isascii() and not e.isalnum() and e.isprintable() and e != " "):
                return None
            out.append(e)
            i += 2
        elif c in _META:
            return None
        else:
            out.append(c)
            i += 1
    return "".join(out) or None
