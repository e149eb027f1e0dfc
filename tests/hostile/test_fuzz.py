"""Fuzz: request files, definitions and templates through the Python API and the CLI.

Whatever the input, the Python API returns or raises a ``VtlError``; the CLI exits 0, 1 or 2 and never
prints a traceback. Inputs are built from the pieces real files are made of (known keys, VTL tokens,
definition skeletons), so the fuzz reaches the loaders' and the engine's inner checks, not only the
first "this is not JSON".
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import vtlgw
from vtlgw import VtlError
from vtlgw.cli import main

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)

# ---------------------------------------------------------------- values

_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(
    ["\ud800", "\x00", "/", "?", "{", "}", "$", "'", '"', "\\", "\n", "é"]), max_size=12)
_SCALARS = st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | _TEXT
_JSON = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
                     max_leaves=12)

_REQUEST_KEYS = ["httpMethod", "path", "resource", "pathParameters", "headers", "multiValueHeaders",
                 "queryStringParameters", "multiValueQueryStringParameters", "body", "isBase64Encoded",
                 "stageVariables", "requestContext", "pathWithQueryString", "resourcePath"]
_CONTEXT_KEYS = ["stage", "requestId", "requestTime", "requestTimeEpoch", "identity", "authorizer", "path",
                 "httpMethod", "domainName", "apiId"]


def _field(key: str) -> st.SearchStrategy:
    if key == "requestContext":
        return st.dictionaries(st.sampled_from(_CONTEXT_KEYS), _JSON, max_size=4)
    if key in ("headers", "queryStringParameters", "pathParameters", "stageVariables"):
        return st.dictionaries(_TEXT, _SCALARS, max_size=3) | _JSON
    if key in ("multiValueHeaders", "multiValueQueryStringParameters"):
        return st.dictionaries(_TEXT, st.lists(_SCALARS, max_size=2), max_size=3) | _JSON
    if key == "httpMethod":
        return st.sampled_from(["GET", "post", "FOO", ""]) | _JSON
    if key in ("path", "pathWithQueryString", "resource", "resourcePath"):
        return st.sampled_from(["/", "/orders/1", "/orders?x=1&x=2", "orders", "/a/{id}", "//"]) | _TEXT
    return _JSON


REQUESTS = st.fixed_dictionaries({}, optional={key: _field(key) for key in _REQUEST_KEYS})

# ---------------------------------------------------------------- templates

_TOKENS = ["#if(", "#elseif(", "#else", "#end", "#foreach($i in ", "#set(", "#define($d)", "#break", "#stop",
           "$x", "$!x", "${x}", "$input.path('$.a')", "$input.json('$')", "$input.params('a')",
           "$util.escapeJavaScript(", "$util.parseJson(", "$util.base64Decode(", "$context.requestId",
           "$context.responseOverride.status", ".size()", ".get(0)", "[1..3]", "[", "]", "{", "}", "(", ")",
           "==", "&&", "!", " + ", "\"", "'", ",", ".", "=", "1", "2.5", "true", "a", " ", "\n", "##", "#*", "*#",
           "#[[", "]]#", "\\", "\ufeff", "é", "\ud800"]
TEMPLATES = st.lists(st.sampled_from(_TOKENS), max_size=25).map("".join)

# ---------------------------------------------------------------- definitions


def _openapi(paths: dict) -> dict:
    return {"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": paths}


_INTEGRATION = st.fixed_dictionaries(
    {"type": st.sampled_from(["mock", "aws", "http", "aws_proxy", "MOCK", "bogus"]) | _JSON},
    optional={"uri": st.sampled_from(["arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                                      "arn:aws:lambda:us-east-1:1:function:f/invocations", "https://x", ""]) | _JSON,
              "httpMethod": st.sampled_from(["POST", "GET"]) | _JSON,
              "requestTemplates": st.dictionaries(st.sampled_from(["application/json", "text/plain"]) | _TEXT,
                                                  TEMPLATES | _JSON, max_size=2),
              "requestParameters": st.dictionaries(_TEXT, _TEXT, max_size=2) | _JSON,
              "responses": st.dictionaries(st.sampled_from(["default", "4\\d{2}", ".*"]) | _TEXT,
                                           st.fixed_dictionaries({}, optional={
                                               "statusCode": st.sampled_from(["200", "400", "abc"]) | _JSON,
                                               "responseTemplates": st.dictionaries(_TEXT, TEMPLATES, max_size=1),
                                               "responseParameters": st.dictionaries(_TEXT, _TEXT, max_size=1)}),
                                           max_size=2) | _JSON,
              "passthroughBehavior": st.sampled_from(["when_no_match", "never", "x"]) | _JSON})
_OPERATION = st.fixed_dictionaries({}, optional={
    "responses": st.dictionaries(st.sampled_from(["200", "400", "x"]), st.just({"description": "d"}), max_size=2)
    | _JSON,
    "parameters": st.lists(st.fixed_dictionaries({"name": _TEXT, "in": st.sampled_from(["path", "query", "x"])}),
                           max_size=2) | _JSON,
    "x-amazon-apigateway-integration": _INTEGRATION | _JSON})
DEFINITIONS = st.dictionaries(st.sampled_from(["/", "/orders/{id}", "/a/{proxy+}", "x", "/{a}/{a}"]) | _TEXT,
                              st.dictionaries(st.sampled_from(["get", "post", "x-amazon-apigateway-any-method",
                                                               "bogus"]), _OPERATION | _JSON, max_size=2) | _JSON,
                              max_size=3).map(_openapi)


# ---------------------------------------------------------------- the Python API


@FUZZ
@given(request=REQUESTS, template=TEMPLATES)
def test_render_returns_or_raises_vtl_error(request, template):
    try:
        result = vtlgw.render(template, request)
    except VtlError:
        return
    assert isinstance(result, str)


@FUZZ
@given(definition=DEFINITIONS, request=REQUESTS)
@example(definition=_openapi({"/": float("-inf")}), request={})  # json.dumps writes -Infinity: not JSON
def test_load_and_invoke_return_or_raise_vtl_error(tmp_path_factory, definition, request):
    from vtlgw.apigw.definition import load_definition
    from vtlgw.apigw.pipeline import HttpResponse, invoke
    from vtlgw.apigw.request import request_from_dict

    path = tmp_path_factory.mktemp("fuzz") / "api.json"
    path.write_text(json.dumps(definition), encoding="utf-8")
    try:
        api = load_definition(path)
        method_request, _ = request_from_dict(request)
        invoke(api, method_request, backend=HttpResponse(200))
    except VtlError:
        return


@FUZZ
@given(text=st.text(max_size=200) | st.sampled_from(["a: &a [1]\nb: *a\n", "{", "- - - -", "openapi: 3.0.1\n"]))
def test_definition_text_returns_or_raises_vtl_error(tmp_path_factory, text):
    from vtlgw.apigw.definition import load_definition

    path = tmp_path_factory.mktemp("fuzz") / "api.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_definition(path)
    except VtlError:
        return


# ---------------------------------------------------------------- the command line


def _cli(args: list[str], stdin: bytes | None = None):
    result = CliRunner().invoke(main, args, input=stdin, catch_exceptions=True)
    crash = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crash, f"{type(result.exception).__name__}: {result.exception}"
    assert result.exit_code in (0, 1, 2), result.exit_code
    assert "Traceback" not in result.output
    return result


@FUZZ
@given(request=REQUESTS, template=TEMPLATES, fmt=st.sampled_from(["text", "json"]))
def test_cli_render_exits_cleanly(tmp_path_factory, request, template, fmt):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "t.vtl").write_text(template, encoding="utf-8", errors="surrogatepass")
    (folder / "r.json").write_text(json.dumps(request), encoding="utf-8")
    result = _cli(["render", str(folder / "t.vtl"), "-r", str(folder / "r.json"), "-f", fmt])
    if fmt == "json" and result.exit_code == 0:
        json.loads(result.stdout)


@FUZZ
@given(definition=DEFINITIONS, request=REQUESTS)
def test_cli_invoke_exits_cleanly_and_json_parses(tmp_path_factory, definition, request):
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "api.json").write_text(json.dumps(definition), encoding="utf-8")
    (folder / "r.json").write_text(json.dumps(request), encoding="utf-8")
    (folder / "b.json").write_text(json.dumps({"statusCode": 200, "body": "{}"}), encoding="utf-8")
    result = _cli(["invoke", "-a", str(folder / "api.json"), "-r", str(folder / "r.json"), "--http-response",
                   str(folder / "b.json"), "-f", "json"])
    if result.exit_code in (0, 1) and result.stdout.strip():
        json.loads(result.stdout)


@FUZZ
@given(template=TEMPLATES)
@example(template="\ud800")  # stdin that is not UTF-8
def test_cli_lint_exits_cleanly(template):
    result = _cli(["lint", "--isolated", "-"], stdin=template.encode("utf-8", "surrogatepass"))
    assert result.exit_code in (0, 1, 2)


@pytest.mark.parametrize("args", [["render", "-"], ["lint", "-"]])
def test_binary_stdin_is_a_clean_error(args):
    result = CliRunner().invoke(main, args, input=b"\xff\xfe\x00", catch_exceptions=True)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
