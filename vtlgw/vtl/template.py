"""A compiled template and its render entry point.

``Template.cached`` compiles each distinct template text once; rendering never
re-parses. Every failure surfaces as a :class:`vtlgw.VtlError` with a location:
faults inside generated code are mapped back through the compiler's line
markers.

For tools (linters, test plugins) a template also keeps its parsed ``tree``,
renders with output origins (:meth:`Template.render_traced`) and compiles
variants whose ``#if`` chains take a chosen branch (:meth:`Template.variant`).
Both compile on first use and are cached, so plain ``render`` never pays for them.
"""

from __future__ import annotations

import gc
import itertools
import threading
from bisect import bisect_right
from collections import OrderedDict
from typing import Any, Callable, Mapping, NamedTuple

from vtlgw.vtl import nodes as n
from vtlgw.vtl import runtime as rt
from vtlgw.vtl.compiler import Compiled, compile_tree, top_level_reads
from vtlgw.vtl.diagnostics import Diagnostic, Location
from vtlgw.vtl.errors import (
    JavaException,
    LimitExceeded,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    VtlError,
    locate,
)
from vtlgw.vtl.limits import output_error, template_too_large_message
from vtlgw.vtl.parser import parse
from vtlgw.vtl.values import HostObject, JHashMap
from vtlgw.vtl.warning import text_location

_ids = itertools.count(1)
_CACHE: OrderedDict[tuple, "Template"] = OrderedDict()
_CACHE_SIZE = 512
_CACHE_LOCK = threading.Lock()
_VARIANTS = 256  # variants kept per template (small objects: they share one switchable compile)


def copy_value(x: Any) -> Any:
    """A deep copy that keeps the value model's types, so renders never mutate their inputs."""
    if isinstance(x, dict):
        copy = type(x)() if isinstance(x, JHashMap) or type(x) is not dict else {}
        for k, v in x.items():
            dict.__setitem__(copy, k, copy_value(v))
        return copy
    if isinstance(x, list):
        return type(x)(copy_value(v) for v in x)
    return x


class IfChain(NamedTuple):
    """One ``#if`` chain of a template, as :meth:`Template.variant` forces it."""

    pos: int  # source offset of its #if
    branches: int  # the #if and its #elseif branches
    has_else: bool


class Traced:
    """A render's output with the template position that wrote each character."""

    __slots__ = ("text", "_source", "_starts", "_nodes")

    def __init__(self, text: str, source: str, starts: list[int], nodes: list[n.Node | None]) -> None:
        self.text = text
        self._source = source
        self._starts = starts  # per write, its offset in the output
        self._nodes = nodes  # per write, the Text or Ref that wrote it (None: not known)

    def __str__(self) -> str:
        return self.text

    def writer(self, offset: int) -> n.Node | None:
        """The node that wrote output character ``offset``: a ``Text`` run or a printed ``Ref``."""
        if not 0 <= offset < len(self.text):
            return None
        i = bisect_right(self._starts, offset) - 1
        return self._nodes[i] if i >= 0 else None

    def source_offset(self, offset: int) -> int | None:
        """The template offset that wrote output character ``offset`` (None when not known)."""
        node = self.writer(offset)
        if node is None:
            return None
        if type(node) is n.Text:
            i = bisect_right(self._starts, offset) - 1
            return node.source_offset(offset - self._starts[i])  # literal text: the very character
        return node.pos  # a reference: where it starts

    def origin(self, offset: int) -> tuple[int, int] | None:
        """The 1-based ``(line, column)`` in the template that wrote output character ``offset``."""
        at = self.source_offset(offset)
        if at is None:
            return None
        line, col, _ = locate(self._source, at)
        return line, col


class _Recorder:
    """A traced compile's writer: keeps the output and, per write, where it starts and who wrote it."""

    __slots__ = ("out", "starts", "indexes", "length")

    def __init__(self) -> None:
        self.out: list[str] = []
        self.starts: list[int] = []
        self.indexes: list[int] = []
        self.length = 0

    def __call__(self, s: str, index: int = -1) -> None:
        if s:
            self.starts.append(self.length)
            self.indexes.append(index)
            self.length += len(s)
            self.out.append(s)


