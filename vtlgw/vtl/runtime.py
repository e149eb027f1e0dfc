"""What compiled templates call at render time: operators, truthiness, printing, limits.

This module and :mod:`vtlgw.vtl.methods` are the sandbox's single choke point:
compiled code reaches values only through :func:`prop`, :func:`call`,
:func:`index` and the setters here, which dispatch on the Java value model and
never on Python attributes.
"""

from __future__ import annotations

import math
from typing import Any, Callable

from vtlgw.vtl import methods
from vtlgw.vtl.diagnostics import Diagnostic, Location
from vtlgw.vtl.errors import JavaException, LimitExceeded
from vtlgw.vtl.limits import (  # noqa: F401  (Limits, DEFAULT_LIMITS: importable from here, as before)
    DEFAULT_LIMITS,
    MAX_STRING_CHARS,
    Limits,
    check_collection,
    define_depth_error,
    integer_error,
    output_error,
    string_error,
)
from vtlgw.vtl.values import (
    PLAIN_DOUBLE_MAX,
    PLAIN_DOUBLE_MIN,
    ArrayList,
    Entry,
    HostObject,
    JHashMap,
    java_double_str,
    java_equals,
    text_longer_than,
    to_text,
)
from vtlgw.vtl.warning import warning


class Break(Exception):
    """``#break`` that leaves a loop from a nested function."""


class Stop(Exception):
    """``#stop`` (or ``#break`` outside any loop): end rendering, keep the output.

    ``pending`` is what the ``#define`` blocks it passed through had printed:
    their text is not in the output yet, since a block's text is written where
    the block is printed.
    """

    pending = ""


class RenderState:
    """Per-render bookkeeping: limits, counters, warnings."""

    __slots__ = ("limits", "iterations", "next_check", "warnings", "define_depth", "out", "warned_loops",
                 "where", "_out_counted", "_out_chars", "forced")

    CHECK_EVERY = 256
    """Loops check the limits after this many iterations (and at every loop start past it)."""

    def __init__(self, limits: Limits, out: list[str], where: Callable[[int], Location]) -> None:
        self.limits = limits
        self.where = where  # template offset -> its Location, for warnings
        self.iterations = 0
        self.next_check = self.CHECK_EVERY
        self.warnings: list[Diagnostic] = []
        self.warned_loops: set[int] | None = None
        self.define_depth = 0
        self.out = out
        self._out_counted = 0  # out[:_out_counted] is summed in _out_chars
        self._out_chars = 0
        # self.forced (#if chain offset -> branch) is set only for a switchable compile's renders.

    def loop_cap(self, pos: int) -> None:
        """A ``#foreach`` reached its per-loop cap (U06): warn once per loop, or fail."""
        cap = self.limits.max_loop_iterations
        if self.limits.loop_limit_is_error:
            raise LimitExceeded(f"#foreach exceeded {cap} iterations (API Gateway's limit per loop)")
        if self.warned_loops is None:
            self.warned_loops = set()
        if pos not in self.warned_loops:
            self.warned_loops.add(pos)
            self.warnings.append(
                warning(f"#foreach stopped after {cap} iterations (API Gateway's limit per loop)", self.where(pos)))

    def tick_check(self) -> None:
        """Called by loops now and then: enforce the iteration budget and the output size."""
        if self.iterations > self.limits.max_total_iterations:
            raise LimitExceeded(
                f"more than {self.limits.max_total_iterations} loop iterations in one render (engine limit)")
        self.next_check = self.iterations + self.CHECK_EVERY
        self.check_output()

    def check_output(self) -> None:
        out = self.out
        if len(out) > self._out_counted:  # only what was written since the last check
            self._out_chars += sum(map(len, out[self._out_counted:]))
            self._out_counted = len(out)
        if self._out_chars > self.limits.max_output_chars:
            raise output_error(self.limits)


