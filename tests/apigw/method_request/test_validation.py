"""Request validation: required parameters and the body against its model, before any template runs.

Sources: recorded on AWS (the 400 bodies and the order of the names), and the
AWS docs page "Request validation for REST APIs in API Gateway"
(api-gateway-method-request-validation: parameters must be present and not
blank, their type is not checked; a content type with no model is not
validated; ``$default`` applies to every content type), "Data models for REST
APIs" (models-mappings-models: JSON Schema draft 4, ``$ref`` by model
address) and "Gateway response types" (supported-gateway-response-types).
"""

import json
import textwrap
from pathlib import Path

import pytest

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.method_request.body import ModelSchemaError
from vtlgw.apigw.method_request.parameters import missing_parameters
from vtlgw.apigw.pipeline import invoke
from vtlgw.apigw.request import request_from_dict

PETS = Path(__file__).parents[3] / "fixtures" / "pets-validated.openapi.yaml"


@pytest.fixture(scope="module")
def pets():
    return load_definition(PETS)


def call(definition, **request):
    return invoke(definition, request, report_latency=False)


def body_of(result):
    return json.loads(result.body)


# ---------------------------------------------------------------------------- required parameters


def test_missing_parameters_are_a_recorded_400_listing_headers_before_the_query(pets):
    # Recorded on AWS: {"message": "Missing required request parameters: [x-header, q]"}, a space after
    # the colon, the header named before the query string parameter.
    result = call(pets, httpMethod="GET", path="/pets")
    assert result.status == 400
    assert result.body == '{"message": "Missing required request parameters: [x-tenant, limit]"}'
    assert result.headers["x-amzn-ErrorType"] == "BadRequestException"
    assert "Missing required request parameters: [x-tenant, limit]" in result.log
    assert "Endpoint request" not in result.log  # nothing reaches the integration


def test_a_blank_parameter_is_missing_and_header_names_ignore_case(pets):
    result = call(pets, httpMethod="GET", path="/pets", headers={"X-TENANT": "  "},
                  queryStringParameters={"limit": "5"})
    assert body_of(result) == {"message": "Missing required request parameters: [x-tenant]"}
    result = call(pets, httpMethod="GET", path="/pets", headers={"X-Tenant": "t1"},
                  queryStringParameters={"limit": "not-a-number"})
    assert result.status == 200  # only presence is checked, not the declared type


def test_optional_parameters_and_the_order_of_every_location():
    required = {"method.request.querystring.q": True, "method.request.path.id": True,
                "method.request.header.x-header": True, "method.request.querystring.opt": False}
    request, _ = request_from_dict({"httpMethod": "GET", "path": "/"})
    assert missing_parameters(required, request) == ["x-header", "id", "q"]


def test_a_parameters_only_validator_does_not_check_the_body(pets):
    result = call(pets, httpMethod="GET", path="/pets", headers={"x-tenant": "t1"},
                  queryStringParameters={"limit": "5"}, body="not json")
    assert result.status == 200
    assert body_of(result) == {"tenant": "t1", "limit": 5}


# ---------------------------------------------------------------------------- the body


def test_a_body_against_its_model_gives_the_recorded_400_and_logs_the_reasons(pets):
    result = call(pets, httpMethod="POST", path="/pets", headers={"x-api-key": "k-0123456789"},
                  body='{"name": "Rex", "tags": [{}], "extra": 1}')
    # api_keys are not given: the key check comes first and refuses
    assert (result.status, body_of(result)) == (403, {"message": "Forbidden"})
    result = invoke(pets, {"httpMethod": "POST", "path": "/pets", "headers": {"x-api-key": "k-0123456789"},
                           "body": '{"name": "Rex", "tags": [{}], "extra": 1}'}, api_keys=["k-0123456789"])
    assert result.status == 400
    assert result.body == '{"message": "Invalid request body"}'  # recorded on AWS
    assert result.headers["x-amzn-ErrorType"] == "BadRequestException"
    assert ("Request body does not match model schema for content type application/json: ["
            'object has missing required properties (["kind"]), '
            'object instance has properties which are not allowed by the schema: ["extra"], '
            'object has missing required properties (["name"])]') in result.log


def test_a_body_that_matches_reaches_the_integration(pets):
    result = invoke(pets, {"httpMethod": "POST", "path": "/pets", "headers": {"x-api-key": "k-0123456789"},
                           "body": '{"name": "Rex", "kind": "dog", "tags": [{"name": "good"}]}'},
                    api_keys=["k-0123456789"])
    assert result.status == 201


