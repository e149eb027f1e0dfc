"""vtlgw.testing without pytest's machinery: request keywords, results, diffs, errors."""

import json
from pathlib import Path

import pytest

from vtlgw import VtlError
from vtlgw.apigw.pipeline import HttpResponse
from vtlgw.testing import Harness, OutputNotJsonError, RequestKeywordError, StrictModeError, VtlgwWarning
from vtlgw.testing.compare import explain_comparison
from vtlgw.testing.jsondiff import json_diff
from vtlgw.testing.request import build_request, split_context
from vtlgw.vtl.diagnostics import Location

REPO = Path(__file__).parents[2]


@pytest.fixture
def harness():
    return Harness(REPO)


ECHO = ("$context.httpMethod $context.resourcePath|$input.params('q')|$input.params('Content-Type')|"
        "$input.params('id')|$input.body|$stageVariables.t|$context.stage|$context.identity.sourceIp")


def test_request_keywords_build_the_method_request(harness):
    result = harness.render_text(ECHO, method="put", path="/things/7?q=1&q=2", path_params={"id": 7},
                                 json={"a": [1, "x"]}, stage_variables={"t": "orders"}, stage="beta",
                                 context={"identity.sourceIp": "203.0.113.9"})
    assert result.text == ('PUT /things/7|2|application/json|7|{"a":[1,"x"]}|orders|beta|203.0.113.9')


def test_json_does_not_replace_a_given_content_type_and_body_is_sent_as_is(harness):
    out = harness.render_text("$input.params('Content-Type')|$input.body",
                              headers={"Content-Type": "application/vnd.api+json"}, json={"a": 1})
    assert out.text == 'application/vnd.api+json|{"a":1}'
    assert harness.render_text("$input.body", body="a=1&b=2").text == "a=1&b=2"
    assert harness.render_text("$util.base64Encode($input.body)", body="hi").text == "aGk="


def test_keywords_override_a_request_file(harness):
    request, _ = build_request(REPO, request="fixtures/orders-post.json", headers={"User-Agent": "pytest"},
                               query={"extra": "1"})
    assert request.headers["User-Agent"] == ["pytest"]
    assert request.headers["Content-Type"] == ["application/json"]  # kept from the file
    assert request.query == {"dryRun": ["false"], "note": ["it's \"urgent\""], "extra": ["1"]}


def test_context_takes_nested_or_dotted_keys():
    assert split_context({"identity": {"sourceIp": "a"}, "identity.userAgent": "b"}) == {
        "identity": {"sourceIp": "a", "userAgent": "b"}}


@pytest.mark.parametrize("keywords, message", [
    ({"json": {1, 2}}, "json= is not JSON-serialisable"),
    ({"json": {}, "body": "x"}, "give json= or body=, not both"),
    ({"headers": {"A": object()}}, "headers['A'] must be text"),
    ({"body": 5}, "body= expects text or bytes"),
    ({"request": "nowhere.json"}, "request='nowhere.json': cannot read"),
    ({"methd": "GET"}, "unknown keyword methd"),
    ({"stage_variables": {"a": 1}}, "stage_variables= maps names to text"),
])
def test_bad_keywords_are_vtl_errors_naming_the_keyword(harness, keywords, message):
    with pytest.raises(RequestKeywordError) as caught:
        harness.render_text("x", **keywords)
    assert message in str(caught.value)
    assert isinstance(caught.value, VtlError)


def test_a_request_file_with_an_error_keeps_its_location(tmp_path):
    (tmp_path / "bad.json").write_text('{"httpMethod": "GET",\n "headers": 5}')
    with pytest.raises(VtlError, match=r"bad.json:2:\d+: error: /headers"):
        Harness(tmp_path).render_text("x", request="bad.json")


def test_json_of_non_json_output_names_line_and_template_position(harness):
    result = harness.render_text('{\n  "a": 1,\n  "b": $input.params(\'b\')\n}', name="t.vtl", query={"b": "x y"})
    with pytest.raises(OutputNotJsonError) as caught:
        result.json()
    text = str(caught.value)
    assert text.splitlines()[0] == "the output of t.vtl is not JSON: Expecting value at output line 3, column 8"
    assert '  "b": x y' in text
    assert "written by t.vtl:3:8" in text


def test_results_compare_with_text_and_json(harness):
    result = harness.render_text('{"a": [1, 2.0]}')
    assert result == '{"a": [1, 2.0]}'
    assert result == {"a": [1, 2]}
    assert result != {"a": [1]}
    assert str(result) == result.text


def test_invoke_results_and_the_integration_request(harness):
    api = harness.api("fixtures/orders-api.openapi.yaml")
    result = api.invoke("GET /stock/SKU-1", http_response="fixtures/stock-503.http-response.json")
    assert result.status == 502
    assert result.integration_request.method == "GET"
    assert any(line.startswith("selection: pattern") for line in result.trace)
    assert result.latency == 0 and "Integration latency: 0 ms" in result.log
    with pytest.raises(RequestKeywordError, match="choose one backend"):
        api.invoke("GET /stock/1", http_response={"statusCode": 200}, backend=HttpResponse(200))
    with pytest.raises(RequestKeywordError, match="the route is 'METHOD /path'"):
        api.invoke("/stock/1")