class ForeachState(HostObject):
    """``$foreach``: index, count, hasNext, first, last, parent (Velocity 1.7's loop scope)."""

    __slots__ = ("index", "size", "parent")

    def __init__(self, size: int, parent: Any) -> None:
        self.index = 0
        self.size = size
        self.parent = parent if isinstance(parent, ForeachState) else None

    def vtl_get(self, name: str) -> Any:
        if name == "index":
            return self.index
        if name == "count":
            return self.index + 1
        if name == "hasNext":
            return self.index + 1 < self.size
        if name == "first":
            return self.index == 0
        if name == "last":
            return self.index + 1 >= self.size
        if name == "parent":
            return self.parent
        if name == "topmost":
            top = self
            while top.parent is not None:
                top = top.parent
            return top
        return None

    _GETTERS = {"getIndex": "index", "getCount": "count", "hasNext": "hasNext", "isFirst": "first",
                "isLast": "last", "getParent": "parent", "getTopmost": "topmost", "getFirst": "first",
                "getLast": "last", "getHasNext": "hasNext"}

    def vtl_call(self, name: str, args: list) -> Any:
        prop = self._GETTERS.get(name)
        if prop is None or args:
            return None
        return self.vtl_get(prop)


class DefineBlock:
    """A ``#define`` block: renders with the variables in scope when it is printed."""

    __slots__ = ("fn", "state", "variables")
    traced = False  # compiled with traced writes (w(text, index)): see TracedDefineBlock

    def __init__(self, fn: Callable, state: RenderState, variables: dict) -> None:
        self.fn = fn
        self.state = state
        self.variables = variables

    def vtl_text(self) -> str:
        st = self.state
        if st.define_depth >= st.limits.max_define_depth:
            raise define_depth_error(st.limits)
        st.define_depth += 1
        buf: list[str] = []
        try:
            self.fn(st, self.variables, buf.append if not self.traced else _untraced(buf))
        except Break:
            pass  # #break leaves the block (its scope in Velocity 1.7), keeping what it printed
        except Stop as stop:
            stop.pending = "".join(buf) + stop.pending  # #stop keeps what the block printed so far
            raise
        finally:
            st.define_depth -= 1
        return "".join(buf)


class TracedDefineBlock(DefineBlock):
    """A ``#define`` block of a traced compile, whose writes name their node.

    Printed by a reference it writes straight into the traced output
    (:meth:`write_to`), so its text keeps its own origins; as a value (in a
    string, an argument) it is text like any block.
    """

    __slots__ = ()
    traced = True

    def write_to(self, w: Callable[..., None]) -> None:
        """Print the block through ``w``: the same text, in the same place, as ``w(text(block))``.

        A ``#stop`` passes through unchanged: what the block wrote is already
        output, so nothing of it is pending.
        """
        st = self.state
        if st.define_depth >= st.limits.max_define_depth:
            raise define_depth_error(st.limits)
        st.define_depth += 1
        try:
            self.fn(st, self.variables, w)
        except Break:
            pass  # as in vtl_text: #break leaves the block
        finally:
            st.define_depth -= 1


def _untraced(buf: list[str]) -> Callable[..., None]:
    """A traced writer into ``buf`` that forgets where each write came from."""
    append = buf.append

    def write(s: str, _node: int) -> None:
        append(s)
    return write


# ------------------------------------------------------------------ printing


def text(x: Any) -> str:
    """How a reference prints: nullish prints nothing, everything else its Java toString."""
    t = type(x)
    if t is float:  # compiled output prints strings and ints itself, so floats come first here
        if PLAIN_DOUBLE_MIN <= x < PLAIN_DOUBLE_MAX or -PLAIN_DOUBLE_MAX < x <= -PLAIN_DOUBLE_MIN:
            return repr(x)  # as java_double_str, without the call
        return java_double_str(x)
    if t is str:
        return x
    if t is int:
        return str(x)
    if x is None:
        return ""
    if (t is list or isinstance(x, (list, dict))) and x and text_longer_than(x, MAX_STRING_CHARS):
        raise LimitExceeded(f"this list or map would print as more than {MAX_STRING_CHARS} characters "
                            "(engine limit on strings); print a part of it")
    return to_text(x)


def nn(x: Any) -> Any:
    """The AWS null model: a nullish reference evaluates to the empty String."""
    return "" if x is None else x


