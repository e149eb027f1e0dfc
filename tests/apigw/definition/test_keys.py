"""Misspelt keys in integration objects: a located warning with a did-you-mean, or CloudFormation's refusal."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from vtlgw.apigw.definition import DefinitionError, load_definition
from vtlgw.apigw.definition.keys import (
    AWSCLI_INTEGRATION,
    CLOUDFORMATION_INTEGRATION,
    CLOUDFORMATION_INTEGRATION_RESPONSE,
    OPENAPI_INTEGRATION,
    OPENAPI_INTEGRATION_RESPONSE,
    UnknownKeyError,
    did_you_mean,
)
from vtlgw.cli import main
from vtlgw.lint import lint
from vtlgw.vtl.diagnostics import Severity

INTEGRATION = "/paths/~1pets/get/x-amazon-apigateway-integration"

OPENAPI = """\
openapi: 3.0.1
info: {{title: t, version: '1'}}
paths:
  /pets:
    get:
      responses:
        '200': {{description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{{"statusCode": 200}}'
{extra}"""

CLOUDFORMATION = """\
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {{Name: t}}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: NONE
      MethodResponses:
        - StatusCode: 200
      Integration:
        Type: MOCK
{extra}"""


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Files are loaded by relative name, so locations read ``api.yaml:12:7``."""
    monkeypatch.chdir(tmp_path)


def write(tmp_path: Path, text: str, name: str = "api.yaml") -> str:
    (tmp_path / name).write_text(text)
    return name


def warnings_of(path: str) -> list[str]:
    definition = load_definition(path)
    return [str(note.diagnostic()) for method in definition.methods.values() for note in method.not_emulated]


# ---------------------------------------------------------------------------- suggestions


@pytest.mark.parametrize("key, table, meant", [
    ("requestTemplate", OPENAPI_INTEGRATION, "requestTemplates"),
    ("RequestTemplates", OPENAPI_INTEGRATION, "requestTemplates"),  # the same word in another case
    ("integrationResponses", OPENAPI_INTEGRATION, "responses"),  # another format's name
    ("integrationHttpMethod", OPENAPI_INTEGRATION, "httpMethod"),
    ("RequestTemplate", CLOUDFORMATION_INTEGRATION, "RequestTemplates"),
    ("requestTemplates", CLOUDFORMATION_INTEGRATION, "RequestTemplates"),
    ("HttpMethod", CLOUDFORMATION_INTEGRATION, "IntegrationHttpMethod"),
    ("responses", CLOUDFORMATION_INTEGRATION, "IntegrationResponses"),
    ("responses", AWSCLI_INTEGRATION, "integrationResponses"),
    ("ResponseTemplate", CLOUDFORMATION_INTEGRATION_RESPONSE, "ResponseTemplates"),
    ("statuscode", OPENAPI_INTEGRATION_RESPONSE, "statusCode"),
])
def test_suggestion(key, table, meant):
    assert table.suggestion(key) == meant


def test_no_suggestion_for_an_unrelated_key():
    assert did_you_mean("description", OPENAPI_INTEGRATION.known) is None
    assert "did you mean" not in OPENAPI_INTEGRATION.message("description")


def test_every_documented_key_is_known():
    """The keys the loader reads are all in the tables (a table missing one would warn on valid definitions)."""
    from vtlgw.apigw.definition.common import CAMEL, PASCAL

    for field in vars(CAMEL).values():
        assert field in OPENAPI_INTEGRATION.known | OPENAPI_INTEGRATION_RESPONSE.known | {"selectionPattern"}
        assert field in AWSCLI_INTEGRATION.known | {"statusCode", "selectionPattern", "responseParameters",
                                                    "responseTemplates"}
    for field in vars(PASCAL).values():
        assert field in CLOUDFORMATION_INTEGRATION.known | CLOUDFORMATION_INTEGRATION_RESPONSE.known


# ---------------------------------------------------------------------------- OpenAPI: warnings


def test_openapi_typos_are_located_warnings_and_the_api_still_loads(tmp_path):
    extra = ("        integrationResponses:\n          default: {statusCode: '200'}\n"
             "        responses:\n          default:\n            statusCode: '200'\n"
             "            responseTemplate: {application/json: '{}'}\n")
    path = write(tmp_path, OPENAPI.format(extra=extra))
    assert warnings_of(path) == [
        f"api.yaml:12:9: warning: {INTEGRATION}/integrationResponses: GET /pets: unknown key 'integrationResponses' "
        "in x-amazon-apigateway-integration (did you mean 'responses'?): API Gateway ignores it, so the setting "
        "it holds has no effect",
        f"api.yaml:17:13: warning: {INTEGRATION}/responses/default/responseTemplate: GET /pets: unknown key "
        "'responseTemplate' in an x-amazon-apigateway-integration response (did you mean 'responseTemplates'?): "
        "API Gateway ignores it, so the setting it holds has no effect",
    ]


def test_selection_pattern_inside_an_openapi_response_is_explained(tmp_path):
    extra = "        responses:\n          default:\n            statusCode: '200'\n            selectionPattern: x\n"
    [found] = warnings_of(write(tmp_path, OPENAPI.format(extra=extra)))
    assert "the selection pattern is the key of the response under 'responses'" in found
    assert found.startswith("api.yaml:15:13: warning:")


def test_a_correct_openapi_integration_has_no_warning(tmp_path):
    extra = ("        passthroughBehavior: when_no_templates\n        x-vendor-note: extensions are allowed\n"
             "        responses:\n          default: {statusCode: '200', responseTemplates: {application/json: ''}}\n")
    assert warnings_of(write(tmp_path, OPENAPI.format(extra=extra))) == []


def test_openapi_json_typo_is_located_at_the_key(tmp_path):
    body = {"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {"/pets": {"get": {
        "responses": {"200": {"description": "ok"}},
        "x-amazon-apigateway-integration": {"type": "mock", "RequestTemplates": {"application/json": "{}"}}}}}}
    path = write(tmp_path, json.dumps(body, indent=2), "api.json")
    [found] = warnings_of(path)
    assert found.startswith("api.json:17:11: warning:")
    assert "(did you mean 'requestTemplates'?)" in found


