"""The endpoint type (EDGE, REGIONAL, PRIVATE) decides the header spelling API Gateway receives.

Recorded on AWS: on the default, edge-optimized endpoint, ``authorization`` and ``user-Agent`` sent by the
client reached the function as ``Authorization`` and ``User-Agent``. A regional endpoint keeps the client's
``authorization`` (aws/aws-sdk-js issue 2719). ``Host`` re-spelled on the edge is from users' reports (U63).
"""

import json
from pathlib import Path

import pytest

from vtlgw.apigw.definition import DefinitionError, load_definition
from vtlgw.apigw.http.endpoint import respell_headers
from vtlgw.apigw.pipeline import LambdaHandler, invoke
from vtlgw.apigw.proxy.request_event import build_event
from vtlgw.apigw.request import request_from_dict

TERRAFORM = Path(__file__).parents[1] / "definition" / "data" / "terraform"
LAMBDA = ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
          "arn:aws:lambda:us-east-1:123456789012:function:Echo/invocations")
SENT = {"authorization": "Bearer t", "user-Agent": "curl/8", "host": "abc.execute-api.us-east-1.amazonaws.com",
        "x-custom": "kept", "accept": "*/*"}


def openapi(tmp_path, extra=""):
    path = tmp_path / "api.yaml"
    path.write_text(
        'openapi: "3.0.1"\ninfo: {title: t, version: "1"}\n' + extra +
        "paths:\n  /echo:\n    get:\n      x-amazon-apigateway-integration:\n"
        f"        type: aws_proxy\n        httpMethod: POST\n        uri: {LAMBDA}\n", encoding="utf-8")
    return load_definition(path)


def cloudformation(tmp_path, props, *, sam=False, globals_=""):
    body = ('openapi: "3.0.1"\n          info: {title: t, version: "1"}\n          paths:\n'
            '            /echo:\n              get:\n                x-amazon-apigateway-integration:\n'
            f'                  {{type: aws_proxy, httpMethod: POST, uri: "{LAMBDA}"}}\n')
    kind = "AWS::Serverless::Api" if sam else "AWS::ApiGateway::RestApi"
    key = "DefinitionBody" if sam else "Body"
    extra = "      StageName: prod\n" if sam else ""
    text = ("Transform: AWS::Serverless-2016-10-31\n" if sam else "") + globals_ + (
        "Resources:\n  Api:\n"
        f"    Type: {kind}\n    Properties:\n{extra}{props}"
        f"      {key}:\n          {body}")
    path = tmp_path / "template.yaml"
    path.write_text(text, encoding="utf-8")
    return load_definition(path)


def event_headers(definition):
    request, _ = request_from_dict({"httpMethod": "GET", "path": "/echo", "headers": SENT})
    event, _ = build_event(definition, request)
    return event["headers"]


def test_u63_an_edge_optimized_api_respells_authorization_user_agent_and_host(tmp_path):
    definition = openapi(tmp_path)
    assert definition.endpoint_type == "EDGE"  # API Gateway's default endpoint type
    headers = event_headers(definition)
    assert list(headers) == ["Authorization", "User-Agent", "Host", "x-custom", "accept"]
    assert headers["Authorization"] == "Bearer t" and headers["User-Agent"] == "curl/8"


def test_the_function_and_the_templates_see_the_edge_spelling(tmp_path):
    definition = openapi(tmp_path)
    seen = {}
    request, _ = request_from_dict({"httpMethod": "GET", "path": "/echo", "headers": SENT})
    invoke(definition, request, backend=LambdaHandler(lambda e, c: seen.update(e) or {"statusCode": 200}))
    assert "Authorization" in seen["multiValueHeaders"] and "authorization" not in seen["multiValueHeaders"]

    path = tmp_path / "mock.yaml"
    path.write_text(
        'openapi: "3.0.1"\ninfo: {title: t, version: "1"}\npaths:\n  /echo:\n    get:\n'
        "      responses: {'200': {description: ok}}\n      x-amazon-apigateway-integration:\n        type: mock\n"
        "        requestTemplates: {application/json: '{\"statusCode\": 200}'}\n"
        "        responses:\n          default:\n            statusCode: '200'\n"
        "            responseTemplates:\n"
        "              application/json: '#foreach($n in $input.params().header.keySet())$n #end'\n",
        encoding="utf-8")
    result = invoke(load_definition(path), request)
    assert result.body == "Authorization User-Agent Host x-custom accept "


