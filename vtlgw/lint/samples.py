"""The method requests and backend bodies a template is rendered over when it is linted.

A template is judged over inputs that look like what API Gateway will give
it: an empty body, ``{}``, a body that is not JSON, and bodies synthesised
from the paths the template itself reads (``$input.path('$.a.b')``,
``$util.parseJson($input.body).items`` and the variables set from them). In a
synthesised body every string holds ``'``, ``"``, ``\\``, a newline and a
non-ASCII letter, arrays hold 0, 1 and 2 items, and every ``$input.params``
name is given a value with the same characters.

Each hostile sample has a *benign* twin of the same shape with plain strings.
A failure the twin does not share comes from data (escaping, left to the
static escaping rules); one it shares comes from the template's structure.

A value the template prints bare (``"total": $o.total``) or compares with a
number is synthesised as a number, so a good template is not blamed for data
it expects to be numeric.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from vtlgw.lint.tree import facts, key_path, literal_text
from vtlgw.vtl import nodes as n

__all__ = ["Sample", "Shape", "template_shape", "request_samples", "response_samples", "HOSTILE", "BENIGN"]

#: The string every synthesised leaf holds: what breaks a JSON string when it is not escaped.
HOSTILE = "O'Brien said \"hi\" \\ back\nslash \u00e9t\u00e9"
#: Its benign twin: safe in a JSON string and as a bare value alike.
BENIGN = "1"
#: A number leaf (a value the template prints bare or compares with a number).
NUMBER = 7

_EACH = None  # path segment: every element of an array


class Shape:
    """The structure a template reads from one body: keys, arrays and leaves that must be numbers."""

    __slots__ = ("children", "item", "numeric")

    def __init__(self) -> None:
        self.children: dict[str, Shape] = {}
        self.item: Shape | None = None  # set when the value is iterated or indexed as an array
        self.numeric = False

    def at(self, path: Iterable[str | None]) -> "Shape":
        node = self
        for key in path:
            if key is _EACH:
                if node.item is None:
                    node.item = Shape()
                node = node.item
            else:
                node = node.children.setdefault(key, Shape())
        return node

    def build(self, items: int, string: str) -> Any:
        if self.item is not None:
            return [self.item.build(items, string) for _ in range(items)]
        if self.children:
            return {key: child.build(items, string) for key, child in self.children.items()}
        return NUMBER if self.numeric else string

    @property
    def has_arrays(self) -> bool:
        return self.item is not None or any(c.has_arrays for c in self.children.values())


@dataclass
class TemplateShape:
    """What a template reads: the body's shape, ``$input.params`` names and stage variables."""

    body: Shape = field(default_factory=Shape)
    params: dict[str, set[str]] = field(default_factory=dict)  # section ("" = any) -> names
    stage_variables: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Sample:
    """One input to render a template over; ``benign`` is its twin with plain strings (None: none needed)."""

    label: str
    body: str
    params: dict[str, dict[str, str]] = field(default_factory=dict)  # "path"/"querystring"/"header" -> values
    request: Any = None  # a user's method request (MethodRequest), rendered as given
    benign: "Sample | None" = None

    @property
    def structural(self) -> bool:
        """Whether a failure over this sample is the template's fault whatever the data (no twin to try)."""
        return self.benign is None


# ---------------------------------------------------------------- reading the tree

_PATH_TOKEN = re.compile(r"\.\.|\.([A-Za-z_$][\w$-]*)|\[\s*(?:'([^']*)'|\"([^\"]*)\"|(\*|-?\d+))\s*\]|\.(\*)")


def jsonpath_keys(path: str) -> list[str | None] | None:
    """The keys of a definite JSONPath (``$.a['b'][*].c``); None for one it cannot follow (``..``, filters)."""
    text = path.strip()
    if not text.startswith("$"):
        return None
    keys: list[str | None] = []
    pos = 1
    while pos < len(text):
        m = _PATH_TOKEN.match(text, pos)
        if m is None or m.group(0) == "..":
            return None
        name = m.group(1) or m.group(2) or m.group(3)
        keys.append(name if name is not None else _EACH)
        pos = m.end()
    return keys


