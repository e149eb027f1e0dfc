"""What API Gateway would reject is reported with file, line:col and JSON pointer."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from vtlgw.apigw.definition import DefinitionError, UnsupportedDefinitionError, load_definition
from vtlgw.vtl.errors import VtlError

OPENAPI_HEAD = """\
openapi: 3.0.1
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200': {description: ok}
      x-amazon-apigateway-integration:
"""


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Files are loaded by relative name, so messages read ``api.yaml:12:7: ...``."""
    monkeypatch.chdir(tmp_path)


def load_text(tmp_path: Path, name: str, text: str, **kw):
    (tmp_path / name).write_text(textwrap.dedent(text))
    return load_definition(name, **kw)


def error_of(tmp_path: Path, name: str, text: str, **kw) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        load_text(tmp_path, name, text, **kw)
    return info.value


def openapi_error(tmp_path: Path, integration: str) -> DefinitionError:
    body = OPENAPI_HEAD + textwrap.indent(textwrap.dedent(integration), " " * 8)
    return error_of(tmp_path, "api.yaml", body)


INTEGRATION = "/paths/~1pets/get/x-amazon-apigateway-integration"


class TestOpenApiErrors:
    def test_status_code_of_the_wrong_type(self, tmp_path):
        err = openapi_error(
            tmp_path,
            """\
            type: mock
            responses:
              default:
                statusCode: {code: 200}
            """,
        )
        assert isinstance(err, VtlError)
        assert str(err) == (
            f"api.yaml:12:25: error: {INTEGRATION}/responses/default/statusCode: "
            "expected a string or integer, got a mapping"
        )
        assert (err.file, err.line, err.column) == ("api.yaml", 12, 25)
        assert err.pointer == f"{INTEGRATION}/responses/default/statusCode"

    def test_missing_status_code(self, tmp_path):
        err = openapi_error(
            tmp_path,
            """\
            type: mock
            responses:
              default:
                responseTemplates: {application/json: '{}'}
            """,
        )
        assert str(err) == f"api.yaml:12:13: error: {INTEGRATION}/responses/default: missing required key 'statusCode'"

    def test_selection_pattern_that_is_not_a_java_regex(self, tmp_path):
        # Refused at load (API Gateway refuses it at deploy), even where no response would reach it.
        err = openapi_error(
            tmp_path,
            """\
            type: mock
            responses:
              default: {statusCode: '200'}
              '(': {statusCode: '404'}
            """,
        )
        assert err.pointer == f"{INTEGRATION}/responses/("
        assert err.message.startswith("selectionPattern '(' is not a valid Java regex: Unclosed group")
        assert (err.line, err.column) == (12, 16)

    def test_invalid_status_code(self, tmp_path):
        err = openapi_error(tmp_path, "type: mock\nresponses:\n  default: {statusCode: '20'}\n")
        assert err.pointer == f"{INTEGRATION}/responses/default/statusCode"
        assert err.message == "invalid status code '20': expected three digits from 100 to 599"

    def test_template_key_that_is_not_a_media_type(self, tmp_path):
        err = openapi_error(
            tmp_path,
            """\
            type: mock
            requestTemplates:
              application/json: '{"statusCode": 200}'
              json: '{}'
            """,
        )
        assert str(err) == f"api.yaml:12:17: error: {INTEGRATION}/requestTemplates/json: Invalid content type specified: 'json'"

    def test_response_template_key(self, tmp_path):
        err = openapi_error(
            tmp_path,
            """\
            type: mock
            responses:
              default:
                statusCode: '200'
                responseTemplates:
                  'application json': '{}'
            """,
        )
        assert err.pointer == f"{INTEGRATION}/responses/default/responseTemplates/application json"
        assert "Invalid content type specified" in err.message

    def test_media_type_forms_accepted_by_aws(self, tmp_path):
        api = load_text(
            tmp_path,
            "ok.yaml",
            OPENAPI_HEAD + textwrap.indent(
                textwrap.dedent(
                    """\
                    type: mock
                    requestTemplates:
                      application/json; charset=UTF-8: a
                      application/*: b
                      $default: c
                      application/vnd.api+json: d
                    """
                ),
                " " * 8,
            ),
        )
        assert list(api.method("GET", "/pets").integration.templates) == [
            "application/json; charset=UTF-8", "application/*", "$default", "application/vnd.api+json",
        ]

    def test_template_must_be_text(self, tmp_path):
        err = openapi_error(tmp_path, "type: mock\nrequestTemplates:\n  application/json: 42\n")
        assert err.message == "expected the template text as a string, got a number"

    def test_unknown_integration_type(self, tmp_path):
        err = openapi_error(tmp_path, "type: lambda\nuri: x\n")
        assert str(err) == (
            f"api.yaml:9:15: error: {INTEGRATION}/type: unknown integration type 'lambda': "
            "expected one of MOCK, AWS, AWS_PROXY, HTTP, HTTP_PROXY"
        )

    def test_missing_type(self, tmp_path):
        err = openapi_error(tmp_path, "requestTemplates: {application/json: '{}'}\n")
        assert err.message == "missing required key 'type' (the integration type)"
        assert err.pointer == INTEGRATION

    def test_unknown_passthrough_behavior(self, tmp_path):
        err = openapi_error(tmp_path, "type: mock\npassthroughBehavior: when_no_template\n")
        assert err.message.startswith("unknown passthrough behavior 'when_no_template'")

    def test_uri_checks(self, tmp_path):
        err = openapi_error(tmp_path, "type: http\nhttpMethod: GET\nuri: backend.example.com/pets\n")
        assert err.message == "Invalid HTTP endpoint specified for URI: 'backend.example.com/pets'"
        err = openapi_error(tmp_path, "type: aws\nhttpMethod: POST\nuri: arn:aws:lambda:us-east-1:123:function:f\n")
        assert err.message.startswith("AWS ARN for integration must contain path or action")
        err = openapi_error(tmp_path, "type: http\nhttpMethod: GET\n")
        assert err.message == "missing required key 'uri' (needed by HTTP integrations)"
        err = openapi_error(tmp_path, "type: http\nuri: https://example.com\n")
        assert err.message == "missing required key 'httpMethod' (needed by HTTP integrations)"
        err = openapi_error(
            tmp_path, "type: aws_proxy\nhttpMethod: POST\nuri: arn:aws:apigateway:us-east-1:sqs:path/1/q\n"
        )
        assert err.message.startswith("Integrations of type 'AWS_PROXY' currently only supports Lambda")

    def test_timeout(self, tmp_path):
        err = openapi_error(tmp_path, "type: mock\ntimeoutInMillis: soon\n")
        assert err.message == "expected an integer number of milliseconds, got a string"
        err = openapi_error(tmp_path, "type: mock\ntimeoutInMillis: 10\n")
        assert err.message == "timeout 10 ms is below the minimum of 50 ms"

    def test_two_responses_for_one_status(self, tmp_path):
        err = openapi_error(
            tmp_path,
            """\
            type: http
            httpMethod: GET
            uri: https://example.com
            responses:
              4\\d{2}: {statusCode: '400'}
              .*Invalid.*: {statusCode: '400'}
            """,
        )
        assert err.pointer == f"{INTEGRATION}/responses/.*Invalid.*"
        assert err.message == (
            "a second integration response for status 400 (first at line 13): "
            "API Gateway keeps one integration response per status code, so one of the two would be lost"
        )

    def test_bad_path_part(self, tmp_path):
        err = error_of(tmp_path, "p.yaml", "openapi: 3.0.1\npaths:\n  /pets/{id}.json:\n    get: {}\n")
        assert err.pointer == "/paths/~1pets~1{id}.json"
        assert err.message.startswith("invalid path part '{id}.json': Resource's path part only allow")

    def test_sibling_variables(self, tmp_path):
        err = error_of(
            tmp_path,
            "s.yaml",
            "openapi: 3.0.1\npaths:\n  /pets/{id}:\n    get: {}\n  /pets/{petId}/toys:\n    get: {}\n",
        )
        assert str(err) == (
            "s.yaml:6:5: error: /paths/~1pets~1{petId}~1toys: resource '/pets/{petId}/toys': A sibling ({id}) of "
            "this resource already has a variable path part -- only one is allowed"
        )

    def test_greedy_with_children(self, tmp_path):
        err = error_of(tmp_path, "g.yaml", "openapi: 3.0.1\npaths:\n  /{proxy+}/x:\n    get: {}\n")
        assert "cannot have child resources" in err.message

    def test_unknown_gateway_response_type(self, tmp_path):
        err = error_of(
            tmp_path,
            "gw.yaml",
            "openapi: 3.0.1\nx-amazon-apigateway-gateway-responses:\n  NOT_FOUND: {statusCode: 404}\npaths: {}\n",
        )
        assert str(err) == (
            "gw.yaml:3:14: error: /x-amazon-apigateway-gateway-responses/NOT_FOUND: "
            "unknown gateway response type 'NOT_FOUND'"
        )

    def test_external_ref(self, tmp_path):
        with pytest.raises(UnsupportedDefinitionError, match="external reference 'common.yaml#/Limit'"):
            load_text(
                tmp_path,
                "r.yaml",
                "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: common.yaml#/Limit\n",
            )

    def test_unresolved_ref(self, tmp_path):
        err = error_of(
            tmp_path,
            "r.yaml",
            "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Nope'\n",
        )
        assert err.pointer == "/paths/~1a/get/parameters/0/$ref"
        assert err.message == "unresolved reference '#/components/parameters/Nope'"

    def test_duplicate_key_is_an_error(self, tmp_path):
        err = error_of(tmp_path, "d.yaml", "openapi: 3.0.1\npaths:\n  /a:\n    get: {}\n  /a:\n    put: {}\n")
        assert str(err) == "d.yaml:5:3: error: /paths/~1a: duplicate key (first defined at line 3)"

    def test_json_status_code(self, tmp_path):
        doc = {
            "swagger": "2.0",
            "paths": {"/pets": {"get": {"x-amazon-apigateway-integration": {
                "type": "mock", "responses": {"default": {"statusCode": [200]}}}}}},
        }
        path = tmp_path / "api.json"
        path.write_text(json.dumps(doc, indent=2))
        with pytest.raises(DefinitionError) as info:
            load_definition(path)
        err = info.value
        lines = path.read_text().splitlines()
        assert lines[err.line - 1][err.column - 1 :].startswith("[")
        assert err.pointer == f"{INTEGRATION}/responses/default/statusCode"


