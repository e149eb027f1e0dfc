"""Validators, models and API keys read from CloudFormation and SAM, then run.

Sources: the CloudFormation reference pages AWS::ApiGateway::RequestValidator,
AWS::ApiGateway::Model (``!Ref`` gives the model's name), AWS::ApiGateway::Method
(``RequestValidatorId``, ``RequestModels``, ``RequestParameters`` with ``true`` =
required, ``ApiKeyRequired``), and the SAM pages AWS::Serverless::Api
(``Models``, ``Auth.ApiKeyRequired``) and RequestModel (``ValidateBody``,
``ValidateParameters``).
"""

import json

import pytest

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.definition.errors import DefinitionError
from vtlgw.apigw.pipeline import invoke
from vtlgw.apigw.pipeline.backends import LambdaHandler

CFN = """\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: orders}
  Orders:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: orders}
  Everything:
    Type: AWS::ApiGateway::RequestValidator
    Properties: {RestApiId: !Ref Api, Name: everything, ValidateRequestBody: true, ValidateRequestParameters: true}
  OrderModel:
    Type: AWS::ApiGateway::Model
    Properties:
      RestApiId: !Ref Api
      Name: Order
      ContentType: application/json
      Schema:
        $schema: http://json-schema.org/draft-04/schema#
        type: object
        required: [sku, quantity]
        properties:
          sku: {type: string}
          quantity: {type: integer, minimum: 1}
  TextModel:
    Type: AWS::ApiGateway::Model
    Properties:
      RestApiId: !Ref Api
      ContentType: application/json
      Schema: '{"type": "object", "required": ["note"]}'
  Post:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Orders
      HttpMethod: POST
      AuthorizationType: NONE
      RequestValidatorId: !Ref Everything
      RequestModels:
        application/json: !Ref OrderModel
        text/plain: !Ref TextModel
      RequestParameters:
        method.request.header.Idempotency-Key: true
        method.request.querystring.dryRun: false
      Integration:
        Type: MOCK
        RequestTemplates: {application/json: '{"statusCode": 200}', text/plain: '{"statusCode": 200}'}
        IntegrationResponses: [{StatusCode: "200"}]
      MethodResponses: [{StatusCode: "200"}]
"""


