"""The fast loading paths: one pass over the YAML events, the pure-Python parser fallback, lazy positions,
the JSON duplicate and bounds checks. Behaviour only: speed is measured by bench/bench_load.py."""

from __future__ import annotations

import dataclasses
import json
import textwrap
from pathlib import Path

import pytest
import yaml

from vtlgw.apigw import limits
from vtlgw.apigw.definition import DefinitionError, parse_document
from vtlgw.apigw.definition import yamlload
from vtlgw.apigw.definition.errors import DefinitionTooLargeError

TRICKY = {
    "anchors and aliases": """\
        a: &x [1, {k: v}]
        b: *x
        c: [*x, *x]
        s: &s scalar
        t: *s
        """,
    "aliased block scalar": "t: &t |\n  line1\n  line2\nu:\n  v: *t\n",
    "merge keys": """\
        base: &b {x: 1, y: 2}
        more: &m {y: 20, z: 30}
        first:
          <<: *b
          y: 3
        last:
          y: 3
          <<: [*b, *m]
        inline:
          <<: {a: 1, a: 2}
          b: 2
        nested:
          <<: [{a: 1}, {a: 2, c: {d: 1}}]
          c: {e: 2}
        """,
    "merge key spellings": "a:\n  ? !!merge x\n  : {m: 1}\nb:\n  '<<': {m: 1}\nc: {<<: {m: 1}, <<: {m: 2, n: 1}}\n",
    "alias as key": "k: &k key\nm:\n  *k : 1\n",
    "tags": """\
        Resources:
          A:
            Ref1: !Ref MyApi
            Att: !GetAtt MyApi.RootResourceId
            Join: !Join ['', ['arn:', !Ref AWS::Partition]]
            Sub: !Sub
              - '${Fn}/invocations'
              - Fn: !GetAtt Fn.Arn
            Typed: [!!str 1, !!int 0x1F, !!float 1, !!bool yes, !!null x, !!binary aGk=]
            Template: !Sub |
              Action=${X}
        """,
    "block scalars": "t: |\n  line1\n  line2\nu: >-\n   folded\n   text\nv: |2\n    indented\nw: !Sub\n  |\n  hi\nx:\n  - >+\n    keep\n\n",
    "flow collections": "a: {b: [1, 2, {c: d}], e: []}\nf: [{}, [], '', \"\"]\n",
    "scalar typing": "a: [yes, no, on, off, 010, 0x1f, 1_000, 1:30, 1.5, .inf, -.Inf, ~, null, 2010-09-09, 0o17]\n",
    "cloudformation typing": "AWSTemplateFormatVersion: 2010-09-09\nx: [yes, 010, 1:30, 0b101]\nResources: {}\n",
    "duplicate keys": "a: 1\na: 2\na: 3\nb: {x: 1, x: 2}\nc: &c {y: 1, y: 2}\nd: *c\n",
    "escaped pointers": "a/b: 1\nc~d: {e/f: 2}\n",
    "non-ascii": "a: \"\\u00e9t\\u00e9\"\nb: caf\u00e9\nc: |\n  \u00e9\u00e9\n",
    "crlf": "a: 1\r\nb: |\r\n  x\r\n  y\r\n",
}

ERRORS = {
    "unknown tag": "a: !Reff x\n",
    "bad typed scalar": "a: !!int x\n",
    "unsupported collection tag": "a: !!omap [x]\n",
    "non-scalar key": "? [a]\n: 1\n",
    "undefined alias": "a: *nope\n",
    "duplicate anchor": "a: &x 1\nb: &x 2\n",
    "second document": "a: 1\n---\nb: 2\n",
    "empty": "# nothing\n",
    "recursive alias": "a: &x [*x]\n",
    "recursive merge": "a: &x {<<: *x}\n",
    "recursive merge list": "a: &x {<<: [*x]}\n",
    "bad merge": "m:\n  <<: [1]\n",
    "getatt": "X: !GetAtt Api\n",
    "bomb": "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(6)),
    "deep": "a: " + "[" * 300 + "]" * 300 + "\n",
}


def parse(text: str, loader: type, yaml11: bool | None = None):
    return yamlload._parse_yaml(textwrap.dedent(text), Path("t.yaml"), "t.yaml", yaml11, loader)


def everything(doc) -> tuple:
    """The data (types included), duplicate reports and every recorded position of a document."""
    table = doc.positions._table
    positions = {pointer: dataclasses.astuple(doc.position(pointer)) for pointer in sorted(table)}
    return _typed(doc.data), [str(d) for d in doc.duplicates], positions


