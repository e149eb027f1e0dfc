"""Lambda proxy events (docs/proxy.md §1–§2), built from the method request file."""

import base64

from vtlgw.apigw.mapping import MappingContext
from vtlgw.apigw.proxy import http_api_event, rest_event
from vtlgw.apigw.request import request_from_dict


def build(doc, **kw):
    request, _ = request_from_dict(doc)
    mctx = MappingContext.for_request(request, stage=kw.pop("stage", None))
    maker = kw.pop("maker", rest_event)
    return maker(request, mctx.context, mctx.stage_variables, **kw)


REQUEST = {
    "httpMethod": "POST", "path": "/a//b/", "resource": "/{proxy+}",
    "pathParameters": {"proxy": "a/b"},
    "multiValueHeaders": {"x-MiXed-Case": ["1", "2"], "Content-Type": ["application/json"],
                          "Cookie": ["s=1; t=2", "u=3"]},
    "multiValueQueryStringParameters": {"q": ["a b", "c"], "n": ["é"]},
    "stageVariables": {"table": "orders"},
    "body": '{"k": 1}',
}


def test_rest_event_keys_in_the_spec_order_with_last_values_and_all_values():
    event = build(REQUEST)
    assert list(event) == ["resource", "path", "httpMethod", "headers", "multiValueHeaders",
                           "queryStringParameters", "multiValueQueryStringParameters", "pathParameters",
                           "stageVariables", "requestContext", "body", "isBase64Encoded"]
    # path: runs of slashes made one, the trailing slash kept (recorded on AWS)
    assert event["resource"] == "/{proxy+}" and event["path"] == "/a/b/" and event["httpMethod"] == "POST"
    assert event["headers"]["x-MiXed-Case"] == "2"
    assert event["multiValueHeaders"]["x-MiXed-Case"] == ["1", "2"]
    assert event["queryStringParameters"] == {"q": "c", "n": "é"}
    assert event["multiValueQueryStringParameters"] == {"q": ["a b", "c"], "n": ["é"]}
    # the greedy value: slashes read as for routing, no trailing slash (recorded on AWS)
    assert event["pathParameters"] == {"proxy": "a/b"}
    assert event["stageVariables"] == {"table": "orders"}
    assert event["body"] == '{"k": 1}' and event["isBase64Encoded"] is False


def test_rest_event_nulls_when_absent():
    event = build({"httpMethod": "GET", "path": "/x"})
    for key in ("queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables",
                "body"):
        assert event[key] is None, key
    assert event["isBase64Encoded"] is False


def test_rest_request_context_matches_context_with_stage_in_path_and_null_identity_values():
    event = build({"httpMethod": "GET", "path": "/x", "resource": "/x",
                   "requestContext": {"identity": {"sourceIp": "203.0.113.7"}}}, stage="prod")
    rc = event["requestContext"]
    assert rc["path"] == "/prod/x" and rc["stage"] == "prod" and rc["resourcePath"] == "/x"
    assert isinstance(rc["requestTimeEpoch"], int)
    assert {"accountId", "apiId", "deploymentId", "domainName", "domainPrefix", "extendedRequestId",
            "httpMethod", "protocol", "requestId", "requestTime", "resourceId"} <= set(rc)
    identity = rc["identity"]
    assert identity["sourceIp"] == "203.0.113.7"
    assert identity["cognitoIdentityId"] is None and identity["user"] is None  # explicit nulls [AWS-rec]
    assert "authorizer" not in rc  # no authorizer configured [AWS-rec]


def test_rest_authorizer_present_when_given():
    event = build({"httpMethod": "GET", "path": "/x",
                   "requestContext": {"authorizer": {"principalId": "u1", "tier": "gold"}}})
    assert event["requestContext"]["authorizer"]["principalId"] == "u1"


def test_binary_body_is_base64_only_for_binary_media_types():
    raw = base64.b64encode(b"\x89PNG").decode()
    doc = {"httpMethod": "POST", "path": "/x", "headers": {"Content-Type": "image/png"},
           "body": raw, "isBase64Encoded": True}
    event = build(doc, binary=True)
    assert event["body"] == raw and event["isBase64Encoded"] is True
    text_doc = {"httpMethod": "POST", "path": "/x", "body": base64.b64encode(b"hi").decode(),
                "isBase64Encoded": True}
    event = build(text_doc, binary=False)
    assert event["body"] == "hi" and event["isBase64Encoded"] is False


def test_http_api_1_0_is_the_rest_event_with_a_version():
    event = build(REQUEST, version="1.0")
    assert event["version"] == "1.0" and event["multiValueHeaders"]["x-MiXed-Case"] == ["1", "2"]


def test_u34_http_api_2_0_event_cookies_headers_and_query():
    event = build(REQUEST, maker=http_api_event, route_key="POST /{proxy+}")
    assert event["version"] == "2.0" and event["routeKey"] == "POST /{proxy+}"
    assert event["headers"]["x-mixed-case"] == "1,2"  # lower-cased, joined with ","
    assert "cookie" not in event["headers"]
    assert event["cookies"] == ["s=1", "t=2", "u=3"]  # U34
    assert event["queryStringParameters"] == {"q": "a b,c", "n": "é"}
    assert event["rawQueryString"] == "q=a%20b&q=c&n=%C3%A9"
    assert event["pathParameters"] == {"proxy": "a/b"}
    assert event["body"] == '{"k": 1}' and event["isBase64Encoded"] is False
    rc = event["requestContext"]
    assert rc["http"]["method"] == "POST" and rc["routeKey"] == "POST /{proxy+}"
    assert isinstance(rc["timeEpoch"], int) and rc["time"]
    assert "multiValueHeaders" not in event


def test_u33_u34_http_api_omits_absent_fields_and_raw_path_keeps_a_named_stage():
    event = build({"httpMethod": "GET", "path": "/my/path"}, maker=http_api_event, stage="prod")
    for key in ("cookies", "queryStringParameters", "pathParameters", "stageVariables", "body"):
        assert key not in event, key  # U33
    assert event["rawPath"] == "/prod/my/path"  # U34
    assert event["rawQueryString"] == ""
    assert event["requestContext"]["stage"] == "prod"


def test_rest_event_keeps_path_parameters_percent_encoded():
    # Recorded on AWS: /test%2Balias on /{proxy+} gives proxy "test%2Balias"; templates see "test+alias".
    request, _ = request_from_dict({"httpMethod": "GET", "path": "/test%2Balias", "resource": "/{proxy+}"})
    assert request.path_parameters == {"proxy": "test+alias"}
    mctx = MappingContext.for_request(request)
    event = rest_event(request, mctx.context, mctx.stage_variables)
    assert event["pathParameters"] == {"proxy": "test%2Balias"}
    assert event["path"] == "/test%2Balias"
    two = http_api_event(request, mctx.context, mctx.stage_variables)
    # HTTP APIs decode the path (live captures published in hotsock/voker pull request 8).
    assert two["pathParameters"] == {"proxy": "test+alias"}
