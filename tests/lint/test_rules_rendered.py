"""Rendered-output rules (VTL2xx): templates rendered over samples and forced branches, their output checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vtlgw.lint import lint, lint_text
from vtlgw.lint.samples import HOSTILE, jsonpath_keys, request_samples, template_shape
from vtlgw.vtl.parser import parse


def codes(text: str, prefix: str = "VTL2", **kw) -> list[tuple[str, int, int]]:
    return [(d.code, d.location.line, d.location.column) for d in lint_text(text, **kw)
            if d.code and d.code.startswith(prefix)]


def messages(text: str, code: str, **kw) -> list[str]:
    return [d.message for d in lint_text(text, **kw) if d.code == code]


# ---------------------------------------------------------------- VTL201


def test_unbalanced_quote_is_not_json() -> None:
    text = '{\n  "id": "$input.params(\'id\'),\n  "n": 1\n}'
    assert codes(text) == [("VTL201", 2, 30)]  # the end of line 2, where the string is still open
    [message] = messages(text, "VTL201")
    assert message.startswith("output is not JSON for an empty body: Invalid control character at output line 2")


def test_finding_names_sample_and_shows_the_output_line() -> None:
    text = '{"items": #foreach($i in $input.path(\'$.items\')){"sku": "$i"}#end}'
    [d] = [d for d in lint_text(text) if d.code == "VTL201"]
    assert "for an empty body" in d.message
    assert d.notes[0] == "sample: an empty body"
    assert d.notes[-2:] == ('output: {"items": }', "output:           ^")
    assert (d.location.line, d.location.column) == (1, 66)  # the "}" the template wrote where a value belongs


def test_good_template_is_clean() -> None:
    text = ('#set($b = $util.parseJson($input.body))\n{\n  "name": "$util.escapeJavaScript($b.name).replaceAll("\\\\\'","\'")",\n'
            '  "qty": $b.qty,\n  "tags": [#foreach($t in $b.tags)"$util.escapeJavaScript($t).replaceAll("\\\\\'","\'")"'
            '#if($foreach.hasNext),#end#end]\n}')
    assert codes(text, "VTL") == []


def test_data_that_breaks_an_unescaped_string_is_left_to_the_escaping_rules() -> None:
    text = '{"name": "$input.path(\'$.name\')"}'
    assert codes(text) == []  # only the hostile strings break it: VTL111's finding, not VTL201's
    assert [c for c, *_ in codes(text, "VTL1")] == ["VTL111"]


def test_a_value_printed_bare_is_synthesised_as_a_number() -> None:
    assert codes('{"total": $input.path(\'$.total\'), "n": $util.parseJson($input.body).count}') == []


def test_missing_value_of_a_built_in_sample_is_not_a_finding() -> None:
    assert codes('{"total": $input.path(\'$.total\')}') == []  # {} prints nothing there: data, not structure


def test_missing_value_of_a_user_sample_is_reported() -> None:
    sample = {"httpMethod": "POST", "path": "/", "body": json.dumps({"other": 1})}
    [message] = messages('{"total": $input.path(\'$.total\')}', "VTL201", samples=[sample])
    assert "for the request sample 1" in message
    assert "$input.path('$.total') printed nothing" in message


def test_forced_branch_that_data_never_reaches() -> None:
    text = ('#set($b = $util.parseJson($input.body))\n'
            '#if($b.kind == "gift")\n{"gift": true,, "to": "$b.to"}\n#else\n{"gift": false}\n#end')
    [message] = messages(text, "VTL201")
    assert "with the #if at 2:1 forced true" in message
    assert codes(text) == [("VTL201", 3, 15)]


def test_loop_state_conditions_are_not_forced() -> None:
    text = '[#foreach($i in $input.path(\'$.ids\'))$i#if($foreach.hasNext),#end#end]'
    assert codes(text) == []  # forcing hasNext true on the last item writes a comma no input can


def test_form_body_under_a_json_key_is_not_judged_as_json() -> None:
    assert codes("Action=SendMessage&MessageBody=$util.urlEncode($input.body)") == []


def test_response_template_over_a_backend_body() -> None:
    text = '#set($o = $input.path(\'$\'))\n{"id": "$o.id", "lines": [#foreach($l in $o.lines)"$l"#end]}'
    assert codes(text, kind="response") == [("VTL201", 2, 51)]  # the second item's quote: no comma before it
    [message] = messages(text, "VTL201", kind="response")
    assert "for a backend body with every field the template reads, arrays of 2 items (plain strings)" in message


def test_a_value_with_a_string_method_is_not_a_number() -> None:
    tree = parse('$input.path(\'$.a\').toUpperCase() $input.path(\'$.b\')', "t")
    assert template_shape(tree).body.build(1, "s") == {"a": "s", "b": 7}


def test_amz_json_media_type_is_json() -> None:
    assert codes('{"a": "x",}', kind="response", media_type="application/x-amz-json-1.1") == [("VTL202", 1, 10)]


def test_one_finding_per_template() -> None:
    text = '{"a": "$input.params(\'a\'),\n "b": "$input.params(\'b\'),\n "c": 1}'
    assert [c for c, *_ in codes(text)] == ["VTL201"]


# ---------------------------------------------------------------- VTL202


def test_trailing_comma_before_a_skipped_if() -> None:
    text = ('{\n  "id": "$input.params(\'id\')",\n  "channel": "web",\n#if($input.params(\'coupon\') != "")\n'
            '  "coupon": "$input.params(\'coupon\')"\n#end\n}')
    assert codes(text) == [("VTL202", 3, 19)]


def test_comma_written_by_the_last_iteration_is_found_once() -> None:
    text = '[\n#foreach($i in $input.path(\'$.ids\'))\n  "$i",\n#end\n]'
    assert codes(text) == [("VTL202", 3, 7)]  # rendered and static agree: one finding


def test_unescaped_strings_do_not_hide_a_dangling_comma() -> None:
    text = '[\n#foreach($o in $input.path(\'$\'))\n  {"type": "$o.type"},\n#end\n]'
    [message] = messages(text, "VTL202")  # the hostile strings break the JSON first; their plain twin shows the comma
    assert message.startswith("dangling comma for a body with every field the template reads, arrays of 2 items "
                              "(plain strings)")


def test_unguarded_loop_comma_found_in_the_tree() -> None:
    text = '[\n#foreach($k in $context.authorizer.claims.keySet())\n  "$k",\n#end\n]'
    assert codes(text) == [("VTL202", 3, 7)]  # no sample fills the claims: only the tree shows it
    assert "last #foreach iteration" in messages(text, "VTL202")[0]


@pytest.mark.parametrize("text", [
    '[#foreach($k in $context.authorizer.claims.keySet())"$k"#if($foreach.hasNext),#end#end]',
    '[#foreach($k in $context.authorizer.claims.keySet())"$k",#end"end"]',  # a sentinel item after the loop
])
def test_guarded_or_sentinel_loop_commas_are_fine(text: str) -> None:
    assert codes(text) == []


# ---------------------------------------------------------------- VTL203 / VTL204 (need a definition)

LAMBDA_URI = ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
              "arn:aws:lambda:us-east-1:123456789012:function:f/invocations")


def definition(tmp_path: Path, integration: str) -> Path:
    path = tmp_path / "api.openapi.yaml"
    path.write_text(
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /things:\n    post:\n"
        "      responses:\n        '200': {description: ok}\n      x-amazon-apigateway-integration:\n"
        + "".join(f"        {line}\n" for line in integration.strip("\n").splitlines())
        + "        responses:\n          default: {statusCode: '200'}\n", encoding="utf-8")
    return path


def lint_codes(path: Path, prefix: str = "VTL2") -> list[tuple[str, int]]:
    return [(d.code, d.location.line) for d in lint([path]) if d.code and d.code.startswith(prefix)]


def test_lambda_request_template_that_writes_a_form_body(tmp_path: Path) -> None:
    path = definition(tmp_path, f"""
