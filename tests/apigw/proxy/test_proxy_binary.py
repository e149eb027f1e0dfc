"""Binary and text payloads through REST proxy integrations (docs/proxy.md, section 7; U65, U66).

The response rules are the AWS docs' response table (api-gateway-payload-encodings-workflow) with
contentHandling undefined, read with the payload's binary-ness taken from the backend's Content-Type
(HTTP_PROXY) or ``isBase64Encoded`` (AWS_PROXY, recorded on AWS). The request rules are the docs'
request table for the integration's contentHandling.
"""

import base64
import json

import pytest

from vtlgw.apigw.http.content import PROXY_RESPONSE_TABLE, RESPONSE_TABLE, convert_proxy_response
from vtlgw.apigw.pipeline import HttpHandler, LambdaHandler, invoke
from vtlgw.apigw.proxy.request_event import build_event
from vtlgw.vtl import VtlError

from ..pipeline.helpers import LAMBDA_URI, api, req

PNG = b"\x89PNG\r\n\x1a\n\x00\xff"
PNG_B64 = base64.b64encode(PNG).decode()
URI = "https://backend.example.com/blob"


def http_proxy(types=("image/png",), content_handling=None):
    return api(type="HTTP_PROXY", uri=URI, verb="GET", http_method="GET", binary_media_types=list(types),
               content_handling=content_handling, responses=[])


def lambda_proxy(types=("image/png",), content_handling=None):
    return api(type="AWS_PROXY", uri=LAMBDA_URI, verb="POST", binary_media_types=list(types),
               content_handling=content_handling, responses=[])


def backend(content_type, data):
    seen = {}

    def handler(request):
        seen["request"] = request
        return {"statusCode": 200, "headers": {"Content-Type": content_type},
                "body": base64.b64encode(data).decode(), "isBase64Encoded": True}

    return HttpHandler(handler), seen


# ----------------------------------------------------------------------------- the table itself


def test_u65_the_proxy_table_is_the_documented_one_with_content_handling_undefined_but_one_row():
    # AWS docs, api-gateway-payload-encodings-workflow: the five rows with contentHandling undefined. The row
    # "text data, a binary Accept" (base64-decoded blob) is not taken: a Lambda proxy body without
    # isBase64Encoded comes back as the text whatever the Accept (recorded on AWS), and so does an HTTP proxy's.
    documented = {key[:3]: action for key, action in RESPONSE_TABLE.items() if key[3] is None}
    assert documented.keys() == PROXY_RESPONSE_TABLE.keys()
    differing = {key for key in documented if documented[key] != PROXY_RESPONSE_TABLE[key]}
    assert differing == {(True, False, True)}
    assert PROXY_RESPONSE_TABLE[(True, False, True)] == "text"


@pytest.mark.parametrize("types_set,payload_binary,accept_binary,expected,binary_out", [
    (False, True, True, PNG, False),            # no binaryMediaTypes: text
    (True, False, False, b"abc", False),        # text payload, text Accept: text
    (True, False, True, b"abc", False),         # text payload, binary Accept: still text (U65)
    (True, True, False, PNG_B64.encode(), False),  # binary payload, text Accept: base64-encoded string [D]
    (True, True, True, PNG, True),              # binary payload, binary Accept: binary data [D]
])
def test_u65_convert_proxy_response(types_set, payload_binary, accept_binary, expected, binary_out):
    data = PNG if payload_binary or not types_set else b"abc"
    out = convert_proxy_response(data, payload_binary, accept_binary, types_set)
    assert (out.data, out.binary) == (expected, binary_out)


# ----------------------------------------------------------------------------- HTTP_PROXY responses


def test_u65_http_proxy_binary_payload_and_binary_accept_is_binary():
    # AWS docs, api-gateway-payload-encodings-workflow: binary data, a binary Accept type -> binary data.
    handler, _ = backend("image/png", PNG)
    result = invoke(http_proxy(), req(httpMethod="GET", path="/items", headers={"Accept": "image/png"}),
                    backend=handler)
    assert result.is_base64_encoded and result.body_bytes == PNG


