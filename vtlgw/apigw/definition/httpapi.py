"""HTTP APIs (API Gateway v2): SAM, CloudFormation ``AWS::ApiGatewayV2::*`` and OpenAPI exports.

Read:

* SAM ``AWS::Serverless::HttpApi`` (``Name``, ``DefinitionBody``/``DefinitionUri``, ``StageName``,
  ``StageVariables``) and the ``HttpApi`` events of ``AWS::Serverless::Function`` (on the named API or
  the implicit ``ServerlessHttpApi``);
* ``AWS::ApiGatewayV2::Api`` with ``ProtocolType: HTTP`` (``Body``, quick create's ``Target``/``RouteKey``),
  its ``AWS::ApiGatewayV2::Route``, ``AWS::ApiGatewayV2::Integration`` and ``AWS::ApiGatewayV2::Stage``;
* an OpenAPI 3 document whose ``x-amazon-apigateway-integration`` objects carry ``payloadFormatVersion``
  (the marker of an HTTP API export), ``/$default`` (or ``isDefaultRoute``) being the ``$default`` route.

Routes become :class:`~.model.Method` objects keyed like REST methods, with their ``route_key``; Lambda
integrations are ``AWS_PROXY`` with an invocation URI (a bare function ARN is rewritten to one) and a
``payload_format_version``. Defaults are listed in docs/definitions.md ("HTTP APIs").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from vtlgw.apigw.http.paths import is_greedy

from . import intrinsics
from .authorizers import Authorizer
from .common import Context, as_bool, as_enum, as_mapping, as_string, describe, not_emulated, string_map
from .errors import UnsupportedDefinitionError
from .model import HTTP_METHODS, ApiDefinition, Integration, Method
from .yamlload import join_pointer

V2_API = "AWS::ApiGatewayV2::Api"
V2_ROUTE = "AWS::ApiGatewayV2::Route"
V2_INTEGRATION = "AWS::ApiGatewayV2::Integration"
V2_STAGE = "AWS::ApiGatewayV2::Stage"
V2_AUTHORIZER = "AWS::ApiGatewayV2::Authorizer"
SAM_HTTP_API = "AWS::Serverless::HttpApi"
SAM_FUNCTION = "AWS::Serverless::Function"
#: The API SAM creates for ``HttpApi`` events without an ``ApiId`` (SAM docs, sam-property-function-httpapi).
IMPLICIT_HTTP_API = "ServerlessHttpApi"
HTTP_API_TYPES = (V2_API, SAM_HTTP_API)
DEFAULT_ROUTE = "$default"
DEFAULT_STAGE = "$default"
#: HTTP APIs support only Lambda proxy and HTTP proxy integrations (AWS docs, http-api-open-api).
HTTP_INTEGRATION_TYPES = ("AWS_PROXY", "HTTP_PROXY")
PAYLOAD_FORMAT_VERSIONS = ("1.0", "2.0")
#: "between 50 and 30,000 milliseconds for HTTP APIs ... The default timeout is ... 30 seconds for HTTP APIs"
#: (CloudFormation docs, AWS::ApiGatewayV2::Integration TimeoutInMillis).
HTTP_TIMEOUT_MILLIS = 30000
#: SAM ``HttpApi`` events default to 2.0 (SAM docs, sam-property-function-httpapi, PayloadFormatVersion).
SAM_EVENT_PAYLOAD_FORMAT = "2.0"
#: What an integration that names none gets (U50: the docs only say it must be given; 1.0 is what the
#: service is reported to store).
UNSPECIFIED_PAYLOAD_FORMAT = "1.0"
#: Quick create (``Target`` on the Api) of a Lambda function (U50).
QUICK_CREATE_PAYLOAD_FORMAT = "2.0"

_LAMBDA_ARN = re.compile(r"arn:([a-z-]+):lambda:([a-z0-9-]+):\d{12}:function:[^/]+\Z")
_HTTP_URL = re.compile(r"https?://[^/\s?#]+", re.I)
_TARGET = re.compile(r"integrations/\$\{([A-Za-z0-9]+)\}\Z")
_ROUTE_PART = re.compile(r"[^{}/]+\Z|\{[A-Za-z0-9._-]+\+?\}\Z")


@dataclass(frozen=True)
class HttpKeys:
    """How a format names the fields of an HTTP API integration."""

    type: str
    uri: str
    http_method: str
    payload_format_version: str
    request_parameters: str
    timeout_in_millis: str


CAMEL = HttpKeys("type", "uri", "httpMethod", "payloadFormatVersion", "requestParameters", "timeoutInMillis")
PASCAL = HttpKeys("IntegrationType", "IntegrationUri", "IntegrationMethod", "PayloadFormatVersion",
                  "RequestParameters", "TimeoutInMillis")


# ---------------------------------------------------------------------------------------- detection


def is_http_openapi(body: Any) -> bool:
    """An OpenAPI 3 document some of whose ``x-amazon-apigateway-integration`` objects carry
    ``payloadFormatVersion``, which only HTTP APIs have (AWS docs, api-gateway-swagger-extensions-integration:
    "Required for HTTP APIs"); ``x-amazon-apigateway-integrations`` components are HTTP-only too."""
    if not isinstance(body, dict) or not str(body.get("openapi", "")).startswith("3."):
        return False
    components = body.get("components")
    if isinstance(components, dict) and isinstance(components.get("x-amazon-apigateway-integrations"), dict):
        return True
    paths = body.get("paths")
    for item in (paths.values() if isinstance(paths, dict) else []):
        for op in (item.values() if isinstance(item, dict) else []):
            spec = op.get("x-amazon-apigateway-integration") if isinstance(op, dict) else None
            if isinstance(spec, dict) and "payloadFormatVersion" in spec:
                return True
    return False


def ref_target(value: Any) -> str | None:
    """``!Ref X`` -> X (an ``ApiId`` names its API so)."""
    if intrinsics.intrinsic_name(value) == "Ref" and isinstance(value["Ref"], str):
        return value["Ref"]
    return None


def http_api_events(resources: dict[str, dict[str, Any]]) -> list[tuple[str, str, str | None, dict[str, Any]]]:
    """SAM ``HttpApi`` events: (function id, event name, API id or None for the implicit API, properties)."""
    found = []
    for lid, res in resources.items():
        if res.get("Type") != SAM_FUNCTION:
            continue
        props = res.get("Properties")
        events = props.get("Events") if isinstance(props, dict) else None
        for name, event in (events.items() if isinstance(events, dict) else []):
            if isinstance(event, dict) and event.get("Type") == "HttpApi":
                event_props = event.get("Properties") if isinstance(event.get("Properties"), dict) else {}
                api = event_props.get("ApiId")
                found.append((lid, name, ref_target(api) or (api if isinstance(api, str) else None), event_props))
    return found


def protocol_type(resource: dict[str, Any]) -> str | None:
    """``ProtocolType`` of an ``AWS::ApiGatewayV2::Api`` (upper case), when written as a literal."""
    props = resource.get("Properties")
    value = props.get("ProtocolType") if isinstance(props, dict) else None
    return value.upper() if isinstance(value, str) else None


def websocket_message(logical_id: str) -> str:
    return (f"{logical_id} is a WebSocket API (AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET): vtlgw "
            "emulates REST APIs and HTTP APIs only")


# ---------------------------------------------------------------------------------------- integrations


def lambda_invocation_uri(uri: str) -> str:
    """A bare Lambda function ARN (or its ``${Fn.Arn}`` rendering) as the invocation URI API Gateway calls;
    HTTP APIs accept either as ``IntegrationUri`` (CloudFormation docs, AWS::ApiGatewayV2::Integration)."""
    found = _LAMBDA_ARN.match(uri)
    if found:
        partition, region = found.group(1), found.group(2)
        return f"arn:{partition}:apigateway:{region}:lambda:path/2015-03-31/functions/{uri}/invocations"
    if uri.startswith("${") and uri.endswith("}") and ":apigateway:" not in uri:  # !GetAtt Fn.Arn, kept symbolic
        return f"arn:${{AWS::Partition}}:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/{uri}/invocations"
    return uri


def payload_format(ctx: Context, value: Any, pointer: str) -> str | None:
    """``"1.0"``/``"2.0"``; a YAML or JSON number (``payloadFormatVersion: 1.0``, as the AWS docs' own examples
    write it) reads as its text."""
    if isinstance(value, float) or isinstance(value, int) and not isinstance(value, bool):
        text: str | None = f"{float(value):.1f}"
    else:
        text = as_string(ctx, value, pointer, symbolic=True)
    if text is None:
        return None
    if text not in PAYLOAD_FORMAT_VERSIONS:
        ctx.report(pointer, f"unknown payload format version {text!r}: expected 1.0 or 2.0")
        return None
    return text


def build_http_integration(ctx: Context, obj: dict[str, Any], pointer: str, keys: HttpKeys,
                           default_payload: str = UNSPECIFIED_PAYLOAD_FORMAT) -> Integration | None:
    """An HTTP API integration: ``AWS_PROXY`` (a Lambda function) or ``HTTP_PROXY`` (a URL)."""
    at = lambda key: join_pointer(pointer, key)  # noqa: E731
    if keys.type not in obj:
        ctx.report(pointer, f"missing required key {keys.type!r} (the integration type)")
        return None
    text = as_string(ctx, obj[keys.type], at(keys.type))
    if text is None:
        return None
    kind = text.upper()
    if kind not in HTTP_INTEGRATION_TYPES:
        ctx.report(at(keys.type), f"unknown integration type {text!r} for an HTTP API: HTTP APIs support only "
                                  "AWS_PROXY (a Lambda function) and HTTP_PROXY (a URL) integrations")
        return None
    integration = Integration(type=kind, source=ctx.source(pointer))
    for name in ("type", "uri", "http_method", "payload_format_version", "request_parameters", "timeout_in_millis"):
        if getattr(keys, name) in obj:
            integration.sources[name] = ctx.source(at(getattr(keys, name)))
    raw_uri = obj.get(keys.uri)
    integration.uri_raw = raw_uri
    uri = as_string(ctx, raw_uri, at(keys.uri), symbolic=True)
    if not uri:
        ctx.report(pointer, f"missing required key {keys.uri!r} (needed by {kind} integrations)")
        return None
    checkable = "<" not in uri  # an unresolved <...> value is warned about, not checked
    if kind == "AWS_PROXY":
        integration.uri = lambda_invocation_uri(uri)
        integration.http_method = "POST"
        if checkable and not integration.is_lambda:
            ctx.report(at(keys.uri), f"an AWS_PROXY integration of an HTTP API invokes a Lambda function: expected "
                                     "its ARN (arn:aws:lambda:<region>:<account>:function:<name>) or arn:aws:"
                                     f"apigateway:<region>:lambda:path/2015-03-31/functions/<ARN>/invocations, got "
                                     f"{uri!r}")
            return None
        if "IntegrationSubtype" in obj or "integrationSubtype" in obj:
            ctx.report(pointer, "an AWS service integration (IntegrationSubtype) is not supported offline: only "
                                "Lambda and HTTP proxy integrations are run", UnsupportedDefinitionError)
            return None
    else:
        integration.uri = uri
        if checkable and not _HTTP_URL.match(uri) and "${stageVariables." not in uri:
            ctx.report(at(keys.uri), f"Invalid HTTP endpoint specified for URI: {uri!r} (an HTTP_PROXY integration "
                                     "needs an http:// or https:// URL; a private integration through a VPC link "
                                     "is not supported offline)")
            return None
        method = obj.get(keys.http_method)
        integration.http_method = "ANY" if method is None else as_enum(
            ctx, method, at(keys.http_method), HTTP_METHODS, "HTTP method")
    if obj.get(keys.payload_format_version) is not None:
        integration.payload_format_version = payload_format(ctx, obj[keys.payload_format_version],
                                                            at(keys.payload_format_version))
        if kind == "HTTP_PROXY" and integration.payload_format_version not in (None, "1.0"):
            # "For all other integrations, 1.0 is the only supported value" (api-gateway-swagger-extensions-integration)
            ctx.report(at(keys.payload_format_version), "an HTTP_PROXY integration supports only payload format 1.0")
    if integration.payload_format_version is None:
        integration.payload_format_version = default_payload if kind == "AWS_PROXY" else "1.0"
    integration.request_parameters = string_map(ctx, obj.get(keys.request_parameters), at(keys.request_parameters),
                                                integration.sources, "request_parameters")
    integration.timeout_in_millis = HTTP_TIMEOUT_MILLIS
    if obj.get(keys.timeout_in_millis) is not None:
        millis = as_string(ctx, obj[keys.timeout_in_millis], at(keys.timeout_in_millis), integer=True)
        if millis is not None and millis.isdigit() and 50 <= int(millis) <= HTTP_TIMEOUT_MILLIS:
            integration.timeout_in_millis = int(millis)
        elif millis is not None:
            ctx.report(at(keys.timeout_in_millis), f"an HTTP API integration timeout is 50 to 30000 ms, not {millis!r}")
    return integration


# ---------------------------------------------------------------------------------------- routes


def parse_route_key(ctx: Context, key: str, pointer: str) -> tuple[str, str] | None:
    """``"GET /pets/{id}"`` -> ``("GET", "/pets/{id}")``; ``"$default"`` -> ``("ANY", "$default")``."""
    if key == DEFAULT_ROUTE:
        return "ANY", DEFAULT_ROUTE
    verb, _, path = key.partition(" ")
    verb = verb.upper()
    if verb not in HTTP_METHODS or not path.startswith("/"):
        ctx.report(pointer, f"invalid route key {key!r}: expected '<METHOD> /<path>' (METHOD one of "
                            f"{', '.join(HTTP_METHODS)}) or '$default'")
        return None
    return verb, checked_path(ctx, path, pointer)


def checked_path(ctx: Context, path: str, pointer: str) -> str | None:
    """A route path; a greedy ``{name+}`` only at its end (AWS docs, http-api-develop-routes)."""
    parts = path.strip("/").split("/") if path.strip("/") else []
    for index, part in enumerate(parts):
        if not _ROUTE_PART.match(part):
            ctx.report(pointer, f"invalid path part {part!r} in route path {path!r}")
            return None
        if is_greedy(part) and index != len(parts) - 1:
            ctx.report(pointer, f"route path {path!r}: the greedy path variable {part} must be at the end of the path")
            return None
    return "/" + "/".join(parts)


def add_route(ctx: Context, api: ApiDefinition, method: Method, *, replace: bool = False) -> None:
    """Store a route, refusing one defined twice (API Gateway keeps one route per route key)."""
    key = method.key
    if key in api.methods and not replace:
        first = api.methods[key].source
        where = f" (first at {first.location})" if first and first.line else ""
        ctx.report(method.source.pointer if method.source else "",
                   f"route {method.route_key} is defined twice{where}")
        return
    api.methods[key] = method
    if method.resource_path != DEFAULT_ROUTE and method.resource_path not in api.resource_paths:
        api.resource_paths.append(method.resource_path)


def _route(verb: str, path: str, integration: Integration | None, source: Any) -> Method:
    route_key = DEFAULT_ROUTE if path == DEFAULT_ROUTE else f"{verb} {path}"
    return Method(verb, path, integration=integration, route_key=route_key, source=source)


# ---------------------------------------------------------------------------------------- OpenAPI


_OPERATIONS = {"get": "GET", "put": "PUT", "post": "POST", "delete": "DELETE", "options": "OPTIONS", "head": "HEAD",
               "patch": "PATCH", "x-amazon-apigateway-any-method": "ANY"}


def build_http_openapi(ctx: Context, body: dict[str, Any], root: str, api: ApiDefinition) -> None:
    """The routes of an HTTP API OpenAPI 3 document (AWS docs, http-api-open-api)."""
    api.protocol, api.endpoint_type = "HTTP", "REGIONAL"
    if api.stage_name is None:
        api.stage_name = DEFAULT_STAGE
    info = body.get("info")
    if api.name is None and isinstance(info, dict) and isinstance(info.get("title"), str):
        api.name = info["title"]
    paths = as_mapping(ctx, body.get("paths"), join_pointer(root, "paths")) or {}
    for raw_path, item in paths.items():
        item_pointer = join_pointer(root, "paths", raw_path)
        item_map = as_mapping(ctx, item, item_pointer)
        if item_map is None:
            continue
        if raw_path == "/" + DEFAULT_ROUTE:  # how an export writes the $default route
            path: str | None = DEFAULT_ROUTE
        elif not raw_path.startswith("/"):
            ctx.report(item_pointer, f"path {raw_path!r} must start with '/'")
            continue
        else:
            path = checked_path(ctx, raw_path, item_pointer)
        if path is None:
            continue
        for key, verb in _OPERATIONS.items():
            if key not in item_map:
                continue
            op_pointer = join_pointer(item_pointer, key)
            op = as_mapping(ctx, item_map[key], op_pointer) or {}
            route_path = path
            if verb == "ANY" and op.get("isDefaultRoute") is not None and \
                    as_bool(ctx, op["isDefaultRoute"], join_pointer(op_pointer, "isDefaultRoute")):
                route_path = DEFAULT_ROUTE  # x-amazon-apigateway-any-method isDefaultRoute (AWS docs)
            if route_path == DEFAULT_ROUTE and verb != "ANY":
                ctx.report(op_pointer, f"the $default route takes every method: write it as "
                                       f"x-amazon-apigateway-any-method, not {key}")
                continue
            integration = None
            spec_pointer = join_pointer(op_pointer, "x-amazon-apigateway-integration")
            spec = op.get("x-amazon-apigateway-integration")
            spec, spec_pointer = _deref(ctx, body, root, spec, spec_pointer)
            spec_map = as_mapping(ctx, spec, spec_pointer)
            if spec_map is not None:
                integration = build_http_integration(ctx, spec_map, spec_pointer, CAMEL)
            method = _route(verb, route_path, integration, ctx.source(op_pointer))
            if isinstance(op.get("operationId"), str):
                method.operation_id = op["operationId"]
            security = op.get("security", body.get("security"))
            if isinstance(security, list) and any(isinstance(s, dict) and s for s in security):
                _openapi_security(ctx, body, root, method, security, join_pointer(op_pointer, "security"), api)
            add_route(ctx, api, method)


def _openapi_security(ctx: Context, body: dict[str, Any], root: str, method: Method, security: list[Any],
                      pointer: str, api: ApiDefinition) -> None:
    """A route's ``security``: a JWT scheme (``x-amazon-apigateway-authorizer`` of type ``jwt``) is run; any
    other is noted as not emulated."""
    components = body.get("components") if isinstance(body.get("components"), dict) else {}
    schemes = components.get("securitySchemes") if isinstance(components.get("securitySchemes"), dict) else {}
    others = []
    for requirement in security:
        for name, scopes in (requirement.items() if isinstance(requirement, dict) else []):
            scheme = schemes.get(name)
            spec = scheme.get("x-amazon-apigateway-authorizer") if isinstance(scheme, dict) else None
            if isinstance(spec, dict) and str(spec.get("type", "")).lower() == "request":
                where = join_pointer(root, "components", "securitySchemes", name, "x-amazon-apigateway-authorizer")
                made = Authorizer(name, "HTTP_LAMBDA", source=ctx.source(where))
                made.uri = spec.get("authorizerUri") if isinstance(spec.get("authorizerUri"), str) else None
                made.payload_version = str(spec.get("authorizerPayloadFormatVersion", "2.0"))
                made.simple_responses = spec.get("enableSimpleResponses") is True
                source = spec.get("identitySource")
                made.identity_sources = [x.strip() for x in source.split(",") if x.strip()] \
                    if isinstance(source, str) else []
                api.authorizers.setdefault(name, made)
                method.authorizer, method.authorization_type = api.authorizers[name], "CUSTOM"
                method.sources["authorizer"] = ctx.source(pointer)
            elif isinstance(spec, dict) and str(spec.get("type", "")).lower() == "jwt":
                where = join_pointer(root, "components", "securitySchemes", name, "x-amazon-apigateway-authorizer")
                config = spec.get("jwtConfiguration") if isinstance(spec.get("jwtConfiguration"), dict) else {}
                made = Authorizer(name, "JWT", source=ctx.source(where))
                made.issuer = config.get("issuer") if isinstance(config.get("issuer"), str) else None
                audience = config.get("audience")
                made.audiences = [a for a in (audience if isinstance(audience, list) else [audience])
                                  if isinstance(a, str)]
                source = spec.get("identitySource", "$request.header.Authorization")
                made.identity_sources = [source] if isinstance(source, str) else ["$request.header.Authorization"]
                method.authorizer, method.authorization_type = made, "JWT"
                method.authorization_scopes = [x for x in scopes if isinstance(x, str)] if isinstance(scopes, list) \
                    else []
                method.sources["authorizer"] = ctx.source(pointer)
            else:
                others.append(name)
    if others:
        not_emulated(ctx, method, pointer, f"security ({', '.join(sorted(set(others)))}): not a JWT or Lambda "
                                           "authorizer of this HTTP API; the request is let through")


def _deref(ctx: Context, body: dict[str, Any], root: str, value: Any, pointer: str) -> tuple[Any, str]:
    """A local ``$ref`` (``#/components/x-amazon-apigateway-integrations/<name>``, AWS docs,
    api-gateway-extensions-integrations)."""
    if not (isinstance(value, dict) and isinstance(value.get("$ref"), str)):
        return value, pointer
    ref = value["$ref"]
    target: Any = body
    if ref.startswith("#/"):
        for token in ref[2:].split("/"):
            token = token.replace("~1", "/").replace("~0", "~")
            target = target.get(token) if isinstance(target, dict) else None
    else:
        target = None
    if target is None:
        ctx.report(join_pointer(pointer, "$ref"), f"unresolved reference {ref!r}")
        return None, pointer
    return target, root + ref[1:]


# ---------------------------------------------------------------------------------------- templates


def read_http_api(reader: Any, api_id: str, api: ApiDefinition) -> None:
    """Load the HTTP API ``api_id`` of a template; ``reader`` is cloudformation's template reader."""
    api.protocol, api.endpoint_type = "HTTP", "REGIONAL"
    resource = reader.resources.get(api_id)
    if resource is None:  # SAM's implicit ServerlessHttpApi
        api.source = None
        api.name = IMPLICIT_HTTP_API
        api.stage_name = DEFAULT_STAGE
    elif resource.get("Type") == SAM_HTTP_API:
        _sam_http_api(reader, api_id, api)
    else:
        _v2_api(reader, api_id, api)
    _sam_http_events(reader, api_id, api)


