"""The method response: responseParameters, templates, responseOverride, headers (docs/integration.md §6)."""

import pytest

from vtlgw.apigw.pipeline import HttpResponse, LambdaResult, invoke

from .helpers import LAMBDA_URI, api, req, response, texts

URI = "https://backend.example.com/items"


def http(responses, backend, request=None, **kw):
    definition = api(type="HTTP", uri=URI, responses=responses, **kw)
    return invoke(definition, request or req(), backend=backend)


def test_response_parameter_sources():
    backend = HttpResponse(200, headers={"ETag": "e1"}, multiValueHeaders={"Set-Cookie": ["a=1", "b=2"]},
                           body={"id": 5, "name": "n", "price": {"amount": 500}, "list": [1, "x"], "ok": True})
    params = {
        "method.response.header.X-Etag": "integration.response.header.ETag",
        "method.response.header.X-Etag-Lower": "integration.response.header.etag",
        "method.response.header.X-Cookies": "integration.response.multivalueheader.Set-Cookie",
        "method.response.header.X-Cookie": "integration.response.header.Set-Cookie",
        "method.response.header.X-Body": "integration.response.body",
        "method.response.header.X-Id": "integration.response.body.id",
        "method.response.header.X-Name": "integration.response.body.name",
        "method.response.header.X-Amount": "integration.response.body.price.amount",
        "method.response.header.X-Price": "integration.response.body.price",
        "method.response.header.X-List": "integration.response.body.list",
        "method.response.header.X-Ok": "integration.response.body.ok",
        "method.response.header.X-None": "integration.response.body.nothing",
        "method.response.header.X-Stage": "stageVariables.env",
        "method.response.header.X-Path": "context.resourcePath",
        "method.response.header.X-Lit": "'static value'",
    }
    result = http([response("200", params=params)], backend,
                  req(stageVariables={"env": "green"}),
                  method_responses={"200": [k.rsplit(".", 1)[1] for k in params]})
    h = result.headers
    assert h["X-Etag"] == "e1" and "X-Etag-Lower" not in h  # backend header names are case-sensitive
    assert h["X-Cookies"] == "a=1,b=2" and h["X-Cookie"] == "b=2"
    assert h["X-Body"] == result.body
    assert (h["X-Id"], h["X-Name"], h["X-Amount"]) == ("5", "n", "500")
    assert h["X-Price"] == '{"amount":500}' and h["X-List"] == '[1,"x"]' and h["X-Ok"] == "true"
    assert "X-None" not in h
    assert (h["X-Stage"], h["X-Path"], h["X-Lit"]) == ("green", "/items", "static value")
    assert result.warnings == []


def test_undeclared_response_header_is_applied_with_a_warning():
    result = http([response("200", params={"method.response.header.X-A": "'a'"})], HttpResponse(200))
    assert result.headers["X-A"] == "a"
    assert any("X-A is not declared" in w.message for w in result.warnings)


def test_backend_headers_never_reach_the_client_unmapped():
    result = http([response("200")], HttpResponse(200, headers={"X-Backend": "1", "Content-Type": "text/plain"}))
    assert result.headers == {"Content-Type": "application/json"}


def test_u25_content_type_default_and_not_from_template_key():
    result = http([response("200", tpl={"text/html": "<p>hi</p>"})], HttpResponse(200),
                  req(headers={"Accept": "text/html"}))
    assert result.body == "<p>hi</p>"
    assert result.headers["Content-Type"] == "application/json"
    mapped = http([response("200", params={"method.response.header.Content-Type": "'text/html'"},
                            tpl={"text/html": "<p/>"})], HttpResponse(200), method_responses={"200": ["Content-Type"]})
    assert mapped.headers["Content-Type"] == "text/html"


def test_response_template_by_accept_then_json_then_first():
    tpl = {"application/xml": "<x/>", "application/json": '{"j":1}'}
    assert http([response("200", tpl=tpl)], HttpResponse(200), req(headers={"Accept": "application/xml"})).body == "<x/>"
    assert http([response("200", tpl=tpl)], HttpResponse(200), req(headers={"Accept": "text/csv"})).body == '{"j":1}'
    only_xml = {"application/xml": "<x/>", "text/plain": "p"}
    assert http([response("200", tpl=only_xml)], HttpResponse(200), req(headers={"Accept": "text/csv"})).body == "<x/>"


