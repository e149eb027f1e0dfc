"""What the compiler can prove about values before a render: which reads hold an int, a String, a list, a map.

The compiler's typed code (see :mod:`vtlgw.vtl.compiler`) uses these facts to
skip the runtime's type dispatch; everything it emits keeps the generic
runtime's results, with range checks where Velocity 1.7 widens integers.

A *kind* is one exact Python type of the value model: ``"int"`` (``int``,
never ``bool``), ``"str"``, ``"list"`` (an :class:`~vtlgw.vtl.values.ArrayList`
from a list literal or range) and ``"map"`` (the plain ``dict`` a map literal
makes). :func:`kind_of` gives an expression's kind and whether it can be null.

Reads of ``#set`` variables are proven by :func:`prove_reads`, for templates
whose ``#set`` variables live in Python locals (nothing else can assign
them): a variable has a kind when every ``#set`` of it gives that kind or
null (null leaves it as it was), and a read has the kind where the variable
is definitely assigned a non-null value of it before. Loop variables of
``#foreach`` over a range are ints.
"""

from __future__ import annotations

from typing import Callable, Optional

from vtlgw.vtl import nodes as n

Kind = Optional[str]
#: A value of no one kind, but never null (a ``#set`` variable once assigned: a null value does not assign).
ANY = "any"
ReadKind = Callable[[n.Ref], Kind]

_ARITH = frozenset("+-*/%")


def kind_of(node: n.Expr, read: ReadKind) -> tuple[Kind, bool]:
    """``(kind, non_null)`` of an expression's value (as :meth:`Compiler.value` computes it).

    ``read`` answers for a reference without parts; ``kind`` None is not known.
    Only what the generic runtime's operators always return is claimed.
    """
    t = type(node)
    if t is n.Literal:
        v = node.value
        if type(v) is int:
            return "int", True
        if type(v) is str:
            return "str", True
        return None, v is not None
    if t is n.Paren:
        return kind_of(node.inner, read)
    if t is n.Ref:
        if node.parts:
            return None, True  # a null reference evaluates to "" (the AWS null model)
        kind = read(node)
        return (None if kind == ANY else kind), kind is not None
    if t is n.ListLit:
        return "list", True
    if t is n.MapLit:
        return "map", True
    if t is n.InterpString:
        return "str", True
    if t is n.Range:
        a = _non_null_kind(node.start, read)
        b = _non_null_kind(node.stop, read)
        return ("list", True) if a == "int" and b == "int" else (None, False)
    if t is n.BinOp and node.op in _ARITH:
        a = _non_null_kind(node.left, read)  # a null operand (`5 / 0`) makes `+` print or give null
        b = _non_null_kind(node.right, read)
        if node.op == "+" and (a == "str" or b == "str"):
            return "str", True  # concatenation (a null operand prints as its source text)
        if a == "int" and b == "int":
            if node.op in "+-*":
                return "int", True  # or a LimitExceeded: never null
            return "int", nonzero_int_literal(node.right)  # x / 0 and x % 0 are null
        return None, False
    return None, False


def _non_null_kind(node: n.Expr, read: ReadKind) -> Kind:
    kind, non_null = kind_of(node, read)
    return kind if non_null else None


def nonzero_int_literal(node: n.Expr) -> bool:
    while type(node) is n.Paren:
        node = node.inner
    return type(node) is n.Literal and type(node.value) is int and node.value != 0


def literal_int(node: n.Expr) -> int | None:
    """The value of an integer literal (in parentheses or not); None for anything else."""
    while type(node) is n.Paren:
        node = node.inner
    return node.value if type(node) is n.Literal and type(node.value) is int else None


def range_bounds(node: n.Foreach) -> tuple[int, int] | None:
    """The least and greatest value of a loop variable over a range of two integer literals."""
    if type(node.iterable) is not n.Range:
        return None
    a, b = literal_int(node.iterable.start), literal_int(node.iterable.stop)
    return None if a is None or b is None else (min(a, b), max(a, b))


def range_loop(node: n.Foreach, rebound: frozenset[str]) -> bool:
    """Whether ``node``'s loop variable is always an int in its body: it walks a range, nothing rebinds it."""
    return type(node.iterable) is n.Range and node.var not in rebound


