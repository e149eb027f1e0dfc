"""Definition-file rules (VTL5xx): how a definition is written, CloudFormation intrinsics included."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from tests.lint.test_rules_integration import DATA, RULE_FAMILIES, expected_findings, findings
from vtlgw.apigw.definition import load_definition
from vtlgw.lint import lint
from vtlgw.lint.registry import get
from vtlgw.vtl.diagnostics import Severity

DEFINITION_RULES = ("VTL501", "VTL502", "VTL503", "VTL504", "VTL505")


def _codes(counter: Counter) -> set[str]:
    return {code for code, _, _ in counter}


def _write(tmp_path: Path, text: str, name: str = "api.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_broken_cloudformation_gives_exactly_the_announced_findings():
    path = DATA / "broken.cloudformation.yaml"
    assert findings(path, RULE_FAMILIES) == expected_findings(path)


def test_every_definition_rule_is_triggered_by_a_broken_definition():
    seen = set()
    for path in DATA.glob("broken*.yaml"):
        seen |= _codes(expected_findings(path))
    assert set(DEFINITION_RULES) <= seen


@pytest.mark.parametrize("name", ["good-lookalikes.openapi.yaml", "good-lookalikes.cloudformation.yaml"])
def test_lookalikes_give_no_definition_finding(name):
    assert findings(DATA / name, ("VTL5",)) == Counter()


def test_every_rule_documents_itself():
    for code in DEFINITION_RULES:
        doc = get(code).doc
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", doc.name), code
        assert doc.message and "\n" not in doc.message, code
        assert all((doc.what, doc.why, doc.example, doc.fix)), code


_OPENAPI = """\
openapi: 3.0.1
info: {{title: t, version: "1"}}
paths:
  /f:
    post:
      responses:
        "200": {{description: ok}}
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: {uri}
{body}"""

_INVOKE = ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
           "arn:aws:lambda:us-east-1:123456789012:function:f/invocations")


def test_plain_lambda_arn_is_one_vtl504_with_the_invocation_uri(tmp_path):
    path = _write(tmp_path, _OPENAPI.format(uri="arn:aws:lambda:eu-west-1:123456789012:function:f",
                                            body="        responses:\n          default: {statusCode: '200'}\n"))
    found = [d for d in lint([path]) if d.code and d.code.startswith("VTL5")]
    assert [(d.code, d.location.line, d.location.column) for d in found] == [("VTL504", 11, 14)]
    assert ("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
            "arn:aws:lambda:eu-west-1:123456789012:function:f/invocations") in found[0].message
    problems = load_definition(path, strict=False).problems
    assert [get("VTL504").claims(p) for p in problems] == [True]


def test_invocation_uri_is_not_a_plain_arn(tmp_path):
    path = _write(tmp_path, _OPENAPI.format(uri=_INVOKE, body="        responses:\n          default: {statusCode: '200'}\n"))
    assert _codes(findings(path, ("VTL5",))) == set()


@pytest.mark.parametrize("key, hint", [("integrationResponses", "responses"), ("requestTemplate", "requestTemplates"),
                                       ("RequestTemplates", "requestTemplates")])
def test_unknown_openapi_integration_key_suggests_the_right_one(tmp_path, key, hint):
    body = f"        {key}:\n          default: {{statusCode: '200'}}\n"
    path = _write(tmp_path, _OPENAPI.format(uri=_INVOKE, body=body))
    found = [d for d in lint([path]) if d.code == "VTL503"]
    assert [(d.location.line, d.location.column) for d in found] == [(12, 9)]
    assert f"did you mean {hint}?" in found[0].message


def test_selection_pattern_key_in_an_openapi_response_is_explained(tmp_path):
    body = ("        responses:\n          default: {statusCode: '200'}\n          '400':\n"
            "            statusCode: '400'\n            selectionPattern: '.*Bad.*'\n")
    path = _write(tmp_path, _OPENAPI.format(uri=_INVOKE, body=body).replace(
        '"200": {description: ok}', '"200": {description: ok}\n        "400": {description: bad}'))
    found = [d for d in lint([path]) if d.code == "VTL503"]
    assert [(d.location.line, d.location.column) for d in found] == [(17, 13)]
    assert "the key of the response is its selection pattern" in found[0].message


def test_openapi_template_given_as_ref_is_one_vtl502(tmp_path):
    body = ("        requestTemplates:\n          application/json: {$ref: '#/components/schemas/Order'}\n"
            "        responses:\n          default: {statusCode: '200'}\n")
    path = _write(tmp_path, _OPENAPI.format(uri=_INVOKE, body=body))
    found = [d for d in lint([path]) if d.code == "VTL502"]
    assert [(d.location.line, d.location.column) for d in found] == [(13, 29)]
    problems = load_definition(path, strict=False).problems
    assert [get("VTL502").claims(p) for p in problems] == [True]


@pytest.mark.parametrize("template, codes", [
    ('{"region": "${AWS::Region}"}', {"VTL501"}),
    ('{"id": "${context.requestId}", "body": ${input.json(\'$\')}}', set()),
    ('{"v": "$stageVariables.v", "w": "${stageVariables.w}"}', set()),
])
def test_placeholders_in_an_openapi_template(tmp_path, template, codes):
    body = (f"        requestTemplates:\n          application/json: |\n            {template}\n"
            "        responses:\n          default: {statusCode: '200'}\n")
    path = _write(tmp_path, _OPENAPI.format(uri=_INVOKE, body=body))
    assert _codes(findings(path, ("VTL5",))) == codes


_CFN = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Stage: {{Type: String, Default: prod}}
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {{Name: t}}
  Queue:
    Type: AWS::SQS::Queue
  Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      AuthorizationType: NONE
      MethodResponses: [{{StatusCode: 200}}]
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: {uri}
        RequestTemplates:
          application/json: {template}
        IntegrationResponses: [{{StatusCode: 200}}]
"""
_SQS = "!Sub arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${Queue.QueueName}"


