"""A refused integration URI is reported with what is wrong with it, not with a symptom of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from vtlgw.apigw.definition import DefinitionError, load_definition
from vtlgw.lint import lint

OPENAPI = """\
openapi: 3.0.1
info: {{title: t, version: '1'}}
paths:
  /run:
    post:
      responses:
        '200': {{description: ok}}
      x-amazon-apigateway-integration:
        type: {kind}
        httpMethod: POST
        uri: '{uri}'
"""

CLOUDFORMATION = """\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {{Name: t}}
  Run:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: POST
      AuthorizationType: NONE
      Integration:
        Type: AWS
        IntegrationHttpMethod: POST
        Uri: {uri}
"""

SFN = "arn:aws:apigateway:${AWS::Region}:states:action/StartSyncExecution"


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def write(tmp_path: Path, text: str, name: str = "api.yaml") -> str:
    (tmp_path / name).write_text(text)
    return name


def openapi_error(tmp_path: Path, uri: str, kind: str = "aws") -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        load_definition(write(tmp_path, OPENAPI.format(kind=kind, uri=uri)))
    return info.value


def cloudformation_error(tmp_path: Path, uri: str) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        load_definition(write(tmp_path, CLOUDFORMATION.format(uri=uri)))
    return info.value


# ---------------------------------------------------------------------------- unsubstituted ${...}


def test_placeholder_in_an_openapi_uri_is_named_with_the_literal_to_write(tmp_path):
    err = openapi_error(tmp_path, SFN)
    assert str(err) == (
        "api.yaml:11:14: error: /paths/~1run/post/x-amazon-apigateway-integration/uri: the integration ARN holds an "
        "unsubstituted ${AWS::Region} (nothing replaces it in a plain string): an OpenAPI definition is imported "
        "as written: put the region, such as us-east-1, in its place: "
        "'arn:aws:apigateway:${AWS::Region}:states:action/StartSyncExecution'")
    assert "must contain path or action" not in err.message


def test_placeholder_in_a_plain_cloudformation_uri_suggests_sub(tmp_path):
    err = cloudformation_error(tmp_path, SFN)
    assert err.pointer == "/Resources/Run/Properties/Integration/Uri"
    assert err.message.startswith("the integration ARN holds an unsubstituted ${AWS::Region}")
    assert "only inside Fn::Sub: write the value as !Sub '...' (Fn::Sub)" in err.message
    assert "must contain path or action" not in err.message


def test_the_same_uri_inside_sub_loads(tmp_path):
    definition = load_definition(write(tmp_path, CLOUDFORMATION.format(uri=f"!Sub '{SFN}'")))
    assert definition.method("POST", "/").integration.uri.startswith("arn:aws:apigateway:us-east-1:states:")


def test_other_placeholders_are_named_too(tmp_path):
    err = openapi_error(tmp_path, "arn:${AWS::Partition}:apigateway:us-east-1:sqs:path/123456789012/orders")
    assert "unsubstituted ${AWS::Partition}" in err.message
    assert "put the partition, aws, in its place" in err.message


def test_placeholder_in_an_http_endpoint(tmp_path):
    err = openapi_error(tmp_path, "${BackendUrl}/orders", kind="http")
    assert err.message.startswith("the HTTP endpoint holds an unsubstituted ${BackendUrl}")
    assert "put the literal value in its place" in err.message


@pytest.mark.parametrize("kind, uri", [
    ("http", "${stageVariables.backend}/orders"),
    ("aws", "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
            "arn:aws:lambda:us-east-1:123456789012:function:${stageVariables.fn}/invocations"),
    ("aws", "arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders"),
    ("aws", "arn:aws-cn:apigateway:cn-north-1:states:action/StartExecution"),
])
def test_valid_uris_still_load(tmp_path, kind, uri):
    load_definition(write(tmp_path, OPENAPI.format(kind=kind, uri=uri)))


# ---------------------------------------------------------------------------- the parts of the ARN


@pytest.mark.parametrize("uri, cause", [
    ("arn:aws:apigateway::lambda:path/2015-03-31/functions/f/invocations",
     "the integration ARN has no region (arn:aws:apigateway:<region>:lambda:...)"),
    ("arn:aws:apigateway:lambda:path/2015-03-31/functions/f/invocations",
     "the integration ARN has no region: 'lambda' is where the region goes, expected "
     "arn:aws:apigateway:<region>:lambda:path/..."),
    ("arn:aws:apigateway:us-east-1::path/123456789012/orders",
     "the integration ARN names no AWS service after the region 'us-east-1'"),
    ("arn:aws:apigateway:us-east-1:path/123456789012/orders",
     "the integration ARN names no AWS service after the region 'us-east-1': expected "
     "arn:aws:apigateway:us-east-1:<service>:path/..."),
    ("arn:aws:states:us-east-1:123456789012:stateMachine:m",
     "the integration ARN names the service 'states' where API Gateway's own ARN is needed ('apigateway')"),
    ("sqs.us-east-1.amazonaws.com/123456789012/orders", "the integration URI is not an ARN"),
    ("arn:aws:apigateway:us-east-1:sqs:send/orders",
     "AWS ARN for integration must contain path or action: after the service 'sqs' comes 'path/<path>' or "
     "'action/<Action>', not 'send'"),
    ("arn:aws:apigateway:us-east-1:sqs:action",
     "AWS ARN for integration must contain path or action: 'action' is not followed by the Action"),
])
def test_each_malformed_arn_names_its_cause(tmp_path, uri, cause):
    err = openapi_error(tmp_path, uri)
    assert err.message.startswith(cause), err.message
    assert err.message.endswith(f": {uri!r}")


def test_lambda_function_arn_names_the_invocation_uri_to_use(tmp_path):
    err = openapi_error(tmp_path, "arn:aws:lambda:eu-west-1:123456789012:function:orders")
    assert err.message.startswith("AWS ARN for integration must contain path or action: this is the Lambda "
                                  "function's ARN")
    assert "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/<that ARN>/invocations" in err.message


def test_aws_proxy_to_another_service_keeps_api_gateways_message(tmp_path):
    err = openapi_error(tmp_path, "arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders", kind="aws_proxy")
    assert err.message.startswith("Integrations of type 'AWS_PROXY' currently only supports Lambda function")


# ---------------------------------------------------------------------------- the linter


def test_lint_reports_the_cloudformation_placeholder_once(tmp_path):
    """VTL501 (placeholder outside Fn::Sub) owns the finding; the loader's problem is not repeated as VTL000."""
    found = [d for d in lint([write(tmp_path, CLOUDFORMATION.format(uri=SFN))]) if d.code in ("VTL000", "VTL501")]
    assert [d.code for d in found] == ["VTL501"]


def test_lint_reports_a_missing_region_as_vtl000_with_the_cause(tmp_path):
    uri = "arn:aws:apigateway::sqs:path/123456789012/orders"
    found = [d for d in lint([write(tmp_path, OPENAPI.format(kind="aws", uri=uri))]) if d.code == "VTL000"]
    assert len(found) == 1 and "the integration ARN has no region" in found[0].message
