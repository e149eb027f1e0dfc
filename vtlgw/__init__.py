"""vtlgw: API Gateway REST mapping templates and custom integrations, offline, byte for byte."""

from __future__ import annotations

from typing import Any

from vtlgw.vtl.errors import VtlError

__all__ = ["render", "VtlError", "__version__"]
__version__ = "0.1.0"


def render(template: str, request: Any = None, *, name: str = "<template>",
           integration_response: str | None = None, stage: str | None = None,
           stage_variables: dict | None = None, context: dict | None = None) -> str:
    """Render a mapping template as API Gateway would, for a method request.

    ``request`` is a dict in the request-file shape (a REST v1 proxy event or a
    TestInvokeMethod request), a :class:`vtlgw.apigw.request.MethodRequest`, or
    None for an empty ``GET /``. With ``integration_response`` the template is
    rendered as a response template over that body. ``context`` overrides
    ``$context`` values (nested dicts). Raises :class:`VtlError` subclasses only.
    """
    from vtlgw.apigw.mapping import render_mapping
    from vtlgw.apigw.request import MethodRequest, request_from_dict

    if request is None:
        method_request = MethodRequest()
    elif isinstance(request, MethodRequest):
        method_request = request
    else:
        method_request, _warnings = request_from_dict(request, "<request>")
    result = render_mapping(template, method_request, name=name, integration_response=integration_response,
                            stage=stage, context_overrides=context, stage_variables=stage_variables)
    return result.output
