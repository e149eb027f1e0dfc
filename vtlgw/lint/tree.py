"""What the template rules read from a parse tree, computed once per template.

Everything here is built on the language layer's walker
(:func:`vtlgw.vtl.nodes.walk` / :func:`~vtlgw.vtl.nodes.child_nodes`):
one pass records each node's parent, the names a template defines, and how
each printed reference sits in the static output (inside a JSON string, as a
form value). Rules then ask questions of that :class:`TreeFacts` instead of
walking the tree themselves.

The one thing the tree cannot tell is where the directives API Gateway prints
verbatim are (``#macro`` definitions leave no node, unknown ``#name(…)`` and
``#evaluate`` become text): :func:`verbatim_directives` asks the real parser,
which records them while it parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

from vtlgw.vtl import nodes as n

#: Variables API Gateway gives every mapping template.
GATEWAY_ROOTS = frozenset({"input", "context", "util", "stageVariables"})

#: Loop helpers Velocity 1.7 defines inside ``#foreach`` (docs/velocity.md, section 4).
LOOP_HELPERS = frozenset({"foreach", "velocityCount", "velocityHasNext"})


def span(node: n.Node) -> tuple[int, int]:
    """``(start, end)`` source offsets of a node (the end estimated where the parser gave none)."""
    end = node.end
    if end < 0:
        if isinstance(node, n.Ref):
            end = node.pos + len(node.source)
        elif isinstance(node, n.Text):
            end = node.pos + len(node.text)
        else:
            end = node.pos + 1
    return node.pos, end


def literal_text(expr: Any) -> str | None:
    """The value of a string literal argument, else None (references, numbers, interpolations)."""
    if isinstance(expr, n.Literal) and isinstance(expr.value, str):
        return expr.value
    return None


def key_path(parts: Sequence[Any]) -> list[str]:
    """The constant keys a chain reads: ``.a``, ``['a']`` and ``.get('a')``, up to the first other part."""
    keys: list[str] = []
    for part in parts:
        if isinstance(part, n.Prop):
            keys.append(part.name)
        elif isinstance(part, n.Index) and literal_text(part.key) is not None:
            keys.append(literal_text(part.key))
        elif isinstance(part, n.Call) and part.name == "get" and len(part.args) == 1 \
                and literal_text(part.args[0]) is not None:
            keys.append(literal_text(part.args[0]))
        else:
            break
    return keys


@dataclass
class Printed:
    """A reference printed into the output, and where it lands in the static text around it."""

    output: n.Output
    in_string: bool  # inside a JSON string literal ("…$x…")
    is_key: bool = False  # that string is followed by ':' (an object key)
    form_value: bool = False  # after '=' in a name=value&… form body


@dataclass
class TreeFacts:
    """Facts about one parsed template that several rules need."""

    tree: list
    parents: dict[int, n.Node | None] = field(default_factory=dict)
    refs: list[n.Ref] = field(default_factory=list)
    defined: set[str] = field(default_factory=set)  # #set roots, #define names, #foreach variables
    bindings: dict[str, list[Any]] = field(default_factory=dict)  # name -> values #set to it
    printed: list[Printed] = field(default_factory=list)
    static_output: str = ""  # printed text with each printed reference as "\0"
    by_class: dict[type, list] = field(default_factory=dict)  # node class -> its nodes, in source order
    memo: dict[str, Any] = field(default_factory=dict)  # what a rule module derived once for this tree
    unprinted: set[int] = field(default_factory=set)  # ids of nodes inside string literals and #define bodies

    def nodes(self, cls: type) -> list:
        """Every node of class ``cls``, in source order (one walk serves all rules)."""
        return self.by_class.get(cls, [])

    # ------------------------------------------------------------ ancestry

    def parent(self, node: n.Node) -> n.Node | None:
        return self.parents.get(id(node))

    def ancestors(self, node: n.Node) -> Iterator[n.Node]:
        parent = self.parents.get(id(node))
        while parent is not None:
            yield parent
            parent = self.parents.get(id(parent))

    def is_printed(self, node: n.Node) -> bool:
        """Whether a Text/Output writes to the output where it stands (not in a string literal or #define)."""
        return id(node) not in self.unprinted

    def branch_path(self, node: n.Node) -> tuple[tuple[int, int], ...]:
        """``(id(#if), branch index)`` for each #if around ``node`` (the #else is the last index)."""
        path: list[tuple[int, int]] = []
        child = node
        for parent in self.ancestors(node):
            if isinstance(parent, n.If):
                path.append((id(parent), _branch_index(parent, child)))
            child = parent
        return tuple(path)

    def known_root(self, name: str) -> bool:
        return name in GATEWAY_ROOTS or name in LOOP_HELPERS or name in self.defined


def cloudformation_placeholder(unit: Any, ref: n.Ref) -> bool:
    """``${Name}`` / ``${Res.Attr}`` in a template written with ``!Sub`` (or built by ``Fn::Join``).

    The definition loader leaves those placeholders as written; CloudFormation replaces them
    before API Gateway sees the template, so they are not template variables.
    """
    mapping = getattr(unit, "mapping", None)
    return bool(mapping is not None and mapping.symbolic and ref.source.startswith("${")
                and ref.name not in GATEWAY_ROOTS and unit.tree is not None and ref.name not in facts(unit.tree).defined)


def exclusive(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> bool:
    """Whether two branch paths can never both execute (different branches of one #if)."""
    taken = dict(a)
    return any(chain in taken and taken[chain] != index for chain, index in b)


def _branch_index(node: n.If, child: n.Node) -> int:
    for i, (cond, body) in enumerate(node.branches):
        if child is cond or any(child is s for s in body):
            return i
    return len(node.branches)


_CACHE: dict[int, tuple[list, TreeFacts]] = {}


def facts(tree: list) -> TreeFacts:
    """The :class:`TreeFacts` of a parsed template (cached for the last few trees)."""
    hit = _CACHE.get(id(tree))
    if hit is not None and hit[0] is tree:
        return hit[1]
    result = _build(tree)
    if len(_CACHE) >= 16:
        _CACHE.clear()
    _CACHE[id(tree)] = (tree, result)
    return result


def _build(tree: list) -> TreeFacts:
    f = TreeFacts(tree)
    parents = f.parents
    for stmt in tree:
        parents[id(stmt)] = None
    scan = _OutputScan()
    by_class = f.by_class
    hidden = f.unprinted
    for node in n.walk(tree):
        kids = n.child_nodes(node)
        for child in kids:
            parents[id(child)] = node
        if kids and (id(node) in hidden or isinstance(node, (n.InterpString, n.Define))):
            hidden.update(id(child) for child in kids)
        found = by_class.get(type(node))
        if found is None:
            by_class[type(node)] = [node]
        else:
            found.append(node)
        if isinstance(node, n.Ref):
            f.refs.append(node)
        elif isinstance(node, n.Set):
            if not node.target.parts:
                f.defined.add(node.target.name)
                f.bindings.setdefault(node.target.name, []).append(node.value)
        elif isinstance(node, n.Define):
            f.defined.add(node.name)
        elif isinstance(node, n.Foreach):
            f.defined.add(node.var)
        elif isinstance(node, n.Text):
            if id(node) not in hidden:
                scan.text(node.text)
        elif isinstance(node, n.Output):
            if id(node) not in hidden:
                f.printed.append(scan.output(node))
    f.static_output = "".join(scan.chars)
    return f


class _OutputScan:
    """Follows the static output in source order: JSON string state and form-body positions.

    Branches are read in source order, one after the other; templates keep each
    branch balanced, so the state after an ``#if`` is right in practice.
    """

    def __init__(self) -> None:
        self.in_string = False
        self.escaped = False
        self.awaiting_colon: list[Printed] = []  # printed refs of a string just closed
        self.form_value = False
        self.chars: list[str] = []
        self._open: list[Printed] = []

    def text(self, text: str) -> None:
        self.chars.append(text)
        for c in text:
            if self.awaiting_colon and not self.in_string and not c.isspace():
                if c == ":":
                    for p in self.awaiting_colon:
                        p.is_key = True
                self.awaiting_colon = []
            if self.in_string:
                if self.escaped:
                    self.escaped = False
                elif c == "\\":
                    self.escaped = True
                elif c == '"':
                    self.in_string = False
                    self.awaiting_colon = self._open
            elif c == '"':
                self.in_string = True
                self._open = []
            if c == "=":
                self.form_value = True
            elif c == "&":
                self.form_value = False

    def output(self, node: n.Output) -> Printed:
        self.chars.append("\0")
        self.escaped = False
        self.awaiting_colon = []
        printed = Printed(node, self.in_string, form_value=self.form_value)
        if self.in_string:
            self._open.append(printed)
        return printed


# ---------------------------------------------------------------- verbatim directives


@dataclass(frozen=True)
class DirectiveSite:
    """A directive the tree keeps no node for: ``#macro`` definitions, ``#@`` calls, text-printed names."""

    word: str  # "macro", "@name", "evaluate", or the unknown name
    start: int
    end: int  # after the arguments' ")" when there are arguments, else after the name
    has_args: bool
    args: str = ""  # the text between the parentheses


_DIRECTIVE_WORD = re.compile(r"#\{?(@?[A-Za-z][A-Za-z0-9_]*)")
# A '#' word that is not one of the directives the tree keeps a node for.
_OTHER_WORD = re.compile(r"#\{?(?!(?:set|if|elseif|else|end|foreach|define|break|stop|include|parse)"
                         r"(?![A-Za-z0-9_]))@?[A-Za-z]")


def verbatim_directives(text: str, name: str = "<template>") -> list[DirectiveSite]:
    """The directives of ``text`` that parse as text or as nothing, from the real parser.

    Only a template that contains such a word is parsed again; most do not.
    """
    if not _OTHER_WORD.search(text):
        return []
    from vtlgw.vtl.errors import TemplateSyntaxError

    parser = _RecordingParser(text, name)
    try:
        parser.parse()
    except TemplateSyntaxError:
        return []
    return parser.sites


def _recording_parser_class() -> type:
    from vtlgw.vtl.parser import KNOWN_DIRECTIVES, VERBATIM_DIRECTIVES, Parser

    class RecordingParser(Parser):
        """The engine's parser, noting each directive it prints verbatim or drops (``#macro``)."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.sites: list[DirectiveSite] = []

        def directive(self, word: str, pos: int, after: int) -> Any:
            if word not in KNOWN_DIRECTIVES or word in VERBATIM_DIRECTIVES or word == "macro":
                close = self.balanced_args_end(after)
                if close is None:
                    site = DirectiveSite(word, self.base + pos, self.base + after, False)
                else:
                    args = self.src[self.src.index("(", after) + 1:close - 1]
                    site = DirectiveSite(word, self.base + pos, self.base + close, True, args)
                self.sites.append(site)
            return super().directive(word, pos, after)

        def block_macro_call(self, pos: int) -> bool:
            found = super().block_macro_call(pos)
            if found:
                m = _DIRECTIVE_WORD.match(self.src, pos)
                self.sites.append(DirectiveSite(m.group(1), self.base + pos, self.base + m.end(), True))
            return found

    return RecordingParser


_RECORDING: list[type] = []


def _RecordingParser(text: str, name: str) -> Any:
    if not _RECORDING:
        _RECORDING.append(_recording_parser_class())
    return _RECORDING[0](text, name)
