"""A compiled template and its render entry point.

``Template.cached`` compiles each distinct template text once; rendering never
re-parses. Every failure surfaces as a :class:`vtlgw.VtlError` with a location:
faults inside generated code are mapped back through the compiler's line
markers.
"""

from __future__ import annotations

import gc
import itertools
import threading
from collections import OrderedDict
from typing import Any

from vtlgw.vtl import runtime as rt
from vtlgw.vtl.compiler import Compiled, compile_tree
from vtlgw.vtl.nodes import Stmt
from vtlgw.vtl.errors import (
    JavaException,
    LimitExceeded,
    TemplateError,
    TemplateRuntimeError,
    TemplateSyntaxError,
    VtlError,
    locate,
)
from vtlgw.vtl.parser import parse
from vtlgw.vtl.values import HostObject, JHashMap

_ids = itertools.count(1)
_CACHE: OrderedDict[tuple, "Template"] = OrderedDict()
_CACHE_SIZE = 512
_CACHE_LOCK = threading.Lock()


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


class Template:
    """One template: parsed and compiled at construction, rendered many times."""

    def __init__(self, source: str, name: str = "<template>", limits: rt.Limits | None = None) -> None:
        self.source = source
        self.name = name
        self.limits = limits or rt.DEFAULT_LIMITS
        size = len(source.encode("utf-8", "surrogatepass"))
        if size > self.limits.max_template_bytes:
            raise TemplateSyntaxError(
                f"template is {size} bytes; API Gateway accepts at most {self.limits.max_template_bytes} "
                f"bytes (300 KB) per mapping template", name=name, line=1, column=1,
                source_line=source.split("\n", 1)[0][:200])
        # Parsing allocates many small acyclic objects; the cyclic GC only slows it down.
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            tree = parse(source, name, max_depth=self.limits.max_parse_depth)
            self.tree: list[Stmt] = tree
            """The parsed template (statements of :mod:`vtlgw.vtl.nodes`); walk it with ``nodes.walk``."""
            self._compiled: Compiled = compile_tree(tree, f"<vtl:{next(_ids)}>", self.limits, source)
        except (RecursionError, SyntaxError, MemoryError) as exc:  # pragma: no cover - defensive
            raise TemplateSyntaxError(f"template too deeply nested to compile ({type(exc).__name__})",
                                      name=name, line=1, column=1, source_line=None) from None
        finally:
            if gc_was_enabled:
                gc.enable()

    @classmethod
    def cached(cls, source: str, name: str = "<template>", limits: rt.Limits | None = None) -> "Template":
        """The compiled template for this text, compiling it only the first time."""
        key = (source, name, limits)
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

    # ------------------------------------------------------------ rendering

    def where(self, offset: int) -> str:
        line, col, _ = locate(self.source, offset)
        return f"{self.name}:{line}:{col}"

    def render(self, variables: dict[str, Any] | None = None, *, warnings: list[str] | None = None,
               copy: bool = True) -> str:
        """Render with ``variables`` (model values or host objects).

        Inputs are deep-copied first (``copy=False`` skips that for callers that
        build fresh values per render). Warnings (loop caps) are appended to
        ``warnings`` when given.
        """
        if not copy:
            v = {key: value for key, value in variables.items() if value is not None} if variables else {}
        else:
            v = {key: value if isinstance(value, HostObject) else copy_value(value)
                 for key, value in (variables or {}).items() if value is not None}
        out: list[str] = []
        st = rt.RenderState(self.limits, out, self.where)
        try:
            try:
                self._compiled.render(st, v, out.append)
            except rt.Stop as stop:
                out.append(stop.pending)
            except rt.Break:  # #break outside any loop ends the render, as #stop does
                pass
            result = "".join(out)
            if len(result) > self.limits.max_output_chars:
                raise LimitExceeded(f"output larger than {self.limits.max_output_chars} characters (engine limit)")
        except TemplateError as exc:
            if not exc.line:
                self._locate(exc, exc.__traceback__)
            raise exc.with_traceback(None) from None
        except JavaException as exc:
            from vtlgw.vtl.jregex import RegexTimeoutError

            cls = LimitExceeded if isinstance(exc, RegexTimeoutError) else TemplateRuntimeError
            raise self._error(cls, exc.message if cls is LimitExceeded else str(exc), exc.__traceback__) from None
        except VtlError as exc:
            raise self._error(TemplateRuntimeError, str(exc), exc.__traceback__) from None
        except RecursionError as exc:
            raise self._error(LimitExceeded, "values or blocks nested too deeply (engine limit)",
                              exc.__traceback__) from None
        except MemoryError as exc:
            raise self._error(LimitExceeded, "out of memory while rendering (engine limit)",
                              exc.__traceback__) from None
        except Exception as exc:  # a bug in vtlgw; still never a raw Python exception
            raise self._error(TemplateRuntimeError,
                              f"internal error in vtlgw ({type(exc).__name__}: {exc}); please report it",
                              exc.__traceback__) from None
        finally:
            if warnings is not None:
                warnings.extend(st.warnings)
        return result

    def _offset_from(self, tb: Any) -> int:
        offset = None
        filename = self._compiled.filename
        while tb is not None:
            if tb.tb_frame.f_code.co_filename == filename:
                offset = self._compiled.position_of_line(tb.tb_lineno)
            tb = tb.tb_next
        return 0 if offset is None else offset

    def _locate(self, exc: TemplateError, tb: Any) -> None:
        line, col, text = locate(self.source, self._offset_from(tb))
        exc.name, exc.line, exc.column, exc.source_line = self.name, line, col, text

    def _error(self, cls: type[TemplateError], message: str, tb: Any) -> TemplateError:
        exc = cls(message)
        self._locate(exc, tb)
        return exc