class _Reader:
    """One pass over the tree in source order, following the variables that hold parts of the body."""

    def __init__(self) -> None:
        self.shape = TemplateShape()
        self.env: dict[str, list[str | None]] = {}

    def resolve(self, expr: Any) -> list[str | None] | None:
        """The body path an expression reads, or None when it reads none."""
        if isinstance(expr, n.Paren):
            return self.resolve(expr.inner)
        if not isinstance(expr, n.Ref):
            return None
        parts = expr.parts
        if expr.name == "input" and parts:
            first = parts[0]
            if isinstance(first, n.Call) and first.name in ("path", "json") and len(first.args) == 1:
                path = literal_text(first.args[0])
                keys = jsonpath_keys(path) if path is not None else None
                return None if keys is None else keys + key_path(parts[1:])
            if isinstance(first, n.Prop) and first.name == "body" and len(parts) == 1:
                return []
            return None
        if expr.name == "util" and parts and isinstance(parts[0], n.Call) and parts[0].name == "parseJson" \
                and len(parts[0].args) == 1:
            base = self.resolve(parts[0].args[0])
            return None if base is None else base + key_path(parts[1:])
        base = self.env.get(expr.name)
        if base is None:
            return None
        return base + key_path(parts)

    def read(self, expr: Any) -> Shape | None:
        path = self.resolve(expr)
        if path is None:
            return None
        node = self.shape.body.at(path)
        if isinstance(expr, n.Ref) and _calls_list_method(expr):
            self.shape.body.at(path + [_EACH])  # $items.size(): the value is a list
            return None  # and what is printed is its size, not a leaf
        return node

    def params(self, ref: n.Ref) -> None:
        parts = ref.parts
        if ref.name != "input" or not parts or not isinstance(parts[0], n.Call) or parts[0].name != "params":
            return
        call = parts[0]
        if len(call.args) == 1 and literal_text(call.args[0]) is not None:
            self.shape.params.setdefault("", set()).add(literal_text(call.args[0]))
        elif not call.args:
            keys = key_path(parts[1:])
            if len(keys) >= 2 and keys[0] in ("path", "querystring", "header"):
                self.shape.params.setdefault(keys[0], set()).add(keys[1])

    def run(self, tree: list) -> TemplateShape:
        printed = {id(p.output): p for p in facts(tree).printed}
        for node in n.walk(tree):
            if isinstance(node, n.Set):
                path = self.resolve(node.value) if not node.target.parts else None
                if not node.target.parts:
                    if path is None:
                        self.env.pop(node.target.name, None)
                    else:
                        self.env[node.target.name] = path
                        self.shape.body.at(path)
            elif isinstance(node, n.Foreach):
                path = self.resolve(node.iterable)
                if path is not None:
                    self.env[node.var] = path + [_EACH]
                    self.shape.body.at(path + [_EACH])
            elif isinstance(node, n.Ref):
                self.params(node)
                if node.name == "stageVariables":
                    keys = key_path(node.parts)
                    if keys:
                        self.shape.stage_variables.add(keys[0])
                self.read(node)
            elif isinstance(node, n.Output):
                p = printed.get(id(node))
                if p is not None and not p.in_string and not _prints_json(node.ref) and _ends_at_value(node.ref):
                    leaf = self.read(node.ref)
                    if leaf is not None:
                        leaf.numeric = True
            elif isinstance(node, n.BinOp) and _numeric_operator(node):
                for side in (node.left, node.right):
                    leaf = self.read(side)
                    if leaf is not None:
                        leaf.numeric = True
        return self.shape


def _calls_list_method(ref: n.Ref) -> bool:
    """Whether the chain ends in ``.size()`` or ``.isEmpty()`` right after the value it reads (a list)."""
    last = ref.parts[-1] if ref.parts else None
    return isinstance(last, n.Call) and last.name in ("size", "isEmpty") and not last.args \
        and (len(ref.parts) < 2 or not isinstance(ref.parts[-2], n.Call) or ref.parts[-2].name in ("path", "json",
                                                                                                   "parseJson"))


def _ends_at_value(ref: n.Ref) -> bool:
    """Whether the printed chain is the value itself (``$o.total``), not a call on it (``$o.name.trim()``)."""
    parts = ref.parts
    if ref.name in ("input", "util") and parts:
        parts = parts[1:]  # $input.path('$.x') / $util.parseJson(...) then keys
    return len(key_path(parts)) == len(parts)


