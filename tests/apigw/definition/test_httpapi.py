"""HTTP APIs (API Gateway v2): SAM HttpApi, AWS::ApiGatewayV2::* and OpenAPI exports, and their routing."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from vtlgw.apigw.definition import (
    AmbiguousApiError,
    ApiDefinition,
    DefinitionError,
    Integration,
    Method,
    Stack,
    UnsupportedDefinitionError,
    list_api_ids,
    load_definition,
)

DATA = Path(__file__).parent / "data" / "httpapi"
SAM_IMPLICIT = DATA / "sam-implicit.yaml"
SAM_EXPLICIT = DATA / "sam-explicit.yaml"
V2 = DATA / "v2-cfn.yaml"
EXPORT = DATA / "export-openapi.yaml"


def fn_arn(logical_id: str) -> str:
    name = Stack().generated_name(logical_id)
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


def invocation(arn: str, region: str = "us-east-1") -> str:
    return f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def error_of(path: Path, **kwargs) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        load_definition(path, **kwargs)
    return info.value


class TestSamImplicitApi:
    def test_events_on_the_implicit_api(self):
        # No ApiId: the events go on ServerlessHttpApi (SAM docs, sam-property-function-httpapi, ApiId).
        api = load_definition(SAM_IMPLICIT)
        assert api.protocol == "HTTP"
        assert api.format == "sam"
        assert api.api_id == "ServerlessHttpApi"
        assert list_api_ids(SAM_IMPLICIT) == ["ServerlessHttpApi"]
        assert list(api.methods) == [("GET", "/pets"), ("GET", "/pets/{id}"), ("ANY", "$default")]
        assert [m.route_key for m in api.methods.values()] == ["GET /pets", "GET /pets/{id}", "$default"]
        # An HTTP API has a $default stage unless one is named (SAM docs, sam-resource-httpapi, StageName).
        assert api.stage_name == "$default"

    def test_lambda_integration_shape_and_payload_formats(self):
        api = load_definition(SAM_IMPLICIT)
        listing = api.method("GET", "/pets").integration
        assert listing == Integration(
            type="AWS_PROXY", uri=invocation(fn_arn("PetsFunction")), http_method="POST",
            uri_raw=listing.uri_raw, function_id="PetsFunction", payload_format_version="2.0",
            timeout_in_millis=30000,
        )
        assert listing.is_lambda and listing.is_proxy
        # PayloadFormatVersion defaults to 2.0 on an HttpApi event (SAM docs, sam-property-function-httpapi).
        assert listing.payload_format_version == "2.0"
        one = api.method("GET", "/pets/{id}").integration
        assert one.payload_format_version == "1.0"
        assert one.timeout_in_millis == 10000

    def test_event_without_path_and_method_is_the_default_route(self):
        # "If no Path and Method are defined, SAM creates a default API path that routes any request that doesn't
        # map to a different endpoint to this Lambda function" (SAM docs, sam-property-function-httpapi, Path).
        api = load_definition(SAM_IMPLICIT)
        default = api.methods[("ANY", "$default")]
        assert default.integration.function_id == "CatchAllFunction"
        assert "$default" not in api.resource_paths
        assert default.source.pointer == "/Resources/CatchAllFunction/Properties/Events/Everything/Properties"

    def test_functions_run_in_process(self):
        api = load_definition(SAM_IMPLICIT)
        assert api.functions["PetsFunction"].handler == "app.handler"
        assert api.functions["PetsFunction"].code_dir == str((DATA / "src").resolve())
        assert api.functions["PetsFunction"].timeout_seconds == 5

    def test_symbolic_uri_when_not_evaluated(self):
        api = load_definition(SAM_IMPLICIT, evaluate=False)
        integration = api.method("GET", "/pets").integration
        assert integration.uri == ("arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/"
                                   "functions/${PetsFunction.Arn}/invocations")
        assert integration.function_id == "PetsFunction"

    def test_only_path_is_an_error(self, tmp_path):
        path = write(tmp_path, "half.yaml", """\
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Runtime: python3.12
                  Events:
                    Half:
                      Type: HttpApi
                      Properties:
                        Path: /half
            """)
        err = error_of(path)
        assert err.pointer == "/Resources/Fn/Properties/Events/Half/Properties"
        assert "needs both 'Path' and 'Method', or neither" in err.message
        assert str(err).startswith(f"{path}:")

    def test_bad_payload_format_version(self, tmp_path):
        path = write(tmp_path, "pfv.yaml", """\
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Runtime: python3.12
                  Events:
                    Get:
                      Type: HttpApi
                      Properties:
                        Path: /x
                        Method: get
                        PayloadFormatVersion: "3.0"
            """)
        err = error_of(path)
        assert err.pointer == "/Resources/Fn/Properties/Events/Get/Properties/PayloadFormatVersion"
        assert err.message == "unknown payload format version '3.0': expected 1.0 or 2.0"


class TestSamExplicitApi:
    def test_stage_name_and_variables(self):
        api = load_definition(SAM_EXPLICIT)
        assert api.api_id == "OrdersHttpApi"
        assert api.name == "orders-http"  # the body's info.title
        assert api.stage_name == "prod"  # !Ref Stage: the parameter's Default
        assert api.stage_variables == {"table": "orders-prod"}

    def test_events_complete_the_body(self):
        # SAM adds the Lambda integration to a path and method the OpenAPI body defines
        # (SAM docs, sam-property-function-httpapi).
        api = load_definition(SAM_EXPLICIT)
        assert list(api.methods) == [("POST", "/orders"), ("GET", "/health"), ("ANY", "/orders/{proxy+}")]
        create = api.method("POST", "/orders").integration
        assert create.type == "AWS_PROXY"
        assert create.function_id == "OrdersFunction"
        assert create.payload_format_version == "2.0"
        assert api.method("ANY", "/orders/{proxy+}").route_key == "ANY /orders/{proxy+}"

    def test_http_proxy_and_parameter_mapping_from_the_body(self):
        health = load_definition(SAM_EXPLICIT).method("GET", "/health").integration
        assert (health.type, health.uri, health.http_method) == ("HTTP_PROXY", "https://status.example.com/health",
                                                                 "GET")
        # HTTP API parameter mapping keys (AWS docs, http-api-parameter-mapping) are kept as written.
        assert health.request_parameters == {
            "overwrite:header.x-source": "vtlgw",
            "append:querystring.check": "deep",
            "remove:header.cookie": "''",
        }
        assert health.where("request_parameters.append:querystring.check").pointer == (
            "/Resources/OrdersHttpApi/Properties/DefinitionBody/paths/~1health/get/x-amazon-apigateway-integration/"
            "requestParameters/append:querystring.check")

    def test_rest_and_http_api_together_are_ambiguous(self, tmp_path):
        path = write(tmp_path, "both.yaml", """\
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Runtime: python3.12
                  Events:
                    Rest:
                      Type: Api
                      Properties: {Path: /r, Method: get}
                    Http:
                      Type: HttpApi
                      Properties: {Path: /h, Method: get}
            """)
        with pytest.raises(AmbiguousApiError) as info:
            load_definition(path)
        assert info.value.candidates == ["ServerlessRestApi", "ServerlessHttpApi"]
        assert "several APIs are defined; choose one with api=<logical id>: ServerlessRestApi, ServerlessHttpApi" \
            in str(info.value)
        assert load_definition(path, api="ServerlessHttpApi").protocol == "HTTP"
        rest = load_definition(path, api="ServerlessRestApi")
        assert rest.protocol == "REST"
        assert rest.method("GET", "/r").integration.payload_format_version is None


class TestApiGatewayV2:
    def test_routes_integrations_and_stage(self):
        api = load_definition(V2)
        assert (api.protocol, api.format, api.api_id, api.name) == ("HTTP", "cloudformation", "PetsApi", "pets-v2")
        assert api.stage_name == "prod"
        assert api.stage_variables == {"backend": "backend.example.com"}
        assert [m.route_key for m in api.methods.values()] == [
            "GET /pets/{id}", "GET /pets", "ANY /static/{proxy+}", "$default"]

    def test_function_arn_as_integration_uri(self):
        # IntegrationUri "For a Lambda integration, specify the ARN of the Lambda function"
        # (CloudFormation docs, AWS::ApiGatewayV2::Integration IntegrationUri): normalised to the invocation URI.
        get = load_definition(V2).method("GET", "/pets/{id}").integration
        assert get.uri == invocation(fn_arn("PetsFunction"))
        assert get.is_lambda and get.function_id == "PetsFunction"
        assert (get.http_method, get.payload_format_version) == ("POST", "2.0")

    def test_join_target_and_invocation_uri(self):
        listing = load_definition(V2).method("GET", "/pets").integration
        assert listing.uri == invocation(fn_arn("PetsFunction"))
        assert listing.payload_format_version == "1.0"
        assert listing.timeout_in_millis == 12000

    def test_http_proxy_integration(self):
        api = load_definition(V2)
        static = api.method("ANY", "/static/{proxy+}").integration
        assert static == Integration(type="HTTP_PROXY", uri="https://backend.example.com/{proxy}", http_method="GET",
                                     uri_raw="https://backend.example.com/{proxy}", payload_format_version="1.0",
                                     timeout_in_millis=30000,
                                     request_parameters={"overwrite:path": "$request.path.proxy",
                                                         "append:header.x-request": "$context.requestId"})
        assert api.methods[("ANY", "$default")].integration is static  # one integration, two routes

    def test_no_stage_is_the_default_stage(self, tmp_path):
        text = V2.read_text().split("  ProdStage:")[0]
        api = load_definition(write(tmp_path, "nostage.yaml", text))
        assert api.stage_name == "$default"
        assert api.stage_variables == {}

    def test_integration_method_defaults_to_any(self, tmp_path):
        text = V2.read_text().replace("      IntegrationMethod: GET\n", "")
        api = load_definition(write(tmp_path, "any.yaml", text))
        assert api.method("ANY", "/static/{proxy+}").integration.http_method == "ANY"

    def test_lambda_integration_without_payload_format_is_1_0(self, tmp_path):
        # U50: PayloadFormatVersion is "required for HTTP APIs" (CloudFormation docs); one left out reads as 1.0.
        text = V2.read_text().replace('      PayloadFormatVersion: "2.0"\n', "", 1)
        api = load_definition(write(tmp_path, "nopayload.yaml", text))
        lambdas = [m.integration for m in api.methods.values()
                   if m.integration is not None and m.integration.type == "AWS_PROXY"]
        assert lambdas and {i.payload_format_version for i in lambdas} == {"1.0"}

    def test_quick_create(self, tmp_path):
        path = write(tmp_path, "quick.yaml", """\
            Resources:
              Fn:
                Type: AWS::Lambda::Function
                Properties:
                  Handler: index.handler
                  Runtime: python3.12
                  Role: arn:aws:iam::123456789012:role/r
                  Code: {ZipFile: "x"}
              QuickApi:
                Type: AWS::ApiGatewayV2::Api
                Properties:
                  Name: quick
                  ProtocolType: HTTP
                  Target: !GetAtt Fn.Arn
            """)
        api = load_definition(path)
        # "If you don't specify a routeKey, a default route of $default is created" (AWS API reference, CreateApi).
        route = api.methods[("ANY", "$default")]
        assert route.route_key == "$default"
        assert route.integration.uri == invocation(fn_arn("Fn"))
        assert route.integration.function_id == "Fn"
        assert route.integration.payload_format_version == "2.0"
        assert api.stage_name == "$default"

    def test_target_naming_no_integration(self, tmp_path):
        text = V2.read_text().replace("Target: !Sub integrations/${LambdaIntegration}",
                                      "Target: !Sub integrations/${Missing}")
        err = error_of(write(tmp_path, "target.yaml", text))
        assert err.pointer == "/Resources/GetPetRoute/Properties/Target"
        assert err.message.startswith("the route's Target 'integrations/${Missing}' names no "
                                      "AWS::ApiGatewayV2::Integration of API PetsApi")
        assert "LambdaIntegration, LegacyIntegration, BackendIntegration" in err.message
        assert str(err).startswith(f"{tmp_path / 'target.yaml'}:")
        assert err.line is not None

    def test_literal_target_naming_no_integration(self, tmp_path):
        text = V2.read_text().replace("Target: !Sub integrations/${LambdaIntegration}", "Target: integrations/abc123")
        err = error_of(write(tmp_path, "literal.yaml", text))
        assert err.pointer == "/Resources/GetPetRoute/Properties/Target"
        assert "'integrations/abc123' names no AWS::ApiGatewayV2::Integration" in err.message

    def test_unknown_integration_type(self, tmp_path):
        # HTTP APIs support only Lambda proxy and HTTP proxy integrations (AWS docs, http-api-open-api).
        text = V2.read_text().replace("IntegrationType: HTTP_PROXY", "IntegrationType: MOCK")
        err = error_of(write(tmp_path, "mock.yaml", text))
        assert err.pointer == "/Resources/BackendIntegration/Properties/IntegrationType"
        assert "unknown integration type 'MOCK' for an HTTP API" in err.message

    def test_bad_route_key(self, tmp_path):
        text = V2.read_text().replace("RouteKey: GET /pets/{id}", "RouteKey: FETCH /pets/{id}")
        err = error_of(write(tmp_path, "key.yaml", text))
        assert err.pointer == "/Resources/GetPetRoute/Properties/RouteKey"
        assert err.message.startswith("invalid route key 'FETCH /pets/{id}'")

    def test_greedy_variable_must_end_the_path(self, tmp_path):
        # "The greedy path variable must be at the end of the resource path" (AWS docs, http-api-develop-routes).
        text = V2.read_text().replace("RouteKey: ANY /static/{proxy+}", "RouteKey: ANY /static/{proxy+}/x")
        err = error_of(write(tmp_path, "greedy.yaml", text))
        assert err.pointer == "/Resources/ProxyRoute/Properties/RouteKey"
        assert "must be at the end of the path" in err.message

    def test_lenient_load_collects_problems(self, tmp_path):
        text = V2.read_text().replace("Target: !Sub integrations/${LambdaIntegration}",
                                      "Target: !Sub integrations/${Missing}")
        api = load_definition(write(tmp_path, "lenient.yaml", text), strict=False)
        assert [p.pointer for p in api.problems] == ["/Resources/GetPetRoute/Properties/Target"]
        assert ("GET", "/pets/{id}") not in api.methods
        assert ("GET", "/pets") in api.methods

    def test_websocket_api_is_skipped(self, tmp_path):
        path = write(tmp_path, "ws.yaml", """\
            Resources:
              Chat:
                Type: AWS::ApiGatewayV2::Api
                Properties:
                  Name: chat
                  ProtocolType: WEBSOCKET
                  RouteSelectionExpression: $request.body.action
            """)
        assert list_api_ids(path) == []
        err = error_of(path)
        assert "no REST API found" in err.message and "Chat (WebSocket, not emulated)" in err.message
        with pytest.raises(UnsupportedDefinitionError, match="Chat is a WebSocket API"):
            load_definition(path, api="Chat")

    def test_unknown_api_id_names_the_kind(self):
        with pytest.raises(DefinitionError, match="no HTTP API 'Nope' here; APIs: PetsApi"):
            load_definition(V2, api="Nope")


class TestOpenApiExport:
    def test_export_is_an_http_api(self):
        # payloadFormatVersion is "Required for HTTP APIs" (AWS docs, api-gateway-swagger-extensions-integration).
        api = load_definition(EXPORT)
        assert (api.protocol, api.format, api.name, api.stage_name) == ("HTTP", "openapi3", "pets-export", "$default")
        assert list(api.methods) == [("GET", "/pets"), ("GET", "/pets/{id}"), ("ANY", "$default")]

    def test_bare_function_arn_is_normalised(self):
        pets = load_definition(EXPORT).method("GET", "/pets").integration
        assert pets.uri == invocation("arn:aws:lambda:us-east-1:123456789012:function:pets")
        assert pets.is_lambda
        assert (pets.type, pets.http_method, pets.payload_format_version) == ("AWS_PROXY", "POST", "2.0")

    def test_integration_by_reference(self):
        # x-amazon-apigateway-integrations components, referenced by $ref (AWS docs,
        # api-gateway-extensions-integrations).
        one = load_definition(EXPORT).method("GET", "/pets/{id}").integration
        assert one.payload_format_version == "1.0"
        assert one.request_parameters == {"overwrite:header.x-pet": "$request.path.id"}
        assert one.source.pointer == "/components/x-amazon-apigateway-integrations/legacy"

    def test_default_route_and_numeric_payload_version(self):
        # The $default route is /$default with x-amazon-apigateway-any-method (isDefaultRoute, AWS docs,
        # api-gateway-swagger-extensions-any-method); the docs' own examples write payloadFormatVersion: 1.0.
        default = load_definition(EXPORT).methods[("ANY", "$default")]
        assert default.route_key == "$default"
        assert (default.integration.type, default.integration.http_method) == ("HTTP_PROXY", "ANY")
        assert default.integration.payload_format_version == "1.0"

    def test_rest_openapi_stays_rest(self):
        api = load_definition(Path(__file__).parent / "data" / "petstore-openapi3.yaml")
        assert api.protocol == "REST"
        assert all(m.route_key is None for m in api.methods.values())

    def test_not_a_lambda_uri(self, tmp_path):
        text = EXPORT.read_text().replace("uri: arn:aws:lambda:us-east-1:123456789012:function:pets",
                                          "uri: arn:aws:sqs:us-east-1:123456789012:queue")
        err = error_of(write(tmp_path, "sqs.yaml", text))
        assert err.pointer == "/paths/~1pets/get/x-amazon-apigateway-integration/uri"
        assert "an AWS_PROXY integration of an HTTP API invokes a Lambda function" in err.message

    def test_unknown_type(self, tmp_path):
        text = EXPORT.read_text().replace("type: http_proxy", "type: aws")
        err = error_of(write(tmp_path, "aws.yaml", text))
        assert err.pointer == "/paths/~1$default/x-amazon-apigateway-any-method/x-amazon-apigateway-integration/type"
        assert "unknown integration type 'aws' for an HTTP API" in err.message

    def test_unresolved_reference(self, tmp_path):
        text = EXPORT.read_text().replace("integrations/legacy\"", "integrations/nope\"")
        err = error_of(write(tmp_path, "ref.yaml", text))
        assert err.pointer == "/paths/~1pets~1{id}/get/x-amazon-apigateway-integration/$ref"
        assert err.message == "unresolved reference '#/components/x-amazon-apigateway-integrations/nope'"


def http_api(*route_keys: str) -> ApiDefinition:
    api = ApiDefinition(source_file="<test>", format="openapi3", protocol="HTTP")
    for key in route_keys:
        verb, path = ("ANY", "$default") if key == "$default" else key.split(" ", 1)
        api.methods[(verb, path)] = Method(verb, path, route_key=key)
    return api


def routed(api: ApiDefinition, verb: str, path: str) -> tuple[str, dict[str, str]] | None:
    found = api.find_method(verb, path)
    return None if found is None else (found[0].route_key, found[1])


class TestRouting:
    # The example of AWS docs, http-api-develop-routes ("Routing API requests").
    DOCS = ("GET /pets/dog/{id}", "GET /pets/{proxy+}", "ANY /{proxy+}", "$default")

    def test_the_documented_example(self):
        api = http_api(*self.DOCS)
        assert routed(api, "GET", "/pets/dog/1") == ("GET /pets/dog/{id}", {"id": "1"})
        assert routed(api, "GET", "/pets/cat/1") == ("GET /pets/{proxy+}", {"proxy": "cat/1"})
        assert routed(api, "POST", "/test/5") == ("ANY /{proxy+}", {"proxy": "test/5"})

    def test_default_route_catches_the_rest(self):
        api = http_api("GET /pets", "$default")
        assert routed(api, "GET", "/") == ("$default", {})
        assert routed(api, "POST", "/pets") == ("$default", {})
        assert routed(api, "GET", "/pets") == ("GET /pets", {})

    def test_no_match_and_no_default_is_none(self):
        # "If no routes match a request, API Gateway returns {"message":"Not Found"}" (http-api-develop-routes);
        # the caller writes that 404.
        api = http_api("GET /pets")
        assert api.find_method("POST", "/pets") is None
        assert api.find_method("GET", "/cats") is None

    def test_literal_beats_variable_beats_greedy(self):
        api = http_api("GET /pets/{id}", "GET /pets/mine", "GET /pets/{proxy+}")
        assert routed(api, "GET", "/pets/mine") == ("GET /pets/mine", {})
        assert routed(api, "GET", "/pets/7") == ("GET /pets/{id}", {"id": "7"})
        assert routed(api, "GET", "/pets/7/toys") == ("GET /pets/{proxy+}", {"proxy": "7/toys"})

    def test_exact_method_beats_any(self):
        api = http_api("ANY /pets", "GET /pets")
        assert routed(api, "GET", "/pets") == ("GET /pets", {})
        assert routed(api, "DELETE", "/pets") == ("ANY /pets", {})
        assert routed(api, "get", "/pets") == ("GET /pets", {})

    def test_falls_through_to_a_less_specific_route_with_the_method(self):
        api = http_api("POST /pets/{id}", "GET /{proxy+}")
        assert routed(api, "GET", "/pets/1") == ("GET /{proxy+}", {"proxy": "pets/1"})

    def test_greedy_does_not_match_the_root(self):
        api = http_api("ANY /{proxy+}")
        assert api.find_method("GET", "/") is None

    def test_root_route(self):
        api = http_api("GET /", "$default")
        assert routed(api, "GET", "/") == ("GET /", {})
        assert routed(api, "GET", "/?q=1") == ("GET /", {})

    def test_path_parameters_are_decoded(self):
        # "API Gateway decodes URL-encoded request parameters" (AWS docs, http-api-develop-routes).
        api = http_api("GET /files/{name}")
        assert routed(api, "GET", "/files/a%20b") == ("GET /files/{name}", {"name": "a b"})

    def test_case_and_trailing_slash_count(self):
        # U49: not folded as a REST API folds them.
        api = http_api("GET /pets", "$default")
        assert routed(api, "GET", "/pets/") == ("$default", {})
        assert routed(api, "GET", "/Pets") == ("$default", {})
        assert routed(api, "GET", "//pets") == ("$default", {})

    def test_loaded_template_routes(self):
        api = load_definition(V2)
        assert routed(api, "GET", "/pets/3") == ("GET /pets/{id}", {"id": "3"})
        assert routed(api, "PUT", "/static/css/site.css") == ("ANY /static/{proxy+}", {"proxy": "css/site.css"})
        assert routed(api, "GET", "/elsewhere") == ("$default", {})

    def test_rest_routing_is_unchanged(self):
        rest = ApiDefinition(source_file="<test>", format="openapi3")
        rest.methods[("GET", "/pets")] = Method("GET", "/pets")
        assert rest.find_method("GET", "/pets/")[0].resource_path == "/pets"  # REST ignores a trailing slash
