"""OpenAPI 3.0 and Swagger 2.0 with API Gateway extensions.

Read: ``x-amazon-apigateway-integration`` (camelCase fields; ``responses``
keyed by selection pattern, ``default`` meaning the default response),
``x-amazon-apigateway-any-method`` (``ANY``), operation and path-level
``parameters`` (with local ``$ref``), ``responses`` (status -> headers, and
models), ``x-amazon-apigateway-gateway-responses`` and
``x-amazon-apigateway-binary-media-types``. ``basePath``/``servers`` do not
take part in routing, as on API Gateway (they map to a stage or base path).

The same code reads an OpenAPI body embedded in CloudFormation (``Body``,
``DefinitionBody``): ``root_pointer`` is where the body sits in the file, and
``$ref`` pointers are resolved inside the body.
"""

from __future__ import annotations

from typing import Any

from .common import (
    CAMEL,
    Context,
    add_integration_response,
    add_method,
    as_list,
    as_mapping,
    as_status_code,
    as_string,
    build_integration,
    build_integration_response,
    check_path_part,
    check_resource_tree,
    describe,
    normalise_path,
    not_emulated,
    proxy_leftovers,
    string_map,
    templates,
)
from .errors import UnsupportedDefinitionError
from .httpapi import build_http_openapi, is_http_openapi
from .keys import OPENAPI_INTEGRATION, OPENAPI_INTEGRATION_RESPONSE, check_keys
from .model import GATEWAY_RESPONSE_TYPES, ApiDefinition, GatewayResponse, Method, MethodResponse, Source
from .openapi_stage import OpenApiStage
from .yamlload import join_pointer

OPERATION_KEYS = {
    "get": "GET",
    "put": "PUT",
    "post": "POST",
    "delete": "DELETE",
    "options": "OPTIONS",
    "head": "HEAD",
    "patch": "PATCH",
    "x-amazon-apigateway-any-method": "ANY",
}
_PARAMETER_LOCATIONS = {"path": "path", "query": "querystring", "header": "header"}


def openapi_version(data: Any) -> str | None:
    """``"openapi3"``, ``"swagger2"`` or None when ``data`` is not an OpenAPI document."""
    if not isinstance(data, dict):
        return None
    version = data.get("openapi")
    if isinstance(version, str) and version.startswith("3."):
        return "openapi3"
    if data.get("swagger") in ("2.0", 2.0, 2):
        return "swagger2"
    return None


def build_openapi(ctx: Context, data: Any, root_pointer: str, api: ApiDefinition) -> None:
    """Add the methods, gateway responses and binary types of an OpenAPI document to ``api``."""
    body = as_mapping(ctx, data, root_pointer, allow_none=False)
    if body is None:
        return
    version = openapi_version(body)
    if version is None:
        ctx.fail(root_pointer, "not an OpenAPI 3 or Swagger 2.0 document (no 'openapi: 3.x' or 'swagger: \"2.0\"')")
    if api.protocol == "HTTP" or is_http_openapi(body):  # an HTTP API's definition (see .httpapi)
        if version != "openapi3":
            ctx.fail(root_pointer, "an HTTP API is defined in OpenAPI 3.0: HTTP APIs support only the OpenAPI 3.0 "
                                   "specification (AWS docs, Working with OpenAPI definitions for HTTP APIs)")
        build_http_openapi(ctx, body, root_pointer, api)
        return
    reader = _Reader(ctx, body, root_pointer, version)
    reader.read(api)


