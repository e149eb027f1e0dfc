"""The compiler's typed code renders exactly what the generic runtime renders.

Where the compiler proves a value's kind (int, String, list, map) it emits
Python operators guarded by range and type checks, and keeps ``#set``
variables in Python locals (:mod:`vtlgw.vtl.kinds`). A property test
generates templates of ``#set``, arithmetic, comparisons, ranges, loops,
``#if``, ``#break``, list and map methods over inputs of every type (ints of
every size, floats, Strings, booleans, lists, maps, nothing), under integer
and loop limits small enough to be hit, and renders each one twice: as
compiled, and compiled with ``typed=False`` (every operation through the
runtime, every variable in the map). Output, or the error's class, message
and position, must be the same.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vtlgw.vtl import Limits, Template
from vtlgw.vtl.compiler import compile_tree
from vtlgw.vtl.errors import VtlError

SET_NAMES = ["a", "b", "c", "l", "m"]
INPUT_NAMES = ["x", "y"]
LOOP_NAMES = ["i", "j"]

INT_LITERALS = ["0", "1", "2", "3", "7", "-1", "-5", "100", "2147483647", "-2147483648", "9223372036854775807"]


_VARS = [f"${n}" for n in SET_NAMES + INPUT_NAMES + LOOP_NAMES]
_bound = st.one_of(st.sampled_from(INT_LITERALS[:8]), st.sampled_from(["$a", "$b", "$i", "$x", "$l.size()"]))
_range = st.tuples(_bound, _bound).map(lambda t: f"[{t[0]}..{t[1]}]")


def _expr(depth: int) -> st.SearchStrategy[str]:
    leaves = st.one_of(
        st.sampled_from(INT_LITERALS),
        st.sampled_from(["$a", "$b", "$c", "$i", "$j"]),  # mostly ints, where the prelude sets them
        st.sampled_from(_VARS),
        st.sampled_from(['"s"', '"7"', "'t'", "true", "false", "2.5", '"<$a>"', "'$b'"]),
        st.sampled_from(["$l.size()", "$m.size()", '$m.get("k")', "$l.get(0)", "$l.get($i)", "$x.size()"]),
    )
    if depth <= 0:
        return leaves
    sub = _expr(depth - 1)
    arith = st.tuples(sub, st.sampled_from(["+", "-", "*", "/", "%"]), sub)
    return st.one_of(
        leaves,
        arith.map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        arith.map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(sub, st.sampled_from(["+", "-", "*", "/", "%"]), st.sampled_from(INT_LITERALS)).map(
            lambda t: f"{t[0]} {t[1]} {t[2]}"),
        # list and map literals and arguments hold no operators in Velocity 1.7
        st.tuples(leaves, leaves).map(lambda t: f"[{t[0]}, {t[1]}]"),
        _range,
        leaves.map(lambda e: f'{{"k": {e}}}'),
        st.tuples(st.sampled_from(["$l", "$m", "$x", "$a"]), leaves).map(lambda t: f"{t[0]}.get({t[1]})"),
        st.tuples(st.sampled_from(["$m", "$x", "$a"]), leaves, leaves).map(
            lambda t: f"{t[0]}.put({t[1]}, {t[2]})"),
    )


def _cond(depth: int) -> st.SearchStrategy[str]:
    e = _expr(depth)
    return st.one_of(
        st.tuples(e, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), e).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
        e,
    )


def _statements(depth: int) -> st.SearchStrategy[str]:
    e = _expr(2)
    simple = st.one_of(
        st.tuples(st.sampled_from(SET_NAMES), e).map(lambda t: f"#set(${t[0]} = {t[1]})"),
        st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["a", "b", "c", "i", "j"]),
                  st.sampled_from(["+", "-", "*", "/", "%"]), st.sampled_from(INT_LITERALS)).map(
            lambda t: f"#set(${t[0]} = ${t[1]} {t[2]} {t[3]})"),
        st.sampled_from([f"${n}" for n in SET_NAMES + INPUT_NAMES + LOOP_NAMES] + ["$l.size()", "$!a|", "$!blk"]),
        e.map(lambda x: f"#set($ignore = {x})$ignore"),
        st.just("#break"),
        st.just(","),
    )
    if depth <= 0:
        return simple
    body = st.lists(_statements(depth - 1), min_size=0, max_size=4).map("".join)
    return st.one_of(
        simple,
        st.tuples(_cond(1), body, body).map(lambda t: f"#if({t[0]}){t[1]}#else{t[2]}#end"),
        st.tuples(_cond(1), body).map(lambda t: f"#if({t[0]}){t[1]}#end"),
        st.tuples(st.sampled_from(LOOP_NAMES), _range, body).map(lambda t: f"#foreach(${t[0]} in {t[1]}){t[2]}#end"),
        st.tuples(st.sampled_from(LOOP_NAMES), st.sampled_from(["$l", "$x", "[1, 2, 3]", "$m"]), body).map(
            lambda t: f"#foreach(${t[0]} in {t[1]}){t[2]}#end"),
    )


_int_literal = st.sampled_from(INT_LITERALS)
# A prelude that assigns the #set variables ints, a list and a map first: what the compiler can prove.
_prelude = st.tuples(
    st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), _int_literal), max_size=3),
    st.sampled_from(["", "#set($l = [1, 2, 3])", "#set($l = [])"]),
    st.sampled_from(["", '#set($m = {"k": 1})', "#set($m = {})"]),
    # A #define block (printed as $blk) keeps the #set variables in the map: the other compile.
    st.sampled_from(["", "", "#define($blk)[$a $i]#set($b = $b + 1)#end"]),
).map(lambda t: "".join(f"#set(${n} = {v})" for n, v in t[0]) + t[1] + t[2] + t[3])

templates = st.tuples(_prelude, st.lists(_statements(2), min_size=1, max_size=8)).map(
    lambda t: t[0] + "".join(t[1]))

input_values = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(2 ** 80), max_value=2 ** 80),
    st.sampled_from([2 ** 62, -(2 ** 62), 2 ** 63 - 1, 2 ** 64, 2 ** 4095, -(2 ** 4095)]),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=3),
    st.lists(st.integers(min_value=-3, max_value=3), max_size=3),
    st.dictionaries(st.sampled_from(["k", "a"]), st.integers(min_value=-3, max_value=3), max_size=2),
)

limits = st.builds(Limits, max_integer_bits=st.sampled_from([8, 31, 63, 64, 100, 4096]),
                   max_loop_iterations=st.sampled_from([3, 1000]),
                   max_collection_size=st.sampled_from([2, 1_000_000]))


def _outcome(template: Template, compiled: Any, variables: dict) -> tuple:
    out: list[str] = []
    try:
        text = template._execute(compiled, variables, [], True, out, out.append)
    except VtlError as exc:
        return ("error", type(exc).__name__, str(exc))
    return ("ok", text)


@settings(max_examples=1500, deadline=timedelta(seconds=5), derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(source=templates, x=input_values, y=input_values, lim=limits)
def test_typed_code_renders_what_the_generic_runtime_renders(source: str, x: Any, y: Any, lim: Limits) -> None:
    try:
        template = Template(source, "<t>", lim)
    except VtlError:
        return  # both compiles share the parse
    generic = compile_tree(template.tree, "<vtl:generic>", lim, typed=False)
    variables = {"x": x, "y": y}
    assert _outcome(template, template._compiled, variables) == _outcome(template, generic, variables), source


@pytest.mark.parametrize("source", [
    # the benchmark's loop, with its typed code
    '#set($acc = 0)#set($w = ["a", "b"])#set($c = {"a": 0, "b": 0})'
    '#foreach($i in [1..30])#foreach($j in [1..30])#set($p = $i * $j)#set($acc = $acc + $p % 7)'
    '#set($k = $j % 2)#set($n = $c.get($w.get($k)) + 1)#if($n > 20)#set($big = true)#end'
    '#set($ignore = $c.put($w.get($k), $n))#end#end$acc $c $big',
    # overflow past the integer limit inside typed arithmetic
    "#set($a = 2147483647)#foreach($i in [1..80])#set($a = $a * 2)#end$a",
    "#set($a = -7)#set($b = $a % 3)#set($c = $a / 2)$b $c",
    "#set($a = 1)#set($a = 5 / 0)#set($b = $a + 1)$a $b",
    "#set($l = [1, 2])$l.get(-1)",
    "#set($l = [1, 2])#set($x = $l.get(5))",
    "#set($m = {})#set($ignore = $m.put(1, 2))#set($ignore = $m.put('a', 3))$m",
])
@pytest.mark.parametrize("bits", [16, 4096])
def test_typed_code_examples(source: str, bits: int) -> None:
    lim = Limits(max_integer_bits=bits)
    template = Template(source, "<t>", lim)
    generic = compile_tree(template.tree, "<vtl:generic>", lim, typed=False)
    for variables in ({}, {"x": 2 ** 70, "a": "preset", "l": [9], "m": "nope"}):
        assert _outcome(template, template._compiled, variables) == _outcome(template, generic, variables)
