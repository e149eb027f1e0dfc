"""Output of ``aws apigateway get-method`` and ``get-resources --embed methods``.

These are what a user can fetch from a deployed API (docs/integration.md, section 1).
Their integration responses are keyed by status code, so "definition order"
is the order of that JSON (AWS lists them by status code).

A ``get-method`` document has no resource path; it is routed at ``/`` unless
the JSON carries a ``path`` (or ``resourcePath``) key added by the user.
"""

from __future__ import annotations

from typing import Any

from .common import (
    CAMEL,
    Context,
    add_integration_response,
    add_method,
    as_enum,
    as_mapping,
    as_status_code,
    as_string,
    bool_map,
    build_integration,
    build_integration_response,
    check_path_part,
    check_resource_tree,
    is_media_type,
    normalise_path,
)
from .keys import AWSCLI_INTEGRATION, AWSCLI_INTEGRATION_RESPONSE, check_keys
from .model import HTTP_METHODS, ApiDefinition, Method, MethodResponse
from .yamlload import join_pointer


def awscli_kind(data: Any) -> str | None:
    """``get-method``, ``get-resources`` or None."""
    if not isinstance(data, dict):
        return None
    if isinstance(data.get("httpMethod"), str) and ("methodIntegration" in data or "methodResponses" in data
                                                    or "authorizationType" in data):
        return "get-method"
    items = data.get("items")
    if isinstance(items, list) and all(isinstance(i, dict) and "path" in i for i in items) and items:
        return "get-resources"
    return None


def build_awscli(ctx: Context, data: dict[str, Any], api: ApiDefinition) -> None:
    if awscli_kind(data) == "get-method":
        raw_path = data.get("path", data.get("resourcePath", "/"))
        path = normalise_path(raw_path) if isinstance(raw_path, str) else "/"
        api.resource_paths.append(path)
        method = _method(ctx, data, "", path)
        if method is not None:
            add_method(ctx, api.methods, method)
        return
    defined: dict[str, str] = {}
    for index, item in enumerate(data["items"]):
        pointer = join_pointer("/items", index)
        path = as_string(ctx, item.get("path"), join_pointer(pointer, "path"))
        if path is None or not path.startswith("/"):
            ctx.report(join_pointer(pointer, "path"), "expected a resource path starting with '/'")
            continue
        if not all(check_path_part(ctx, part, join_pointer(pointer, "path")) for part in path.split("/") if part):
            continue
        path = normalise_path(path)
        defined.setdefault(path, pointer)
        api.resource_paths.append(path)
        methods_pointer = join_pointer(pointer, "resourceMethods")
        for verb, spec in (as_mapping(ctx, item.get("resourceMethods"), methods_pointer) or {}).items():
            spec_map = as_mapping(ctx, spec, join_pointer(methods_pointer, verb)) or {}
            spec_map = {"httpMethod": verb, **spec_map}
            method = _method(ctx, spec_map, join_pointer(methods_pointer, verb), path)
            if method is not None:
                add_method(ctx, api.methods, method)
    check_resource_tree(ctx, defined)


def _method(ctx: Context, data: dict[str, Any], pointer: str, path: str) -> Method | None:
    at = lambda *t: join_pointer(pointer, *t)  # noqa: E731
    verb = as_enum(ctx, data.get("httpMethod"), at("httpMethod"), HTTP_METHODS, "HTTP method")
    if verb is None:
        return None
    method = Method(verb, path, source=ctx.source(pointer))
    method.operation_id = as_string(ctx, data.get("operationName"), at("operationName"))
    method.request_parameters = bool_map(ctx, data.get("requestParameters"), at("requestParameters"),
                                         method.sources, "request_parameters")
    for status, spec in (as_mapping(ctx, data.get("methodResponses"), at("methodResponses")) or {}).items():
        spec_pointer = at("methodResponses", status)
        spec_map = as_mapping(ctx, spec, spec_pointer) or {}
        code = as_status_code(ctx, spec_map.get("statusCode", status), spec_pointer)
        if code is None:
            continue
        declared = MethodResponse(code, source=ctx.source(spec_pointer))
        declared.response_parameters = bool_map(ctx, spec_map.get("responseParameters"),
                                                join_pointer(spec_pointer, "responseParameters"), declared.sources,
                                                "response_parameters")
        models = as_mapping(ctx, spec_map.get("responseModels"), join_pointer(spec_pointer, "responseModels")) or {}
        for media_type, model in models.items():
            if not is_media_type(media_type):
                ctx.report(join_pointer(spec_pointer, "responseModels", media_type),
                           f"Invalid content type specified: {media_type!r}")
            declared.response_models[media_type] = model if isinstance(model, str) else None
        method.method_responses[code] = declared
    spec = as_mapping(ctx, data.get("methodIntegration"), at("methodIntegration"))
    if spec is not None:
        integration_pointer = at("methodIntegration")
        check_keys(ctx, spec, integration_pointer, AWSCLI_INTEGRATION, method)
        method.integration = build_integration(ctx, spec, integration_pointer, CAMEL)
        responses_pointer = join_pointer(integration_pointer, "integrationResponses")
        for status, item in (as_mapping(ctx, spec.get("integrationResponses"), responses_pointer) or {}).items():
            item_pointer = join_pointer(responses_pointer, status)
            item_map = as_mapping(ctx, item, item_pointer, allow_none=False)
            if item_map is None:
                continue
            check_keys(ctx, item_map, item_pointer, AWSCLI_INTEGRATION_RESPONSE, method)
            pattern = as_string(ctx, item_map.get("selectionPattern"), join_pointer(item_pointer, "selectionPattern"))
            add_integration_response(
                ctx, method.integration, build_integration_response(ctx, item_map, item_pointer, CAMEL, pattern)
            )
    return method
