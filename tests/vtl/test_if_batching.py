"""Text-only ``#if``s join the write batch around them; that must render exactly what the separate writes render.

``Compiler.write_batch`` takes an ``#if`` (with an ``#else`` at most) whose branches hold only
text as one piece of the batch, its condition evaluated where the ``#if`` stands. Here every
template renders through that compile and through one where no ``#if`` is batched
(``Compiler.text_if`` answering False), and the outcomes (text, or the error with its
location) must be the same: side effects and errors keep their order.
"""

from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vtlgw.vtl import Limits, Template
from vtlgw.vtl import compiler as C
from vtlgw.vtl.errors import VtlError

REFS = ["$x", "$y", "$!x", "$m", "$m.k", "$l.get(1)", "$l.get(5)", "$m.put('k', $x)", "$m.put('k', 7)", "$l.size()",
        "$foreach.hasNext", "$foreach.count", "$i", "$nothing", "$!nothing", "$s.substring(1)", "$s.substring(9)"]
CONDS = ["$x", "$y == 1", "$m.k == 7", "$l.get(5) == 1", "$m.put('k', 1) == 7", "$foreach.hasNext", "!$x",
         "$i > 1", "$nothing", "$s.substring(9) == ''", "$m.k == $x && $y", "true", "false"]
TEXTS = ["", "a", ",", "\n  ", "x y", "'q'"]


def _text_if() -> st.SearchStrategy[str]:
    text = st.lists(st.sampled_from(TEXTS), max_size=2).map("".join)
    return st.one_of(
        st.tuples(st.sampled_from(CONDS), text).map(lambda t: f"#if({t[0]}){t[1]}#end"),
        st.tuples(st.sampled_from(CONDS), text, text).map(lambda t: f"#if({t[0]}){t[1]}#else{t[2]}#end"),
        st.tuples(st.sampled_from(CONDS), st.sampled_from(CONDS), text, text).map(
            lambda t: f"#if({t[0]}){t[2]}#elseif({t[1]}){t[3]}#end"),
        st.tuples(st.sampled_from(CONDS), st.sampled_from(REFS)).map(lambda t: f"#if({t[0]})[{t[1]}]#end"),
    )


_piece = st.one_of(st.sampled_from(REFS), st.sampled_from(TEXTS), _text_if(), st.just("#set($x = $y)"))
_run = st.lists(_piece, min_size=1, max_size=8).map("".join)
templates = st.one_of(
    _run,
    st.tuples(_run, _run).map(lambda t: f"{t[0]}#foreach($i in [1..3]){t[1]}#end"),
    st.tuples(_run, _run).map(lambda t: f"#foreach($i in $l){t[0]}#if($i == 2)#stop#end{t[1]}#end"),
)
values = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.sampled_from(["", "s", 1.5]))


def _outcome(source: str, variables: dict, batched: bool, monkeypatch: Any) -> tuple:
    with monkeypatch.context() as m:
        if not batched:
            m.setattr(C.Compiler, "text_if", lambda self, node: False)
        try:
            template = Template(source, "<t>", Limits())
        except VtlError as exc:
            return ("compile error", type(exc).__name__, str(exc))
    try:
        return ("ok", template.render(variables))
    except VtlError as exc:
        return ("error", type(exc).__name__, str(exc), exc.line, exc.column)


@settings(max_examples=1500, deadline=timedelta(seconds=5), derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(source=templates, x=values, y=values)
def test_batched_text_ifs_render_what_separate_writes_render(source: str, x: Any, y: Any, monkeypatch) -> None:
    variables = {"x": x, "y": y, "m": {"k": 1}, "l": [1, 2, 3], "s": "abc"}
    assert _outcome(source, dict(variables, m={"k": 1}, l=[1, 2, 3]), True, monkeypatch) == \
        _outcome(source, dict(variables, m={"k": 1}, l=[1, 2, 3]), False, monkeypatch), source


@pytest.mark.parametrize("source", [
    "a#if($x)b#{else}c#end d",
    "#foreach($i in [1..3])$i#if($foreach.hasNext),#end#end",
    "[$m.put('k', 5)]#if($m.k == 5)five#end$m.k#if($l.get(5))x#end",
    "#if($x)yes#end",
])
def test_batched_text_if_examples(source: str, monkeypatch) -> None:
    variables = {"x": True, "m": {"k": 1}, "l": [1]}
    assert _outcome(source, dict(variables, m={"k": 1}), True, monkeypatch) == \
        _outcome(source, dict(variables, m={"k": 1}), False, monkeypatch)


def test_the_typical_loop_body_is_one_write():
    source = "#foreach($i in $l)[$i]#if($i == 2)two#{else}other#end#if($foreach.hasNext),#end#end"
    code = Template(source)._compiled.source
    assert code.count("w(") == 1, code
    assert Template(source).render({"l": [1, 2, 3]}) == "[1]other,[2]two,[3]other"
