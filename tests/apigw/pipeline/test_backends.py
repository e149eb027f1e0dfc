"""Backend files and objects (docs/integration.md §1): shapes, kinds, errors with file and pointer."""

import json

import pytest

from vtlgw.apigw.pipeline import (
    BackendError,
    BackendFileError,
    HttpResponse,
    LambdaError,
    LambdaPayload,
    LambdaResult,
    Timeout,
    backend_from_dict,
    backend_from_file,
    invoke,
)
from vtlgw.vtl.errors import VtlError

from .helpers import DATA, LAMBDA_URI, api, req


def write(tmp_path, obj, name="backend.json"):
    path = tmp_path / name
    path.write_text(obj if isinstance(obj, str) else json.dumps(obj))
    return path


def test_spec_shapes():
    assert backend_from_dict({"result": {"a": 1}}) == LambdaResult({"a": 1})
    assert backend_from_dict({"payload": "raw"}) == LambdaPayload("raw")
    error = backend_from_dict({"error": {"errorMessage": "m", "errorType": "T", "stackTrace": []}})
    assert isinstance(error, LambdaError) and error.errorMessage == "m"
    assert isinstance(backend_from_dict({"failure": "timeout"}), Timeout)
    http = backend_from_dict({"statusCode": 404, "headers": {"A": "1"}, "body": "x"})
    assert isinstance(http, HttpResponse) and http.statusCode == 404


def test_cli_kinds(tmp_path):
    assert backend_from_file(write(tmp_path, [1, 2]), "lambda-result") == LambdaResult([1, 2])
    assert backend_from_file(DATA / "lambda-error-notfound.json", "lambda-error").errorType == "NotFoundError"
    assert backend_from_file(DATA / "http-404.json", "http-response").statusCode == 404
    assert isinstance(backend_from_file(DATA / "backend-timeout.json"), Timeout)


def test_http_body_json_value_is_compact_json():
    response = HttpResponse(200, body={"a": [1, "é"]}).response()
    assert response.body == '{"a":[1,"é"]}'.encode()


def test_lambda_error_file_keeps_key_order_in_the_body():
    backend = backend_from_dict({"stackTrace": [], "errorType": "E", "errorMessage": "m"}, "lambda-error")
    result = invoke(api(type="AWS", uri=LAMBDA_URI), req(body="{}"), backend=backend)
    assert result.body == '{"stackTrace":[],"errorType":"E","errorMessage":"m"}'


@pytest.mark.parametrize("obj,kind,pointer,message", [
    ({"statusCode": "abc"}, "http-response", "/statusCode", "HTTP status code"),
    ({"statusCode": 200, "headers": {"A": ["x"]}}, "http-response", "/headers/A", "expected a string"),
    ({"statusCode": 200, "multiValueHeaders": {"A/B": "x"}}, "http-response", "/multiValueHeaders/A~1B", "list"),
    ({"statusCode": 200, "bodyy": ""}, "http-response", "/bodyy", "unknown key"),
    ({"statusCode": 200, "isBase64Encoded": True, "body": "%%"}, "http-response", "/body", "base64"),
    ({"errorType": "E"}, "lambda-error", "", "errorMessage"),
    ({"errorMessage": "m", "stackTrace": "x"}, "lambda-error", "/stackTrace", "list"),
    ({"payload": 5}, "auto", "/payload", "string"),
    ({"failure": "crash"}, "auto", "/failure", "timeout"),
    ({"result": 1, "payload": "x"}, "auto", "/payload", "unexpected"),
    ({"error": {"errorType": "E"}}, "auto", "/error", "errorMessage"),
])
def test_file_errors_name_the_file_and_pointer(tmp_path, obj, kind, pointer, message):
    path = write(tmp_path, obj)
    with pytest.raises(BackendFileError) as info:
        backend_from_file(path, kind)
    assert isinstance(info.value, VtlError)
    text = str(info.value)
    assert text.startswith(f"{path}: error: ")
    assert (f"{pointer}: " in text) if pointer else True
    assert message in text


def test_invalid_json_and_missing_file(tmp_path):
    path = write(tmp_path, "{nope")
    with pytest.raises(BackendFileError) as info:
        backend_from_file(path)
    assert str(info.value).startswith(f"{path}:1:2: error: invalid JSON: ")
    with pytest.raises(BackendFileError, match="cannot read"):
        backend_from_file(tmp_path / "absent.json")


def test_missing_backend_and_wrong_kind_raise():
    with pytest.raises(BackendError, match="give a backend"):
        invoke(api(type="AWS", uri=LAMBDA_URI), req(body="{}"))
    with pytest.raises(BackendError, match="cannot answer"):
        invoke(api(type="AWS", uri=LAMBDA_URI), req(body="{}"), backend=HttpResponse(200))
    with pytest.raises(BackendError, match="cannot answer"):
        invoke(api(type="HTTP", uri="https://x.example.com/"), req(), backend=LambdaResult(1))


def test_http_proxy_integrations_run_on_http_backends_only():
    # HTTP_PROXY is built (issue 14); a Lambda backend cannot answer it.
    result = invoke(api(type="HTTP_PROXY", uri="https://x.example.com/"), req(body="{}"), backend=HttpResponse(200))
    assert result.status == 200
    with pytest.raises(BackendError, match="cannot answer"):
        invoke(api(type="HTTP_PROXY", uri="https://x.example.com/"), req(body="{}"), backend=LambdaResult(1))