@pytest.mark.parametrize("uri, template, codes", [
    (_SQS, "'Action=SendMessage&QueueUrl=${Queue}'", {"VTL501"}),
    (_SQS, "'{\"stage\": \"${Stage}\"}'", {"VTL501"}),
    (_SQS, "!Sub 'Action=SendMessage&QueueUrl=${Queue}'", set()),
    (_SQS, "!Join ['', ['Action=SendMessage&QueueUrl=', !Ref Queue]]", set()),
    (_SQS, "!Join ['', ['QueueUrl=${Queue}&Stage=', !Ref Stage]]", {"VTL501"}),
    (_SQS, "'{\"id\": \"${Unknown}\"}'", set()),  # not a name of this template: a VTL formal reference
    (_SQS, "!Ref Queue", {"VTL502"}),
    (_SQS, "!GetAtt Queue.Arn", {"VTL502"}),
    (_SQS, "!Ref Stage", set()),  # a parameter may hold template text
    ("!Join ['', ['arn:aws:apigateway:${AWS::Region}:sqs:path/', !Ref Queue]]", "'{}'", {"VTL501"}),
    ("!GetAtt Queue.Arn", "'{}'", set()),  # not a Lambda function: not VTL504's business
])
def test_cloudformation_intrinsics(tmp_path, uri, template, codes):
    path = _write(tmp_path, _CFN.format(uri=uri, template=template))
    assert _codes(findings(path, ("VTL5",))) == codes


def test_lost_backslash_only_on_aws_integrations(tmp_path):
    http = ('openapi: 3.0.1\ninfo: {title: t, version: "1"}\npaths:\n  /h:\n    get:\n      responses:\n'
            '        "200": {description: ok}\n        "400": {description: bad}\n'
            '      x-amazon-apigateway-integration:\n        type: http\n        httpMethod: GET\n'
            '        uri: https://example.com\n        responses:\n          default: {statusCode: "200"}\n'
            '          "[Error]": {statusCode: "400"}\n')
    assert "VTL505" not in _codes(findings(_write(tmp_path, http), ("VTL5",)))


def test_cdk_json_template():
    """CDK output is JSON: long-form intrinsics, and findings at the JSON value (inside its quotes)."""
    found = findings(DATA / "broken-cdk.template.json", RULE_FAMILIES)
    assert found == Counter({
        ("VTL504", 22, 18): 1,  # "Uri": {"Fn::GetAtt": ["Handler", "Arn"]}
        ("VTL306", 25, 55): 1,  # the '^[Error].*' string (info: '.' stops at a line break)
        ("VTL505", 25, 57): 1,  # its '[Error]', after the quote and the '^'
        ("VTL502", 26, 56): 1,  # {"Ref": "ErrorModel"} as a response template
        ("VTL503", 28, 12): 1,  # "integrationResponses" in a CloudFormation Integration
    })