type: aws
httpMethod: POST
uri: {LAMBDA_URI}
requestTemplates:
  application/x-www-form-urlencoded: q=$util.urlEncode($input.params('q'))&limit=20
""")
    assert lint_codes(path) == [("VTL203", 13)]
    [d] = [d for d in lint([path]) if d.code == "VTL203"]
    assert "form body" in d.message and "Could not parse request body into json" in d.message


def test_lambda_request_template_writing_json_is_clean(tmp_path: Path) -> None:
    path = definition(tmp_path, f"""
type: aws
httpMethod: POST
uri: {LAMBDA_URI}
requestTemplates:
  application/json: |
    {{"q": "$util.escapeJavaScript($input.params('q')).replaceAll("\\\\'","'")", "body": $input.json('$')}}
""")
    assert lint_codes(path) == []


def test_mock_template_without_status_code(tmp_path: Path) -> None:
    path = definition(tmp_path, """
type: mock
requestTemplates:
  application/json: '{"status": 200}'
""")
    assert lint_codes(path) == [("VTL204", 11)]


def test_mock_status_only_on_one_branch(tmp_path: Path) -> None:
    path = definition(tmp_path, """
type: mock
requestTemplates:
  application/json: |
    #if($input.params('fail') == "1"){"statusCode": 500}#end
