"""A method request routed through a definition: the step ``vtlgw invoke`` and ``vtlgw event`` share.

Routing fills in what the client cannot say: the resource, the path
parameters and the stage with its variables. Both the pipeline and the proxy
event builders start from this, so a template and an event built for one
request agree on every value.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from vtlgw.apigw.http.endpoint import DEFAULT_ENDPOINT_TYPE, respell_headers
from vtlgw.apigw.mapping import MappingContext
from vtlgw.apigw.request import MethodRequest

__all__ = ["Routed", "route"]


@dataclass
class Routed:
    """The routed request, its ``$context``, and the method it reached (None: no route, a 403 or 404)."""

    request: MethodRequest
    mctx: MappingContext
    method: Any = None
    path_parameters: dict[str, str] = dataclasses.field(default_factory=dict)  # as sent, still encoded


def route(definition: Any, request: MethodRequest, *, http_method: str | None = None, path: str | None = None,
          stage: str | None = None, stage_variables: dict[str, str] | None = None,
          context_overrides: dict | None = None, fresh: bool = False) -> Routed:
    """Route ``request`` (``http_method``/``path`` override the request's) and build its ``$context``.

    Templates see path parameters decoded; the values as sent are kept in
    ``Routed.path_parameters`` for the REST proxy event. Stage variables are
    the definition's stage's, then the request file's, then ``stage_variables``.
    """
    verb = (http_method or request.http_method).upper()
    path = path or request.path
    if definition is not None and getattr(definition, "protocol", "REST") == "REST":
        # The edge of an edge-optimized API re-spells some names before API Gateway sees the request.
        headers = respell_headers(request.headers, getattr(definition, "endpoint_type", DEFAULT_ENDPOINT_TYPE))
        if headers is not request.headers:
            request = dataclasses.replace(request, headers=headers)
    found = definition.find_method(verb, path) if definition is not None else None
    method = None
    sent: dict[str, str] = {}
    if found is not None:
        method, sent = found
        http_api = getattr(definition, "protocol", "REST") == "HTTP"  # find_route has already decoded them
        params = dict(sent) if http_api else {name: unquote(value) for name, value in sent.items()}
        if request.resource == method.resource_path and request.path_parameters:
            params = request.path_parameters  # the request file's (decoded) values
        request = dataclasses.replace(request, http_method=verb, path=path, resource=method.resource_path,
                                      path_parameters=dict(params))
    else:
        request = dataclasses.replace(request, http_method=verb, path=path)
    own = definition.stage_variables if definition is not None else {}
    variables = {**own, **request.stage_variables, **(stage_variables or {})}
    default_stage = definition.stage_name if definition is not None else None
    mctx = MappingContext.for_request(
        request, stage=stage or default_stage, context_overrides=context_overrides, stage_variables=variables,
        resource_path=method.resource_path if method is not None else path, fresh=fresh)
    return Routed(request, mctx, method, dict(sent))