@pytest.mark.parametrize("body, reason", [
    ('{"name": "Rex", "kind": "cow"}', 'instance value ("cow") not found in enum (possible values: ["cat","dog"])'),
    ('{"name": "Rex", "kind": "cat", "age": -1}',
     "numeric instance is lower than the required minimum (minimum: 0, found: -1)"),
    ('{"name": "Rex", "kind": "cat", "age": "3"}',
     'instance type (string) does not match any allowed primitive type (allowed: ["integer"])'),
    ('{"name": "' + "x" * 21 + '", "kind": "cat"}',
     'string "' + "x" * 21 + '" is too long (length: 21, maximum allowed: 20)'),
])
def test_each_keyword_is_reported_in_the_validators_words(pets, body, reason):
    result = invoke(pets, {"httpMethod": "POST", "path": "/pets", "headers": {"x-api-key": "k-0123456789"},
                           "body": body}, api_keys=["k-0123456789"])
    assert result.status == 400
    assert f"content type application/json: [{reason}]" in result.log


def test_no_model_for_the_content_type_means_no_validation(pets):
    # The docs: "If no matching content type is found, request validation is not performed."
    result = call(pets, httpMethod="PUT", path="/pets/1", headers={"Content-Type": "text/plain"}, body="{}")
    assert result.status == 200
    # no Content-Type is application/json, which has a model; charset parameters and case do not matter
    assert call(pets, httpMethod="PUT", path="/pets/1", body="{}").status == 400
    assert call(pets, httpMethod="PUT", path="/pets/1", headers={"content-type": "Application/JSON; charset=utf-8"},
                body="{}").status == 400


@pytest.mark.parametrize("body", ["", "not json", "{", "NaN"])
def test_a_body_that_is_not_json_fails_with_the_recorded_reason(pets, body):
    # Recorded in a TestInvoke log: an empty body under a body validator is
    # "[Unknown error parsing request body]", 400 Invalid request body (U56, U62).
    result = call(pets, httpMethod="PUT", path="/pets/1", body=body)
    assert (result.status, body_of(result)) == (400, {"message": "Invalid request body"})
    assert "content type application/json: [Unknown error parsing request body]" in result.log


def write(tmp_path, text):
    path = tmp_path / "api.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_definition(path)


SWAGGER = """\
swagger: "2.0"
info: {title: t, version: "1"}
x-amazon-apigateway-request-validators:
  body: {validateRequestBody: true}
definitions:
  Item:
    type: object
    required: [id]
    properties:
      id: {type: string}
      owner: {$ref: "#/definitions/Owner"}
      other: {$ref: "https://apigateway.amazonaws.com/restapis/abc123/models/Owner"}
  Owner:
    type: object
    required: [email]
    properties: {email: {type: string}}
paths:
  /items:
    post:
      x-amazon-apigateway-request-validator: body
      consumes: [application/json, $default]
      parameters:
        - {in: body, name: item, required: true, schema: {$ref: "#/definitions/Item"}}
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}', text/plain: '{"statusCode": 200}'}
        responses: {default: {statusCode: "200"}}
"""


def test_swagger_body_parameters_refs_between_models_and_default(tmp_path):
    definition = write(tmp_path, SWAGGER)
    good = '{"id": "1", "owner": {"email": "a@b"}, "other": {"email": "c@d"}}'
    assert call(definition, httpMethod="POST", path="/items", body=good).status == 200
    result = call(definition, httpMethod="POST", path="/items", body='{"id": "1", "owner": {}, "other": {}}')
    assert result.status == 400
    # a local #/definitions reference and a model address both reach Owner
    assert result.log.count('object has missing required properties (["email"])') == 2
    # $default applies to a content type the method has no model of its own for
    result = call(definition, httpMethod="POST", path="/items", headers={"Content-Type": "text/plain"}, body="{}")
    assert result.status == 400


def test_a_customised_bad_request_body_response_reads_the_validation_errors(tmp_path):
    definition = write(tmp_path, SWAGGER + textwrap.dedent("""\
        x-amazon-apigateway-gateway-responses:
          BAD_REQUEST_BODY:
            statusCode: 422
            responseParameters: {gatewayresponse.header.X-Kind: "'validation'"}
            responseTemplates:
              application/json: 'error=$context.error.validationErrorString type=$context.error.responseType'
        """))
    result = call(definition, httpMethod="POST", path="/items", body="{}")
    assert result.status == 422
    assert result.headers["X-Kind"] == "validation"
    assert result.body == 'error=[object has missing required properties (["id"])] type=BAD_REQUEST_BODY'


