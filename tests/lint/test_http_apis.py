"""HTTP API definitions are linted without REST's integration rules: their `overwrite:path` and
`append:header.x` mappings and `{proxy}` URIs are valid HTTP API parameter mapping (AWS docs,
http-api-parameter-mapping), not malformed `integration.request.*` parameters."""

from __future__ import annotations

from pathlib import Path

from vtlgw.apigw.definition import load_definition
from vtlgw.lint import lint
from vtlgw.lint.rules import _patterns as P

HTTPAPI = Path(__file__).resolve().parents[1] / "apigw" / "definition" / "data" / "httpapi"
REST_INTEGRATION_RULES = ("VTL312", "VTL314")


def test_an_http_api_gets_no_rest_integration_findings():
    findings = lint([str(HTTPAPI / "v2-cfn.yaml")])
    assert not [d for d in findings if d.code in REST_INTEGRATION_RULES], findings


def test_the_same_mapping_on_a_rest_api_is_still_reported(tmp_path):
    api = tmp_path / "rest.yaml"
    api.write_text("""\
openapi: 3.0.1
info: {title: t, version: '1'}
paths:
  /static/{proxy+}:
    get:
      parameters: [{name: proxy, in: path, required: true, schema: {type: string}}]
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        uri: https://backend.example.com/{proxy}
        requestParameters:
          overwrite:path: $request.path.proxy
""", encoding="utf-8")
    codes = [d.code for d in lint([str(api)])]
    assert codes.count("VTL312") == 1 and codes.count("VTL314") == 1


def test_an_integration_shared_by_routes_is_walked_once():
    # The backend integration serves both ANY /static/{proxy+} and $default: rules see it once.
    definition = load_definition(HTTPAPI / "v2-cfn.yaml")
    shared = definition.method("ANY", "$default").integration
    assert definition.method("ANY", "/static/{proxy+}").integration is shared
    walked = [integration for _, integration in P.integrations(definition)]
    assert sum(integration is shared for integration in walked) == 1
    assert list(P.rest_integrations(definition)) == []