@pytest.mark.parametrize("accept", ["*/*", "application/*", "$default"])
def test_u23_wildcard_and_default_keys_never_match_accept(accept):
    tpl = {accept: "wild", "application/json": '{"j":1}'}
    assert http([response("200", tpl=tpl)], HttpResponse(200), req(headers={"Accept": accept})).body == '{"j":1}'


def test_empty_response_template_is_passthrough():
    result = http([response("200", tpl={"application/json": None})], HttpResponse(200, body="raw backend"))
    assert result.body == "raw backend"


def test_response_template_input_is_the_integration_response():
    tpl = {"application/json": '{"n": $input.json(\'$.name\'), "q": "$input.params(\'q\')", "all": $input.json(\'$\')}'}
    result = http([response("200", tpl=tpl)], HttpResponse(200, body='{"name": "x"}'),
                  req(queryStringParameters={"q": "1"}))
    assert result.json() == {"n": "x", "q": "1", "all": {"name": "x"}}


def test_empty_integration_body_reads_as_empty_object():
    tpl = {"application/json": "$input.json('$')"}
    assert http([response("200", tpl=tpl)], HttpResponse(204, body="")).body == "{}"


def test_response_override_status_and_header():
    tpl = {"application/json": '#set($context.responseOverride.status = 201)'
                               '#set($context.responseOverride.header.Location = "/items/1")'
                               '#set($context.responseOverride.header.Content-Type = "application/hal+json"){}'}
    result = http([response("200", tpl=tpl)], HttpResponse(200))
    assert result.status == 201  # no 201 method response needed
    assert result.headers["Location"] == "/items/1"
    assert result.headers["Content-Type"] == "application/hal+json"
    assert texts(result.log_lines)[-1] == "Method completed with status: 201"


def test_response_override_header_replaces_a_mapped_one():
    tpl = {"application/json": '#set($context.responseOverride.header.x-a = "over"){}'}
    result = http([response("200", params={"method.response.header.X-A": "'mapped'"}, tpl=tpl)],
                  HttpResponse(200), method_responses={"200": ["X-A"]})
    assert result.multi_value_headers.get("x-a") == ["over"] and "X-A" not in result.headers


def test_override_set_in_the_request_template_applies_without_a_response_template():
    definition = api(type="AWS", uri=LAMBDA_URI, responses=[response("200")],
                     request_templates={"application/json": '#set($context.responseOverride.status = "202")'
                                                            '#set($context.responseOverride.header.X-Req = "1"){}'})
    result = invoke(definition, req(body="{}"), backend=LambdaResult({"a": 1}))
    assert result.status == 202
    assert result.headers["X-Req"] == "1"
    assert result.body == '{"a":1}'


def test_request_and_response_template_may_each_set_the_same_override_once():
    definition = api(type="AWS", uri=LAMBDA_URI,
                     request_templates={"application/json": '#set($context.responseOverride.status = 202){}'},
                     responses=[response("200", tpl={"application/json": '#set($context.responseOverride.status = 203){}'})])
    assert invoke(definition, req(body="{}"), backend=LambdaResult(1)).status == 203


@pytest.mark.parametrize("value", ['"abc"', "99", "600", '"2x0"', "true", "[200]", '"\u00b2"', '"2\u00b2"'])
def test_u26_invalid_override_status_is_ignored_with_a_warning(value):
    tpl = {"application/json": f"#set($context.responseOverride.status = {value}){{}}"}
    result = http([response("200", tpl=tpl)], HttpResponse(200))
    assert result.status == 200
    assert any("U26" in w.message for w in result.warnings)


# Integer.parseInt reads any Unicode decimal digit: "\u0662\u0660\u0661" is 201 (but "\u00b2" is no digit)
@pytest.mark.parametrize("value,status", [("404", 404), ('"503"', 503), ('" 204 "', 204),
                                          ('"\u0662\u0660\u0661"', 201)])
