"""The event a Lambda proxy integration receives (docs/proxy.md §1–§2).

Both builders take the same method request and ``$context`` map the mapping
templates see, so an event and a template rendered for one request agree on
every id, time and identity value.
"""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import quote

from vtlgw.apigw import arguments as args
from vtlgw.apigw.http.headers import HIDDEN_FROM_EVENT
from vtlgw.apigw.http.paths import collapse_slashes, match_path
from vtlgw.apigw.request import MethodRequest
from vtlgw.apigw.wire import java_utf8
from vtlgw.vtl.values import map_keys

__all__ = ["rest_event", "http_api_event", "REST_CONTEXT_KEYS", "IDENTITY_KEYS"]

#: ``requestContext`` keys of a REST v1 event, taken from ``$context`` (docs/proxy.md §1).
REST_CONTEXT_KEYS = (
    "accountId", "apiId", "deploymentId", "domainName", "domainPrefix", "extendedRequestId", "httpMethod",
    "path", "protocol", "requestId", "requestTime", "requestTimeEpoch", "resourceId", "resourcePath", "stage",
)

#: ``requestContext.identity`` keys; absent values are explicit nulls [AWS-rec].
IDENTITY_KEYS = (
    "accessKey", "accountId", "caller", "cognitoAuthenticationProvider", "cognitoAuthenticationType",
    "cognitoIdentityId", "cognitoIdentityPoolId", "principalOrgId", "sourceIp", "user", "userAgent", "userArn",
)
_OPTIONAL_IDENTITY_KEYS = ("apiKey", "apiKeyId", "clientCert")


def _plain(value: Any) -> Any:
    """A ``$context`` value as JSON data: maps in Java's key order, everything else as it is."""
    if isinstance(value, dict):
        return {str(k): _plain(value[k]) for k in map_keys(value)}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _body(request: MethodRequest, binary: bool) -> tuple[str | None, bool]:
    """The event's ``body`` and ``isBase64Encoded``: base64 only for a binary media type (§1)."""
    if request.body is None:
        return None, False
    if binary:
        if request.is_base64_encoded:
            return request.body, True
        return base64.b64encode(java_utf8(request.body)).decode("ascii"), True
    return request.body_text(), False


def _sent_path_parameters(request: MethodRequest) -> dict[str, str]:
    """Path parameters as the client sent them: a REST event keeps them percent-encoded (recorded on AWS:
    ``/test%2Balias`` gives ``proxy`` = ``test%2Balias``), though templates see them decoded."""
    if "{" in request.resource:
        sent = match_path(request.resource, request.path)
        if sent is not None and sent.keys() == request.path_parameters.keys():
            return sent
    return dict(request.path_parameters)


def _arguments(function: str, request: Any, context: Any,
               stage_variables: Any) -> tuple[MethodRequest, dict, dict[str, str]]:
    """The builders' arguments, checked: a wrong one is an ``ArgumentError`` naming it."""
    method_request, _warnings = args.method_request(function, request)
    context = args.context_argument(function, "context", context)
    if context is None:
        raise args.ArgumentError(f"{function}(context): expected the $context map (MappingContext.context), "
                                 "not None")
    return method_request, context, args.stage_variables_argument(function, stage_variables) or {}