def _sam_http_api(reader: Any, api_id: str, api: ApiDefinition) -> None:
    props = reader.props(api_id)
    at = lambda *t: reader.pointer(api_id, "Properties", *t)  # noqa: E731
    reader.sam_api(api_id, api)  # Name, DefinitionBody / DefinitionUri as for AWS::Serverless::Api
    # "If no name is specified, AWS SAM uses the $default stage" (SAM docs, sam-resource-httpapi StageName)
    name = reader.literal(props.get("StageName"), at("StageName"))
    api.stage_name = name or DEFAULT_STAGE
    _stage_variables(reader, props.get("StageVariables"), at("StageVariables"), api)


def _stage_variables(reader: Any, value: Any, pointer: str, api: ApiDefinition) -> None:
    table = as_mapping(reader.ctx, value, pointer) if value is not None else None
    for key, item in (table or {}).items():
        text = reader.literal(item, join_pointer(pointer, str(key)))
        if text is not None:
            api.stage_variables[str(key)] = text


def _belongs(reader: Any, lid: str, api_id: str) -> bool:
    return ref_target(reader.props(lid).get("ApiId")) == api_id


def _v2_api(reader: Any, api_id: str, api: ApiDefinition) -> None:
    ctx: Context = reader.ctx
    props = reader.props(api_id)
    at = lambda *t: reader.pointer(api_id, "Properties", *t)  # noqa: E731
    if protocol_type(reader.resources[api_id]) == "WEBSOCKET":
        ctx.fail(at("ProtocolType"), websocket_message(api_id), UnsupportedDefinitionError)
    api.name = as_string(ctx, props.get("Name"), at("Name"), symbolic=True)
    if "Body" in props:
        reader.inline_openapi(props["Body"], at("Body"), api)
    elif "BodyS3Location" in props:
        reader.s3_body(props["BodyS3Location"], at("BodyS3Location"), api)
    if "Target" in props:
        _quick_create(reader, api_id, api)
    integrations: dict[str, Integration | None] = {}
    for lid, res in reader.resources.items():
        if res.get("Type") == V2_ROUTE and _belongs(reader, lid, api_id):
            method = _v2_route(reader, lid, api_id, integrations)
            if method is not None:
                if method.authorizer is not None:  # one object per authorizer, linked to its function later
                    method.authorizer = api.authorizers.setdefault(method.authorizer.name, method.authorizer)
                add_route(ctx, api, method)
    stage = next((lid for lid, res in reader.resources.items()
                  if res.get("Type") == V2_STAGE and _belongs(reader, lid, api_id)), None)
    api.stage_name = DEFAULT_STAGE
    if stage is not None:
        stage_props = reader.props(stage)
        name = reader.literal(stage_props.get("StageName"), reader.pointer(stage, "Properties", "StageName"))
        api.stage_name = name or DEFAULT_STAGE
        _stage_variables(reader, stage_props.get("StageVariables"),
                         reader.pointer(stage, "Properties", "StageVariables"), api)


