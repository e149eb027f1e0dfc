"""The Java methods templates may call, with Java semantics (docs/velocity.md, section 7).

Each table maps a method name to a function ``(st, receiver, args) -> value``.
A function returns :data:`NO_MATCH` when no overload fits the arguments; the
caller turns that, and any name not in the tables, into a nullish result.
Indexes and lengths of Strings count UTF-16 code units, as Java does.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from vtlgw.vtl.errors import JavaException
from vtlgw.vtl.limits import check_collection, string_error
from vtlgw.vtl.values import (
    ArrayList,
    Entry,
    JArray,
    JHashMap,
    JSet,
    OpaqueMap,
    java_equals,
    map_keys,
    text_longer_than,
    to_text,
)

NO_MATCH = object()
INT_MIN, INT_MAX = -(1 << 31), (1 << 31) - 1
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _utf16(s: str) -> str:
    """``s`` with each non-BMP character split into its two surrogates (Java's char view)."""
    if s.isascii() or not _ASTRAL.search(s):
        return s

    def split(m: re.Match) -> str:
        o = ord(m.group()) - 0x10000
        return chr(0xD800 + (o >> 10)) + chr(0xDC00 + (o & 0x3FF))

    return _ASTRAL.sub(split, s)


def _from_utf16(s: str) -> str:
    """Rejoin surrogate pairs produced by :func:`_utf16`; lone surrogates stay."""
    if s.isascii():
        return s
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _is_int(a: Any) -> bool:
    return type(a) is int and INT_MIN <= a <= INT_MAX


def _check(st: Any, s: str) -> str:
    if len(s) > st.limits.max_string_chars:
        raise string_error(st.limits)
    return s


def _npe() -> JavaException:
    return JavaException("NullPointerException", "")


# ------------------------------------------------------------------ String


def _str_length(st, s, a):
    return len(_utf16(s)) if not a else NO_MATCH


def _str_is_empty(st, s, a):
    return len(s) == 0 if not a else NO_MATCH


def _str_char_at(st, s, a):
    if len(a) != 1 or not _is_int(a[0]):
        return NO_MATCH
    u = _utf16(s)
    i = a[0]
    if not 0 <= i < len(u):
        raise JavaException("StringIndexOutOfBoundsException", f"index {i}, length {len(u)}")
    return _from_utf16(u[i])


def _string_arg(a: tuple) -> Any:
    """The single String argument of a ``(CharSequence)`` method; null throws as in Java."""
    if len(a) != 1:
        return NO_MATCH
    if a[0] is None:
        raise _npe()
    return a[0] if type(a[0]) is str else NO_MATCH


def _str_contains(st, s, a):
    arg = _string_arg(a)
    return arg if arg is NO_MATCH else arg in s


def _str_starts_with(st, s, a):
    if len(a) == 1 and type(a[0]) is str:
        return s.startswith(a[0])
    if len(a) == 2 and type(a[0]) is str and _is_int(a[1]):
        u, p = _utf16(s), _utf16(a[0])
        off = a[1]
        return 0 <= off <= len(u) - len(p) and u.startswith(p, off)
    return NO_MATCH


def _str_ends_with(st, s, a):
    if len(a) == 1 and type(a[0]) is str:
        return s.endswith(a[0])
    return NO_MATCH


def _needle(a0: Any) -> str | None:
    if type(a0) is str:
        return _utf16(a0)
    if _is_int(a0) and 0 <= a0 <= 0x10FFFF:
        return _utf16(chr(a0))
    return None


def _str_index_of(st, s, a):
    if not 1 <= len(a) <= 2:
        return NO_MATCH
    needle = _needle(a[0])
    if needle is None or (len(a) == 2 and not _is_int(a[1])):
        return NO_MATCH
    u = _utf16(s)
    start = max(a[1], 0) if len(a) == 2 else 0
    if start > len(u):
        return -1 if needle else len(u) if start >= len(u) else -1
    return u.find(needle, start)


def _str_last_index_of(st, s, a):
    if not 1 <= len(a) <= 2:
        return NO_MATCH
    needle = _needle(a[0])
    if needle is None or (len(a) == 2 and not _is_int(a[1])):
        return NO_MATCH
    u = _utf16(s)
    if len(a) == 2:
        start = a[1]
        if start < 0:
            return -1
        return u.rfind(needle, 0, min(start, len(u) - len(needle)) + len(needle)) if len(needle) <= len(u) else -1
    return u.rfind(needle)


def _str_substring(st, s, a):
    if not 1 <= len(a) <= 2 or not all(_is_int(x) for x in a):
        return NO_MATCH
    u = _utf16(s)
    begin = a[0]
    end = a[1] if len(a) == 2 else len(u)
    if begin < 0 or end > len(u) or begin > end:
        raise JavaException("StringIndexOutOfBoundsException", f"begin {begin}, end {end}, length {len(u)}")
    return _from_utf16(u[begin:end])


def _str_replace(st, s, a):
    if len(a) != 2:
        return NO_MATCH
    if a[0] is None or a[1] is None:
        raise _npe()
    if type(a[0]) is not str or type(a[1]) is not str:
        return NO_MATCH
    if a[0] == "":
        # Java inserts the replacement between every char and at both ends.
        return _check(st, a[1] + a[1].join(s) + a[1]) if s else a[1]
    return _check(st, s.replace(a[0], a[1]))


_compile_java: Callable | None = None


def _regex(st, pattern: str):
    global _compile_java
    if _compile_java is None:  # jregex loads the `regex` package: only when a template needs it
        from vtlgw.vtl.jregex import compile_java

        _compile_java = compile_java
    return _compile_java(pattern)


_LITERAL_REPLACE_ALL: dict[tuple[str, str], Any] = {}
"""(pattern, replacement) -> (literal, text) when ``replaceAll`` is a plain ``str.replace``, else False."""


def _literal_replace_all(pattern: str, replacement: str) -> Any:
    """What :meth:`JavaPattern.replace_all` decides for this pair once and for all (errors raised as it raises them).

    A literal pattern (``\\'``) with a replacement of plain text is ``s.replace(literal, text)``
    there; the pattern and the replacement are parsed once per process anyway (both cached).
    """
    compiled = _regex(None, pattern)
    from vtlgw.vtl.jregex import parse_replacement

    parts = parse_replacement(replacement, compiled.group_count, compiled.group_names)
    literal: Any = False
    if compiled.literal is not None and len(parts) <= 1 and (not parts or parts[0][0] == "text"):
        literal = (compiled.literal, parts[0][1] if parts else "")
    if len(_LITERAL_REPLACE_ALL) < 512:
        _LITERAL_REPLACE_ALL[(pattern, replacement)] = literal
    return literal


def _str_replace_all(st, s, a):
    if len(a) != 2 or type(a[0]) is not str or type(a[1]) is not str:
        return NO_MATCH
    literal = _LITERAL_REPLACE_ALL.get((a[0], a[1]))
    if literal is None:
        literal = _literal_replace_all(a[0], a[1])
    if literal is not False:
        return _check(st, s.replace(literal[0], literal[1]))
    return _check(st, _regex(st, a[0]).replace_all(s, a[1], timeout=st.limits.regex_timeout))


def _str_replace_first(st, s, a):
    if len(a) != 2 or type(a[0]) is not str or type(a[1]) is not str:
        return NO_MATCH
    return _check(st, _regex(st, a[0]).replace_first(s, a[1], timeout=st.limits.regex_timeout))


def _str_matches(st, s, a):
    if len(a) != 1 or type(a[0]) is not str:
        return NO_MATCH
    return _regex(st, a[0]).matches(s, timeout=st.limits.regex_timeout)


def _str_split(st, s, a):
    if not 1 <= len(a) <= 2 or type(a[0]) is not str or (len(a) == 2 and not _is_int(a[1])):
        return NO_MATCH
    limit = a[1] if len(a) == 2 else 0
    parts = _regex(st, a[0]).split(s, limit, timeout=st.limits.regex_timeout)
    check_collection(st.limits, "split() array", len(parts))
    return JArray(parts)


def _str_lower(st, s, a):
    return s.lower() if not a else NO_MATCH


def _str_upper(st, s, a):
    return s.upper() if not a else NO_MATCH


def _str_trim(st, s, a):
    if a:
        return NO_MATCH
    i, j = 0, len(s)
    while i < j and s[i] <= " ":
        i += 1
    while j > i and s[j - 1] <= " ":
        j -= 1
    return s[i:j]


def _str_concat(st, s, a):
    arg = _string_arg(a)
    return arg if arg is NO_MATCH else _check(st, s + arg)


def _equals(st, x, a):
    return java_equals(x, a[0]) if len(a) == 1 else NO_MATCH


def _fold(c: str) -> str:
    return c.upper().lower() if len(c.upper()) == 1 else c.lower()


def _str_equals_ignore_case(st, s, a):
    if len(a) != 1:
        return NO_MATCH
    if type(a[0]) is not str:
        return False if a[0] is None else NO_MATCH
    u, v = _utf16(s), _utf16(a[0])
    return len(u) == len(v) and all(x == y or _fold(x) == _fold(y) for x, y in zip(u, v))


def _compare(u: str, v: str) -> int:
    for x, y in zip(u, v):
        if x != y:
            return ord(x) - ord(y)
    return len(u) - len(v)


def _str_compare_to(st, s, a):
    if len(a) != 1 or type(a[0]) is not str:
        return NO_MATCH
    return _compare(_utf16(s), _utf16(a[0]))


def _str_compare_to_ignore_case(st, s, a):
    if len(a) != 1 or type(a[0]) is not str:
        return NO_MATCH
    return _compare("".join(map(_fold, _utf16(s))), "".join(map(_fold, _utf16(a[0]))))


def _to_string(st, x, a):
    if a:
        return NO_MATCH
    if isinstance(x, (list, dict)) and x and text_longer_than(x, st.limits.max_string_chars):
        raise string_error(st.limits)
    return to_text(x)


STRING_METHODS: dict[str, Callable] = {
    "length": _str_length, "isEmpty": _str_is_empty, "charAt": _str_char_at, "contains": _str_contains,
    "startsWith": _str_starts_with, "endsWith": _str_ends_with, "indexOf": _str_index_of,
    "lastIndexOf": _str_last_index_of, "substring": _str_substring, "replace": _str_replace,
    "replaceAll": _str_replace_all, "replaceFirst": _str_replace_first, "matches": _str_matches,
    "split": _str_split, "toLowerCase": _str_lower, "toUpperCase": _str_upper, "trim": _str_trim,
    "concat": _str_concat, "equals": _equals, "equalsIgnoreCase": _str_equals_ignore_case,
    "compareTo": _str_compare_to, "compareToIgnoreCase": _str_compare_to_ignore_case,
    "toString": _to_string,
}


# ------------------------------------------------------------------ Number and Boolean


def _narrow(x: Any, bits: int) -> int:
    if type(x) is float:
        if x != x:
            return 0
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        if x >= hi:
            return hi
        if x <= lo:
            return lo
        return int(x)
    v = x & ((1 << bits) - 1)
    return v - (1 << bits) if v >> (bits - 1) else v


def _num_int_value(st, x, a):
    return _narrow(x, 32) if not a else NO_MATCH


def _num_long_value(st, x, a):
    return _narrow(x, 64) if not a else NO_MATCH


def _num_double_value(st, x, a):
    if a:
        return NO_MATCH
    try:
        return float(x)
    except OverflowError:
        return float("inf") if x > 0 else float("-inf")


def _num_compare_to(st, x, a):
    if len(a) != 1 or type(a[0]) is not type(x):
        return NO_MATCH
    y = a[0]
    return (x > y) - (x < y)


NUMBER_METHODS: dict[str, Callable] = {
    "toString": _to_string, "intValue": _num_int_value, "longValue": _num_long_value,
    "doubleValue": _num_double_value, "equals": _equals, "compareTo": _num_compare_to,
}

BOOLEAN_METHODS: dict[str, Callable] = {
    "toString": _to_string, "booleanValue": lambda st, x, a: x if not a else NO_MATCH, "equals": _equals,
}


# ------------------------------------------------------------------ List


def _bounds(i: int, size: int) -> JavaException:
    return JavaException("IndexOutOfBoundsException", f"Index {i} out of bounds for length {size}")


def _list_size(st, x, a):
    return len(x) if not a else NO_MATCH


def _list_is_empty(st, x, a):
    return len(x) == 0 if not a else NO_MATCH


def _list_get(st, x, a):
    if len(a) != 1 or not _is_int(a[0]):
        return NO_MATCH
    if not 0 <= a[0] < len(x):
        raise _bounds(a[0], len(x))
    return x[a[0]]


def _list_contains(st, x, a):
    return any(java_equals(e, a[0]) for e in x) if len(a) == 1 else NO_MATCH


def _list_index_of(st, x, a):
    if len(a) != 1:
        return NO_MATCH
    for i, e in enumerate(x):
        if java_equals(e, a[0]):
            return i
    return -1


def _list_last_index_of(st, x, a):
    if len(a) != 1:
        return NO_MATCH
    for i in range(len(x) - 1, -1, -1):
        if java_equals(x[i], a[0]):
            return i
    return -1


def _grow(st, kind: str, size: int, more: int) -> None:
    """Refuse growing a list or map of ``size`` elements by ``more``, before anything is copied."""
    if size + more > st.limits.max_collection_size:
        check_collection(st.limits, kind, size + more)


def _list_add(st, x, a):
    if len(a) == 1:
        _grow(st, "list", len(x), 1)
        x.append(a[0])
        return True
    if len(a) == 2 and _is_int(a[0]):
        if not 0 <= a[0] <= len(x):
            raise _bounds(a[0], len(x))
        _grow(st, "list", len(x), 1)
        x.insert(a[0], a[1])
        return None
    return NO_MATCH


def _list_add_all(st, x, a):
    if len(a) == 1 and isinstance(a[0], (list, dict)):
        _grow(st, "list", len(x), len(a[0]))
        items = list(a[0]) if isinstance(a[0], list) else list(a[0].values())
        x.extend(items)
        return bool(items)
    if len(a) == 2 and _is_int(a[0]) and isinstance(a[1], list):
        if not 0 <= a[0] <= len(x):
            raise _bounds(a[0], len(x))
        _grow(st, "list", len(x), len(a[1]))
        x[a[0]:a[0]] = list(a[1])
        return bool(a[1])
    return NO_MATCH


def _list_set(st, x, a):
    if len(a) != 2 or not _is_int(a[0]):
        return NO_MATCH
    if not 0 <= a[0] < len(x):
        raise _bounds(a[0], len(x))
    old = x[a[0]]
    x[a[0]] = a[1]
    return old


def _list_remove(st, x, a):
    if len(a) != 1:
        return NO_MATCH
    if _is_int(a[0]):
        if not 0 <= a[0] < len(x):
            raise _bounds(a[0], len(x))
        return x.pop(a[0])
    for i, e in enumerate(x):
        if java_equals(e, a[0]):
            del x[i]
            return True
    return False


def _list_clear(st, x, a):
    if a:
        return NO_MATCH
    x.clear()
    return None


def _list_sub_list(st, x, a):
    if len(a) != 2 or not all(_is_int(i) for i in a):
        return NO_MATCH
    lo, hi = a
    if lo < 0:
        raise JavaException("IndexOutOfBoundsException", f"fromIndex = {lo}")
    if hi > len(x):
        raise JavaException("IndexOutOfBoundsException", f"toIndex = {hi}")
    if lo > hi:
        raise JavaException("IllegalArgumentException", f"fromIndex({lo}) > toIndex({hi})")
    return ArrayList(x[lo:hi])


LIST_METHODS: dict[str, Callable] = {
    "size": _list_size, "isEmpty": _list_is_empty, "get": _list_get, "contains": _list_contains,
    "indexOf": _list_index_of, "lastIndexOf": _list_last_index_of, "add": _list_add,
    "addAll": _list_add_all, "set": _list_set, "remove": _list_remove, "clear": _list_clear,
    "subList": _list_sub_list, "equals": _equals, "toString": _to_string,
}
# A String[] is fixed-size; a keySet()/values()/entrySet() view is read-only here.
ARRAY_METHODS = {k: f for k, f in LIST_METHODS.items() if k not in ("add", "addAll", "remove", "clear")}
SET_METHODS = {k: LIST_METHODS[k] for k in ("size", "isEmpty", "contains", "equals", "toString")}


# ------------------------------------------------------------------ Map


def _map_get(st, m, a):
    if len(a) != 1:
        return NO_MATCH
    try:
        return m.get(a[0])
    except TypeError:
        return None


def _map_get_or_default(st, m, a):
    if len(a) != 2:
        return NO_MATCH
    try:
        return m[a[0]] if a[0] in m else a[1]
    except TypeError:
        return a[1]


def _map_contains_key(st, m, a):
    if len(a) != 1:
        return NO_MATCH
    try:
        return a[0] in m
    except TypeError:
        return False


def _map_contains_value(st, m, a):
    return any(java_equals(v, a[0]) for v in m.values()) if len(a) == 1 else NO_MATCH


def _key(k: Any) -> Any:
    try:
        hash(k)
        return k
    except TypeError:
        return to_text(k)


def _map_put(st, m, a):
    if len(a) != 2:
        return NO_MATCH
    k = _key(a[0])
    if len(m) >= st.limits.max_collection_size and k not in m:
        _grow(st, "map", len(m), 1)
    old = m.get(k)
    m[k] = a[1]
    return old


def _map_put_all(st, m, a):
    if len(a) != 1 or not isinstance(a[0], dict):
        return NO_MATCH
    if len(m) + len(a[0]) > st.limits.max_collection_size:
        _grow(st, "map", len(m), sum(1 for k in a[0] if _key(k) not in m))
    for k in map_keys(a[0]):
        m[_key(k)] = a[0][k]
    return None


def _map_put_if_absent(st, m, a):
    if len(a) != 2:
        return NO_MATCH
    k = _key(a[0])
    old = m.get(k)
    if old is None:
        if len(m) >= st.limits.max_collection_size and k not in m:
            _grow(st, "map", len(m), 1)
        m[k] = a[1]
    return old


def _map_remove(st, m, a):
    if len(a) != 1:
        return NO_MATCH
    try:
        return m.pop(a[0], None)
    except TypeError:
        return None


def _map_key_set(st, m, a):
    return JSet(map_keys(m)) if not a else NO_MATCH


def _map_values(st, m, a):
    return JSet(m[k] for k in map_keys(m)) if not a else NO_MATCH


def _map_entry_set(st, m, a):
    return JSet(Entry(k, m[k]) for k in map_keys(m)) if not a else NO_MATCH


def _map_size(st, m, a):
    return len(m) if not a else NO_MATCH


def _map_clear(st, m, a):
    if a:
        return NO_MATCH
    m.clear()
    return None


MAP_METHODS: dict[str, Callable] = {
    "size": _map_size, "isEmpty": _list_is_empty, "get": _map_get, "getOrDefault": _map_get_or_default,
    "containsKey": _map_contains_key, "containsValue": _map_contains_value, "put": _map_put,
    "putAll": _map_put_all, "putIfAbsent": _map_put_if_absent, "remove": _map_remove,
    "keySet": _map_key_set, "values": _map_values, "entrySet": _map_entry_set, "clear": _map_clear,
    "equals": _equals, "toString": _to_string,
}

ENTRY_METHODS: dict[str, Callable] = {
    "getKey": lambda st, e, a: e.key if not a else NO_MATCH,
    "getValue": lambda st, e, a: e.value if not a else NO_MATCH,
    "toString": _to_string, "equals": _equals,
}


# The exact model types and their tables (what table_for answers for each); other types
# (subclasses a host defines) take the general path.
TABLES_BY_TYPE: dict[type, dict[str, Callable]] = {
    str: STRING_METHODS, bool: BOOLEAN_METHODS, int: NUMBER_METHODS, float: NUMBER_METHODS,
    dict: MAP_METHODS, JHashMap: MAP_METHODS, OpaqueMap: MAP_METHODS,
    list: LIST_METHODS, ArrayList: LIST_METHODS, JArray: ARRAY_METHODS, JSet: SET_METHODS, Entry: ENTRY_METHODS,
}


def table_for(x: Any) -> dict[str, Callable] | None:
    """The method table of a value: by exact type, else (subclasses a host defines) by kind."""
    table = TABLES_BY_TYPE.get(type(x))
    if table is not None:
        return table
    if isinstance(x, dict):
        return MAP_METHODS
    if isinstance(x, list):
        if isinstance(x, JSet):
            return SET_METHODS
        if isinstance(x, JArray):
            return ARRAY_METHODS
        return LIST_METHODS
    return None


def methods_named(name: str) -> dict[type, Callable]:
    """Exact type → the function for method ``name``, for call sites that know their name."""
    return {t: table[name] for t, table in TABLES_BY_TYPE.items() if name in table}


def invoke(st: Any, x: Any, name: str, args: tuple) -> Any:
    """Call an allow-listed method; nullish when the method or overload does not exist."""
    table = table_for(x)
    if table is None:
        return None
    fn = table.get(name)
    if fn is None:
        return None
    result = fn(st, x, args)
    return None if result is NO_MATCH else result
