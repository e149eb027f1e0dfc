"""Lambda custom integrations (docs/integration.md §4): request body, match value, errors, handlers."""

import json

import pytest

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.pipeline import (
    LambdaError,
    LambdaHandler,
    LambdaPayload,
    LambdaResult,
    backend_from_file,
    invoke,
)

from .helpers import DATA, LAMBDA_URI, api, req, response, texts


def lambda_api(**kw):
    kw.setdefault("responses", [response("400", ".*Invalid.*"), response("200")])
    return api(type="AWS", uri=LAMBDA_URI, **kw)


def test_success_body_is_the_payload_and_match_value_empty():
    result = invoke(lambda_api(), req(body="{}"), backend=LambdaResult("ok"))
    assert (result.status, result.body, result.match_value) == (200, '"ok"', "")


def test_result_is_compact_json():
    result = invoke(lambda_api(), req(body="{}"), backend=LambdaResult({"a": [1, 2], "b": "é"}))
    assert result.body == '{"a":[1,2],"b":"é"}'


def test_payload_is_sent_as_is():
    result = invoke(lambda_api(), req(body="{}"), backend=LambdaPayload('{ "spaced" : 1 }'))
    assert result.body == '{ "spaced" : 1 }'


def test_result_with_error_message_is_still_a_success():
    result = invoke(lambda_api(), req(body="{}"), backend=LambdaResult({"errorMessage": "Invalid input"}))
    assert result.status == 200
    assert result.match_value == ""


def test_function_error_match_value_is_the_error_message():
    result = invoke(lambda_api(), req(body="{}"), backend=LambdaError("Invalid input: line1\nline2", "ValueError"))
    assert result.match_value == "Invalid input: line1\nline2"
    assert result.status == 200  # `.*Invalid.*` does not cross the newline
    result = invoke(lambda_api(), req(body="{}"), backend=LambdaError("Invalid input", "ValueError"))
    assert result.status == 400
    assert json.loads(result.body) == {"errorMessage": "Invalid input", "errorType": "ValueError"}


def test_function_error_log_line():
    result = invoke(lambda_api(), req(body="{}"), backend=LambdaError("Invalid input"))
    lines = texts(result.log_lines)
    failed = [line for line in lines if line.startswith("Lambda execution failed")]
    assert len(failed) == 1
    assert failed[0].startswith("Lambda execution failed with status 200 due to customer function error: "
                                "Invalid input. Lambda request id: ")


def test_u35_non_string_error_message_is_matched_as_compact_json():
    definition = lambda_api(responses=[response("409", r'\{"code":"CONFLICT".*'), response("200")])
    backend = LambdaError({"code": "CONFLICT", "ids": [1, 2]}, "ConflictError")
    result = invoke(definition, req(body="{}"), backend=backend)
    assert result.match_value == '{"code":"CONFLICT","ids":[1,2]}'
    assert result.status == 409


def test_u29_request_body_must_be_json():
    definition = lambda_api(request_templates={"application/json": "not json $input.body"})
    called = []
    result = invoke(definition, req(body="{}"), backend=LambdaHandler(lambda e, c: called.append(e)))
    assert result.status == 400
    assert json.loads(result.body)["message"].startswith("Could not parse request body into json: ")
    assert result.body.startswith('{"message": "Could not parse request body into json: ')
    assert called == [] and result.integration_request is None
    assert result.error is None
    assert texts(result.log_lines)[-2].startswith("Execution failed: Could not parse request body into json: ")
    assert texts(result.log_lines)[-1] == "Method completed with status: 400"


@pytest.mark.parametrize("body", ['{"n": NaN}', '{"i": Infinity}', "[-Infinity]", "NaN"])
def test_u29_strict_json_refuses_nan_and_infinity(body):
    called = []
    via_template = lambda_api(request_templates={"application/json": body})
    result = invoke(via_template, req(body="{}"), backend=LambdaHandler(lambda e, c: called.append(e)))
    assert result.status == 400 and called == []
    passthrough = invoke(lambda_api(), req(headers={"Content-Type": "text/plain"}, body=body),
                         backend=LambdaHandler(lambda e, c: called.append(e)))
    assert passthrough.status == 400 and called == []


def test_u29_passthrough_body_must_be_json_too():
    result = invoke(lambda_api(), req(headers={"Content-Type": "text/plain"}, body="a=b"),
                    backend=LambdaResult(1))
    assert result.status == 400


