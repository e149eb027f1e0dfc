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
    ``$context`` values (nested dicts). A leading byte order mark in
    ``template`` is dropped. Raises :class:`VtlError` subclasses only; an
    argument of the wrong kind is an ``ArgumentError`` naming it.
    """
    args, render_output, render_request = _RENDER_PATH or _render_path()
    if (type(template) is str and type(name) is str and stage is None and stage_variables is None
            and context is None and (integration_response is None or type(integration_response) is str)):
        # What the checks below let through unchanged, without making them one by one.
        return render_request(template, request, name=name, integration_response=integration_response)
    template = args.text_argument("render", "template", template, "template text")
    name = args.text_argument("render", "name", name, "template name")
    integration_response = args.optional_text("render", "integration_response", integration_response,
                                              "integration response body")
    stage = args.optional_text("render", "stage", stage, "stage name")
    stage_variables = args.stage_variables_argument("render", stage_variables)
    context = args.context_argument("render", "context", context)
    method_request, _warnings = args.method_request("render", request)
    return render_output(template, method_request, name=name, integration_response=integration_response,
                         stage=stage, context_overrides=context, stage_variables=stage_variables)


_RENDER_PATH: Any = None


def _render_path() -> Any:
    """``render``'s modules, imported on its first call (``import vtlgw`` stays light), then kept."""
    global _RENDER_PATH
    if _RENDER_PATH is None:
        from vtlgw.apigw import arguments
        from vtlgw.apigw.mapping import render_output, render_request

        _RENDER_PATH = (arguments, render_output, render_request)
    return _RENDER_PATH