@pytest.mark.parametrize("accept", [None, "text/html,image/png", "application/json"])
def test_u65_http_proxy_binary_payload_without_a_binary_first_accept_is_base64_text(accept):
    # AWS docs, api-gateway-payload-encodings-workflow: binary data, a text Accept type -> a base64-encoded
    # string; only the first Accept type counts (the docs' tip on Accept: image/webp,image/*).
    handler, _ = backend("image/png", PNG)
    headers = {"Accept": accept} if accept else {}
    result = invoke(http_proxy(), req(httpMethod="GET", path="/items", headers=headers), backend=handler)
    assert not result.is_base64_encoded and result.body == PNG_B64
    assert result.headers["Content-Type"] == "image/png"


def test_u65_http_proxy_text_payload_with_a_binary_accept_stays_text():
    handler, _ = backend("text/plain", b"caf\xc3\xa9 \xff")
    result = invoke(http_proxy(), req(httpMethod="GET", path="/items", headers={"Accept": "image/png"}),
                    backend=handler)
    assert not result.is_base64_encoded and result.body == "caf\u00e9 \ufffd"  # U52: invalid UTF-8 is U+FFFD


def test_u65_http_proxy_wildcard_binary_media_types_pass_every_payload_through():
    # AWS docs, lambda-proxy-binary-media: */* makes every type binary, so the Accept order no longer matters.
    handler, _ = backend("image/png", PNG)
    result = invoke(http_proxy(types=("*/*",)),
                    req(httpMethod="GET", path="/items", headers={"Accept": "text/html"}), backend=handler)
    assert result.is_base64_encoded and result.body_bytes == PNG


def test_u65_http_api_proxy_passes_bytes_whatever_the_accept():
    # HTTP APIs have no binaryMediaTypes: the backend's bytes go to the client as they are (docs/proxy.md, §6).
    handler, _ = backend("image/png", PNG)
    definition = http_proxy(types=())
    definition.protocol = "HTTP"
    result = invoke(definition, req(httpMethod="GET", path="/items", headers={"Accept": "text/html"}),
                    backend=handler)
    assert result.is_base64_encoded and result.body_bytes == PNG


# ----------------------------------------------------------------------------- HTTP_PROXY requests


def test_u66_http_proxy_convert_to_binary_decodes_a_base64_body():
    # AWS docs, api-gateway-payload-encodings-workflow: text data, CONVERT_TO_BINARY -> base64-decoded blob.
    handler, seen = backend("application/json", b"{}")
    invoke(http_proxy(content_handling="CONVERT_TO_BINARY"),
           req(httpMethod="GET", path="/items", headers={"Content-Type": "text/plain"}, body=PNG_B64),
           backend=handler)
    sent = seen["request"]
    assert sent.is_base64_encoded and base64.b64decode(sent.body) == PNG


def test_u66_http_proxy_convert_to_text_encodes_a_binary_body():
    # AWS docs, api-gateway-payload-encodings-workflow: binary data, CONVERT_TO_TEXT -> base64-encoded string.
    handler, seen = backend("application/json", b"{}")
    request = req(httpMethod="GET", path="/items", headers={"Content-Type": "image/png"}, body=PNG_B64,
                  isBase64Encoded=True)
    invoke(http_proxy(content_handling="CONVERT_TO_TEXT"), request, backend=handler)
    sent = seen["request"]
    assert not sent.is_base64_encoded and sent.body == PNG_B64


def test_u66_http_proxy_without_content_handling_forwards_the_bytes():
    handler, seen = backend("application/json", b"{}")
    request = req(httpMethod="GET", path="/items", headers={"Content-Type": "image/png"}, body=PNG_B64,
                  isBase64Encoded=True)
    invoke(http_proxy(), request, backend=handler)
    assert base64.b64decode(seen["request"].body) == PNG