def test_vtlgw_invoke_prints_the_warning_on_stderr(tmp_path):
    path = write(tmp_path, OPENAPI.format(extra="        responses:\n          default: {statusCode: '200'}\n"
                                                "        timeoutInMilis: 1000\n"))
    result = CliRunner().invoke(main, ["invoke", "-a", path, "-X", "GET", "-p", "/pets"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert ("api.yaml:14:9: warning: /paths/~1pets/get/x-amazon-apigateway-integration/timeoutInMilis: GET /pets: "
            "unknown key 'timeoutInMilis' in x-amazon-apigateway-integration (did you mean 'timeoutInMillis'?)"
            ) in result.stderr
    assert "Status: 200" in result.stdout


# ---------------------------------------------------------------------------- AWS CLI output: warnings


def test_aws_cli_get_method_typos_are_warnings(tmp_path):
    text = json.dumps({
        "httpMethod": "GET", "methodResponses": {"200": {"statusCode": "200"}},
        "methodIntegration": {"type": "MOCK", "responses": {},
                              "integrationResponses": {"200": {"statusCode": "200", "responseTemplate": {}}}},
    }, indent=2)
    found = warnings_of(write(tmp_path, text, "get-method.json"))
    assert [line.split(": warning: ")[0] for line in found] == ["get-method.json:10:5", "get-method.json:14:9"]
    assert "unknown key 'responses' in methodIntegration (did you mean 'integrationResponses'?)" in found[0]
    assert "unknown key 'responseTemplate' in an integrationResponses entry (did you mean 'responseTemplates'?)" \
        in found[1]


# ---------------------------------------------------------------------------- CloudFormation: refused


def test_cloudformation_integration_typo_is_an_error_with_the_suggestion(tmp_path):
    extra = "        RequestTemplate:\n          application/json: '{\"statusCode\": 200}'\n"
    with pytest.raises(DefinitionError) as info:
        load_definition(write(tmp_path, CLOUDFORMATION.format(extra=extra)))
    assert isinstance(info.value, UnknownKeyError)
    assert str(info.value) == (
        "api.yaml:16:9: error: /Resources/Get/Properties/Integration/RequestTemplate: unknown key "
        "'RequestTemplate' in the Integration of an AWS::ApiGateway::Method (did you mean 'RequestTemplates'?): "
        "CloudFormation refuses the template (extraneous key is not permitted)")


def test_cloudformation_integration_response_typo_is_an_error(tmp_path):
    extra = "        IntegrationResponses:\n          - StatusCode: 200\n            ResponseTemplate: {}\n"
    with pytest.raises(UnknownKeyError) as info:
        load_definition(write(tmp_path, CLOUDFORMATION.format(extra=extra)))
    assert info.value.pointer == "/Resources/Get/Properties/Integration/IntegrationResponses/0/ResponseTemplate"
    assert (info.value.line, info.value.column) == (18, 13)
    assert "(did you mean 'ResponseTemplates'?)" in info.value.message


def test_lenient_cloudformation_load_keeps_the_integration_and_records_the_problems(tmp_path):
    extra = ("        requestTemplates: {application/json: '{}'}\n        IntegrationResponses:\n"
             "          - StatusCode: 200\n            selectionpattern: x\n")
    definition = load_definition(write(tmp_path, CLOUDFORMATION.format(extra=extra)), strict=False)
    assert [(p.line, p.message.split(" (")[0]) for p in definition.problems] == [
        (16, "unknown key 'requestTemplates' in the Integration of an AWS::ApiGateway::Method"),
        (19, "unknown key 'selectionpattern' in an IntegrationResponses entry of an AWS::ApiGateway::Method"),
    ]
    assert definition.method("GET", "/").integration.type == "MOCK"


def test_a_correct_cloudformation_integration_loads(tmp_path):
    extra = ("        RequestTemplates: {application/json: '{\"statusCode\": 200}'}\n        IntegrationResponses:\n"
             "          - StatusCode: 200\n            SelectionPattern: ''\n            ResponseTemplates: {}\n")
    definition = load_definition(write(tmp_path, CLOUDFORMATION.format(extra=extra)))
    assert definition.method("GET", "/").not_emulated == []


def test_openapi_body_in_cloudformation_only_warns(tmp_path):
    """A RestApi Body goes through API Gateway's importer, which ignores unknown keys: a warning, not an error."""
    text = textwrap.dedent("""\
        Resources:
          Api:
            Type: AWS::ApiGateway::RestApi
            Properties:
              Body:
                openapi: 3.0.1
                info: {title: t, version: '1'}
                paths:
                  /pets:
                    get:
                      x-amazon-apigateway-integration:
                        type: mock
                        requestTemplate: {application/json: '{}'}
        """)
    found = warnings_of(write(tmp_path, text))
    assert len(found) == 1 and found[0].startswith("api.yaml:13:") and "did you mean 'requestTemplates'?" in found[0]


# ---------------------------------------------------------------------------- the linter


def test_lint_reports_the_cloudformation_typo_once_as_an_error(tmp_path):
    extra = "        RequestTemplate:\n          application/json: '{\"statusCode\": 200}'\n"
    found = [d for d in lint([write(tmp_path, CLOUDFORMATION.format(extra=extra))]) if d.code in ("VTL000", "VTL503")]
    assert [(d.code, d.severity, d.location.line, d.location.column) for d in found] == [
        ("VTL503", Severity.ERROR, 16, 9)]
    assert "did you mean RequestTemplates?" in found[0].message
    assert "CloudFormation refuses the template" in found[0].message


def test_lint_reports_the_openapi_typo_as_a_warning(tmp_path):
    path = write(tmp_path, OPENAPI.format(extra="        integrationResponses: {}\n"))
    found = [d for d in lint([path]) if d.code in ("VTL000", "VTL503")]
    assert [(d.code, d.severity, d.location.line) for d in found] == [("VTL503", Severity.WARNING, 12)]


def test_lint_is_quiet_on_correct_keys(tmp_path):
    extra = "        RequestTemplates: {application/json: '{\"statusCode\": 200}'}\n"
    assert [d for d in lint([write(tmp_path, CLOUDFORMATION.format(extra=extra))])
            if d.code in ("VTL000", "VTL503")] == []
