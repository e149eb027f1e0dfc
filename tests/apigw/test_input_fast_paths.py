"""``$input.path``/``$input.json`` walk member-only paths themselves; they must equal the JSONPath engine.

``Input.path`` and ``Input.json`` skip :func:`~vtlgw.apigw.jsonpath.select` /
:func:`~vtlgw.apigw.jsonpath.evaluate` for a definite path of member steps only
(``$``, ``$.a.b``, ``$['a']``). Here every path of a list, on bodies of every shape,
is answered by the shortcut and by the generic engine, and both must agree (value,
identity of the node, or the same error).
"""

import json

import pytest

from vtlgw.apigw import input as I
from vtlgw.apigw.jsonpath import MISSING, evaluate, select
from vtlgw.vtl.values import JHashMap

PATHS = ["$", " $ ", "$.a", "a", "$.a.b", "$.a.b.c", "$['a']", "$['a']['b']", "$.a[0]", "$.items", "$.items[0].sku",
         "$.total", "$.x", "$.a.x", "$..a", "$.*", "$.a.length()", "$.a[*]", "$[0]", "$.a.b[1]", "$.", "$[", "@.a",
         "$.n", "$.n.m", "$.s", "$.s.t", "$['a','b']", "$.a-b", " $.a", "$.a ", ""]
BODIES = ['{"a": {"b": {"c": 1}, "x": null}, "items": [{"sku": "s"}], "total": 1.5, "n": null, "s": "t", "a-b": 2}',
          '{"a": [1, {"b": 2}], "total": 1e300}', '[{"a": 1}]', '"text"', "null", "7", "{}", "not json", "",
          '{"a": {"b": [10, 20]}}', '{"a": "b"}']


def generic_path(inp, path):
    data = inp.parsed()
    if data is I._NOT_JSON:
        return inp.body if path.strip() == "$" else None
    return select(path, data)


def generic_json(inp, path):
    data = inp.parsed()
    if data is I._NOT_JSON:
        return inp._dump(inp.body) if path.strip() == "$" else '""'
    if path.strip() == "$":
        return inp._dump(data)
    definite, result = evaluate(path, data)
    if definite and result is MISSING:
        return '""'
    return inp._dump(result)


def outcome(fn, *args):
    try:
        return "value", fn(*args)
    except Exception as exc:
        return "error", (type(exc).__name__, str(exc))


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("path", PATHS)
def test_member_paths_answer_as_the_jsonpath_engine(body, path):
    for method, generic in (("path", generic_path), ("json", generic_json)):
        inp = I.Input(body)
        kind, fast = outcome(getattr(inp, method), path)
        kind2, slow = outcome(generic, I.Input(body), path)
        assert kind == kind2, (method, path, body)
        assert fast == slow, (method, path, body)
        if method == "path" and kind == "value" and I._member_chain(path) is not False:
            assert type(fast) is type(slow)
            # the very node, not a copy: a template's put() on it must be seen by later reads
            again = generic_path(inp, path)
            assert fast is again or (fast == again and not isinstance(fast, (dict, list)))


def test_mutated_payload_is_read_as_it_now_is():
    inp = I.Input('{"a": {"b": 1}}')
    inp.path("$.a")["b"] = JHashMap(c=2)
    for path in ("$.a.b", "$.a.b.c", "$.a.b.d"):
        assert inp.path(path) == generic_path(inp, path)
        assert inp.json(path) == generic_json(inp, path)


def test_member_chain_cache_is_bounded_and_consistent():
    for i in range(1100):
        assert I._member_chain(f"$.k{i}") == (f"k{i}",)
    assert len(I._MEMBER_CHAINS) <= 1024
    assert I._member_chain("$..a") is False and I._member_chain("$[0]") is False
    assert json.loads(I.Input('{"k1099": [1]}').json("$.k1099")) == [1]