class _Pass:
    """One walk of the template in execution order, with what is definitely assigned at each point."""

    def __init__(self, local_names: frozenset[str], rebound: frozenset[str], assumed: dict[str, str],
                 failed: set[str]) -> None:
        self.local_names = local_names
        self.rebound = rebound
        self.assumed = assumed  # variable -> the kind every #set of it has given so far
        self.failed = failed  # variables some #set gives another kind (or an unknown one)
        self.changed = False
        self.reads: dict[int, str] = {}  # id(Ref) -> kind, for reads proven here
        self.bounds: dict[int, tuple[int, int]] = {}  # id(Ref) -> (least, greatest), for ints proven bounded
        self.env: dict[str, str] = {}
        self.env_bounds: dict[str, tuple[int, int]] = {}  # loop variables over literal ranges

    def read(self, ref: n.Ref) -> Kind:
        kind = self.env.get(ref.name)
        if kind is not None:
            self.reads[id(ref)] = kind
            if ref.name in self.env_bounds:
                self.bounds[id(ref)] = self.env_bounds[ref.name]
        return kind

    def expr(self, node: n.Expr | None) -> tuple[Kind, bool]:
        """Record the kinds of every read inside ``node`` (in evaluation order); ``node``'s own kind."""
        if node is None:
            return None, False
        if type(node) is n.Ref and node.parts:
            self.read(node)  # the variable a chain starts from
        for child in _sub_expressions(node):
            self.expr(child)
        return kind_of(node, self.read)

    def ref_parts(self, parts: list) -> None:
        for part in parts:
            if type(part) is n.Call:
                for a in part.args:
                    self.expr(a)
            elif type(part) is n.Index:
                self.expr(part.key)

    def stmts(self, body: list[n.Stmt]) -> None:
        for s in body:
            t = type(s)
            if t is n.Output:
                self.expr(s.ref)
            elif t is n.Set:
                kind, non_null = self.expr(s.value)
                target = s.target
                if target.parts:
                    self.ref_parts(target.parts)
                    continue
                name = target.name
                if name not in self.local_names or name in self.failed:
                    continue
                if type(s.value) is n.Literal and s.value.value is None:
                    self.failed.add(name)  # the one #set that assigns null itself
                    self.changed = True
                    self.env.pop(name, None)
                    continue
                # Any other #set assigns only a value that is not null (a null one leaves the variable).
                kind = kind or ANY
                known = self.assumed.get(name)
                if known is None:
                    self.assumed[name] = kind
                elif known != kind and known != ANY:
                    self.assumed[name] = ANY  # two kinds: still never null once assigned
                    self.changed = True
                if non_null:  # definitely assigned from here on
                    self.env[name] = self.assumed[name]
            elif t is n.If:
                before = self.env
                outcomes = []
                for cond, branch in s.branches:
                    self.env = before
                    self.expr(cond)
                    self.env = dict(before)
                    self.stmts(branch)
                    outcomes.append(self.env)
                if s.otherwise is not None:
                    self.env = dict(before)
                    self.stmts(s.otherwise)
                    outcomes.append(self.env)
                # A forced render (Template.variant) may run no branch at all, even with an #else.
                outcomes.append(before)
                first = outcomes[0]
                self.env = {k: v for k, v in first.items() if all(o.get(k) == v for o in outcomes[1:])}
            elif t is n.Foreach:
                self.expr(s.iterable)
                before, before_bounds = self.env, self.env_bounds
                self.env, self.env_bounds = dict(before), dict(before_bounds)
                self.env_bounds.pop(s.var, None)
                if range_loop(s, self.rebound):
                    self.env[s.var] = "int"
                    bounds = range_bounds(s)
                    if bounds is not None:
                        self.env_bounds[s.var] = bounds
                else:
                    self.env.pop(s.var, None)
                self.stmts(s.body)
                # The body may not run; after it the loop variable is restored.
                self.env, self.env_bounds = before, before_bounds
            # A #define body runs where the block is printed, with what holds there: nothing in it is proven.


def _sub_expressions(node: n.Expr) -> list[n.Expr]:
    t = type(node)
    if t is n.Ref:
        out = []
        for part in node.parts:
            if type(part) is n.Call:
                out.extend(part.args)
            elif type(part) is n.Index:
                out.append(part.key)
        return out
    if t is n.BinOp:
        return [node.left, node.right]
    if t is n.Paren:
        return [node.inner]
    if t is n.Not:
        return [node.operand]
    if t is n.ListLit:
        return list(node.items)
    if t is n.MapLit:
        return [x for pair in node.pairs for x in pair]
    if t is n.Range:
        return [node.start, node.stop]
    if t is n.InterpString and all(type(s) in (n.Text, n.Output) for s in node.body):
        return [s.ref for s in node.body if type(s) is n.Output]
    return []  # a string with directives runs its own statements: nothing in it is proven


def prove_reads(body: list[n.Stmt], local_names: frozenset[str],
                rebound: frozenset[str]) -> tuple[dict[int, str], dict[int, tuple[int, int]]]:
    """``id(Ref)`` -> kind for every read whose kind is proven, and ``id(Ref)`` -> (least, greatest) for
    the int reads proven bounded (loop variables over ranges of integer literals).

    ``local_names`` are the ``#set`` variables held in locals (every assignment
    to them is a ``#set`` statement in ``body``'s own flow); the walk repeats
    until no variable loses its kind.
    """
    assumed: dict[str, str] = {}
    failed: set[str] = set()
    while True:
        walk = _Pass(local_names, rebound, assumed, failed)
        walk.stmts(body)
        if not walk.changed:
            return walk.reads, walk.bounds
        for name in failed:
            assumed.pop(name, None)