def check_str(st: RenderState, s: str) -> str:
    if len(s) > st.limits.max_string_chars:
        raise string_error(st.limits)
    return s


def interpolate(st: RenderState, fn: Callable, v: dict) -> str:
    buf: list[str] = []
    try:
        fn(st, v, buf.append)
    except Stop as stop:
        stop.pending = ""  # the string is never finished: Velocity 1.7 drops its text, blocks' included
        raise
    return check_str(st, "".join(buf))


def traced_interpolate(st: RenderState, fn: Callable, v: dict) -> str:
    """:func:`interpolate` for a traced compile, whose writes carry a node index."""
    buf: list[str] = []
    try:
        fn(st, v, _untraced(buf))
    except Stop as stop:
        stop.pending = ""
        raise
    return check_str(st, "".join(buf))


# ------------------------------------------------------------------ access


def prop(x: Any, name: str) -> Any:
    """``$x.name``: Map get; ``empty`` on Strings and Lists; host properties; else nullish."""
    if x is None:
        return None
    if isinstance(x, dict):
        try:
            return x.get(name)
        except TypeError:
            return None
    if type(x) is str or isinstance(x, list):
        return len(x) == 0 if name == "empty" else None
    if isinstance(x, HostObject):
        return x.vtl_get(name)
    if type(x) is Entry:
        if name == "key":
            return x.key
        if name == "value":
            return x.value
    return None


def call(st: RenderState, x: Any, name: str, args: tuple) -> Any:
    """``$x.name(args)``: only allow-listed Java methods; anything else is nullish."""
    if x is None:
        return None
    if isinstance(x, HostObject):
        return x.vtl_call(name, list(args))
    return methods.invoke(st, x, name, args)


def call_site(name: str) -> Callable[[RenderState, Any, tuple], Any]:
    """:func:`call` for one method name, looked up once per template instead of per call.

    The returned function's ``hosts[argc]`` maps each host-object class seen so
    far to its method of that name and argument count
    (:meth:`HostObject.vtl_method`); compiled code calls those directly and
    comes here only on a miss.
    """
    by_type = methods.methods_named(name)
    no_match = methods.NO_MATCH
    hosts: dict[int, dict[type, Callable[..., Any]]] = {}

    def site(st: RenderState, x: Any, args: tuple) -> Any:
        fn = by_type.get(type(x))
        if fn is not None:
            result = fn(st, x, args)
            return None if result is no_match else result
        if isinstance(x, HostObject):
            method = type(x).vtl_method(name, len(args))
            if method is None:
                return x.vtl_call(name, list(args))
            hosts.setdefault(len(args), {})[type(x)] = method
            return method(x, *args)
        return call(st, x, name, args)

    site.hosts = hosts  # type: ignore[attr-defined]
    return site


def index(x: Any, key: Any) -> Any:
    """``$x[key]``: list position (negative from the end), map key; else nullish."""
    if x is None:
        return None
    if isinstance(x, list):
        if type(key) is not int:
            return None
        size = len(x)
        i = key + size if key < 0 else key
        if not 0 <= i < size:
            raise JavaException("IndexOutOfBoundsException", f"Index {key} out of bounds for length {size}")
        return x[i]
    if isinstance(x, dict):
        try:
            return x.get(key)
        except TypeError:
            return None
    if isinstance(x, HostObject):
        return x.vtl_call("get", [key])
    return None


def set_prop(base: Any, name: str, value: Any) -> None:
    """``#set($base.name = value)``: a Map put; nothing on anything else (as 1.7 finds no setter)."""
    if isinstance(base, dict):
        base[name] = value


def set_index(base: Any, key: Any, value: Any) -> None:
    """``#set($base[key] = value)``: List set or Map put."""
    if isinstance(base, list):
        if type(key) is not int:
            return
        size = len(base)
        i = key + size if key < 0 else key
        if not 0 <= i < size:
            raise JavaException("IndexOutOfBoundsException", f"Index {key} out of bounds for length {size}")
        base[i] = value
    elif isinstance(base, dict):
        try:
            base[key] = value
        except TypeError:
            base[to_text(key)] = value