def test_a_regional_api_keeps_the_clients_spelling(tmp_path):
    definition = cloudformation(tmp_path, "      EndpointConfiguration:\n        Types: [REGIONAL]\n")
    assert definition.endpoint_type == "REGIONAL"
    assert event_headers(definition) == SENT


def test_a_private_api_from_openapi_vpc_endpoint_ids_keeps_the_clients_spelling(tmp_path):
    # x-amazon-apigateway-endpoint-configuration: vpcEndpointIds is only supported for PRIVATE endpoints (AWS
    # docs, "x-amazon-apigateway-endpoint-configuration object").
    definition = openapi(tmp_path, "x-amazon-apigateway-endpoint-configuration:\n  vpcEndpointIds: [vpce-1]\n")
    assert definition.endpoint_type == "PRIVATE"
    assert list(event_headers(definition)) == list(SENT)


@pytest.mark.parametrize("props, expected", [
    ("      EndpointConfiguration: REGIONAL\n", "REGIONAL"),
    ("      EndpointConfiguration:\n        Type: PRIVATE\n", "PRIVATE"),
    ("", "EDGE"),
])
def test_sam_endpoint_configuration_as_text_or_type(tmp_path, props, expected):
    # AWS SAM docs, AWS::Serverless::Api EndpointConfiguration: a string or an EndpointConfiguration object.
    definition = cloudformation(tmp_path, props, sam=True)
    assert definition.endpoint_type == expected
    assert ("Authorization" in event_headers(definition)) == (expected == "EDGE")


def test_sam_globals_set_the_default_endpoint_type(tmp_path):
    definition = cloudformation(tmp_path, "", sam=True, globals_="Globals:\n  Api:\n    EndpointConfiguration: REGIONAL\n")
    assert definition.endpoint_type == "REGIONAL"


def test_terraform_endpoint_configuration_types(monkeypatch):
    monkeypatch.chdir(TERRAFORM)
    definition = load_definition("plan-resources.json", api="aws_api_gateway_rest_api.orders")
    assert definition.endpoint_type == "REGIONAL"


def test_an_unknown_endpoint_type_is_reported_with_its_pointer(tmp_path):
    with pytest.raises(DefinitionError) as info:
        cloudformation(tmp_path, "      EndpointConfiguration:\n        Types: [GLOBAL]\n")
    assert "/Resources/Api/Properties/EndpointConfiguration/Types/0" in str(info.value)
    assert "unknown endpoint type 'GLOBAL'" in str(info.value)


def test_two_endpoint_types_are_refused(tmp_path):
    with pytest.raises(DefinitionError, match="a REST API has one endpoint type, got 2"):
        cloudformation(tmp_path, "      EndpointConfiguration:\n        Types: [EDGE, REGIONAL]\n")


def test_two_spellings_of_one_name_become_one_header_in_request_order():
    merged = respell_headers({"authorization": ["a"], "X": ["1"], "AUTHORIZATION": ["b"]}, "EDGE")
    assert merged == {"Authorization": ["a", "b"], "X": ["1"]}


def test_http_apis_are_regional_and_not_respelled(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(json.dumps({
        "Transform": "AWS::Serverless-2016-10-31",
        "Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {
            "Runtime": "python3.12", "Handler": "app.handler", "InlineCode": "x",
            "Events": {"Get": {"Type": "HttpApi", "Properties": {"Path": "/echo", "Method": "GET"}}}}}}}),
        encoding="utf-8")
    definition = load_definition(path)
    assert definition.protocol == "HTTP" and definition.endpoint_type == "REGIONAL"
    request, _ = request_from_dict({"httpMethod": "GET", "path": "/echo", "headers": {"user-Agent": "x"}})
    event, _ = build_event(definition, request)
    assert event["headers"] == {"user-agent": "x"}


def test_cli_endpoint_type_overrides_the_definitions(tmp_path):
    from click.testing import CliRunner

    from vtlgw.cli import main

    openapi(tmp_path)
    args = ["event", "--api", str(tmp_path / "api.yaml"), "-p", "/echo", "-H", "authorization: t"]
    edge = json.loads(CliRunner().invoke(main, args).stdout)
    regional = json.loads(CliRunner().invoke(main, args + ["--endpoint-type", "regional"]).stdout)
    assert list(edge["headers"]) == ["Authorization"] and list(regional["headers"]) == ["authorization"]
    refused = CliRunner().invoke(main, ["event", "-p", "/echo", "--endpoint-type", "EDGE"])
    assert refused.exit_code == 2 and "--endpoint-type is for the definition --api reads" in refused.output