def rest_event(request: MethodRequest, context: dict, stage_variables: dict[str, str], *,
               binary: bool = False, version: str | None = None) -> dict[str, Any]:
    """The REST API (v1) proxy event; ``version="1.0"`` gives HTTP API payload format 1.0.

    ``binary`` says whether the request's ``Content-Type`` matches the API's
    ``binaryMediaTypes`` (only then is the body sent as base64). ``request`` may
    be a request-file dict, as ``vtlgw.render`` takes.
    """
    request, context, stage_variables = _arguments("rest_event", request, context, stage_variables)
    request_context: dict[str, Any] = {}
    for key in REST_CONTEXT_KEYS:
        request_context[key] = _plain(context.get(key))
    identity_source = context.get("identity")
    identity_source = identity_source if isinstance(identity_source, dict) else {}
    identity = {key: _plain(identity_source.get(key)) for key in IDENTITY_KEYS}
    for key in _OPTIONAL_IDENTITY_KEYS:
        if identity_source.get(key) is not None:
            identity[key] = _plain(identity_source[key])
    request_context["identity"] = identity
    authorizer = context.get("authorizer")
    if authorizer is not None:  # only with an authorizer configured [AWS-rec]
        request_context["authorizer"] = _plain(authorizer)

    body, b64 = _body(request, binary)
    event: dict[str, Any] = {}
    if version is not None:
        event["version"] = version
    shown = {k: v for k, v in request.headers.items() if v and k.lower() not in HIDDEN_FROM_EVENT}
    event.update({
        "resource": request.resource,
        "path": collapse_slashes(request.path),  # requestContext.path keeps the client's slashes [AWS-rec]
        "httpMethod": request.http_method,
        "headers": {k: v[-1] for k, v in shown.items()} or None,
        "multiValueHeaders": {k: list(v) for k, v in shown.items()} or None,
        "queryStringParameters": request.single_query() or None,
        "multiValueQueryStringParameters": {k: list(v) for k, v in request.query.items() if v} or None,
        "pathParameters": _sent_path_parameters(request) or None,
        "stageVariables": dict(stage_variables) or None,
        "requestContext": request_context,
        "body": body,
        "isBase64Encoded": b64,
    })
    return event


def _raw_query(query: dict[str, list[str]]) -> str:
    # The file holds decoded values; re-encode them the way a client commonly sends them.
    return "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, values in query.items()
                    for value in values)


def http_api_event(request: MethodRequest, context: dict, stage_variables: dict[str, str], *,
                   route_key: str = "$default", binary: bool = False) -> dict[str, Any]:
    """The HTTP API payload format 2.0 event (docs/proxy.md §2).

    Headers are lower-cased and repeated values joined with ``,``; ``Cookie``
    headers become ``cookies`` (U34). Optional fields with no value are left
    out (U33). ``rawPath`` keeps a named stage's prefix (U34).
    """
    request, context, stage_variables = _arguments("http_api_event", request, context, stage_variables)
    stage = context.get("stage")
    stage = stage if isinstance(stage, str) and stage else "$default"
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, values in request.headers.items():
        lower = name.lower()
        if lower == "cookie":
            for value in values:
                cookies.extend(part for part in value.split("; ") if part)
            continue
        joined = ",".join(values)
        headers[lower] = f"{headers[lower]},{joined}" if lower in headers else joined
    raw_path = request.path if stage == "$default" else f"/{stage}{request.path}"
    identity = context.get("identity") if isinstance(context.get("identity"), dict) else {}
    request_context: dict[str, Any] = {
        "accountId": _plain(context.get("accountId")),
        "apiId": _plain(context.get("apiId")),
        "domainName": _plain(context.get("domainName")),
        "domainPrefix": _plain(context.get("domainPrefix")),
        "http": {
            "method": request.http_method,
            "path": raw_path,
            "protocol": _plain(context.get("protocol")),
            "sourceIp": _plain(identity.get("sourceIp")),
            "userAgent": _plain(identity.get("userAgent")),
        },
        "requestId": _plain(context.get("requestId")),
        "routeKey": route_key,
        "stage": stage,
        "time": _plain(context.get("requestTime")),
        "timeEpoch": _plain(context.get("requestTimeEpoch")),
    }
    authorizer = context.get("authorizer")
    if authorizer is not None:
        request_context["authorizer"] = _plain(authorizer)

    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": _raw_query(request.query),
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    query = {name: ",".join(values) for name, values in request.query.items() if values}
    if query:
        event["queryStringParameters"] = query
    if request.path_parameters:
        event["pathParameters"] = dict(request.path_parameters)
    event["requestContext"] = request_context
    if stage_variables:
        event["stageVariables"] = dict(stage_variables)
    body, b64 = _body(request, binary)
    if body is not None:
        event["body"] = body
    event["isBase64Encoded"] = b64
    return event