class _Reader:
    def __init__(self, ctx: Context, body: dict[str, Any], root: str, version: str) -> None:
        self.ctx = ctx
        self.body = body
        self.root = root
        self.version = version

    def at(self, pointer: str, *tokens: str | int) -> str:
        return join_pointer(pointer, *tokens)

    # -- $ref ---------------------------------------------------------------

    def deref(self, value: Any, pointer: str) -> tuple[Any, str]:
        """Follow local ``$ref`` chains; returns the target and its pointer in the file."""
        for _ in range(32):
            if not (isinstance(value, dict) and "$ref" in value):
                return value, pointer
            ref = value["$ref"]
            ref_pointer = self.at(pointer, "$ref")
            if not isinstance(ref, str):
                self.ctx.fail(ref_pointer, f"expected a string, got {describe(ref)}")
            if not ref.startswith("#"):
                self.ctx.fail(ref_pointer, f"external reference {ref!r} is not supported: inline it or use a "
                                           "local '#/...' reference", UnsupportedDefinitionError)
            target: Any = self.body
            for token in ref[1:].split("/")[1:] if ref != "#" else []:
                token = token.replace("~1", "/").replace("~0", "~")
                if isinstance(target, dict) and token in target:
                    target = target[token]
                elif isinstance(target, list) and token.isascii() and token.isdigit() and int(token) < len(target):
                    target = target[int(token)]
                else:
                    self.ctx.fail(ref_pointer, f"unresolved reference {ref!r}")
            value, pointer = target, self.root + ref[1:]
        self.ctx.fail(pointer, "reference cycle")

    # -- document -------------------------------------------------------------

    def read(self, api: ApiDefinition) -> None:
        ctx, body = self.ctx, self.body
        info = body.get("info")
        if api.name is None and isinstance(info, dict) and isinstance(info.get("title"), str):
            api.name = info["title"]
        self.binary_media_types(api)
        self.endpoint_configuration(api)
        self.gateway_responses(api)
        self.stage = OpenApiStage(self, api)  # validators, models, API keys (docs/method-request.md)

        paths = as_mapping(ctx, body.get("paths"), self.at(self.root, "paths")) or {}
        defined: dict[str, str] = {}
        for raw_path, item in paths.items():
            item_pointer = self.at(self.root, "paths", raw_path)
            if not raw_path.startswith("/"):
                ctx.report(item_pointer, f"path {raw_path!r} must start with '/'")
                continue
            path = normalise_path(raw_path)
            parts = [p for p in raw_path.split("/") if p]
            if not all(check_path_part(ctx, part, item_pointer) for part in parts):
                continue
            defined.setdefault(path, item_pointer)
            for index in range(len(parts) + 1):
                ancestor = "/" + "/".join(parts[:index])
                if ancestor not in api.resource_paths:
                    api.resource_paths.append(ancestor)
            item, item_pointer = self.deref(item, item_pointer)
            item_map = as_mapping(ctx, item, item_pointer)
            if item_map is None:
                continue
            shared_sources: dict[str, Source] = {}
            shared = self.parameters(item_map.get("parameters"), self.at(item_pointer, "parameters"), shared_sources)
            for key, verb in OPERATION_KEYS.items():
                if key in item_map:
                    method = self.operation(verb, path, item_map[key], self.at(item_pointer, key), shared,
                                            shared_sources)
                    if method is not None:
                        add_method(ctx, api.methods, method)
        check_resource_tree(ctx, defined)

    def binary_media_types(self, api: ApiDefinition) -> None:
        pointer = self.at(self.root, "x-amazon-apigateway-binary-media-types")
        for index, item in enumerate(as_list(self.ctx, self.body.get("x-amazon-apigateway-binary-media-types"),
                                             pointer) or []):
            text = as_string(self.ctx, item, self.at(pointer, index))
            if text is not None and text.replace("~1", "/") not in api.binary_media_types:
                api.binary_media_types.append(text.replace("~1", "/"))

    def endpoint_configuration(self, api: ApiDefinition) -> None:
        """``vpcEndpointIds`` is only for private APIs, so it says PRIVATE; the file names no other type
        (an import chooses it), so the rest stay EDGE, the default."""
        pointer = self.at(self.root, "x-amazon-apigateway-endpoint-configuration")
        config = as_mapping(self.ctx, self.body.get("x-amazon-apigateway-endpoint-configuration"), pointer)
        if config is None or "vpcEndpointIds" not in config:
            return
        ids = as_list(self.ctx, config["vpcEndpointIds"], self.at(pointer, "vpcEndpointIds"))
        if ids and api.endpoint_type == "EDGE":
            api.endpoint_type = "PRIVATE"

    def gateway_responses(self, api: ApiDefinition) -> None:
        pointer = self.at(self.root, "x-amazon-apigateway-gateway-responses")
        table = as_mapping(self.ctx, self.body.get("x-amazon-apigateway-gateway-responses"), pointer) or {}
        for kind, spec in table.items():
            child = self.at(pointer, kind)
            if kind not in GATEWAY_RESPONSE_TYPES:
                self.ctx.report(child, f"unknown gateway response type {kind!r}")
                continue
            spec_map = as_mapping(self.ctx, spec, child) or {}
            response = GatewayResponse(kind, source=self.ctx.source(child))
            if spec_map.get("statusCode") is not None:
                response.status_code = as_status_code(self.ctx, spec_map["statusCode"], self.at(child, "statusCode"))
                response.sources["status_code"] = self.ctx.source(self.at(child, "statusCode"))
            response.response_parameters = string_map(self.ctx, spec_map.get("responseParameters"),
                                                       self.at(child, "responseParameters"), response.sources,
                                                       "response_parameters")
            response.response_templates = templates(self.ctx, spec_map.get("responseTemplates"),
                                                    self.at(child, "responseTemplates"))
            api.gateway_responses[kind] = response

    # -- operations ---------------------------------------------------------------

    def parameters(self, value: Any, pointer: str, sources: dict[str, Source]) -> dict[str, bool]:
        """Declared ``method.request.<location>.<name>`` -> required, from a parameter list."""
        result: dict[str, bool] = {}
        for index, item in enumerate(as_list(self.ctx, value, pointer) or []):
            param, param_pointer = self.deref(item, self.at(pointer, index))
            param_map = as_mapping(self.ctx, param, param_pointer)
            if param_map is None:
                continue
            name = as_string(self.ctx, param_map.get("name"), self.at(param_pointer, "name"))
            where = param_map.get("in")
            if not name or where not in _PARAMETER_LOCATIONS:
                if not name:
                    self.ctx.report(param_pointer, "a parameter needs a 'name'")
                continue  # body, formData and cookie parameters are not method request parameters
            required = param_map.get("required", where == "path")
            key = f"method.request.{_PARAMETER_LOCATIONS[where]}.{name}"
            result[key] = required is True or where == "path"
            sources[f"request_parameters.{key}"] = self.ctx.source(param_pointer)
        return result

    def operation(
        self, verb: str, path: str, value: Any, pointer: str, shared: dict[str, bool],
        shared_sources: dict[str, Source],
    ) -> Method | None:
        ctx = self.ctx
        op = as_mapping(ctx, value, pointer)
        if op is None:
            return None
        method = Method(verb, path, source=ctx.source(pointer))
        method.operation_id = op.get("operationId") if isinstance(op.get("operationId"), str) else None
        method.request_parameters = dict(shared)
        method.sources.update(shared_sources)
        method.request_parameters.update(
            self.parameters(op.get("parameters"), self.at(pointer, "parameters"), method.sources)
        )
        self.method_responses(method, op, pointer)
        self.unemulated_settings(method, op, pointer)
        self.stage.operation(method, op, pointer)

        integration_pointer = self.at(pointer, "x-amazon-apigateway-integration")
        spec = as_mapping(ctx, op.get("x-amazon-apigateway-integration"), integration_pointer)
        if spec is not None:
            check_keys(ctx, spec, integration_pointer, OPENAPI_INTEGRATION, method)
            method.integration = build_integration(ctx, spec, integration_pointer, CAMEL)
            responses_pointer = self.at(integration_pointer, "responses")
            for pattern, response_spec in (as_mapping(ctx, spec.get("responses"), responses_pointer) or {}).items():
                response_pointer = self.at(responses_pointer, pattern)
                response_map = as_mapping(ctx, response_spec, response_pointer, allow_none=False)
                if response_map is None:
                    continue
                check_keys(ctx, response_map, response_pointer, OPENAPI_INTEGRATION_RESPONSE, method)
                selection = None if pattern == "default" else pattern
                response = build_integration_response(ctx, response_map, response_pointer, CAMEL, selection)
                if response is not None:
                    response.sources["selection_pattern"] = ctx.source(response_pointer)  # the key is the pattern
                add_integration_response(ctx, method.integration, response)
            proxy_leftovers(ctx, method, integration_pointer, CAMEL)
        return method

    def unemulated_settings(self, method: Method, op: dict[str, Any], pointer: str) -> None:
        """Security requirements and x-amazon-apigateway-auth (read by .openapi_stage)."""
        security, where = op.get("security"), self.at(pointer, "security")
        if security is None:
            security, where = self.body.get("security"), self.at(self.root, "security")
        if isinstance(security, list) and any(isinstance(s, dict) and s for s in security):
            unknown = self.stage.security(method, security, where)  # API keys, authorizers, IAM (docs/method-request.md)
            if unknown:
                not_emulated(self.ctx, method, where,
                             f"{'; '.join(unknown)}: API Gateway applies no authorizer for it, and neither does "
                             "vtlgw; the request is let through")
        if isinstance(op.get("x-amazon-apigateway-auth"), dict):
            self.stage.auth_extension(method, op["x-amazon-apigateway-auth"],
                                      self.at(pointer, "x-amazon-apigateway-auth"))

    def method_responses(self, method: Method, op: dict[str, Any], pointer: str) -> None:
        responses_pointer = self.at(pointer, "responses")
        produces = op.get("produces", self.body.get("produces")) or ["application/json"]
        for status, value in (as_mapping(self.ctx, op.get("responses"), responses_pointer) or {}).items():
            if not (len(status) == 3 and status.isascii() and status.isdigit() and status[0] in "12345"):
                continue  # "default" and "2XX" ranges have no API Gateway method response
            response, response_pointer = self.deref(value, self.at(responses_pointer, status))
            response_map = as_mapping(self.ctx, response, response_pointer) or {}
            declared = MethodResponse(status, source=self.ctx.source(response_pointer))
            headers = as_mapping(self.ctx, response_map.get("headers"), self.at(response_pointer, "headers")) or {}
            for header in headers:
                key = f"method.response.header.{header}"
                declared.response_parameters[key] = False
                declared.sources[f"response_parameters.{key}"] = self.ctx.source(
                    self.at(response_pointer, "headers", header))
            if self.version == "openapi3":
                content = as_mapping(self.ctx, response_map.get("content"),
                                     self.at(response_pointer, "content")) or {}
                for media_type, media in content.items():
                    schema = media.get("schema") if isinstance(media, dict) else None
                    declared.response_models[media_type] = _model_name(schema)
            elif "schema" in response_map:
                for media_type in produces if isinstance(produces, list) else []:
                    if isinstance(media_type, str):
                        declared.response_models[media_type] = _model_name(response_map["schema"])
            method.method_responses[status] = declared


def _model_name(schema: Any) -> str | None:
    """The model a schema refers to (``#/components/schemas/Pet`` -> ``Pet``); None when inline."""
    if isinstance(schema, dict) and isinstance(schema.get("$ref"), str):
        return schema["$ref"].rsplit("/", 1)[-1]
    return None
