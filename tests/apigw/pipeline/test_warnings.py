"""Every warning invoke reports is a Diagnostic located where its cause is written in the definition."""

import pytest

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.pipeline import HttpResponse, invoke
from vtlgw.apigw.request import request_from_dict
from vtlgw.vtl.diagnostics import Diagnostic, Severity

API = """\
openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /loop:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: |
            #foreach($i in [1..1001])#end
              #foreach($j in [1..1001])#end
            {"statusCode": 200}
        responses: {default: {statusCode: "200"}}
  /header:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default:
            statusCode: "200"
            responseParameters:
              method.response.header.X-A: "'a'"
  /status:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default:
            statusCode: "200"
            responseTemplates:
              application/json: |
                {}
                #set($context.responseOverride.status = "abc")
  /quoted:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '#set($context.responseOverride.status = 7){"statusCode": 200}'}
        responses: {default: {statusCode: "200"}}
  /uri:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: http
        httpMethod: GET
        uri: "https://backend.example.com/{missing}"
        responses: {default: {statusCode: "200"}}
"""
LINES = API.splitlines()
INTEGRATION = "/x-amazon-apigateway-integration"


def line_of(text: str, nth: int = 0) -> int:
    """1-based number of the ``nth`` line of API that contains ``text``."""
    return [n for n, line in enumerate(LINES, 1) if text in line][nth]


def column_of(text: str, nth: int = 0) -> int:
    return LINES[line_of(text, nth) - 1].index(text) + 1


@pytest.fixture(scope="module")
def definition(tmp_path_factory):
    path = tmp_path_factory.mktemp("api") / "api.yaml"
    path.write_text(API, encoding="utf-8")
    return load_definition(path)


def warnings_of(definition, path, backend=None) -> list[Diagnostic]:
    request, _ = request_from_dict({"httpMethod": "GET", "path": path})
    result = invoke(definition, request, backend=backend)
    assert result.status == 200 and result.error is None
    assert all(isinstance(w, Diagnostic) and (w.severity, w.code) == (Severity.WARNING, None)
               for w in result.warnings)
    return result.warnings


def test_a_loop_cap_in_a_block_template_points_into_the_definition(definition):
    first, second = warnings_of(definition, "/loop")
    assert first.message == "#foreach stopped after 1000 iterations (API Gateway's limit per loop)"
    file = str(definition.methods[("GET", "/loop")].integration.request_templates[0].source.file)
    pointer = f"/paths/~1loop/get{INTEGRATION}/requestTemplates/application~1json"
    for warning, loop in ((first, "#foreach($i"), (second, "#foreach($j")):
        where = warning.location
        assert (where.file, where.line, where.column, where.pointer) == (
            file, line_of(loop), column_of(loop), pointer)
        assert where.source_line == LINES[where.line - 1]  # the file's line, indentation included
    assert str(first).splitlines()[0] == f"{file}:{first.location.line}:{first.location.column}: warning: " \
                                         f"{pointer}: {first.message}"


def test_an_undeclared_response_header_points_at_its_mapping(definition):
    (warning,) = warnings_of(definition, "/header")
    assert warning.message.startswith("method.response.header.X-A is not declared on method response 200")
    where = warning.location
    assert where.pointer == f"/paths/~1header/get{INTEGRATION}/responses/default/responseParameters/" \
                            "method.response.header.X-A"
    assert where.line == line_of("method.response.header.X-A")


def test_an_invalid_override_status_points_at_its_set(definition):
    (warning,) = warnings_of(definition, "/status")
    assert "'abc' is not a status code" in warning.message and "(U26)" in warning.message
    where = warning.location
    assert (where.line, where.column) == (line_of("#set($context"), column_of("$context.responseOverride"))
    assert where.end_column == column_of(" = \"abc\"")  # the span is the assigned reference
    assert where.pointer == f"/paths/~1status/get{INTEGRATION}/responses/default/responseTemplates/application~1json"


def test_a_template_that_is_not_a_block_is_reported_at_its_key_with_its_own_position(definition):
    (warning,) = warnings_of(definition, "/quoted")
    where = warning.location
    pointer = f"/paths/~1quoted/get{INTEGRATION}/requestTemplates/application~1json"
    assert where.file.endswith("api.yaml") and where.pointer == pointer
    assert (where.line, where.column) == (line_of("requestTemplates: {application/json: '#set"),
                                          column_of("application/json: '#set"))
    assert where.source_line == LINES[where.line - 1]
    assert warning.message.endswith(f" (template {pointer}, at 1:{len('#set(') + 1})")


def test_an_unmapped_uri_placeholder_points_at_the_uri(definition):
    (warning,) = warnings_of(definition, "/uri", HttpResponse(200))
    assert "{missing}" in warning.message
    where = warning.location
    assert (where.line, where.pointer) == (line_of("uri: "), f"/paths/~1uri/get{INTEGRATION}/uri")


# ---------------------------------------------------------------- template errors, the same coordinates

BROKEN_API = """openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /block:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: |
            {"statusCode": 200}
            #if($input.params('x')
            x
        responses: {default: {statusCode: "200"}}
  /quoted:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: "{\\"statusCode\\": 200} #if($x"
        responses: {default: {statusCode: "200"}}
"""


def test_template_errors_in_a_block_scalar_are_in_file_coordinates_throughout(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_API, encoding="utf-8")
    result = invoke(load_definition(path), request_from_dict({"httpMethod": "GET", "path": "/block"})[0])
    head, line, caret = result.error.splitlines()[-3:]
    assert head == f"{path}:13:13: error: expected ')' to close #if( opened at 12:16, found 'x'"
    assert (line, caret) == ("              x", "              ^")
    assert BROKEN_API.splitlines()[11][15] == "("  # 12:16 is the #if('s parenthesis in the file


def test_template_errors_in_a_quoted_template_are_at_the_key_with_the_template_position(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN_API, encoding="utf-8")
    result = invoke(load_definition(path), request_from_dict({"httpMethod": "GET", "path": "/quoted"})[0])
    head, line, caret = result.error.splitlines()[-3:]
    assert head == (f"{path}:21:11: error: expected ')' to close #if( opened at 1:24, found end of template "
                    "(template /paths/~1quoted/get/x-amazon-apigateway-integration/requestTemplates/"
                    "application~1json, at 1:27)")
    assert line == "  " + BROKEN_API.splitlines()[20] and caret == "  " + " " * 10 + "^"  # the key's line