def _quick_create(reader: Any, api_id: str, api: ApiDefinition) -> None:
    """``Target`` on the Api: one route (``RouteKey``, default ``$default``) to a Lambda function or a URL
    (AWS API reference, CreateApi: "This property is part of quick create")."""
    ctx: Context = reader.ctx
    props = reader.props(api_id)
    at = lambda *t: reader.pointer(api_id, "Properties", *t)  # noqa: E731
    target = as_string(ctx, props["Target"], at("Target"), symbolic=True)
    if target is None:
        return
    kind = "HTTP_PROXY" if _HTTP_URL.match(target) else "AWS_PROXY"
    spec = {"IntegrationType": kind, "IntegrationUri": props["Target"]}
    integration = build_http_integration(ctx, spec, at("Target"), PASCAL, QUICK_CREATE_PAYLOAD_FORMAT)
    if integration is not None:
        integration.sources = {"uri": ctx.source(at("Target"))}
    key = as_string(ctx, props.get("RouteKey", DEFAULT_ROUTE), at("RouteKey")) or DEFAULT_ROUTE
    parsed = parse_route_key(ctx, key, at("RouteKey") if "RouteKey" in props else at("Target"))
    if parsed is None or parsed[1] is None:
        return
    method = _route(parsed[0], parsed[1], integration, ctx.source(reader.pointer(api_id)))
    method.route_key = key
    add_route(ctx, api, method)


