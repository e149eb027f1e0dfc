"""The execution log (docs/integration.md §9)."""

import re

from vtlgw.apigw.pipeline import HttpResponse, LambdaError, LambdaResult, invoke
from vtlgw.apigw.pipeline.log import ExecutionLog, java_date, java_map

from .helpers import LAMBDA_URI, api, req, response, texts

STAMP = "Wed Mar 04 19:15:17 UTC 2020"
RID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"


def test_java_date():
    assert java_date(1583349317135) == STAMP
    assert java_date(0) == "Thu Jan 01 00:00:00 UTC 1970"


def test_java_map():
    assert java_map({"a": "1", "b": ["x", "y"]}) == "{a=1, b=x,y}"
    assert java_map({}) == "{}"


def test_every_line_has_the_timestamp():
    result = invoke(api(request_templates={"application/json": '{"statusCode": 200}'}), req(body="{}"))
    assert result.log_lines[0] == f"Execution log for request {RID}"
    assert all(line.startswith(f"{STAMP} : ") for line in result.log_lines[1:])
    assert result.log == "\n".join(result.log_lines) + "\n"


def test_lambda_log_lines_in_order():
    definition = api(type="AWS", uri=LAMBDA_URI, resource="/orders/{id}",
                     request_templates={"application/json": '{"id": "$input.params(\'id\')"}'})
    result = invoke(definition, req(path="/orders/7", queryStringParameters={"v": "1"},
                                    headers={"Content-Type": "application/json"}, body='{"x": 1}'),
                    backend=LambdaResult({"ok": True}))
    lines = texts(result.log_lines)
    assert lines[0] == f"Starting execution for request: {RID}"
    assert lines[1] == "HTTP Method: POST, Resource Path: /orders/7"
    assert lines[2] == "Method request path: {id=7}"
    assert lines[3] == "Method request query string: {v=1}"
    assert lines[4] == "Method request headers: {Content-Type=application/json}"
    assert lines[5] == 'Method request body before transformations: {"x": 1}'
    assert lines[6].startswith("Endpoint request URI: https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/")
    assert lines[7].startswith("Endpoint request headers: {Accept=application/json, ")
    assert lines[8] == 'Endpoint request body after transformations: {"id": "7"}'
    assert lines[9].startswith("Sending request to https://lambda.")
    assert re.fullmatch(r"Received response\. Status: 200, Integration latency: \d+ ms", lines[10])
    assert lines[11] == 'Endpoint response body before transformations: {"ok":true}'
    assert lines[12].startswith("Endpoint response headers: {")
    assert lines[13] == 'Method response body after transformations: {"ok":true}'
    assert lines[14] == "Method response headers: {Content-Type=application/json}"
    assert lines[15:] == ["Successfully completed execution", "Method completed with status: 200"]
    assert len(lines) == 17


def test_lambda_error_line_sits_after_the_endpoint_response():
    definition = api(type="AWS", uri=LAMBDA_URI)
    lines = texts(invoke(definition, req(body="{}"), backend=LambdaError("bad")).log_lines)
    at = next(n for n, line in enumerate(lines) if line.startswith("Lambda execution failed"))
    assert lines[at - 1].startswith("Endpoint response headers:")
    assert lines[at + 1].startswith("Method response body after transformations:")


def test_failure_replaces_the_tail():
    definition = api(type="HTTP", uri="https://b.example.com/", responses=[response("400", "4..")])
    lines = texts(invoke(definition, req(), backend=HttpResponse(200)).log_lines)
    assert lines[-3].startswith("Endpoint response headers:")
    assert lines[-2].startswith("Execution failed due to configuration error: No match for output mapping")
    assert lines[-1] == "Method completed with status: 500"
    assert "Successfully completed execution" not in lines


def test_http_method_line_shows_the_actual_path():
    definition = api(resource="/cities/{city}", request_templates={"application/json": '{"statusCode": 200}'})
    lines = texts(invoke(definition, req(path="/cities/Seattle")).log_lines)
    assert lines[1] == "HTTP Method: POST, Resource Path: /cities/Seattle"


def test_truncation_is_optional():
    definition = api(request_templates={"application/json": '{"statusCode": 200}'})
    body = "é" * 1000
    full = invoke(definition, req(body=body))
    assert f"Method request body before transformations: {body}" in texts(full.log_lines)
    cut = invoke(definition, req(body=body), truncate_log=True)
    line = next(t for t in texts(cut.log_lines) if t.startswith("Method request body"))
    value = line.split(": ", 1)[1]
    assert value.endswith(" [TRUNCATED]")
    assert len(value[: -len(" [TRUNCATED]")].encode()) == 1024


def test_log_object_value_lines():
    log = ExecutionLog("r1", 0, truncate=True)
    log.value("Short", "abc")
    assert log.lines == ["Execution log for request r1", "Thu Jan 01 00:00:00 UTC 1970 : Short: abc"]


def test_stage_and_request_time_from_the_request_context():
    definition = api(request_templates={"application/json": '{"statusCode": 200}'})
    result = invoke(definition, req(requestContext={"requestId": "r-9", "requestTimeEpoch": 0}))
    assert result.log_lines[0] == "Execution log for request r-9"
    assert result.log_lines[1] == "Thu Jan 01 00:00:00 UTC 1970 : Starting execution for request: r-9"