def _typed(value):
    if isinstance(value, dict):
        return {key: _typed(item) for key, item in value.items()}, list(value)
    if isinstance(value, list):
        return [_typed(item) for item in value]
    return type(value).__name__, value


LOADERS = [yamlload._LOADER, yamlload._PY_LOADER]


@pytest.mark.parametrize("text", TRICKY.values(), ids=TRICKY.keys())
def test_the_c_and_python_parsers_give_the_same_document(text):
    native, python = (everything(parse(text, loader)) for loader in LOADERS)
    assert native == python


@pytest.mark.parametrize("text", ERRORS.values(), ids=ERRORS.keys())
def test_the_c_and_python_parsers_fail_at_the_same_place(text):
    found = []
    for loader in LOADERS:
        with pytest.raises(DefinitionError) as info:
            parse(text, loader)
        found.append((type(info.value), info.value.line, info.value.column, info.value.pointer))
    assert found[0] == found[1]


def test_without_libyaml_the_python_parser_is_used(monkeypatch):
    monkeypatch.setattr(yamlload, "_LOADER", yamlload._PY_LOADER)
    doc = parse_document("a: &x {b: 1}\nc: *x\n", name="t.yaml")
    assert doc.data == {"a": {"b": 1}, "c": {"b": 1}}
    assert doc.position("/c/b").line == 1


def test_an_alias_is_built_again_with_the_anchored_nodes_positions():
    doc = parse(TRICKY["anchors and aliases"], yamlload._LOADER)
    assert doc.data["b"] == doc.data["a"] and doc.data["b"] is not doc.data["a"]
    assert doc.data["c"] == [[1, {"k": "v"}], [1, {"k": "v"}]]
    at = doc.position("/c/1/1/k")
    assert (at.line, at.column, at.key_line, at.key_column) == (1, 15, 1, 12)
    alias = doc.position("/b")
    assert (alias.line, alias.column, alias.key_line) == (1, 4, 2)


def test_merge_keys_explicit_keys_win_and_positions_come_from_the_source():
    doc = parse(TRICKY["merge keys"], yamlload._LOADER)
    assert doc.data["first"] == {"y": 3, "x": 1}
    assert list(doc.data["last"]) == ["y", "x", "z"] and doc.data["last"] == {"y": 3, "x": 1, "z": 30}
    assert doc.data["inline"] == {"b": 2, "a": 2}
    assert doc.data["nested"] == {"c": {"e": 2}, "a": 1}
    assert doc.position("/first/x").line == 1 and doc.position("/first/y").line == 5
    assert doc.position("/last/z").line == 2
    # a merged mapping's own duplicate keys are not reported again where it is merged
    assert doc.duplicates == []


def test_duplicate_keys_are_reported_at_every_alias_of_their_mapping():
    doc = parse(TRICKY["duplicate keys"], yamlload._LOADER)
    assert [(d.pointer, d.line, d.column) for d in doc.duplicates] == [
        ("/a", 2, 1), ("/a", 3, 1), ("/b/x", 4, 11), ("/c/y", 5, 14), ("/d/y", 5, 14)]
    assert "first defined at line 2" in str(doc.duplicates[1])


def test_a_mapping_merged_into_itself_is_a_located_error():
    with pytest.raises(DefinitionError, match=r"t.yaml:1:4: error: /a: recursive YAML alias"):
        parse(ERRORS["recursive merge"], yamlload._LOADER)


def test_block_scalar_positions_are_worked_out_when_asked():
    doc = parse(TRICKY["block scalars"], yamlload._LOADER)
    found = {p: (doc.position(p).style, doc.position(p).content_line, doc.position(p).content_column)
             for p in ("/t", "/u", "/v", "/w/Fn::Sub", "/x/0")}
    assert found == {"/t": ("|", 2, 3), "/u": (">", 5, 4), "/v": ("|", 8, 3), "/w/Fn::Sub": ("|", 11, 3),
                     "/x/0": (">", 14, 5)}
    assert doc.position("/nowhere") is None


