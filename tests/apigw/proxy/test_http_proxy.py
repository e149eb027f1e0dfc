"""A REST API with `/{proxy+}`, `/hardcoded` and an HTTP_PROXY route: the events and responses of issue 14's
acceptance, across trailing and double slashes, `%2B`, `+` in the query and hop-by-hop headers."""

import base64
from pathlib import Path

import pytest

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.pipeline import HttpHandler, LambdaHandler, Timeout, invoke
from vtlgw.apigw.request import request_from_dict

from ..pipeline.helpers import req

API = Path(__file__).parent / "data" / "proxy-routes.yaml"
HOP_BY_HOP = {"Connection": "keep-alive", "TE": "trailers", "Upgrade": "h2c", "Expect": "100-continue",
              "Max-Forwards": "3"}


@pytest.fixture(scope="module")
def definition():
    return load_definition(API)


def make(method, path, kw):
    """A path with ?query goes as TestInvokeMethod's pathWithQueryString (the query as a client sends it)."""
    if "?" not in path:
        return req(httpMethod=method, path=path, **kw)
    request, _ = request_from_dict({"httpMethod": method, "pathWithQueryString": path, **kw})
    return request


def event_of(definition, path, **kw):
    seen = {}

    def handler(event, context):
        seen.update(event)
        return {"statusCode": 200, "body": "ok"}

    method = kw.pop("method", "GET")
    invoke(definition, make(method, path, kw), backend=LambdaHandler(handler))
    return seen


def backend_call(definition, path, answer=None, **kw):
    seen = {}

    def handler(request):
        seen["request"] = request
        return answer or {"statusCode": 200, "body": "fine"}

    method = kw.pop("method", "GET")
    result = invoke(definition, make(method, path, kw), backend=HttpHandler(handler))
    return seen.get("request"), result


# ----------------------------------------------------------------------------- the Lambda proxy routes


def test_trailing_slash_is_not_part_of_the_greedy_value(definition):
    # Recorded on AWS: /proxy-value/ gives pathParameters.proxy "proxy-value", and path keeps the slash.
    event = event_of(definition, "/proxy-value/")
    assert event["pathParameters"] == {"proxy": "proxy-value"}
    assert event["path"] == "/proxy-value/" and event["resource"] == "/{proxy+}"


def test_double_slashes_collapse_for_routing_and_path_but_not_request_context(definition):
    # Recorded on AWS: //proxy-value is /proxy-value; //hardcoded routes to /hardcoded with pathParameters null;
    # requestContext.path stays raw.
    event = event_of(definition, "//proxy-value")
    assert event["path"] == "/proxy-value" and event["pathParameters"] == {"proxy": "proxy-value"}
    hard = event_of(definition, "//hardcoded")
    assert hard["resource"] == "/hardcoded" and hard["pathParameters"] is None
    assert hard["requestContext"]["path"].endswith("//hardcoded")


def test_encoded_plus_stays_encoded_and_plus_in_the_query_is_a_space(definition):
    # Recorded on AWS: pathParameters.proxy keeps test%2Balias; the query string is form-decoded.
    event = event_of(definition, "/test%2Balias?q=a+b")
    assert event["pathParameters"] == {"proxy": "test%2Balias"}
    assert event["queryStringParameters"] == {"q": "a b"}


def test_hop_by_hop_headers_are_left_out_of_the_event(definition):
    # Recorded on AWS: the event omits Connection, Expect, Max-Forwards, TE, Upgrade, ...
    event = event_of(definition, "/x", headers={**HOP_BY_HOP, "X-Kept": "1"})
    assert event["headers"] == {"X-Kept": "1"}


# ----------------------------------------------------------------------------- the HTTP_PROXY route


def test_http_proxy_forwards_method_path_query_and_body(definition):
    sent, result = backend_call(definition, "/backend/test%2Balias/more?q=a+b", method="PUT", body="{\"n\": 1}",
                                headers={"Content-Type": "application/json"})
    assert sent.http_method == "PUT"  # httpMethod ANY: the client's method
    # U52: the greedy value goes as the client sent it, slashes and %2B kept.
    assert sent.uri == "https://backend.example.com/test%2Balias/more"
    assert sent.query == {"q": ["a b"]}
    assert sent.body == '{"n": 1}' and sent.headers["Content-Type"] == "application/json"
    assert result.status == 200 and result.body == "fine"


def test_http_proxy_drops_hop_by_hop_headers_and_host(definition):
    sent, _ = backend_call(definition, "/backend/a", headers={**HOP_BY_HOP, "Host": "abc.execute-api.example",
                                                              "X-Kept": "1"})
    forwarded = {name.lower() for name in sent.multi_value_headers}
    assert "x-kept" in forwarded and "x-amzn-trace-id" in forwarded
    assert not forwarded & {name.lower() for name in HOP_BY_HOP} and "host" not in forwarded


def test_http_proxy_returns_the_backend_answer_with_reserved_headers_remapped(definition):
    # docs/integration.md, section 6: reserved response headers become x-amzn-Remapped-<Name>.
    answer = {"statusCode": 418, "headers": {"Content-Type": "text/plain", "Server": "nginx", "X-B": "1"},
              "body": "teapot"}
    _, result = backend_call(definition, "/backend/a", answer)
    assert result.status == 418 and result.body == "teapot"
    assert result.headers["X-B"] == "1" and result.headers["x-amzn-Remapped-Server"] == "nginx"
    assert result.headers["Content-Type"] == "text/plain" and "Server" not in result.headers


def test_http_proxy_text_response_with_invalid_utf8_becomes_replacement_characters(definition):
    # U52: bytes whose Content-Type is not a binary media type are text; invalid UTF-8 becomes U+FFFD.
    raw = base64.b64encode(b"ok \xff").decode()
    answer = {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": raw, "isBase64Encoded": True}
    _, result = backend_call(definition, "/backend/a", answer)
    assert result.body == "ok \ufffd" and not result.is_base64_encoded


def test_http_proxy_binary_media_type_is_sent_as_base64(definition):
    # AWS docs, api-gateway-payload-encodings-workflow: a binary payload with a binary first Accept type is
    # returned as binary data (without a binary Accept it is base64 text: test_proxy_binary.py, U65).
    raw = base64.b64encode(b"\x89PNG\xff").decode()
    answer = {"statusCode": 200, "headers": {"Content-Type": "image/png"}, "body": raw, "isBase64Encoded": True}
    _, result = backend_call(definition, "/backend/a", answer, headers={"Accept": "image/png"})
    assert result.is_base64_encoded and base64.b64decode(result.body) == b"\x89PNG\xff"


def test_http_proxy_timeout_is_504_and_a_failing_backend_500(definition):
    result = invoke(definition, req(httpMethod="GET", path="/backend/a"), backend=Timeout())
    assert result.status == 504

    def broken(request):
        raise ConnectionError("refused")

    result = invoke(definition, req(httpMethod="GET", path="/backend/a"), backend=HttpHandler(broken))
    assert result.status == 500 and any("Invalid endpoint address" in line for line in result.log_lines)
