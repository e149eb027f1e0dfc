"""OpenAPI 3 (YAML) and Swagger 2.0 (JSON) examples load into the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from vtlgw.apigw.definition import ApiDefinition, load_definition

DATA = Path(__file__).parent / "data"
PETSTORE = DATA / "petstore-openapi3.yaml"
ORDERS = DATA / "orders-swagger2.json"


@pytest.fixture(scope="module")
def petstore() -> ApiDefinition:
    return load_definition(PETSTORE)


@pytest.fixture(scope="module")
def orders() -> ApiDefinition:
    return load_definition(ORDERS)


class TestPetstoreOpenApi3:
    def test_api_level(self, petstore):
        assert petstore.format == "openapi3"
        assert petstore.name == "PetStore"
        assert petstore.source_file == str(PETSTORE)
        assert petstore.binary_media_types == ["image/png", "application/octet-stream"]
        assert list(petstore.methods) == [
            ("GET", "/pets"),
            ("POST", "/pets"),
            ("GET", "/pets/{petId}"),
            ("PUT", "/pets/{petId}/photo"),
            ("GET", "/health"),
            ("ANY", "/{proxy+}"),
        ]
        assert petstore.resource_paths == ["/", "/pets", "/pets/{petId}", "/pets/{petId}/photo", "/health", "/{proxy+}"]

    def test_gateway_responses(self, petstore):
        default4xx = petstore.gateway_responses["DEFAULT_4XX"]
        assert default4xx.status_code is None
        assert default4xx.response_parameters == {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}
        assert default4xx.templates == {"application/json": '{"message":$context.error.messageString}'}
        token = petstore.gateway_responses["MISSING_AUTHENTICATION_TOKEN"]
        assert token.status_code == "404"  # an integer in the file
        assert token.templates["application/json"] == '{"message": "No route for $context.httpMethod $context.path"}\n'

    def test_lambda_custom_integration(self, petstore):
        method = petstore.method("GET", "/pets")
        assert method.operation_id == "listPets"
        # $ref to components/parameters and an inline header parameter
        assert method.request_parameters == {
            "method.request.querystring.limit": False,
            "method.request.header.X-Request-Id": False,
        }
        assert method.method_responses["200"].header_names == ["Access-Control-Allow-Origin", "X-Total-Count"]
        assert method.method_responses["200"].response_models == {"application/json": "Pets"}
        assert set(method.method_responses) == {"200", "400", "500"}
        integration = method.integration
        assert integration.type == "AWS"  # "aws" in the file
        assert integration.is_lambda and not integration.is_proxy
        assert integration.uri == (
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
            "arn:aws:lambda:us-east-1:123456789012:function:ListPets/invocations"
        )
        assert integration.http_method == "POST"
        assert integration.passthrough_behavior == "WHEN_NO_TEMPLATES"
        assert integration.timeout_in_millis == 29000
        assert [t.content_type for t in integration.request_templates] == ["application/json", "application/xml"]
        assert integration.templates["application/json"].startswith("#set($limit = $input.params('limit'))\n{\n")

    def test_integration_responses_in_definition_order(self, petstore):
        responses = petstore.method("GET", "/pets").integration.integration_responses
        assert [(r.selection_pattern, r.status_code) for r in responses] == [
            (None, "200"),
            (r".*\[BadRequest\].*", "400"),
            (r"(\n|.)*Task timed out(\n|.)*", "500"),  # statusCode: 500 (integer) accepted
        ]
        assert responses[0].is_default
        assert responses[0].response_parameters == {
            "method.response.header.Access-Control-Allow-Origin": "'*'",
            "method.response.header.X-Total-Count": "integration.response.body.total",
        }

    def test_sqs_service_integration(self, petstore):
        integration = petstore.method("POST", "/pets").integration
        assert integration.type == "AWS" and not integration.is_lambda
        assert integration.uri == "arn:aws:apigateway:us-east-1:sqs:path/123456789012/pet-intake"
        assert integration.credentials == "arn:aws:iam::123456789012:role/ApiGatewaySqsSend"
        assert integration.passthrough_behavior == "NEVER"
        assert integration.timeout_in_millis == 10000
        assert integration.request_parameters == {
            "integration.request.header.Content-Type": "'application/x-www-form-urlencoded'"
        }
        assert integration.templates["application/json"].startswith("Action=SendMessage&MessageBody=")
        assert [(r.selection_pattern, r.status_code) for r in integration.integration_responses] == [
            (r"4\d{2}", "400"),
            (None, "202"),
        ]

    def test_http_integration(self, petstore):
        method = petstore.method("GET", "/pets/{petId}")
        assert method.request_parameters == {"method.request.path.petId": True}  # path-level $ref
        integration = method.integration
        assert (integration.type, integration.http_method) == ("HTTP", "GET")
        assert integration.uri == "https://backend.example.com/v2/pets/{id}"
        assert integration.content_handling == "CONVERT_TO_TEXT"
        responses = integration.integration_responses
        assert [(r.selection_pattern, r.status_code) for r in responses] == [
            ("404", "404"), (r"5\d{2}", "502"), (None, "200")
        ]
        # "" is kept as a key with a null template, in definition order
        assert [(t.content_type, t.template) for t in responses[2].response_templates] == [
            ("application/json", None),
            ("application/xml", "<pet id=\"$input.path('$.id')\">$input.path('$.name')</pet>\n"),
        ]

    def test_binary_and_mock_and_proxy(self, petstore):
        photo = petstore.method("PUT", "/pets/{petId}/photo").integration
        assert photo.content_handling == "CONVERT_TO_BINARY"
        health = petstore.method("GET", "/health").integration
        assert health.is_mock and health.uri is None and health.http_method is None
        assert health.templates == {"application/json": '{"statusCode": 200}'}
        proxy = petstore.method("ANY", "/{proxy+}")
        assert proxy.integration.type == "HTTP_PROXY" and proxy.integration.is_proxy
        assert proxy.integration.http_method == "ANY"
        assert proxy.integration.integration_responses == []
        assert proxy.request_parameters == {"method.request.path.proxy": True}

    def test_sources_point_into_the_file(self, petstore):
        lines = PETSTORE.read_text().splitlines()
        method = petstore.method("GET", "/pets")
        assert method.source.pointer == "/paths/~1pets/get"
        assert lines[method.source.key_line - 1].strip() == "get:"
        response = method.integration.integration_responses[1]
        assert response.source.pointer == (
            "/paths/~1pets/get/x-amazon-apigateway-integration/responses/.*\\[BadRequest\\].*"
        )
        assert lines[response.source.key_line - 1].strip() == r".*\[BadRequest\].*:"
        # A block-scalar template maps its lines into the file.
        template = method.integration.request_templates[0]
        assert template.source.style == "|"
        for n, text in enumerate(template.template.splitlines(), start=1):
            line = lines[template.source.content_line + n - 2]
            assert line[template.source.content_column - 1 :] == text


class TestOrdersSwagger2:
    def test_api_level(self, orders):
        assert orders.format == "swagger2"
        assert orders.name == "OrdersApi"
        assert orders.binary_media_types == ["application/pdf"]
        assert list(orders.methods) == [("POST", "/orders"), ("GET", "/orders/{orderId}"), ("OPTIONS", "/orders/{orderId}")]

    def test_lambda_method(self, orders):
        method = orders.method("POST", "/orders")
        # the body parameter is not a method request parameter
        assert method.request_parameters == {"method.request.header.Idempotency-Key": True}
        assert method.method_responses["201"].header_names == ["Location"]
        assert method.method_responses["201"].response_models == {"application/json": "Order"}
        integration = method.integration
        assert integration.is_lambda
        assert integration.passthrough_behavior == "WHEN_NO_MATCH"
        assert [(t.content_type, t.template is None) for t in integration.request_templates] == [
            ("application/json", False),
            ("text/plain", True),
        ]
        assert [(r.selection_pattern, r.status_code) for r in integration.integration_responses] == [
            ('.*"code":"DUPLICATE".*', "409"),
            ("(\\n|.)*ValidationError(\\n|.)*", "400"),
            (None, "201"),
        ]

    def test_refs_and_path_parameters(self, orders):
        get = orders.method("GET", "/orders/{orderId}")
        assert get.request_parameters == {"method.request.path.orderId": True}
        assert get.method_responses["404"].header_names == ["X-Error-Code"]  # via #/responses/NotFound
        assert get.integration.timeout_in_millis == 5000
        assert get.integration.integration_responses[0].response_parameters == {
            "method.response.header.X-Error-Code": "'ORDER_NOT_FOUND'"
        }

    def test_json_positions(self, orders):
        lines = ORDERS.read_text().splitlines()
        template = orders.method("POST", "/orders").integration.request_templates[0]
        assert template.source.style == '"'
        assert lines[template.source.key_line - 1].strip().startswith('"application/json": "{\\n')
        assert template.source.line == template.source.key_line


class TestAwsCli:
    def test_get_resources_embed_methods(self):
        api = load_definition(DATA / "aws-get-resources.json")
        assert api.format == "aws-cli"
        assert api.resource_paths == ["/", "/pets", "/{proxy+}"]
        assert list(api.methods) == [("GET", "/pets"), ("ANY", "/{proxy+}")]
        pets = api.method("GET", "/pets")
        assert pets.request_parameters == {"method.request.querystring.limit": False}
        assert pets.method_responses["200"].header_names == ["X-Total-Count"]
        assert pets.method_responses["200"].response_models == {"application/json": "Empty"}
        responses = pets.integration.integration_responses
        assert [(r.selection_pattern, r.status_code) for r in responses] == [(None, "200"), ("404", "404")]
        assert responses[0].templates == {"application/json": None}
        proxy = api.method("ANY", "/{proxy+}").integration
        assert proxy.type == "AWS_PROXY" and proxy.is_lambda and proxy.content_handling == "CONVERT_TO_TEXT"
        assert api.find_method("DELETE", "/a/b")[1] == {"proxy": "a/b"}

    def test_get_method(self):
        api = load_definition(DATA / "aws-get-method.json")
        assert list(api.methods) == [("POST", "/")]
        integration = api.method("POST", "/").integration
        assert integration.is_lambda and integration.passthrough_behavior == "WHEN_NO_TEMPLATES"
        assert [(r.selection_pattern, r.status_code) for r in integration.integration_responses] == [
            (None, "200"),
            (r".*\[BadRequest\].*", "400"),
        ]
        assert integration.integration_responses[1].source.pointer == "/methodIntegration/integrationResponses/400"


class TestFieldSources:
    """``where(field)`` points at the key whatever the format calls it (for lint findings)."""

    def test_openapi(self, petstore):
        lines = PETSTORE.read_text().splitlines()
        method = petstore.method("GET", "/pets/{petId}")
        integration = method.integration
        where = integration.where("request_parameters.integration.request.path.id")
        assert lines[where.key_line - 1].strip() == "integration.request.path.id: method.request.path.petId"
        assert lines[integration.where("uri").line - 1].strip().startswith("uri: https://backend")
        response = integration.integration_responses[1]
        pattern = response.where("selection_pattern")
        assert lines[pattern.key_line - 1].strip() == r"5\d{2}:"
        assert lines[response.where("status_code").line - 1].strip() == 'statusCode: "502"'
        # a path-level parameter reached through $ref points at the component
        declared = method.where("request_parameters.method.request.path.petId")
        assert declared.pointer == "/components/parameters/PetId"
        header = method.method_responses["200"].where("response_parameters.method.response.header.ETag")
        assert lines[header.key_line - 1].strip() == "ETag:"
        assert integration.where("no_such_field") is integration.source

    def test_cloudformation(self):
        from vtlgw.apigw.definition import load_definition as load

        path = DATA / "orders-cfn.yaml"
        lines = path.read_text().splitlines()
        method = load(path, api="OrdersApi").method("POST", "/orders/{id}/items")
        response = method.integration.integration_responses[0]
        assert lines[response.where("selection_pattern").line - 1].strip() == r"SelectionPattern: 5\d{2}"
        assert method.integration.where("passthrough_behavior").pointer.endswith("/Integration/PassthroughBehavior")
        get = load(path, api="OrdersApi").method("GET", "/orders/{id}/items")
        where = get.where("request_parameters.method.request.querystring.expand")
        assert lines[where.key_line - 1].strip() == "method.request.querystring.expand: no"


def test_empty_and_default_keys_are_both_default(tmp_path):
    path = tmp_path / "api.yaml"
    path.write_text(
        "openapi: 3.0.1\npaths:\n  /a:\n    get:\n      x-amazon-apigateway-integration:\n        type: mock\n"
        "        responses:\n          '': {statusCode: '200'}\n          default: {statusCode: '201'}\n"
    )
    responses = load_definition(path).method("GET", "/a").integration.integration_responses
    # Two defaults load (the linter reports them, VTL310); the first in definition order comes first.
    assert [(r.selection_pattern, r.status_code, r.is_default) for r in responses] == [
        (None, "200", True), (None, "201", True)
    ]