def test_u26_valid_override_status(value, status):
    tpl = {"application/json": f"#set($context.responseOverride.status = {value}){{}}"}
    assert http([response("200", tpl=tpl)], HttpResponse(200)).status == status


def test_u27_duplicate_response_override_is_500():
    tpl = {"application/json": '#set($context.responseOverride.header.X = "1")'
                               '#set($context.responseOverride.header.X = "2"){}'}
    result = http([response("200", tpl=tpl)], HttpResponse(200))
    assert result.status == 500
    assert "Parameter responseOverride.header.X was overridden more than once" in result.log
    assert result.error is not None


def test_response_override_list_header_is_multi_valued():
    tpl = {"application/json": '#set($context.responseOverride.header.Vary = ["Accept", "Origin"]){}'}
    result = http([response("200", tpl=tpl)], HttpResponse(200))
    assert result.multi_value_headers["Vary"] == ["Accept", "Origin"]


@pytest.mark.parametrize("name", ["Authorization", "Connection", "Content-Length", "Content-MD5", "Date",
                                  "Expect", "Host", "Max-Forwards", "Proxy-Authenticate", "Server", "Trailer",
                                  "Upgrade", "User-Agent", "WWW-Authenticate"])
def test_reserved_response_headers_are_remapped(name):
    result = http([response("200", params={f"method.response.header.{name}": "'v'"})], HttpResponse(200),
                  method_responses={"200": [name]})
    assert result.headers[f"x-amzn-Remapped-{name}"] == "v"
    assert name not in result.headers


def test_transfer_encoding_dropped_and_others_kept():
    keep = ["Accept-Ranges", "Age", "Content-Encoding", "Pragma", "Range", "Referer", "TE", "Warn"]
    params = {f"method.response.header.{n}": "'v'" for n in keep + ["Transfer-Encoding"]}
    result = http([response("200", params=params)], HttpResponse(200),
                  method_responses={"200": keep + ["Transfer-Encoding"]})
    assert "Transfer-Encoding" not in result.headers
    for name in keep:
        assert result.headers[name] == "v"


def test_response_template_error_is_500():
    result = http([response("200", tpl={"application/json": "#if($x"})], HttpResponse(200))
    assert result.status == 500
    assert texts(result.log_lines)[-2] == ("Execution failed due to configuration error: Unable to transform "
                                           "response")
    assert result.error and "error:" in result.error


def test_request_template_error_is_500_with_location():
    definition = api(type="HTTP", uri=URI, request_templates={"application/json": "ok\n  $util.urlDecode('%zz')"})
    result = invoke(definition, req(body="{}"), backend=HttpResponse(200))
    assert result.status == 500
    assert result.body == '{"message": "Internal server error"}'
    assert result.headers["x-amzn-ErrorType"] == "InternalServerErrorException"
    assert texts(result.log_lines)[-2:] == [
        "Execution failed due to configuration error: Unable to transform request",
        "Method completed with status: 500"]
    assert ":2:" in result.error and "^" in result.error
    assert result.integration_request is None


def test_template_error_points_into_the_definition_file():
    from vtlgw.apigw.definition import load_definition

    from .helpers import DATA

    result = invoke(load_definition(DATA / "broken-templates.yaml"), req(path="/report", body="{}"))
    assert result.status == 500
    assert "Unable to transform response" in result.log
    first, source, caret = result.error.splitlines()
    assert "broken-templates.yaml:22:17: error: " in first
    assert source == "                  #foreach($i in [1, 2])"
    assert caret == "  " + " " * 16 + "^"


def test_u27_duplicate_status_override_in_the_request_template_is_500():
    definition = api(type="AWS", uri=LAMBDA_URI, request_templates={
        "application/json": "#set($context.responseOverride.status = 201)#set($context.responseOverride.status = 202){}"})
    result = invoke(definition, req(body="{}"), backend=LambdaResult(1))
    assert result.status == 500
    assert "Parameter responseOverride.status was overridden more than once" in result.log
    assert result.integration_request is None