def _v2_route(reader: Any, lid: str, api_id: str, integrations: dict[str, Integration | None]) -> Method | None:
    ctx: Context = reader.ctx
    props = reader.props(lid)
    at = lambda *t: reader.pointer(lid, "Properties", *t)  # noqa: E731
    if props.get("RouteKey") is None:
        ctx.report(at(), "missing required key 'RouteKey'")
        return None
    key = as_string(ctx, props["RouteKey"], at("RouteKey"))
    parsed = parse_route_key(ctx, key, at("RouteKey")) if key is not None else None
    if parsed is None or parsed[1] is None:
        return None
    integration = None
    if props.get("Target") is not None:
        target_lid = _target(reader, props["Target"], at("Target"), api_id)
        if target_lid is None:
            return None
        if target_lid not in integrations:
            integrations[target_lid] = _v2_integration(reader, target_lid)
        integration = integrations[target_lid]
    method = _route(parsed[0], parsed[1], integration, ctx.source(reader.pointer(lid)))
    method.route_key = key
    method.sources["route_key"] = ctx.source(at("RouteKey"))
    if isinstance(props.get("OperationName"), str):
        method.operation_id = props["OperationName"]
    auth = props.get("AuthorizationType")
    if isinstance(auth, str) and auth.upper() in ("JWT", "CUSTOM"):
        authorizer = _v2_authorizer(reader, props.get("AuthorizerId"), at("AuthorizerId"), api_id, auth.upper())
        if authorizer is not None:
            method.authorizer, method.authorization_type = authorizer, auth.upper()
            method.sources["authorizer"] = ctx.source(at("AuthorizerId"))
            scopes = props.get("AuthorizationScopes")
            method.authorization_scopes = [x for x in scopes if isinstance(x, str)] if isinstance(scopes, list) else []
    elif isinstance(auth, str) and auth.upper() != "NONE" or props.get("AuthorizerId") is not None:
        not_emulated(ctx, method, at("AuthorizationType" if auth is not None else "AuthorizerId"),
                     f"authorization {auth if isinstance(auth, str) else 'by an authorizer'} is not emulated; the "
                     "request is let through")
    return method


