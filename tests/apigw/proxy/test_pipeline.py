"""`invoke` on an AWS_PROXY Lambda method: the event in, the validated response out."""

import json
import re
from pathlib import Path

import pytest

from vtlgw.apigw.pipeline import LambdaError, LambdaHandler, LambdaPayload, LambdaResult, Timeout, invoke

from ..pipeline.helpers import LAMBDA_URI, api, req


def proxy_api(**kw):
    return api(type="AWS_PROXY", uri=LAMBDA_URI, resource="/items/{id}", **kw)


def request(**kw):
    kw.setdefault("path", "/items/7")
    kw.setdefault("httpMethod", "POST")
    return req(**kw)


def test_the_handler_receives_the_rest_event_and_its_response_reaches_the_client():
    seen = {}

    def handler(event, context):
        seen.update(event)
        return {"statusCode": 201, "headers": {"X-Id": event["pathParameters"]["id"]},
                "multiValueHeaders": {"X-Tag": ["a", "b"]}, "body": json.dumps({"got": event["body"]})}

    result = invoke(proxy_api(), request(body='{"n": 1}', headers={"Content-Type": "application/json"}),
                    backend=LambdaHandler(handler))
    assert seen["resource"] == "/items/{id}" and seen["path"] == "/items/7"
    assert seen["pathParameters"] == {"id": "7"} and seen["body"] == '{"n": 1}'
    assert seen["requestContext"]["resourcePath"] == "/items/{id}"
    assert result.status == 201
    assert result.headers["X-Id"] == "7" and result.headers["X-Tag"] == "a, b"
    assert result.json() == {"got": '{"n": 1}'}
    assert json.loads(result.integration_request.body)["httpMethod"] == "POST"
    assert result.log_lines[-1].endswith("Method completed with status: 201")


def test_malformed_response_is_a_502_with_the_log_line_and_every_reason():
    result = invoke(proxy_api(), request(), backend=LambdaResult({"statusCode": "x", "body": {"a": 1}}))
    assert result.status == 502 and result.body == '{"message": "Internal server error"}'
    assert any("Malformed Lambda proxy response" in line for line in result.log_lines)
    assert result.error.startswith("Malformed Lambda proxy response:")
    assert len([line for line in result.error.splitlines() if line.startswith("  - ")]) == 2
    assert "statusCode" in result.error and "body" in result.error


def test_function_error_and_non_json_payload_are_502():
    result = invoke(proxy_api(), request(), backend=LambdaError("boom", "Oops"))
    assert result.status == 502
    assert any("customer function error: boom" in line for line in result.log_lines)
    assert invoke(proxy_api(), request(), backend=LambdaPayload("nope")).status == 502


def test_timeout_is_the_gateway_504():
    assert invoke(proxy_api(), request(), backend=Timeout()).status == 504


def test_mapping_templates_do_not_apply_to_proxy_integrations():
    definition = proxy_api(request_templates={"application/json": "#stop"})
    result = invoke(definition, request(body='{"a": 1}', headers={"Content-Type": "application/json"}),
                    backend=LambdaResult({"body": "ok"}))
    assert result.status == 200 and result.body == "ok"
    assert json.loads(result.integration_request.body)["body"] == '{"a": 1}'


def test_a_body_over_10_mb_is_the_gateway_413_and_the_function_is_not_called():
    called = []
    result = invoke(proxy_api(), request(body="x" * (10 * 1024 * 1024 + 1)),
                    backend=LambdaHandler(lambda e, c: called.append(e)))
    assert result.status == 413 and called == []


def test_the_endpoint_request_carries_api_gateway_own_headers_not_the_clients():
    result = invoke(proxy_api(), request(headers={"X-Client": "c"}), backend=LambdaResult({}))
    sent = result.integration_request.headers
    assert sent == {"Accept": "application/json", "User-Agent": "AmazonAPIGateway_a1b2c3d4e5",
                    "X-Amzn-Apigateway-Api-Id": "a1b2c3d4e5", "Content-Type": "application/json"}


