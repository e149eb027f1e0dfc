"""AWS::Include of a local OpenAPI file, and a SAM function's own settings (Environment, Timeout, Runtime)
applied when it runs in-process. Facts from the CloudFormation, SAM and Lambda docs are marked [CFN]."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from vtlgw.apigw.definition import DefinitionError, Stack, UnsupportedDefinitionError, load_definition
from vtlgw.apigw.pipeline import BackendError, LambdaResult, invoke

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: {Type: String, Default: prod}
Globals:
  Function:
    Runtime: python3.12
    Timeout: 2
    Environment:
      Variables: {LOG_LEVEL: info, STAGE: !Ref Stage}
Resources:
  OrdersTable:
    Type: AWS::DynamoDB::Table
    Properties: {TableName: !Sub 'orders-${Stage}'}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      DefinitionBody:
        Fn::Transform:
          Name: AWS::Include
          Parameters: {Location: ./openapi.yaml}
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src/
      Handler: app.handler
      Environment:
        Variables: {TABLE_NAME: !Ref OrdersTable, LOG_LEVEL: debug}
"""

OPENAPI = """\
openapi: 3.0.1
info: {title: orders, version: '1'}
paths:
  /orders:
    post:
      responses: {'200': {description: ok}, '504': {description: timeout}}
      x-amazon-apigateway-integration:
        type: aws
        httpMethod: POST
        uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${OrdersFunction.Arn}/invocations'
        requestTemplates:
          application/json: !Sub '{"table": "${OrdersTable}", "sleep": $input.json(''$.sleep'')}'
        responses:
          default: {statusCode: '200'}
          '.*Task timed out.*': {statusCode: '504'}
"""

APP = """\
import os
import time


def handler(event, context):
    if event.get("sleep"):
        time.sleep(event["sleep"])
    return {"event": event, "env": {k: os.environ.get(k) for k in ("TABLE_NAME", "LOG_LEVEL", "STAGE")},
            "remaining": context.get_remaining_time_in_millis()}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "openapi.yaml").write_text(OPENAPI, encoding="utf-8")
    (tmp_path / "template.yaml").write_text(TEMPLATE, encoding="utf-8")
    return tmp_path


def post(definition, body: str = "{}"):
    return invoke(definition, {"httpMethod": "POST", "path": "/orders", "body": body,
                               "headers": {"Content-Type": "application/json"}})


def test_an_included_openapi_is_inlined_with_its_intrinsics_evaluated(project):
    definition = load_definition(project / "template.yaml")
    method = definition.methods[("POST", "/orders")]
    assert method.source.file == str(project / "openapi.yaml")  # errors and warnings cite the included file
    assert method.integration.function_id == "OrdersFunction"
    result = post(definition)
    assert result.status == 200, result.error
    assert result.json()["event"]["table"] == "orders-prod"  # [CFN] Ref of a table is its name


def test_the_function_runs_with_its_environment_set_and_restored(project):
    os.environ.pop("TABLE_NAME", None)
    os.environ["LOG_LEVEL"] = "outer"
    try:
        result = post(load_definition(project / "template.yaml", stack=Stack(parameters={"Stage": "beta"})))
        # the function's variables over the Globals' ones, intrinsics evaluated [CFN: SAM Globals]
        assert result.json()["env"] == {"TABLE_NAME": "orders-beta", "LOG_LEVEL": "debug", "STAGE": "beta"}
        assert "TABLE_NAME" not in os.environ and os.environ["LOG_LEVEL"] == "outer"
    finally:
        os.environ.pop("LOG_LEVEL", None)


def test_the_remaining_time_counts_down_from_the_function_timeout(project):
    definition = load_definition(project / "template.yaml")
    assert definition.functions["OrdersFunction"].timeout_seconds == 2  # from Globals
    assert 1500 < post(definition).json()["remaining"] <= 2000


def test_a_call_past_the_timeout_is_lambdas_timeout_error_which_selection_sees(project):
    result = post(load_definition(project / "template.yaml"), body='{"sleep": 2.2}')
    assert result.status == 504
    assert result.match_value.startswith("RequestId: ") and "Task timed out after 2.00 seconds" in result.match_value


def test_a_given_backend_still_overrides_the_templates_function(project):
    definition = load_definition(project / "template.yaml")
    result = invoke(definition, {"httpMethod": "POST", "path": "/orders", "body": "{}"},
                    backend=LambdaResult({"stand": "in"}))
    assert result.json() == {"stand": "in"}


def test_a_non_python_runtime_names_the_alternatives(project):
    text = (project / "template.yaml").read_text().replace("Runtime: python3.12", "Runtime: nodejs20.x")
    (project / "template.yaml").write_text(text)
    with pytest.raises(BackendError, match=r"has runtime nodejs20.x; vtlgw runs only Python functions in-process. "
                                           r"Give what it returns instead: --lambda-result FILE"):
        post(load_definition(project / "template.yaml"))


def test_a_timeout_out_of_range_is_refused(project):
    text = (project / "template.yaml").read_text().replace("Timeout: 2", "Timeout: 901")
    (project / "template.yaml").write_text(text)
    with pytest.raises(DefinitionError, match=r"/Globals/Function/Timeout: a Lambda Timeout is 1 to 900 seconds"):
        load_definition(project / "template.yaml")


def test_an_include_from_s3_asks_for_a_local_path(project):
    text = (project / "template.yaml").read_text().replace("./openapi.yaml", "s3://bucket/openapi.yaml")
    (project / "template.yaml").write_text(text)
    with pytest.raises(UnsupportedDefinitionError, match=r"AWS::Include from s3://bucket/openapi.yaml cannot be "
                                                         r"read offline: give the file's local path"):
        load_definition(project / "template.yaml")


def test_a_missing_include_is_located(project):
    (project / "openapi.yaml").unlink()
    with pytest.raises(DefinitionError) as caught:
        load_definition(project / "template.yaml")
    assert str(caught.value).startswith(f"{project / 'template.yaml'}:21:34: ")
    assert "AWS::Include Location './openapi.yaml': no such file" in str(caught.value)


def test_an_error_inside_the_included_file_cites_that_file(project):
    (project / "openapi.yaml").write_text(OPENAPI.replace("type: aws", "type: bogus"))
    with pytest.raises(DefinitionError) as caught:
        load_definition(project / "template.yaml")
    assert str(caught.value).startswith(f"{project / 'openapi.yaml'}:8:15:")


def test_json_body_of_the_included_request_template(project):
    result = post(load_definition(project / "template.yaml"), body='{"sleep": 0}')
    assert json.loads(result.integration_request.body) == {"table": "orders-prod", "sleep": 0}
