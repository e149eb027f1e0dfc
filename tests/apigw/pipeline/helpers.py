"""Small builders for pipeline tests: an API with one method, and a request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vtlgw.apigw.definition.model import (
    ApiDefinition,
    GatewayResponse,
    Integration,
    IntegrationResponse,
    MappingTemplate,
    Method,
    MethodResponse,
)
from vtlgw.apigw.request import MethodRequest, request_from_dict

DATA = Path(__file__).parent / "data"
LAMBDA_URI = ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
              "arn:aws:lambda:us-east-1:123456789012:function:Orders/invocations")


def templates(mapping: dict[str, str | None] | None) -> list[MappingTemplate]:
    return [MappingTemplate(k, v if v else None) for k, v in (mapping or {}).items()]


def response(status: str, pattern: str | None = None, *, params: dict[str, str] | None = None,
             tpl: dict[str, str | None] | None = None, content_handling: str | None = None) -> IntegrationResponse:
    return IntegrationResponse(status, pattern, dict(params or {}), templates(tpl), content_handling)


def api(*, type: str = "MOCK", uri: str | None = None, verb: str = "POST", resource: str = "/items",
        request_templates: dict[str, str | None] | None = None, passthrough: str = "WHEN_NO_MATCH",
        request_parameters: dict[str, str] | None = None, declared: dict[str, bool] | None = None,
        responses: list[IntegrationResponse] | None = None, method_responses: dict[str, list[str]] | None = None,
        content_handling: str | None = None, binary_media_types: list[str] | None = None,
        gateway_responses: dict[str, GatewayResponse] | None = None, http_method: str | None = None,
        timeout: int = 29000) -> ApiDefinition:
    """An API with one method; method responses default to the integration responses' statuses."""
    responses = responses if responses is not None else [response("200")]
    if method_responses is None:
        method_responses = {r.status_code: [] for r in responses}
    integration = Integration(
        type=type, uri=uri, http_method=http_method or ("POST" if type in ("AWS", "AWS_PROXY") else verb),
        request_templates=templates(request_templates), request_parameters=dict(request_parameters or {}),
        passthrough_behavior=passthrough, content_handling=content_handling, timeout_in_millis=timeout,
        integration_responses=responses)
    method = Method(verb, resource, dict(declared or {}), {
        code: MethodResponse(code, {f"method.response.header.{h}": False for h in headers})
        for code, headers in method_responses.items()}, integration)
    definition = ApiDefinition(source_file="test.yaml", format="test", methods={(verb, resource): method},
                               resource_paths=[resource], binary_media_types=list(binary_media_types or []),
                               gateway_responses=dict(gateway_responses or {}))
    return definition


def req(**fields: Any) -> MethodRequest:
    """A method request from proxy-event keys (``body`` may be any JSON value)."""
    fields.setdefault("path", "/items")
    if "body" in fields:
        fields.setdefault("httpMethod", "POST")
    else:
        fields.setdefault("httpMethod", "POST")
    request, _ = request_from_dict(fields)
    return request


def lines_after(log_lines: list[str], marker: str) -> list[str]:
    """The texts (timestamps removed) of the log lines, from the first containing ``marker``."""
    texts = [line.split(" : ", 1)[1] for line in log_lines[1:]]
    for n, text in enumerate(texts):
        if marker in text:
            return texts[n:]
    raise AssertionError(f"{marker!r} not in log:\n" + "\n".join(texts))


def texts(log_lines: list[str]) -> list[str]:
    return [line.split(" : ", 1)[1] for line in log_lines[1:]]