def iterate(x: Any) -> list:
    """What ``#foreach`` walks: a snapshot of list elements or map values; nothing otherwise."""
    if isinstance(x, list):
        return list(x)
    if isinstance(x, dict):
        if isinstance(x, JHashMap):
            return [x[k] for k in x.java_keys()]
        return list(x.values())
    return []


def make_map(pairs: tuple) -> dict:
    m: dict = {}
    for k, val in pairs:
        try:
            m[k] = val
        except TypeError:
            m[to_text(k)] = val
    return m


def make_range(st: RenderState, a: Any, b: Any) -> ArrayList | None:
    """``[a..b]``: inclusive, either direction; a bound that is not an integer gives null."""
    if type(a) is not int or type(b) is not int:
        return None
    size = abs(b - a) + 1
    if size > st.limits.max_range_size:
        raise LimitExceeded(f"range [{a}..{b}] has more than {st.limits.max_range_size} elements (engine limit)")
    check_collection(st.limits, "range", size)
    step = 1 if b >= a else -1
    return ArrayList(range(a, b + step, step))


# ------------------------------------------------------------------ truth and comparison


def truthy(x: Any) -> bool:
    """Velocity 1.7: only null and Boolean.FALSE are false (and AWS makes nullish refs "")."""
    return x is not False and x is not None


def _is_num(x: Any) -> bool:
    t = type(x)
    return t is int or t is float


def eq(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    ta, tb = type(a), type(b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return a == b
    if ta is tb and (ta is str or ta is bool):
        return a == b
    if (isinstance(a, list) and isinstance(b, list)) or (isinstance(a, dict) and isinstance(b, dict)):
        return java_equals(a, b)
    if ta is Entry and tb is Entry:
        return java_equals(a, b)
    return to_text(a) == to_text(b)


def ne(a: Any, b: Any) -> bool:
    return not eq(a, b)


def lt(a: Any, b: Any) -> bool:
    return _is_num(a) and _is_num(b) and a < b


def le(a: Any, b: Any) -> bool:
    return _is_num(a) and _is_num(b) and a <= b


def gt(a: Any, b: Any) -> bool:
    return _is_num(a) and _is_num(b) and a > b


def ge(a: Any, b: Any) -> bool:
    return _is_num(a) and _is_num(b) and a >= b


# ------------------------------------------------------------------ arithmetic


def _check_int(st: RenderState, r: int) -> int:
    if r.bit_length() > st.limits.max_integer_bits:
        raise integer_error(st.limits)
    return r


def _float(x: Any) -> float:
    try:
        return float(x)
    except OverflowError:
        return math.copysign(math.inf, x)


def add(st: RenderState, a: Any, b: Any, literal_a: str = "", literal_b: str = "") -> Any:
    """``+``: numbers add; with a String on either side, concatenation.

    Velocity 1.7 concatenates a null operand (an expression that failed, such
    as ``1/0``) as its source text; references are never null under AWS's model.
    """
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _check_int(st, a + b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return _float(a) + _float(b)
    if ta is str or tb is str:
        left = literal_a if a is None else text(a)
        right = literal_b if b is None else text(b)
        return check_str(st, left + right)
    return None


def sub(st: RenderState, a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        return _check_int(st, a - b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return _float(a) - _float(b)
    return None


def mul(st: RenderState, a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        if a.bit_length() + b.bit_length() > st.limits.max_integer_bits + 1:
            raise integer_error(st.limits)
        return _check_int(st, a * b)
    if (ta is int or ta is float) and (tb is int or tb is float):
        return _float(a) * _float(b)
    return None


def div(st: RenderState, a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        if b == 0:
            return None
        q = abs(a) // abs(b)
        return q if (a < 0) == (b < 0) else -q
    if (ta is int or ta is float) and (tb is int or tb is float):
        if b == 0:
            return None
        return _float(a) / _float(b)
    return None


def mod(st: RenderState, a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        if b == 0:
            return None
        r = abs(a) % abs(b)
        return -r if a < 0 else r
    if (ta is int or ta is float) and (tb is int or tb is float):
        if b == 0:
            return None
        return math.fmod(_float(a), _float(b))
    return None
