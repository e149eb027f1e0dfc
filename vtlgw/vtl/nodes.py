"""The syntax tree of a template, and a walker over it.

Every node carries ``pos``, its source offset, and ``end``, the offset just
after its source text (-1 where a node was built without one). ``BinOp.pos``
is its operator's offset. :func:`iter_child_nodes` and :func:`walk` visit
nodes in source order; the compiler and the linter both survey trees with
them, so there is one place to teach a new node class.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Sequence, Union


@dataclass(slots=True)
class Node:
    pos: int
    end: int = field(default=-1, kw_only=True)


# ---------------------------------------------------------------- references


@dataclass(slots=True)
class Prop(Node):
    name: str


@dataclass(slots=True)
class Call(Node):
    name: str
    args: list["Expr"]


@dataclass(slots=True)
class Index(Node):
    key: "Expr"


@dataclass(slots=True)
class Ref(Node):
    """``$name``, ``$!name``, ``${name}`` with a chain of properties, calls and indexes."""

    name: str
    parts: list[Union[Prop, Call, Index]] = field(default_factory=list)
    source: str = ""


# ---------------------------------------------------------------- expressions


@dataclass(slots=True)
class Literal(Node):
    """A string, number or boolean literal (a constant)."""

    value: Any


@dataclass(slots=True)
class InterpString(Node):
    """A double-quoted string containing references or directives, rendered at use."""

    body: list["Stmt"]


@dataclass(slots=True)
class ListLit(Node):
    items: list["Expr"]


@dataclass(slots=True)
class MapLit(Node):
    pairs: list[tuple["Expr", "Expr"]]


@dataclass(slots=True)
class Range(Node):
    start: "Expr"
    stop: "Expr"


@dataclass(slots=True)
class BinOp(Node):
    op: str  # one of || && == != < <= > >= + - * / %
    left: "Expr"
    right: "Expr"
    literal: str = ""  # source text after the operator (how 1.7 prints a null operand in "+")


@dataclass(slots=True)
class Not(Node):
    operand: "Expr"


@dataclass(slots=True)
class Paren(Node):
    inner: "Expr"
    literal: str = ""  # the text between the parentheses


Expr = Union[Ref, Literal, InterpString, ListLit, MapLit, Range, BinOp, Not, Paren]


# ---------------------------------------------------------------- statements


@dataclass(slots=True)
class Text(Node):
    """Printed template text. ``origins`` is empty when ``text`` is the source from ``pos`` on.

    Otherwise (the text joins pieces across escapes, comments or ``#[[…]]#``) it
    lists ``(offset in text, source offset)`` where each piece starts.
    """

    text: str
    origins: tuple[tuple[int, int], ...] = ()

    def source_offset(self, k: int) -> int:
        """The source offset that the text's character ``k`` was written at."""
        start, at = 0, self.pos
        for offset, source in self.origins:
            if offset > k:
                break
            start, at = offset, source
        return at + k - start


@dataclass(slots=True)
class Output(Node):
    """A reference printed into the output."""

    ref: Ref


@dataclass(slots=True)
class Set(Node):
    target: Ref
    value: Expr


@dataclass(slots=True)
class If(Node):
    """An ``#if`` chain: its ``#if``/``#elseif`` branches and the ``#else`` body (None without one)."""

    branches: list[tuple[Expr, list["Stmt"]]]
    otherwise: list["Stmt"] | None
    keywords: tuple[int, ...] = ()  # offsets of the #if, each #elseif and the #else, in order


@dataclass(slots=True)
class Foreach(Node):
    var: str
    iterable: Expr
    body: list["Stmt"]


@dataclass(slots=True)
class Define(Node):
    name: str
    body: list["Stmt"]


@dataclass(slots=True)
class Break(Node):
    pass


@dataclass(slots=True)
class Stop(Node):
    pass


@dataclass(slots=True)
class Unsupported(Node):
    """A directive API Gateway refuses at render time (``#include``, ``#parse``)."""

    directive: str


Stmt = Union[Text, Output, Set, If, Foreach, Define, Break, Stop, Unsupported]


# ---------------------------------------------------------------- walking

_NONE: tuple = ()


def _pairs(node: MapLit) -> list[Node]:
    return [x for pair in node.pairs for x in pair]


def _if_children(node: If) -> list[Node]:
    out: list[Node] = []
    for cond, body in node.branches:
        out.append(cond)
        out.extend(body)
    if node.otherwise:
        out.extend(node.otherwise)
    return out


_CHILDREN: dict[type, Callable[[Any], Sequence[Node]]] = {
    Prop: lambda x: _NONE,
    Call: lambda x: x.args,
    Index: lambda x: (x.key,),
    Ref: lambda x: x.parts,
    Literal: lambda x: _NONE,
    InterpString: lambda x: x.body,
    ListLit: lambda x: x.items,
    MapLit: _pairs,
    Range: lambda x: (x.start, x.stop),
    BinOp: lambda x: (x.left, x.right),
    Not: lambda x: (x.operand,),
    Paren: lambda x: (x.inner,),
    Text: lambda x: _NONE,
    Output: lambda x: (x.ref,),
    Set: lambda x: (x.target, x.value),
    If: _if_children,
    Foreach: lambda x: (x.iterable, *x.body),
    Define: lambda x: x.body,
    Break: lambda x: _NONE,
    Stop: lambda x: _NONE,
    Unsupported: lambda x: _NONE,
}
"""Per concrete node class, its direct children in source order."""


def child_nodes(node: Node) -> Sequence[Node]:
    """The direct children of ``node`` in source order, as a sequence (do not mutate it)."""
    return _CHILDREN[type(node)](node)


def iter_child_nodes(node: Node) -> Iterator[Node]:
    """Yield the direct children of ``node`` in source order.

    Conditions and bodies of every ``#if`` branch, a ``#foreach``'s iterable
    then body, a ``#set``'s target then value, reference parts, call
    arguments, literal members, string and ``#define`` bodies.
    """
    return iter(_CHILDREN[type(node)](node))


def walk(node: Node | Sequence[Node]) -> Iterator[Node]:
    """Yield ``node`` and all its descendants, depth-first in source order.

    A sequence (a parsed template's statement list) walks each of its nodes.
    """
    children = _CHILDREN
    stack = [node] if isinstance(node, Node) else list(reversed(node))
    pop, extend = stack.pop, stack.extend
    while stack:
        x = pop()
        yield x
        kids = children[type(x)](x)
        if kids:
            extend(reversed(kids))
