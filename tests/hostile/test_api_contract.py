"""Issue 12, "The Python API's contract": every public function takes what the README says, or raises a
``VtlError`` subclass naming the argument and the field. In-process: only the exception type and message matter.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

import vtlgw
from vtlgw.apigw.arguments import ArgumentError
from vtlgw.apigw.definition import load_definition, list_api_ids
from vtlgw.apigw.pipeline import (
    HttpHandler,
    HttpResponse,
    LambdaError,
    LambdaHandler,
    LambdaPayload,
    LambdaResult,
    backend_from_dict,
    backend_from_file,
    format_text,
    invoke,
    to_json,
)
from vtlgw.apigw.request import request_from_dict

ROOT = Path(__file__).resolve().parents[2]
ORDERS_API = ROOT / "fixtures" / "orders-api.openapi.yaml"


@pytest.fixture(scope="module")
def api():
    return load_definition(ORDERS_API)


# ---------------------------------------------------------------------------- vtlgw.render


def test_a_bytes_body_is_the_raw_payload_sent_base64_encoded():
    # U-style default (UNCERTAIN): bytes are the payload itself; a template reads a binary body as UTF-8.
    assert vtlgw.render("$input.body", {"body": b"\xff"}) == "\ufffd"
    assert vtlgw.render("$input.body", {"body": b"caf\xc3\xa9"}) == "café"
    request, _ = request_from_dict({"body": b"\x00\x01"})
    assert request.is_base64_encoded and request.body == base64.b64encode(b"\x00\x01").decode()
    with pytest.raises(vtlgw.VtlError, match=r"/body: a bytes body is sent base64-encoded, but isBase64Encoded "
                                             r"is false"):
        vtlgw.render("$input.body", {"body": b"x", "isBase64Encoded": False})


@pytest.mark.parametrize("request_dict, pointer, message", [
    ({"body": {1, 2}}, "/body", "a set is not a JSON value"),
    ({"body": object()}, "/body", "an object is not a JSON value"),
    ({"body": {"a": [1, {2: 3}]}}, "/body/a/1/2", "keys must be strings, not an int 2"),
    ({"headers": {1: "a"}}, "/headers/1", "keys must be strings, not an int 1"),
    ({"stageVariables": {5: "a"}}, "/stageVariables/5", "keys must be strings"),
    ({"queryStringParameters": {"q": b"x"}}, "/queryStringParameters/q", "a bytes is not a JSON value"),
    ({"body": {"x": float("nan")}}, "/body/x", "NaN is not valid JSON"),
    ({"requestContext": {"identity": {"sourceIp": {"a"}}}}, "/requestContext/identity/sourceIp", "a set"),
])
def test_request_dicts_holding_what_json_cannot_are_refused_at_their_pointer(request_dict, pointer, message):
    with pytest.raises(vtlgw.VtlError, match=f"<request>: error: {pointer}: {message}"):
        vtlgw.render("$input.body", request_dict)


def test_request_dicts_with_a_cycle_or_absurd_depth_are_refused():
    cyclic: dict = {}
    cyclic["self"] = cyclic
    with pytest.raises(vtlgw.VtlError, match=r"/body/self: the value contains itself"):
        vtlgw.render("x", {"body": cyclic})
    deep: list = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(vtlgw.VtlError, match=r"nested more than 500 levels deep"):
        vtlgw.render("x", {"body": deep})


@pytest.mark.parametrize("call, match", [
    (lambda: vtlgw.render(None), r"render\(template\): expected the template text as a str, not None"),
    (lambda: vtlgw.render(b"x"), r"render\(template\): .* not a bytes; decode the bytes first"),
    (lambda: vtlgw.render("x", [1]), r"render\(request\): expected a dict in the request-file shape"),
    (lambda: vtlgw.render("x", "GET /"), r"render\(request\): .* not a str"),
    (lambda: vtlgw.render("x", name=None), r"render\(name\): expected the template name as a str"),
    (lambda: vtlgw.render("x", integration_response=b"{}"), r"render\(integration_response\): .* bytes"),
    (lambda: vtlgw.render("x", stage=5), r"render\(stage\): expected the stage name as a str, not an int"),
    (lambda: vtlgw.render("x", stage_variables=[1]), r"render\(stage_variables\): expected a dict"),
    (lambda: vtlgw.render("x", stage_variables={"a": 1}), r"render\(stage_variables\): /a: expected a string"),
    (lambda: vtlgw.render("x", stage_variables={"a b": "c"}), r"render\(stage_variables\): /a b: stage variable"),
    (lambda: vtlgw.render("x", stage_variables={5: "a"}), r"render\(stage_variables\): /5: keys must be strings"),
    (lambda: vtlgw.render("x", context=[1]), r"render\(context\): expected a dict of \$context keys"),
    (lambda: vtlgw.render("x", context={"identity": {"sourceIp": {1}}}), r"render\(context\): "
                                                                         r"/identity/sourceIp: a set"),
])
def test_render_arguments_of_the_wrong_kind(call, match):
    with pytest.raises(ArgumentError, match=match) as caught:
        call()
    assert isinstance(caught.value, vtlgw.VtlError)


def test_render_still_takes_what_the_readme_gives():
    assert vtlgw.render('{"id": "$input.params(\'id\')", "n": $input.json(\'$.n\')}',
                        {"path": "/orders/7", "resource": "/orders/{id}", "body": {"n": 1.50}}) == '{"id": "7", "n": 1.5}'
    assert vtlgw.render("$stageVariables.t|$context.stage|$context.identity.sourceIp", None,
                        stage_variables={"t": "orders"}, stage="beta",
                        context={"identity": {"sourceIp": "203.0.113.7"}}) == "orders|beta|203.0.113.7"
    assert vtlgw.render("$input.body", integration_response="raw") == "raw"


# ---------------------------------------------------------------------------- invoke


def test_invoke_takes_a_request_dict_as_render_does(api):
    result = invoke(api, {"httpMethod": "GET", "path": "/health"})
    assert result.status == 200 and json.loads(result.body)["status"] == "ok"
    assert invoke(api).status == 403  # None: GET /, which the API does not route
    with_warning = invoke(api, {"httpMethod": "GET", "path": "/health", "colour": "blue"})
    assert any("unknown key" in w.message for w in with_warning.warnings)


@pytest.mark.parametrize("call, match", [
    (lambda api: invoke(str(ORDERS_API), {}), r"invoke\(definition\): expected an ApiDefinition, not a str; "
                                              r"load it first: load_definition\(path\)"),
    (lambda api: invoke(None, {}), r"invoke\(definition\): expected an ApiDefinition, not None"),
    (lambda api: invoke(api, [("GET", "/")]), r"invoke\(request\): expected a dict"),
    (lambda api: invoke(api, {"headers": {1: "a"}}), r"/headers/1: keys must be strings"),
    (lambda api: invoke(api, {}, method=1), r"invoke\(method\): expected the HTTP method as a str"),
    (lambda api: invoke(api, {}, path=b"/"), r"invoke\(path\): .* bytes"),
    (lambda api: invoke(api, {}, stage=["prod"]), r"invoke\(stage\): "),
    (lambda api: invoke(api, {}, backend={"statusCode": 200}), r"invoke\(backend\): expected a backend .* "
                                                               r"backend_from_dict\(obj\)"),
    (lambda api: invoke(api, {}, backend=lambda e, c: 1), r"invoke\(backend\): expected a backend"),
    (lambda api: invoke(api, {}, stage_variables={"x": 1}), r"invoke\(stage_variables\): /x: expected a string"),
    (lambda api: invoke(api, {}, context_overrides="stage=prod"), r"invoke\(context_overrides\): expected a dict"),
])
def test_invoke_arguments_of_the_wrong_kind(api, call, match):
    with pytest.raises(vtlgw.VtlError, match=match):
        call(api)


# ---------------------------------------------------------------------------- backends


@pytest.mark.parametrize("call, match", [
    (lambda: LambdaResult({1, 2}), r"LambdaResult\(value\): a set is not a JSON value \(use a list\)"),
    (lambda: LambdaResult({"a": [b"x"]}), r"LambdaResult\(value\): /a/0: a bytes is not a JSON value"),
    (lambda: LambdaResult({"n": float("inf")}), r"LambdaResult\(value\): /n: Infinity is not valid JSON"),
    (lambda: LambdaPayload(5), r"LambdaPayload\(text\): expected the payload as a str, not an int; for a value, "
                               r"use LambdaResult\(value\)"),
    (lambda: LambdaPayload(b"{}"), r"LambdaPayload\(text\): .* decode the bytes"),
    (lambda: LambdaError({1}), r"LambdaError\(errorMessage\): a set"),
    (lambda: LambdaError("m", 5), r"LambdaError\(errorType\): expected a str or None, not an int"),
    (lambda: LambdaError("m", "T", "trace"), r"LambdaError\(stackTrace\): expected a list"),
    (lambda: LambdaHandler(5), r"LambdaHandler\(handler\): expected a callable"),
    (lambda: LambdaHandler("no_colon"), r'"no_colon": expected "module:function"'),
    (lambda: LambdaHandler("vtlgw_no_such_module_x:f"), r"cannot import vtlgw_no_such_module_x"),
    (lambda: HttpHandler(None), r"HttpHandler\(handler\): expected a callable"),
    (lambda: HttpResponse(999), r"HttpResponse\(statusCode\): expected an HTTP status code .* not 999"),
    (lambda: HttpResponse("abc"), r"HttpResponse\(statusCode\): .* not 'abc'"),
    (lambda: HttpResponse(200.5), r"HttpResponse\(statusCode\): .* not a float"),
    (lambda: HttpResponse(200, ["X: 1"]), r"HttpResponse\(headers\): expected a dict"),
    (lambda: HttpResponse(200, {1: "a"}), r"HttpResponse\(headers\): header names must be strings"),
    (lambda: HttpResponse(200, {"X": ["a"]}), r"HttpResponse\(headers\): /X: expected a string, not a list"),
    (lambda: HttpResponse(200, {}, {1, 2}), r"HttpResponse\(body\): a set is not a JSON value"),
    (lambda: HttpResponse(200, multiValueHeaders={"X": "a"}), r"HttpResponse\(multiValueHeaders\): /X: "),
    (lambda: HttpResponse(200, body=b"x", isBase64Encoded=True), r"HttpResponse\(body\): isBase64Encoded is true"),
    (lambda: HttpResponse(200, body="%%%", isBase64Encoded=True), r"HttpResponse\(body\): .* not base64"),
    (lambda: HttpResponse(200, isBase64Encoded="yes"), r"HttpResponse\(isBase64Encoded\): expected True or False"),
    (lambda: backend_from_dict({"result": {1}}), r"LambdaResult\(value\): a set"),
])
def test_backend_constructors_check_their_fields(call, match):
    with pytest.raises(vtlgw.VtlError, match=match):
        call()


def test_the_readme_http_response_reads_status_headers_body(api):
    response = HttpResponse(503, {"Retry-After": "5"}, '{"error": "x"}')
    assert (response.statusCode, response.headers, response.body) == (503, {"Retry-After": "5"}, '{"error": "x"}')
    assert response.multiValueHeaders == {} and response.isBase64Encoded is False
    keyword = HttpResponse(statusCode=200, body="b", multiValueHeaders={"A": ["1", "2"]}, headers={"B": "3"})
    assert keyword.response().headers == {"B": ["3"], "A": ["1", "2"]}
    assert HttpResponse("404").statusCode == 404
    result = invoke(api, {"httpMethod": "GET", "path": "/stock/SKU-1"}, backend=response)
    assert result.integration_status == 503


def test_a_readme_backend_list_still_works(api):
    assert LambdaResult({"id": "1"}).value == {"id": "1"}
    assert LambdaPayload("not json").text == "not json"
    assert LambdaError("NotFound", "LookupError", ["a"]).as_object() == {
        "errorMessage": "NotFound", "errorType": "LookupError", "stackTrace": ["a"]}


# ---------------------------------------------------------------------------- load_definition


@pytest.mark.parametrize("path, match", [
    (None, r"load_definition\(path\): expected the definition file \(or cdk.out directory\) as a str or "
           r"pathlib.Path, not None"),
    (42, r"load_definition\(path\): .* not an int"),
    (b"api.yaml", r"load_definition\(path\): .* not bytes; decode it"),
    ("", r"load_definition\(path\): the path is empty"),
    ("a\x00b.yaml", r"load_definition\(path\): .* holds a NUL character"),
])
def test_load_definition_paths_of_the_wrong_kind(path, match):
    with pytest.raises(vtlgw.VtlError, match=match):
        load_definition(path)


def test_load_definition_api_and_list_api_ids_arguments():
    with pytest.raises(vtlgw.VtlError, match=r"load_definition\(api\): expected an API id as a str"):
        load_definition(ORDERS_API, api=1)
    with pytest.raises(vtlgw.VtlError, match=r"list_api_ids\(path\): .* not None"):
        list_api_ids(None)
    assert load_definition(str(ORDERS_API)).source_file.endswith("orders-api.openapi.yaml")


def test_load_definition_stream_reads_an_open_binary_stream():
    import io

    from vtlgw.apigw.definition import load_definition_stream

    text = ORDERS_API.read_bytes()
    from_stream = load_definition_stream(io.BytesIO(text))
    assert from_stream.source_file == "<stdin>"
    assert list(from_stream.methods) == list(load_definition(ORDERS_API).methods)
    with pytest.raises(vtlgw.VtlError, match=r"<stdin>.*invalid YAML"):
        load_definition_stream(io.BytesIO(b"x: [\n"))
    with pytest.raises(vtlgw.VtlError, match=r"load_definition_stream\(stream\): expected a binary stream, not a str"):
        load_definition_stream("api.yaml")


# ---------------------------------------------------------------------------- the other public helpers


def _mapping_context():
    from vtlgw.apigw.mapping import MappingContext

    return MappingContext.for_request({"httpMethod": "POST", "path": "/x", "body": "hi"})


@pytest.mark.parametrize("call, match", [
    (lambda p: p.rest_event(5, {}, {}), r"rest_event\(request\): expected a dict in the request-file shape"),
    (lambda p: p.rest_event(None, None, {}), r"rest_event\(context\): expected the \$context map"),
    (lambda p: p.rest_event(None, {}, {"a b": "c"}), r"rest_event\(stage_variables\): /a b: stage variable names"),
    (lambda p: p.rest_event(None, [], {}), r"rest_event\(context\): expected a dict"),
    (lambda p: p.http_api_event(5, {}, {}), r"http_api_event\(request\): expected a dict"),
    (lambda p: p.rest_response(5), r"rest_response\(payload\): expected .* JSON text .* not an int"),
    (lambda p: p.rest_response({"statusCode": 200}), r"rest_response\(payload\): .* not a dict; json.dumps"),
    (lambda p: p.rest_response("{}", merge="x"), r"rest_response\(merge\): expected 'recorded' or 'docs'"),
    (lambda p: p.http_api_response(object()), r"http_api_response\(payload\): .* not an object"),
])
def test_proxy_helpers_check_their_arguments(call, match):
    from vtlgw.apigw import proxy

    with pytest.raises(vtlgw.VtlError, match=match):
        call(proxy)


def test_proxy_event_builders_take_a_request_dict_as_render_does():
    from vtlgw.apigw import proxy

    mctx = _mapping_context()
    event = proxy.rest_event({"httpMethod": "POST", "path": "/x", "body": "hi"}, mctx.context, mctx.stage_variables)
    assert (event["httpMethod"], event["path"], event["body"]) == ("POST", "/x", "hi")
    assert proxy.rest_response(bytearray(b'{"statusCode": 201, "body": "x"}')).status == 201


@pytest.mark.parametrize("call, match", [
    (lambda: __import__("vtlgw.apigw.mapping", fromlist=["x"]).MappingContext.for_request(5),
     r"MappingContext.for_request\(request\): expected a dict"),
    (lambda: __import__("vtlgw.apigw.request", fromlist=["x"]).load_request(None, "r.json"),
     r"load_request\(data\): expected the request file's content as a str or bytes, not None"),
    (lambda: __import__("vtlgw.apigw.request", fromlist=["x"]).load_request("{}", 5),
     r"load_request\(source\): expected the file name"),
    (lambda: backend_from_file(None), r"backend_from_file\(path\): .* not None"),
    (lambda: backend_from_file(""), r"backend_from_file\(path\): .* not an empty str"),
    (lambda: backend_from_file("x.json", "nope"), r"backend_from_file\(kind\): expected one of auto"),
    (lambda: format_text({}), r"format_text\(result\): expected what invoke\(\) returned"),
    (lambda: to_json({}), r"to_json\(result\): expected what invoke\(\) returned"),
])
def test_the_other_public_helpers_check_their_arguments(call, match):
    with pytest.raises(vtlgw.VtlError, match=match):
        call()


def test_for_request_takes_a_request_dict():
    assert _mapping_context().request.http_method == "POST"
