"""CloudFormation intrinsics evaluated against the supposed stack, as CloudFormation evaluates them before
API Gateway sees the API. Facts from the CloudFormation docs (the return values of Ref and Fn::GetAtt per
resource type, Fn::Sub's ${!Literal}, conditions) are marked [CFN]."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import vtlgw
from vtlgw.apigw.definition import DefinitionError, Stack, load_definition
from vtlgw.apigw.pipeline import HttpResponse, invoke
from vtlgw.cli import main

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  Stage: {Type: String, Default: prod}
  Env: {Type: String, Default: dev, AllowedValues: [dev, live]}
Conditions:
  IsLive: !Equals [!Ref Env, live]
Resources:
  Queue:
    Type: AWS::SQS::Queue
  Machine:
    Type: AWS::StepFunctions::StateMachine
    Properties: {StateMachineName: order-flow}
  Table:
    Type: AWS::DynamoDB::Table
    Properties: {TableName: !Sub 'orders-${Stage}'}
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: !Sub 'shop-${AWS::StackName}'}
  Orders:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: orders}
  PostOrder:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Orders
      HttpMethod: !If [IsLive, PUT, POST]
      AuthorizationType: NONE
      MethodResponses: [{StatusCode: 200}]
      Integration:
        Type: MOCK
        RequestTemplates:
          application/json: '{"statusCode": 200}'
        IntegrationResponses:
          - StatusCode: 200
            ResponseTemplates:
              application/json: !Sub |
                {"queue": "${Queue}", "machine": "${Machine}", "table": "${Table}",
                 "region": "${AWS::Region}", "stack": "${AWS::StackName}", "shared": "${Shared}",
                 "id": "${!context.requestId}", "ref": "$context.requestId"}
              application/xml: !Sub
                - '<queue arn="${QueueArn}"/>'
                - QueueArn: !GetAtt Queue.Arn
  Shared:
    Type: Custom::Thing
"""


