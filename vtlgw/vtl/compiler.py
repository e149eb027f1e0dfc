"""Compile a template tree into Python source, then into a function.

The generated function ``_render(st, v, w)`` takes the render state, the
variable dict and the output's ``append``. Generated code touches values only
through :mod:`vtlgw.vtl.runtime`, the sandbox's choke point.

Every line that can fail ends with a ``#@<offset>`` marker naming the template
position it came from; on an exception the template maps the failing line back
to ``line:col`` (no location bookkeeping on the hot path). Text and literals live
in module globals, never inside the generated source, so markers cannot be
forged by template text. Deep nesting is split into helper functions, because
CPython limits statically nested blocks and parentheses.

Two opt-in variants of the same tree compile separately, so the plain render
pays nothing for them: a *traced* compile passes every write's node to the
writer (``w(text, index)``, see :attr:`Compiled.write_nodes`), and a
*switchable* compile lets each render force chosen ``#if`` chains to one
branch (``st.forced``: chain offset -> branch index), for linters that render
every branch; one switchable compile serves every forcing.
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from typing import Any, Callable

from vtlgw.vtl import methods
from vtlgw.vtl import nodes as n
from vtlgw.vtl import runtime as rt
from vtlgw.vtl.kinds import Kind, kind_of, nonzero_int_literal, prove_reads
from vtlgw.vtl.values import PLAIN_DOUBLE_MAX, PLAIN_DOUBLE_MIN, ArrayList, HostObject

MARKER_RE = re.compile(r"#@(\d+)\s*$")
LOOP_SPECIALS = ("foreach", "velocityCount", "velocityHasNext")
MAX_BLOCK_DEPTH = 12  # CPython allows 20 nested loop/try blocks per function
MAX_INDENT = 40
MAX_EXPR_DEPTH = 24
MAX_FUNCTION_LINES = 400
MAX_BATCH = 64  # text and references written at once (see Compiler.write_batch)
_MISSING = object()
_WRITES = (n.Text, n.Output)

RUNTIME_NAMES = {
    name: getattr(rt, name)
    for name in ("text", "nn", "prop", "call", "index", "set_prop", "set_index", "iterate", "make_map",
                 "make_range", "eq", "ne", "lt", "le", "gt", "ge", "add", "sub", "mul", "div", "mod",
                 "interpolate", "check_str", "ForeachState", "DefineBlock", "Break", "Stop")
}
ARITH = {"+": "add", "-": "sub", "*": "mul", "/": "div", "%": "mod"}
COMPARE = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}
# $foreach's properties from a loop's index and size: the loop's own locals, or a ForeachState's fields.
FOREACH_FAST = {"hasNext": "{i} + 1 < {n}", "index": "{i}", "count": "{i} + 1", "first": "{i} == 0",
                "last": "{i} + 1 >= {n}"}
_FOREACH_BOOLS = ("hasNext", "first", "last")


def _unsupported(word: str) -> None:
    from vtlgw.vtl.errors import TemplateRuntimeError

    raise TemplateRuntimeError(f"#{word} is not supported by API Gateway (templates cannot load other files)")


@dataclass(frozen=True)
class TreeFacts:
    """What the compiler must know about the whole tree before it emits code (one walk)."""

    rebound: frozenset[str]  # names some #set($name = …) or #define($name) binds
    escapes: bool  # a #stop or #break inside a #define body or a string literal
    names: frozenset[str]  # every name a reference (or #set target) spells
    member_read: frozenset[str]  # names some reference reads a property of ($name.x…)
    loop_vars: frozenset[str] = frozenset()  # names some #foreach binds
    defined: frozenset[str] = frozenset()  # names some #define binds


def survey(tree: list[n.Stmt]) -> TreeFacts:
    """Walk the tree once for :class:`TreeFacts`."""
    rebound: set[str] = set()
    names: set[str] = set()
    member_read: set[str] = set()
    loop_vars: set[str] = set()
    defined: set[str] = set()
    containers: list[n.Node] = []
    stops = False
    Ref, Set, Define, Interp, Prop = n.Ref, n.Set, n.Define, n.InterpString, n.Prop
    for x in n.walk(tree):
        t = type(x)
        if t is Ref:
            names.add(x.name)
            if x.parts and type(x.parts[0]) is Prop:
                member_read.add(x.name)
        elif t is Set:
            if not x.target.parts:
                rebound.add(x.target.name)
        elif t is Define:
            rebound.add(x.name)
            defined.add(x.name)
            containers.append(x)
        elif t is n.Foreach:
            loop_vars.add(x.var)
        elif t is Interp:
            containers.append(x)
        elif t is n.Stop or t is n.Break:
            stops = True
    return TreeFacts(frozenset(rebound), stops and _escape_inside(containers), frozenset(names),
                     frozenset(member_read), frozenset(loop_vars), frozenset(defined))


def top_level_reads(tree: list[n.Stmt], name: str) -> frozenset[str] | None:
    """The keys of the map in ``$name`` a render can observe, when every use is ``$name.key…``.

    Then nothing but those keys' values can be seen: no other key, nor the keys'
    order. None when the template may observe the map itself: a bare
    ``$name`` (printed, passed, compared, assigned by ``#set``), a method call
    or an index right on it, or a ``#foreach`` or ``#define`` that binds the
    name. VTL has no computed variable names, so the tree shows every use.
    """
    keys: set[str] = set()
    Ref, Prop = n.Ref, n.Prop
    for x in n.walk(tree):
        t = type(x)
        if t is Ref:
            if x.name == name:
                if not x.parts or type(x.parts[0]) is not Prop:
                    return None
                keys.add(x.parts[0].name)
        elif t is n.Foreach and x.var == name or t is n.Define and x.name == name:
            return None
    return frozenset(keys)


def _escape_inside(containers: list[n.Node]) -> bool:
    """Whether a #stop/#break sits in one of these #define bodies or string literals (outer first)."""
    seen: set[int] = set()
    for container in containers:
        if id(container) in seen:
            continue  # walked already, inside an outer one
        for y in n.walk(n.child_nodes(container)):
            t = type(y)
            if t is n.Stop or t is n.Break:
                return True
            if t is n.Define or t is n.InterpString:
                seen.add(id(y))
    return False


@dataclass
class Compiled:
    """A compiled template: its render function, generated source and line → offset map."""

    render: Callable[[Any, dict, Callable[..., None]], None]
    source: str
    filename: str
    line_positions: list[int]  # per generated line (1-based index - 1), the template offset or -1
    facts: TreeFacts | None = None
    write_nodes: list[n.Node] | None = None  # traced compiles: the Text or Ref node of each write index
    switchable: bool = False  # its #if chains obey st.forced

    def position_of_line(self, lineno: int) -> int:
        i = min(lineno - 1, len(self.line_positions) - 1)
        while i >= 0:
            if self.line_positions[i] >= 0:
                return self.line_positions[i]
            i -= 1
        return 0


class _NeedsMap(Exception):
    """A template whose #set variables cannot live in Python locals: compile it again with the map."""


class _Function:
    READS_LINE = 2  # the line that reads variables into locals once the body is known

    def __init__(self, name: str, params: str = "st, v, w") -> None:
        self.lines = [f"def {name}({params}):", "    g = v.get", "    pass"]
        self.indent = 1
        self.blocks = 0
        self.loop_here = False  # inside a Python loop of this very function
        self.reads: dict[str, str] = {}  # variable name -> the local it is read into at the start

    def finish(self, first_reads: dict[str, str]) -> None:
        """Fill in the line that reads the variables this function (and ``first_reads``) use."""
        reads = {**first_reads, **self.reads}
        if reads:
            self.lines[self.READS_LINE] = "    " + "; ".join(f"{local} = g({name!r})" for name, local in reads.items())

    def line(self, code: str, pos: int | None = None) -> None:
        if pos is not None:
            # The marker goes on the statement's first line, where CPython reports it.
            first, nl, rest = code.partition("\n")
            code = f"{first}  #@{pos}{nl}{rest}"
        self.lines.append("    " * self.indent + code)


class Compiler:
    def __init__(self, limits: rt.Limits, *, facts: TreeFacts | None = None, switchable: bool = False,
                 trace: bool = False, set_locals: bool = True, typed: bool = True) -> None:
        self.limits = limits
        self.typed = typed  # False: every value through the generic runtime (what the typed code must equal)
        self.use_set_locals = set_locals and typed
        self.facts = facts
        self.switchable = switchable
        self.trace = trace
        self.write_nodes: list[n.Node] = []
        self.globals: dict[str, Any] = dict(RUNTIME_NAMES)
        if trace:  # text that becomes a value (string literals, #define blocks) is written untraced
            self.globals.update(interpolate=rt.traced_interpolate, DefineBlock=rt.TracedDefineBlock)
        self.globals.update(ArrayList=ArrayList, HostObject=HostObject, _MISSING=_MISSING,
                            _unsupported=_unsupported, _cap=limits.max_loop_iterations,
                            # typed code: an int strictly between _NIB and _IB has at most max_integer_bits bits
                            # (kept to machine-word size, where comparing is cheapest; bigger ones take the
                            # runtime's path, which gives the same result)
                            _IB=1 << min(62, limits.max_integer_bits), _NIB=-(1 << min(62, limits.max_integer_bits)),
                            _HB=1 << _half_bits(limits), _NHB=-(1 << _half_bits(limits)),
                            map_put=methods._map_put, setitem=operator.setitem, _MC=limits.max_collection_size,
                            _LD=(list, dict))  # the exact types whose size() is len()
        self.read_kinds: dict[int, str] = {}  # id(Ref) -> the kind that read is proven to give
        self.read_bounds: dict[int, tuple[int, int]] = {}  # id(Ref) -> the least and greatest int it gives
        self.functions: list[_Function] = []
        self.sites: dict[str, str] = {}
        # Loop variables readable from a Python local: var name -> local, in the current function.
        self.loop_locals: dict[str, str] = {}
        self.loop_maps: dict[str, str] = {}  # loop var -> local holding it when it is a plain dict, else None
        self.specials: tuple[str, ...] = ()  # the loop helpers the template names
        self.loop_counters: tuple[str, str] | None = None  # (index, size) locals of the loop `$foreach` is
        self.counter = 0
        self.env_reads: set[str] = set()  # names some generated code reads from the variables map
        # Lines only needed when a name is read from the map: (function, line index, name).
        self.stores_for: list[tuple[_Function, int, str]] = []
        self.const_ids: dict[tuple, str] = {}
        self.fn: _Function | None = None

    # ------------------------------------------------------------ helpers

    def fresh(self, prefix: str) -> str:
        self.counter += 1
        return f"{prefix}{self.counter}"

    def const(self, value: Any) -> str:
        key = (type(value), value) if isinstance(value, (str, int, float, bool)) else (id(value),)
        name = self.const_ids.get(key)
        if name is None:
            name = self.fresh("_k")
            self.const_ids[key] = name
            self.globals[name] = value
        return name

    def call_site(self, name: str) -> str:
        site = self.sites.get(name)
        if site is None:
            site = self.sites[name] = self.fresh("_m")
            self.globals[site] = rt.call_site(name)
        return site

    def host_methods(self, name: str, argc: int) -> str:
        """The global holding host class → method for ``.name(…)`` with ``argc`` arguments."""
        site = self.call_site(name)
        key = f"{site}_{argc}"
        if key not in self.globals:
            self.globals[key] = self.globals[site].hosts.setdefault(argc, {})
        return key

    # ------------------------------------------------------------ entry point

    def compile(self, body: list[n.Stmt], filename: str) -> Compiled:
        if self.facts is None:
            self.facts = survey(body)
        facts = self.facts
        # Names nothing writes during a render (no #set, #define or #foreach binds them): each function
        # reads them from the map once, into a local.
        self.stable = (facts.names - facts.rebound - facts.loop_vars - frozenset(LOOP_SPECIALS)
                       if self.typed else frozenset())
        # #set targets live in locals of _render when the whole template compiles into that one function
        # (no #define block, string with directives, split or hoisted helper reads the map): nothing
        # else can see them. The first try that needs a helper function starts again with the map.
        self.set_locals: dict[str, str] | None = None
        if self.use_set_locals:
            candidates = facts.rebound - facts.defined - facts.loop_vars - frozenset(LOOP_SPECIALS)
            self.set_locals = {name: f"_s{i}" for i, name in enumerate(sorted(candidates))}
        # What each read gives, where provable: #set variables only when they are locals (nothing else
        # assigns them then), loop variables over ranges always.
        if self.typed:
            self.read_kinds, self.read_bounds = prove_reads(body, frozenset(self.set_locals or ()), facts.rebound)
        # $foreach, $velocityCount and $velocityHasNext are kept only when the template names them:
        # VTL has no computed variable names, so an unnamed one can never be read.
        self.specials = tuple(name for name in LOOP_SPECIALS if name in self.facts.names)
        self.new_function("_render", body)
        for f in self.functions:
            f.finish(self.set_locals if f is self.functions[0] and self.set_locals else {})
        for fn, index, name in self.stores_for:
            if name not in self.env_reads:  # nothing reads it from the map: keep the line count, drop the work
                fn.lines[index] = fn.lines[index][: len(fn.lines[index]) - len(fn.lines[index].lstrip())] + "pass"
        source = "\n".join(line for f in self.functions for line in f.lines) + "\n"
        positions = []
        for line in source.split("\n"):
            m = MARKER_RE.search(line)
            positions.append(int(m.group(1)) if m else -1)
        code = compile(source, filename, "exec")
        namespace = dict(self.globals)
        exec(code, namespace)  # noqa: S102 - our own generated code, no template text inside
        return Compiled(namespace["_render"], source, filename, positions, self.facts,
                        self.write_nodes if self.trace else None, self.switchable)

    def new_function(self, name: str, body: list[n.Stmt]) -> str:
        if self.fn is not None and self.set_locals:
            raise _NeedsMap()
        outer, saved = self.fn, (self.loop_locals, self.loop_maps, self.loop_counters)
        fn = self.fn = _Function(name)
        # The outer function's locals are out of reach here.
        self.loop_locals, self.loop_maps, self.loop_counters = {}, {}, None
        self.functions.append(fn)
        self.statements(body)
        if len(fn.lines) == 3:
            fn.line("pass")
        self.fn = outer
        self.loop_locals, self.loop_maps, self.loop_counters = saved
        return name

    def variable(self, name: str) -> str:
        """Code for the raw value of ``$name`` (None when unset)."""
        local = self.loop_locals.get(name)
        if local is not None:
            return local
        if self.set_locals and name in self.set_locals:
            return self.set_locals[name]
        self.env_reads.add(name)
        if name in self.stable:
            fn = self.fn
            local = fn.reads.get(name)
            if local is None:
                local = fn.reads[name] = self.fresh("_g")
            return local
        return f"g({name!r})"

    def assigned_names(self) -> frozenset[str]:
        """Names any ``#set($name = …)`` or ``#define($name)`` in the whole template binds."""
        return self.facts.rebound

    def can_escape(self) -> bool:
        """Whether evaluating a reference can end the render or a loop midway.

        Only a ``#stop`` or ``#break`` inside a ``#define`` body or a string
        literal can. Where none can, text and printed references are written in
        batches, and string literals are joined without a helper: what was
        printed before the escape, and what is dropped, cannot be told apart.
        """
        return self.facts.escapes

    def traced_write(self, node: n.Node) -> str:
        """The write-index argument for ``node``'s write in a traced compile ("" otherwise)."""
        if not self.trace:
            return ""
        self.write_nodes.append(node)
        return f", {len(self.write_nodes) - 1}"

    # ------------------------------------------------------------ statements

    def statements(self, body: list[n.Stmt]) -> None:
        fn = self.fn
        i = 0
        while i < len(body):
            if len(fn.lines) > MAX_FUNCTION_LINES and i < len(body) - 1:
                # CPython compiles one huge function superlinearly: continue in a fresh one.
                fn.line(f"{self.new_function(self.fresh('_c'), body[i:])}(st, v, w)")
                return
            stmt = body[i]
            if type(stmt) in _WRITES or self.text_if(stmt):
                end = i + 1
                while end < len(body) and (type(body[end]) in _WRITES or self.text_if(body[end])) \
                        and end - i < MAX_BATCH:
                    end += 1
                if end - i > 1 and not self.trace and not self.can_escape():
                    self.write_batch(body[i:end])
                    i = end
                    continue
            getattr(self, "stmt_" + type(stmt).__name__)(stmt)
            i += 1

    def nested_body(self, body: list[n.Stmt], blocks: int) -> None:
        """Emit an indented body, moving it into its own function when nesting gets deep."""
        fn = self.fn
        if fn.blocks + blocks > MAX_BLOCK_DEPTH or fn.indent > MAX_INDENT:
            name = self.new_function(self.fresh("_s"), body)
            fn.indent += 1
            fn.line(f"{name}(st, v, w)")
            fn.indent -= 1
            return
        fn.indent += 1
        fn.blocks += blocks
        before = len(fn.lines)
        self.statements(body)
        if len(fn.lines) == before:
            fn.line("pass")
        fn.blocks -= blocks
        fn.indent -= 1

    def text_if(self, node: n.Stmt) -> bool:
        """Whether ``node`` is an ``#if`` (an ``#else`` at most) whose branches hold only text.

        In a batch (:meth:`write_batch`) it is one piece, the text of the branch its condition picks,
        computed where the ``#if`` stands, so everything is evaluated in the same order as before.
        """
        return (type(node) is n.If and not self.switchable and len(node.branches) == 1
                and all(type(x) is n.Text for x in node.branches[0][1])
                and (node.otherwise is None or all(type(x) is n.Text for x in node.otherwise)))

    def write_batch(self, run: list[n.Stmt]) -> None:
        """Text, printed references and text-only ``#if``s in a row: each reference (and condition)
        on its own line, one write for all."""
        pieces = []
        for node in run:
            if isinstance(node, n.Text):
                if node.text:
                    pieces.append(self.const(node.text))
                continue
            if type(node) is n.If:
                cond, body = node.branches[0]
                yes = "".join(x.text for x in body)
                no = "".join(x.text for x in node.otherwise or ())
                t = self.fresh("_t")
                self.fn.line(f"{t} = ({self.const(yes)} if ({self.cond(cond, 0)}) else {self.const(no)})", cond.pos)
                pieces.append(t)
                continue
            ref = node.ref
            t = self.fresh("_t")
            code = self.variable(ref.name) if not ref.parts else self.chain(ref, 0)
            self.fn.line(f"{t} = {code}; {t} = {_printed(t)}", ref.pos)
            pieces.append(t)
        if len(pieces) == 1:
            self.fn.line(f"w({pieces[0]})")
        elif pieces:
            self.fn.line(f"w(f'{''.join('{' + p + '}' for p in pieces)}')")

    def stmt_Text(self, node: n.Text) -> None:
        if node.text:
            self.fn.line(f"w({self.const(node.text)}{self.traced_write(node)})")

    def stmt_Output(self, node: n.Output) -> None:
        ref = node.ref
        t = self.fresh("_t")
        code = self.variable(ref.name) if not ref.parts else self.chain(ref, 0)
        if self.trace:  # a #define block prints itself, so its text keeps its own origins
            self.fn.line(f"{t} = {code}", ref.pos)
            self.fn.line(f"if type({t}) is DefineBlock: {t}.write_to(w)", ref.pos)
            self.fn.line(f"else: w({_printed(t)}{self.traced_write(ref)})", ref.pos)
            return
        self.fn.line(f"{t} = {code}; w({_printed(t)})", ref.pos)

    def stmt_Set(self, node: n.Set) -> None:
        target, value = node.target, node.value
        code = self.value(value, 0)
        may_be_null = (not isinstance(value, (n.Ref, n.Literal, n.ListLit, n.MapLit, n.InterpString))
                       and not (self.typed and self.kind(value)[1]))
        fn = self.fn
        if not target.parts:
            store = (self.set_locals[target.name] if self.set_locals and target.name in self.set_locals
                     else f"v[{target.name!r}]")
            if may_be_null:
                t = self.fresh("_t")
                fn.line(f"{t} = {code}", node.pos)
                fn.line(f"if {t} is not None: {store} = {t}", node.pos)
            else:
                fn.line(f"{store} = {code}", node.pos)
            return
        t = self.fresh("_t")
        fn.line(f"{t} = {code}", node.pos)
        base = n.Ref(target.pos, target.name, target.parts[:-1], target.source)
        last = target.parts[-1]
        base_code = self.chain(base, 0)
        if isinstance(last, n.Prop):
            setter = f"set_prop({base_code}, {last.name!r}, {t})"
        else:
            setter = f"set_index({base_code}, {self.value(last.key, 0)}, {t})"
        if may_be_null:
            fn.line(f"if {t} is not None: {setter}", node.pos)
        else:
            fn.line(setter, node.pos)

    def stmt_If(self, node: n.If) -> None:
        fn = self.fn
        if self.switchable:
            self.switchable_if(node)
            return
        for i, (cond, body) in enumerate(node.branches):
            keyword = "if" if i == 0 else "elif"
            fn.line(f"{keyword} {self.cond(cond, 0)}:", cond.pos)
            self.nested_body(body, 0)
        if node.otherwise is not None:
            fn.line("else:")
            self.nested_body(node.otherwise, 0)

    def switchable_if(self, node: n.If) -> None:
        """An ``#if`` chain that takes branch ``st.forced[pos]`` when forced (conditions unevaluated).

        Index ``len(branches)`` is the ``#else``; an index with no branch runs none.
        """
        fn = self.fn
        b = self.fresh("_fb")
        fn.line(f"{b} = st.forced.get({node.pos})")
        for i, (cond, body) in enumerate(node.branches):
            keyword = "if" if i == 0 else "elif"
            fn.line(f"{keyword} ({b} == {i} if {b} is not None else {self.cond(cond, 0)}):", cond.pos)
            self.nested_body(body, 0)
        if node.otherwise is not None:
            fn.line(f"elif {b} is None or {b} == {len(node.branches)}:")
            self.nested_body(node.otherwise, 0)

    def stmt_Foreach(self, node: n.Foreach) -> None:
        fn = self.fn
        k = self.fresh("")
        it, size, saved, fe, i, x = (f"_it{k}", f"_n{k}", f"_sv{k}", f"_fe{k}", f"_i{k}", f"_x{k}")
        specials = self.specials
        names = (node.var, *specials)
        p = node.pos
        fn.line(f"{it} = iterate({self.value(node.iterable, 0)}); {size} = len({it})", node.iterable.pos)
        fn.line(f"{saved} = ({''.join(f'v.get({name!r}, _MISSING), ' for name in names)})")
        if "foreach" in specials:
            fn.line(f"{fe} = ForeachState({size}, {saved}[{names.index('foreach')}]); v['foreach'] = {fe}")
            # Where every `$foreach` the template names is the loop's counters (hasNext, index …), nothing
            # reads the state from the map: it is neither made nor stored, nor put back below.
            self.stores_for.append((fn, len(fn.lines) - 1, "foreach"))
        # Loop bookkeeping is paid per loop, not per iteration: the loop's share of the
        # render's iteration budget is taken up front and what did not run is given back.
        fn.line(f"if {size} > _cap: {it} = {it}[:_cap]")
        fn.line(f"st.iterations += len({it}); {i} = -1; _ck{k} = len({it}) > 255")
        fn.line("if st.iterations >= st.next_check: st.tick_check()", p)
        fn.line("try:")
        fn.indent += 1
        fn.line(f"for {i}, {x} in enumerate({it}):", p)
        fn.indent += 1
        fn.line(f"if _ck{k} and {i} & 255 == 255: st.tick_check()", p)  # a shorter loop never gets there
        if "foreach" in specials:
            fn.line(f"{fe}.index = {i}")
            self.stores_for.append((fn, len(fn.lines) - 1, "foreach"))
        # Where the body reads `$var` from a local, and nothing reads it from the map, the stores go.
        fn.line(f"if {x} is None: v.pop({node.var!r}, None)")
        fn.line(f"else: v[{node.var!r}] = {x}")
        self.stores_for.append((fn, len(fn.lines) - 2, node.var))
        self.stores_for.append((fn, len(fn.lines) - 1, node.var))
        if "velocityCount" in specials:
            fn.line(f"v['velocityCount'] = {i} + 1")
        if "velocityHasNext" in specials:
            fn.line(f"v['velocityHasNext'] = {i} + 1 < {size}")
        was_loop, fn.loop_here = fn.loop_here, True
        fn.blocks += 3
        # In the body `$var` is the loop's local, unless something may bind the name meanwhile.
        outer = (self.loop_locals, self.loop_maps, self.loop_counters)
        self.loop_locals, self.loop_maps = dict(self.loop_locals), dict(self.loop_maps)
        self.loop_maps.pop(node.var, None)
        if node.var in self.assigned_names():
            self.loop_locals.pop(node.var, None)
        else:
            self.loop_locals[node.var] = x
            if node.var in self.facts.member_read:  # the body may read its properties
                self.loop_maps[node.var] = f"_d{k}"
                fn.line(f"_d{k} = {x} if isinstance({x}, dict) else None")
        rebinds_foreach = "foreach" in self.assigned_names() or node.var == "foreach"
        self.loop_counters = None if rebinds_foreach or "foreach" not in specials else (i, size)
        if fn.blocks > MAX_BLOCK_DEPTH or fn.indent > MAX_INDENT:
            fn.line(f"{self.new_function(self.fresh('_s'), node.body)}(st, v, w)")
        else:
            self.statements(node.body)
        self.loop_locals, self.loop_maps, self.loop_counters = outer
        fn.blocks -= 3
        fn.loop_here = was_loop
        fn.indent -= 1
        fn.line("else:")
        fn.line(f"    if {size} > _cap: st.loop_cap({p})", p)
        fn.indent -= 1
        fn.line("except Break:")
        fn.line("    pass")
        fn.line("finally:")
        fn.line(f"    st.iterations -= len({it}) - {i} - 1")
        for j, name in enumerate(names):  # put back what the loop's names held before
            fn.line(f"    if {saved}[{j}] is _MISSING: v.pop({name!r}, None)")
            fn.line(f"    else: v[{name!r}] = {saved}[{j}]")
            if name == "foreach":
                self.stores_for.append((fn, len(fn.lines) - 2, "foreach"))
                self.stores_for.append((fn, len(fn.lines) - 1, "foreach"))

    def stmt_Define(self, node: n.Define) -> None:
        name = self.new_function(self.fresh("_d"), node.body)
        self.fn.line(f"v[{node.name!r}] = DefineBlock({name}, st, v)", node.pos)

    def stmt_Break(self, node: n.Break) -> None:
        if self.fn.loop_here:
            self.fn.line("break", node.pos)
        else:
            self.fn.line("raise Break()", node.pos)

    def stmt_Stop(self, node: n.Stop) -> None:
        self.fn.line("raise Stop()", node.pos)

    def stmt_Unsupported(self, node: n.Unsupported) -> None:
        self.fn.line(f"_unsupported({node.directive!r})", node.pos)

    # ------------------------------------------------------------ expressions

    def hoist(self, node: n.Expr, mode: str) -> str:
        """Move a deep sub-expression into its own function (CPython nesting limits)."""
        if self.set_locals:
            raise _NeedsMap()
        name = self.fresh("_e")
        outer, saved = self.fn, (self.loop_locals, self.loop_maps, self.loop_counters)
        fn = self.fn = _Function(name, "st, v")
        self.loop_locals, self.loop_maps, self.loop_counters = {}, {}, None
        self.functions.append(fn)
        code = self.value(node, 0) if mode == "v" else self.cond(node, 0)
        fn.line(f"return {code}", node.pos)
        self.fn = outer
        self.loop_locals, self.loop_maps, self.loop_counters = saved
        return f"{name}(st, v)"

    def chain(self, ref: n.Ref, depth: int) -> str:
        """The raw value of a reference (None when nullish along the way)."""
        counters = (ref.name == "foreach" and self.loop_counters is not None and bool(ref.parts)
                    and isinstance(ref.parts[0], n.Prop)
                    and ref.parts[0].name in FOREACH_FAST)
        # The loop's own counters read no `$foreach` from the map (so the loop need not store it there).
        code = "" if counters else self.variable(ref.name)
        for k, part in enumerate(ref.parts):
            if k == 0 and counters:
                # The innermost loop of this function, and nothing rebinds $foreach: its own counters.
                i, size = self.loop_counters
                code = f"({FOREACH_FAST[part.name].format(i=i, n=size)})"
            elif k == 0 and ref.name == "foreach" and isinstance(part, n.Prop) and part.name in FOREACH_FAST:
                # `$foreach.hasNext` is in most loops; a #set may have replaced $foreach, hence the check.
                fast = FOREACH_FAST[part.name].format(i="_p.index", n="_p.size")
                code = (f"(({fast}) if type(_p := {code}) is ForeachState "
                        f"else prop(_p, {part.name!r}))")
            elif k == 0 and isinstance(part, n.Prop) and ref.name in self.loop_maps:
                # The loop variable, type-checked once per iteration.
                m = self.loop_maps[ref.name]
                code = f"({m}.get({part.name!r}) if {m} is not None else prop({code}, {part.name!r}))"
            elif isinstance(part, n.Prop):
                # Plain maps (JSON objects, map literals) are the common case: skip the call.
                code = f"(_p.get({part.name!r}) if isinstance(_p := {code}, dict) else prop(_p, {part.name!r}))"
            elif (k == 0 and isinstance(part, n.Call)
                  and (typed := self.typed_call(ref, part, code, depth)) is not None):
                code = typed
            elif (isinstance(part, n.Call) and self.typed and part.name in ("get", "size")
                  and (quick := self.model_call(part, code, depth)) is not None):
                code = quick
            elif isinstance(part, n.Call):
                args = "".join(self.value(a, depth + 1) + ", " for a in part.args)
                # Host objects ($input, $util) whose method the site has seen are called directly;
                # everything else goes through the call site (which learns host methods as it meets them).
                hosts = self.host_methods(part.name, len(part.args))
                code = (f"(_f(_c, {args}) if (_f := {hosts}.get(type(_c := {code}))) is not None "
                        f"else {self.call_site(part.name)}(st, _c, ({args})))")
            else:
                code = f"index({code}, {self.value(part.key, depth + 1)})"
        if any(not isinstance(part, n.Prop) for part in ref.parts):
            # Put the chain on its own lines so a failure inside it maps to this reference. Nested
            # references in arguments bring lines marked with their own positions; every other line
            # (where this chain's calls run once the arguments are evaluated) is marked with this one.
            marked = "\n".join(line if "  #@" in line else f"{line}  #@{ref.pos}" for line in code.split("\n"))
            code = f"(\n{marked}\n)"
        return code

    def value(self, node: n.Expr, depth: int) -> str:
        """Code for the value of an expression (references nullish → "")."""
        if depth > MAX_EXPR_DEPTH:
            return self.hoist(node, "v")
        t = type(node)
        if t is n.Ref:
            if not node.parts:
                code = self.variable(node.name)
                if id(node) in self.read_kinds:
                    return code  # proven non-null
                if code.startswith("g("):
                    return f"g({node.name!r}, '')"
                return f"('' if {code} is None else {code})"
            return f"(_v if (_v := {self.chain(node, depth)}) is not None else '')"  # nn(), inline
        if t is n.Literal:
            if node.value is None:
                return "None"
            return self.const(node.value)
        if t is n.Paren:
            return self.value(node.inner, depth + 1)
        if t is n.ListLit:
            return f"ArrayList(({''.join(self.value(i, depth + 1) + ', ' for i in node.items)}))"
        if t is n.MapLit:
            pairs = "".join(f"({self.value(k, depth + 1)}, {self.value(x, depth + 1)}), " for k, x in node.pairs)
            return f"make_map(({pairs}))"
        if t is n.Range:
            return f"make_range(st, {self.value(node.start, depth + 1)}, {self.value(node.stop, depth + 1)})"
        if t is n.InterpString:
            return self.interp(node, depth)
        if t is n.Not:
            return f"(not {self.cond(node.operand, depth + 1)})"
        if t is n.BinOp:
            op = node.op
            if op in ("&&", "||"):
                word = "and" if op == "&&" else "or"
                return f"({self.cond(node.left, depth + 1)} {word} {self.cond(node.right, depth + 1)})"
            if op in COMPARE:
                if op in ("==", "!=") and (fast := self.equals_literal(node, depth)):
                    return fast if op == "==" else f"(not {fast})"
                if (typed := self.typed_compare(node, depth)) is not None:
                    return typed
                return f"{COMPARE[op]}({self.value(node.left, depth + 1)}, {self.value(node.right, depth + 1)})"
            extra = ""
            if op == "+" and any(isinstance(x, (n.BinOp, n.Paren, n.Range)) for x in (node.left, node.right)):
                extra = f", {self.const(_literal(node.left))}, {self.const(_literal(node.right))}"
            if (typed := self.typed_arith(node, depth, extra)) is not None:
                return typed
            return (f"(\n{ARITH[op]}(st, {self.value(node.left, depth + 1)}, "
                    f"{self.value(node.right, depth + 1)}{extra})  #@{node.pos}\n)")
        raise AssertionError(f"unknown expression node {t.__name__}")

    # ------------------------------------------------------------ typed code

    def kind(self, node: n.Expr) -> tuple[Kind, bool]:
        """``(kind, non_null)`` of ``node``'s value, as far as the compiler can prove it."""
        return kind_of(node, lambda ref: self.read_kinds.get(id(ref)))

    def bounds(self, node: n.Expr) -> tuple[int, int] | None:
        """The least and greatest value of an int operand, where known (literals, loop variables over literal
        ranges)."""
        while type(node) is n.Paren:
            node = node.inner
        if type(node) is n.Literal and type(node.value) is int:
            return node.value, node.value
        if type(node) is n.Ref and not node.parts:
            return self.read_bounds.get(id(node))
        return None

    def is_int(self, node: n.Expr) -> bool:
        kind, non_null = self.kind(node)
        return kind == "int" and non_null

    def typed_arith(self, node: n.BinOp, depth: int, extra: str) -> str | None:
        """``+ - * / %`` as Python operators where the operands are ints (proven, or checked here).

        Each form gives what the runtime's operator gives: an int result
        within ``max_integer_bits`` is the operator's own, anything else
        (an overflow, a negative operand of ``/`` or ``%``, another type) goes
        to the runtime's function with the same operands, which decides.
        """
        if not self.typed:
            return None
        op, left, right = node.op, node.left, node.right
        left_int, right_int = self.is_int(left), self.is_int(right)
        fn = ARITH[op]
        a, b = self.fresh("_a"), self.fresh("_b")
        lb, rb = self.bounds(left), self.bounds(right)
        if lb is not None and rb is not None and _exact(op, lb, rb, self.limits):
            # Both operands bounded and the result always within the limits: the operator alone.
            # (On lines of their own, as the generic code's call: the lines around map failures alike.)
            py = "//" if op == "/" else op
            return f"(\n{self.value(left, depth + 1)} {py} {self.value(right, depth + 1)}  #@{node.pos}\n)"
        # The runtime's call comes first on the first line, as in the generic code, so a failure maps to
        # the same template position; Python evaluates the condition (the operands, left first) before it.
        if op in "+-*":
            r = self.fresh("_r")
            # mul() refuses operands whose bit lengths add up past the limit (whatever the product):
            # the fast `*` takes only operands strictly between _NHB and _HB, whose lengths never do.
            if left_int and right_int:
                if op == "*":
                    check = (f"(_NHB < ({a} := {self.value(left, depth + 1)}) < _HB) & "
                             f"(_NHB < ({b} := {self.value(right, depth + 1)}) < _HB) "
                             f"and _NIB < ({r} := {a} * {b}) < _IB")
                else:
                    check = (f"_NIB < ({r} := ({a} := {self.value(left, depth + 1)}) "
                             f"{op} ({b} := {self.value(right, depth + 1)})) < _IB")
                code = f"{fn}(st, {a}, {b}{extra}) if not ({check}) else {r}"
            elif right_int and _pure(right):  # `$x + 1`: the left one is checked
                b = self.value(right, depth + 1)
                raw, fallback = self.checked_operand(left, a, depth)
                halves = f"_NHB < {a} < _HB and _NHB < {b} < _HB and " if op == "*" else ""
                code = (f"{fn}(st, {fallback}, {b}{extra}) if not (type({a} := {raw}) is int and "
                        f"{halves}_NIB < ({r} := {a} {op} {b}) < _IB) else {r}")
            else:
                return None
            return f"(\n{code}  #@{node.pos}\n)"
        if nonzero_int_literal(right) and _literal_int(right) > 0:  # `/ k` and `% k` with k > 0
            k = self.const(_literal_int(right))
            py = "//" if op == "/" else "%"
            left_code = self.value(left, depth + 1)
            check = f"({a} := {left_code}) >= 0" if left_int else f"type({a} := {left_code}) is int and {a} >= 0"
            code = f"{fn}(st, {a}, {k}) if not ({check}) else {a} {py} {k}"
            return f"(\n{code}  #@{node.pos}\n)"
        return None

    def checked_operand(self, node: n.Expr, local: str, depth: int) -> tuple[str, str]:
        """Code for an operand whose type is checked into ``local``, and the operand's value from ``local``.

        A reference's raw value is checked as it is (an int is an int, nullish or not): only when the
        check fails does it become "" for a null, as :meth:`value` makes it.
        """
        if type(node) is n.Ref and depth + 1 <= MAX_EXPR_DEPTH:
            raw = self.chain(node, depth + 1) if node.parts else self.variable(node.name)
            if node.parts or id(node) not in self.read_kinds:
                return raw, f"('' if {local} is None else {local})"
            return raw, local
        return self.value(node, depth + 1), local

    def typed_compare(self, node: n.BinOp, depth: int) -> str | None:
        """``< <= > >=`` (and ``== !=`` of two ints) as Python comparisons where the operands are ints."""
        if not self.typed:
            return None
        op, left, right = node.op, node.left, node.right
        left_int, right_int = self.is_int(left), self.is_int(right)
        if left_int and right_int:
            return f"({self.value(left, depth + 1)} {op} {self.value(right, depth + 1)})"
        if op in ("==", "!="):
            return None
        fn = COMPARE[op]
        a = self.fresh("_a")
        if right_int and _pure(right):
            b = self.value(right, depth + 1)
            raw, fallback = self.checked_operand(left, a, depth)
            return f"({a} {op} {b} if type({a} := {raw}) is int else {fn}({fallback}, {b}))"
        if left_int and _pure(left):
            x = self.value(left, depth + 1)
            return f"({x} {op} {a} if type({a} := {self.value(right, depth + 1)}) is int else {fn}({x}, {a}))"
        return None

    def typed_call(self, ref: n.Ref, part: n.Call, receiver: str, depth: int) -> str | None:
        """A method of a variable proven to hold a list or a map, without the call site's dispatch."""
        kind = self.read_kinds.get(id(ref))
        name, args = part.name, part.args
        if kind not in ("list", "map"):
            return None
        if name == "size" and not args:
            return f"len({receiver})"
        if name == "get" and len(args) == 1:
            site = self.call_site(name)
            i = self.fresh("_a")
            arg = self.value(args[0], depth + 1)
            if "\n" in arg:
                return None  # keep the generic code's lines, which locate failures
            if kind == "list":  # ArrayList.get: an int within bounds; anything else as the site decides
                check = f"0 <= ({i} := {arg})" if self.is_int(args[0]) else f"type({i} := {arg}) is int and 0 <= {i}"
                return f"({receiver}[{i}] if {check} < len({receiver}) else {site}(st, {receiver}, ({i}, )))"
            akind, _ = self.kind(args[0])
            if akind in ("str", "int"):
                return f"{receiver}.get({arg})"
            return f"({receiver}.get({i}) if type({i} := {arg}) is str else {site}(st, {receiver}, ({i}, )))"
        if name == "put" and len(args) == 2 and kind == "map":
            k, x = self.fresh("_a"), self.fresh("_b")
            key, value = self.value(args[0], depth + 1), self.value(args[1], depth + 1)
            if "\n" in key + value:
                return None
            if _pure(args[0]) and _pure(args[1]):  # no need to evaluate them once, in order, into locals
                return (f"(({receiver}.get({key}), setitem({receiver}, {key}, {value}))[0] "
                        f"if type({key}) is str and len({receiver}) < _MC "
                        f"else map_put(st, {receiver}, ({key}, {value})))")
            # HashMap.put of a String key: the old value; a new key past the size limit goes to the method.
            return (f"(({receiver}.get({k}), setitem({receiver}, {k}, {x}))[0] "
                    f"if (type({k} := {key}), {x} := {value})[0] is str and len({receiver}) < _MC "
                    f"else map_put(st, {receiver}, ({k}, {x})))")
        return None

    def model_call(self, part: n.Call, receiver: str, depth: int) -> str | None:
        """``.size()`` of a list or map, ``.get(key)`` of a plain map with a String key: checked at run time.

        The call sites' functions for these (``_list_size``, ``_map_size``,
        ``_map_get``) are ``len`` and ``dict.get`` there; any other receiver or
        key takes the generic code's path (host method, else the call site),
        with the receiver and then the argument evaluated once, in that order.
        """
        r = self.fresh("_r")
        hosts = self.host_methods(part.name, len(part.args))
        site = self.call_site(part.name)
        if part.name == "size" and not part.args:
            return (f"(len({r}) if type({r} := {receiver}) in _LD "
                    f"else _f({r}, ) if (_f := {hosts}.get(type({r}))) is not None else {site}(st, {r}, ()))")
        if part.name == "get" and len(part.args) == 1:
            arg = self.value(part.args[0], depth + 1)
            if "\n" in arg:
                return None  # keep the generic code's lines, which locate failures
            a = self.fresh("_a")
            return (f"({r}.get({a}) if (type({r} := {receiver}) is dict) & (type({a} := {arg}) is str) "
                    f"else _f({r}, {a}) if (_f := {hosts}.get(type({r}))) is not None else {site}(st, {r}, ({a}, )))")
        return None

    def equals_literal(self, node: n.BinOp, depth: int) -> str | None:
        """``x == literal`` without a call when ``x`` has the literal's type (``eq`` otherwise)."""
        left, right = node.left, node.right
        if not isinstance(right, n.Literal):
            left, right = right, left  # == is symmetric in Velocity
        if not isinstance(right, n.Literal) or isinstance(left, n.Literal):
            return None
        k = right.value
        if type(k) in (bool, int) and isinstance(left, n.Ref) and depth < MAX_EXPR_DEPTH:
            # A nullish operand need not become "" first: eq() tells null from true or 7 just as well.
            other = self.chain(left, depth + 1) if left.parts else self.variable(left.name)
        else:
            other = self.value(left, depth + 1)
        if type(k) is bool:
            return f"(_q is {k} if type(_q := {other}) is bool else eq(_q, {k}))"
        if type(k) in (str, int):
            const = self.const(k)
            return f"(_q == {const} if type(_q := {other}) is {type(k).__name__} else eq(_q, {const}))"
        return None

    def cond(self, node: n.Expr, depth: int) -> str:
        """Code for an ``#if`` condition, with Velocity 1.7's evaluate() rules.

        A condition that is only a literal (string, number, list, map, range) or
        arithmetic is false without being evaluated, as in 1.7 (U03).
        """
        if depth > MAX_EXPR_DEPTH:
            return self.hoist(node, "c")
        t = type(node)
        if t is n.Ref:
            code = self.variable(node.name) if not node.parts else self.chain(node, depth)
            if (self.loop_counters is not None and node.name == "foreach" and len(node.parts) == 1
                    and type(node.parts[0]) is n.Prop and node.parts[0].name in _FOREACH_BOOLS):
                return code  # the loop's own counters: already a bool
            return f"({code} is not False)"
        if t is n.Literal:
            return "True" if node.value is True else "False"
        if t is n.Paren:
            return self.cond(node.inner, depth + 1)
        if t is n.Not:
            return f"(not {self.cond(node.operand, depth + 1)})"
        if t is n.BinOp:
            if node.op in ("&&", "||") or node.op in COMPARE:
                return self.value(node, depth)
            return "False"
        return "False"

    def interp(self, node: n.InterpString, depth: int) -> str:
        body = node.body
        if all(isinstance(s, (n.Text, n.Output)) for s in body) and not self.can_escape():
            parts = []
            for s in body:
                if isinstance(s, n.Text):
                    parts.append(self.const(s.text))
                else:
                    parts.append(f"text({self.chain(s.ref, depth + 1)})")
            return f"check_str(st, ''.join(({''.join(p + ', ' for p in parts)})))"
        name = self.new_function(self.fresh("_f"), body)
        return f"interpolate(st, {name}, v)"


def _exact(op: str, a: tuple[int, int], b: tuple[int, int], limits: rt.Limits) -> bool:
    """Whether Python's ``op`` gives the runtime's result for every int in ``a`` and ``b`` (least, greatest)."""
    biggest = max(abs(a[0]), abs(a[1])).bit_length(), max(abs(b[0]), abs(b[1])).bit_length()
    if op in "+-":
        return max(biggest) + 1 <= min(62, limits.max_integer_bits)
    if op == "*":
        return biggest[0] + biggest[1] <= min(62, limits.max_integer_bits)  # mul()'s own check passes too
    # / and %: Java's truncating division equals Python's floor division for a >= 0, b > 0.
    return a[0] >= 0 and b[0] > 0


def _half_bits(limits: rt.Limits) -> int:
    """Operands of fewer bits than this multiply where mul() multiplies them (see Compiler.typed_arith)."""
    return min(31, (limits.max_integer_bits + 1) // 2)


def _pure(node: n.Expr) -> bool:
    """Whether evaluating ``node`` can neither fail nor be told apart when done twice or out of order."""
    while type(node) is n.Paren:
        node = node.inner
    return type(node) is n.Literal or (type(node) is n.Ref and not node.parts)


def _literal_int(node: n.Expr) -> int:
    while type(node) is n.Paren:
        node = node.inner
    return node.value


def _printed(t: str) -> str:
    """How the value in local ``t`` prints: strings, ints and everyday floats without a call to text()."""
    return (f"{t} if (_y := type({t})) is str else str({t}) if _y is int "
            f"else repr({t}) if _y is float and {PLAIN_DOUBLE_MIN!r} <= {t} < {PLAIN_DOUBLE_MAX!r} else text({t})")


def _literal(node: n.Expr) -> str:
    """The text Velocity 1.7 prints for an operand of ``+`` that evaluated to null."""
    return getattr(node, "literal", "") or ""


def compile_tree(body: list[n.Stmt], filename: str, limits: rt.Limits, *, facts: TreeFacts | None = None,
                 switchable: bool = False, trace: bool = False, typed: bool = True) -> Compiled:
    """Compile a parsed template.

    ``facts`` (from an earlier compile of the same tree) skips the survey;
    ``switchable`` compiles ``#if`` chains that obey ``st.forced``; ``trace``
    compiles writes that name their node, for output origins. ``typed=False``
    compiles every operation through the generic runtime, with every variable
    in the map: the reference the typed code is tested against.
    """
    if facts is None:
        facts = survey(body)
    try:
        return Compiler(limits, facts=facts, switchable=switchable, trace=trace, typed=typed).compile(body, filename)
    except _NeedsMap:
        return Compiler(limits, facts=facts, switchable=switchable, trace=trace, typed=typed,
                        set_locals=False).compile(body, filename)
