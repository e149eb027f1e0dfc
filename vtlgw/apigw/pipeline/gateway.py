"""Gateway responses: what API Gateway answers when it stops a request itself (docs/integration.md §8).

Their templates are not VTL: one pass of plain ``$context.x``/``$stageVariables.x``
substitution, directives and ``$util`` left as text. A type the API customises
uses its own status, headers and templates; one that it does not customise
falls back to ``DEFAULT_4XX``/``DEFAULT_5XX``, then to the built-in default.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from vtlgw.apigw.definition.model import ApiDefinition, GatewayResponse
from vtlgw.apigw.http.headers import Headers
from vtlgw.apigw.request import MethodRequest
from vtlgw.vtl.values import json_quote, to_text

from .params import SourceReader, map_gateway_parameters
from .templates import choose_response_template

__all__ = ["GATEWAY_DEFAULTS", "GatewayAnswer", "gateway_response", "substitute", "DEFAULT_TEMPLATE",
           "NOT_CUSTOMISABLE", "ERROR_TYPE_HEADERS"]

DEFAULT_TEMPLATE = '{"message":$context.error.messageString}'

#: type -> (default status, the message the engine uses) (U39)
GATEWAY_DEFAULTS: dict[str, tuple[int | None, str]] = {
    "ACCESS_DENIED": (403, "User is not authorized to access this resource with an explicit deny"),
    "API_CONFIGURATION_ERROR": (500, "Internal server error"),
    "AUTHORIZER_CONFIGURATION_ERROR": (500, "Internal server error"),
    "AUTHORIZER_FAILURE": (500, "Internal server error"),
    "BAD_REQUEST_PARAMETERS": (400, "Missing required request parameters: []"),
    "BAD_REQUEST_BODY": (400, "Invalid request body"),
    "EXPIRED_TOKEN": (403, "Forbidden"),
    "INVALID_SIGNATURE": (403, "Forbidden"),
    "INTEGRATION_FAILURE": (504, "Internal server error"),
    "INTEGRATION_TIMEOUT": (504, "Endpoint request timed out"),
    "INVALID_API_KEY": (403, "Forbidden"),
    "MISSING_AUTHENTICATION_TOKEN": (403, "Missing Authentication Token"),
    "QUOTA_EXCEEDED": (429, "Limit Exceeded"),
    "THROTTLED": (429, "Too Many Requests"),
    "REQUEST_TOO_LARGE": (413, "Request Too Long"),
    "RESOURCE_NOT_FOUND": (404, "Resource not found"),
    "UNAUTHORIZED": (401, "Unauthorized"),
    "UNSUPPORTED_MEDIA_TYPE": (415, "Unsupported Media Type"),
    "WAF_FILTERED": (403, "Forbidden"),
    "DEFAULT_4XX": (None, ""),
    "DEFAULT_5XX": (None, ""),
}

#: 413 cannot be customised [D:api-gateway-known-issues] (U24).
NOT_CUSTOMISABLE = frozenset({"REQUEST_TOO_LARGE"})

#: ``x-amzn-ErrorType`` on the responses where AWS is known to send it (the method request stage's: U61).
ERROR_TYPE_HEADERS = {
    "API_CONFIGURATION_ERROR": "InternalServerErrorException",
    "MISSING_AUTHENTICATION_TOKEN": "MissingAuthenticationTokenException",
    "BAD_REQUEST_PARAMETERS": "BadRequestException",
    "BAD_REQUEST_BODY": "BadRequestException",
    "INVALID_API_KEY": "ForbiddenException",
    "UNAUTHORIZED": "UnauthorizedException",
    "ACCESS_DENIED": "AccessDeniedException",
    "AUTHORIZER_CONFIGURATION_ERROR": "AuthorizerConfigurationException",
}


@dataclass
class GatewayAnswer:
    """A gateway response ready to send: status, headers (name -> values) and body."""

    status: int
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: str = ""
    response_type: str = ""
    customised: bool = False


_REFERENCE = re.compile(
    r"\$(?:\{(?P<broot>context|stageVariables)(?P<bpath>(?:\.[A-Za-z0-9_$-]+)+)\}"
    r"|(?P<root>context|stageVariables)(?P<path>(?:\.[A-Za-z0-9_$]+)+))")


def substitute(template: str, context: Any, stage_variables: dict[str, str]) -> str:
    """One pass of plain ``$context.x`` / ``$stageVariables.x`` substitution (not VTL)."""

    def replace(m: re.Match[str]) -> str:
        root = m.group("broot") or m.group("root")
        parts = (m.group("bpath") or m.group("path"))[1:].split(".")
        value: Any = context if root == "context" else stage_variables
        used = 0
        for part in parts:
            if isinstance(value, dict) and part in value:
                value = value[part]
                used += 1
            else:
                break
        if used == 0 or value is None:
            return ""
        text = "" if isinstance(value, dict) else to_text(value)
        rest = parts[used:]
        if rest and m.group("broot"):
            return ""  # ${context.known.unknown}: the whole reference is unknown
        return text + "".join("." + p for p in rest)

    return _REFERENCE.sub(replace, template)


def _fallback_type(status: int | None) -> str | None:
    if status is None:
        return None
    return "DEFAULT_4XX" if 400 <= status < 500 else "DEFAULT_5XX" if status >= 500 else None


def gateway_response(definition: ApiDefinition | None, response_type: str, *, request: MethodRequest,
                     context: Any, stage_variables: dict[str, str], message: str | None = None,
                     literal_body: str | None = None, error_fields: dict[str, str] | None = None) -> GatewayAnswer:
    """Build the ``response_type`` gateway response for this request.

    ``message`` replaces the engine's default ``$context.error.message``;
    ``literal_body`` is the body API Gateway is observed to send when nothing
    customises this type (e.g. ``{"message": "Internal server error"}`` with its space).
    """
    default_status, default_message = GATEWAY_DEFAULTS[response_type]
    text = default_message if message is None else message
    customised: GatewayResponse | None = None
    if definition is not None and response_type not in NOT_CUSTOMISABLE:
        customised = definition.gateway_responses.get(response_type)
        if customised is None:
            fallback = _fallback_type(default_status)
            customised = definition.gateway_responses.get(fallback) if fallback else None
    own = customised is not None and customised.response_type == response_type
    status = default_status or 500
    if own and customised is not None and customised.status_code:
        try:
            status = int(customised.status_code)
        except ValueError:
            pass

    error = {"message": text, "messageString": json_quote(text), "responseType": response_type,
             **(error_fields or {})}  # validationErrorString for the 400s of request validation
    ctx = _ContextWithError(context, error)

    headers: dict[str, list[str]] = {"Content-Type": ["application/json"]}
    if response_type in ERROR_TYPE_HEADERS:
        headers["x-amzn-ErrorType"] = [ERROR_TYPE_HEADERS[response_type]]
    if customised is None:
        body = literal_body if literal_body is not None else substitute(DEFAULT_TEMPLATE, ctx, stage_variables)
        return GatewayAnswer(status, headers, body, response_type, False)

    reader = SourceReader(request, ctx, stage_variables)
    for name, values in map_gateway_parameters(customised.response_parameters, reader):
        Headers(headers).set(name, values)
    chosen = choose_response_template(customised.response_templates, request.accept)
    template = chosen.template if chosen is not None and chosen.template else DEFAULT_TEMPLATE
    body = substitute(template, ctx, stage_variables)
    return GatewayAnswer(status, headers, body, response_type, True)


class _ContextWithError(dict):
    """``$context`` plus the gateway-response-only ``error`` map."""

    def __init__(self, context: Any, error: dict[str, str]) -> None:
        super().__init__()
        if isinstance(context, dict):
            for key in context:
                dict.__setitem__(self, key, context[key])
        dict.__setitem__(self, "error", error)
