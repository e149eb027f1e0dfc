"""Gateway responses: defaults, customisation, fallbacks, substitution (docs/integration.md §8)."""

import pytest

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.definition.model import GatewayResponse
from vtlgw.apigw.pipeline import Timeout, invoke
from vtlgw.apigw.pipeline.gateway import GATEWAY_DEFAULTS, gateway_response, substitute
from vtlgw.apigw.pipeline.invoke import MAX_BODY_BYTES

from .helpers import DATA, api, req, templates, texts


def custom(kind, status=None, params=None, tpl=None):
    return GatewayResponse(kind, status, dict(params or {}), templates(tpl))


def test_missing_route_is_403_missing_authentication_token():
    result = invoke(api(), req(path="/nowhere"))
    assert result.status == 403
    assert result.body == '{"message":"Missing Authentication Token"}'
    assert result.headers["Content-Type"] == "application/json"
    assert texts(result.log_lines)[-1] == "Method completed with status: 403"


def test_wrong_method_is_403_too():
    assert invoke(api(verb="POST"), req(httpMethod="DELETE")).status == 403


def test_routing_by_explicit_method_and_path():
    definition = api(verb="GET", resource="/items/{id}", request_templates={"application/json": '{"statusCode": 200}'})
    assert invoke(definition, req(), method="GET", path="/items/7").status == 200


@pytest.mark.parametrize("kind", sorted(k for k in GATEWAY_DEFAULTS if not k.startswith("DEFAULT")))
def test_default_status_and_message(kind):
    status, message = GATEWAY_DEFAULTS[kind]
    answer = gateway_response(None, kind, request=req(), context={}, stage_variables={})
    assert answer.status == status
    assert answer.body == '{"message":"%s"}' % message


def test_u39_messages():
    assert GATEWAY_DEFAULTS["ACCESS_DENIED"][1] == (
        "User is not authorized to access this resource with an explicit deny")
    assert GATEWAY_DEFAULTS["QUOTA_EXCEEDED"] == (429, "Limit Exceeded")
    assert GATEWAY_DEFAULTS["THROTTLED"] == (429, "Too Many Requests")
    assert GATEWAY_DEFAULTS["INTEGRATION_TIMEOUT"] == (504, "Endpoint request timed out")


def test_customised_type_replaces_the_default():
    definition = api(passthrough="NEVER", request_templates={"application/json": "{}"}, gateway_responses={
        "UNSUPPORTED_MEDIA_TYPE": custom("UNSUPPORTED_MEDIA_TYPE", "400", {"gatewayresponse.header.X-Hint": "'send json'"},
                                         {"application/json": '{"msg": $context.error.messageString, "t": "$context.error.responseType"}'})})
    result = invoke(definition, req(headers={"Content-Type": "text/plain"}))
    assert result.status == 400
    assert result.headers["X-Hint"] == "send json"
    assert result.json() == {"msg": "Unsupported Media Type", "t": "UNSUPPORTED_MEDIA_TYPE"}


def test_default_4xx_fallback_keeps_the_status_of_the_type():
    definition = api(gateway_responses={"DEFAULT_4XX": custom("DEFAULT_4XX", "418", {"gatewayresponse.header.A": "'*'"},
                                                              {"application/json": '{"e":"$context.error.message"}'})})
    result = invoke(definition, req(path="/missing"))
    assert result.status == 403
    assert result.headers["A"] == "*"
    assert result.body == '{"e":"Missing Authentication Token"}'


def test_default_5xx_fallback_for_configuration_errors():
    definition = api(request_templates={"application/json": "{oops}"},
                     gateway_responses={"DEFAULT_5XX": custom("DEFAULT_5XX", None, None,
                                                              {"application/json": '{"fault": $context.error.messageString}'})})
    result = invoke(definition, req(body="{}"))
    assert result.status == 500
    assert result.body == '{"fault": "Internal server error"}'


def test_uncustomised_500_body_has_the_observed_space():
    result = invoke(api(request_templates={"application/json": "{}"}), req(body="{}"))
    assert result.body == '{"message": "Internal server error"}'


def test_u24_request_too_large_is_413_and_not_customisable():
    definition = api(gateway_responses={"REQUEST_TOO_LARGE": custom("REQUEST_TOO_LARGE", "400", None,
                                                                    {"application/json": "custom"}),
                                        "DEFAULT_4XX": custom("DEFAULT_4XX", None, None, {"application/json": "d4"})})
    result = invoke(definition, req(body="x" * (MAX_BODY_BYTES + 1)))
    assert result.status == 413
    assert result.body == '{"message":"Request Too Long"}'
    assert invoke(definition, req(body="{}")).status != 413


def test_integration_timeout_is_504():
    definition = api(type="HTTP", uri="https://slow.example.com/")
    result = invoke(definition, req(), backend=Timeout())
    assert result.status == 504
    assert result.body == '{"message": "Endpoint request timed out"}'
    assert result.error is None
    assert texts(result.log_lines)[-2:] == ["Execution failed due to a timeout error",
                                            "Method completed with status: 504"]


def test_customised_timeout_uses_the_context():
    definition = api(type="HTTP", uri="https://slow.example.com/", gateway_responses={
        "INTEGRATION_TIMEOUT": custom("INTEGRATION_TIMEOUT", None, None,
                                      {"application/json": '{"m": "$context.error.message", "id": "$context.requestId"}'})})
    result = invoke(definition, req(), backend=Timeout())
    assert result.json() == {"m": "Endpoint request timed out", "id": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"}


def test_handler_slower_than_the_timeout_is_a_timeout():
    import time

    from vtlgw.apigw.pipeline import HttpHandler, HttpResponse

    definition = api(type="HTTP", uri="https://slow.example.com/", timeout=50)
    result = invoke(definition, req(), backend=HttpHandler(lambda r: time.sleep(0.08) or HttpResponse(200)))
    assert result.status == 504


def test_templates_are_not_vtl():
    assert substitute("#set($a = 1)$util.escapeJavaScript('x') $context.stage ${stageVariables.v} $stageVariables.none.",
                      {"stage": "prod"}, {"v": "7"}) == "#set($a = 1)$util.escapeJavaScript('x') prod 7 ."


def test_file_gateway_responses_end_to_end():
    definition = load_definition(DATA / "mock-api.yaml")
    missing = invoke(definition, req(httpMethod="GET", path="/nope"), stage="prod")
    assert missing.status == 404
    assert missing.headers["X-Missing"] == "route"
    assert missing.json() == {"message": "No route for GET /prod/nope",
                              "raw": "#if(1)$util.escapeJavaScript('x')#end"}
    rejected = invoke(definition, req(httpMethod="GET", path="/flags/x", headers={"Content-Type": "text/csv"},
                                      stageVariables={"version": "9"}))
    assert rejected.status == 415
    assert rejected.headers["Access-Control-Allow-Origin"] == "*"
    assert rejected.headers["X-Request-Path"] == "x"
    assert rejected.json() == {"error": "Unsupported Media Type", "type": "UNSUPPORTED_MEDIA_TYPE",
                               "stage": "test", "version": "9"}


def test_gateway_template_chosen_by_accept():
    definition = api(gateway_responses={"MISSING_AUTHENTICATION_TOKEN": custom(
        "MISSING_AUTHENTICATION_TOKEN", None, None,
        {"application/json": "json", "text/html": "<h1>$context.error.message</h1>"})})
    assert invoke(definition, req(path="/x", headers={"Accept": "text/html"})).body == "<h1>Missing Authentication Token</h1>"
    assert invoke(definition, req(path="/x", headers={"Accept": "image/png"})).body == "json"
