"""Which event a routed request becomes: REST v1, or an HTTP API's payload format 1.0 or 2.0.

``vtlgw invoke`` and ``vtlgw event`` both ask here, so the event a function
receives in a run and the one ``vtlgw event`` prints are the same.
"""

from __future__ import annotations

import base64
import dataclasses
from typing import Any

from vtlgw.apigw.http.content import convert_request
from vtlgw.apigw.http.media import is_binary_type
from vtlgw.apigw.routed import Routed

from .event import http_api_event, rest_event

__all__ = ["PAYLOADS", "event_for", "payload_of"]

#: HTTP API payload format versions (AWS docs, http-api-develop-integrations-lambda).
PAYLOADS = ("1.0", "2.0")


def payload_of(definition: Any, routed: Routed, payload: str | None = None) -> str | None:
    """``payload`` if given; else an HTTP API route's integration's version; None for a REST API (v1 event)."""
    if payload is not None:
        return payload
    if definition is None or getattr(definition, "protocol", "REST") != "HTTP":
        return None
    integration = getattr(routed.method, "integration", None)
    return getattr(integration, "payload_format_version", None) or "2.0"


def event_for(definition: Any, routed: Routed, *, payload: str | None = None) -> dict[str, Any]:
    """The event the function of ``routed``'s route receives (``payload`` forces an HTTP API format)."""
    version = payload_of(definition, routed, payload)
    media_types = getattr(definition, "binary_media_types", None) or []
    request = routed.request
    binary = is_binary_type(request.content_type, media_types)
    context, variables = routed.mctx.context, routed.mctx.stage_variables
    if version == "2.0":
        route_key = getattr(routed.method, "route_key", None) or _route_key(routed)
        return http_api_event(request, context, variables, route_key=route_key, binary=binary)
    if version is None:
        request, binary = _content_handling(request, binary, routed)
    return rest_event(request, context, variables, binary=binary, version=version)


def _content_handling(request: Any, binary: bool, routed: Routed) -> tuple[Any, bool]:
    """A REST Lambda proxy integration's ``contentHandling`` applied by the documented request table (U66).

    The event is JSON, so a binary payload always travels as base64 with ``isBase64Encoded``, and
    ``CONVERT_TO_TEXT`` (binary to base64 text) changes nothing a function sees. ``CONVERT_TO_BINARY``
    reads a text body as base64: its bytes are sent as a binary payload, and a body that is not base64
    raises :class:`~vtlgw.apigw.http.content.ConversionError` (API Gateway's 500).
    """
    handling = getattr(getattr(routed.method, "integration", None), "content_handling", None)
    if handling != "CONVERT_TO_BINARY" or binary or not request.body:
        return request, binary
    decoded = convert_request(request.body_bytes() or b"", False, handling)
    return dataclasses.replace(request, body=base64.b64encode(decoded.data).decode("ascii"),
                               is_base64_encoded=True), True


def _route_key(routed: Routed) -> str:
    """A REST method (or no route) read as an HTTP API route key: ``GET /pets/{id}``, else ``$default``."""
    method = routed.method
    if method is None:
        return "$default"
    return f"{method.http_method} {method.resource_path}"
