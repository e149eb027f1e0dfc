"""Backends the pipeline calls instead of AWS: recorded files and in-process Python callables.

A Lambda custom integration sees a *function result* (a payload, or a function
error with ``errorMessage``); HTTP and AWS-service integrations see an *HTTP
response* (status, headers, body). Both become a :class:`BackendResponse`, and
``invoke`` computes the match value from it (docs/integration.md §4).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import importlib
import json
import os
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Protocol, runtime_checkable

from vtlgw.apigw import files
from vtlgw.apigw.errors import ArgumentError, InputFileError
from vtlgw.apigw.jsonvalue import describe_type, json_problem
from vtlgw.apigw.wire import as_sent, java_utf8

from .capture import describe_exception, run_user_code
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
    handler_output: str = ""        # what an in-process handler wrote to stdout/stderr during the call
    failure: str | None = None      # the endpoint could not be reached: why (an HTTP handler that raised)

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

    def __post_init__(self) -> None:
        _check_json("LambdaResult(value)", self.value)

    def call(self, call: BackendCall) -> BackendResponse:
        return _lambda_response(call, _compact(self.value))


def _check_json(argument: str, value: Any) -> None:
    """A :class:`BackendError` naming ``argument`` and the field when ``value`` is not a JSON value."""
    problem = json_problem(value)
    if problem:
        pointer, message = problem
        raise BackendError(f"{argument}: {pointer + ': ' if pointer else ''}{message}")


@dataclass
class LambdaPayload:
    """The function returned exactly these bytes (text)."""

    text: str
    kinds = (LAMBDA,)

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            hint = ("; for a value, use LambdaResult(value)" if not isinstance(self.text, (bytes, bytearray))
                    else "; decode the bytes")
            raise BackendError(f"LambdaPayload(text): expected the payload as a str, not "
                               f"{describe_type(self.text)}{hint}")

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

    def __post_init__(self) -> None:
        _check_json("LambdaError(errorMessage)", self.errorMessage)
        if self.errorType is not None and not isinstance(self.errorType, str):
            raise BackendError(f"LambdaError(errorType): expected a str or None, not {describe_type(self.errorType)}")
        if self.stackTrace is not None:
            if not isinstance(self.stackTrace, (list, tuple)):
                raise BackendError("LambdaError(stackTrace): expected a list of str or None, not "
                                   + describe_type(self.stackTrace))
            _check_json("LambdaError(stackTrace)", self.stackTrace)
        if not isinstance(self.extra, dict):
            raise BackendError(f"LambdaError(extra): expected a dict, not {describe_type(self.extra)}")
        _check_json("LambdaError(extra)", self.extra)

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

    def __init__(self, call: BackendCall, *, timeout_seconds: float | None = None) -> None:
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
        limit = call.timeout_ms / 1000.0 if timeout_seconds is None else timeout_seconds
        self._deadline = time.monotonic() + limit

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def _import(target: str) -> Callable[..., Any]:
    handler, _output = _import_captured(target)
    return handler


def _import_captured(target: str) -> tuple[Callable[..., Any], str]:
    """Import ``"module:function"`` with the module's output captured; the callable and that output.

    A module that fails to import (any exception, ``sys.exit`` included) is a
    :class:`BackendError` naming the target, with what it printed.
    """
    if not isinstance(target, str):
        raise BackendError(f'expected "module:function", not {_type_name(target)}')
    module_name, sep, attr = target.partition(":")
    if not sep or not module_name or not attr:
        raise BackendError(f'"{target}": expected "module:function"')
    outcome = run_user_code(importlib.import_module, module_name)
    exc = outcome.exception
    if exc is not None:
        why = describe_exception(exc) if isinstance(exc, ImportError) else \
            f"{type(exc).__name__}: {describe_exception(exc)}"
        printed = f"; it printed: {outcome.output.strip()[:500]}" if outcome.output.strip() else ""
        raise BackendError(f'"{target}": cannot import {module_name}: {why}{printed}') from None
    module = outcome.value
    return _attribute(target, module, module_name, attr), outcome.output


def _attribute(target: str, module: Any, module_name: str, attr: str) -> Callable[..., Any]:
    obj: Any = module
    for part in attr.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise BackendError(f'"{target}": {module_name} has no attribute {attr}') from None
        except Exception as exc:  # noqa: BLE001 - a module __getattr__ of the user's
            raise BackendError(f'"{target}": reading {attr} from {module_name} failed: '
                               f"{type(exc).__name__}: {describe_exception(exc)}") from None
    if not callable(obj):
        raise BackendError(f'"{target}" is not callable')
    return obj


class LambdaHandler:
    """A Python handler ``handler(event, context)`` run in-process, as the Python runtime would.

    ``event`` is the parsed integration request body; the return value is
    serialised with ``json.dumps`` defaults. Whatever the handler does becomes
    a Lambda result, as the runtime reports it:

    - an exception, of any ``BaseException`` class, is the error object
      ``{errorMessage, errorType, requestId, stackTrace}``;
    - ``sys.exit(n)`` is ``Runtime.ExitError`` ("Runtime exited with error:
      exit status n"), the runtime process having exited;
    - a value ``json.dumps`` refuses (a set, a cycle, nesting too deep) is
      ``Runtime.MarshalError``;
    - what it prints (stdout and stderr, Python's streams and the descriptors)
      is captured, never written to vtlgw's own output, and returned as the
      response's ``handler_output`` (the function's CloudWatch lines).

    ``KeyboardInterrupt`` alone is not caught: it stops vtlgw, as Ctrl-C should.
    ``init_output`` is what importing the handler's module printed; it leads
    the first call's ``handler_output``, as a cold start's lines precede
    ``START`` in CloudWatch.

    ``environment`` (the function's ``Environment`` variables) is set in
    ``os.environ`` for the call and restored after it. With ``timeout_seconds``
    (the function's ``Timeout``), a call that runs longer is Lambda's timeout
    error, ``Sandbox.Timedout`` (U40: the handler is not interrupted, its result is
    discarded), and ``context.get_remaining_time_in_millis()`` counts down from it.
    """

    kinds = (LAMBDA,)

    def __init__(self, handler: Callable[[Any, Any], Any] | str, *, init_output: str = "",
                 environment: dict[str, str] | None = None, timeout_seconds: float | None = None) -> None:
        if isinstance(handler, str):
            handler, output = _import_captured(handler)
            init_output += output
        elif not callable(handler):
            raise BackendError(f"LambdaHandler(handler): expected a callable handler(event, context) or "
                               f'"module:function", not {_type_name(handler)}')
        self.handler = handler
        self.init_output = init_output
        self.environment = dict(environment or {})
        self.timeout_seconds = timeout_seconds

    def call(self, call: BackendCall) -> BackendResponse:
        event = json.loads(call.request.body) if call.request.body else {}
        context = LambdaContext(call, timeout_seconds=self.timeout_seconds)
        began = time.monotonic()
        with _environment(self.environment):
            outcome = run_user_code(self.handler, event, context)
        output, self.init_output = self.init_output + outcome.output, ""
        if self.timeout_seconds is not None and time.monotonic() - began > self.timeout_seconds:
            error = {"errorType": "Sandbox.Timedout",
                     "errorMessage": f"RequestId: {call.lambda_request_id} Error: Task timed out after "
                                     f"{self.timeout_seconds:.2f} seconds"}
            return _with_output(_lambda_response(call, json.dumps(error), error, True), output)
        exc = outcome.exception
        if isinstance(exc, SystemExit):
            status, message = _exit_status(exc)
            output += message
            # The runtime process is gone: Lambda reports the exit, with no stack trace [Lambda runtime errors].
            reason = (f"Runtime exited with error: exit status {status}" if status else
                      "Runtime exited without providing a reason")
            error: dict[str, Any] = {"errorType": "Runtime.ExitError",
                                     "errorMessage": f"RequestId: {call.lambda_request_id} Error: {reason}"}
            return _with_output(_lambda_response(call, json.dumps(error), error, True), output)
        if exc is not None:  # the function's own error: a Lambda function error
            error = {
                "errorMessage": describe_exception(exc),
                "errorType": type(exc).__name__,
                "requestId": call.lambda_request_id,
                "stackTrace": _stack_trace(exc),
            }
            return _with_output(_lambda_response(call, json.dumps(error), error, True), output)
        try:
            payload = json.dumps(outcome.value)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - TypeError, ValueError (a cycle), RecursionError, or user code
            error = {"errorMessage": f"Unable to marshal response: {describe_exception(exc)}",
                     "errorType": "Runtime.MarshalError", "requestId": call.lambda_request_id, "stackTrace": []}
            return _with_output(_lambda_response(call, json.dumps(error), error, True), output)
        return _with_output(_lambda_response(call, payload), output)


@contextlib.contextmanager
def _environment(variables: dict[str, str]) -> Iterator[None]:
    """``variables`` in ``os.environ`` for the duration, then every name as it was (absent ones removed)."""
    saved = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _with_output(response: BackendResponse, output: str) -> BackendResponse:
    response.handler_output = as_sent(output)
    return response


def _stack_trace(exc: BaseException) -> list[str]:
    """The runtime's ``stackTrace``: the frames below the call into the handler, formatted."""
    try:
        return traceback.format_list(traceback.extract_tb(exc.__traceback__)[1:])
    except Exception:  # noqa: BLE001 - a traceback too deep to walk, or source lines that fail to load
        return []


def _exit_status(exc: SystemExit) -> tuple[int, str]:
    """The process exit status ``sys.exit(code)`` gives, and what Python prints on stderr for it."""
    code = exc.code
    if code is None:
        return 0, ""
    if isinstance(code, int) and not isinstance(code, bool):
        return code & 0xFF, ""
    if isinstance(code, bool):
        return int(code), ""
    return 1, describe_exception(SystemExit(code)) + "\n"


def _type_name(value: Any) -> str:
    return "None" if value is None else f"a {type(value).__name__}"


# ---------------------------------------------------------------------------- HTTP / AWS service


@dataclass
class HttpResponse:
    """An HTTP (or AWS service) response: ``HttpResponse(status, headers, body)``.

    ``body`` is text, bytes, None, or a JSON value (sent as compact JSON);
    ``multiValueHeaders`` and ``isBase64Encoded`` (a base64 text ``body``)
    follow, best given by keyword. ``statusCode`` may be a string of digits.
    Anything else is a :class:`BackendError` naming the field.
    """

    statusCode: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = ""
    multiValueHeaders: dict[str, list[str]] = field(default_factory=dict)
    isBase64Encoded: bool = False
    kinds = (HTTP, AWS)

    def __post_init__(self) -> None:
        status = self.statusCode
        if isinstance(status, str) and status.strip().isdecimal():
            status = self.statusCode = int(status.strip())
        if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
            raise BackendError(f"HttpResponse(statusCode): expected an HTTP status code (an integer from 100 to "
                               f"599), not {status!r}" if isinstance(status, (int, str)) else
                               f"HttpResponse(statusCode): expected an HTTP status code (an integer from 100 to "
                               f"599), not {describe_type(status)}")
        if self.headers is None:
            self.headers = {}
        if not isinstance(self.headers, dict):
            raise BackendError(f"HttpResponse(headers): expected a dict of header names to values, not "
                               f"{describe_type(self.headers)}")
        for name, value in self.headers.items():
            if not isinstance(name, str):
                raise BackendError(f"HttpResponse(headers): header names must be strings, not {describe_type(name)}")
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise BackendError(f"HttpResponse(headers): /{name}: expected a string, not {describe_type(value)}")
        if self.multiValueHeaders is None:
            self.multiValueHeaders = {}
        if not isinstance(self.multiValueHeaders, dict):
            raise BackendError(f"HttpResponse(multiValueHeaders): expected a dict of header names to lists of "
                               f"strings, not {describe_type(self.multiValueHeaders)}")
        for name, values in self.multiValueHeaders.items():
            if not isinstance(name, str):
                raise BackendError(f"HttpResponse(multiValueHeaders): header names must be strings, not "
                                   f"{describe_type(name)}")
            if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
                raise BackendError(f"HttpResponse(multiValueHeaders): /{name}: expected a list of strings")
        if not isinstance(self.isBase64Encoded, bool):
            raise BackendError(f"HttpResponse(isBase64Encoded): expected True or False, not "
                               f"{describe_type(self.isBase64Encoded)}")
        body = self.body
        if self.isBase64Encoded:
            if not isinstance(body, str):
                raise BackendError(f"HttpResponse(body): isBase64Encoded is true, so the body must be base64 text, "
                                   f"not {describe_type(body)}")
            try:
                base64.b64decode(body, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise BackendError(f"HttpResponse(body): isBase64Encoded is true but the body is not base64: "
                                   f"{exc}") from None
        elif body is not None and not isinstance(body, (str, bytes, bytearray)):
            _check_json("HttpResponse(body)", body)

    def response(self) -> BackendResponse:
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():
            headers[name] = [str(value)]
        for name, values in self.multiValueHeaders.items():
            headers[name] = [str(v) for v in values]
        body = self.body
        if body is None:
            data = b""
        elif isinstance(body, (bytes, bytearray)):
            data = bytes(body)
        elif isinstance(body, str):
            if self.isBase64Encoded:
                try:
                    data = base64.b64decode(body, validate=True)
                except (binascii.Error, ValueError) as exc:
                    raise BackendError(f"isBase64Encoded is true but body is not base64: {exc}") from None
            else:
                data = java_utf8(body)
        else:
            data = java_utf8(_compact(body))
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
        if isinstance(handler, str):
            handler, self.init_output = _import_captured(handler)
        elif not callable(handler):
            raise BackendError(f'HttpHandler(handler): expected a callable handler(request) or "module:function", '
                               f"not {_type_name(handler)}")
        else:
            self.init_output = ""
        self.handler = handler

    def call(self, call: BackendCall) -> BackendResponse:
        outcome = run_user_code(self.handler, call.request)
        output, self.init_output = self.init_output + outcome.output, ""
        exc = outcome.exception
        if exc is not None:
            # The endpoint failed to answer: the pipeline answers as API Gateway does for an unreachable one.
            what = (f"exited (sys.exit({exc.code!r}))" if isinstance(exc, SystemExit) else
                    f"raised {type(exc).__name__}: {describe_exception(exc)}")
            return _with_output(BackendResponse(failure=f"the HTTP handler {what}"), output)
        result = outcome.value
        if isinstance(result, HttpResponse):
            response = result.response()
        elif isinstance(result, BackendResponse):
            response = result
        elif isinstance(result, str):
            response = HttpResponse(200, body=result).response()
        elif isinstance(result, dict):
            response = _http_from_dict(result, "<handler>").response()
        else:
            raise BackendError(f"the HTTP handler returned {_type_name(result)}; expected an HttpResponse, a dict "
                               "or a string")
        return _with_output(response, output)


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
    return HttpResponse(status, {k: str(v) for k, v in headers.items()}, body, multi, b64)


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
    """Read a backend file (``--lambda-result``, ``--lambda-error``, ``--http-response`` or any of the shapes)."""
    if isinstance(path, (bytes, bytearray)) or not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise ArgumentError(f"backend_from_file(path): expected the backend file's path as a non-empty str or "
                            f"pathlib.Path, not {describe_type(path) if path != '' else 'an empty str'}")
    if kind not in _KINDS:
        raise ArgumentError(f"backend_from_file(kind): expected one of {', '.join(_KINDS)}, not {kind!r}")
    name = str(path)
    try:
        with open(Path(path), "rb") as fh:  # at most files.BACKEND's cap: /dev/zero is refused, not read
            raw = files.read_capped(fh, files.BACKEND, name, lambda message: BackendFileError(message, source=name))
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
