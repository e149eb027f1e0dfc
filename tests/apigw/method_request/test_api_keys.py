"""API keys: ``apiKeyRequired`` checks ``x-api-key`` against the known keys before the integration.

Sources: the AWS docs pages "Choose an API key source in API Gateway"
(api-gateway-api-key-source: HEADER reads ``x-api-key``, AUTHORIZER the
authorizer's ``usageIdentifierKey``), "Gateway response types"
(supported-gateway-response-types: ``INVALID_API_KEY`` is 403), the mapping
template reference ($context.identity.apiKey and apiKeyId), and
AWS::ApiGateway::ApiKey (``Enabled`` defaults to false).
"""

import json
from pathlib import Path

import pytest

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.definition.validation import ApiKey
from vtlgw.apigw.errors import ArgumentError
from vtlgw.apigw.method_request.api_key import keys_argument, mask
from vtlgw.apigw.pipeline import invoke

PETS = Path(__file__).parents[3] / "fixtures" / "pets-validated.openapi.yaml"
GOOD = '{"name": "Rex", "kind": "dog"}'


@pytest.fixture(scope="module")
def pets():
    return load_definition(PETS)


def post(definition, headers=None, **kw):
    return invoke(definition, {"httpMethod": "POST", "path": "/pets", "headers": headers or {}, "body": GOOD},
                  report_latency=False, **kw)


def test_a_missing_key_is_403_forbidden(pets):
    result = post(pets, api_keys=["k-0123456789"])
    assert (result.status, json.loads(result.body)) == (403, {"message": "Forbidden"})
    assert result.headers["x-amzn-ErrorType"] == "ForbiddenException"
    assert "API Key not provided for method 'POST /pets', which requires an API Key" in result.log
    assert any("gives none" in line for line in result.trace)


def test_an_unknown_key_is_403_and_logged_masked(pets):
    result = post(pets, {"x-api-key": "wrong-key-9876"}, api_keys=["k-0123456789"])
    assert result.status == 403
    assert "API Key **********9876 not authorized because method 'POST /pets' requires API Key" in result.log
    assert not [line for line in result.log.splitlines() if "API Key" in line and "wrong-key" in line]


def test_with_no_keys_known_the_trace_says_how_to_give_one(pets):
    result = post(pets, {"x-api-key": "k-0123456789"})
    assert result.status == 403
    assert any("--api-key" in line for line in result.trace)


def test_a_known_key_sets_the_identity_and_the_header_name_ignores_case(pets):
    result = post(pets, {"X-API-Key": "k-0123456789"},
                  api_keys=[{"value": "k-0123456789", "id": "abc123defg", "name": "partner"}])
    assert result.status == 201
    assert json.loads(result.body) == {"key": "k-0123456789", "keyId": "abc123defg"}
    assert "Usage Plan check succeeded for API Key ********6789" in result.log
    lines = [line.split(" : ", 1)[1] for line in result.log.splitlines() if " : " in line]
    at = lines.index("Method request body before transformations: " + GOOD)
    assert [line.split(" ")[0:2] for line in lines[at + 1:at + 4]] == [
        ["Verifying", "Usage"], ["API", "Key"], ["Usage", "Plan"]]  # U58


def test_a_method_without_api_key_required_ignores_the_header(pets):
    result = invoke(pets, {"httpMethod": "GET", "path": "/pets", "headers": {"x-tenant": "t", "x-api-key": "zz"},
                           "queryStringParameters": {"limit": "1"}})
    assert result.status == 200


def test_the_key_check_comes_before_validation(pets):
    result = invoke(pets, {"httpMethod": "POST", "path": "/pets", "body": "{}"})
    assert result.status == 403


def test_a_disabled_key_is_not_accepted(pets):
    key = ApiKey("k-0123456789", "id1", enabled=False)
    assert post(pets, {"x-api-key": "k-0123456789"}, api_keys=[key]).status == 403


def test_keys_argument_shapes():
    keys = keys_argument(["a1", {"value": "b2", "name": "n"}, ApiKey("c3", "i")])
    assert [(k.value, k.name) for k in keys] == [("a1", None), ("b2", "n"), ("c3", None)]
    assert keys[0].id == keys_argument("a1")[0].id and len(keys[0].id) == 10  # stable generated ids
    with pytest.raises(ArgumentError, match=r"invoke\(api_keys\)\[0\]"):
        keys_argument([""])
    with pytest.raises(ArgumentError, match="expected a list"):
        keys_argument(3)
    assert mask("abcdefgh") == "****efgh" and mask("abc") == "abc"


CFN = """\
Parameters:
  PartnerKey: {Type: String, Default: partner-key-0001}
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: keys, ApiKeySourceType: HEADER}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
      ApiKeyRequired: true
      Integration:
        Type: MOCK
        RequestTemplates: {application/json: '{"statusCode": 200}'}
        IntegrationResponses:
          - StatusCode: "200"
            ResponseTemplates: {application/json: '$context.identity.apiKeyId'}
      MethodResponses: [{StatusCode: "200"}]
  Partner:
    Type: AWS::ApiGateway::ApiKey
    Properties: {Name: partner, Enabled: true, Value: !Ref PartnerKey}
  Old:
    Type: AWS::ApiGateway::ApiKey
    Properties: {Name: old, Value: old-key-00001}
  Generated:
    Type: AWS::ApiGateway::ApiKey
    Properties: {Name: generated, Enabled: true}
"""


def test_cloudformation_api_keys_are_known_when_enabled(tmp_path):
    path = tmp_path / "stack.yaml"
    path.write_text(CFN, encoding="utf-8")
    definition = load_definition(path)
    assert [(k.name, k.value, k.enabled) for k in definition.api_keys] == [
        ("partner", "partner-key-0001", True), ("old", "old-key-00001", False)]
    ok = invoke(definition, {"httpMethod": "GET", "path": "/", "headers": {"x-api-key": "partner-key-0001"}})
    assert (ok.status, ok.body) == (200, definition.api_keys[0].id)
    assert invoke(definition, {"httpMethod": "GET", "path": "/", "headers": {"x-api-key": "old-key-00001"}}
                  ).status == 403


DENIED = """\
  Denied:
    Type: AWS::ApiGateway::GatewayResponse
    Properties:
      RestApiId: !Ref Api
      ResponseType: INVALID_API_KEY
      StatusCode: "401"
      ResponseTemplates: {application/json: '{"error": "key", "type": "$context.error.responseType"}'}
"""


def test_a_customised_invalid_api_key_response(tmp_path):
    path = tmp_path / "stack.yaml"
    path.write_text(CFN + DENIED, encoding="utf-8")
    definition = load_definition(path)
    result = invoke(definition, {"httpMethod": "GET", "path": "/"})
    assert (result.status, json.loads(result.body)) == (401, {"error": "key", "type": "INVALID_API_KEY"})


def test_the_authorizer_key_source_without_an_authorizer_refuses(tmp_path):
    path = tmp_path / "stack.yaml"
    path.write_text(CFN.replace("ApiKeySourceType: HEADER", "ApiKeySourceType: AUTHORIZER"), encoding="utf-8")
    definition = load_definition(path)
    assert definition.api_key_source == "AUTHORIZER"
    result = invoke(definition, {"httpMethod": "GET", "path": "/", "headers": {"x-api-key": "partner-key-0001"}})
    assert result.status == 403  # the header is not read: the key comes from the authorizer's usageIdentifierKey
