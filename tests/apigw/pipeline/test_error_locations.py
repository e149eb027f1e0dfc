"""Configuration errors found while invoking carry the file, line and column of what causes them."""

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.pipeline import invoke
from vtlgw.apigw.request import request_from_dict

API = """openapi: 3.0.1
info: {title: t, version: "1"}
paths:
  /undeclared:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default:
            statusCode: "201"
  /no-status:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates:
          application/json: '{"status": 200}'
        responses: {default: {statusCode: "200"}}
  /mixed:
    get:
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default: {statusCode: "200"}
          '4\\d\\d': {statusCode: "404"}
"""


def run(tmp_path, path):
    file = tmp_path / "api.yaml"
    file.write_text(API, encoding="utf-8")
    result = invoke(load_definition(file), request_from_dict({"httpMethod": "GET", "path": path})[0])
    return str(file), result


def test_a_status_without_method_response_is_located_at_its_status_code(tmp_path):
    file, result = run(tmp_path, "/undeclared")
    assert result.status == 500
    assert result.error == (f"{file}:12:25: Output mapping refers to an invalid method response: 201 "
                            "(the method declares 200; add 201 to its responses)")


def test_a_mock_template_without_status_code_is_located_at_the_template(tmp_path):
    file, result = run(tmp_path, "/no-status")
    assert result.status == 500
    assert result.error == (f"{file}:19:29: the MOCK request template rendered '{{\"status\": 200}}', which has "
                            "no integer statusCode (U28)")


def test_an_undeclared_status_not_chosen_is_a_located_warning_as_soon_as_the_method_is_known(tmp_path):
    file, result = run(tmp_path, "/mixed")
    assert result.status == 200 and result.error is None
    messages = [str(w) for w in result.warnings]
    found = [m for m in messages if "integration response 404 has no method response (the method declares 200): "
             "whenever it is selected, API Gateway answers 500" in m]
    assert len(found) == 1, messages
    assert found[0].startswith(f"{file}:29:33: warning: /paths/~1mixed/get/x-amazon-apigateway-integration/responses/")


def test_declared_statuses_give_no_such_warning(tmp_path):
    _, result = run(tmp_path, "/no-status")
    assert not any("has no method response" in str(w) for w in result.warnings)
