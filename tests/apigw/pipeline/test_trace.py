"""The decision trace: what the pipeline chose and why, for a test author reading a failure."""

from vtlgw.apigw.pipeline import HttpResponse, LambdaError, invoke

from .helpers import LAMBDA_URI, api, req, response


def test_trace_names_each_pattern_with_the_value_it_was_tested_against():
    definition = api(type="AWS", uri=LAMBDA_URI, request_templates={"application/json": "{}"},
                     responses=[response("400", "BadRequest.*"), response("404", "NotFound.*"), response("200")])
    result = invoke(definition, req(httpMethod="POST", body={}), backend=LambdaError("NotFound: 42"))
    assert result.status == 404
    assert "selection: match value 'NotFound: 42' (the Lambda errorMessage)" in result.trace
    assert "selection: pattern 'BadRequest.*' (400) tested against 'NotFound: 42': no match" in result.trace
    assert "selection: pattern 'NotFound.*' (404) tested against 'NotFound: 42': matches -> chosen" in result.trace


def test_trace_says_when_the_default_response_is_taken():
    definition = api(type="HTTP", uri="https://example.com/items", verb="GET",
                     responses=[response("404", "404"), response("200")])
    result = invoke(definition, req(httpMethod="GET"), backend=HttpResponse(200, body="{}"))
    assert "selection: match value '200' (the integration response status)" in result.trace
    assert "selection: no pattern matched -> the default response 200" in result.trace


def test_trace_records_passthrough_and_415_decisions():
    definition = api(request_templates={"application/xml": '{"statusCode": 200}'}, passthrough="NEVER")
    result = invoke(definition, req(httpMethod="POST", headers={"Content-Type": "text/plain"}, body="x"))
    assert result.status == 415
    assert result.trace[1] == ("request template: Content-Type 'text/plain' matches no template (keys: "
                               "application/xml); passthroughBehavior NEVER -> 415")
    assert result.trace[-1].startswith("stopped: Execution failed: Request content type text/plain")

    definition = api(request_templates={"application/xml": "x"}, passthrough="WHEN_NO_MATCH")
    result = invoke(definition, req(httpMethod="POST", headers={"Content-Type": "text/plain"}, body="x"))
    assert "passthroughBehavior WHEN_NO_MATCH -> the body passes through unchanged" in result.trace[1]


def test_trace_lists_mappings_and_overrides():
    definition = api(type="HTTP", uri="https://example.com/items/{id}", verb="GET", resource="/items/{id}",
                     declared={"method.request.path.id": True},
                     request_parameters={"integration.request.path.id": "method.request.path.id",
                                         "integration.request.header.X-Static": "'yes'"},
                     request_templates={"application/json": "#set($context.responseOverride.status = 201){}"},
                     responses=[response("200", params={"method.response.header.X-Up": "integration.response.header.Up"})],
                     method_responses={"200": ["X-Up"]})
    result = invoke(definition, req(httpMethod="GET", path="/items/7"),
                    backend=HttpResponse(200, headers={"Up": "u"}, body="{}"))
    assert result.status == 201
    assert result.trace[0] == "route: GET /items/7 -> GET /items/{id} (path parameters id='7')"
    assert "request parameter: integration.request.path.id = method.request.path.id -> '7'" in result.trace
    assert "request parameter: integration.request.header.X-Static = 'yes' -> 'yes'" in result.trace
    assert "response parameter: method.response.header.X-Up = integration.response.header.Up -> 'u'" in result.trace
    assert "responseOverride.status = 201 -> status 201" in result.trace


def test_unknown_route_is_traced():
    result = invoke(api(), req(httpMethod="GET", path="/nowhere"))
    assert result.status == 403
    assert result.trace[0] == "route: no method matches GET /nowhere (API Gateway answers 403)"
