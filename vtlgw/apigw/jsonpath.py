"""JSONPath as API Gateway evaluates it (Jayway JsonPath semantics), over the value model.

A path is split into steps and walked directly: members, indexes, wildcards,
deep scans (``..*`` in Jayway's order), slices, unions and filters
(``[?( … )]`` with ``== != < <= > >= =~ in nin size empty subsetof anyof
noneof && || !``, parentheses, ``@``- and ``$``-relative operands; regexes
follow Java). The differential tests check the
results against Jayway JsonPath itself. (An earlier version delegated filters to
``jsonpath_ng.ext``; its filter grammar does not accept Jayway's ``&&``/``||``
and scans differently, so filters are evaluated here.)

*Definite* paths (only members and single indexes) give one value, or
:data:`MISSING`; any other step makes the path *indefinite*, giving a JSON list
of all matches. A union of member names gives a map of those members per
object, as Jayway does (U20). Anything unsupported raises a
:class:`~vtlgw.vtl.errors.JavaException`, never a wrong value.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from vtlgw.vtl.errors import JavaException
from vtlgw.vtl.values import to_text


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Step:
    kind: str  # member index wildcard deep deepwild deepfilter deepnames slice union filter length
    arg: Any = None


@dataclass(frozen=True)
class CompiledPath:
    steps: tuple[Step, ...]
    definite: bool
    source: str


_NAME_RE = re.compile(r"[^.\[\]()\s]+")
_INT_RE = re.compile(r"-?\d+")
_SLICE_RE = re.compile(r"(-?\d*)\s*:\s*(-?\d*)(?:\s*:\s*(-?\d*))?")


def _invalid(path: str, message: str) -> JavaException:
    return JavaException("InvalidPathException", f"{message} in path {path!r}")


@functools.lru_cache(maxsize=1024)
def compile_path(path: str) -> CompiledPath:
    """Parse a JSONPath once (cached: a parse costs more than a typical render)."""
    text = path.strip()
    i = 0
    if text.startswith("$"):
        i = 1
    elif text.startswith("@"):
        raise _invalid(path, "a path must start with '$'")
    else:
        text = "$." + text if text and not text.startswith("[") else "$" + text  # `num` means `$.num` [C]
        i = 1
    steps: list[Step] = []
    n = len(text)
    while i < n:
        c = text[i]
        if text.startswith("..", i):
            i += 2
            if i < n and text[i] == "*":
                steps.append(Step("deepwild"))
                i += 1
            elif i < n and text[i] == "[":
                steps.append(Step("deep", None))
            else:
                m = _NAME_RE.match(text, i)
                if not m:
                    raise _invalid(path, f"expected a name after '..' at {i}")
                steps.append(Step("deep", m.group()))
                i = m.end()
        elif c == ".":
            i += 1
            if i < n and text[i] == "*":
                steps.append(Step("wildcard"))
                i += 1
                continue
            m = _NAME_RE.match(text, i)
            if not m:
                raise _invalid(path, f"expected a name after '.' at {i}")
            name = m.group()
            i = m.end()
            if text.startswith("(", i):
                close = text.find(")", i)
                if name != "length" or close < 0 or text[i + 1:close].strip():
                    raise JavaException("InvalidPathException",
                                        f"function {name}() is not supported by vtlgw (only length()) in path {path!r}")
                steps.append(Step("length"))
                i = close + 1
            else:
                steps.append(Step("member", name))
        elif c == "[":
            end, step = _bracket(text, i, path)
            if steps and steps[-1] == Step("deep", None) and (
                    step.kind == "filter" or (step.kind == "union" and all(isinstance(k, str) for k in step.arg))):
                # Jayway scans for maps: those the filter accepts, or those that have every name
                steps[-1] = Step("deepfilter" if step.kind == "filter" else "deepnames", step.arg)
            else:
                steps.append(step)
            i = end
        elif c.isspace():
            i += 1
        else:
            raise _invalid(path, f"unexpected {c!r} at {i}")
    definite = all(s.kind in ("member", "index") for s in steps)
    return CompiledPath(tuple(steps), definite, path)


def _bracket(text: str, i: int, path: str) -> tuple[int, Step]:
    """Parse ``[ … ]`` at ``i``; return the offset after ``]`` and the step."""
    j = i + 1
    while j < len(text) and text[j].isspace():
        j += 1
    if text.startswith("?(", j):
        k = _scan(text, j + 1, ")", path)
        close = text.find("]", k)
        if close < 0:
            raise _invalid(path, f"unclosed filter at {i}")
        return close + 1, Step("filter", text[j + 2:k].strip())
    close = _scan(text, j, "]", path)
    inner = text[j:close].strip()
    if inner == "*":
        return close + 1, Step("wildcard")
    parts = _split_union(inner, path)
    if len(parts) > 1:
        keys = [_key(p, path) for p in parts]
        return close + 1, Step("union", tuple(keys))
    if ":" in inner and not inner.startswith(("'", '"')):
        m = _SLICE_RE.fullmatch(inner)
        if not m:
            raise _invalid(path, f"bad slice [{inner}]")
        start, stop, step = (int(g) if g else None for g in m.groups())
        if step is not None and step != 1:
            raise JavaException("InvalidPathException", f"slice steps are not supported in path {path!r}")
        return close + 1, Step("slice", (start, stop))
    key = _key(inner, path)
    return close + 1, Step("index" if isinstance(key, int) else "member", key)


def _scan(text: str, k: int, closer: str, path: str) -> int:
    """Index of the ``closer`` (``]``, or the ``)`` matching the ``(`` at ``k``), skipping quoted text."""
    depth, quote = 0, None
    while k < len(text):
        ch = text[k]
        if quote:
            if ch == "\\":
                k += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif closer == ")" and ch == "(":
            depth += 1
        elif ch == closer:
            depth -= 1
            if depth <= 0:
                return k
        k += 1
    raise _invalid(path, f"unclosed {'(' if closer == ')' else '['}")


def _split_union(inner: str, path: str) -> list[str]:
    parts, buf, quote = [], [], None
    for ch in inner:
        if quote:
            buf.append(ch)
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
            buf.append(ch)
        elif ch == ",":
            parts.append("".join(buf).strip())
            buf = []
        else:
            buf.append(ch)
    parts.append("".join(buf).strip())
    if any(not p for p in parts):
        raise _invalid(path, f"empty element in [{inner}]")
    return parts


def _key(token: str, path: str) -> str | int:
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"":
        return token[1:-1].replace("\\'", "'").replace('\\"', '"')
    if _INT_RE.fullmatch(token):
        return int(token)
    raise _invalid(path, f"expected a quoted name or an index, got [{token}]")


# ------------------------------------------------------------------ evaluation


def _children(node: Any) -> list:
    if isinstance(node, dict):
        return list(node.values())
    if isinstance(node, list):
        return list(node)
    return []


def _descendants(node: Any) -> list:
    """The node and all nodes below it, depth first (Jayway's scan order)."""
    stack = [node]
    result = []
    while stack:
        cur = stack.pop()
        result.append(cur)
        stack.extend(reversed(_children(cur)))
    return result


def _scan_all(node: Any) -> list:
    """``..*`` in Jayway's order: a node's children, then each child's scan in turn."""
    out: list = []
    kids = _children(node)
    out.extend(kids)
    for kid in kids:
        if isinstance(kid, (dict, list)):
            out.extend(_scan_all(kid))
    return out


def _index(node: Any, i: int) -> Any:
    if not isinstance(node, list):
        return MISSING
    if i < 0:
        i += len(node)
    return node[i] if 0 <= i < len(node) else MISSING


def _apply(step: Step, nodes: list, root: Any = None) -> list:
    k = step.kind
    out: list = []
    if k == "member":
        for node in nodes:
            if isinstance(node, dict) and step.arg in node:
                out.append(node[step.arg])
    elif k == "index":
        for node in nodes:
            v = _index(node, step.arg)
            if v is not MISSING:
                out.append(v)
    elif k == "wildcard":
        for node in nodes:
            out.extend(_children(node))
    elif k == "deepwild":
        for node in nodes:
            out.extend(_scan_all(node))
    elif k == "deep":
        for node in nodes:
            for d in _descendants(node):
                if step.arg is None:
                    out.append(d)  # "..[…]": the bracket applies to the node and everything below
                elif isinstance(d, dict) and step.arg in d:
                    out.append(d[step.arg])
    elif k == "slice":
        start, stop = step.arg
        for node in nodes:
            if isinstance(node, list):
                out.extend(node[slice(start, stop)])
    elif k == "union" and all(isinstance(key, str) for key in step.arg):
        for node in nodes:  # names: one map per object, as Jayway does (U20)
            if isinstance(node, dict):
                out.append({key: node[key] for key in step.arg if key in node})
    elif k == "union":
        for node in nodes:
            for key in step.arg:
                if isinstance(key, int):
                    v = _index(node, key)
                    if v is not MISSING:
                        out.append(v)
                elif isinstance(node, dict) and key in node:
                    out.append(node[key])
    elif k == "filter":
        for node in nodes:
            out.extend(_filter(step.arg, node, root))
    elif k == "deepfilter":
        tree = _parse_filter(step.arg)
        for node in nodes:
            out.extend(d for d in _descendants(node) if isinstance(d, dict) and _test(tree, d, root))
    elif k == "deepnames":
        for node in nodes:
            out.extend({key: d[key] for key in step.arg} for d in _descendants(node)
                       if isinstance(d, dict) and all(key in d for key in step.arg))
    elif k == "length":
        for node in nodes:
            if isinstance(node, (list, dict)):
                out.append(len(node))
    return out


# ------------------------------------------------------------------ filters [?( … )]

# Literal tokens, shared by filters and the list literals of in/nin/subsetof/anyof/noneof.
_STR = r"""(?P<str>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_NUM = r"(?P<num>-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)"
_WORD = r"(?P<word>true|false|null)"

_FILTER_TOKEN_RE = re.compile(rf"""\s*(?:
    (?P<op>==|!=|<=|>=|=~|&&|\|\||<|>|!|\(|\)|\b(?:nin|in|size|empty|subsetof|anyof|noneof)\b)
  | (?P<list>\[(?:[^\]'"]|'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")*\])
  | (?P<regex>/(?:[^/\\]|\\.)*/[a-z]*)
  | {_STR} | {_NUM} | {_WORD}
  | (?P<path>[@$](?:\.\.?[A-Za-z_*][\w-]*|\[[^\]]*\]|\.length\(\))*)
)""", re.VERBOSE)


@functools.lru_cache(maxsize=256)
def _parse_filter(expr: str) -> Any:
    """Parse a filter into nested tuples: ("or", a, b), ("and", …), ("not", x), (op, left, right), operands."""
    tokens = []
    i = 0
    while i < len(expr):
        m = _FILTER_TOKEN_RE.match(expr, i)
        if m is None or m.end() == i:
            if expr[i:].strip() == "":
                break
            raise JavaException("InvalidPathException", f"cannot parse filter [?({expr})] at {i}")
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        i = m.end()
    pos = 0

    def peek() -> tuple | None:
        return tokens[pos] if pos < len(tokens) else None

    def take() -> tuple:
        nonlocal pos
        if pos >= len(tokens):
            raise JavaException("InvalidPathException", f"incomplete filter [?({expr})]")
        pos += 1
        return tokens[pos - 1]

    def operand() -> Any:
        kind, text = take()
        if kind == "op" and text == "(":
            inner = disjunction()
            if take() != ("op", ")"):
                raise JavaException("InvalidPathException", f"unbalanced parentheses in [?({expr})]")
            return inner
        if kind == "op" and text == "!":
            return ("not", operand())
        if kind == "path":
            return ("path", text)
        if kind == "str":
            return ("lit", _string_literal(text))
        if kind == "list":
            return ("lit", _list_literal(text, expr))
        if kind in ("num", "word"):
            return ("lit", _scalar_literal(kind, text))
        if kind == "regex":
            body, _, flags = text[1:].rpartition("/")
            if flags.replace("i", ""):
                raise JavaException("InvalidPathException", f"regex flags /{flags} are not supported")
            return ("regex", ("(?i)" if "i" in flags else "") + body)
        raise JavaException("InvalidPathException", f"unexpected {text!r} in filter [?({expr})]")

    def comparison() -> Any:
        left = operand()
        nxt = peek()
        if nxt and nxt[0] == "op" and nxt[1] in ("==", "!=", "<", "<=", ">", ">=", "=~", *_WORD_OPS):
            take()
            return (nxt[1], left, operand())
        return ("exists", left) if left[0] == "path" else left

    def conjunction() -> Any:
        node = comparison()
        while peek() == ("op", "&&"):
            take()
            node = ("and", node, comparison())
        return node

    def disjunction() -> Any:
        node = conjunction()
        while peek() == ("op", "||"):
            take()
            node = ("or", node, conjunction())
        return node

    tree = disjunction()
    if pos != len(tokens):
        raise JavaException("InvalidPathException", f"unexpected {tokens[pos][1]!r} in filter [?({expr})]")
    return tree


_WORD_OPS = ("in", "nin", "size", "empty", "subsetof", "anyof", "noneof")


def _string_literal(text: str) -> str:
    return text[1:-1].replace("\\'", "'").replace('\\"', '"')


def _scalar_literal(kind: str, text: str) -> Any:
    if kind == "num":
        return float(text) if any(c in text for c in ".eE") else int(text)
    return {"true": True, "false": False, "null": None}[text]


_LIST_ITEM_RE = re.compile(rf"""\s*(?:{_STR}|{_NUM}|{_WORD})\s*(?:,|$)""", re.VERBOSE)


def _list_literal(text: str, expr: str) -> list:
    """``['S', 'M', 3]``, the right side of ``in``/``nin``: strings, numbers, booleans, null."""
    inner, items, i = text[1:-1], [], 0
    if not inner.strip():
        return items
    while i < len(inner):
        m = _LIST_ITEM_RE.match(inner, i)
        if m is None or m.end() == i:
            raise JavaException("InvalidPathException", f"cannot parse the list {text} in [?({expr})]")
        kind, token = m.lastgroup, m.group(m.lastgroup)
        items.append(_string_literal(token) if kind == "str" else _scalar_literal(kind, token))
        i = m.end()
    return items


def _same(left: Any, right: Any) -> bool:
    """Jayway's filter equality: same type and value, or equal as numbers (a number and a numeric string too)."""
    if left == right and type(left) is type(right):
        return True
    pair = _as_numbers(left, right)
    return pair is not None and pair[0] == pair[1]


def _as_numbers(left: Any, right: Any) -> tuple[float, float] | None:
    """Both operands as numbers when one is a number and the other a number or a numeric string (Jayway 2.0)."""
    if not (_numeric(left) or _numeric(right)):
        return None
    a = left if _numeric(left) else _number_text(left)
    b = right if _numeric(right) else _number_text(right)
    return None if a is None or b is None else (a, b)


# What Java's BigDecimal(String) reads: no spaces, "nan", "inf", "1_0" or non-ASCII digits, unlike float().
_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _number_text(value: Any) -> float | None:
    if isinstance(value, str) and _DECIMAL_RE.fullmatch(value):
        return float(value)
    return None


def _operand_value(node: Any, item: Any, root: Any) -> Any:
    kind, arg = node[0], node[1]
    if kind == "lit":
        return arg
    if kind == "path":
        base = item if arg.startswith("@") else root
        definite, result = evaluate("$" + arg[1:], base)
        return result if definite else (result if result else MISSING)
    return MISSING


def _numeric(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _test(node: Any, item: Any, root: Any) -> bool:
    kind = node[0]
    if kind == "or":
        return _test(node[1], item, root) or _test(node[2], item, root)
    if kind == "and":
        return _test(node[1], item, root) and _test(node[2], item, root)
    if kind == "not":
        return not _test(node[1], item, root)
    if kind == "exists":
        return _operand_value(node[1], item, root) is not MISSING
    if kind in ("lit", "path"):
        value = _operand_value(node, item, root)
        return value is not MISSING and value is not None and value is not False
    left = _operand_value(node[1], item, root)
    if kind == "=~":
        from vtlgw.vtl.jregex import compile_java

        if _numeric(left):
            left = to_text(left)  # a number is matched as its text
        return isinstance(left, str) and node[2][0] == "regex" and compile_java(node[2][1]).matches(left)
    right = _operand_value(node[2], item, root)
    if left is MISSING or right is MISSING:
        if kind == "nin":  # "not in", as Jayway evaluates it
            return True
        return kind == "!=" and not (left is MISSING and right is MISSING)
    if kind in ("==", "!="):
        same = _same(left, right)
        return same if kind == "==" else not same
    if kind in ("in", "nin"):
        found = isinstance(right, list) and any(_same(left, x) for x in right)
        return found if kind == "in" else not found
    if kind == "size":
        return isinstance(left, (list, str)) and _numeric(right) and len(left) == right
    if kind == "empty":
        return isinstance(left, (list, str)) and isinstance(right, bool) and (len(left) == 0) == right
    if kind in ("subsetof", "anyof", "noneof"):
        if not isinstance(left, list) or not isinstance(right, list):
            return False
        hits = [any(_same(x, y) for y in right) for x in left]
        return all(hits) if kind == "subsetof" else any(hits) if kind == "anyof" else not any(hits)
    pair = _as_numbers(left, right)
    if pair is not None:
        a, b = pair
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[kind]
    if isinstance(left, str) and isinstance(right, str):
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[kind]
    return False


def _filter(expr: str, node: Any, root: Any) -> list:
    """Items of an array for which the filter holds; an object is itself tested (as Jayway does)."""
    tree = _parse_filter(expr)
    if isinstance(node, list):
        return [item for item in node if _test(tree, item, root)]
    if isinstance(node, dict):
        return [node] if _test(tree, node, root) else []
    return []


def evaluate(path: str, data: Any) -> tuple[bool, Any]:
    """Return ``(definite, result)``: a value or MISSING when definite, else a JSON list."""
    compiled = compile_path(path)
    if compiled.definite:
        node = data
        for step in compiled.steps:
            if step.kind == "member":
                if not isinstance(node, dict) or step.arg not in node:
                    return True, MISSING
                node = node[step.arg]
            else:
                node = _index(node, step.arg)
                if node is MISSING:
                    return True, MISSING
        return True, node
    steps = compiled.steps
    nodes = [data]
    index = 0
    while index < len(steps):
        step = steps[index]
        if step.kind == "deep" and step.arg is None and index + 1 < len(steps) and steps[index + 1].kind == "filter":
            # "..[?(…)]": Jayway tests every object below (and scalars in arrays), depth first
            tree = _parse_filter(steps[index + 1].arg)
            found = []
            for node in nodes:
                for d in _descendants(node)[1:]:
                    if isinstance(d, dict) and _test(tree, d, data):
                        found.append(d)
                for d in _descendants(node):
                    if isinstance(d, list):
                        found.extend(x for x in d if not isinstance(x, (dict, list)) and _test(tree, x, data))
            nodes = found
            index += 2
            continue
        nodes = _apply(step, nodes, data)
        index += 1
    if len(steps) == 1 and steps[0].kind == "length" or (steps and steps[-1].kind == "length"
                                                          and all(s.kind in ("member", "index") for s in steps[:-1])):
        return True, nodes[0] if nodes else MISSING
    last = steps[-1] if steps else None
    if last is not None and last.kind == "union" and all(isinstance(k, str) for k in last.arg) and \
            all(st.kind in ("member", "index") for st in steps[:-1]):
        return True, nodes[0] if nodes else MISSING  # $['a','b'] on one object: a map (U20)
    return False, list(nodes)


def select(path: str, data: Any) -> Any:
    """The model value for ``$input.path``: definite → value or None; indefinite → JSON list."""
    definite, result = evaluate(path, data)
    if definite:
        return None if result is MISSING else result
    return result