def test_warnings_warn_and_strict_raises():
    loop = "#foreach($i in [1..1001])#end"
    with pytest.warns(VtlgwWarning, match="stopped after 1000 iterations"):
        Harness(REPO).render_text(loop)
    with pytest.raises(StrictModeError, match="strict mode: .*stopped after 1000 iterations"):
        Harness(REPO, strict=True).render_text(loop)


def test_warnings_carry_their_diagnostic():
    loop = "a\n#foreach($i in [1..1001])#end"
    with pytest.warns(VtlgwWarning) as caught:
        result = Harness(REPO).render_text(loop, name="t.vtl")
    (warning,) = [w.message for w in caught]
    assert warning.diagnostic == result.warnings[0]
    assert warning.diagnostic.location == Location("t.vtl", 2, 1, source_line="#foreach($i in [1..1001])#end")
    assert str(warning) == str(warning.diagnostic)  # the formatted text: message line, source line, caret
    assert str(warning).splitlines()[0] == "t.vtl:2:1: warning: #foreach stopped after 1000 iterations " \
                                           "(API Gateway's limit per loop)"


def test_snapshots_store_warnings_as_data_without_the_file_path():
    loop = "a\n#foreach($i in [1..1001])#end"
    with pytest.warns(VtlgwWarning):
        result = Harness(REPO).render_text(loop, name="/somewhere/on/this/machine/t.vtl")
    assert result.snapshot_data()["warnings"] == [{
        "severity": "warning", "message": "#foreach stopped after 1000 iterations (API Gateway's limit per loop)",
        "line": 2, "column": 1}]


def test_explain_indents_every_line_of_a_warning():
    from vtlgw.testing.results import Headers, Invoked
    from vtlgw.vtl.diagnostics import Diagnostic, Severity

    warning = Diagnostic(Severity.WARNING, None, "a loop stopped", Location("t.vtl", 2, 1, source_line="#foreach"))
    invoked = Invoked(200, Headers(), {}, "", False, None, "log", ["step"], [warning], None, 0, "GET /")
    text = invoked.explain()
    block = text.split("  warnings:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert block == ["    " + line for line in str(warning).splitlines()] and len(block) > 1


def test_strict_mode_names_every_warning():
    twice = "#foreach($i in [1..1001])#end#foreach($j in [1..1001])#end"
    with pytest.raises(StrictModeError) as info:
        Harness(REPO, strict=True).render_text(twice, name="t.vtl")
    error = info.value
    assert [d.location.column for d in error.diagnostics] == [1, twice.index("#foreach($j") + 1]
    lines = str(error).splitlines()
    assert lines[0] == "strict mode:"
    assert [line for line in lines if "warning:" in line] == [f"  {d.location}: warning: {d.message}"
                                                             for d in error.diagnostics]
    assert all(line.startswith("  ") for line in lines[1:])  # each warning indented as a whole


def test_json_diff_names_each_difference_by_path():
    left = {"a": 1, "items": [{"price": 10}, {"price": 2}], "weird key": True, "gone": None}
    right = {"a": 1.0, "items": [{"price": 10.5}, {"price": 2}, 3], "weird key": 1, "new": "x"}
    assert json_diff(left, right) == [
        "$.items[0].price: 10 != 10.5",
        "$.items: 2 items != 3 items; extra on the right: 3",
        '$["weird key"]: boolean true != number 1',
        "$.gone: only on the left: null",
        '$.new: only on the right: "x"',
    ]
    assert json_diff({"a": [1]}, {"a": [1]}) == []


def test_explain_comparison_recognises_what_json_returned(harness):
    parsed = harness.render_text('{"a": 1}', name="t.vtl").json()
    lines = explain_comparison(parsed, {"a": 2})
    assert lines[0] == "vtlgw JSON differs, 1 difference (left: the output of t.vtl; right: expected):"
    assert lines[1:] == ["  $.a: 1 != 2"]
    assert explain_comparison(json.loads('{"a": 1}'), {"a": 2}) is None  # an ordinary dict: pytest's own diff
    lines = explain_comparison({"a": 2}, harness.render_text('{"a": 1}', name="u.vtl"))
    assert lines[0] == "vtlgw JSON differs, 1 difference (left: expected; right: the output of u.vtl):"


def test_an_api_is_evaluated_against_the_stack_given(harness):
    from vtlgw.apigw.definition import Stack

    sam = "examples/sam-orders/template.yaml"
    default = harness.api(sam).invoke("POST /orders", json={"items": []})
    other = harness.api(sam, stack=Stack(region="eu-west-1", parameters={"Stage": "beta"})).invoke(
        "POST /orders", json={"items": []})
    assert (default.json()["table"], default.json()["region"]) == ("orders-prod", "us-east-1")
    assert (other.json()["table"], other.json()["region"]) == ("orders-beta", "eu-west-1")
    assert other.status == 201


def test_an_edited_included_file_is_read_again(tmp_path):
    import os
    import shutil

    project = tmp_path / "sam-orders"
    shutil.copytree(REPO / "examples" / "sam-orders", project)
    harness = Harness(project)
    assert harness.api("template.yaml").invoke("GET /health").json()["status"] == "ok"
    api_yaml = project / "api.yaml"
    api_yaml.write_text(api_yaml.read_text().replace('"status": "ok"', '"status": "changed"'))
    later = api_yaml.stat().st_mtime_ns + 10_000_000
    os.utime(api_yaml, ns=(later, later))
    assert harness.api("template.yaml").invoke("GET /health").json()["status"] == "changed"
