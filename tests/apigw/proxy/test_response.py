"""Lambda proxy response validation (docs/proxy.md §3–§4): what the client gets, and every reason for a 502."""

import base64
import json

import pytest

from vtlgw.apigw.proxy import http_api_response, rest_response


def rest(obj, **kw):
    return rest_response(obj if isinstance(obj, str) else json.dumps(obj), **kw)


@pytest.mark.parametrize("payload", ["", "  ", "not json", '"a string"', "[1]", "3", "null", "true"])
def test_502_for_payloads_that_are_not_a_json_object(payload):
    result = rest_response(payload)
    assert (result.status, result.body) == (502, '{"message": "Internal server error"}')
    assert len(result.reasons) == 1


def test_502_for_a_function_error():
    result = rest_response('{"errorMessage": "boom"}', function_error=True)
    assert result.status == 502 and "function error" in result.reasons[0]


def test_every_reason_is_listed_each_naming_its_key():
    result = rest({"statusCode": "test", "body": {"a": 1}, "extra": 1, "multiValueHeaders": {"X": "a"},
                   "headers": []})
    assert result.status == 502
    joined = "\n".join(result.reasons)
    for key in ("statusCode", "body", "extra", "headers"):
        assert f"{key}:" in joined, key
    assert "multiValueHeaders.X: not a list" in joined
    assert len(result.reasons) == 5


@pytest.mark.parametrize("status", [99, 600, -1])
def test_u31_status_outside_100_to_599_is_a_502(status):
    assert rest({"statusCode": status}).status == 502


def test_multi_value_headers_that_are_not_an_object_502():
    assert rest({"multiValueHeaders": ["a"]}).status == 502


def test_accepted_output_defaults():
    result = rest({})
    assert (result.status, result.body, result.headers) == (200, "", {"Content-Type": "application/json"})
    assert rest({"statusCode": "201", "body": None}).status == 201
    assert rest({"statusCode": 204, "body": "x"}).body == "x"


def test_header_values_become_text_and_null_drops_a_header():
    result = rest({"headers": {"A": 1, "B": True, "C": None, "D": 2.5, "Content-Type": "text/plain"}})
    assert result.headers == {"A": "1", "B": "true", "D": "2.5", "Content-Type": "text/plain"}


def test_u32_recorded_merge_keeps_both_multi_value_first_spelled_as_multi_value():
    obj = {"multiValueHeaders": {"X-Tag": ["a"]}, "headers": {"x-tag": "b"}}
    result = rest(obj)
    assert result.headers["X-Tag"] == "a, b" and "x-tag" not in result.headers
    assert result.multi_value_headers["X-Tag"] == ["a", "b"]
    docs = rest(obj, merge="docs")
    assert docs.headers["X-Tag"] == "a"


def test_multi_value_items_are_joined_for_the_client():
    assert rest({"multiValueHeaders": {"V": ["a", 1, False]}}).headers["V"] == "a, 1, false"


def test_base64_body_is_decoded_only_when_accept_is_a_binary_type():
    data = base64.b64encode(b"\x89PNG").decode()
    obj = {"body": data, "isBase64Encoded": True, "headers": {"Content-Type": "image/png"}}
    decoded = rest(obj, accept="image/png, */*", binary_media_types=["image/png"])
    assert decoded.is_base64_encoded and decoded.body == data
    as_text = rest(obj, accept="application/json", binary_media_types=["image/png"])
    assert not as_text.is_base64_encoded and as_text.body == data  # the base64 text, as it is


def test_reserved_headers_are_remapped_and_transfer_encoding_dropped():
    # docs/proxy.md §3: header renaming follows docs/integration.md §6, which also drops Transfer-Encoding
    result = rest({"headers": {"Server": "mine", "X-Ok": "1", "Transfer-Encoding": "chunked"},
                   "multiValueHeaders": {"Date": ["d"]}})
    assert result.headers == {"Content-Type": "application/json", "x-amzn-Remapped-Date": "d",
                              "x-amzn-Remapped-Server": "mine", "X-Ok": "1"}


def test_http_api_without_status_code_the_value_is_the_body():
    result = http_api_response('"Hello from Lambda!"')
    assert (result.status, result.body, result.headers["content-type"]) == (200, "Hello from Lambda!",
                                                                             "application/json")
    assert http_api_response('{ "message": "Hello" }').body == '{"message":"Hello"}'


def test_http_api_with_status_code_and_cookies():
    result = http_api_response(json.dumps({"statusCode": 201, "headers": {"X-A": "1"}, "body": "ok",
                                           "cookies": ["a=1", "b=2"]}))
    assert (result.status, result.body) == (201, "ok")
    assert result.multi_value_headers["set-cookie"] == ["a=1", "b=2"]
    assert result.headers["x-a"] == "1"


@pytest.mark.parametrize("payload", ["not json", ""])
def test_u33_http_api_invalid_payload_is_a_500(payload):
    result = http_api_response(payload)
    assert (result.status, result.body) == (500, '{"message":"Internal Server Error"}')
    assert http_api_response("{}", function_error=True).status == 500
