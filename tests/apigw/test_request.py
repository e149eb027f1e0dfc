"""The method request file (docs/variables.md §6, docs/proxy.md §1), asserted as the spec writes it."""

import base64
import json

import pytest

from vtlgw.apigw.request import (
    MethodRequest,
    RequestFileError,
    load_request,
    match_resource,
    request_from_dict,
    resource_parameter_names,
)
from vtlgw.vtl.diagnostics import Diagnostic, Location, Severity
from vtlgw.vtl.errors import VtlError


def load(obj_or_text, source="req.json"):
    text = obj_or_text if isinstance(obj_or_text, str) else json.dumps(obj_or_text, indent=2)
    return load_request(text, source)


def req(obj_or_text):
    request, _ = load(obj_or_text)
    return request


def error(obj_or_text, source="req.json"):
    with pytest.raises(RequestFileError) as info:
        load(obj_or_text, source)
    return str(info.value)


# A v1 proxy event as API Gateway delivers it to Lambda (GET /prod/pets/7?limit=2&tag=a&tag=b),
# used unchanged as a request file.
CAPTURED_EVENT = r"""{
    "resource": "/pets/{petId}",
    "path": "/pets/7",
    "httpMethod": "GET",
    "headers": {
        "Accept": "application/json",
        "accept-encoding": "gzip, deflate, br",
        "CloudFront-Forwarded-Proto": "https",
        "CloudFront-Is-Desktop-Viewer": "true",
        "CloudFront-Viewer-Country": "NL",
        "Host": "k3x9q2w7ab.execute-api.eu-west-1.amazonaws.com",
        "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/124.0",
        "Via": "2.0 1f3c0d1e2b4a5c6d7e8f9a0b1c2d3e4f.cloudfront.net (CloudFront)",
        "X-Amz-Cf-Id": "Zq1xY2wV3uT4sR5qP6oN7mL8kJ9iH0gF1eD2cB3aA4zZ5yY6xX7wA==",
        "X-Amzn-Trace-Id": "Root=1-65f1a2b3-0a1b2c3d4e5f60718293a4b5",
        "X-Forwarded-For": "198.51.100.23, 130.176.1.70",
        "X-Forwarded-Port": "443",
        "X-Forwarded-Proto": "https"
    },
    "multiValueHeaders": {
        "Accept": ["application/json"],
        "accept-encoding": ["gzip, deflate, br"],
        "CloudFront-Forwarded-Proto": ["https"],
        "CloudFront-Is-Desktop-Viewer": ["true"],
        "CloudFront-Viewer-Country": ["NL"],
        "Host": ["k3x9q2w7ab.execute-api.eu-west-1.amazonaws.com"],
        "User-Agent": ["Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/124.0"],
        "Via": ["2.0 1f3c0d1e2b4a5c6d7e8f9a0b1c2d3e4f.cloudfront.net (CloudFront)"],
        "X-Amz-Cf-Id": ["Zq1xY2wV3uT4sR5qP6oN7mL8kJ9iH0gF1eD2cB3aA4zZ5yY6xX7wA=="],
        "X-Amzn-Trace-Id": ["Root=1-65f1a2b3-0a1b2c3d4e5f60718293a4b5"],
        "X-Forwarded-For": ["198.51.100.23, 130.176.1.70"],
        "X-Forwarded-Port": ["443"],
        "X-Forwarded-Proto": ["https"]
    },
    "queryStringParameters": {"limit": "2", "tag": "b"},
    "multiValueQueryStringParameters": {"limit": ["2"], "tag": ["a", "b"]},
    "pathParameters": {"petId": "7"},
    "stageVariables": {"backend": "pets-v2", "lambdaAlias": "live"},
    "requestContext": {
        "resourceId": "x1y2z3",
        "resourcePath": "/pets/{petId}",
        "httpMethod": "GET",
        "extendedRequestId": "UqLw3FxYjoEFr9w=",
        "requestTime": "12/Mar/2024:14:03:27 +0000",
        "path": "/prod/pets/7",
        "accountId": "210987654321",
        "protocol": "HTTP/1.1",
        "stage": "prod",
        "domainPrefix": "k3x9q2w7ab",
        "requestTimeEpoch": 1710252207418,
        "requestId": "5e0a8c4d-2f7b-4b1e-9c3a-6d8e1f2a3b4c",
        "identity": {
            "cognitoIdentityPoolId": null,
            "accountId": null,
            "cognitoIdentityId": null,
            "caller": null,
            "sourceIp": "198.51.100.23",
            "principalOrgId": null,
            "accessKey": null,
            "cognitoAuthenticationType": null,
            "cognitoAuthenticationProvider": null,
            "userArn": null,
            "userAgent": "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/124.0",
            "user": null
        },
        "domainName": "k3x9q2w7ab.execute-api.eu-west-1.amazonaws.com",
        "deploymentId": "q8r7s6",
        "apiId": "k3x9q2w7ab"
    },
    "body": null,
    "isBase64Encoded": false
}
"""