def _v2_authorizer(reader: Any, value: Any, pointer: str, api_id: str, kind: str) -> Authorizer | None:
    """The ``AWS::ApiGatewayV2::Authorizer`` a route's ``AuthorizerId`` names: ``JWT`` for a JWT route,
    ``REQUEST`` (a Lambda authorizer) for a ``CUSTOM`` one."""
    ctx: Context = reader.ctx
    lid = ref_target(value)
    resource = reader.resources.get(lid) if lid else None
    if resource is None or resource.get("Type") != V2_AUTHORIZER or not _belongs(reader, lid, api_id):
        ctx.report(pointer, f"a {kind} route needs AuthorizerId: !Ref to an {V2_AUTHORIZER} of this API")
        return None
    props = reader.props(lid)
    at = lambda *t: reader.pointer(lid, "Properties", *t)  # noqa: E731
    wanted = "JWT" if kind == "JWT" else "REQUEST"
    if str(props.get("AuthorizerType", "")).upper() != wanted:
        ctx.report(at("AuthorizerType"), f"a {kind} route's authorizer has AuthorizerType: {wanted}")
        return None
    name = as_string(ctx, props.get("Name"), at("Name"), symbolic=True) or lid
    sources = props.get("IdentitySource")
    if wanted == "REQUEST":
        made = Authorizer(name, "HTTP_LAMBDA", source=ctx.source(reader.pointer(lid)))
        made.uri = as_string(ctx, props.get("AuthorizerUri"), at("AuthorizerUri"), symbolic=True)
        made.uri_raw = props.get("AuthorizerUri")
        made.payload_version = str(props.get("AuthorizerPayloadFormatVersion", "2.0"))
        made.simple_responses = props.get("EnableSimpleResponses") in (True, "true", "True")
        made.identity_sources = [x for x in sources if isinstance(x, str)] if isinstance(sources, list) else []
        return made
    config = as_mapping(ctx, props.get("JwtConfiguration"), at("JwtConfiguration")) or {}
    made = Authorizer(name, "JWT", source=ctx.source(reader.pointer(lid)))
    made.issuer = reader.literal(config.get("Issuer"), at("JwtConfiguration", "Issuer"))
    audiences = config.get("Audience") if isinstance(config.get("Audience"), list) else []
    made.audiences = [text for index, item in enumerate(audiences)
                      if (text := reader.literal(item, at("JwtConfiguration", "Audience", index)))]
    made.identity_sources = [x for x in sources if isinstance(x, str)] if isinstance(sources, list) else \
        ["$request.header.Authorization"]
    return made


