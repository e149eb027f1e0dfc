"""What the client gets from a Lambda proxy function's response (docs/proxy.md §3–§4).

:func:`rest_response` applies API Gateway's REST rules: a response it would
refuse becomes the 502 the client sees, with *every* reason listed (each
naming the offending key), so a test or the linter can show them all at once.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from vtlgw.apigw.errors import ArgumentError
from vtlgw.apigw.jsonvalue import describe_type
from vtlgw.apigw.http.headers import finalise_headers
from vtlgw.apigw.http.media import first_accept, is_binary_type

__all__ = ["ProxyResponse", "rest_response", "http_api_response", "MALFORMED_LOG_LINE", "REST_KEYS"]

#: The keys a REST proxy response may have [AWS-rec].
REST_KEYS = ("statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded")
#: How ``headers`` and ``multiValueHeaders`` combine for one name (U32): as recorded on AWS, or as documented.
MERGES = ("recorded", "docs")
MALFORMED_LOG_LINE = "Execution failed due to configuration error: Malformed Lambda proxy response"
_REST_502_BODY = '{"message": "Internal server error"}'
_HTTP_500_BODY = '{"message":"Internal Server Error"}'


@dataclass
class ProxyResponse:
    """The client-visible response, or the gateway's error with the reasons for it.

    ``headers`` holds each name's client-visible value (several values joined
    with ``, ``); ``multi_value_headers`` the separate values. ``body`` is text,
    or base64 when ``is_base64_encoded``. ``reasons`` is empty for a valid response.
    """

    status: int
    headers: dict[str, str]
    multi_value_headers: dict[str, list[str]]
    body: str
    is_base64_encoded: bool = False
    reasons: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.reasons


def _error(status: int, body: str, reasons: list[str]) -> ProxyResponse:
    return ProxyResponse(status, {"Content-Type": "application/json"}, {"Content-Type": ["application/json"]},
                         body, False, reasons)


def _header_text(value: Any) -> str:
    """A header value as text: ``true``/``false`` for booleans, numbers as written [AWS-rec]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _kind(value: Any) -> str:
    """A JSON value's kind, for reasons."""
    if value is None:
        return "null"
    return {str: "a string", list: "an array", dict: "an object", bool: "a boolean"}.get(type(value), "a number")


def _status(value: Any, reasons: list[str]) -> int:
    if value is None:
        return 200  # missing statusCode → 200 [AWS-rec]
    status: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        status = value
    elif isinstance(value, str) and value.isdigit() and value.isascii():
        status = int(value)
    if status is None:
        reasons.append(f"statusCode: {json.dumps(value)} is not an integer or a string of digits")
        return 502
    if not 100 <= status <= 599:
        reasons.append(f"statusCode: {status} is outside 100-599 (U31)")
        return 502
    return status


def _payload_argument(function: str, payload: Any) -> None:
    if not isinstance(payload, (str, bytes, bytearray)):
        raise ArgumentError(f"{function}(payload): expected the function's response payload as JSON text (a str "
                            f"or bytes), not {describe_type(payload)}; json.dumps a dict first")


def _parse(payload: str | bytes, reasons: list[str]) -> Any:
    text = bytes(payload).decode("utf-8", "replace") if isinstance(payload, (bytes, bytearray)) else payload
    if not text.strip():
        reasons.append("the function returned an empty payload")
        return None
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        reasons.append(f"the payload is not JSON ({exc})")
        return None