def test_unknown_keys_in_aws_cli_get_method_output(tmp_path):
    """`aws apigateway get-method` JSON spells the responses integrationResponses, keyed by status."""
    text = """{
  "httpMethod": "GET",
  "methodResponses": {"200": {"statusCode": "200"}},
  "methodIntegration": {
    "type": "MOCK",
    "requestTemplates": {"application/json": "{\\"statusCode\\": 200}"},
    "responses": {},
    "integrationResponses": {"200": {"statusCode": "200", "responseTemplate": {}}}
  }
}
"""
    found = [d for d in lint([_write(tmp_path, text, "get-method.json")]) if d.code == "VTL503"]
    assert [(d.location.line, d.location.column) for d in found] == [(7, 6), (8, 60)]
    assert "did you mean integrationResponses?" in found[0].message
    assert "did you mean responseTemplates?" in found[1].message


@pytest.mark.parametrize("extra, codes", [
    ("Credentials: arn:aws:iam::${AWS::AccountId}:role/api", {"VTL501"}),
    ("Credentials: !Sub arn:aws:iam::${AWS::AccountId}:role/api", set()),
    ("RequestParameters: {integration.request.header.X-Region: \"'${AWS::Region}'\"}", {"VTL501"}),
    ("RequestParameters: {integration.request.header.X-Region: !Sub \"'${AWS::Region}'\"}", set()),
])
def test_placeholders_in_credentials_and_mappings(tmp_path, extra, codes):
    text = _CFN.format(uri=_SQS, template="'{}'").replace(
        "        RequestTemplates:\n", f"        {extra}\n        RequestTemplates:\n")
    assert _codes(findings(_write(tmp_path, text), ("VTL5",))) == codes


def test_function_arn_built_with_join_is_vtl504(tmp_path):
    uri = ("!Join ['', ['arn:', !Ref AWS::Partition, ':lambda:', !Ref AWS::Region, ':', !Ref AWS::AccountId, "
           "':function:orders']]")
    text = _CFN.format(uri=uri, template="'{}'").replace(
        "  Queue:\n    Type: AWS::SQS::Queue\n", "")
    found = [d for d in lint([_write(tmp_path, text)]) if d.code and d.code.startswith("VTL5")]
    assert [d.code for d in found] == ["VTL504"]
    assert "!Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/" in found[0].message


_LAMBDA_PATTERN = ('openapi: 3.0.1\ninfo: {{title: t, version: "1"}}\npaths:\n  /l:\n    post:\n      responses:\n'
                   '        "200": {{description: ok}}\n        "400": {{description: bad}}\n'
                   '      x-amazon-apigateway-integration:\n        type: aws\n        httpMethod: POST\n'
                   '        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/'
                   'arn:aws:lambda:us-east-1:123456789012:function:f/invocations\n'
                   '        responses:\n          default: {{statusCode: "200"}}\n'
                   '          "{pattern}": {{statusCode: "400"}}\n')


@pytest.mark.parametrize("pattern, fires", [
    ("^[Error].*", True),
    (".*[Bad Request].*", True),  # words with a space: still a class of single characters
    (".*[INVALID_INPUT].*", True),
    ("(?s).*\\\\[Bad Request\\\\].*", False),  # escaped: the literal text
    ("[A-Z]+Error.*", False),  # a real class (a range)
    (".*[ab _].*", False),  # a short class of characters, not a word
])
def test_lost_backslash_word_classes(tmp_path, pattern, fires):
    path = _write(tmp_path, _LAMBDA_PATTERN.format(pattern=pattern))
    assert ("VTL505" in _codes(findings(path, ("VTL5",)))) is fires


SUB_TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Conditions:
  IsLive: !Equals [a, b]
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: api}
  Items:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: items}
  Post:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Items
      HttpMethod: POST
      AuthorizationType: NONE
      MethodResponses: [{StatusCode: 200}]
      Integration:
        Type: MOCK
        RequestTemplates:
          application/json: !Sub '{"statusCode": 200, "queue": "${Queue}", "id": "${ID}"}'
        IntegrationResponses:
          - StatusCode: 200
            ResponseTemplates: {application/json: !If [COND, a, b]}