def _target(reader: Any, value: Any, pointer: str, api_id: str) -> str | None:
    """The ``AWS::ApiGatewayV2::Integration`` a route's ``Target`` (``integrations/<id>``) names."""
    ctx: Context = reader.ctx
    ours = [lid for lid, res in reader.resources.items()
            if res.get("Type") == V2_INTEGRATION and _belongs(reader, lid, api_id)]
    found = _TARGET.match(intrinsics.render(value)) if intrinsics.is_symbolic(value) else None
    if found and found.group(1) in ours:
        return found.group(1)
    text = None
    if found is None:
        text = as_string(ctx, value, pointer, symbolic=True)
        ev = ctx.evaluator
        if text is not None and text.startswith("integrations/") and ev is not None:
            wanted = text[len("integrations/"):]
            for lid in ours:
                physical = ev.physical(lid)
                if physical is not None and physical[0] == wanted:
                    return lid
    written = intrinsics.render(value) if intrinsics.is_symbolic(value) else (text or describe(value))
    listing = ", ".join(ours) or "none"
    ctx.report(pointer, f"the route's Target {written!r} names no AWS::ApiGatewayV2::Integration of API {api_id}: "
                        f"expected integrations/<the integration's id>, written !Sub integrations/${{Integration}} "
                        f"(integrations of {api_id}: {listing})")
    return None