def rest_response(payload: str | bytes, *, function_error: bool = False, accept: str | None = None,
                  binary_media_types: list[str] | tuple[str, ...] = (),
                  merge: str = "recorded") -> ProxyResponse:
    """The REST (v1) client response for a function's ``payload`` (docs/proxy.md §3).

    ``merge`` says how a name present in both ``headers`` and
    ``multiValueHeaders`` is combined: ``"recorded"`` (both, multi-value
    first, spelled as in ``multiValueHeaders``) or ``"docs"`` (multi-value only) (U32).
    """
    _payload_argument("rest_response", payload)
    if merge not in MERGES:
        raise ArgumentError(f"rest_response(merge): expected 'recorded' or 'docs', not {merge!r}")
    reasons: list[str] = []
    if function_error:
        return _error(502, _REST_502_BODY, ["the function raised an error (a function error)"])
    obj = _parse(payload, reasons)
    if reasons:
        return _error(502, _REST_502_BODY, reasons)
    if not isinstance(obj, dict):
        return _error(502, _REST_502_BODY, [f"the payload is {_kind(obj)}, not a JSON object"])

    for key in obj:
        if key not in REST_KEYS:
            reasons.append(f"{key}: not a proxy response key (allowed: {', '.join(REST_KEYS)})")
    status = _status(obj.get("statusCode"), reasons)

    headers = obj.get("headers")
    if headers is not None and not isinstance(headers, dict):
        reasons.append("headers: not an object (U31)")
        headers = None
    multi = obj.get("multiValueHeaders")
    if multi is not None and not isinstance(multi, dict):
        reasons.append("multiValueHeaders: not an object (U31)")
        multi = None
    for name, values in (multi or {}).items():
        if values is not None and not isinstance(values, list):
            reasons.append(f"multiValueHeaders.{name}: not a list")

    body = obj.get("body")
    if body is not None and not isinstance(body, str):
        reasons.append(f"body: {_kind(body)}, not a string (U31)")
    b64 = obj.get("isBase64Encoded")
    if reasons:
        return _error(502, _REST_502_BODY, reasons)

    # Header values: text; null drops the header [AWS-rec].
    combined: dict[str, list[str]] = {}
    spelled: dict[str, str] = {}
    for name, values in (multi or {}).items():
        if values is None:
            continue
        items = [_header_text(v) for v in values if v is not None]
        if items:
            combined[name.lower()] = items
            spelled[name.lower()] = name
    for name, value in (headers or {}).items():
        if value is None:
            continue
        lower = name.lower()
        if lower in combined:
            if merge == "recorded":
                combined[lower].append(_header_text(value))
            continue
        combined[lower] = [_header_text(value)]
        spelled[lower] = name
    text = body if isinstance(body, str) else ""
    out_b64 = False
    if b64 is True and is_binary_type(first_accept(accept), list(binary_media_types)):
        try:
            base64.b64decode(text, validate=True)
            out_b64 = True  # the client gets the decoded bytes (shown here as base64)
        except (binascii.Error, ValueError):
            reasons.append("body: isBase64Encoded is true but the body is not base64")
            return _error(502, _REST_502_BODY, reasons)

    # Renaming, dropping and the default Content-Type (application/json [AWS-rec]) as for any method response.
    multi_out = finalise_headers([(spelled[lower], values) for lower, values in combined.items()])
    single = {name: ", ".join(values) for name, values in multi_out.items()}
    return ProxyResponse(status, single, multi_out, text, out_b64)


def http_api_response(payload: str | bytes, *, function_error: bool = False) -> ProxyResponse:
    """The HTTP API (payload format 2.0) client response (docs/proxy.md §4)."""
    _payload_argument("http_api_response", payload)
    if function_error:
        return _error(500, _HTTP_500_BODY, ["the function raised an error (a function error)"])
    reasons: list[str] = []
    obj = _parse(payload, reasons)
    if reasons:
        return _error(500, _HTTP_500_BODY, reasons)
    if not isinstance(obj, dict) or "statusCode" not in obj:
        # No statusCode: the whole value is the body, as JSON text unless it is a string.
        text = obj if isinstance(obj, str) else json.dumps(obj, separators=(",", ":"), ensure_ascii=False)
        return ProxyResponse(200, {"content-type": "application/json"}, {"content-type": ["application/json"]},
                             text, False)
    status = _status(obj.get("statusCode"), reasons)
    headers = obj.get("headers") or {}
    if not isinstance(headers, dict):
        reasons.append("headers: not an object")
        headers = {}
    body = obj.get("body")
    if body is not None and not isinstance(body, str):
        reasons.append("body: not a string")
    if reasons:
        return _error(500, _HTTP_500_BODY, reasons)
    multi: dict[str, list[str]] = {}
    for name, value in headers.items():
        if value is not None:
            multi.setdefault(name.lower(), []).append(_header_text(value))
    cookies = obj.get("cookies") or []
    if cookies:
        multi["set-cookie"] = [str(c) for c in cookies]  # each cookie is its own set-cookie header
    single = {name: ",".join(values) for name, values in multi.items()}
    return ProxyResponse(status, single, multi, body or "", obj.get("isBase64Encoded") is True)
