"""requestParameters, requestOverride and building the integration request (docs/integration.md §3.4)."""

import pytest

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.pipeline import HttpHandler, HttpResponse, backend_from_file, invoke

from .helpers import DATA, api, req, texts

URI = "https://backend.example.com/items/{id}"
DECLARED = {
    "method.request.path.id": True,
    "method.request.querystring.page": False,
    "method.request.querystring.tag": False,
    "method.request.header.X-Tenant": False,
    "method.request.multivalueheader.X-Flag": False,
}


def run(params, request=None, *, type="HTTP", templates=None, uri=URI, declared=DECLARED, **kw):
    seen = []

    def handler(integration_request):
        seen.append(integration_request)
        return HttpResponse(200, body="{}")

    definition = api(type=type, uri=uri, resource="/items/{id}", request_parameters=params,
                     declared=declared, request_templates=templates, **kw)
    request = request or req(path="/items/42")
    result = invoke(definition, request, backend=HttpHandler(handler))
    return result, (seen[0] if seen else None)


def test_path_querystring_header_single_values_take_the_last():
    request = req(path="/items/42", multiValueQueryStringParameters={"page": ["1", "2"]},
                  multiValueHeaders={"X-Tenant": ["a", "b"]})
    _, sent = run({"integration.request.path.id": "method.request.path.id",
                   "integration.request.querystring.p": "method.request.querystring.page",
                   "integration.request.header.X-T": "method.request.header.X-Tenant"}, request)
    assert sent.uri == "https://backend.example.com/items/42"
    assert sent.query == {"p": ["2"]}
    assert sent.headers["X-T"] == "b"


def test_header_source_name_is_case_insensitive():
    _, sent = run({"integration.request.header.X-T": "method.request.header.X-Tenant"},
                  req(path="/items/42", headers={"x-tenant": "acme"}))
    assert sent.headers["X-T"] == "acme"


def test_multivalue_sources():
    request = req(path="/items/42", multiValueQueryStringParameters={"tag": ["a", "b"]},
                  multiValueHeaders={"X-Flag": ["on", "off"]})
    result, sent = run({"integration.request.querystring.tags": "method.request.multivaluequerystring.tag",
                        "integration.request.header.X-Flags": "method.request.multivalueheader.X-Flag"}, request)
    assert sent.query == {"tags": ["a", "b"]}
    assert sent.multi_value_headers["X-Flags"] == ["on", "off"]
    assert sent.url.endswith("?tags=a&tags=b")
    assert "X-Flags=on,off" in result.log


def test_body_and_body_jsonpath():
    request = req(path="/items/42", body='{"user": {"name": "Ann", "age": 41, "tags": ["x"]}, "n": null}')
    _, sent = run({"integration.request.header.X-Body": "method.request.body",
                   "integration.request.header.X-Name": "method.request.body.user.name",
                   "integration.request.header.X-Age": "method.request.body.user.age",
                   "integration.request.header.X-Tags": "method.request.body.user.tags",
                   "integration.request.header.X-Missing": "method.request.body.user.email",
                   "integration.request.header.X-Null": "method.request.body.n"}, request)
    assert sent.headers["X-Body"] == request.body
    assert sent.headers["X-Name"] == "Ann"
    assert sent.headers["X-Age"] == "41"
    assert sent.headers["X-Tags"] == '["x"]'
    assert "X-Missing" not in sent.headers and "X-Null" not in sent.headers


def test_u38_body_jsonpath_over_a_non_json_body_is_400():
    result, sent = run({"integration.request.header.X-Name": "method.request.body.name"},
                       req(path="/items/42", body="name=Ann"))
    assert result.status == 400
    assert result.body == '{"message": "Invalid JSON in request body"}'
    assert sent is None and result.error is None