def test_a_customised_bad_request_parameters_response(pets):
    from dataclasses import replace

    from vtlgw.apigw.definition.model import GatewayResponse, MappingTemplate

    custom = GatewayResponse("BAD_REQUEST_PARAMETERS", status_code="412",
                             response_templates=[MappingTemplate("application/json",
                                                                 '{"why": "$context.error.validationErrorString"}')])
    definition = replace(pets, gateway_responses={"BAD_REQUEST_PARAMETERS": custom})
    result = call(definition, httpMethod="GET", path="/pets", queryStringParameters={"limit": "1"})
    assert (result.status, body_of(result)) == (412, {"why": "Missing required request parameters: [x-tenant]"})


def test_a_model_that_is_not_a_draft_4_schema_is_a_located_error(tmp_path):
    definition = write(tmp_path, SWAGGER.replace("required: [email]", "required: email"))
    with pytest.raises(ModelSchemaError, match=r"api\.yaml:\d+:\d+: error: /definitions/Owner/required: model Owner: not a valid JSON Schema draft 4"):
        call(definition, httpMethod="POST", path="/items", body='{"id": "1", "owner": {}}')
    # the model a method names directly, too
    definition = write(tmp_path, SWAGGER.replace("required: [id]", "required: id"))
    with pytest.raises(ModelSchemaError, match=r"api\.yaml:\d+:\d+: error: /definitions/Item/required: model Item: not a valid JSON Schema draft 4"):
        call(definition, httpMethod="POST", path="/items", body="{}")


def test_unsupported_keywords_are_reported_with_the_model_and_pointer(tmp_path):
    definition = write(tmp_path, SWAGGER.replace("      id: {type: string}",
                                                 "      id: {type: string, example: '1', nullable: true}"))
    notes = [n.what for n in definition.methods[("POST", "/items")].not_emulated]
    assert notes == [
        "POST /items: model Item: keyword 'example' at /definitions/Item/properties/id/example is not applied by "
        "API Gateway (an OpenAPI keyword API Gateway does not support); request validation ignores it",
        "POST /items: model Item: keyword 'nullable' at /definitions/Item/properties/id/nullable is not applied "
        "by API Gateway (an OpenAPI 3.0 keyword; in draft 4 write \"type\": [\"string\", \"null\"]); request "
        "validation ignores it",
    ]
    assert definition.methods[("POST", "/items")].not_emulated[0].location.endswith("api.yaml:10:35")


def test_a_body_that_is_not_utf8_is_invalid(pets):
    result = invoke(pets, {"httpMethod": "PUT", "path": "/pets/1", "body": "/w==", "isBase64Encoded": True})
    assert (result.status, body_of(result)) == (400, {"message": "Invalid request body"})
    assert "content type application/json: [Unknown error parsing request body]" in result.log


KEYWORDS = """\
swagger: "2.0"
info: {title: t, version: "1"}
x-amazon-apigateway-request-validators: {body: {validateRequestBody: true}}
x-amazon-apigateway-request-validator: body
definitions:
  Thing:
    type: object
    minProperties: 1
    maxProperties: 3
    patternProperties: {"^x-": {type: string}}
    additionalProperties: false
    properties:
      price: {type: number, multipleOf: 0.01, minimum: 0, exclusiveMinimum: true}
      size: {type: integer, maximum: 10, exclusiveMaximum: true}
      tags: {type: array, uniqueItems: true}
      code: {anyOf: [{type: string}, {type: integer}]}
      one: {oneOf: [{type: integer}, {minimum: 0}]}
      neg: {not: {type: string}}
      card: {type: string}
      cvc: {type: string}
      email: {type: string, format: email}
      when: {type: string, format: date-time}
      ip: {type: string, format: ipv4}
    dependencies: {card: [cvc]}
paths:
  /things:
    post:
      parameters: [{in: body, name: t, schema: {$ref: "#/definitions/Thing"}}]
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses: {default: {statusCode: "200"}}
"""


@pytest.mark.parametrize("body, reason", [
    ('{"price": 0}', "numeric instance is not strictly greater than the required minimum 0"),
    ('{"size": 10}', "numeric instance is not strictly lower than the required maximum 10"),
    ('{"price": 1.005}', "remainder of division is not zero (1.005 / 0.01)"),
    ("{}", "object has too few properties (found 0 but schema requires at least 1)"),
    ('{"price": 1, "size": 1, "tags": [], "code": "a"}',
     "object has too many properties (found 4 but schema requires at most 3)"),
    ('{"tags": [1, 1]}', "array must not contain duplicate elements"),
    ('{"code": true}', "instance failed to match at least one required schema among 2"),
    ('{"one": 5}', "instance failed to match exactly one schema (matched 2 out of 2)"),
    ('{"neg": "s"}', "instance matched a schema which it should not have"),
    ('{"card": "4111"}', 'property "card" of object has missing property dependencies (schema requires ["cvc"]; '
                         'missing: ["cvc"])'),
    ('{"email": "nobody"}', 'string "nobody" is not a valid email address'),
    ('{"ip": "300.1.1.1"}', 'string "300.1.1.1" is not a valid IPv4 address'),
    ('{"when": "yesterday"}', 'string "yesterday" is invalid against requested date format(s) '
                              "[yyyy-MM-dd'T'HH:mm:ssZ, yyyy-MM-dd'T'HH:mm:ss.[0-9]{1,12}Z]"),
    ('{"x-note": "ok", "other": 1}', 'object instance has properties which are not allowed by the schema: ["other"]'),
])
def test_the_java_validators_words_for_more_keywords(tmp_path, body, reason):
    # The words of the Java JSON Schema validator API Gateway runs (users' recorded logs; U54, U74).
    definition = write(tmp_path, KEYWORDS)
    result = call(definition, httpMethod="POST", path="/things", body=body)
    assert result.status == 400
    assert f"content type application/json: [{reason}]" in result.log


