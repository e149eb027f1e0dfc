"""MOCK integrations: statusCode parsing (U28), passthrough, empty body (docs/integration.md §4)."""

import pytest

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.pipeline import invoke
from vtlgw.apigw.pipeline.lenient import LenientJsonError, mock_status_code, parse_lenient

from .helpers import DATA, api, req, response, texts

UNPARSABLE = ("Execution failed due to configuration error: Unable to parse statusCode. It should be an "
              "integer that is defined in the request template.")


def mock(template, responses=None):
    responses = responses or [response("404", "404"), response("500", r"5\d\d"), response("200")]
    return api(request_templates={"application/json": template}, responses=responses)


@pytest.mark.parametrize("template,status", [
    ('{"statusCode": 404}', 404),
    ("{statusCode: 404}", 404),
    ("{'statusCode': 404}", 404),
    ('{"statusCode": 404,}', 404),
    ("{\n  statusCode: 404,\n  'message': 'gone',\n}", 404),
    ('{"statusCode": 503, "items": [1, 2,],}', 500),
    ('{"statusCode": 200}', 200),
])
def test_lenient_json_status_code(template, status):
    assert invoke(mock(template), req()).status == status


def test_u28_numeric_string_status_code():
    assert invoke(mock('{"statusCode": "404"}'), req()).status == 404
    assert invoke(mock("{'statusCode': '503'}"), req()).status == 500


@pytest.mark.parametrize("template", [
    '{"message": "no status"}',
    '{"statusCode": "four hundred"}',
    '{"statusCode": 200.5}',
    '{"statusCode": true}',
    "statusCode: 200",
    "[200]",
    "   ",
])
def test_u28_unparsable_status_code_is_500(template):
    result = invoke(mock(template), req())
    assert result.status == 500
    assert result.body == '{"message": "Internal server error"}'
    assert texts(result.log_lines)[-2:] == [UNPARSABLE, "Method completed with status: 500"]
    assert result.error is not None


def test_passthrough_uses_the_default_response():
    definition = api(request_templates={}, responses=[response("404", ".*"), response("202")])
    result = invoke(definition, req(headers={"Content-Type": "text/plain"}, body="x"))
    assert result.status == 202


def test_mock_response_body_is_empty_without_a_template():
    definition = mock('{"statusCode": 200}', [response("200")])
    result = invoke(definition, req(body='{"echo": true}'))
    assert result.body == ""
    assert result.headers == {"Content-Type": "application/json"}


def test_mock_template_sees_the_request():
    definition = mock('{"statusCode": $input.json(\'$.code\')}')
    assert invoke(definition, req(body='{"code": 404}')).status == 404


def test_mock_has_no_endpoint_lines():
    result = invoke(mock('{"statusCode": 200}'), req(body="{}"))
    assert not any("Endpoint" in line or "Sending request" in line for line in result.log_lines)
    assert result.integration_request is None


def test_mock_file_end_to_end():
    definition = load_definition(DATA / "mock-api.yaml")
    ok = invoke(definition, req(httpMethod="GET", path="/health"))
    assert ok.status == 200
    assert ok.headers["X-Checked-By"] == "mock"
    assert ok.json()["status"] == "ok"
    assert invoke(definition, req(httpMethod="GET", path="/flags/dark-mode")).json() == {
        "flag": "dark-mode", "enabled": True}
    gone = invoke(definition, req(httpMethod="GET", path="/flags/beta"))
    assert (gone.status, gone.json()) == (404, {"message": "no flag beta"})
    teapot = invoke(definition, req(httpMethod="GET", path="/flags/beta", queryStringParameters={"code": "418"}))
    assert teapot.status == 418


def test_parse_lenient_unit():
    assert parse_lenient("{a: 1, 'b': 'x', \"c\": [true, null,],}") == {"a": 1, "b": "x", "c": [True, None]}
    assert parse_lenient('{"s": "\\u0041\\n"} trailing') == {"s": "A\n"}
    with pytest.raises(LenientJsonError):
        parse_lenient("{a: }")
    assert mock_status_code("{statusCode: ' 201 '}") == 201