# ---------------------------------------------------------------- a captured event, unchanged


def test_captured_proxy_event_loads_unchanged():
    request, warnings = load_request(CAPTURED_EVENT.encode("utf-8"), "event.json")
    assert warnings == []
    assert request.http_method == "GET"
    assert request.path == "/pets/7"
    assert request.resource == "/pets/{petId}"
    assert request.path_parameters == {"petId": "7"}
    assert request.query == {"limit": ["2"], "tag": ["a", "b"]}
    assert request.single_query() == {"limit": "2", "tag": "b"}
    assert request.headers["X-Forwarded-For"] == ["198.51.100.23, 130.176.1.70"]
    assert list(request.headers)[:3] == ["Accept", "accept-encoding", "CloudFront-Forwarded-Proto"]
    assert request.accept == "application/json"
    assert request.content_type is None
    assert request.body is None and request.body_text() == ""
    assert request.is_base64_encoded is False
    assert request.stage_variables == {"backend": "pets-v2", "lambdaAlias": "live"}
    assert request.request_context["stage"] == "prod"
    assert request.request_context["identity"]["sourceIp"] == "198.51.100.23"


# ---------------------------------------------------------------- defaults


def test_empty_file_is_get_root():
    assert req({}) == MethodRequest(
        http_method="GET",
        path="/",
        resource="/",
        path_parameters={},
        headers={},
        query={},
        body=None,
        is_base64_encoded=False,
        stage_variables={},
        request_context={},
    )


@pytest.mark.parametrize(
    "obj,method",
    [
        ({}, "GET"),
        ({"body": None}, "GET"),
        ({"body": "x"}, "POST"),
        ({"body": ""}, "POST"),
        ({"body": {"a": 1}}, "POST"),
        ({"httpMethod": "patch"}, "PATCH"),
        ({"httpMethod": "Delete", "body": "x"}, "DELETE"),
        ({"httpMethod": "get", "body": "x"}, "GET"),
    ],
)
def test_http_method_default_and_upper_case(obj, method):
    assert req(obj).http_method == method


