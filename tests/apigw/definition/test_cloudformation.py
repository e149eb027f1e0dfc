"""CloudFormation (YAML, short-form tags), SAM and CDK (cdk.out) templates."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from vtlgw.apigw.definition import (
    Stack,
    AmbiguousApiError,
    DefinitionError,
    UnsupportedDefinitionError,
    list_api_ids,
    load_definition,
)

DATA = Path(__file__).parent / "data"
CFN = DATA / "orders-cfn.yaml"


def GENERATED(logical_id: str, stack: str = "vtlgw-stack") -> str:  # noqa: N802 - reads as a constant
    """The name CloudFormation generates for a resource the template leaves unnamed, on the supposed stack."""
    return Stack(stack_name=stack).generated_name(logical_id)
SAM = DATA / "inventory-sam.yaml"
CDK_OUT = DATA / "cdk.out"
CDK_TEMPLATE = CDK_OUT / "MyStack.template.json"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


class TestCloudFormationYaml:
    def test_several_apis_need_a_choice(self):
        with pytest.raises(AmbiguousApiError) as info:
            load_definition(CFN)
        assert info.value.candidates == ["OrdersApi", "AdminApi"]
        assert str(info.value) == (
            f"{CFN}: error: several REST APIs are defined; choose one with api=<logical id>: OrdersApi, AdminApi"
        )
        assert list_api_ids(CFN) == ["OrdersApi", "AdminApi"]

    def test_unknown_api_id_lists_the_ids(self):
        with pytest.raises(DefinitionError, match="no REST API 'Nope' here; APIs: OrdersApi, AdminApi"):
            load_definition(CFN, api="Nope")

    def test_resource_chain_and_methods(self):
        api = load_definition(CFN, api="OrdersApi")
        assert api.format == "cloudformation"
        assert api.api_id == "OrdersApi"
        assert api.name == "orders-prod"  # !Sub, evaluated: the Stage parameter's Default [CFN]
        assert load_definition(CFN, api="OrdersApi", evaluate=False).name == "orders-${Stage}"  # rendered readable
        assert api.binary_media_types == ["application/pdf"]
        assert api.resource_paths == ["/", "/orders", "/orders/{id}", "/orders/{id}/items"]
        assert list(api.methods) == [
            ("GET", "/orders/{id}/items"),
            ("POST", "/orders/{id}/items"),
            ("OPTIONS", "/orders/{id}"),
        ]
        other = load_definition(CFN, api="AdminApi")
        assert list(other.methods) == [("GET", "/status")]

    def test_lambda_method(self):
        method = load_definition(CFN, api="OrdersApi").method("GET", "/orders/{id}/items")
        # YAML 1.1: "no" is false, as CloudFormation reads it
        assert method.request_parameters == {"method.request.path.id": True, "method.request.querystring.expand": False}
        assert list(method.method_responses) == ["200", "404", "500"]  # integers in the file
        assert method.method_responses["200"].header_names == ["Cache-Control"]
        integration = method.integration
        # [CFN] Fn::GetAtt of an AWS::Lambda::Function's Arn; a name CloudFormation generates
        assert integration.uri == (
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:"
            f"function:{GENERATED('ItemsFunction')}/invocations"
        )
        assert integration.uri_raw == {"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
                                                  "${ItemsFunction.Arn}/invocations"}
        assert integration.is_lambda
        assert [(r.selection_pattern, r.status_code) for r in integration.integration_responses] == [
            (None, "200"),
            ('.*"errorType":"OrderNotFound".*', "404"),
            ("(\\n|.)*", "500"),
        ]
        template = integration.request_templates[0]
        assert template.source.style == "|"
        lines = CFN.read_text().splitlines()
        first = template.template.splitlines()[1]
        assert lines[template.source.content_line][template.source.content_column - 1 :] == first

    def test_sqs_method_with_join_and_sub(self):
        integration = load_definition(CFN, api="OrdersApi").method("POST", "/orders/{id}/items").integration
        # [CFN] an SQS queue's QueueName attribute; an IAM role's Arn
        assert integration.uri == f"arn:aws:apigateway:us-east-1:sqs:path/123456789012/{GENERATED('ItemsQueue')}"
        assert integration.credentials == f"arn:aws:iam::123456789012:role/{GENERATED('ApiGatewaySqsRole')}"
        assert integration.passthrough_behavior == "NEVER"
        assert integration.timeout_in_millis == 8000  # '8000' as CloudFormation accepts
        template = integration.request_templates[0]
        assert template.substituted and not template.symbolic
        assert "MessageAttribute.1.Value.StringValue=prod&" in template.template
        symbolic = load_definition(CFN, api="OrdersApi", evaluate=False).method("POST", "/orders/{id}/items")
        assert symbolic.integration.request_templates[0].symbolic
        assert "MessageAttribute.1.Value.StringValue=${Stage}&" in symbolic.integration.request_templates[0].template
        # SelectionPattern '' is the default response
        assert [(r.selection_pattern, r.status_code) for r in integration.integration_responses] == [
            (r"5\d{2}", "500"),
            (None, "202"),
        ]

    def test_mock_and_gateway_response(self):
        api = load_definition(CFN, api="OrdersApi")
        options = api.method("OPTIONS", "/orders/{id}")
        assert options.integration.is_mock
        assert options.method_responses["200"].response_parameters == {
            "method.response.header.Access-Control-Allow-Origin": True,
            "method.response.header.Access-Control-Allow-Methods": True,
        }
        assert list(api.gateway_responses) == ["DEFAULT_5XX"]
        response = api.gateway_responses["DEFAULT_5XX"]
        assert response.response_parameters == {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}
        assert response.source.pointer == "/Resources/OrdersDefault5xx"

    def test_sources(self):
        method = load_definition(CFN, api="OrdersApi").method("POST", "/orders/{id}/items")
        assert method.source.pointer == "/Resources/PostItemMethod"
        lines = CFN.read_text().splitlines()
        assert lines[method.source.key_line - 1].strip() == "PostItemMethod:"
        response = method.integration.integration_responses[0]
        assert response.source.pointer == "/Resources/PostItemMethod/Properties/Integration/IntegrationResponses/0"
        assert lines[response.source.line - 1].strip() == "- StatusCode: '500'"


class TestSam:
    def test_definition_body_and_function_events(self):
        api = load_definition(SAM)
        assert api.format == "sam"
        assert api.api_id == "InventoryApi"
        assert api.name == "inventory"
        assert api.binary_media_types == ["image/png", "application/octet-stream"]  # ~1 is /
        assert list(api.methods) == [("GET", "/inventory/{sku}"), ("POST", "/inventory/{sku}/restock")]

    def test_inline_openapi_method(self):
        method = load_definition(SAM).method("GET", "/inventory/{sku}")
        assert method.source.pointer == "/Resources/InventoryApi/Properties/DefinitionBody/paths/~1inventory~1{sku}/get"
        integration = method.integration
        assert integration.uri == (  # an inline OpenAPI body's intrinsics are evaluated too [CFN]
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:"
            f"function:{GENERATED('InventoryFunction')}/invocations"
        )
        assert integration.function_id == "InventoryFunction"
        assert integration.is_lambda and integration.type == "AWS"
        assert integration.passthrough_behavior == "WHEN_NO_TEMPLATES"
        assert [(r.selection_pattern, r.status_code) for r in integration.integration_responses] == [
            (".*UnknownSku.*", "404"),
            (None, "200"),
        ]

    def test_api_event_becomes_lambda_proxy(self):
        method = load_definition(SAM).method("POST", "/inventory/{sku}/restock")
        assert method.integration.type == "AWS_PROXY"
        assert method.integration.is_lambda
        assert method.integration.http_method == "POST"
        assert f":function:{GENERATED('InventoryFunction')}/invocations" in method.integration.uri
        assert method.integration.function_id == "InventoryFunction"
        assert method.source.pointer == "/Resources/InventoryFunction/Properties/Events/Restock/Properties"

    def test_sam_gateway_responses(self):
        response = load_definition(SAM).gateway_responses["UNSUPPORTED_MEDIA_TYPE"]
        assert response.status_code == "415"
        assert response.response_parameters == {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}
        assert list(response.templates) == ["application/json"]

    def test_implicit_api(self, tmp_path):
        path = write(
            tmp_path,
            "implicit.yaml",
            """\
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Hello:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Events:
                    Get:
                      Type: Api
                      Properties: {Path: /hello, Method: any}
            """,
        )
        api = load_definition(path)
        assert api.api_id == "ServerlessRestApi"
        assert list(api.methods) == [("ANY", "/hello")]

    def test_include_from_s3_is_refused_suggesting_a_local_path(self, tmp_path):
        path = write(
            tmp_path,
            "include.yaml",
            """\
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: prod
                  DefinitionBody:
                    Fn::Transform:
                      Name: AWS::Include
                      Parameters:
                        Location: s3://my-bucket/openapi.yaml
            """,
        )
        with pytest.raises(UnsupportedDefinitionError) as info:
            load_definition(path)
        assert str(info.value).startswith(
            f"{path}:11:23: error: /Resources/Api/Properties/DefinitionBody/Fn::Transform/Parameters/Location: "
            "AWS::Include from s3://my-bucket/openapi.yaml cannot be read offline: give the file's local path, "
            "relative to the template (Location: ./openapi.yaml)"
        )

    def test_definition_uri_local_file(self, tmp_path):
        shutil.copy(DATA / "petstore-openapi3.yaml", tmp_path / "openapi.yaml")
        path = write(
            tmp_path,
            "template.yaml",
            """\
            Transform: AWS::Serverless-2016-10-31
            Resources:
              PetApi:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: prod
                  DefinitionUri: ./openapi.yaml
            """,
        )
        api = load_definition(path)
        assert ("GET", "/pets") in api.methods
        assert api.method("GET", "/pets").source.file == str(tmp_path / "openapi.yaml")


class TestCdk:
    def test_cdk_out_directory(self):
        api = load_definition(CDK_OUT)
        assert api.format == "cdk"
        assert api.api_id == "OrdersApi4A2F5D1C"
        assert api.source_file == str(CDK_TEMPLATE)
        assert api.resource_paths == ["/", "/orders", "/orders/{orderId}"]
        assert list(api.methods) == [("GET", "/"), ("POST", "/orders"), ("GET", "/orders/{orderId}")]
        assert api.binary_media_types == ["image/jpeg"]

    def test_template_file_and_choice_by_construct_path(self):
        assert list(load_definition(CDK_TEMPLATE).methods) == list(load_definition(CDK_OUT).methods)
        for choice in ("OrdersApi4A2F5D1C", "MyStack/OrdersApi4A2F5D1C", "MyStack/OrdersApi"):
            assert load_definition(CDK_OUT, api=choice).api_id == "OrdersApi4A2F5D1C"
        assert list_api_ids(CDK_OUT) == ["MyStack/OrdersApi4A2F5D1C"]

    def test_fn_join_uris(self):
        api = load_definition(CDK_OUT)
        lambda_integration = api.method("GET", "/orders/{orderId}").integration
        # Fn::Join evaluated [CFN]; the stack is named after the template, as CDK names it
        assert lambda_integration.uri == (
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:"
            f"function:{GENERATED('OrdersHandler4F1D9E3A', 'MyStack')}/invocations"
        )
        assert lambda_integration.function_id == "OrdersHandler4F1D9E3A"
        assert lambda_integration.is_lambda
        assert lambda_integration.passthrough_behavior == "WHEN_NO_TEMPLATES"
        assert [(r.selection_pattern, r.status_code) for r in lambda_integration.integration_responses] == [
            (None, "200"),
            (".*Not Found.*", "404"),
        ]
        sqs = api.method("POST", "/orders").integration
        queue = GENERATED("OrdersQueueC9B8A7D6", "MyStack")
        assert sqs.uri == f"arn:aws:apigateway:us-east-1:sqs:path/123456789012/{queue}"
        assert sqs.templates == {  # [CFN] Ref of an SQS queue is its URL
            "application/json": f"Action=SendMessage&QueueUrl=https://sqs.us-east-1.amazonaws.com/123456789012/{queue}"
                                "&MessageBody=$util.urlEncode($input.body)"
        }
        assert sqs.request_templates[0].substituted
        symbolic = load_definition(CDK_OUT, evaluate=False).method("POST", "/orders").integration
        assert symbolic.templates == {
            "application/json": "Action=SendMessage&QueueUrl=${OrdersQueueC9B8A7D6}&MessageBody=$util.urlEncode($input.body)"
        }
        assert symbolic.request_templates[0].symbolic

    def test_mock_on_root(self):
        method = load_definition(CDK_OUT).method("GET", "/")
        assert method.integration.templates == {"application/json": '{ "statusCode": 200 }'}
        assert method.integration.integration_responses[0].status_code == "200"

    def test_json_positions_are_lazy_but_exact(self):
        method = load_definition(CDK_TEMPLATE).method("POST", "/orders")
        lines = CDK_TEMPLATE.read_text().splitlines()
        pattern = method.integration.integration_responses[0]
        assert lines[pattern.source.line - 1].strip() == "{"
        assert lines[pattern.source.line].strip() == '"SelectionPattern": "4\\\\d{2}",'

    def test_several_stacks(self, tmp_path):
        out = tmp_path / "cdk.out"
        out.mkdir()
        shutil.copy(CDK_TEMPLATE, out / "MyStack.template.json")
        shutil.copy(CDK_TEMPLATE, out / "OtherStack.template.json")
        with pytest.raises(AmbiguousApiError) as info:
            load_definition(tmp_path)  # the project directory holding cdk.out
        assert info.value.candidates == ["MyStack/OrdersApi4A2F5D1C", "OtherStack/OrdersApi4A2F5D1C"]
        assert "MyStack/OrdersApi4A2F5D1C (MyStack/OrdersApi)" in str(info.value)
        api = load_definition(out, api="OtherStack/OrdersApi4A2F5D1C")
        assert api.source_file == str(out / "OtherStack.template.json")

    def test_asset_body(self, tmp_path):
        out = tmp_path / "cdk.out"
        out.mkdir()
        shutil.copy(DATA / "petstore-openapi3.yaml", out / "asset.0a1b2c3d.yaml")
        template = {
            "Resources": {
                "SpecApi1A2B3C4D": {
                    "Type": "AWS::ApiGateway::RestApi",
                    "Properties": {
                        "BodyS3Location": {
                            "Bucket": {"Fn::Sub": "cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"},
                            "Key": "0a1b2c3d.yaml",
                        },
                        "Name": "SpecApi",
                    },
                    "Metadata": {"aws:cdk:path": "SpecStack/SpecApi/Resource"},
                }
            }
        }
        (out / "SpecStack.template.json").write_text(json.dumps(template, indent=1))
        api = load_definition(out)
        assert api.name == "SpecApi"
        assert ("GET", "/pets") in api.methods