def test_context_stage_variables_and_literals():
    request = req(path="/items/42", stageVariables={"env": "blue"},
                  requestContext={"identity": {"sourceIp": "203.0.113.7"}})
    _, sent = run({"integration.request.header.X-Ip": "context.identity.sourceIp",
                   "integration.request.header.X-Req": "context.requestId",
                   "integration.request.header.X-Env": "stageVariables.env",
                   "integration.request.header.X-None": "stageVariables.nothing",
                   "integration.request.querystring.src": "'gateway'",
                   "integration.request.header.X-Empty": "''"}, request)
    assert sent.headers["X-Ip"] == "203.0.113.7"
    assert sent.headers["X-Req"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    assert sent.headers["X-Env"] == "blue"
    assert sent.query == {"src": ["gateway"]}
    assert "X-None" not in sent.headers and "X-Empty" not in sent.headers


def test_missing_source_leaves_target_unset():
    _, sent = run({"integration.request.header.X-T": "method.request.header.X-Tenant",
                   "integration.request.querystring.page": "method.request.querystring.page"})
    assert "X-T" not in sent.headers and sent.query == {}


def test_path_parameters_routed_from_the_path_are_decoded_and_re_encoded_in_the_uri():
    result, sent = run({"integration.request.path.id": "method.request.path.id"},
                       req(path="/items/a%20b"), templates={"application/json": "$input.params('id')"})
    assert sent.body == "a b"
    assert sent.uri == "https://backend.example.com/items/a%20b"
    assert "Method request path: {id=a b}" in result.log


def test_an_empty_last_value_leaves_the_target_unset():
    # The single value is the last one ($input.params agrees: ""), not the last non-empty one.
    request = req(path="/items/42", multiValueQueryStringParameters={"page": ["1", ""]},
                  multiValueHeaders={"X-Tenant": ["a", ""]})
    _, sent = run({"integration.request.header.X-T": "method.request.header.X-Tenant",
                   "integration.request.querystring.page": "method.request.querystring.page"}, request)
    assert "X-T" not in sent.headers and sent.query == {}


def test_undeclared_source_parameter_is_a_configuration_error():
    result, sent = run({"integration.request.header.X-U": "method.request.header.X-Undeclared"})
    assert result.status == 500 and sent is None
    assert texts(result.log_lines)[-2] == ("Execution failed due to configuration error: Invalid mapping "
                                           "expression specified")
    assert "X-Undeclared" in result.error


@pytest.mark.parametrize("header", ["Content-Length", "transfer-encoding"])
def test_forbidden_headers_are_500(header):
    result, sent = run({f"integration.request.header.{header}": "'1'"})
    assert result.status == 500 and sent is None
    assert result.headers["x-amzn-ErrorType"] == "InternalServerErrorException"
    assert "Invalid mapping expression specified" in result.log


@pytest.mark.parametrize("header", ["Authorization", "Connection", "Expect", "Proxy-Authenticate", "TE"])
def test_forbidden_headers_for_aws_integrations(header):
    uri = "arn:aws:apigateway:us-east-1:sqs:path/123456789012/q"
    result, _ = run({f"integration.request.header.{header}": "'x'"}, type="AWS", uri=uri)
    assert result.status == 500
    ok, sent = run({f"integration.request.header.{header}": "'x'"})  # HTTP allows them
    assert ok.status == 200 and sent.headers[header] == "x"


def test_http_default_headers_and_client_headers_not_forwarded():
    _, sent = run({}, req(path="/items/42", headers={"Accept": "text/html", "X-Secret": "s", "User-Agent": "curl"}))
    assert sent.headers == {"Accept": "application/json", "User-Agent": "AmazonAPIGateway_a1b2c3d4e5",
                            "X-Amzn-Apigateway-Api-Id": "a1b2c3d4e5"}


def test_mapped_headers_replace_defaults():
    _, sent = run({"integration.request.header.Accept": "'application/xml'"})
    assert sent.headers["Accept"] == "application/xml"


def test_uri_placeholders_and_stage_variables():
    request = req(path="/items/a b/c", stageVariables={"host": "api.internal", "ver": "v3"})
    _, sent = run({"integration.request.path.id": "method.request.path.id"}, request,
                  uri="https://${stageVariables.host}/${stageVariables.ver}/items/{id}")
    assert sent is None  # routing: "a b/c" is two segments, no such resource
    request = req(path="/items/a b", stageVariables={"host": "api.internal", "ver": "v3"})
    _, sent = run({"integration.request.path.id": "method.request.path.id"}, request,
                  uri="https://${stageVariables.host}/${stageVariables.ver}/items/{id}")
    assert sent.uri == "https://api.internal/v3/items/a%20b"


def test_request_override_replaces_and_adds_with_lists():
    template = """#set($context.requestOverride.header.X-Tenant-Id = "override")
#set($context.requestOverride.querystring.ids = ["1", "2"])
#set($context.requestOverride.path.id = "99")
{}"""
    request = req(path="/items/42", headers={"Content-Type": "application/json", "X-Tenant": "acme"}, body="{}")
    result, sent = run({"integration.request.header.x-tenant-id": "method.request.header.X-Tenant",
                        "integration.request.path.id": "method.request.path.id"}, request,
                       templates={"application/json": template})
    assert sent.headers["X-Tenant-Id"] == "override" and "x-tenant-id" not in sent.headers
    assert sent.query == {"ids": ["1", "2"]}
    assert sent.uri == "https://backend.example.com/items/99"
    assert "ids=1,2" not in result.log  # query strings are logged in the URI
    assert sent.url.endswith("?ids=1&ids=2")


def test_request_override_header_list_is_logged_joined():
    template = '#set($context.requestOverride.header.X-Multi = ["a", "b"]){}'
    result, sent = run({}, req(path="/items/42", body="{}"), templates={"application/json": template})
    assert sent.multi_value_headers["X-Multi"] == ["a", "b"]
    assert "X-Multi=a,b" in result.log


def test_u27_duplicate_request_override_is_500():
    template = ('#set($context.requestOverride.header.X-A = "1")'
                '#set($context.requestOverride.header.X-A = "2"){}')
    result, sent = run({}, req(path="/items/42", body="{}"), templates={"application/json": template})
    assert result.status == 500 and sent is None
    assert texts(result.log_lines)[-2] == ("Execution failed due to configuration error: Parameter "
                                           "requestOverride.header.X-A was overridden more than once")


def test_catalog_http_file_end_to_end():
    definition = load_definition(DATA / "catalog-swagger.json")
    request = req(httpMethod="GET", path="/products/p-1",
                  multiValueHeaders={"X-Tenant": ["acme"], "Accept-Language": ["de", "en"]},
                  multiValueQueryStringParameters={"tag": ["a", "b"], "fields": ["name"]},
                  stageVariables={"backendHost": "api.example.com", "apiVersion": "2", "cacheMode": "hit"})
    result = invoke(definition, request, backend=backend_from_file(DATA / "http-product.json", "http-response"))
    sent = result.integration_request
    assert sent.url == "https://api.example.com/v2/products/p-1?fields=name&tags=a&tags=b"
    assert sent.http_method == "GET"
    assert sent.multi_value_headers["X-Languages"] == ["de", "en"]
    assert sent.headers["X-Tenant-Id"] == "acme"
    assert sent.headers["X-Source-Ip"] == "192.0.2.1"
    assert sent.headers["X-Api-Version"] == "2"
    assert sent.headers["X-Client"] == "vtlgw-catalog"
    assert result.status == 200
    assert result.headers["X-Backend-Etag"] == '"v7"'
    assert result.headers["X-Links"] == "</products/2>; rel=next,</products/0>; rel=prev"
    assert result.headers["X-Price"] == "25"
    assert result.headers["X-Dimensions"] == '{"w":20,"h":30}'
    assert result.headers["X-Stage"] == "test"
    assert result.headers["X-Cache"] == "hit"
    assert result.headers["x-amzn-Remapped-Date"] == "Wed, 04 Mar 2020 19:15:17 GMT"
    assert "Transfer-Encoding" not in result.headers
    assert "ETag" not in result.headers  # backend headers only reach the client when mapped
    assert result.body == ('{"id":"p-1","name":"Kettle","price":{"amount":25,"currency":"EUR"},'
                           '"dimensions":{"w":20,"h":30}}')


def test_catalog_http_404_file():
    definition = load_definition(DATA / "catalog-swagger.json")
    request = req(httpMethod="GET", path="/products/p-9", stageVariables={"backendHost": "api.example.com"})
    result = invoke(definition, request, backend=backend_from_file(DATA / "http-404.json", "http-response"))
    assert result.status == 404
    assert result.json() == {"message": "product p-9 not found"}
    assert result.match_value == "404"


def test_request_file_path_parameters_are_used_when_its_resource_matches():
    request = req(path="/items/a%20b", resource="/items/{id}")
    _, sent = run({"integration.request.header.X-Id": "method.request.path.id"}, request)
    assert sent.headers["X-Id"] == "a b"


def test_fresh_gives_a_random_request_id():
    from vtlgw.apigw.pipeline import invoke as run_invoke

    definition = api(request_templates={"application/json": '{"statusCode": 200}'})
    first = run_invoke(definition, req(), fresh=True)
    second = run_invoke(definition, req(), fresh=True)
    assert first.log_lines[0] != second.log_lines[0]
