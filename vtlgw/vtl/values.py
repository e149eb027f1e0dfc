"""The Java value model that templates see, mapped onto Python types.

API Gateway runs Velocity on the JVM, so every value prints with its Java
``toString``. The mapping is chosen so that ``json.loads`` output needs no
conversion:

============================  ==========================  =====================
Java                          Python                      prints as
============================  ==========================  =====================
String                        ``str``                     raw text
Integer / Long / BigInteger   ``int``                     ``42``
Double                        ``float``                   ``2.0``, ``1.0E-4``
Boolean                       ``bool``                    ``true``
JSON object, map literal      ``dict`` (insertion order)  ``{k=v, k2=v2}``
JSON array                    ``list`` (exactly)          compact JSON
ArrayList (literal, range)    :class:`ArrayList`          ``[1, two]``
``String[]`` from ``split``   :class:`JArray`             ``[a, b]`` (U08)
``keySet()`` and friends      :class:`JSet`               ``[a, b]``
HashMap (``$context`` …)      :class:`JHashMap`           Java hash order
Map.Entry                     :class:`Entry`              ``k=v``
null                          ``None``                    (nullish)
============================  ==========================  =====================

Objects a host exposes (``$input``, ``$util``) derive from :class:`HostObject`;
nothing else from Python is ever reachable from a template.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator

class ArrayList(list):
    """A Java ``ArrayList``: list literals, ranges, ``subList``. Prints ``[a, b]``."""

    __slots__ = ()


class JArray(ArrayList):
    """A Java ``String[]`` (from ``split``). AWS prints a JVM object id; we print a list (U08)."""

    __slots__ = ()


class JSet(ArrayList):
    """A Java ``Set``/``Collection`` view (``keySet()``, ``values()``, ``entrySet()``)."""

    __slots__ = ()


class JHashMap(dict):
    """A Java ``HashMap``: iterates and prints in Java's bucket order, not insertion order.

    API Gateway builds ``$context``, ``$context.identity`` and ``$input.params()``
    as HashMaps, so ``keySet()`` order is that of ``java.util.HashMap``.
    """

    __slots__ = ()

    def java_keys(self) -> list:
        return java_hash_order(list(dict.keys(self)))


class OpaqueMap(JHashMap):
    """A HashMap that prints as ``""`` (the nested ``$context`` maps on AWS); members print normally."""

    __slots__ = ()


class Entry:
    """A ``Map.Entry`` from ``entrySet()``: ``key``/``value``, prints ``k=v``."""

    __slots__ = ("key", "value")

    def __init__(self, key: Any, value: Any) -> None:
        self.key = key
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entry) and java_equals(self.key, other.key) and java_equals(self.value, other.value)

    def __hash__(self) -> int:
        return hash(self.key)


class HostObject:
    """Base for objects the host exposes to templates (``$input``, ``$util`` …).

    The engine's only ways in are these three methods; a subclass answers for
    the names it allows and returns ``None`` (nullish) for everything else.
    To report a Java exception, raise :class:`vtlgw.vtl.errors.JavaException`.
    """

    __slots__ = ()

    def vtl_get(self, name: str) -> Any:
        """Property access ``$obj.name``."""
        return None

    @classmethod
    def vtl_method(cls, name: str, argc: int) -> Callable[..., Any] | None:
        """The function behind ``$obj.name(…)`` with ``argc`` arguments, or ``None``.

        It is called as ``fn(obj, *args)``. Compiled templates look it up once
        per class and call site, so the answer may depend only on the class,
        the name and the count.
        """
        return None

    def vtl_call(self, name: str, args: list) -> Any:
        """Method call ``$obj.name(args)``; ``None`` if there is no such method."""
        fn = type(self).vtl_method(name, len(args))
        return None if fn is None else fn(self, *args)

    def vtl_str(self) -> str:
        """How a bare ``$obj`` prints."""
        return ""


# --------------------------------------------------------------------------
# Java HashMap iteration order


def java_string_hash(s: str) -> int:
    """``String.hashCode`` (over UTF-16 code units), as a signed 32-bit int."""
    h = 0
    if s.isascii():
        for ch in s.encode("ascii"):
            h = (31 * h + ch) & 0xFFFFFFFF
    else:
        data = s.encode("utf-16-le", "surrogatepass")
        for i in range(0, len(data), 2):
            h = (31 * h + (data[i] | (data[i + 1] << 8))) & 0xFFFFFFFF
    return h - (1 << 32) if h & 0x80000000 else h


def java_hash_code(key: Any) -> int:
    if key is None:
        return 0
    if isinstance(key, str):
        return java_string_hash(key)
    if isinstance(key, bool):
        return 1231 if key else 1237
    if isinstance(key, int):
        if -(1 << 31) <= key < (1 << 31):
            return key
        v = key & 0xFFFFFFFFFFFFFFFF
        return ((v ^ (v >> 32)) & 0xFFFFFFFF)
    return java_string_hash(to_text(key))


def java_hash_order(keys: list) -> list:
    """Order ``keys`` (given in insertion order) as ``java.util.HashMap`` iterates them."""
    capacity = 16
    while len(keys) > capacity * 3 // 4:
        capacity *= 2
    mask = capacity - 1

    def bucket(key: Any) -> int:
        h = java_hash_code(key) & 0xFFFFFFFF
        return (h ^ (h >> 16)) & mask

    return sorted(keys, key=bucket)  # sorted() is stable: same bucket keeps insertion order


def map_keys(m: dict) -> list:
    """The keys of a map in the order Java iterates them."""
    if isinstance(m, JHashMap):
        return m.java_keys()
    return list(m)


# --------------------------------------------------------------------------
# Printing


#: ``Double.toString`` writes a double without an exponent, as Python's ``repr`` does, exactly when
#: its magnitude is in [PLAIN_DOUBLE_MIN, PLAIN_DOUBLE_MAX): there the two texts are the same.
PLAIN_DOUBLE_MIN = 1e-3
PLAIN_DOUBLE_MAX = 1e7


def java_double_str(d: float) -> str:
    """``Double.toString``: plain between 10^-3 and 10^7, else ``d.dddE±n``; shortest digits."""
    if PLAIN_DOUBLE_MIN <= d < PLAIN_DOUBLE_MAX or -PLAIN_DOUBLE_MAX < d <= -PLAIN_DOUBLE_MIN:
        return repr(d)  # Python's shortest repr is Java's text in this range (no exponent)
    if d != d:
        return "NaN"
    if d in (_INF, -_INF):
        return "Infinity" if d > 0 else "-Infinity"
    if d == 0.0:
        return "-0.0" if math.copysign(1.0, d) < 0 else "0.0"
    sign, digit_tuple, exponent = Decimal(repr(d)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0") or "0"
    exponent += len(digit_tuple) - len(digits)  # value = digits * 10**exponent
    point = len(digits) + exponent  # the decimal point sits after `point` digits
    prefix = "-" if sign else ""
    if PLAIN_DOUBLE_MIN <= abs(d) < PLAIN_DOUBLE_MAX:
        if point <= 0:
            return f"{prefix}0.{'0' * -point}{digits}"
        if point >= len(digits):
            return f"{prefix}{digits}{'0' * (point - len(digits))}.0"
        return f"{prefix}{digits[:point]}.{digits[point:]}"
    return f"{prefix}{digits[0]}.{digits[1:] or '0'}E{point - 1}"


_INF = float("inf")


def to_text(value: Any) -> str:
    """Java ``toString`` of a model value; ``None`` prints as ``null`` (inside collections)."""
    t = type(value)
    if t is str:
        return value
    if t is bool:
        return "true" if value else "false"
    if t is int:
        return str(value)
    if t is float:
        return java_double_str(value)
    if value is None:
        return "null"
    if t is list:
        return json_text(value)
    if t is dict:
        return "{" + ", ".join(f"{to_text(k)}={to_text(v)}" for k, v in value.items()) + "}"
    if isinstance(value, ArrayList):
        return "[" + ", ".join(map(to_text, value)) + "]"
    if isinstance(value, OpaqueMap):
        return ""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{to_text(k)}={to_text(value[k])}" for k in map_keys(value)) + "}"
    if isinstance(value, list):
        return json_text(value)
    if t is Entry:
        return f"{to_text(value.key)}={to_text(value.value)}"
    if isinstance(value, HostObject):
        return value.vtl_str()
    text = getattr(value, "vtl_text", None)
    if text is not None:
        return text()
    return ""


def text_longer_than(value: Any, limit: int) -> bool:
    """Whether the text of a list or map (:func:`to_text`, :func:`json_text`) would be longer than ``limit``.

    Counts a lower bound (strings unescaped, other scalars as one character)
    without building any text, each distinct list or map once: nested lists
    that share their elements (``#set($a = [$a, $a])`` in a loop) print
    exponentially more than they hold, and are caught here before a character
    is written. A list inside itself counts once (printing it fails on its own).
    """
    sizes: dict[int, int] = {}
    open_ids = {id(value)}
    # Open containers: [id, iterator over its elements (a map's keys and values), size so far].
    stack: list[list] = [[id(value), _elements(value), 1 + max(len(value), 1)]]
    while stack:
        frame = stack[-1]
        size = frame[2]
        for e in frame[1]:
            t = type(e)
            if t is str:
                size += len(e)
            elif isinstance(e, (list, dict)):
                key = id(e)
                known = sizes.get(key)
                if known is None:
                    if key in open_ids:
                        continue
                    frame[2] = size
                    open_ids.add(key)
                    stack.append([key, _elements(e), 1 + max(len(e), 1)])
                    break
                size += known
            else:
                size += 1
            if size > limit:
                return True
        else:
            stack.pop()
            open_ids.discard(frame[0])
            sizes[frame[0]] = size
            if size > limit:
                return True
            if stack:
                stack[-1][2] += size
    return False


def _elements(container: Any) -> Iterator[Any]:
    if isinstance(container, dict):
        return (part for pair in container.items() for part in pair)
    return iter(container)


_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def json_quote(s: str) -> str:
    """A JSON string literal escaping only ``"``, ``\\`` and control characters (U16)."""
    if s.isprintable() and '"' not in s and "\\" not in s:
        return f'"{s}"'
    out = []
    for ch in s:
        if ch in _JSON_ESCAPES:
            out.append(_JSON_ESCAPES[ch])
        elif ch < " ":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def json_text(value: Any) -> str:
    """Compact JSON as API Gateway's JSON model prints it (``$input.json``, JSON arrays)."""
    t = type(value)
    if t is str:
        return json_quote(value)
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    if t is int:
        return str(value)
    if t is float:
        return java_double_str(value)
    if isinstance(value, dict):
        if isinstance(value, OpaqueMap):
            keys: Iterable = value.java_keys()
        else:
            keys = map_keys(value)
        return "{" + ",".join(f"{json_quote(to_text(k))}:{json_text(value[k])}" for k in keys) + "}"
    if isinstance(value, list):
        return "[" + ",".join(map(json_text, value)) + "]"
    return json_quote(to_text(value))


# --------------------------------------------------------------------------
# Equality (Java equals, used by contains/indexOf/equals and ==)


def java_equals(a: Any, b: Any) -> bool:
    """``a.equals(b)`` for model values (numbers of different Java classes are not equal)."""
    if a is None or b is None:
        return a is None and b is None
    ta, tb = type(a), type(b)
    if ta is bool or tb is bool:
        return ta is tb and a == b
    if ta is float or tb is float:
        return ta is tb and a == b
    if isinstance(a, int) and isinstance(b, int):
        return a == b and _int_class(a) == _int_class(b)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(java_equals(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(k in b and java_equals(v, b[k]) for k, v in a.items())
    if ta is not tb and not (isinstance(a, str) and isinstance(b, str)):
        return False
    return a == b


def _int_class(n: int) -> int:
    if -(1 << 31) <= n < (1 << 31):
        return 0
    if -(1 << 63) <= n < (1 << 63):
        return 1
    return 2


def iter_values(value: Any) -> Iterator[Any] | None:
    """What ``#foreach`` walks: list elements, a map's values; ``None`` if not iterable."""
    if isinstance(value, list):
        return iter(value)
    if isinstance(value, dict):
        if isinstance(value, JHashMap):
            return iter([value[k] for k in value.java_keys()])
        return iter(list(value.values()))
    return None


def from_python(value: Any) -> Any:
    """Convert host-supplied Python data into the model (Python lists become ArrayLists)."""
    if value is None or isinstance(value, (str, bool, int, float, HostObject, Entry)):
        return value
    if isinstance(value, dict):
        return {k: from_python(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return ArrayList(from_python(v) for v in value)
    raise TypeError(f"cannot pass a {type(value).__name__} into a template")


def parse_json_text(text: str) -> Any:
    """Parse JSON text into the model (objects → dict, arrays → JSON list). Raises ValueError."""
    return _DECODER.decode(text)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON value {name}")


_DECODER = json.JSONDecoder(parse_constant=_reject_constant)
