"""``$util``: the six helper functions API Gateway gives mapping templates (docs/variables.md §3).

API Gateway implements them in Java, so each function here reproduces the Java
library it stands for, quirks included, rather than the nearest Python one:

- ``escapeJavaScript``: commons-lang 2.6 ``StringEscapeUtils.escapeJavaScript`` (U11)
- ``parseJson``: JSON text into the ``$input.path`` value model (U17)
- ``urlEncode``: ``URLEncoder.encode(s, "UTF-8")``
- ``urlDecode``: ``URLDecoder.decode(s, "UTF-8")`` as in JDK 17 (messages included)
- ``base64Encode``: ``Base64.getEncoder()`` over the UTF-8 bytes
- ``base64Decode``: ``Base64.getDecoder()``, the bytes decoded as UTF-8

A Java String is a sequence of UTF-16 code units, while a Python ``str`` holds
code points and may carry lone surrogates (from ``"\\ud83d"`` in JSON). The
helpers below convert between the two views where Java would see a difference:
pairs split over two Python characters are one character to Java, lone
surrogates become ``?`` when Java encodes to bytes, and indexes in error
messages count code units.

Whatever Java would throw is raised as :class:`JavaException`; the engine adds
the template location, and the pipeline answers 500 (U07).
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata
from typing import Any, Callable

from vtlgw.apigw.wire import java_utf8
from vtlgw.vtl.errors import JavaException
from vtlgw.vtl.values import HostObject, parse_json_text, to_text

__all__ = [
    "APPSYNC_HELPERS",
    "APPSYNC_NAMESPACES",
    "UTIL_FUNCTIONS",
    "Util",
    "base64_decode",
    "base64_encode",
    "escape_javascript",
    "parse_json",
    "url_decode",
    "url_encode",
]

UTIL_FUNCTIONS = frozenset(
    {"escapeJavaScript", "parseJson", "urlEncode", "urlDecode", "base64Encode", "base64Decode"})
"""The only functions ``$util`` has on API Gateway."""

APPSYNC_NAMESPACES = frozenset(
    {"time", "list", "map", "str", "math", "dynamodb", "transform", "rds", "http", "xml"})
"""AppSync ``$util.<ns>.…`` namespaces; nullish on API Gateway (a lint error)."""

APPSYNC_HELPERS = frozenset({
    "toJson", "qr", "quiet", "error", "appendError", "isNull", "isNullOrEmpty", "isNullOrBlank",
    "defaultIfNull", "defaultIfNullOrEmpty", "defaultIfNullOrBlank", "isString", "isNumber",
    "isBoolean", "isList", "isMap", "typeOf", "matches", "autoId", "autoUlid", "unauthorized",
    "validate",
}) | APPSYNC_NAMESPACES
"""AppSync-only ``$util`` names (functions and namespaces) that users carry over by mistake."""

_IAE = "IllegalArgumentException"
_JSON_ERROR = "JsonParseException"
_REPLACEMENT = "\ufffd"

# --------------------------------------------------------------------------
# Java's UTF-16 view of a str

_SURROGATE = re.compile("[\ud800-\udfff]")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _java_chars(s: str) -> str:
    """``s`` as Java holds it: a high+low surrogate pair spread over two code points is one character."""
    if s.isascii() or not _SURROGATE.search(s):
        return s
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _code_units(s: str) -> str:
    """``s`` with each non-BMP character split into its two surrogates, so indexes count Java chars."""
    if s.isascii() or not _ASTRAL.search(s):
        return s

    def split(m: re.Match[str]) -> str:
        o = ord(m.group()) - 0x10000
        return chr(0xD800 + (o >> 10)) + chr(0xDC00 + (o & 0x3FF))

    return _ASTRAL.sub(split, s)


def _utf8_bytes(s: str) -> bytes:
    """``String.getBytes(UTF_8)``: an unpaired surrogate becomes ``?``, as Java's encoder replaces it."""
    return java_utf8(s)