def test_u66_http_proxy_convert_to_binary_on_a_body_that_is_not_base64_is_500():
    # AWS docs, api-gateway-payload-encodings-workflow: a failed conversion is a 500 configuration error.
    handler, seen = backend("application/json", b"{}")
    result = invoke(http_proxy(content_handling="CONVERT_TO_BINARY"),
                    req(httpMethod="GET", path="/items", headers={"Content-Type": "text/plain"}, body="not base64!"),
                    backend=handler)
    assert result.status == 500 and "request" not in seen
    assert any("Unable to transform request" in line for line in result.log_lines)


# ----------------------------------------------------------------------------- AWS_PROXY


def run_function(definition, request, returned=None):
    seen = {}

    def handler(event, context):
        seen.update(event)
        return returned or {"statusCode": 200, "body": "ok"}

    return invoke(definition, request, backend=LambdaHandler(handler)), seen


def test_u65_lambda_proxy_rules_are_the_proxy_table_read_with_is_base64_encoded():
    # Recorded on AWS (docs/proxy.md, section 3): isBase64Encoded with a binary first Accept gives the bytes,
    # without one the base64 text; no flag gives the text whatever the Accept. The same outcomes as the table.
    returned = {"statusCode": 200, "headers": {"Content-Type": "image/png"}, "body": PNG_B64,
                "isBase64Encoded": True}
    for accept, flagged in (("image/png", True), ("text/html", True), ("image/png", False), ("text/html", False)):
        answer = dict(returned, isBase64Encoded=flagged)
        result, _ = run_function(lambda_proxy(), req(headers={"Accept": accept}), answer)
        action = PROXY_RESPONSE_TABLE[(True, flagged, accept == "image/png")]
        if action == "binary":
            assert result.is_base64_encoded and result.body_bytes == PNG
        else:  # "encode" (the function's base64 is that string) or "text"
            assert not result.is_base64_encoded and result.body == PNG_B64


def test_u66_lambda_proxy_convert_to_binary_sends_a_text_body_as_base64():
    # AWS docs, api-gateway-payload-encodings-workflow: text data, CONVERT_TO_BINARY -> base64-decoded blob;
    # the event is JSON, so the blob travels base64-encoded with isBase64Encoded.
    _, event = run_function(lambda_proxy(content_handling="CONVERT_TO_BINARY"),
                            req(headers={"Content-Type": "text/plain"}, body=PNG_B64))
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == PNG


def test_u66_lambda_proxy_convert_to_binary_on_a_body_that_is_not_base64_is_500_without_running_the_function():
    result, event = run_function(lambda_proxy(content_handling="CONVERT_TO_BINARY"),
                                 req(headers={"Content-Type": "text/plain"}, body="not base64!"))
    assert result.status == 500 and event == {}
    assert any("Unable to transform request" in line for line in result.log_lines)


@pytest.mark.parametrize("content_type,body,b64", [("image/png", PNG_B64, True), ("text/plain", "hello", False)])
def test_u66_lambda_proxy_convert_to_text_changes_nothing_the_function_sees(content_type, body, b64):
    # A binary payload already reaches the function as base64 (docs/proxy.md, section 1); text stays text.
    request = req(headers={"Content-Type": content_type}, body=body, isBase64Encoded=b64)
    _, plain = run_function(lambda_proxy(), request)
    _, converted = run_function(lambda_proxy(content_handling="CONVERT_TO_TEXT"), request)
    assert (converted["body"], converted["isBase64Encoded"]) == (plain["body"], plain["isBase64Encoded"]) \
        == (body, b64)


def test_u66_vtlgw_event_shows_the_converted_body_and_refuses_one_that_is_not_base64():
    definition = lambda_proxy(content_handling="CONVERT_TO_BINARY")
    event, _ = build_event(definition, req(headers={"Content-Type": "text/plain"}, body=PNG_B64))
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == PNG
    with pytest.raises(VtlError, match="CONVERT_TO_BINARY"):
        build_event(definition, req(headers={"Content-Type": "text/plain"}, body="not base64!"))
    json.dumps(event)  # still a JSON event
