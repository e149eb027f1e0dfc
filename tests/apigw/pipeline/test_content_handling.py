"""contentHandling and binaryMediaTypes (docs/integration.md §3.3 and the response-side table)."""

import base64

import pytest

from vtlgw.apigw.pipeline import HttpHandler, HttpResponse, invoke
from vtlgw.apigw.http.content import (
    ConversionError,
    convert_request,
    convert_response,
    is_binary_type,
)

from .helpers import api, req, response, texts

PNG = b"\x89PNG\r\n\x1a\n\x00\xff"
PNG_B64 = base64.b64encode(PNG)
URI = "https://backend.example.com/blob"


def test_is_binary_type_with_wildcards():
    assert is_binary_type("image/png", ["image/png"])
    assert is_binary_type("IMAGE/PNG; q=1", ["image/*"])
    assert is_binary_type("application/json", ["*/*"])
    assert is_binary_type("image/png", ["image~1png"])
    assert not is_binary_type("image/png", ["application/octet-stream"])
    assert not is_binary_type(None, ["*/*"])


# --- request table: every row ------------------------------------------------------------------------

@pytest.mark.parametrize("binary,handling,data,expected,expected_binary", [
    (False, None, b"text", b"text", False),
    (False, "CONVERT_TO_TEXT", b"text", b"text", False),
    (False, "CONVERT_TO_BINARY", PNG_B64, PNG, True),
    (True, None, PNG, PNG, True),
    (True, "CONVERT_TO_TEXT", PNG, PNG_B64, False),
    (True, "CONVERT_TO_BINARY", PNG, PNG, True),
])
def test_request_table(binary, handling, data, expected, expected_binary):
    out = convert_request(data, binary, handling)
    assert (out.data, out.binary) == (expected, expected_binary)


def test_request_base64_failure():
    with pytest.raises(ConversionError):
        convert_request(b"not base64!", False, "CONVERT_TO_BINARY")


# --- response table: the documentation's 15 rows -------------------------------------------------------

T, B = b'{"t": 1}', PNG
RESPONSE_ROWS = [
    # types set, payload binary, accept binary, handling, payload, expected, binary out
    (False, False, False, None, T, T, False),
    (False, False, False, "CONVERT_TO_BINARY", PNG_B64, B, True),
    (False, False, False, "CONVERT_TO_TEXT", T, T, False),
    (True, False, False, None, T, T, False),
    (True, False, False, "CONVERT_TO_BINARY", PNG_B64, B, True),
    (True, False, False, "CONVERT_TO_TEXT", T, T, False),
    (True, False, True, None, PNG_B64, B, True),
    (True, False, True, "CONVERT_TO_BINARY", PNG_B64, B, True),
    (True, False, True, "CONVERT_TO_TEXT", T, T, False),
    (True, True, False, None, B, PNG_B64, False),
    (True, True, False, "CONVERT_TO_BINARY", B, B, True),
    (True, True, False, "CONVERT_TO_TEXT", B, PNG_B64, False),
    (True, True, True, None, B, B, True),
    (True, True, True, "CONVERT_TO_BINARY", B, B, True),
    (True, True, True, "CONVERT_TO_TEXT", B, PNG_B64, False),
]


@pytest.mark.parametrize("types_set,payload_binary,accept_binary,handling,data,expected,binary", RESPONSE_ROWS)
def test_response_table(types_set, payload_binary, accept_binary, handling, data, expected, binary):
    out = convert_response(data, payload_binary, accept_binary, types_set, handling)
    assert (out.data, out.binary) == (expected, binary)


# --- end to end ---------------------------------------------------------------------------------------------


def test_binary_request_passes_through_as_bytes():
    seen = []
    definition = api(type="HTTP", uri=URI, binary_media_types=["image/*"])
    request = req(headers={"Content-Type": "image/png"}, body=PNG_B64.decode(), isBase64Encoded=True)
    result = invoke(definition, request, backend=HttpHandler(lambda r: seen.append(r) or HttpResponse(200)))
    assert seen[0].is_base64_encoded and seen[0].body_bytes() == PNG
    assert "Method request body before transformations: [Binary Data]" in texts(result.log_lines)
    assert "Endpoint request body after transformations: [Binary Data]" in texts(result.log_lines)


def test_template_sees_binary_as_base64_with_convert_to_text():
    seen = []
    definition = api(type="HTTP", uri=URI, binary_media_types=["image/png"], content_handling="CONVERT_TO_TEXT",
                     request_templates={"image/png": '{"data": "$input.body"}'})
    request = req(headers={"Content-Type": "image/png"}, body=PNG_B64.decode(), isBase64Encoded=True)
    invoke(definition, request, backend=HttpHandler(lambda r: seen.append(r) or HttpResponse(200)))
    assert seen[0].body == '{"data": "%s"}' % PNG_B64.decode()


def test_convert_to_binary_non_utf8_with_a_template_is_500():
    definition = api(type="HTTP", uri=URI, content_handling="CONVERT_TO_BINARY",
                     request_templates={"application/json": "$input.body"})
    result = invoke(definition, req(headers={"Content-Type": "application/json"}, body=PNG_B64.decode()),
                    backend=HttpResponse(200))
    assert result.status == 500


def test_convert_to_binary_bad_base64_is_500():
    definition = api(type="HTTP", uri=URI, content_handling="CONVERT_TO_BINARY")
    result = invoke(definition, req(headers={"Content-Type": "text/plain"}, body="not base64 !"),
                    backend=HttpResponse(200))
    assert result.status == 500
    assert result.headers["x-amzn-ErrorType"] == "InternalServerErrorException"


def test_binary_response_reported_as_base64():
    definition = api(type="HTTP", uri=URI, binary_media_types=["image/png"], http_method="GET")
    backend = HttpResponse(200, headers={"Content-Type": "image/png"}, body=PNG_B64.decode(), isBase64Encoded=True)
    binary = invoke(definition, req(headers={"Accept": "image/png"}), backend=backend)
    assert binary.is_base64_encoded and binary.body_bytes == PNG
    assert "Method response body after transformations: [Binary Data]" in texts(binary.log_lines)
    text = invoke(definition, req(headers={"Accept": "application/json"}), backend=backend)
    assert not text.is_base64_encoded and text.body == PNG_B64.decode()


def test_response_convert_to_binary_from_a_lambda_like_base64_text():
    definition = api(type="HTTP", uri=URI, responses=[response("200", content_handling="CONVERT_TO_BINARY")])
    result = invoke(definition, req(), backend=HttpResponse(200, body=PNG_B64.decode()))
    assert result.is_base64_encoded and result.body_bytes == PNG
