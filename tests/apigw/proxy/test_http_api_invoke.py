"""`invoke` on an HTTP API (API Gateway v2): the route's payload format, HTTP API response rules and errors."""

import json
import textwrap
from pathlib import Path

import pytest

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.pipeline import LambdaError, LambdaHandler, LambdaResult, Timeout, invoke

from ..pipeline.helpers import req

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: src/
      Events:
        Get:
          Type: HttpApi
          Properties:
            Path: /pets/{id}
            Method: get
        Old:
          Type: HttpApi
          Properties:
            Path: /old/{id}
            Method: get
            PayloadFormatVersion: "1.0"
"""

APP = """\
def handler(event, context):
    return {"statusCode": 201, "headers": {"X-Route": event.get("routeKey") or event["resource"]},
            "cookies": ["a=1", "b=2"], "body": event["pathParameters"]["id"]}
"""


@pytest.fixture
def sam_http_api(tmp_path: Path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(APP)
    (tmp_path / "template.yaml").write_text(textwrap.dedent(TEMPLATE))
    return load_definition(tmp_path / "template.yaml")


def capture():
    seen = {}

    def handler(event, context):
        seen.update(event)
        return {"statusCode": 200, "body": "ok"}

    return seen, LambdaHandler(handler)


def test_a_sam_http_api_runs_its_python_function(sam_http_api):
    result = invoke(sam_http_api, req(httpMethod="GET", path="/pets/7"))
    assert result.status == 201 and result.body == "7"
    assert result.headers["x-route"] == "GET /pets/{id}"  # HTTP API response headers are lower-cased (docs/proxy.md)
    assert result.multi_value_headers["set-cookie"] == ["a=1", "b=2"]


def test_payload_2_0_event_is_built_for_the_route(sam_http_api):
    seen, backend = capture()
    invoke(sam_http_api, req(httpMethod="GET", path="/pets/a%20b", queryStringParameters={"q": "x y"},
                             headers={"Cookie": "k=v; m=n", "X-Up": "1"}), backend=backend)
    assert seen["version"] == "2.0" and seen["routeKey"] == "GET /pets/{id}"
    # "API Gateway decodes URL-encoded request parameters" (AWS docs, http-api-develop-routes).
    assert seen["pathParameters"] == {"id": "a b"}
    assert seen["cookies"] == ["k=v", "m=n"] and seen["headers"] == {"x-up": "1"}
    assert seen["queryStringParameters"] == {"q": "x y"}
    assert seen["requestContext"]["stage"] == "$default" and seen["rawPath"] == "/pets/a%20b"


def test_payload_1_0_event_and_the_default_stage_path(sam_http_api):
    seen, backend = capture()
    invoke(sam_http_api, req(httpMethod="GET", path="/old/7"), backend=backend)
    assert seen["version"] == "1.0" and seen["resource"] == "/old/{id}"
    # The $default stage is served at the root, so the path has no stage prefix (AWS docs, http-api-stages).
    assert seen["requestContext"]["path"] == "/old/7"


def test_payload_2_0_without_status_code_is_the_body(sam_http_api):
    # "If your function returns valid JSON and doesn't return a statusCode, API Gateway assumes a 200 status
    # code and treats the entire response as the body" (AWS docs, http-api-develop-integrations-lambda).
    result = invoke(sam_http_api, req(httpMethod="GET", path="/pets/1"), backend=LambdaResult({"hello": "world"}))
    assert result.status == 200 and json.loads(result.body) == {"hello": "world"}
    assert result.headers["content-type"] == "application/json"


@pytest.mark.parametrize("path", ["/pets/1", "/old/1"])
def test_a_function_error_or_malformed_response_is_500_not_502(sam_http_api, path):
    # HTTP APIs answer 500 {"message":"Internal Server Error"} (AWS docs, http-api-troubleshooting-lambda).
    for backend in (LambdaError("boom", "Oops"), LambdaResult({"statusCode": "x"})):
        result = invoke(sam_http_api, req(httpMethod="GET", path=path), backend=backend)
        assert result.status == 500 and result.body == '{"message":"Internal Server Error"}'
        assert "apigw-requestid" in result.headers


def test_no_route_is_404_not_found(sam_http_api):
    # "If no routes match a request, API Gateway returns {"message":"Not Found"} to the client"
    # (AWS docs, http-api-develop-routes).
    result = invoke(sam_http_api, req(httpMethod="POST", path="/pets/1"))
    assert result.status == 404 and result.body == '{"message":"Not Found"}'
    assert result.error is None


def test_timeout_is_503_service_unavailable(sam_http_api):
    # U51: an HTTP API's integration timeout answers 503 {"message":"Service Unavailable"}.
    result = invoke(sam_http_api, req(httpMethod="GET", path="/pets/1"), backend=Timeout())
    assert result.status == 503 and result.body == '{"message":"Service Unavailable"}'


def test_responses_carry_apigw_requestid_not_the_rest_trace_header(sam_http_api):
    # U51: the value is the request's extended request id.
    result = invoke(sam_http_api, req(httpMethod="GET", path="/pets/1",
                                      requestContext={"extendedRequestId": "Xy9_AbcdIAMEbQ="}))
    assert result.headers["apigw-requestid"] == "Xy9_AbcdIAMEbQ="
    assert "X-Amzn-Trace-Id" not in result.headers


V2 = Path(__file__).parents[1] / "definition" / "data" / "httpapi" / "v2-cfn.yaml"


def test_http_api_http_proxy_applies_the_parameter_mapping():
    # AWS docs, http-api-parameter-mapping: overwrite:path replaces the path; append:header.x adds a value.
    from vtlgw.apigw.pipeline import HttpHandler

    seen = {}

    def backend(request):
        seen["request"] = request
        return {"statusCode": 202, "headers": {"Server": "nginx", "content-type": "text/plain"}, "body": "kept"}

    definition = load_definition(V2)
    result = invoke(definition, req(httpMethod="GET", path="/static/css/site.css",
                                    headers={"X-Request": "client", "Connection": "close"},
                                    requestContext={"requestId": "r-1"}),
                    backend=HttpHandler(backend))
    sent = seen["request"]
    assert sent.http_method == "GET"  # the integration's IntegrationMethod
    assert sent.uri == "https://backend.example.com/css/site.css"
    assert sent.multi_value_headers["X-Request"] == ["client", "r-1"]
    assert "Connection" not in sent.multi_value_headers
    # An HTTP API does not rename a backend's reserved headers.
    assert result.status == 202 and result.body == "kept" and result.headers["Server"] == "nginx"
    assert result.headers["apigw-requestid"]


def test_http_api_bad_mapping_key_is_a_500_naming_it():
    from vtlgw.apigw.pipeline import HttpHandler

    definition = load_definition(V2)
    method = definition.method("ANY", "/static/{proxy+}")
    method.integration.request_parameters = {"rewrite:header.x": "y"}
    result = invoke(definition, req(httpMethod="GET", path="/static/a"), backend=HttpHandler(lambda r: "x"))
    assert result.status == 500 and "rewrite:header.x" in result.error


def test_http_api_path_parameters_are_decoded_once(sam_http_api):
    seen, backend = capture()
    invoke(sam_http_api, req(httpMethod="GET", path="/pets/a%2520b"), backend=backend)
    assert seen["pathParameters"] == {"id": "a%20b"}