def load(tmp_path, text, name="stack.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_definition(path)


def post(definition, body, headers=None, path="/orders"):
    return invoke(definition, {"httpMethod": "POST", "path": path, "headers": headers or {}, "body": body})


def test_cloudformation_validator_models_and_required_parameters(tmp_path):
    definition = load(tmp_path, CFN)
    method = definition.methods[("POST", "/orders")]
    assert method.request_validator.name == "everything"
    # !Ref to a model is its Name, or its logical id when it has none
    assert method.request_models == {"application/json": "Order", "text/plain": "TextModel"}
    assert json.loads(post(definition, '{"sku": "a", "quantity": 1}').body) == {
        "message": "Missing required request parameters: [Idempotency-Key]"}
    ok = {"Idempotency-Key": "k1"}
    assert post(definition, '{"sku": "a", "quantity": 1}', ok).status == 200
    bad = post(definition, '{"sku": "a", "quantity": 0}', ok)
    assert bad.status == 400
    assert "numeric instance is lower than the required minimum (minimum: 1, found: 0)" in bad.log
    # the model given as JSON text, chosen for text/plain
    text = post(definition, "{}", {**ok, "Content-Type": "text/plain"})
    assert text.status == 400
    assert "content type text/plain: [object has missing required properties ([\"note\"])]" in text.log


def test_a_validator_reference_to_nothing_is_a_located_error(tmp_path):
    with pytest.raises(DefinitionError, match=r"stack\.yaml:\d+:\d+: error: /Resources/Post/Properties/"
                                              r"RequestValidatorId: expected !Ref to an AWS::ApiGateway::"
                                              r"RequestValidator of this API"):
        load(tmp_path, CFN.replace("RequestValidatorId: !Ref Everything", "RequestValidatorId: !Ref Nope"))


def test_a_model_named_by_text_must_exist(tmp_path):
    load(tmp_path, CFN.replace("application/json: !Ref OrderModel", "application/json: Order"))
    load(tmp_path, CFN.replace("application/json: !Ref OrderModel", "application/json: Empty"))
    with pytest.raises(DefinitionError, match="no model named 'Missing' in this API"):
        load(tmp_path, CFN.replace("application/json: !Ref OrderModel", "application/json: Missing"))


SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth: {ApiKeyRequired: true}
      Models:
        User:
          type: object
          required: [email]
          properties: {email: {type: string}}
  Users:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Create:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /users
            Method: post
            RequestModel: {Model: User, Required: true, ValidateBody: true, ValidateParameters: true}
            RequestParameters:
              - method.request.header.X-Tenant: {Required: true}
              - method.request.querystring.debug
        Health:
          Type: Api
          Properties:
            RestApiId: !Ref Api
            Path: /health
            Method: get
            Auth: {ApiKeyRequired: false}
"""


def echo_handler(calls):
    """A stand-in for the function: answers 200 with the event's body, counting its calls."""

    def handler(event, context):
        calls.append(event)
        return {"statusCode": 200, "body": event.get("body") or ""}

    return LambdaHandler(handler)


def test_sam_models_request_model_parameters_and_api_key(tmp_path):
    definition = load(tmp_path, SAM, "template.yaml")
    create = definition.methods[("POST", "/users")]
    assert (create.request_validator.validate_body, create.request_validator.validate_parameters) == (True, True)
    assert create.request_models == {"application/json": "User"}
    assert create.request_parameters == {"method.request.header.X-Tenant": True,
                                         "method.request.querystring.debug": False}
    assert create.api_key_required
    assert not definition.methods[("GET", "/health")].api_key_required  # the event's Auth wins over the API's
    keys = ["tenant-key-0001"]
    headers = {"x-api-key": "tenant-key-0001"}
    assert invoke(definition, {"httpMethod": "POST", "path": "/users", "body": "{}"}, api_keys=keys).status == 403
    missing = invoke(definition, {"httpMethod": "POST", "path": "/users", "headers": headers, "body": "{}"},
                     api_keys=keys)
    assert json.loads(missing.body) == {"message": "Missing required request parameters: [X-Tenant]"}
    calls = []
    backend = echo_handler(calls)
    bad = invoke(definition, {"httpMethod": "POST", "path": "/users", "headers": {**headers, "X-Tenant": "t"},
                              "body": "{}"}, api_keys=keys, backend=backend)
    assert bad.status == 400 and calls == []
    good = invoke(definition, {"httpMethod": "POST", "path": "/users", "headers": {**headers, "X-Tenant": "t"},
                               "body": '{"email": "a@b"}'}, api_keys=keys, backend=backend)
    assert (good.status, good.body, len(calls)) == (200, '{"email": "a@b"}', 1)


def test_sam_request_model_without_validation_flags_adds_no_validator(tmp_path):
    definition = load(tmp_path, SAM.replace(", ValidateBody: true, ValidateParameters: true", ""), "template.yaml")
    create = definition.methods[("POST", "/users")]
    assert create.request_validator is None and create.request_models == {"application/json": "User"}


def test_sam_request_model_naming_no_model_is_a_located_error(tmp_path):
    with pytest.raises(DefinitionError, match=r"/Events/Create/Properties/RequestModel/Model: no model named "
                                              r"'Person' in the API's Models \(User\)"):
        load(tmp_path, SAM.replace("{Model: User,", "{Model: Person,"), "template.yaml")


def test_a_schema_built_by_an_intrinsic_is_evaluated_first(tmp_path):
    # CloudFormation evaluates !Sub before API Gateway creates the model
    text = CFN.replace("      Schema: '{\"type\": \"object\", \"required\": [\"note\"]}'",
                       "      Schema: !Sub '{\"type\": \"object\", \"required\": [\"${AWS::Region}\"]}'")
    definition = load(tmp_path, text)
    result = post(definition, "{}", {"Idempotency-Key": "k", "Content-Type": "text/plain"})
    assert result.status == 400
    assert 'object has missing required properties (["us-east-1"])' in result.log
    from vtlgw.lint import lint

    assert not [d for d in lint([tmp_path / "stack.yaml"]) if d.code in ("VTL000", "VTL508")]