class Template:
    """One template: parsed and compiled at construction, rendered many times."""

    def __init__(self, source: str, name: str = "<template>", limits: rt.Limits | None = None) -> None:
        self.source = source
        self.name = name
        self.limits = limits or rt.DEFAULT_LIMITS
        size = len(source.encode("utf-8", "surrogatepass"))
        if size > self.limits.max_template_bytes:
            raise TemplateSyntaxError(
                template_too_large_message(size, self.limits.max_template_bytes), name=name, line=1, column=1,
                source_line=source.split("\n", 1)[0][:200])
        self.tree: list[n.Stmt] = self._without_gc(
            lambda: parse(source, name, max_depth=self.limits.max_parse_depth))
        """The parsed template (statements of :mod:`vtlgw.vtl.nodes`); walk it with ``nodes.walk``."""
        self.forced: Mapping[int, int] = {}
        """For a variant, the #if chain offsets and the branch each always takes."""
        self._compiled: Compiled = self._compile(switchable=False, trace=False, facts=None)
        self._traced: Compiled | None = None
        self._switchable: dict[bool, Compiled] = {}  # traced? -> the compile every variant shares
        self._base = self
        self._variants: OrderedDict[tuple, Template] | None = None
        self._chains: tuple[IfChain, ...] | None = None
        self._chain_starts: frozenset[int] | None = None

    def _without_gc(self, build: Callable[[], Any]) -> Any:
        # Parsing and compiling allocate many small acyclic objects; the cyclic GC only slows them down.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            return build()
        except (RecursionError, SyntaxError, MemoryError) as exc:  # pragma: no cover - defensive
            raise TemplateSyntaxError(f"template too deeply nested to compile ({type(exc).__name__})",
                                      name=self.name, line=1, column=1, source_line=None) from None
        finally:
            if gc_was_enabled:
                gc.enable()

    def _compile(self, *, switchable: bool, trace: bool, facts: Any) -> Compiled:
        filename = f"<vtl:{next(_ids)}>"
        return self._without_gc(
            lambda: compile_tree(self.tree, filename, self.limits, facts=facts, switchable=switchable, trace=trace))

    def _switchable_compile(self, trace: bool) -> Compiled:
        """The compile whose #if chains obey a render's forcing (made once per template and mode)."""
        base = self._base
        compiled = base._switchable.get(trace)
        if compiled is None:
            compiled = base._switchable[trace] = base._compile(switchable=True, trace=trace,
                                                               facts=base._compiled.facts)
        return compiled

    @classmethod
    def cached(cls, source: str, name: str = "<template>", limits: rt.Limits | None = None) -> "Template":
        """The compiled template for this text, compiling it only the first time.

        The key is the text (whose hash Python keeps), the name and the limits; a hit is one dict lookup.
        """
        key = (source, name, limits)
        hit = _CACHE.get(key)  # one lookup, and one move to the recent end (each atomic), without the lock
        if hit is not None:
            try:
                _CACHE.move_to_end(key)
            except KeyError:  # another thread evicted it meanwhile: it is still this text's template
                pass
            return hit
        with _CACHE_LOCK:
            hit = _CACHE.get(key)
            if hit is not None:
                _CACHE.move_to_end(key)
                return hit
        template = cls(source, name, limits)
        with _CACHE_LOCK:
            _CACHE[key] = template
            if len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
        return template

    def top_level_reads(self, name: str) -> frozenset[str] | None:
        """The keys of the map in ``$name`` this template can observe (None: the map itself), found once.

        See :func:`vtlgw.vtl.compiler.top_level_reads`; a host builds only those
        keys of a map whose building cannot fail, for this template.
        """
        try:
            reads = self._reads
        except AttributeError:  # made on the first call (variants share the tree, each keeps its own)
            reads = self._reads = {}
        if name not in reads:
            reads[name] = top_level_reads(self.tree, name)
        return reads[name]

    # ------------------------------------------------------------ branch forcing

    def if_chains(self) -> tuple[IfChain, ...]:
        """Every ``#if`` chain in source order (string literals' and ``#define`` bodies' included)."""
        if self._chains is None:
            self._chains = tuple(IfChain(x.pos, len(x.branches), x.otherwise is not None)
                                 for x in n.walk(self.tree) if type(x) is n.If)
        return self._chains

    def variant(self, forced: Mapping[int, int]) -> "Template":
        """This template with each ``#if`` chain at offset ``pos`` always taking branch ``forced[pos]``.

        Branch 0 is the ``#if``, 1.. the ``#elseif`` branches, ``branches`` the
        ``#else``; an index past the last branch (with no ``#else``, ``branches``
        already) runs no branch. The forced chains' conditions are not
        evaluated; every other condition is. Variants render (traced too) like
        the template itself; a variant's variant adds to its forcing. All
        variants of a template share one extra compile, made on the first call.
        """
        merged = {**self.forced, **forced}
        base = self._base
        if not merged:
            return base
        if base._chain_starts is None:
            base._chain_starts = frozenset(chain.pos for chain in base.if_chains())
        for pos, branch in merged.items():
            if pos not in base._chain_starts:
                raise ValueError(f"no #if chain starts at offset {pos} of {self.name}")
            if type(branch) is not int or branch < 0:
                raise ValueError(f"branch index must be an int >= 0, not {branch!r}")
        key = tuple(sorted(merged.items()))
        with _CACHE_LOCK:
            if base._variants is None:
                base._variants = OrderedDict()
            hit = base._variants.get(key)
            if hit is not None:
                base._variants.move_to_end(key)
                return hit
        variant = Template.__new__(Template)
        variant.source, variant.name, variant.limits, variant.tree = base.source, base.name, base.limits, base.tree
        variant.forced = dict(key)
        variant._compiled = base._switchable_compile(trace=False)
        variant._traced = None
        variant._switchable = {}
        variant._base = base
        variant._variants = None
        variant._chains, variant._chain_starts = base._chains, base._chain_starts
        with _CACHE_LOCK:
            base._variants[key] = variant
            if len(base._variants) > _VARIANTS:
                base._variants.popitem(last=False)
        return variant

    # ------------------------------------------------------------ rendering

    def where(self, offset: int) -> str:
        line, col, _ = locate(self.source, offset)
        return f"{self.name}:{line}:{col}"

    def location(self, offset: int) -> Location:
        """Template offset -> its :class:`Location` (name, line, column, source line), as warnings cite it."""
        return text_location(self.name, self.source, offset)

    def render(self, variables: dict[str, Any] | None = None, *, warnings: list[Diagnostic] | None = None,
               copy: bool = True) -> str:
        """Render with ``variables`` (model values or host objects).

        Inputs are deep-copied first (``copy=False`` skips that for callers that
        build fresh values per render). Warnings (loop caps) are appended to
        ``warnings`` when given, as warning :class:`Diagnostic` objects.
        """
        out: list[str] = []
        return self._execute(self._compiled, variables, warnings, copy, out, out.append)

    def render_traced(self, variables: dict[str, Any] | None = None, *, warnings: list[Diagnostic] | None = None,
                      copy: bool = True) -> Traced:
        """Render as :meth:`render` does, also recording which template position wrote each character.

        The output is the same; a separate compile (made on first use, then
        cached) passes every write's node to the writer. Literal text maps to
        its exact character, a printed reference to its ``$``; a printed
        ``#define`` block's text keeps its own origins. Text that became a
        value first (a string literal, a block inside one) maps to the
        reference that printed the value.
        """
        compiled = self._traced
        if compiled is None:
            if self._base is self:
                compiled = self._traced = self._compile(switchable=False, trace=True, facts=self._compiled.facts)
            else:
                compiled = self._traced = self._switchable_compile(trace=True)
        recorder = _Recorder()
        text = self._execute(compiled, variables, warnings, copy, recorder.out, recorder)
        nodes = compiled.write_nodes or []
        return Traced(text, self.source, recorder.starts, [nodes[i] if i >= 0 else None for i in recorder.indexes])

    def _execute(self, compiled: Compiled, variables: dict[str, Any] | None, warnings: list[Diagnostic] | None,
                 copy: bool, out: list[str], w: Callable[..., None]) -> str:
        """Run one compiled render writing through ``w`` into ``out``; every failure located."""
        if not copy:
            v = {key: value for key, value in variables.items() if value is not None} if variables else {}
        else:
            v = {key: value if isinstance(value, HostObject) else copy_value(value)
                 for key, value in (variables or {}).items() if value is not None}
        st = rt.RenderState(self.limits, out, self.location)
        if compiled.switchable:
            st.forced = self.forced
        try:
            try:
                compiled.render(st, v, w)
            except rt.Stop as stop:
                w(stop.pending)
            except rt.Break:  # #break outside any loop ends the render, as #stop does
                pass
            result = "".join(out)
            if len(result) > self.limits.max_output_chars:
                raise output_error(self.limits)
        except TemplateError as exc:
            if not exc.line:
                self._locate(exc, exc.__traceback__, compiled)
            raise exc.with_traceback(None) from None
        except JavaException as exc:
            from vtlgw.vtl.jregex import RegexTimeoutError

            cls = LimitExceeded if isinstance(exc, RegexTimeoutError) else TemplateRuntimeError
            raise self._error(cls, exc.message if cls is LimitExceeded else str(exc), exc.__traceback__,
                              compiled) from None
        except VtlError as exc:
            raise self._error(TemplateRuntimeError, str(exc), exc.__traceback__, compiled) from None
        except RecursionError as exc:
            raise self._error(LimitExceeded, "values or blocks nested too deeply (engine limit)",
                              exc.__traceback__, compiled) from None
        except MemoryError as exc:
            raise self._error(LimitExceeded, "out of memory while rendering (engine limit)",
                              exc.__traceback__, compiled) from None
        except Exception as exc:  # a bug in vtlgw; still never a raw Python exception
            raise self._error(TemplateRuntimeError,
                              f"internal error in vtlgw ({type(exc).__name__}: {exc}); please report it",
                              exc.__traceback__, compiled) from None
        finally:
            if warnings is not None:
                warnings.extend(st.warnings)
        return result

    def _offset_from(self, tb: Any, compiled: Compiled) -> int:
        offset = None
        filename = compiled.filename
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == filename:
                offset = compiled.position_of_line(tb.tb_lineno)
            tb = tb.tb_next
        return 0 if offset is None else offset

    def _locate(self, exc: TemplateError, tb: Any, compiled: Compiled) -> None:
        line, col, text = locate(self.source, self._offset_from(tb, compiled))
        exc.name, exc.line, exc.column, exc.source_line = self.name, line, col, text

    def _error(self, cls: type[TemplateError], message: str, tb: Any, compiled: Compiled) -> TemplateError:
        exc = cls(message)
        self._locate(exc, tb, compiled)
        return exc