def _v2_integration(reader: Any, lid: str) -> Integration | None:
    ctx: Context = reader.ctx
    props = reader.props(lid)
    pointer = reader.pointer(lid, "Properties")
    integration = build_http_integration(ctx, props, pointer, PASCAL)
    if integration is not None:
        integration.source = ctx.source(reader.pointer(lid))
    return integration


def _sam_http_events(reader: Any, api_id: str, api: ApiDefinition) -> None:
    """Lambda routes SAM adds for ``HttpApi`` events (SAM docs, sam-property-function-httpapi): with neither
    ``Path`` nor ``Method``, the event is the API's ``$default`` route."""
    ctx: Context = reader.ctx
    for function_id, event_name, event_api, props in http_api_events(reader.resources):
        if (event_api or IMPLICIT_HTTP_API) != api_id:
            continue
        pointer = reader.pointer(function_id, "Properties", "Events", event_name, "Properties")
        if "Path" not in props and "Method" not in props:
            verb, path = "ANY", DEFAULT_ROUTE
        else:
            raw_path = as_string(ctx, props.get("Path"), join_pointer(pointer, "Path"))
            raw_verb = as_string(ctx, props.get("Method"), join_pointer(pointer, "Method"))
            if raw_path is None or raw_verb is None:
                ctx.report(pointer, "an HttpApi event needs both 'Path' and 'Method', or neither (the $default route)")
                continue
            verb = "ANY" if raw_verb.lower() in ("any", "x-amazon-apigateway-any-method") else raw_verb.upper()
            if verb not in HTTP_METHODS:
                ctx.report(join_pointer(pointer, "Method"), f"unknown HTTP method {raw_verb!r}")
                continue
            if not raw_path.startswith("/"):
                ctx.report(join_pointer(pointer, "Path"), f"path {raw_path!r} must start with '/'")
                continue
            checked = checked_path(ctx, raw_path, join_pointer(pointer, "Path"))
            if checked is None:
                continue
            path = checked
        uri_raw = {
            "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
            f"${{{function_id}.Arn}}/invocations"
        }
        uri = ctx.evaluated_text(uri_raw, pointer) if ctx.evaluator is not None else None
        version = SAM_EVENT_PAYLOAD_FORMAT
        if props.get("PayloadFormatVersion") is not None:
            version = payload_format(ctx, props["PayloadFormatVersion"],
                                     join_pointer(pointer, "PayloadFormatVersion")) or SAM_EVENT_PAYLOAD_FORMAT
        integration = Integration(type="AWS_PROXY", uri=uri or intrinsics.render(uri_raw), http_method="POST",
                                  uri_raw=uri_raw, payload_format_version=version,
                                  timeout_in_millis=HTTP_TIMEOUT_MILLIS, source=ctx.source(pointer))
        if props.get("TimeoutInMillis") is not None:
            millis = as_string(ctx, props["TimeoutInMillis"], join_pointer(pointer, "TimeoutInMillis"), integer=True)
            if millis is not None and millis.isdigit() and 50 <= int(millis) <= HTTP_TIMEOUT_MILLIS:
                integration.timeout_in_millis = int(millis)
            elif millis is not None:
                ctx.report(join_pointer(pointer, "TimeoutInMillis"),
                           f"an HTTP API integration timeout is 50 to 30000 ms, not {millis!r}")
        existing = api.methods.get((verb, path))
        earlier = existing.integration.source if existing is not None and existing.integration else None
        if earlier is not None and "/Properties/Events/" in earlier.pointer:
            ctx.report(pointer, f"route {existing.route_key} is defined twice (by two HttpApi events)")
            continue
        method = existing or _route(verb, path, None, ctx.source(pointer))
        if existing is None and path == DEFAULT_ROUTE:
            method.source = ctx.source(pointer)
        method.integration = integration  # SAM adds the Lambda integration to a route the body defines
        reader.sam_auth(api_id, method, props, pointer)
        add_route(ctx, api, method, replace=True)


__all__ = [
    "HTTP_API_TYPES", "IMPLICIT_HTTP_API", "SAM_HTTP_API", "V2_API", "build_http_openapi", "http_api_events",
    "is_http_openapi", "lambda_invocation_uri", "protocol_type", "read_http_api", "websocket_message",
]