def test_values_that_pass_the_formats(tmp_path):
    definition = write(tmp_path, KEYWORDS)
    body = '{"email": "a@b.c", "when": "2020-03-04T19:15:17Z", "ip": "10.0.0.1"}'
    assert call(definition, httpMethod="POST", path="/things", body=body).status == 200


def test_a_backtracking_pattern_is_stopped_with_a_clear_error(tmp_path, monkeypatch):
    # Bounded time (U76): a pattern that backtracks without end is refused, not waited for.
    from vtlgw.apigw.method_request import patterns

    monkeypatch.setattr(patterns, "PATTERN_SECONDS", 0.05)
    text = SWAGGER.replace("      id: {type: string}", "      id: {type: string, pattern: '^(a|aa)+$'}")
    definition = write(tmp_path, text)
    with pytest.raises(ModelSchemaError, match=r"api\.yaml:\d+:\d+: error: /definitions/Item: model Item: .*pattern '\^\(a\|aa\)\+\$' ran for more than 0\.05 s"):
        call(definition, httpMethod="POST", path="/items", body=json.dumps({"id": "a" * 5000 + "b"}))


def test_patterns_still_match_as_before(tmp_path):
    text = SWAGGER.replace("      id: {type: string}", "      id: {type: string, pattern: '^[0-9]+$'}")
    definition = write(tmp_path, text)
    assert call(definition, httpMethod="POST", path="/items", body='{"id": "42"}').status == 200
    result = call(definition, httpMethod="POST", path="/items", body='{"id": "x42"}')
    assert 'ECMA 262 regex "^[0-9]+$" does not match input string "x42"' in result.log


TREE = """\
swagger: "2.0"
info: {title: t, version: "1"}
x-amazon-apigateway-request-validators: {body: {validateRequestBody: true}}
x-amazon-apigateway-request-validator: body
definitions:
  Node:
    type: object
    properties:
      child: {$ref: "#/definitions/Node"}
      name: {type: string}
  Loop: {$ref: "#/definitions/Loop"}
paths:
  /tree:
    post:
      parameters: [{in: body, name: n, schema: {$ref: "#/definitions/Node"}}]
      responses: {"200": {description: ok}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses: {default: {statusCode: "200"}}
"""


def nested(levels, leaf):
    body = leaf
    for _ in range(levels - 1):
        body = {"child": body}
    return json.dumps(body)


def test_a_recursive_model_validates_deep_bodies(tmp_path):
    definition = write(tmp_path, TREE)
    assert call(definition, httpMethod="POST", path="/tree", body=nested(450, {"name": "leaf"})).status == 200
    result = call(definition, httpMethod="POST", path="/tree", body=nested(450, {"name": 7}))
    assert result.status == 400
    assert 'instance type (integer) does not match any allowed primitive type (allowed: ["string"])' in result.log


def test_a_body_deeper_than_vtlgw_validates_is_a_clear_error(tmp_path):
    from vtlgw.apigw.method_request.body import BodyTooDeepError

    definition = write(tmp_path, TREE)
    with pytest.raises(BodyTooDeepError, match="nests 901 levels deep; vtlgw validates bodies of at most 500"):
        call(definition, httpMethod="POST", path="/tree", body=nested(901, {}))


def test_a_ref_loop_is_a_located_error_not_a_hang(tmp_path):
    definition = write(tmp_path, TREE.replace('schema: {$ref: "#/definitions/Node"}',
                                              'schema: {$ref: "#/definitions/Loop"}'))
    with pytest.raises(ModelSchemaError, match=r"api\.yaml:\d+:\d+: error: /definitions/Loop: model Loop: validation never ends"):
        call(definition, httpMethod="POST", path="/tree", body="{}")
