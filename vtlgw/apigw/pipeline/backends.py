"""Backends the pipeline calls instead of AWS: recorded files and in-process Python callables.

A Lambda custom integration sees a *function result* (a payload, or a function
error with ``errorMessage``); HTTP and AWS-service integrations see an *HTTP
response* (status, headers, body). Both become a :class:`BackendResponse`, and
``invoke`` computes the match value from it (docs/integration.md §4).
"""

from __future__ import annotations

import base64
import binascii
import importlib
import json
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol, runtime_checkable

from vtlgw.apigw.errors import InputFileError
from vtlgw.apigw.wire import java_utf8

from .failures import BackendError

__all__ = [
    "Backend", "BackendCall", "BackendResponse", "MockBackend", "LambdaResult", "LambdaPayload",
    "LambdaError", "LambdaHandler", "LambdaContext", "HttpResponse", "HttpHandler", "Timeout",
    "backend_from_file", "backend_from_dict", "BackendFileError", "LAMBDA", "HTTP", "AWS",
]

LAMBDA = "lambda"
HTTP = "http"
AWS = "aws"


@dataclass
class BackendCall:
    """What a backend is asked: the integration request and where it is going."""

    kind: str                       # LAMBDA, AWS or HTTP
    request: Any                    # an IntegrationRequest
    timeout_ms: int
    request_id: str                 # the API Gateway request id
    lambda_request_id: str
    function_arn: str | None = None
    epoch_ms: int = 0


@dataclass
class BackendResponse:
    """The integration response as the pipeline sees it.

    ``function_error`` is set for a Lambda function error: the error object
    (usually a dict with ``errorMessage``). ``timed_out`` means no response.
    """

    status: int = 200
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: bytes = b""
    function_error: Any = None
    is_function_error: bool = False
    timed_out: bool = False

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@runtime_checkable
class Backend(Protocol):
    """Anything that answers an integration request."""

    kinds: tuple[str, ...]

    def call(self, call: BackendCall) -> BackendResponse: ...


# ---------------------------------------------------------------------------- MOCK and timeout


class MockBackend:
    """The implicit backend of MOCK integrations: never called (the template is the response)."""

    kinds = ("mock",)

    def call(self, call: BackendCall) -> BackendResponse:  # pragma: no cover - never used
        raise BackendError("a MOCK integration calls no backend")


class Timeout:
    """The integration times out: 504 ``Endpoint request timed out``."""

    kinds = (LAMBDA, AWS, HTTP)

    def call(self, call: BackendCall) -> BackendResponse:
        return BackendResponse(timed_out=True)


# ---------------------------------------------------------------------------- Lambda


def _lambda_headers(call: BackendCall, body: bytes, error: bool) -> dict[str, list[str]]:
    headers = {
        "Content-Type": ["application/json"],
        "Content-Length": [str(len(body))],
        "Connection": ["keep-alive"],
        "x-amzn-RequestId": [call.lambda_request_id],
    }
    if error:
        headers["X-Amz-Function-Error"] = ["Unhandled"]
    headers["X-Amz-Executed-Version"] = ["$LATEST"]
    return headers


def _lambda_response(call: BackendCall, payload: str, error: Any = None, is_error: bool = False) -> BackendResponse:
    body = java_utf8(payload)
    return BackendResponse(200, _lambda_headers(call, body, is_error), body, error, is_error)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass
class LambdaResult:
    """The function returned ``value`` (serialised as compact JSON); a success even with ``errorMessage``."""

    value: Any
    kinds = (LAMBDA,)

    def call(self, call: BackendCall) -> BackendResponse:
        return _lambda_response(call, _compact(self.value))


@dataclass
class LambdaPayload:
    """The function returned exactly these bytes (text)."""

    text: str
    kinds = (LAMBDA,)

    def call(self, call: BackendCall) -> BackendResponse:
        return _lambda_response(call, self.text)


@dataclass
class LambdaError:
    """A function error: ``{"errorMessage", "errorType", "stackTrace"}`` (``extra`` keeps other keys)."""

    errorMessage: Any
    errorType: str | None = None
    stackTrace: list[str] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    kinds = (LAMBDA,)

    @classmethod
    def from_object(cls, obj: dict[str, Any]) -> "LambdaError":
        """From a recorded error object; its keys keep their order in the body."""
        known = {k: obj[k] for k in ("errorMessage", "errorType", "stackTrace") if k in obj}
        error = cls(known.get("errorMessage"), known.get("errorType"), known.get("stackTrace"))
        error.extra = dict(obj)
        return error

    def as_object(self) -> dict[str, Any]:
        if self.extra:
            return dict(self.extra)
        obj: dict[str, Any] = {"errorMessage": self.errorMessage}
        if self.errorType is not None:
            obj["errorType"] = self.errorType
        if self.stackTrace is not None:
            obj["stackTrace"] = self.stackTrace
        return obj

    def call(self, call: BackendCall) -> BackendResponse:
        obj = self.as_object()
        return _lambda_response(call, _compact(obj), obj, True)