def _prints_json(ref: n.Ref) -> bool:
    """``$input.json(...)`` prints JSON of any value (strings quoted), so it needs no typed leaf."""
    return ref.name == "input" and len(ref.parts) == 1 and isinstance(ref.parts[0], n.Call) \
        and ref.parts[0].name == "json"


def _numeric_operator(node: Any) -> bool:
    op = getattr(node, "op", "")
    if op in ("<", ">", "<=", ">=", "-", "*", "/", "%"):
        return True
    if op in ("==", "!=", "+"):
        return any(isinstance(side, n.Literal) and type(side.value) in (int, float)
                   for side in (node.left, node.right))
    return False


def template_shape(tree: list) -> TemplateShape:
    """What the template reads (cached with the tree's other facts)."""
    memo = facts(tree).memo
    shape = memo.get("samples.shape")
    if shape is None:
        shape = memo["samples.shape"] = _Reader().run(tree)
    return shape


# ---------------------------------------------------------------- the samples

def _params(shape: TemplateShape, value: str, path_names: Iterable[str]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {"path": {}, "querystring": {}, "header": {}}
    for section, names in shape.params.items():
        for name in names:
            if section:
                out[section][name] = value
            else:
                out["querystring"][name] = value
    for name in path_names:
        out["path"][name] = value
        out["querystring"].pop(name, None)
    return out


def _synthesised(shape: TemplateShape, path_names: list[str], with_params: bool) -> list[Sample]:
    """The hostile synthesised bodies (arrays of 2, 1, 0 items when the template iterates), each with its twin."""
    counts = (2, 1, 0) if shape.body.has_arrays else (1,)
    samples = []
    for count in counts:
        hostile = json.dumps(shape.body.build(count, HOSTILE), ensure_ascii=False)
        benign = json.dumps(shape.body.build(count, BENIGN), ensure_ascii=False)
        what = "a body with every field the template reads"
        if shape.body.has_arrays:
            what += f", arrays of {count} item{'s' if count != 1 else ''}"
        params = _params(shape, HOSTILE, path_names) if with_params else _params(shape, BENIGN, path_names)
        twin = Sample(what + " (plain strings)", benign, _params(shape, BENIGN, path_names) if with_params
                      else params)
        samples.append(Sample(what + " (strings with ' \" \\ and a newline)", hostile, params, benign=twin))
    return samples


def request_samples(tree: list, path_names: Iterable[str] = (), user: Iterable[tuple[str, Any]] = ()) -> list[Sample]:
    """The samples a request template is rendered over: built-in ones, then the user's (label, MethodRequest)."""
    shape = template_shape(tree)
    names = sorted(set(path_names))
    minimal = _params(TemplateShape(), BENIGN, names)
    samples = [
        Sample("an empty body", "", minimal),
        Sample("the body {}", "{}", minimal),
        Sample("a body that is not JSON", "not json", minimal),
    ]
    samples += _synthesised(shape, names, with_params=True)
    samples += [Sample(label, "", request=request) for label, request in user]
    return _unique(samples)


def response_samples(tree: list, lambda_error: bool) -> list[Sample]:
    """The backend bodies a response template is rendered over (and a Lambda error object where one can arrive)."""
    shape = template_shape(tree)
    samples = [Sample("the backend body {}", "{}")]
    samples += [_backend(s) for s in _synthesised(shape, [], with_params=False)]
    if lambda_error:
        error = {"errorMessage": HOSTILE, "errorType": "Error", "stackTrace": ["at handler (index.js:10:5)"]}
        twin = dict(error, errorMessage="Not found")
        samples.append(Sample("a Lambda error object (errorMessage with ' \" \\ and a newline)",
                              json.dumps(error, ensure_ascii=False),
                              benign=Sample("a Lambda error object", json.dumps(twin))))
    return _unique(samples)


def _backend(sample: Sample) -> Sample:
    """The same sample labelled as what a backend returned ("a backend body with ...")."""
    from dataclasses import replace

    def label(text: str) -> str:
        return text.replace("a body", "a backend body", 1)

    twin = sample.benign
    return replace(sample, label=label(sample.label), benign=None if twin is None else replace(twin, label=label(twin.label)))


def _unique(samples: list[Sample]) -> list[Sample]:
    seen: set[tuple] = set()
    out = []
    for s in samples:
        key = (s.body, json.dumps(s.params, sort_keys=True), id(s.request) if s.request is not None else None)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out