"""


@pytest.mark.parametrize("reference, condition, expected", [
    ("${context.requestId}", "IsLive", [("VTL506", 24, 83)]),  # a Velocity reference read by Fn::Sub
    ("${!context.requestId}", "IsLive", []),  # escaped as CloudFormation wants it
    ("${!context.requestId}", "Nope", [("VTL506", 27, 51)]),  # a condition not in Conditions
    ("${Queue.Arn}", "IsLive", []),
])
def test_vtl506_intrinsics_cloudformation_refuses(tmp_path, reference, condition, expected):
    text = SUB_TEMPLATE.replace("${ID}", reference).replace("COND", condition)
    found = [(d.code, d.location.line, d.location.column) for d in lint([_write(tmp_path, text, "t.yaml")])
             if d.code == "VTL506"]
    assert found == expected
    if expected and "${" in reference and "!" not in reference:
        message = next(str(d) for d in lint([tmp_path / "t.yaml"]) if d.code == "VTL506")
        assert "write ${!context.requestId}" in message


MODELS_CFN = """\
Resources:
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: a}}
  Order:
    Type: AWS::ApiGateway::Model
    Properties:
      RestApiId: !Ref Api
      ContentType: application/json
      Schema:
        type: object
        properties:
          sku: {type: string, example: A-1}
          size: {type: integer, const: 1}
          ok: {type: integer, minimum: 0, exclusiveMinimum: true}
          example: {type: string}
"""


def test_vtl507_keywords_a_draft_4_model_does_not_apply(tmp_path):
    found = [d for d in lint([_write(tmp_path, MODELS_CFN, "stack.yaml")]) if d.code == "VTL507"]
    # a property named "example" is a name, not the keyword; a boolean exclusiveMinimum is draft 4's
    assert sorted((d.location.line, d.message.split(" at ")[0]) for d in found) == [
        (11, "model Order: keyword 'example'"), (12, "model Order: keyword 'const'")]


def test_vtl508_a_model_that_is_not_a_draft_4_schema(tmp_path):
    text = MODELS_CFN.replace("        type: object\n", "        type: object\n        required: sku\n")
    found = [d for d in lint([_write(tmp_path, text, "stack.yaml")]) if d.code == "VTL508"]
    assert [(d.severity, d.location.line, d.message) for d in found] == [
        (Severity.ERROR, 10, "model Order is not a valid JSON Schema draft 4 schema: 'sku' is not of type 'array'")]
    assert not [d for d in lint([_write(tmp_path, MODELS_CFN, "stack.yaml")]) if d.code == "VTL508"]


def test_vtl508_a_number_as_exclusive_minimum_is_draft_6_and_refused(tmp_path):
    text = MODELS_CFN.replace("size: {type: integer, const: 1}", "size: {type: integer, exclusiveMinimum: 0}")
    found = [d.code for d in lint([_write(tmp_path, text, "stack.yaml")]) if d.code in ("VTL507", "VTL508")]
    assert sorted(found) == ["VTL507", "VTL508"]  # example (VTL507), the number (VTL508)


KEYED = """\
Resources:
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: a}}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      ApiKeyRequired: true
      Integration: {Type: MOCK, RequestTemplates: {application/json: '{"statusCode": 200}'},
                    IntegrationResponses: [{StatusCode: "200"}]}
      MethodResponses: [{StatusCode: "200"}]
"""

PLAN = """\
  Plan:
    Type: AWS::ApiGateway::UsagePlan
    Properties: {ApiStages: [{ApiId: !Ref Api, Stage: prod}]}
"""

SAM_KEYED = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth: {ApiKeyRequired: true%s}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      InlineCode: "def handler(e, c): return {}"
      Events: {Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /, Method: get}}}
"""


@pytest.mark.parametrize("text, name, fires", [
    (KEYED, "stack.yaml", True),
    (KEYED + PLAN, "stack.yaml", False),
    (SAM_KEYED % "", "template.yaml", True),
    (SAM_KEYED % ", UsagePlan: {CreateUsagePlan: PER_API}", "template.yaml", False),
    (SAM_KEYED % ", UsagePlan: {CreateUsagePlan: NONE}", "template.yaml", True),
])
def test_vtl509_api_keys_need_a_usage_plan(tmp_path, text, name, fires):
    found = [d for d in lint([_write(tmp_path, text, name)]) if d.code == "VTL509"]
    assert bool(found) is fires
    if fires:
        assert found[0].message.endswith("requires an API key, but the template defines no usage plan: API Gateway "
                                         "answers 403 Forbidden to every key")
