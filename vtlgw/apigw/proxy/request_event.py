"""The event a function receives for one method request: what ``vtlgw event`` prints and ``vtlgw.event()`` returns.

Thin on purpose. :func:`vtlgw.apigw.routed.route` decides the resource, the
path parameters and the stage with its variables, and
:func:`vtlgw.apigw.proxy.choose.event_for` decides the format (a REST v1
event, or an HTTP API's payload format 1.0 or 2.0), the same two steps
``vtlgw invoke`` takes. This module only adds what to say when no event is
sent: no route matches, or the route's integration is not a Lambda proxy one.
"""

from __future__ import annotations

from typing import Any

from vtlgw.apigw.http.content import ConversionError
from vtlgw.apigw.request import MethodRequest
from vtlgw.vtl.diagnostics import Diagnostic, Location
from vtlgw.vtl.errors import VtlError

__all__ = ["NoRouteError", "build_event"]

_SHOWN_ROUTES = 8


class NoRouteError(VtlError):
    """No route of the API matches the request: API Gateway answers ``status`` itself and sends no event.

    ``status`` is 403 (a REST API's ``Missing Authentication Token``) or 404
    (an HTTP API's ``Not Found``).
    """

    def __init__(self, message: str, status: int = 403) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def build_event(definition: Any, request: MethodRequest, *, payload: str | None = None, stage: str | None = None,
                stage_variables: dict[str, str] | None = None, context_overrides: dict | None = None,
                fresh: bool = False, api_name: str | None = None) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The event ``request`` becomes (``definition`` None: a REST v1 event of the request as it is) and warnings.

    Raises :class:`NoRouteError` when ``definition`` has no route for the
    request. The warnings say when the route's function would not receive this
    event (a custom, HTTP or MOCK integration) and what the definition sets
    that vtlgw does not emulate.
    """
    from vtlgw.apigw.proxy.choose import event_for
    from vtlgw.apigw.routed import route

    routed = route(definition, request, stage=stage, stage_variables=stage_variables,
                   context_overrides=context_overrides, fresh=fresh)
    if definition is not None and routed.method is None:
        raise _no_route(definition, routed.request, api_name or getattr(definition, "source_file", None))
    warnings: list[Diagnostic] = []
    if routed.method is not None:
        warnings.extend(note.diagnostic() for note in routed.method.not_emulated)
        note = _integration_note(routed.method)
        if note is not None:
            warnings.append(note)
    try:
        return event_for(definition, routed, payload=payload), warnings
    except ConversionError as exc:
        raise VtlError(f"{request.http_method} {request.path}: the integration's contentHandling is "
                       f"CONVERT_TO_BINARY and {exc}; API Gateway answers 500 and sends no event") from None


def _no_route(definition: Any, request: MethodRequest, name: str | None) -> NoRouteError:
    http_api = getattr(definition, "protocol", "REST") == "HTTP"
    answer = ('404 {"message":"Not Found"}' if http_api
              else '403 {"message":"Missing Authentication Token"}')
    routes = [getattr(m, "route_key", None) or f"{m.http_method} {m.resource_path}"
              for m in definition.methods.values()]
    where = f" of {name}" if name else ""
    if routes:
        shown = ", ".join(routes[:_SHOWN_ROUTES]) + (", ..." if len(routes) > _SHOWN_ROUTES else "")
        known = f" (its {'routes' if http_api else 'methods'}: {shown})"
    else:
        known = f" (it has no {'routes' if http_api else 'methods'})"
    message = (f"{request.http_method} {request.path} matches no {'route' if http_api else 'method'}"
               f"{where}{known}; API Gateway answers {answer} itself and sends no event")
    return NoRouteError(message, 404 if http_api else 403)


def _integration_note(method: Any) -> Diagnostic | None:
    """A warning when the route's integration does not send a Lambda proxy event."""
    from vtlgw.vtl.warning import warning

    integration = method.integration
    key = getattr(method, "route_key", None) or f"{method.http_method} {method.resource_path}"
    if integration is None:
        why = "has no integration: API Gateway calls no function"
    elif integration.type == "AWS_PROXY":
        return None
    elif integration.is_mock:
        why = "has a MOCK integration: no function is called"
    elif integration.is_lambda:
        why = ("has a Lambda custom integration (type AWS): its function receives what the request template "
               "renders (vtlgw invoke shows it)")
    elif integration.type == "HTTP_PROXY":
        why = f"has an HTTP proxy integration ({integration.uri}): API Gateway forwards the request itself"
    else:
        why = (f"has an {integration.type} integration ({integration.uri}): it receives what the request "
               "template renders")
    source = getattr(integration, "source", None) or getattr(method, "source", None)
    where = source.to_location() if source is not None else Location("<definition>")
    return warning(f"{key} {why}; this is the event a Lambda proxy integration there would receive", where)
