"""The syntax tree of a template. Every node carries ``pos``, its source offset."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass
class Node:
    pos: int


# ---------------------------------------------------------------- references


@dataclass
class Prop(Node):
    name: str


@dataclass
class Call(Node):
    name: str
    args: list["Expr"]


@dataclass
class Index(Node):
    key: "Expr"


@dataclass
class Ref(Node):
    """``$name``, ``$!name``, ``${name}`` with a chain of properties, calls and indexes."""

    name: str
    parts: list[Union[Prop, Call, Index]] = field(default_factory=list)
    source: str = ""


# ---------------------------------------------------------------- expressions


@dataclass
class Literal(Node):
    """A string, number or boolean literal (a constant)."""

    value: Any


@dataclass
class InterpString(Node):
    """A double-quoted string containing references or directives, rendered at use."""

    body: list["Stmt"]


@dataclass
class ListLit(Node):
    items: list["Expr"]


@dataclass
class MapLit(Node):
    pairs: list[tuple["Expr", "Expr"]]


@dataclass
class Range(Node):
    start: "Expr"
    stop: "Expr"


@dataclass
class BinOp(Node):
    op: str  # one of || && == != < <= > >= + - * / %
    left: "Expr"
    right: "Expr"


@dataclass
class Not(Node):
    operand: "Expr"


@dataclass
class Paren(Node):
    inner: "Expr"


Expr = Union[Ref, Literal, InterpString, ListLit, MapLit, Range, BinOp, Not, Paren]


# ---------------------------------------------------------------- statements


@dataclass
class Text(Node):
    text: str


@dataclass
class Output(Node):
    """A reference printed into the output."""

    ref: Ref


@dataclass
class Set(Node):
    target: Ref
    value: Expr


@dataclass
class If(Node):
    branches: list[tuple[Expr, list["Stmt"]]]
    otherwise: list["Stmt"] | None


@dataclass
class Foreach(Node):
    var: str
    iterable: Expr
    body: list["Stmt"]


@dataclass
class Define(Node):
    name: str
    body: list["Stmt"]


@dataclass
class Break(Node):
    pass


@dataclass
class Stop(Node):
    pass


@dataclass
class Unsupported(Node):
    """A directive API Gateway refuses at render time (``#include``, ``#parse``)."""

    directive: str


Stmt = Union[Text, Output, Set, If, Foreach, Define, Break, Stop, Unsupported]