def test_proxy_and_pipeline_share_the_http_layer_below_them_and_proxy_never_imports_the_pipeline():
    """The layering: ``apigw/http`` imports neither ``pipeline`` nor ``proxy``; ``proxy`` does not import
    ``pipeline`` (the pipeline uses the proxy builders, one way only)."""
    import ast

    root = Path(__file__).resolve().parents[3] / "vtlgw" / "apigw"

    def imported(package: str) -> set[str]:
        found = set()
        for file in (root / package).glob("*.py"):
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    found.add(("." * node.level) + node.module)
                elif isinstance(node, ast.Import):
                    found.update(alias.name for alias in node.names)
        return found

    assert not {m for m in imported("http") if "pipeline" in m or "proxy" in m}
    assert not {m for m in imported("proxy") if "pipeline" in m}
    assert "vtlgw.apigw.http.headers" in imported("proxy") and "vtlgw.apigw.http.headers" in imported("pipeline")


def test_u32_the_documented_header_merge_is_an_option():
    value = {"multiValueHeaders": {"X-Tag": ["a"]}, "headers": {"x-tag": "b"}}
    assert invoke(proxy_api(), request(), backend=LambdaResult(value)).headers["X-Tag"] == "a, b"
    docs = invoke(proxy_api(), request(), backend=LambdaResult(value), proxy_header_merge="docs")
    assert docs.headers["X-Tag"] == "a"


# ---------------------------------------------------------------- configuration errors and headers


def test_an_integration_method_other_than_post_is_a_500_and_the_function_is_not_run():
    # Recorded on AWS: an AWS_PROXY integration whose httpMethod is not POST answers 500 Internal server
    # error, with x-amzn-ErrorType; Lambda's refusal is the one in aws/serverless-application-model issue 430.
    called = []
    result = invoke(proxy_api(verb="GET", http_method="GET"), request(httpMethod="GET"),
                    backend=LambdaHandler(lambda e, c: called.append(e)))
    assert called == []
    assert result.status == 500 and result.json() == {"message": "Internal server error"}
    assert result.headers["x-amzn-ErrorType"] == "InternalServerErrorException"
    text = "\n".join(result.log_lines)
    assert "Unable to determine service/operation name to be authorized" in text
    assert "Execution failed due to configuration error: Lambda invocation failed with status: 403" in text
    assert "httpMethod is GET" in result.error and "POST" in result.error


@pytest.mark.parametrize("header", ["Content-Length", "Transfer-Encoding", "Authorization", "Connection",
                                    "Expect", "Proxy-Authenticate", "TE"])
def test_mapping_a_forbidden_header_on_a_proxy_integration_is_a_500(header):
    # Recorded on AWS: these headers cannot be mapped on an AWS_PROXY integration (500 Internal server error,
    # x-amzn-ErrorType InternalServerErrorException); the function is not called.
    called = []
    definition = proxy_api(request_parameters={f"integration.request.header.{header}": "'x'"})
    result = invoke(definition, request(), backend=LambdaHandler(lambda e, c: called.append(e)))
    assert called == [] and result.status == 500
    assert result.headers["x-amzn-ErrorType"] == "InternalServerErrorException"
    assert any("Invalid mapping expression specified" in line for line in result.log_lines)


def test_a_mapped_header_travels_to_the_lambda_endpoint_not_into_the_event():
    seen = {}
    definition = proxy_api(request_parameters={"integration.request.header.X-Extra": "'v'"})
    result = invoke(definition, request(), backend=LambdaHandler(lambda e, c: seen.update(e) or {}))
    assert result.integration_request.headers["X-Extra"] == "v"
    assert seen["headers"] is None


def test_the_response_carries_an_x_amzn_trace_id():
    # Recorded on AWS: a proxy response carries X-Amzn-Trace-Id, continuing the client's trace when one was sent.
    result = invoke(proxy_api(), request(), backend=LambdaResult({"body": "ok"}))
    trace = result.headers["X-Amzn-Trace-Id"]
    assert re.fullmatch(r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=0", trace)
    epoch_seconds = result.request_time_epoch // 1000
    assert trace.split("-")[1] == f"{epoch_seconds:08x}"
    again = invoke(proxy_api(), request(), backend=LambdaResult({"body": "ok"}))
    assert (again.headers["X-Amzn-Trace-Id"] == trace) == (again.request_id == result.request_id)
    client = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
    sent = invoke(proxy_api(), request(headers={"X-Amzn-Trace-Id": client}), backend=LambdaResult({"body": "ok"}))
    assert sent.headers["X-Amzn-Trace-Id"] == client
    assert sent.multi_value_headers["X-Amzn-Trace-Id"] == [client]