def test_u29_empty_passthrough_body_is_sent_as_empty_object():
    events = []
    result = invoke(lambda_api(), req(), backend=LambdaHandler(lambda e, c: events.append(e) or "x"))
    assert result.status == 200
    assert events == [{}]
    assert result.integration_request.body == "{}"
    # Recorded on AWS: the log shows the empty body as it was before the {} was put in its place.
    assert "Endpoint request body after transformations: " in texts(result.log_lines)


def test_handler_gets_event_and_context():
    seen = {}

    def handler(event, context):
        seen["event"] = event
        seen["name"] = context.function_name
        seen["remaining"] = context.get_remaining_time_in_millis()
        return {"id": event["id"], "ok": True}

    definition = lambda_api(request_templates={"application/json": '{"id": "$input.path(\'$.id\')"}'})
    result = invoke(definition, req(body='{"id": "7"}'), backend=LambdaHandler(handler))
    assert seen["event"] == {"id": "7"} and seen["name"] == "Orders" and seen["remaining"] > 0
    assert result.body == '{"id": "7", "ok": true}'  # json.dumps defaults, as the Python runtime


def test_handler_exception_becomes_a_function_error():
    def handler(event, context):
        raise KeyError("missing")

    definition = lambda_api(responses=[response("404", ".*missing.*"), response("200")])
    result = invoke(definition, req(body="{}"), backend=LambdaHandler(handler))
    assert result.status == 404
    error = json.loads(result.body)
    assert list(error) == ["errorMessage", "errorType", "requestId", "stackTrace"]
    assert error["errorMessage"] == "'missing'" and error["errorType"] == "KeyError"
    assert any("raise KeyError" in frame for frame in error["stackTrace"])


def test_handler_by_module_path():
    backend = LambdaHandler("json:dumps")
    assert backend.handler is json.dumps


def test_sam_error_message_json_to_4xx_with_header_from_the_error():
    definition = load_definition(DATA / "orders-sam.yaml")
    backend = backend_from_file(DATA / "lambda-error-notfound.json", "lambda-error")
    result = invoke(definition, req(httpMethod="GET", path="/orders/42", headers={"X-Trace": "t-1"}),
                    backend=backend, stage_variables={"version": "v1"})
    assert result.status == 404
    assert result.headers["X-Error-Code"] == "ORDER_NOT_FOUND"  # integration.response.body.errorMessage.code
    assert result.headers["X-Error-Type"] == "NotFoundError"
    assert result.json() == {"message": "order 42 does not exist", "order": "42"}
    assert json.loads(result.integration_request.body) == {"orderId": "42", "trace": "t-1"}
    assert result.integration_request.uri.startswith("https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/")


def test_sam_success_and_stage_variables():
    definition = load_definition(DATA / "orders-sam.yaml")
    backend = backend_from_file(DATA / "lambda-result-order.json", "lambda-result")
    result = invoke(definition, req(httpMethod="GET", path="/orders/42"), backend=backend,
                    stage_variables={"version": "v1"})
    assert result.status == 200
    assert result.headers["X-Order-Id"] == "42"
    assert result.json() == {"id": "42", "total": 19.5, "version": "v1"}


def test_sam_invalid_and_traceback_patterns():
    definition = load_definition(DATA / "orders-sam.yaml")
    invalid = invoke(definition, req(httpMethod="GET", path="/orders/x"), backend=LambdaError("Invalid order id x"))
    assert (invalid.status, invalid.headers.get("X-Error-Code")) == (400, "INVALID")
    crash = invoke(definition, req(httpMethod="GET", path="/orders/x"),
                   backend=LambdaError("Task failed\nTraceback (most recent call last):\n  boom"))
    assert crash.status == 500


def test_error_message_rule_is_only_for_header_mappings_not_input():
    definition = lambda_api(
        responses=[response("200", params={"method.response.header.X-Code": "integration.response.body.errorMessage.code"},
                            tpl={"application/json": "[$input.path('$.errorMessage.code')]"})],
        method_responses={"200": ["X-Code"]})
    result = invoke(definition, req(body="{}"), backend=LambdaError('{"code": "E1"}'))
    assert result.headers["X-Code"] == "E1"
    assert result.body == "[]"