@pytest.mark.parametrize("text,expected", [
    ("{Resources: {a: yes}}\n", {"Resources": {"a": True}}),  # the guess misses a flow mapping's keys
    ("openapi: 3.0.1\nx: [a,\nResources]\ny: yes\n", {"openapi": "3.0.1", "x": ["a", "Resources"], "y": "yes"}),
    ("'Resources': {a: on}\n", {"Resources": {"a": True}}),
    ("k: &k Transform\n*k : x\ny: off\n", {"k": "Transform", "Transform": "x", "y": False}),
])
def test_the_schema_follows_the_top_level_keys_whatever_the_guess(text, expected):
    assert parse_document(text, name="t.yaml").data == expected


@pytest.mark.parametrize("text,where,message", [
    ("a: !Bad x\nb: [\n", (3, 1), "invalid YAML"),  # a syntax error anywhere wins over a building error
    ("a: !Bad x\nb: *nope\n", (2, 4), "found undefined alias"),  # and so does a composition error
    ("a: !Bad x\n---\nb: 1\n", (2, 1), "but found another document"),
    ("a: *nope\nb: " + "[" * 200 + "]" * 200 + "\n", (2, 131), "nested too deeply"),  # bounds win over both
])
def test_errors_are_reported_in_stage_order(text, where, message):
    with pytest.raises(DefinitionError) as info:
        parse_document(text, name="t.yaml")
    assert (info.value.line, info.value.column) == where
    assert message in str(info.value)


def test_the_bounds_check_runs_alone():
    yamlload._check_yaml_bounds("a: [1, 2]\nb: *undefined\n", "t.yaml")  # composition is not its business
    with pytest.raises(DefinitionTooLargeError, match="YAML aliases expand"):
        yamlload._check_yaml_bounds(ERRORS["bomb"], "bomb.yaml")


def test_the_value_count_includes_expanded_aliases(monkeypatch):
    monkeypatch.setattr(limits, "MAX_DEFINITION_NODES", 13)
    parse_document("a: &a [1, 2, 3, 4]\nb: *a\n", name="t.yaml")  # 13 values: the map, 2 keys, 5 and 5 again
    with pytest.raises(DefinitionTooLargeError, match="more than 13 values") as info:
        parse_document("a: &a [1, 2, 3, 4]\nb: *a\nc: x\n", name="t.yaml")
    assert (info.value.line, info.value.column) == (3, 1)


# ---------------------------------------------------------------------------- JSON


def test_json_duplicate_keys_are_found_and_located():
    doc = parse_document('{"a": {"b": 1, "b": 2}, "c": 3}', name="t.json")
    assert doc.data == {"a": {"b": 2}, "c": 3}
    assert [(d.pointer, d.line, d.column) for d in doc.duplicates] == [("/a/b", 1, 16)]


def _nested(depth: int, width: int) -> str:
    return json.dumps({"wide": list(range(width)), "deep": json.loads("[" * depth + "]" * depth)})


@pytest.mark.parametrize("depth,width,error", [
    (4, 3, None),
    (9, 3, "nested too deeply"),
    (4, 40, "values"),
])
def test_json_bounds(monkeypatch, depth, width, error):
    monkeypatch.setattr(limits, "MAX_DEFINITION_DEPTH", 8)
    monkeypatch.setattr(limits, "MAX_DEFINITION_NODES", 30)
    if error is None:
        parse_document(_nested(depth, width), name="t.json")
    else:
        with pytest.raises(DefinitionTooLargeError, match=error):
            parse_document(_nested(depth, width), name="t.json")


@pytest.mark.parametrize("text", [
    _nested(9, 40),  # both caps passed: the error is the one a depth-first walk meets first
    json.dumps({"deep": json.loads("[" * 9 + "]" * 9), "wide": list(range(40))}),
    json.dumps([json.loads("[" * 9 + "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30]" + "]" * 9)]),
])
def test_json_past_both_caps_reports_what_a_depth_first_walk_meets_first(monkeypatch, text):
    monkeypatch.setattr(limits, "MAX_DEFINITION_DEPTH", 8)
    monkeypatch.setattr(limits, "MAX_DEFINITION_NODES", 30)
    positions = yamlload._JsonPositionMap(text)
    with pytest.raises(DefinitionTooLargeError) as expected:
        yamlload._check_json_bounds_in_order(json.loads(text), positions, "t.json")
    with pytest.raises(DefinitionTooLargeError) as found:
        parse_document(text, name="t.json")
    assert str(found.value) == str(expected.value)


def test_yaml_module_is_still_importable_without_its_c_parser():
    assert issubclass(yamlload._PY_LOADER, yaml.SafeLoader)
