"""Which event a routed request becomes: REST v1, or an HTTP API's payload format 1.0 or 2.0.

``vtlgw invoke`` and ``vtlgw event`` both ask here, so the event a function
receives in a run and the one ``vtlgw event`` prints are the same.
"""

from __future__ import annotations

from typing import Any

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
    binary = is_binary_type(routed.request.content_type, media_types)
    context, variables = routed.mctx.context, routed.mctx.stage_variables
    if version == "2.0":
        route_key = getattr(routed.method, "route_key", None) or _route_key(routed)
        return http_api_event(routed.request, context, variables, route_key=route_key, binary=binary)
    return rest_event(routed.request, context, variables, binary=binary, version=version)


def _route_key(routed: Routed) -> str:
    """A REST method (or no route) read as an HTTP API route key: ``GET /pets/{id}``, else ``$default``."""
    method = routed.method
    if method is None:
        return "$default"
    return f"{method.http_method} {method.resource_path}"
