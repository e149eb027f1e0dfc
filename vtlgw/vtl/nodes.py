"""The syntax tree of a template. Every node carries ``pos``, its source offset."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union


@dataclass(slots=True)
class Node:
    pos: int


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
    text: str


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
    branches: list[tuple[Expr, list["Stmt"]]]
    otherwise: list["Stmt"] | None


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
