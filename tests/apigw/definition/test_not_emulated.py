"""Settings a definition makes that vtlgw does not run are recorded, located, and warned about by invoke."""

import textwrap
from pathlib import Path

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.definition.errors import DefinitionError
from vtlgw.apigw.pipeline import invoke
from vtlgw.apigw.request import request_from_dict
from vtlgw.vtl.diagnostics import Location, Severity

OPENAPI = """\
openapi: 3.0.1
info: {title: t, version: "1"}
x-amazon-apigateway-request-validators:
  all: {validateRequestBody: true, validateRequestParameters: true}
  params-only: {validateRequestParameters: true}
x-amazon-apigateway-request-validator: all
paths:
  /secure:
    get:
      security: [{MyAuthorizer: []}]
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses: {default: {statusCode: "200"}}
  /open:
    get:
      security: []
      x-amazon-apigateway-request-validator: params-only
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses: {default: {statusCode: "200"}}
"""

CFN = """\
Resources:
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: a}}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: COGNITO_USER_POOLS
      AuthorizerId: !Ref Pool
      ApiKeyRequired: true
      Integration:
        Type: AWS_PROXY
        IntegrationHttpMethod: POST
        Uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations
        RequestTemplates: {application/json: '{}'}
  Pool:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Type: COGNITO_USER_POOLS
      ProviderARNs: [arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_abc]
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def test_openapi_authorizers_are_recorded_with_their_place_and_validators_are_read(tmp_path):
    definition = load_definition(write(tmp_path, "api.yaml", OPENAPI))
    secure = definition.methods[("GET", "/secure")]
    assert [n.what for n in secure.not_emulated] == [
        "GET /secure: security scheme 'MyAuthorizer' is not defined: API Gateway applies no authorizer for it, and neither does vtlgw; the request is let through",
    ]
    assert secure.not_emulated[0].location.endswith("api.yaml:10:17")
    # Request validators are run (docs/method-request.md): the API's default, or the operation's own.
    assert secure.request_validator.name == "all"
    opened = definition.methods[("GET", "/open")]
    assert opened.not_emulated == []
    assert (opened.request_validator.name, opened.request_validator.validate_body,
            opened.request_validator.validate_parameters) == ("params-only", False, True)


def test_an_undefined_validator_is_a_located_error(tmp_path):
    text = OPENAPI.replace("x-amazon-apigateway-request-validator: params-only",
                           "x-amazon-apigateway-request-validator: none-at-all")
    try:
        load_definition(write(tmp_path, "api.yaml", text))
    except DefinitionError as error:
        assert str(error).startswith(f"{tmp_path / 'api.yaml'}:19:46: error: ")
        assert ("/paths/~1open/get/x-amazon-apigateway-request-validator: request validator 'none-at-all' is "
                "not in x-amazon-apigateway-request-validators (all, params-only)") in str(error)
    else:
        raise AssertionError("an undefined validator loaded")


def test_cloudformation_authorization_api_keys_and_proxy_templates(tmp_path):
    definition = load_definition(write(tmp_path, "stack.yaml", CFN))
    notes = [n.what for n in definition.methods[("GET", "/")].not_emulated]
    assert notes == [
        "GET /: request templates are ignored on an AWS_PROXY integration",
    ]
    method = definition.methods[("GET", "/")]
    assert method.api_key_required  # API keys and authorizers are run (docs/method-request.md)
    assert (method.authorization_type, method.authorizer.type) == ("COGNITO_USER_POOLS", "COGNITO_USER_POOLS")


def test_invoke_warns_about_each_with_its_location(tmp_path):
    definition = load_definition(write(tmp_path, "api.yaml", OPENAPI))
    request, _ = request_from_dict({"httpMethod": "GET", "path": "/secure"})
    result = invoke(definition, request)
    assert result.status == 200
    assert len(result.warnings) == 1
    first = result.warnings[0]
    assert (first.severity, first.code) == (Severity.WARNING, None)
    assert first.message.startswith("GET /secure: security scheme 'MyAuthorizer' is not defined")
    assert first.location == Location(str(tmp_path / "api.yaml"), 10, 17, pointer="/paths/~1secure/get/security")
    assert str(first).startswith(f"{tmp_path / 'api.yaml'}:10:17: warning: /paths/~1secure/get/security: "
                                 "GET /secure: security scheme 'MyAuthorizer' is not defined")


def test_a_plain_method_has_nothing_to_report():
    definition = load_definition(Path(__file__).parents[3] / "fixtures" / "orders-api.openapi.yaml")
    assert all(not m.not_emulated for m in definition.methods.values())