class LambdaContext:
    """The ``context`` object a Python handler receives (the attributes handlers commonly use)."""

    def __init__(self, call: BackendCall) -> None:
        arn = call.function_arn or "arn:aws:lambda:us-east-1:123456789012:function:function"
        self.function_name = arn.rsplit(":", 1)[-1] if arn.startswith("arn:") else arn
        self.function_version = "$LATEST"
        self.invoked_function_arn = arn
        self.memory_limit_in_mb = "128"
        self.aws_request_id = call.lambda_request_id
        self.log_group_name = f"/aws/lambda/{self.function_name}"
        self.log_stream_name = "2020/03/04/[$LATEST]0123456789abcdef0123456789abcdef"
        self.identity = None
        self.client_context = None
        self._deadline = time.monotonic() + call.timeout_ms / 1000.0

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _import(target: str) -> Callable[..., Any]:
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise BackendError(f'"{target}": expected "module:function"')
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise BackendError(f'"{target}": cannot import {module_name}: {exc}') from None
    obj: Any = module
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise BackendError(f'"{target}": {module_name} has no attribute {attr}')
        obj = getattr(obj, part)
    if not callable(obj):
        raise BackendError(f'"{target}" is not callable')
    return obj


class LambdaHandler:
    """A Python handler ``handler(event, context)`` run in-process, as the Python runtime would.

    ``event`` is the parsed integration request body; the return value is
    serialised with ``json.dumps`` defaults; an exception becomes the runtime's
    error object ``{errorMessage, errorType, requestId, stackTrace}``.
    """

    kinds = (LAMBDA,)

    def __init__(self, handler: Callable[[Any, Any], Any] | str) -> None:
        self.handler = _import(handler) if isinstance(handler, str) else handler

    def call(self, call: BackendCall) -> BackendResponse:
        event = json.loads(call.request.body) if call.request.body else {}
        context = LambdaContext(call)
        try:
            result = self.handler(event, context)
        except Exception as exc:  # the function's own error: a Lambda function error
            error = {
                "errorMessage": str(exc),
                "errorType": type(exc).__name__,
                "requestId": call.lambda_request_id,
                "stackTrace": traceback.format_list(traceback.extract_tb(exc.__traceback__)[1:]),
            }
            return _lambda_response(call, json.dumps(error), error, True)
        try:
            payload = json.dumps(result)
        except (TypeError, ValueError) as exc:
            error = {"errorMessage": f"Unable to marshal response: {exc}", "errorType": "Runtime.MarshalError",
                     "requestId": call.lambda_request_id, "stackTrace": []}
            return _lambda_response(call, json.dumps(error), error, True)
        return _lambda_response(call, payload)


# ---------------------------------------------------------------------------- HTTP / AWS service


@dataclass
class HttpResponse:
    """An HTTP (or AWS service) response: ``body`` is text or a JSON value (sent as compact JSON)."""

    statusCode: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    multiValueHeaders: dict[str, list[str]] = field(default_factory=dict)
    body: Any = ""
    isBase64Encoded: bool = False
    kinds = (HTTP, AWS)

    def response(self) -> BackendResponse:
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():
            headers[name] = [str(value)]
        for name, values in self.multiValueHeaders.items():
            headers[name] = [str(v) for v in values]
        body = self.body
        if body is None:
            data = b""
        elif isinstance(body, bytes):
            data = body
        elif isinstance(body, str):
            if self.isBase64Encoded:
                try:
                    data = base64.b64decode(body, validate=True)
                except (binascii.Error, ValueError) as exc:
                    raise BackendError(f"isBase64Encoded is true but body is not base64: {exc}") from None
            else:
                data = java_utf8(body)
        else:
            data = _compact(body).encode("utf-8")
        return BackendResponse(int(self.statusCode), headers, data)

    def call(self, call: BackendCall) -> BackendResponse:
        return self.response()


class HttpHandler:
    """A Python callable that receives the integration request and returns the HTTP response.

    It may return an :class:`HttpResponse`, a dict of the same shape, or a
    string (a 200 with that body).
    """

    kinds = (HTTP, AWS)

    def __init__(self, handler: Callable[[Any], Any] | str) -> None:
        self.handler = _import(handler) if isinstance(handler, str) else handler

    def call(self, call: BackendCall) -> BackendResponse:
        result = self.handler(call.request)
        if isinstance(result, HttpResponse):
            return result.response()
        if isinstance(result, BackendResponse):
            return result
        if isinstance(result, str):
            return HttpResponse(200, body=result).response()
        if isinstance(result, dict):
            return _http_from_dict(result, "<handler>").response()
        raise BackendError(f"the HTTP handler returned a {type(result).__name__}; expected an HttpResponse or a dict")


# ---------------------------------------------------------------------------- files


class BackendFileError(InputFileError, BackendError):
    """A backend file that cannot be used: ``file[:line:col]: error: /pointer: message``."""

    default_file = "<backend>"

    def __init__(self, message: str, *, source: str, pointer: str = "", line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message, file=source, pointer=pointer or None, line=line, column=column)
        self.source = source