CFN_HEAD = """\
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: api}
  Pets:
    Type: AWS::ApiGateway::Resource
    Properties:
      RestApiId: !Ref Api
      ParentId: !GetAtt Api.RootResourceId
      PathPart: pets
  GetPets:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Pets
"""


def cfn_error(tmp_path: Path, properties: str) -> DefinitionError:
    body = CFN_HEAD + textwrap.indent(textwrap.dedent(properties), " " * 6)
    return error_of(tmp_path, "t.yaml", body)


class TestCloudFormationErrors:
    def test_selection_pattern_that_is_not_a_java_regex(self, tmp_path):
        err = cfn_error(
            tmp_path,
            """\
            HttpMethod: GET
            Integration:
              Type: MOCK
              IntegrationResponses:
                - StatusCode: 400
                  SelectionPattern: '4\\d{2'
            """,
        )
        assert err.pointer.endswith("/IntegrationResponses/0/SelectionPattern")
        assert "is not a valid Java regex" in err.message

    def test_selection_pattern_not_a_string(self, tmp_path):
        err = cfn_error(
            tmp_path,
            """\
            HttpMethod: GET
            Integration:
              Type: MOCK
              IntegrationResponses:
                - StatusCode: 400
                  SelectionPattern: ['4\\d{2}']
            """,
        )
        assert str(err) == (
            "t.yaml:22:31: error: /Resources/GetPets/Properties/Integration/IntegrationResponses/0/SelectionPattern: "
            "expected a string, got a list"
        )

    def test_scalar_selection_pattern_is_converted(self, tmp_path):
        path = tmp_path / "ok.yaml"
        path.write_text(CFN_HEAD + textwrap.indent(textwrap.dedent(
            """\
            HttpMethod: GET
            Integration:
              Type: HTTP
              IntegrationHttpMethod: GET
              Uri: https://example.com
              IntegrationResponses:
                - StatusCode: 404
                  SelectionPattern: 404
                - StatusCode: 200
            """), " " * 6))
        responses = load_definition(path).method("GET", "/pets").integration.integration_responses
        assert [(r.selection_pattern, r.status_code) for r in responses] == [("404", "404"), (None, "200")]

    def test_missing_status_code(self, tmp_path):
        err = cfn_error(
            tmp_path,
            """\
            HttpMethod: GET
            Integration:
              Type: MOCK
              IntegrationResponses:
                - SelectionPattern: ''
            """,
        )
        assert err.pointer == "/Resources/GetPets/Properties/Integration/IntegrationResponses/0"
        assert err.message == "missing required key 'StatusCode'"
        assert (err.line, err.column) == (21, 13)

    def test_intrinsic_where_a_literal_is_needed(self, tmp_path):
        # Intrinsics are evaluated as CloudFormation would; one that names an undefined condition is refused.
        err = cfn_error(tmp_path, "HttpMethod: !If [IsProd, GET, POST]\n")
        assert err.message == "condition 'IsProd' is not defined in Conditions"
        assert err.pointer == "/Resources/GetPets/Properties/HttpMethod/Fn::If"

    def test_unresolvable_parent(self, tmp_path):
        err = error_of(
            tmp_path,
            "p.yaml",
            """\
            Resources:
              Api:
                Type: AWS::ApiGateway::RestApi
              Pets:
                Type: AWS::ApiGateway::Resource
                Properties:
                  RestApiId: !Ref Api
                  ParentId: !ImportValue shared-root-id
                  PathPart: pets
            """,
        )
        assert str(err) == (
            "p.yaml:8:17: error: /Resources/Pets/Properties/ParentId: cannot resolve this resource id (the intrinsic "
            "function Fn::ImportValue): expected !GetAtt Api.RootResourceId or !Ref to an AWS::ApiGateway::Resource "
            "of this API"
        )

    def test_parent_loop(self, tmp_path):
        err = error_of(
            tmp_path,
            "loop.yaml",
            """\
            Resources:
              Api:
                Type: AWS::ApiGateway::RestApi
              A:
                Type: AWS::ApiGateway::Resource
                Properties: {RestApiId: !Ref Api, ParentId: !Ref B, PathPart: a}
              B:
                Type: AWS::ApiGateway::Resource
                Properties: {RestApiId: !Ref Api, ParentId: !Ref A, PathPart: b}
            """,
        )
        assert err.message == "ParentId chain loops: A -> B -> A"

    def test_method_defined_twice(self, tmp_path):
        text = CFN_HEAD + "      HttpMethod: GET\n" + (
            "  GetPetsAgain:\n"
            "    Type: AWS::ApiGateway::Method\n"
            "    Properties:\n"
            "      RestApiId: !Ref Api\n"
            "      ResourceId: !Ref Pets\n"
            "      HttpMethod: get\n"
        )
        err = error_of(tmp_path, "twice.yaml", text)
        assert err.pointer == "/Resources/GetPetsAgain"
        assert err.message.startswith("method GET /pets is defined twice (first at twice.yaml:13:")

    def test_no_api(self, tmp_path):
        err = error_of(tmp_path, "none.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
        assert "no REST API found" in str(err)


class TestFiles:
    def test_missing_file(self, tmp_path):
        with pytest.raises(DefinitionError, match=r"missing.yaml: error: cannot read file"):
            load_definition(tmp_path / "missing.yaml")

    def test_not_a_definition(self, tmp_path):
        err = error_of(tmp_path, "x.yaml", "name: something else\n")
        assert str(err).startswith("x.yaml: error: not a recognised API definition: expected OpenAPI")
        assert err.message.startswith("not a recognised API definition")

    def test_empty_cdk_out(self, tmp_path):
        with pytest.raises(DefinitionError, match="no \\*.template.json"):
            load_definition(tmp_path)


class TestLenient:
    def test_problems_are_collected(self, tmp_path):
        api = load_text(
            tmp_path,
            "lenient.yaml",
            OPENAPI_HEAD + textwrap.indent(
                textwrap.dedent(
                    """\
                    type: mock
                    passthroughBehavior: sometimes
                    requestTemplates:
                      json: '{"statusCode": 200}'
                    responses:
                      default: {}
                      .*: {statusCode: '200'}
                    """
                ),
                " " * 8,
            ),
            strict=False,
        )
        assert [e.message for e in api.problems] == [
            "Invalid content type specified: 'json'",
            "unknown passthrough behavior 'sometimes': expected one of WHEN_NO_MATCH, WHEN_NO_TEMPLATES, NEVER",
            "missing required key 'statusCode'",
        ]
        integration = api.method("GET", "/pets").integration
        assert integration.passthrough_behavior == "WHEN_NO_MATCH"
        assert integration.templates == {"json": '{"statusCode": 200}'}  # kept for the linter
        assert [r.selection_pattern for r in integration.integration_responses] == [".*"]
