"""JSONPath as API Gateway evaluates it (Jayway JsonPath semantics), over the value model.

A path is split into steps here. Members, indexes, wildcards, deep scans,
slices and unions are walked directly; filter expressions (``[?(…)]``) are
handed to ``jsonpath_ng.ext`` after rewriting Jayway's ``=~ /re/`` form.

*Definite* paths (only members and single indexes) give one value, or
:data:`MISSING`; any other step makes the path *indefinite*, giving a JSON list
of all matches. A union of member names on an object gives a map of those
members, as Jayway does (U20). Anything unsupported raises a
:class:`~vtlgw.vtl.errors.JavaException`, never a wrong value.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from vtlgw.vtl.errors import JavaException


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Step:
    kind: str  # member index wildcard deep slice union filter length
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
                steps.append(Step("deep", None))
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
            if text.startswith("()", i):
                if name != "length":
                    raise JavaException("InvalidPathException",
                                        f"function {name}() is not supported by vtlgw (only length()) in path {path!r}")
                steps.append(Step("length"))
                i += 2
            else:
                steps.append(Step("member", name))
        elif c == "[":
            end, step = _bracket(text, i, path)
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


def _index(node: Any, i: int) -> Any:
    if not isinstance(node, list):
        return MISSING
    if i < 0:
        i += len(node)
    return node[i] if 0 <= i < len(node) else MISSING


def _apply(step: Step, nodes: list) -> list:
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
    elif k == "deep":
        for node in nodes:
            for d in _descendants(node):
                if step.arg is None:
                    if d is not node:
                        out.append(d)
                elif isinstance(d, dict) and step.arg in d:
                    out.append(d[step.arg])
    elif k == "slice":
        start, stop = step.arg
        for node in nodes:
            if isinstance(node, list):
                out.extend(node[slice(start, stop)])
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
            out.extend(_filter(step.arg, node))
    elif k == "length":
        for node in nodes:
            if isinstance(node, (list, dict)):
                out.append(len(node))
    return out


_REGEX_LITERAL_RE = re.compile(r"=~\s*/((?:[^/\\]|\\.)*)/([a-z]*)")


@functools.lru_cache(maxsize=256)
def _filter_expr(expr: str) -> Any:
    """``jsonpath_ng.ext`` parse of ``$[?(expr)]``, with Jayway's ``=~ /re/i`` rewritten."""
    from jsonpath_ng.ext import parse as ext_parse

    if re.search(r"\s(?:nin|in|subsetof|anyof|noneof|size|empty)\s", f" {expr} "):
        raise JavaException("InvalidPathException",
                            f"filter operator in [?({expr})] is not supported by vtlgw")

    def regex(m: re.Match) -> str:
        pattern, flags = m.group(1), m.group(2)
        if flags.replace("i", ""):
            raise JavaException("InvalidPathException", f"regex flags /{flags} are not supported")
        if "i" in flags:
            pattern = "(?i)" + pattern
        return "=~ " + repr(pattern)

    rewritten = _REGEX_LITERAL_RE.sub(regex, expr)
    try:
        return ext_parse(f"$[?({rewritten})]")
    except Exception as exc:  # jsonpath_ng raises several types for bad input
        raise JavaException("InvalidPathException", f"cannot parse filter [?({expr})]: {exc}") from None


def _filter(expr: str, node: Any) -> list:
    if not isinstance(node, (list, dict)):
        return []
    compiled = _filter_expr(expr)
    items = node if isinstance(node, list) else list(node.values())
    try:
        return [m.value for m in compiled.find(list(items))]
    except Exception as exc:
        raise JavaException("InvalidPathException", f"filter [?({expr})] failed: {exc}") from None


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
    for step in steps:
        nodes = _apply(step, nodes)
    if len(steps) == 1 and steps[0].kind == "length" or (steps and steps[-1].kind == "length"
                                                          and all(s.kind in ("member", "index") for s in steps[:-1])):
        return True, nodes[0] if nodes else MISSING
    last = steps[-1] if steps else None
    if last is not None and last.kind == "union" and all(isinstance(k, str) for k in last.arg):
        prefix = CompiledPath(steps[:-1], all(s.kind in ("member", "index") for s in steps[:-1]), path)
        if prefix.definite:
            parent = [data]
            for step in prefix.steps:
                parent = _apply(step, parent)
            if len(parent) == 1 and isinstance(parent[0], dict):
                return True, {k: parent[0][k] for k in last.arg if k in parent[0]}  # U20
    return False, list(nodes)


def select(path: str, data: Any) -> Any:
    """The model value for ``$input.path``: definite → value or None; indefinite → JSON list."""
    definite, result = evaluate(path, data)
    if definite:
        return None if result is MISSING else result
    return result