@pytest.mark.parametrize("method", ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"])
def test_every_api_gateway_method_is_accepted(method):
    assert req({"httpMethod": method}).http_method == method


def test_unknown_method_is_an_error():
    assert error('{"httpMethod": "ANY"}') == (
        'req.json:1:16: error: /httpMethod: "ANY" is not one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT'
    )


def test_path_default_is_root_and_resource_defaults_to_path():
    assert req({}).path == "/"
    r = req({"path": "/a//b/"})
    assert (r.path, r.resource, r.path_parameters) == ("/a//b/", "/a//b/", {})


def test_path_with_question_mark_is_an_error():
    text = '{\n  "path": "/pets?limit=2"\n}'
    assert error(text) == (
        'req.json:2:11: error: /path: must not contain "?"; put the query in queryStringParameters'
    )


def test_path_must_start_with_slash():
    assert error('{"path": "pets"}') == 'req.json:1:10: error: /path: must start with "/" (the path without the stage)'


# ---------------------------------------------------------------- resource and path parameters


@pytest.mark.parametrize(
    "resource,path,params",
    [
        ("/", "/", {}),
        ("/pets", "/pets", {}),
        ("/pets", "/pets/", {}),
        ("/pets/{petId}", "/pets/7", {"petId": "7"}),
        ("/pets/{petId}/toys/{toy}", "/pets/7/toys/ball", {"petId": "7", "toy": "ball"}),
        # Recorded on AWS: runs of slashes are one and a trailing slash is not part of the value.
        ("/{proxy+}", "/a//b", {"proxy": "a/b"}),
        ("/{proxy+}", "/proxy-value/", {"proxy": "proxy-value"}),
        ("/{proxy+}", "//proxy-value", {"proxy": "proxy-value"}),
        ("/files/{key+}", "/files/x/y/z.txt", {"key": "x/y/z.txt"}),
        ("/items/{name}", "/items/caf%C3%A9%20au%20lait", {"name": "café au lait"}),
    ],
)
def test_path_parameters_derived_from_resource(resource, path, params):
    assert req({"resource": resource, "path": path}).path_parameters == params
    assert match_resource(resource, path) == params


@pytest.mark.parametrize(
    "resource,path",
    [("/pets/{petId}", "/pets"), ("/pets/{petId}", "/pets/"), ("/{proxy+}", "/"), ("/pets", "/cats"), ("/a", "/a/b")],
)
def test_resource_that_does_not_match_path(resource, path):
    assert match_resource(resource, path) is None
    msg = error({"resource": resource, "path": path})
    assert msg.endswith(f'/resource: resource "{resource}" does not match path "{path}"')


def test_given_path_parameters_that_agree_are_kept():
    r = req({"resource": "/pets/{petId}", "path": "/pets/7", "pathParameters": {"petId": "7"}})
    assert r.path_parameters == {"petId": "7"}


def test_given_path_parameters_that_disagree_are_an_error():
    text = '{"resource": "/pets/{petId}", "path": "/pets/7",\n "pathParameters": {"petId": "8"}}'
    assert error(text) == (
        'req.json:2:30: error: /pathParameters/petId: "8" disagrees with "7" matched '
        'from path "/pets/7" by resource "/pets/{petId}"'
    )
    assert "/pathParameters/x: resource" in error(
        {"resource": "/pets/{petId}", "path": "/pets/7", "pathParameters": {"petId": "7", "x": "1"}}
    )
    assert "/pathParameters: missing \"petId\"" in error(
        {"resource": "/pets/{petId}", "path": "/pets/7", "pathParameters": {}}
    )


def test_path_parameters_without_resource_are_taken_as_given():
    r = req({"path": "/pets/7", "pathParameters": {"petId": "7"}})
    assert (r.resource, r.path_parameters) == ("/pets/7", {"petId": "7"})


@pytest.mark.parametrize("resource", ["pets", "/a/{b", "/{proxy+}/x", "/{a}/{a}", "/a?b"])
def test_malformed_resource_is_an_error(resource):
    with pytest.raises(ValueError):
        resource_parameter_names(resource)
    assert "error: /resource: " in error({"resource": resource})


# ---------------------------------------------------------------- headers and query


def test_u18_repeated_header_and_query_single_value_is_last():
    r = req(
        {
            "multiValueHeaders": {"X-Tag": ["one", "two", "three"]},
            "multiValueQueryStringParameters": {"page": ["1", "2"]},
        }
    )
    assert r.headers == {"X-Tag": ["one", "two", "three"]}
    assert r.single_headers() == {"X-Tag": "three"}
    assert r.header("X-Tag") == "three"
    assert r.single_query() == {"page": "2"}


def test_u19_header_and_query_maps_keep_request_order():
    names = ["Zeta", "alpha", "Mid", "b", "A"]
    r = req({"headers": {n: n.lower() for n in names}, "queryStringParameters": {n: "1" for n in names}})
    assert list(r.single_headers()) == names
    assert list(r.single_query()) == names


def test_u19_order_follows_the_map_listed_first():
    r = req({"headers": {"A": "1", "B": "2"}, "multiValueHeaders": {"B": ["2"], "C": ["3"]}})
    assert list(r.headers) == ["A", "B", "C"]
    r = req({"multiValueHeaders": {"B": ["2"], "C": ["3"]}, "headers": {"A": "1", "B": "2"}})
    assert list(r.headers) == ["B", "C", "A"]


def test_multi_value_list_wins_over_single_value():
    request, warnings = load(
        {"headers": {"X": "single", "Y": "y"}, "multiValueHeaders": {"X": ["m1", "m2"]}}
    )
    assert request.headers == {"X": ["m1", "m2"], "Y": ["y"]}
    assert len(warnings) == 1
    assert str(warnings[0]).startswith("req.json:3:10: warning: /headers/X: ignored: multiValueHeaders gives")


def test_multi_and_single_that_agree_give_no_warning():
    _, warnings = load({"headers": {"X": "b"}, "multiValueHeaders": {"X": ["a", "b"]}})
    assert warnings == []


def test_query_precedence_is_the_same_as_for_headers():
    r = req(
        {
            "queryStringParameters": {"a": "1", "b": "x"},
            "multiValueQueryStringParameters": {"a": ["0", "1"]},
        }
    )
    assert r.query == {"a": ["0", "1"], "b": ["x"]}


def test_null_maps_are_empty():
    r = req(
        {
            "headers": None,
            "multiValueHeaders": None,
            "queryStringParameters": None,
            "multiValueQueryStringParameters": None,
            "pathParameters": None,
            "stageVariables": None,
        }
    )
    assert (r.headers, r.query, r.path_parameters, r.stage_variables) == ({}, {}, {}, {})


def test_header_names_keep_case_and_lookup_is_case_sensitive():
    r = req({"headers": {"x-MiXed-Case": "1", "content-type": "text/plain", "ACCEPT": "text/html"}})
    assert list(r.headers) == ["x-MiXed-Case", "content-type", "ACCEPT"]
    assert r.header("x-MiXed-Case") == "1"
    assert r.header("X-Mixed-Case") is None
    assert r.header("Content-Type") is None


def test_content_type_and_accept_come_from_the_headers_in_any_case():
    r = req({"headers": {"content-type": "application/xml", "ACCEPT": "text/html"}})
    assert r.content_type == "application/xml"
    assert r.accept == "text/html"
    assert req({}).content_type is None and req({}).accept is None
    assert r.header_any_case("Content-TYPE") == "application/xml"


def test_non_string_header_value_is_an_error_with_line_col_and_pointer():
    text = '{\n  "headers": {\n    "X-Count": 3\n  }\n}\n'
    assert error(text) == "req.json:3:16: error: /headers/X-Count: expected a string"


@pytest.mark.parametrize(
    "obj,pointer,message",
    [
        ({"headers": ["a"]}, "/headers", "expected an object or null"),
        ({"multiValueHeaders": {"X": "a"}}, "/multiValueHeaders/X", "expected a list of strings"),
        ({"multiValueHeaders": {"X": ["a", 2]}}, "/multiValueHeaders/X/1", "expected a string"),
        ({"queryStringParameters": {"q": True}}, "/queryStringParameters/q", "expected a string"),
        ({"multiValueQueryStringParameters": {"q": [None]}}, "/multiValueQueryStringParameters/q/0", "expected a string"),
        ({"pathParameters": {"id": 7}}, "/pathParameters/id", "expected a string"),
        ({"path": 7}, "/path", "expected a string or null"),
        ({"httpMethod": 1}, "/httpMethod", "expected a string or null"),
        ({"isBase64Encoded": "yes"}, "/isBase64Encoded", "expected true or false"),
        ({"requestContext": []}, "/requestContext", "expected an object or null"),
        ({"requestContext": {"stage": 1}}, "/requestContext/stage", "expected a string or null"),
        ({"requestContext": {"identity": "x"}}, "/requestContext/identity", "expected an object or null"),
        ({"requestContext": {"identity": {"sourceIp": 1}}}, "/requestContext/identity/sourceIp", "expected a string or null"),
    ],
)
def test_wrong_types_are_errors_with_pointer(obj, pointer, message):
    assert error(obj).split(": error: ", 1)[1] == f"{pointer}: {message}"


def test_pointer_escapes_slash_and_tilde():
    msg = error('{"headers": {"a/b~c": 1}}')
    assert msg == "req.json:1:23: error: /headers/a~1b~0c: expected a string"


# ---------------------------------------------------------------- body


def test_string_body_is_kept_byte_exact():
    assert req({"body": '{"a": 1,  "p": 10.00}'}).body == '{"a": 1,  "p": 10.00}'


@pytest.mark.parametrize(
    "text,body",
    [
        ('{"body": {"a": 1, "b": [true, null, "x"]}}', '{"a":1,"b":[true,null,"x"]}'),
        ('{"body": {"name": "Zoë", "city": "東京"}}', '{"name":"Zoë","city":"東京"}'),
        ('{"body": {"e": "\\u00e9", "q": "a\\"b"}}', '{"e":"é","q":"a\\"b"}'),
        ('{"body": [1, 2]}', "[1,2]"),
        ('{"body": 42}', "42"),
        ('{"body": true}', "true"),
        ('{"body": {"price": 10.00, "n": 1e2}}', '{"price":10.00,"n":1e2}'),
    ],
)
def test_non_string_body_is_compact_json_with_non_ascii_kept(text, body):
    assert req(text).body == body


def test_non_string_body_from_a_dict_is_compact_json():
    request, _ = request_from_dict({"body": {"name": "Zoë", "n": [1, 2.5]}})
    assert request.body == '{"name":"Zoë","n":[1,2.5]}'


def test_base64_body():
    raw = b"\x89PNG\r\n\x1a\n\x00\xff"
    r = req({"body": base64.b64encode(raw).decode(), "isBase64Encoded": True})
    assert r.is_base64_encoded is True
    assert r.body_bytes() == raw
    assert r.body_text() == raw.decode("utf-8", "replace")
    text = req({"body": base64.b64encode("héllo".encode()).decode(), "isBase64Encoded": True})
    assert text.body_text() == "héllo"


def test_invalid_base64_body_is_an_error():
    assert error('{"isBase64Encoded": true, "body": "not base64!"}') == (
        "req.json:1:35: error: /body: isBase64Encoded is true but the body is not valid base64"
    )


def test_plain_body_bytes_are_utf8():
    assert req({"body": "é"}).body_bytes() == "é".encode()
    assert req({}).body_bytes() is None


# ---------------------------------------------------------------- stage variables (§5)


def test_stage_variables_are_kept():
    r = req({"stageVariables": {"url": "https://example.com/a?b=c#d", "v_2": "x-y.z~:,&="}})
    assert r.stage_variables == {"url": "https://example.com/a?b=c#d", "v_2": "x-y.z~:,&="}


def test_bad_stage_variable_name_is_an_error_at_the_key():
    text = '{\n  "stageVariables": {\n    "my-var": "x"\n  }\n}'
    assert error(text) == "req.json:3:5: error: /stageVariables/my-var: stage variable names must match [A-Za-z0-9_]+"


@pytest.mark.parametrize(
    "value,message",
    [
        ("has space", 'stage variable value has " "; values must match [A-Za-z0-9-._~:/?#&=,]+'),
        ("a+b", 'stage variable value has "+"; values must match [A-Za-z0-9-._~:/?#&=,]+'),
        ("ü", 'stage variable value has "ü"; values must match [A-Za-z0-9-._~:/?#&=,]+'),
        ("", "stage variable value is empty; values must match [A-Za-z0-9-._~:/?#&=,]+"),
        ("x" * 513, "stage variable values have at most 512 characters"),
    ],
)
def test_bad_stage_variable_value_is_an_error_at_the_value(value, message):
    text = '{"stageVariables": {"v": ' + json.dumps(value) + "}}"
    assert error(text) == f"req.json:1:26: error: /stageVariables/v: {message}"


def test_stage_variable_limits():
    assert req({"stageVariables": {"v": "x" * 512}}).stage_variables["v"] == "x" * 512
    assert req({"stageVariables": {"n" * 64: "x"}}).stage_variables
    assert "at most 64 characters" in error({"stageVariables": {"n" * 65: "x"}})
    hundred = {f"v{i}": "x" for i in range(100)}
    assert len(req({"stageVariables": hundred}).stage_variables) == 100
    hundred["v100"] = "x"
    assert error({"stageVariables": hundred}).endswith(
        "error: /stageVariables: 101 stage variables; a stage has at most 100"
    )


def test_stage_variable_value_must_be_a_string():
    assert error('{"stageVariables": {"n": 1}}') == "req.json:1:26: error: /stageVariables/n: expected a string"


# ---------------------------------------------------------------- requestContext


def test_request_context_is_kept_raw_for_the_context_builder():
    rc = {"stage": "prod", "identity": {"sourceIp": "203.0.113.7"}, "custom": [1, {"a": None}]}
    assert req({"requestContext": rc}).request_context == rc


def test_request_time_must_parse():
    msg = error({"requestContext": {"requestTime": "2020-03-04T19:15:17Z"}})
    assert msg.endswith(
        'error: /requestContext/requestTime: "2020-03-04T19:15:17Z" is not a time like 04/Mar/2020:19:15:17 +0000'
    )


@pytest.mark.parametrize("epoch", ["1583349317135", 1.5, True])
def test_request_time_epoch_must_be_an_integer(epoch):
    msg = error({"requestContext": {"requestTimeEpoch": epoch}})
    assert msg.endswith("error: /requestContext/requestTimeEpoch: expected an integer (milliseconds since 1970)")


def test_request_time_and_epoch_that_disagree_are_an_error():
    # docs/variables.md §4.2: the two always describe the same instant.
    msg = error({"requestContext": {"requestTime": "01/Jan/2021:00:00:00 +0000", "requestTimeEpoch": 0}})
    assert "error: /requestContext/requestTime: disagrees with requestTimeEpoch 0" in msg
    _, warnings = load(
        {"requestContext": {"requestTime": "04/Mar/2020:19:15:17 +0000", "requestTimeEpoch": 1583349317135}}
    )
    assert warnings == []


def test_lambda_authorizer_object_or_array_value_is_an_error():
    text = '{"requestContext": {"authorizer": {"principalId": "u1", "roles": ["a"]}}}'
    assert error(text) == (
        "req.json:1:66: error: /requestContext/authorizer/roles: Lambda authorizer context values must be "
        "strings, numbers or booleans (API Gateway rejects objects and arrays)"
    )
    assert "authorizer/nested: Lambda" in error({"requestContext": {"authorizer": {"nested": {"a": 1}}}})


def test_lambda_authorizer_scalar_values_are_accepted():
    r = req({"requestContext": {"authorizer": {"principalId": "u1", "n": 1, "ok": True, "s": "x"}}})
    assert r.request_context["authorizer"]["n"] == 1


def test_cognito_claims_must_be_scalars():
    msg = error({"requestContext": {"authorizer": {"claims": {"groups": ["a", "b"]}}}})
    assert msg.endswith("/requestContext/authorizer/claims/groups: a claim must be a string, number or boolean")


# ---------------------------------------------------------------- TestInvokeMethod shape


def test_test_invoke_shape():
    r = req(
        {
            "restApiId": "a1b2c3d4e5",
            "resourceId": "abc123",
            "httpMethod": "put",
            "pathWithQueryString": "/pets/7?a=1&tag=x&tag=y&flag&q=a+b%20c%2Bd&e=",
            "body": '{"x": 1}',
            "headers": {"Content-Type": "application/json"},
            "multiValueHeaders": {"X-Tag": ["1", "2"]},
            "stageVariables": {"v": "1"},
            "clientCertificateId": "cert1",
        }
    )
    assert r.http_method == "PUT"
    assert r.path == "/pets/7"
    assert r.resource == "/pets/7"
    # Recorded on AWS: the query string is form-decoded, so "+" is a space and "%2B" a plus.
    assert r.query == {"a": ["1"], "tag": ["x", "y"], "flag": [""], "q": ["a b c+d"], "e": [""]}
    assert r.single_query()["tag"] == "y"
    assert r.body == '{"x": 1}'
    assert r.headers == {"Content-Type": ["application/json"], "X-Tag": ["1", "2"]}
    assert r.stage_variables == {"v": "1"}
    assert r.request_context == {}


def test_test_invoke_query_names_are_percent_decoded_and_empty_pieces_skipped():
    r = req({"pathWithQueryString": "/s?%61%62=1&&x%3Dy=2&"})
    assert r.query == {"ab": ["1"], "x=y": ["2"]}


def test_test_invoke_method_defaults():
    assert req({"pathWithQueryString": "/a"}).http_method == "GET"
    assert req({"pathWithQueryString": "/a", "body": "x"}).http_method == "POST"
    assert req({"pathWithQueryString": "/a"}).query == {}


def test_test_invoke_ignored_keys_give_no_warning():
    _, warnings = load({"pathWithQueryString": "/", "restApiId": "x", "resourceId": "y", "clientCertificateId": "z"})
    assert warnings == []


def test_test_invoke_path_must_start_with_slash():
    assert error('{"pathWithQueryString": "pets?a=1"}').endswith('/pathWithQueryString: must start with "/"')


def test_test_invoke_body_must_be_a_string():
    assert error('{"pathWithQueryString": "/", "body": {"a": 1}}').endswith("/body: expected a string or null")


def test_mixing_the_two_shapes_is_an_error():
    text = '{\n  "pathWithQueryString": "/a?b=1",\n  "queryStringParameters": {"b": "1"}\n}'
    assert error(text) == (
        'req.json:3:3: error: /queryStringParameters: "queryStringParameters" is a proxy-event key '
        'but "pathWithQueryString" is a TestInvokeMethod key; use one shape'
    )
    assert "use one shape" in error({"restApiId": "x", "path": "/a"})


# ---------------------------------------------------------------- unknown keys, duplicates, invalid JSON


def test_unknown_keys_give_a_warning_naming_them():
    text = '{\n  "path": "/a",\n  "queryString": "a=1",\n  "Headers": {}\n}'
    request, warnings = load_request(text, "req.json")
    assert request.path == "/a"
    assert [str(w) for w in warnings] == [
        'req.json:3:3: warning: /queryString: unknown key "queryString" ignored',
        'req.json:4:3: warning: /Headers: unknown key "Headers" ignored',
    ]
    assert warnings[0] == Diagnostic(Severity.WARNING, None, 'unknown key "queryString" ignored',
                                     Location("req.json", 3, 3, pointer="/queryString"))


def test_duplicate_key_warns_and_last_wins():
    request, warnings = load_request('{"path": "/a",\n"path": "/b"}', "req.json")
    assert request.path == "/b"
    assert [str(w) for w in warnings] == ["req.json:2:1: warning: /path: duplicate key; the last value is used"]


def test_invalid_json_reports_line_and_column():
    assert error('{\n  "path": "/a",\n  "body": \n}') == "req.json:4:1: error: invalid JSON: Expecting value"
    assert error('{"path": "/a" "x": 1}') == "req.json:1:15: error: invalid JSON: Expecting ',' delimiter"
    assert error("") == "req.json:1:1: error: invalid JSON: Expecting value"


def test_nan_is_not_json():
    assert error('{"body": {"x": NaN}}') == "req.json:1:16: error: /body/x: NaN is not valid JSON"


def test_top_level_must_be_an_object():
    assert error("[]") == "req.json:1:1: error: expected a JSON object with the keys of a REST v1 proxy event"


def test_http_api_v2_event_is_rejected():
    msg = error({"version": "2.0", "routeKey": "GET /a", "rawPath": "/a"})
    assert "/version: this is an HTTP API payload 2.0 event" in msg


def test_bytes_input_with_bom_and_invalid_utf8():
    request, _ = load_request(b'\xef\xbb\xbf{"path": "/\xc3\xa9"}', "req.json")
    assert request.path == "/é"
    with pytest.raises(RequestFileError) as info:
        load_request(b'{\n  "path": "/\xff"}', "req.json")
    assert str(info.value) == "req.json:2:13: error: not UTF-8 text (byte 0xff)"


def test_request_from_dict_errors_have_pointer_but_no_position():
    with pytest.raises(RequestFileError) as info:
        request_from_dict({"headers": {"X-Count": 3}}, "fixture")
    assert str(info.value) == "fixture: error: /headers/X-Count: expected a string"
    assert info.value.pointer == "/headers/X-Count" and info.value.line is None


def test_request_file_error_is_a_vtl_error_with_fields():
    with pytest.raises(VtlError) as info:
        load_request('{\n "path": "x"}', "r.json")
    e = info.value
    assert isinstance(e, RequestFileError)
    assert (e.source, e.line, e.column, e.pointer) == ("r.json", 2, 10, "/path")


def test_edited_captured_event_warns_about_stale_request_context():
    text = '{"httpMethod": "POST", "resource": "/a", "path": "/a",\n "requestContext": {"httpMethod": "GET", "resourcePath": "/a"}}'
    _, warnings = load_request(text, "req.json")
    assert [str(w) for w in warnings] == [
        'req.json:2:35: warning: /requestContext/httpMethod: "GET" differs from the request\'s "POST"; '
        '$context.httpMethod uses "GET"'
    ]


def test_duplicate_object_key_warns_once():
    _, warnings = load_request('{"requestContext": {"identity": {"sourceIp": "a"}, "identity": {"sourceIp": "b"}}}', "r.json")
    assert [str(w) for w in warnings] == [
        "r.json:1:52: warning: /requestContext/identity: duplicate key; the last value is used"]


def test_positions_survive_escaped_quotes_and_big_bodies():
    big = "x\\\"y" * 50000
    text = '{"body": "' + big + '",\n "headers": {"X": 1}}'
    assert error(text) == "req.json:2:19: error: /headers/X: expected a string"