def _java_utf8_decode(data: bytes) -> str:
    """``new String(bytes, UTF_8)``.

    Valid UTF-8 decodes as in Python. Malformed input is replaced the way the
    JDK does it, which is not Python's "maximal subpart" rule in every case:
    an encoded surrogate (``ED A0 80``) is one U+FFFD, not three.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    out: list[str] = []
    n = len(data)
    i = 0
    while i < n:
        b1 = data[i]
        i += 1
        if b1 < 0x80:
            out.append(chr(b1))
        elif 0xC2 <= b1 <= 0xDF:  # two-byte lead
            if i >= n:
                out.append(_REPLACEMENT)
                break
            b2 = data[i]
            if _is_cont(b2):
                out.append(chr(((b1 & 0x1F) << 6) | (b2 & 0x3F)))
                i += 1
            else:
                out.append(_REPLACEMENT)
        elif 0xE0 <= b1 <= 0xEF:  # three-byte lead
            if i + 1 < n:
                b2, b3 = data[i], data[i + 1]
                bad_second = (b1 == 0xE0 and (b2 & 0xE0) == 0x80) or not _is_cont(b2)
                if bad_second or not _is_cont(b3):
                    out.append(_REPLACEMENT)
                    i += 0 if bad_second else 1
                else:
                    cp = ((b1 & 0x0F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F)
                    out.append(_REPLACEMENT if 0xD800 <= cp <= 0xDFFF else chr(cp))
                    i += 2
            elif i < n and ((b1 == 0xE0 and (data[i] & 0xE0) == 0x80) or not _is_cont(data[i])):
                out.append(_REPLACEMENT)
            else:  # a truncated sequence at the end: one replacement for all of it
                out.append(_REPLACEMENT)
                break
        elif 0xF0 <= b1 <= 0xF7:  # four-byte lead (F5..F7 are never valid)
            if i + 2 < n:
                b2, b3, b4 = data[i], data[i + 1], data[i + 2]
                cp = ((b1 & 0x07) << 18) | ((b2 & 0x3F) << 12) | ((b3 & 0x3F) << 6) | (b4 & 0x3F)
                if _is_cont(b2) and _is_cont(b3) and _is_cont(b4) and 0x10000 <= cp <= 0x10FFFF:
                    out.append(chr(cp))
                    i += 3
                else:
                    out.append(_REPLACEMENT)
                    if b1 > 0xF4 or _bad_second_of_four(b1, b2):
                        pass
                    elif not _is_cont(b3):
                        i += 1
                    else:
                        i += 2
            elif b1 > 0xF4 or (i < n and _bad_second_of_four(b1, data[i])):
                out.append(_REPLACEMENT)
            else:
                i += 1
                out.append(_REPLACEMENT)
                if i < n and not _is_cont(data[i]):
                    continue
                break
        else:  # a stray continuation byte, C0, C1, F8..FF
            out.append(_REPLACEMENT)
    return "".join(out)


def _is_cont(b: int) -> bool:
    return b & 0xC0 == 0x80


def _bad_second_of_four(b1: int, b2: int) -> bool:
    return ((b1 == 0xF0 and not 0x90 <= b2 <= 0xBF)
            or (b1 == 0xF4 and b2 & 0xF0 != 0x80)
            or not _is_cont(b2))


# --------------------------------------------------------------------------
# escapeJavaScript


def _ejs_table() -> dict[int, str]:
    table = {c: f"\\u{c:04X}" for c in range(0x20)}
    table.update({0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"})
    table.update({ord("'"): "\\'", ord('"'): '\\"', ord("\\"): "\\\\", ord("/"): "\\/"})
    return table


_EJS_TABLE = _ejs_table()
_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")


def _escape_units(m: re.Match[str]) -> str:
    data = m.group().encode("utf-16-be", "surrogatepass")
    return "".join(f"\\u{data[i]:02X}{data[i + 1]:02X}" for i in range(0, len(data), 2))


def escape_javascript(s: str) -> str:
    """commons-lang 2.6 ``StringEscapeUtils.escapeJavaScript`` (U11).

    Escapes ``' " \\ /``, control characters, and every UTF-16 unit above U+007F
    as ``\\uXXXX`` (uppercase); U+007F itself is left alone.
    """
    if s.isascii() and s.isprintable():
        # No control characters (nor U+007F, which stays as it is either way): four replaces
        # beat a per-character translate table.
        return s.replace("\\", "\\\\").replace("'", "\\'").replace('"', '\\"').replace("/", "\\/")
    out = s.translate(_EJS_TABLE)
    if out.isascii():
        return out
    return _NON_ASCII_RUN.sub(_escape_units, out)


# --------------------------------------------------------------------------
# urlEncode / urlDecode

_URL_UNSAFE_RUN = re.compile(r"[^A-Za-z0-9.\-*_ ]+")
_PERCENT = [f"%{b:02X}" for b in range(256)]


def _percent_run(m: re.Match[str]) -> str:
    return "".join([_PERCENT[b] for b in _utf8_bytes(m.group())])


def url_encode(s: str) -> str:
    """``URLEncoder.encode(s, "UTF-8")``: form encoding, ``*`` kept, ``~`` encoded, space as ``+``."""
    return _URL_UNSAFE_RUN.sub(_percent_run, s).replace(" ", "+")


def _java_hex_digit(ch: str) -> int:
    """``Character.digit(ch, 16)``: ASCII and fullwidth hex letters, and any Unicode decimal digit."""
    o = ord(ch)
    if o < 0x80:
        return _ASCII_HEX.get(o, -1)
    if 0xFF21 <= o <= 0xFF26:
        return o - 0xFF21 + 10
    if 0xFF41 <= o <= 0xFF46:
        return o - 0xFF41 + 10
    return unicodedata.decimal(ch, -1)


_ASCII_HEX = {ord(c): int(c, 16) for c in "0123456789abcdefABCDEF"}


def _url_escape_byte(units: str, i: int) -> int:
    """The byte of the escape ``%xy`` whose digits start at ``units[i]``.

    JDK 17 parses them with ``Integer.parseInt(s, i, i + 2, 16)``, which also takes
    a sign (``%+1`` is byte 1, ``%-1`` is refused) and non-ASCII digits.
    """
    a, b = units[i], units[i + 1]
    if a in "+-":
        d = _java_hex_digit(b)
        if d < 0:
            raise _illegal_hex(1, a + b)
        if a == "-" and d:
            raise JavaException(_IAE, "URLDecoder: Illegal hex characters in escape (%) pattern - negative value")
        return d
    hi = _java_hex_digit(a)
    if hi < 0:
        raise _illegal_hex(0, a + b)
    lo = _java_hex_digit(b)
    if lo < 0:
        raise _illegal_hex(1, a + b)
    return hi * 16 + lo


def _illegal_hex(index: int, pair: str) -> JavaException:
    return JavaException(_IAE, "URLDecoder: Illegal hex characters in escape (%) pattern - "
                               f'Error at index {index} in: "{_java_chars(pair)}"')


def url_decode(s: str) -> str:
    """``URLDecoder.decode(s, "UTF-8")`` as in JDK 17.

    ``+`` is a space; each run of consecutive ``%xy`` escapes is decoded as UTF-8
    with Java's replacement of malformed bytes. A ``%`` without two characters
    after it, or with characters that are not hex digits, throws
    ``IllegalArgumentException`` (U07).
    """
    if "%" not in s:
        return _java_chars(s.replace("+", " "))
    units = _code_units(s)
    n = len(units)
    out: list[str] = []
    i = 0
    while i < n:
        j = units.find("%", i)
        if j < 0:
            out.append(units[i:].replace("+", " "))
            break
        out.append(units[i:j].replace("+", " "))
        i = j
        run = bytearray()
        while i + 2 < n and units[i] == "%":
            run.append(_url_escape_byte(units, i + 1))
            i += 3
        if i < n and units[i] == "%":
            raise JavaException(_IAE, "URLDecoder: Incomplete trailing escape (%) pattern")
        out.append(_java_utf8_decode(bytes(run)))
    return _java_chars("".join(out))


# --------------------------------------------------------------------------
# base64Encode / base64Decode


def base64_encode(s: str) -> str:
    """``Base64.getEncoder().encodeToString(s.getBytes(UTF_8))``: standard alphabet, padded, one line."""
    return base64.b64encode(_utf8_bytes(s)).decode("ascii")


_B64_CLEAN = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?")
_B64_VALUES = [-1] * 256
for _i, _c in enumerate(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"):
    _B64_VALUES[_c] = _i
_B64_VALUES[ord("=")] = -2
del _i, _c


def _latin1_bytes(s: str) -> bytes:
    """``String.getBytes(ISO_8859_1)``, which ``Base64.Decoder.decode(String)`` uses: others become ``?``."""
    return _java_chars(s).encode("latin-1", "replace")


def _java_base64_decode(src: bytes) -> bytes:
    """``Base64.getDecoder().decode(byte[])``, including its exceptions and their messages."""
    n = len(src)
    if n == 0:
        return b""
    if n < 2:
        raise JavaException(_IAE, "Input byte[] should at least have 2 bytes for base64 bytes")
    out = bytearray()
    bits = 0
    shift = 18
    i = 0
    while i < n:
        c = src[i]
        i += 1
        v = _B64_VALUES[c]
        if v == -2:  # '=' ends the data: it must complete a unit of 2 or 3 characters
            if shift == 18 or (shift == 6 and (i == n or src[i] != ord("="))):
                raise JavaException(_IAE, "Input byte array has wrong 4-byte ending unit")
            if shift == 6:
                i += 1
            break
        if v < 0:
            signed = c - 256 if c >= 0x80 else c  # Java formats the signed byte
            text = f"-{-signed:x}" if signed < 0 else f"{signed:x}"
            raise JavaException(_IAE, f"Illegal base64 character {text}")
        bits |= v << shift
        shift -= 6
        if shift < 0:
            out += bytes(((bits >> 16) & 0xFF, (bits >> 8) & 0xFF, bits & 0xFF))
            shift = 18
            bits = 0
    if shift == 6:
        out.append((bits >> 16) & 0xFF)
    elif shift == 0:
        out += bytes(((bits >> 16) & 0xFF, (bits >> 8) & 0xFF))
    elif shift == 12:
        raise JavaException(_IAE, "Last unit does not have enough valid bits")
    if i < n:
        raise JavaException(_IAE, f"Input byte array has incorrect ending byte at {i}")
    return bytes(out)


def base64_decode(s: str) -> str:
    """``new String(Base64.getDecoder().decode(s), UTF_8)``.

    Standard alphabet only, padding optional, no whitespace; anything else
    throws ``IllegalArgumentException`` with the JDK's message (U07).
    """
    if _B64_CLEAN.fullmatch(s):
        data = base64.b64decode(s + "=" * (-len(s) % 4))
    else:
        data = _java_base64_decode(_latin1_bytes(s))
    return _java_utf8_decode(data)


# --------------------------------------------------------------------------
# parseJson

_JSON_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)', re.DOTALL)


def parse_json(s: str) -> Any:
    """Parse JSON text into the ``$input.path`` value model (U17); invalid JSON throws (U07).

    The message names the line and column of the problem, as Jackson's does.
    """
    try:
        return parse_json_text(s)
    except json.JSONDecodeError as exc:
        raise JavaException(_JSON_ERROR, f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    except RecursionError:
        raise JavaException(_JSON_ERROR, "JSON nested too deeply") from None
    except ValueError as exc:  # NaN/Infinity, which JSON does not have; an integer too long to convert
        constants = _JSON_CONSTANT.finditer(s) if str(exc).startswith("invalid JSON value") else ()
        for m in constants:
            if m.group(1):
                line = s.count("\n", 0, m.start()) + 1
                column = m.start() - (s.rfind("\n", 0, m.start()) + 1) + 1
                raise JavaException(
                    _JSON_ERROR, f"Unrecognized token '{m.group(1)}' at line {line}, column {column}") from None
        raise JavaException(_JSON_ERROR, str(exc)) from None


# --------------------------------------------------------------------------
# The $util object


def _text_arg(value: Any) -> str:
    """A ``$util`` argument as the String the function gets (U11).

    Nullish is ``""`` (recorded on AWS); other non-Strings use their template text.
    """
    if value is None:
        return ""
    if type(value) is str:
        return value
    return to_text(value)


_FUNCTIONS = {
    "escapeJavaScript": escape_javascript,
    "parseJson": parse_json,
    "urlEncode": url_encode,
    "urlDecode": url_decode,
    "base64Encode": base64_encode,
    "base64Decode": base64_decode,
}


def _method(fn: Callable[[str], Any]) -> Callable[[Any, Any], Any]:
    def method(util: Any, arg: Any) -> Any:
        return fn(arg if type(arg) is str else _text_arg(arg))

    return method


def _escape_javascript_method(util: Any, arg: Any) -> str:
    """``_method(escape_javascript)`` with the function's common case inline (one call fewer per use)."""
    s = arg if type(arg) is str else _text_arg(arg)
    if s.isascii() and s.isprintable():
        return s.replace("\\", "\\\\").replace("'", "\\'").replace('"', '\\"').replace("/", "\\/")
    return escape_javascript(s)


_METHODS = {name: _method(fn) for name, fn in _FUNCTIONS.items()}
_METHODS["escapeJavaScript"] = _escape_javascript_method


class Util(HostObject):
    """The ``$util`` variable: exactly the six API Gateway functions, one argument each.

    Any other name, AppSync helpers included, and any other argument count is
    nullish, as a missing Java method is. ``$util`` has no properties.
    """

    __slots__ = ()

    def vtl_get(self, name: str) -> Any:
        return None

    @classmethod
    def vtl_method(cls, name: str, argc: int) -> Callable[..., Any] | None:
        return _METHODS.get(name) if argc == 1 else None

    def vtl_str(self) -> str:
        # AWS prints a JVM object id here; nobody can rely on it.
        return ""