""")
    [d] = [d for d in lint([path]) if d.code == "VTL204"]
    assert "no integer statusCode for an empty body" in d.message


def test_mock_templates_are_parsed_leniently(tmp_path: Path) -> None:
    path = definition(tmp_path, """
type: mock
requestTemplates:
  application/json: "{statusCode: 200,}"
""")
    assert lint_codes(path) == []  # unquoted key and trailing comma: API Gateway reads the status anyway


# ---------------------------------------------------------------- VTL205


def test_coverage_truncated_past_the_budget() -> None:
    fields = "".join(f'#if($b.f{i} != "")"f{i}": "$b.f{i}",#end\n' for i in range(140))
    text = "#set($b = $util.parseJson($input.body))\n{\n" + fields + '"end": 1}'
    found = [d for d in lint_text(text) if d.code == "VTL205"]
    assert [d.message for d in found] == ["rendered 256 of 284 sample and branch combinations; "
                                          "the rest were not checked for valid JSON"]
    assert str(found[0].severity) == "info"


def test_small_template_is_fully_covered() -> None:
    assert codes('#if($input.params(\'a\') != ""){"a": 1}#else{"a": 2}#end') == []


# ---------------------------------------------------------------- samples


@pytest.mark.parametrize("path,keys", [
    ("$", []), ("$.a.b", ["a", "b"]), ("$['a'].b", ["a", "b"]), ("$.items[*].sku", ["items", None, "sku"]),
    ("$.items[0]", ["items", None]), ("$..a", None), ("a.b", None), ("$.a[?(@.x)]", None),
])
def test_jsonpath_keys(path: str, keys: list | None) -> None:
    assert jsonpath_keys(path) == keys


def test_synthesised_body_follows_variables_loops_and_list_calls() -> None:
    tree = parse('#set($b = $util.parseJson($input.body))\n#set($c = $b.customer)\n"$c.name" $c.age\n'
                 '#foreach($i in $b.items)"$i.sku"#end $b.tags.size() #if($b.count > 2)#end', "t")
    shape = template_shape(tree)
    assert json.loads(json.dumps(shape.body.build(1, "s"))) == {
        "customer": {"name": "s", "age": 7}, "items": [{"sku": "s"}], "tags": ["s"], "count": 7}


def test_request_samples_give_params_hostile_values_and_path_params_everywhere() -> None:
    samples = request_samples(parse("$input.params('q') $input.params().header.get('X-Id')", "t"), ["id"])
    assert [s.label for s in samples][:3] == ["an empty body", "the body {}", "a body that is not JSON"]
    assert samples[0].params == {"path": {"id": "1"}, "querystring": {}, "header": {}}
    rich = samples[-1]
    assert rich.params["querystring"] == {"q": HOSTILE} and rich.params["header"] == {"X-Id": HOSTILE}
    assert rich.benign is not None and rich.benign.params["querystring"] == {"q": "1"}