_HTTP_KEYS = ("statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded")
_KINDS = ("auto", "lambda-result", "lambda-error", "http-response")


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _http_from_dict(obj: Any, source: str) -> HttpResponse:
    if not isinstance(obj, dict):
        raise BackendFileError("expected an object {\"statusCode\", \"headers\", \"body\"}", source=source)
    for key in obj:
        if key not in _HTTP_KEYS:
            raise BackendFileError(f"unknown key; expected one of {', '.join(_HTTP_KEYS)}", source=source,
                                   pointer=f"/{_escape(key)}")
    status = obj.get("statusCode", 200)
    if isinstance(status, str) and status.strip().isdecimal():
        status = int(status)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        raise BackendFileError("expected an HTTP status code (an integer from 100 to 599)", source=source,
                               pointer="/statusCode")
    headers = obj.get("headers") or {}
    if not isinstance(headers, dict):
        raise BackendFileError("expected an object of strings", source=source, pointer="/headers")
    for name, value in headers.items():
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise BackendFileError("expected a string", source=source, pointer=f"/headers/{_escape(name)}")
    multi = obj.get("multiValueHeaders") or {}
    if not isinstance(multi, dict):
        raise BackendFileError("expected an object of string lists", source=source, pointer="/multiValueHeaders")
    for name, values in multi.items():
        pointer = f"/multiValueHeaders/{_escape(name)}"
        if not isinstance(values, list):
            raise BackendFileError("expected a list of strings", source=source, pointer=pointer)
        for n, value in enumerate(values):
            if not isinstance(value, str):
                raise BackendFileError("expected a string", source=source, pointer=f"{pointer}/{n}")
    b64 = obj.get("isBase64Encoded", False)
    if not isinstance(b64, bool):
        raise BackendFileError("expected true or false", source=source, pointer="/isBase64Encoded")
    body = obj.get("body", "")
    if b64 and not isinstance(body, str):
        raise BackendFileError("expected a base64 string (isBase64Encoded is true)", source=source, pointer="/body")
    if b64:
        try:
            base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise BackendFileError("not valid base64", source=source, pointer="/body") from None
    return HttpResponse(status, {k: str(v) for k, v in headers.items()}, multi, body, b64)


def _lambda_error(obj: Any, source: str, pointer: str) -> LambdaError:
    if not isinstance(obj, dict):
        raise BackendFileError('expected an object {"errorMessage", "errorType", "stackTrace"}', source=source,
                               pointer=pointer)
    if "errorMessage" not in obj:
        raise BackendFileError('missing "errorMessage"', source=source, pointer=pointer)
    if "errorType" in obj and obj["errorType"] is not None and not isinstance(obj["errorType"], str):
        raise BackendFileError("expected a string", source=source, pointer=f"{pointer}/errorType")
    trace = obj.get("stackTrace")
    if trace is not None and not isinstance(trace, list):
        raise BackendFileError("expected a list", source=source, pointer=f"{pointer}/stackTrace")
    return LambdaError.from_object(obj)


def backend_from_dict(obj: Any, kind: str = "auto", source: str = "<backend>") -> Backend:
    """A backend from parsed file data; ``kind`` is ``auto`` (the spec's shapes) or a CLI option's kind."""
    if kind not in _KINDS:
        raise BackendError(f"unknown backend kind {kind!r}; expected one of {', '.join(_KINDS)}")
    if kind == "lambda-result":
        return LambdaResult(obj)
    if kind == "lambda-error":
        return _lambda_error(obj, source, "")
    if kind == "http-response":
        return _http_from_dict(obj, source)
    if not isinstance(obj, dict):
        raise BackendFileError('expected an object: {"result": …}, {"payload": "…"}, {"error": {…}}, '
                               '{"failure": "timeout"} or {"statusCode": …}', source=source)
    shapes = [key for key in ("result", "payload", "error", "failure") if key in obj]
    if not shapes:
        return _http_from_dict(obj, source)
    if len(obj) != 1:
        extra = next(k for k in obj if k != shapes[0])
        raise BackendFileError(f'unexpected key next to "{shapes[0]}"', source=source, pointer=f"/{_escape(extra)}")
    key = shapes[0]
    value = obj[key]
    if key == "result":
        return LambdaResult(value)
    if key == "payload":
        if not isinstance(value, str):
            raise BackendFileError("expected a string (the exact payload the function returned)", source=source,
                                   pointer="/payload")
        return LambdaPayload(value)
    if key == "error":
        return _lambda_error(value, source, "/error")
    if value != "timeout":
        raise BackendFileError('the only failure is "timeout"', source=source, pointer="/failure")
    return Timeout()


def backend_from_file(path: str | Path, kind: str = "auto") -> Backend:
    """Read a backend file (``--lambda-result``, ``--lambda-error``, ``--http-response`` or the spec's shapes)."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise BackendFileError(f"cannot read: {exc.strerror or exc}", source=name) from None
    try:
        obj = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise BackendFileError("not UTF-8 text", source=name) from None
    except json.JSONDecodeError as exc:
        raise BackendFileError(f"invalid JSON: {exc.msg}", source=name, line=exc.lineno,
                               column=exc.colno) from None
    return backend_from_dict(obj, kind, name)