def write(tmp_path: Path, text: str, name: str = "template.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def post(definition, verb: str = "POST", accept: str = "application/json"):
    return invoke(definition, {"httpMethod": verb, "path": "/orders",
                               "headers": {"Content-Type": "application/json", "Accept": accept}, "body": "{}"})


def test_sub_in_a_response_template_gets_what_cloudformation_substitutes(tmp_path):
    result = post(load_definition(write(tmp_path, TEMPLATE)))
    assert result.status == 200, result.error
    queue = Stack().generated_name("Queue")
    assert result.json() == {
        "queue": f"https://sqs.us-east-1.amazonaws.com/123456789012/{queue}",  # [CFN] Ref of a queue is its URL
        "machine": "arn:aws:states:us-east-1:123456789012:stateMachine:order-flow",  # [CFN] Ref is the ARN
        "table": "orders-prod",  # [CFN] Ref of a table is its name; the name itself a !Sub of a parameter
        "region": "us-east-1", "stack": "vtlgw-stack",
        "shared": "<Ref Shared>",  # a custom resource: unknowable offline, inert text
        "id": result.request_id,  # ${!x} writes ${x}, here a Velocity formal reference [CFN]
        "ref": result.request_id,
    }
    xml = post(load_definition(write(tmp_path, TEMPLATE)), accept="application/xml")
    assert xml.body == f'<queue arn="arn:aws:sqs:us-east-1:123456789012:{queue}"/>'  # [CFN] GetAtt Queue.Arn


def test_an_unknowable_value_is_a_located_warning_naming_why(tmp_path):
    path = write(tmp_path, TEMPLATE)
    result = post(load_definition(path))
    messages = [str(w) for w in result.warnings]
    found = [m for m in messages if "<Ref Shared> cannot be known offline" in m]
    assert len(found) == 1, messages
    assert found[0].startswith(f"{path}:")
    assert "Custom::Thing" in found[0]


def test_the_stack_is_overridable_and_conditions_follow_parameters(tmp_path):
    path = write(tmp_path, TEMPLATE)
    stack = Stack(region="eu-west-1", account_id="210987654321", stack_name="shop", parameters={"Env": "live"})
    definition = load_definition(path, stack=stack)
    assert definition.name == "shop-shop"
    assert list(definition.methods) == [("PUT", "/orders")]  # Fn::If on IsLive [CFN]
    body = post(definition, "PUT").json()
    assert body["queue"] == f"https://sqs.eu-west-1.amazonaws.com/210987654321/{stack.generated_name('Queue')}"
    assert (body["region"], body["stack"]) == ("eu-west-1", "shop")
    assert list(load_definition(path).methods) == [("POST", "/orders")]


def test_substitutions_are_listed_where_they_are_written(tmp_path):
    path = write(tmp_path, TEMPLATE)
    result = post(load_definition(path))
    written = {(s.written, s.value) for s in result.substitutions}
    assert ("Ref Stage", "prod") not in written  # the table's own name is not part of this method
    assert ("Ref AWS::Region", "us-east-1") in written
    assert ("GetAtt Queue.Arn", f"arn:aws:sqs:us-east-1:123456789012:{Stack().generated_name('Queue')}") in written
    assert all(s.location.startswith(f"{path}:") for s in result.substitutions)
    text = CliRunner().invoke(main, ["invoke", "-a", str(path), "-X", "POST", "-p", "/orders",
                                     "--region", "ap-south-1"]).stdout
    assert "Substituted (as CloudFormation would, on the supposed stack):" in text
    assert "Ref AWS::Region" in text and "= ap-south-1" in text


def test_a_velocity_reference_in_sub_is_refused_as_cloudformation_refuses_it(tmp_path):
    path = write(tmp_path, TEMPLATE.replace("${!context.requestId}", "${context.requestId}"))
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    message = str(caught.value)
    assert "Fn::Sub refers to ${context.requestId}, which is neither a parameter" in message
    assert "write ${!context.requestId}" in message
    assert message.startswith(f"{path}:")


def test_an_undeclared_parameter_override_is_refused(tmp_path):
    with pytest.raises(DefinitionError, match=r"parameter override Nope: the template declares no parameter Nope "
                                              r"\(it declares Stage, Env\)"):
        load_definition(write(tmp_path, TEMPLATE), stack=Stack(parameters={"Nope": "x"}))


def test_evaluate_false_keeps_intrinsics_symbolic(tmp_path):
    definition = load_definition(write(tmp_path, TEMPLATE.replace("!If [IsLive, PUT, POST]", "POST")),
                                 evaluate=False)
    template = definition.methods[("POST", "/orders")].integration.integration_responses[0].response_templates[0]
    assert template.symbolic and "${Queue}" in template.template


@pytest.mark.parametrize("kwargs, match", [
    (dict(region="mars"), r"Stack\(region\): 'mars' is not an AWS region"),
    (dict(account_id="42"), r"Stack\(account_id\): '42' is not a 12-digit AWS account id"),
    (dict(stack_name="1abc"), r"Stack\(stack_name\): '1abc' is not a stack name"),
    (dict(parameters={"a-b": "c"}), r"Stack\(parameters\): 'a-b' is not a template parameter name"),
    (dict(parameters={"A": 1}), r"Stack\(parameters\): A: expected the value as a str"),
])
def test_stack_values_are_checked(kwargs, match):
    with pytest.raises(vtlgw.VtlError, match=match):
        Stack(**kwargs)


def test_load_definition_refuses_a_stack_of_the_wrong_kind(tmp_path):
    with pytest.raises(vtlgw.VtlError, match=r"load_definition\(stack\): expected a vtlgw.apigw.definition.Stack"):
        load_definition(write(tmp_path, TEMPLATE), stack={"region": "eu-west-1"})


@pytest.mark.parametrize("args, message", [
    (["--region", "mars"], "Invalid value for '--region': 'mars' is not an AWS region"),
    (["--account-id", "12"], "Invalid value for '--account-id': '12' is not a 12-digit AWS account id"),
    (["--parameter", "Stage"], "Invalid value for '--parameter': expected NAME=VALUE"),
    (["--parameter", "a b=c"], "Invalid value for '--parameter': a b=c: 'a b' is not a template parameter name"),
])
def test_stack_options_are_validated(tmp_path, args, message):
    result = CliRunner().invoke(main, ["invoke", "-a", str(write(tmp_path, TEMPLATE)), "-p", "/orders", *args])
    assert result.exit_code == 2 and message in result.stderr


def test_cli_parameter_override_reaches_the_template(tmp_path):
    path = write(tmp_path, TEMPLATE)
    result = CliRunner().invoke(main, ["invoke", "-a", str(path), "-X", "PUT", "-p", "/orders", "-f", "json",
                                       "--parameter", "Env=live", "--parameter", "Stage=beta"])
    assert result.exit_code == 0, result.output
    assert json.loads(json.loads(result.stdout)["body"])["table"] == "orders-beta"


STANDALONE = """\
openapi: 3.0.1
info: {title: included, version: '1'}
paths:
  /orders:
    post:
      responses: {'200': {description: ok}}
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: !Sub 'arn:aws:apigateway:${AWS::Region}:states:action/StartSyncExecution'
        requestTemplates:
          application/json: !Sub '{"stateMachineArn": "${Machine}", "input": "$util.escapeJavaScript($input.body)"}'
        responses:
          default: {statusCode: '200'}
"""


def test_a_standalone_openapi_written_to_be_included_loads_with_its_intrinsics_evaluated(tmp_path):
    path = write(tmp_path, STANDALONE, "api.yaml")
    definition = load_definition(path)
    method = definition.methods[("POST", "/orders")]
    assert method.integration.uri == "arn:aws:apigateway:us-east-1:states:action/StartSyncExecution"
    assert method.integration.request_templates[0].template == (
        '{"stateMachineArn": "<Ref Machine>", "input": "$util.escapeJavaScript($input.body)"}')
    notes = [n.what for n in method.not_emulated]
    assert any(n.startswith("<Ref Machine> cannot be known offline: Machine is defined by the template that "
                            "includes this file") for n in notes), notes
    result = invoke(definition, {"httpMethod": "POST", "path": "/orders", "body": '{"a": 1}',
                                 "headers": {"Content-Type": "application/json"}},
                    backend=HttpResponse(200, {}, '{"status": "SUCCEEDED"}'))
    assert json.loads(result.integration_request.body)["stateMachineArn"] == "<Ref Machine>"
    assert any("<Ref Machine> cannot be known offline" in str(w) for w in result.warnings)
