"""CloudFormation, SAM and CDK (``cdk.out``) templates.

Read:

* ``AWS::ApiGateway::RestApi`` (``Name``, ``BinaryMediaTypes``, an inline
  OpenAPI ``Body``; a ``BodyS3Location`` only when it names a CDK asset staged
  beside the template);
* ``AWS::ApiGateway::Resource``, the path rebuilt from the ``ParentId`` chain
  (``!GetAtt Api.RootResourceId`` is the root);
* ``AWS::ApiGateway::Method`` (PascalCase properties, ``IntegrationResponses``
  in list order);
* ``AWS::ApiGateway::GatewayResponse``;
* request validators, models and API keys (:mod:`.cloudformation_stage`);
* SAM ``AWS::Serverless::Api`` (``DefinitionBody`` inline, ``DefinitionUri`` as
  a local file, ``BinaryMediaTypes`` with ``~1``, ``GatewayResponses``) and the
  ``Api`` events of ``AWS::Serverless::Function`` (Lambda proxy methods, on the
  named API or the implicit ``ServerlessRestApi``).

Intrinsic functions are evaluated against a supposed stack (:mod:`.stack`:
region, account, stack name, parameters, and each resource's physical values),
as CloudFormation evaluates them before API Gateway sees the API, so a
template written with ``!Sub`` gets the queue URL, not ``${Queue}``. Every
value computed is listed in ``ApiDefinition.substitutions``; what cannot be
known offline is inert ``<...>`` text and a warning on the method. With
``evaluate=False`` (the linter) they stay symbolic: values that must be
strings are rendered readable (see :mod:`.intrinsics`).

``AWS::Include`` (``Fn::Transform``) with a local ``Location`` is inlined,
its intrinsics evaluated against the same stack, as CloudFormation does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vtlgw.apigw.http.endpoint import ENDPOINT_TYPES

from . import intrinsics
from .common import (
    PASCAL,
    Context,
    add_integration_response,
    add_method,
    as_enum,
    as_list,
    as_mapping,
    as_status_code,
    as_string,
    bool_map,
    build_integration,
    build_integration_response,
    check_path_part,
    check_resource_tree,
    describe,
    is_media_type,
    normalise_path,
    proxy_leftovers,
    string_map,
    templates,
)
from .errors import AmbiguousApiError, DefinitionError, UnsupportedDefinitionError
from .keys import CLOUDFORMATION_INTEGRATION, CLOUDFORMATION_INTEGRATION_RESPONSE, check_keys
from .model import (
    LambdaFunction,
    GATEWAY_RESPONSE_TYPES,
    HTTP_METHODS,
    ApiDefinition,
    GatewayResponse,
    Integration,
    Method,
    MethodResponse,
    NotEmulated,
)
from .cloudformation_stage import CloudFormationStage
from .httpapi import (
    HTTP_API_TYPES,
    IMPLICIT_HTTP_API,
    SAM_HTTP_API,
    V2_API,
    http_api_events,
    protocol_type,
    read_http_api,
    websocket_message,
)
from .openapi import build_openapi
from .stack import Evaluator, Stack
from .yamlload import Document, join_pointer, load_document

REST_API = "AWS::ApiGateway::RestApi"
STAGE = "AWS::ApiGateway::Stage"
DEPLOYMENT = "AWS::ApiGateway::Deployment"
RESOURCE = "AWS::ApiGateway::Resource"
METHOD = "AWS::ApiGateway::Method"
GATEWAY_RESPONSE = "AWS::ApiGateway::GatewayResponse"
SAM_API = "AWS::Serverless::Api"
SAM_FUNCTION = "AWS::Serverless::Function"
LAMBDA_FUNCTION = "AWS::Lambda::Function"
#: ``${Fn.Arn}`` (or ``${Fn}``) in a rendered integration URI: the function it invokes.
_FUNCTION_REFERENCE = re.compile(r"\$\{([A-Za-z0-9]+)(?:\.Arn)?\}")
SAM_TRANSFORM = "AWS::Serverless-2016-10-31"
IMPLICIT_API = "ServerlessRestApi"
_NO_VALUE = {"Ref": "AWS::NoValue"}


def is_cloudformation(data: Any) -> bool:
    return isinstance(data, dict) and (
        isinstance(data.get("Resources"), dict) or "AWSTemplateFormatVersion" in data
    )


@dataclass
class ApiCandidate:
    """An API a template defines: its logical id, type and CDK construct path if any."""

    logical_id: str
    type: str
    cdk_path: str | None
    doc: Document

    @property
    def label(self) -> str:
        return f"{self.logical_id} ({self.cdk_path})" if self.cdk_path else self.logical_id


def template_format(doc: Document) -> str:
    """``sam``, ``cdk`` or ``cloudformation``."""
    data = doc.data
    transform = data.get("Transform")
    transforms = transform if isinstance(transform, list) else [transform]
    if SAM_TRANSFORM in transforms:
        return "sam"
    if serverless_package(doc) is not None:
        return "serverless"
    resources = data.get("Resources") if isinstance(data.get("Resources"), dict) else {}
    for resource in resources.values():
        if isinstance(resource, dict) and (
            resource.get("Type") == "AWS::CDK::Metadata"
            or isinstance(resource.get("Metadata"), dict) and "aws:cdk:path" in resource["Metadata"]
        ):
            return "cdk"
    return "cloudformation"


def _resources(doc: Document) -> dict[str, dict[str, Any]]:
    resources = doc.data.get("Resources")
    if not isinstance(resources, dict):
        return {}
    return {k: v for k, v in resources.items() if isinstance(v, dict)}


def _cdk_path(resource: dict[str, Any]) -> str | None:
    metadata = resource.get("Metadata")
    if isinstance(metadata, dict) and isinstance(metadata.get("aws:cdk:path"), str):
        path = metadata["aws:cdk:path"]
        return path[: -len("/Resource")] if path.endswith("/Resource") else path
    return None


def list_apis(doc: Document) -> list[ApiCandidate]:
    """The REST APIs and HTTP APIs of a template, in file order (SAM's implicit APIs last; a WebSocket API is
    not one)."""
    resources = _resources(doc)
    found = [
        ApiCandidate(lid, res["Type"], _cdk_path(res), doc)
        for lid, res in resources.items()
        if res.get("Type") in (REST_API, SAM_API, SAM_HTTP_API)
        or res.get("Type") == V2_API and protocol_type(res) != "WEBSOCKET"
    ]
    if IMPLICIT_API not in resources and any(
        event_api is None for _, _, event_api, _ in _api_events(resources)
    ):
        found.append(ApiCandidate(IMPLICIT_API, SAM_API, None, doc))
    if IMPLICIT_HTTP_API not in resources and any(
        event_api is None for _, _, event_api, _ in http_api_events(resources)
    ):
        found.append(ApiCandidate(IMPLICIT_HTTP_API, SAM_HTTP_API, None, doc))
    return found


def api_kind(candidates: list[ApiCandidate], plural: bool = False) -> str:
    """How messages name the candidates: ``REST API``, ``HTTP API``, or ``API`` when they are of both kinds."""
    kinds = {"HTTP API" if c.type in HTTP_API_TYPES else "REST API" for c in candidates} or {"REST API"}
    word = kinds.pop() if len(kinds) == 1 else "API"
    return word + "s" if plural else word


def choose_api(candidates: list[ApiCandidate], api: str | None, where: str,
               doc: Document | None = None) -> ApiCandidate:
    """Pick by logical id, ``Stack/LogicalId`` or CDK construct path; several and no choice is an error.

    A WebSocket API (of ``doc`` or of a candidate's template) chosen by its id is refused, saying so.
    """
    if api is not None:
        matches = []
        for candidate in candidates:
            stack = candidate.doc.path.name.removesuffix(".template.json")
            if api in (candidate.logical_id, f"{stack}/{candidate.logical_id}", candidate.cdk_path):
                matches.append(candidate)
        if len(matches) == 1:
            return matches[0]
        if matches:
            candidates = matches
            api = None
    docs = [doc] if doc is not None else []
    docs += [c.doc for c in candidates if all(c.doc is not d for d in docs)]
    websockets = [lid for d in docs for lid, res in _resources(d).items()
                  if res.get("Type") == V2_API and protocol_type(res) == "WEBSOCKET"]
    if api is not None:
        if api in websockets:
            raise UnsupportedDefinitionError(websocket_message(api), file=where)
        listing = ", ".join(c.label for c in candidates) or "none"
        raise DefinitionError(f"no {api_kind(candidates)} {api!r} here; APIs: {listing}", file=where)
    if not candidates:
        skipped = f"; {', '.join(websockets)} (WebSocket, not emulated)" if websockets else ""
        raise DefinitionError(
            f"no REST API found (no {REST_API} or {SAM_API} resource, and no SAM function with an Api event), "
            f"and no HTTP API (no {V2_API} of ProtocolType HTTP or {SAM_HTTP_API} resource, and no SAM function "
            f"with an HttpApi event){skipped}",
            file=where,
        )
    if len(candidates) > 1:
        raise AmbiguousApiError(
            f"several {api_kind(candidates, plural=True)} are defined; choose one with api=<logical id>: "
            + ", ".join(c.label for c in candidates),
            candidates=[c.logical_id for c in candidates],
            file=where,
        )
    return candidates[0]


def build_cloudformation(ctx: Context, candidate: ApiCandidate, *, stack: Stack | None = None,
                         evaluate: bool = True) -> ApiDefinition:
    """Load one API of a template into the model, its intrinsics evaluated against ``stack`` (default:
    :class:`~.stack.Stack`'s deterministic one) unless ``evaluate`` is False."""
    doc = candidate.doc
    ctx = ctx.derive(doc, cloudformation=True) if ctx.doc is not doc else ctx.derive(cloudformation=True)
    ctx.intrinsics = True
    if evaluate:
        ctx.evaluator = Evaluator(doc.data, stack or Stack())
        declared = ctx.evaluator.parameters
        unknown = [name for name in ctx.evaluator.stack.parameters if name not in declared]
        if unknown:  # CloudFormation refuses a stack parameter its template does not declare
            listing = ", ".join(declared) or "none"
            ctx.fail("/Parameters" if declared else "", f"parameter override {unknown[0]}: the template "
                                                         f"declares no parameter {unknown[0]} (it declares {listing})")
    else:  # kept symbolic (the linter): still find what CloudFormation would refuse (lint VTL506)
        ctx.checker = Evaluator(doc.data, stack or Stack())
    api = _TemplateReader(ctx, doc).read(candidate)
    if ctx.evaluator is not None:
        attach_evaluation(ctx, api)
    return api


def attach_evaluation(ctx: Context, api: ApiDefinition) -> None:
    """What evaluating the intrinsics gave: the substitutions on the API, the unknowable values as
    warnings on the methods they reach (all of them, for a value outside any method, such as a stage variable)."""
    api.stack = ctx.evaluator.stack
    api.substitutions = list(ctx.substitutions)
    for source, message in ctx.unresolved:
        owners = [m for m in api.methods.values() if m.source is not None and m.source.file == source.file
                  and (source.pointer + "/").startswith(m.source.pointer + "/")]
        for method in owners or api.methods.values():
            method.not_emulated.append(NotEmulated(message, source))


#: The template ``serverless package`` writes, in the service's ``.serverless`` folder.
SERVERLESS_TEMPLATE = "cloudformation-template-update-stack.json"
_SERVERLESS_KEY = re.compile(r"serverless/([^/]+)/([^/]+)/")


def serverless_package(doc: Document) -> tuple[str, str] | None:
    """(service, stage) of a ``serverless package`` template, read from its functions' code key
    (``serverless/<service>/<stage>/...``); None when ``doc`` is not one."""
    if doc.path.name != SERVERLESS_TEMPLATE or doc.path.parent.name != ".serverless":
        return None
    for res in _resources(doc).values():
        props = res.get("Properties") if isinstance(res.get("Properties"), dict) else {}
        code = props.get("Code") if isinstance(props.get("Code"), dict) else {}
        found = _SERVERLESS_KEY.match(code.get("S3Key")) if isinstance(code.get("S3Key"), str) else None
        if found:
            return found.group(1), found.group(2)
    return "", ""


def _invokes(uri: str, physical: tuple[str, dict[str, str]] | None) -> bool:
    """Whether a Lambda integration URI invokes the function with these physical values (its ARN, or its
    name, optionally with a version or alias)."""
    if physical is None:
        return False
    arn = physical[1].get("Arn")
    if arn and f"/functions/{arn}/" in uri or arn and f"/functions/{arn}:" in uri:
        return True
    return f"/functions/{physical[0]}/" in uri or f"/functions/{physical[0]}:" in uri


def _ref_target(value: Any, attribute: str | None = None) -> str | None:
    """``{"Ref": X}`` -> X; ``{"Fn::GetAtt": [X, attribute]}`` -> X."""
    name = intrinsics.intrinsic_name(value)
    if name == "Ref" and isinstance(value["Ref"], str):
        return value["Ref"]
    if name == "Fn::GetAtt" and attribute is not None:
        arg = value["Fn::GetAtt"]
        if isinstance(arg, list) and len(arg) == 2 and arg[1] == attribute and isinstance(arg[0], str):
            return arg[0]
    return None


def _api_events(resources: dict[str, dict[str, Any]]) -> list[tuple[str, str, str | None, dict[str, Any]]]:
    """SAM ``Api`` events: (function id, event name, API id or None for implicit, properties)."""
    found = []
    for lid, res in resources.items():
        if res.get("Type") != SAM_FUNCTION:
            continue
        props = res.get("Properties")
        events = props.get("Events") if isinstance(props, dict) else None
        if not isinstance(events, dict):
            continue
        for name, event in events.items():
            if isinstance(event, dict) and event.get("Type") == "Api":
                event_props = event.get("Properties") if isinstance(event.get("Properties"), dict) else {}
                found.append((lid, name, _ref_target(event_props.get("RestApiId")), event_props))
    return found


class _TemplateReader:
    def __init__(self, ctx: Context, doc: Document) -> None:
        self.ctx = ctx
        self.doc = doc
        self.resources = _resources(doc)
        self._paths: dict[str, str | None] = {}
        self._props: dict[str, dict[str, Any]] = {}
        self._stage: CloudFormationStage | None = None  # validators, models, API keys of the API being read

    def pointer(self, lid: str, *tokens: str | int) -> str:
        return join_pointer("/Resources", lid, *tokens)

    def props(self, lid: str) -> dict[str, Any]:
        """A resource's properties; ``!Ref AWS::NoValue`` means absent."""
        if lid not in self._props:
            value = self.resources[lid].get("Properties")
            table = as_mapping(self.ctx, value, self.pointer(lid, "Properties")) if value is not None else None
            self._props[lid] = {k: v for k, v in (table or {}).items() if v != _NO_VALUE}
        return self._props[lid]

    def belongs(self, lid: str, api_id: str) -> bool:
        target = self.props(lid).get("RestApiId")
        return _ref_target(target, "RestApiId") == api_id

    def read(self, candidate: ApiCandidate) -> ApiDefinition:
        api_id = candidate.logical_id
        api = ApiDefinition(
            source_file=self.doc.name,
            format=template_format(self.doc),
            api_id=api_id,
            source=self.ctx.source(self.pointer(api_id)),
        )
        api.problems = self.ctx.problems
        self._stage = CloudFormationStage(self, api_id, api)
        if candidate.type in HTTP_API_TYPES:  # an HTTP API (see .httpapi)
            read_http_api(self, api_id, api)
            self.functions(api)
            return api
        if api_id in self.resources and self.resources[api_id].get("Type") == REST_API:
            self.rest_api(api_id, api)
        elif api_id in self.resources:
            self.sam_api(api_id, api)
        else:
            api.source = None
            api.name = IMPLICIT_API
            self._stage.read_resources()  # API keys of the template
        self.sam_events(api_id, api)
        self.stage(api_id, api)
        self.functions(api)
        if "/" not in api.resource_paths:
            api.resource_paths.insert(0, "/")
        return api

    # -- Lambda functions with local code ----------------------------------------

    def functions(self, api: ApiDefinition) -> None:
        """The template's functions, and which one each Lambda integration invokes (for in-process runs)."""
        data = self.doc.data if isinstance(self.doc.data, dict) else {}
        globals_ = data.get("Globals")
        defaults = globals_.get("Function") if isinstance(globals_, dict) else None
        defaults = defaults if isinstance(defaults, dict) else {}
        base = self.doc.path.parent
        for lid, res in self.resources.items():
            kind = res.get("Type")
            if kind not in (SAM_FUNCTION, LAMBDA_FUNCTION):
                continue
            props = res.get("Properties") if isinstance(res.get("Properties"), dict) else {}
            if kind == SAM_FUNCTION:
                merged = {**defaults, **props}
                code = merged.get("CodeUri")
            else:
                merged = props
                metadata = res.get("Metadata") if isinstance(res.get("Metadata"), dict) else {}
                code = metadata.get("aws:asset:path") if metadata.get("aws:asset:property") == "Code" else None
                if code is None and serverless_package(self.doc) is not None:
                    code = ".."  # `serverless package` zips the service folder, the one above .serverless
            handler, runtime = merged.get("Handler"), merged.get("Runtime")
            code_dir = None
            if isinstance(code, str) and "://" not in code:
                folder = (base / code).resolve()
                code_dir = str(folder) if folder.is_dir() else None
            environment: dict[str, str] = {}
            if kind == SAM_FUNCTION:  # SAM merges Globals' variables under the function's own
                environment.update(self.function_environment(defaults.get("Environment"),
                                                             "/Globals/Function/Environment"))
            environment.update(self.function_environment(props.get("Environment"),
                                                         self.pointer(lid, "Properties", "Environment")))
            api.functions[lid] = LambdaFunction(
                lid, handler if isinstance(handler, str) else None, runtime if isinstance(runtime, str) else None,
                code_dir, source=self.ctx.source(self.pointer(lid)), environment=environment,
                timeout_seconds=self.function_timeout(merged.get("Timeout"), lid, "Timeout" in props))
        ev = self.ctx.evaluator
        for authorizer in api.authorizers.values():
            if not authorizer.is_lambda or authorizer.function_id:
                continue
            if ev is not None and authorizer.uri:
                found = [lid for lid in api.functions if _invokes(authorizer.uri, ev.physical(lid))]
                if found:
                    authorizer.function_id = found[0]
                    continue
            rendered = intrinsics.render(authorizer.uri_raw) if authorizer.uri_raw is not None else authorizer.uri
            for name in _FUNCTION_REFERENCE.findall(rendered or ""):
                if name in api.functions:
                    authorizer.function_id = name
                    break
        for method in api.methods.values():
            integration = method.integration
            if integration is None or not integration.is_lambda or not integration.uri:
                continue
            if ev is not None:  # the evaluated URI holds the function's ARN (or a name given as the URI's function)
                found = [lid for lid in api.functions if _invokes(integration.uri, ev.physical(lid))]
                if found:
                    integration.function_id = found[0]
                    continue
            rendered = intrinsics.render(integration.uri_raw) if integration.uri_raw is not None else integration.uri
            for name in _FUNCTION_REFERENCE.findall(rendered):
                if name in api.functions:
                    integration.function_id = name
                    break

    def function_timeout(self, value: Any, lid: str, own: bool) -> int:
        """``Timeout`` in seconds, 1 to 900 (Lambda's default, 3, when none is given)."""
        if value is None:
            return 3
        at = self.pointer(lid, "Properties", "Timeout") if own else "/Globals/Function/Timeout"
        seconds = as_string(self.ctx, value, at, integer=True)
        if seconds is None:
            return 3
        if not (seconds.isdigit() and 1 <= int(seconds) <= 900):
            self.ctx.report(at, f"a Lambda Timeout is 1 to 900 seconds, not {seconds!r}")
            return 3
        return int(seconds)

    def function_environment(self, value: Any, base: str) -> dict[str, str]:
        """``Environment: {Variables: {...}}`` as text, intrinsics evaluated."""
        table = as_mapping(self.ctx, value, base) if value is not None else None
        variables = as_mapping(self.ctx, (table or {}).get("Variables"), join_pointer(base, "Variables"))
        out: dict[str, str] = {}
        for name, item in (variables or {}).items():
            text = as_string(self.ctx, item, join_pointer(base, "Variables", name), symbolic=True)
            if text is not None:
                out[str(name)] = text
        return out

    # -- the stage: StageName and Variables ----------------------------------------

    def stage(self, api_id: str, api: ApiDefinition) -> None:
        """Carry the stage's name and variables, so ``$stageVariables`` works without flags.

        SAM declares them on ``AWS::Serverless::Api``; CloudFormation on the first
        ``AWS::ApiGateway::Stage`` of the API. A ``!Ref`` to a template parameter
        takes the parameter's ``Default``; other intrinsics stay symbolic text.
        """
        if api_id in self.resources and self.resources[api_id].get("Type") == SAM_API:
            owner: str | None = api_id
        else:
            owner = next((lid for lid, res in self.resources.items()
                          if res.get("Type") == STAGE and self.belongs(lid, api_id)), None)
            # else a Deployment that creates its stage (the Serverless Framework's way): StageName only
            owner = owner or next((lid for lid, res in self.resources.items()
                                   if res.get("Type") == DEPLOYMENT and self.belongs(lid, api_id)
                                   and "StageName" in self.props(lid)), None)
        if owner is None:
            return
        props = self.props(owner)
        at = lambda *t: self.pointer(owner, "Properties", *t)  # noqa: E731
        name = self.literal(props.get("StageName"), at("StageName"))
        if name is not None:
            api.stage_name = name
        variables = props.get("Variables")
        if isinstance(variables, dict):
            for key, value in variables.items():
                text = self.literal(value, at("Variables", str(key)))
                if text is not None:
                    api.stage_variables[str(key)] = text

    def literal(self, value: Any, pointer: str) -> str | None:
        """A scalar property as text; intrinsics are evaluated (without a stack, ``!Ref Param`` resolves to
        the parameter's Default and other intrinsics stay symbolic text)."""
        if value is None or isinstance(value, (dict, list)) and not intrinsics.is_symbolic(value):
            return None
        if self.ctx.evaluator is not None and intrinsics.is_symbolic(value):
            return self.ctx.evaluated_text(value, pointer)
        if isinstance(value, dict) and set(value) == {"Ref"} and isinstance(self.doc.data, dict):
            params = self.doc.data.get("Parameters")
            param = params.get(value["Ref"]) if isinstance(params, dict) else None
            if isinstance(param, dict) and "Default" in param and not isinstance(param["Default"], (dict, list)):
                return str(param["Default"])
        if isinstance(value, dict):
            return intrinsics.render(value)
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    # -- AWS::ApiGateway::* ---------------------------------------------------------

    def rest_api(self, api_id: str, api: ApiDefinition) -> None:
        props = self.props(api_id)
        at = lambda *t: self.pointer(api_id, "Properties", *t)  # noqa: E731
        api.name = as_string(self.ctx, props.get("Name"), at("Name"), symbolic=True)
        self.binary_media_types(props.get("BinaryMediaTypes"), at("BinaryMediaTypes"), api)
        config = as_mapping(self.ctx, props.get("EndpointConfiguration"), at("EndpointConfiguration"))
        if config is not None and "Types" in config:
            types = as_list(self.ctx, config["Types"], at("EndpointConfiguration", "Types")) or []
            if len(types) > 1:
                self.ctx.report(at("EndpointConfiguration", "Types"), "a REST API has one endpoint type, "
                                                                       f"got {len(types)}")
            elif types:
                chosen = as_enum(self.ctx, types[0], at("EndpointConfiguration", "Types", 0), ENDPOINT_TYPES,
                                 "endpoint type")
                api.endpoint_type = chosen or api.endpoint_type
        if "Body" in props:
            self.inline_openapi(props["Body"], at("Body"), api)
        elif "BodyS3Location" in props:
            self.s3_body(props["BodyS3Location"], at("BodyS3Location"), api)

        defined: dict[str, str] = {}
        for lid, res in self.resources.items():
            if res.get("Type") == RESOURCE and self.belongs(lid, api_id):
                path = self.resource_path(lid, api_id, [])
                if path is not None:
                    defined.setdefault(path, self.pointer(lid))
                    if path not in api.resource_paths:
                        api.resource_paths.append(path)
        check_resource_tree(self.ctx, defined)
        self._stage.read_resources()
        for lid, res in self.resources.items():
            if res.get("Type") == METHOD and self.belongs(lid, api_id):
                method = self.method(lid, api_id)
                if method is not None:
                    add_method(self.ctx, api.methods, method)
            elif res.get("Type") == GATEWAY_RESPONSE and self.belongs(lid, api_id):
                self.gateway_response(lid, api)

    def inline_openapi(self, body: Any, pointer: str, api: ApiDefinition) -> None:
        name = intrinsics.intrinsic_name(body)
        if name == "Fn::Transform":
            spec = body["Fn::Transform"] if isinstance(body["Fn::Transform"], dict) else {}
            parameters = spec.get("Parameters") if isinstance(spec.get("Parameters"), dict) else {}
            location = parameters.get("Location")
            transform = spec.get("Name")
            if transform == "AWS::Include":
                self.include(location, join_pointer(pointer, "Fn::Transform", "Parameters", "Location"), api)
                return
            self.ctx.fail(
                pointer,
                f"the {transform or 'Fn::Transform'} transform (Location: {intrinsics.render(location)}) is "
                "resolved by CloudFormation from S3 and is not supported offline: inline the OpenAPI document, "
                "or give it as a local file (SAM DefinitionUri: ./openapi.yaml)",
                UnsupportedDefinitionError,
            )
        if isinstance(body, str):
            self.ctx.fail(pointer, "an OpenAPI body given as a string is not supported: give it as a mapping",
                          UnsupportedDefinitionError)
        build_openapi(self.ctx.derive(cloudformation=False), body, pointer, api)

    def include(self, location: Any, pointer: str, api: ApiDefinition) -> None:
        """``AWS::Include`` of a local OpenAPI file: inlined, its intrinsics evaluated against the same stack.

        ``sam deploy`` and ``aws cloudformation package`` upload a local ``Location`` and CloudFormation
        inlines it, so a path relative to the template is what users write; an S3 or HTTPS location
        cannot be read offline.
        """
        ctx = self.ctx
        if location is None:
            ctx.fail(pointer.rsplit("/", 1)[0], "AWS::Include needs Parameters: {Location: <file>}")
        where = location
        if intrinsics.is_symbolic(location) and ctx.evaluator is not None:
            where = ctx.evaluated_text(location, pointer)
        if not isinstance(where, str) or not where:
            ctx.fail(pointer, f"AWS::Include Location must be a file path, got {describe(location)}")
        if where.startswith(("s3://", "https://", "http://")):
            ctx.fail(pointer, f"AWS::Include from {where} cannot be read offline: give the file's local path, "
                              "relative to the template (Location: ./openapi.yaml), as sam deploy and aws "
                              "cloudformation package upload it for you", UnsupportedDefinitionError)
        path = (self.doc.path.parent / where)
        if not path.is_file():
            ctx.fail(pointer, f"AWS::Include Location {where!r}: no such file ({path})")
        doc = load_document(path, yaml11=True)
        api.included_files.append(str(path))
        included = ctx.derive(doc, cloudformation=False)
        included.intrinsics = True  # CloudFormation evaluates what it includes
        build_openapi(included, doc.data, "", api)

    def s3_body(self, location: Any, pointer: str, api: ApiDefinition) -> None:
        """A body on S3 can only be read when it is a CDK asset staged next to the template."""
        key = location.get("Key") if isinstance(location, dict) else None
        if isinstance(key, str):
            asset = self.doc.path.parent / f"asset.{key}"
            if asset.is_file():
                self.external_openapi(asset, api)
                return
        self.ctx.fail(pointer, "a definition stored on S3 cannot be read offline: inline it (Body) or load the "
                               "OpenAPI file itself", UnsupportedDefinitionError)

    def external_openapi(self, path: Path, api: ApiDefinition) -> None:
        doc = load_document(path, yaml11=True)
        api.included_files.append(str(path))
        build_openapi(self.ctx.derive(doc, cloudformation=False), doc.data, "", api)

    def binary_media_types(self, value: Any, pointer: str, api: ApiDefinition) -> None:
        for index, item in enumerate(as_list(self.ctx, value, pointer) or []):
            text = as_string(self.ctx, item, join_pointer(pointer, index))
            if text is not None:
                media = text.replace("~1", "/")  # SAM documents ~1 for /
                if media not in api.binary_media_types:
                    api.binary_media_types.append(media)

    def resource_path(self, lid: str, api_id: str, chain: list[str]) -> str | None:
        """Rebuild a resource's path from its ParentId chain."""
        if lid in self._paths:
            return self._paths[lid]
        if lid in chain:
            self.ctx.report(self.pointer(lid, "Properties", "ParentId"),
                            "ParentId chain loops: " + " -> ".join(chain + [lid]))
            return None
        props = self.props(lid)
        parent_pointer = self.pointer(lid, "Properties", "ParentId")
        parent = self.parent_path(props.get("ParentId"), parent_pointer, api_id, chain + [lid])
        part_pointer = self.pointer(lid, "Properties", "PathPart")
        part = as_string(self.ctx, props.get("PathPart"), part_pointer)
        path = None
        if part is None and "PathPart" not in props:
            self.ctx.report(self.pointer(lid, "Properties"), "missing required key 'PathPart'")
        elif parent is not None and part is not None and check_path_part(self.ctx, part, part_pointer):
            path = normalise_path(f"{parent.rstrip('/')}/{part}")
        self._paths[lid] = path
        return path

    def parent_path(self, value: Any, pointer: str, api_id: str, chain: list[str]) -> str | None:
        """The path a ``ParentId``/``ResourceId`` designates."""
        if value is None:
            self.ctx.report(pointer.rsplit("/", 1)[0], f"missing required key {pointer.rsplit('/', 1)[1]!r}")
            return None
        if _ref_target(value, "RootResourceId") == api_id and intrinsics.intrinsic_name(value) == "Fn::GetAtt":
            return "/"
        target = _ref_target(value, "ResourceId")
        if target is not None and self.resources.get(target, {}).get("Type") == RESOURCE:
            return self.resource_path(target, api_id, chain)
        self.ctx.report(
            pointer,
            f"cannot resolve this resource id ({describe(value)}): expected !GetAtt {api_id}.RootResourceId "
            f"or !Ref to an {RESOURCE} of this API",
        )
        return None

    def method(self, lid: str, api_id: str) -> Method | None:
        ctx = self.ctx
        props = self.props(lid)
        at = lambda *t: self.pointer(lid, "Properties", *t)  # noqa: E731
        path = self.parent_path(props.get("ResourceId"), at("ResourceId"), api_id, [])
        if "HttpMethod" not in props:
            ctx.report(at(), "missing required key 'HttpMethod'")
            return None
        verb = as_enum(ctx, props["HttpMethod"], at("HttpMethod"), HTTP_METHODS, "HTTP method")
        if path is None or verb is None:
            return None
        method = Method(verb, path, source=ctx.source(self.pointer(lid)))
        method.operation_id = as_string(ctx, props.get("OperationName"), at("OperationName"), symbolic=True)
        method.request_parameters = bool_map(ctx, props.get("RequestParameters"), at("RequestParameters"),
                                             method.sources, "request_parameters")
        method.sources["http_method"] = ctx.source(at("HttpMethod"))
        for index, item in enumerate(as_list(ctx, props.get("MethodResponses"), at("MethodResponses")) or []):
            declared = self.method_response(item, at("MethodResponses", index))
            if declared is None:
                continue
            if declared.status_code in method.method_responses:
                ctx.report(at("MethodResponses", index, "StatusCode"),
                           f"method response {declared.status_code} is declared twice")
                continue
            method.method_responses[declared.status_code] = declared
        spec = as_mapping(ctx, props.get("Integration"), at("Integration"))
        if spec is not None:
            check_keys(ctx, spec, at("Integration"), CLOUDFORMATION_INTEGRATION)
            method.integration = self.integration(spec, at("Integration"))
            proxy_leftovers(ctx, method, at("Integration"), PASCAL)
        if self._stage is not None:
            self._stage.method(method, props, at)  # validator, request models, API key (docs/method-request.md)
        return method

    def method_response(self, value: Any, pointer: str) -> MethodResponse | None:
        item = as_mapping(self.ctx, value, pointer, allow_none=False)
        if item is None:
            return None
        if item.get("StatusCode") is None:
            self.ctx.report(pointer, "missing required key 'StatusCode'")
            return None
        status = as_status_code(self.ctx, item["StatusCode"], join_pointer(pointer, "StatusCode"))
        if status is None:
            return None
        declared = MethodResponse(status, source=self.ctx.source(pointer))
        declared.sources["status_code"] = self.ctx.source(join_pointer(pointer, "StatusCode"))
        declared.response_parameters = bool_map(self.ctx, item.get("ResponseParameters"),
                                                join_pointer(pointer, "ResponseParameters"), declared.sources,
                                                "response_parameters")
        models_pointer = join_pointer(pointer, "ResponseModels")
        for media_type, model in (as_mapping(self.ctx, item.get("ResponseModels"), models_pointer) or {}).items():
            if not is_media_type(media_type):
                self.ctx.report(join_pointer(models_pointer, media_type),
                                f"Invalid content type specified: {media_type!r}")
            declared.response_models[media_type] = as_string(
                self.ctx, model, join_pointer(models_pointer, media_type), symbolic=True)
        return declared

    def integration(self, spec: dict[str, Any], pointer: str) -> Integration:
        ctx = self.ctx
        integration = build_integration(ctx, spec, pointer, PASCAL)
        responses_pointer = join_pointer(pointer, "IntegrationResponses")
        for index, item in enumerate(as_list(ctx, spec.get("IntegrationResponses"), responses_pointer) or []):
            item_pointer = join_pointer(responses_pointer, index)
            item_map = as_mapping(ctx, item, item_pointer, allow_none=False)
            if item_map is None:
                continue
            check_keys(ctx, item_map, item_pointer, CLOUDFORMATION_INTEGRATION_RESPONSE)
            pattern_pointer = join_pointer(item_pointer, "SelectionPattern")
            raw_pattern = item_map.get("SelectionPattern")
            if isinstance(raw_pattern, (dict, list)) and not intrinsics.intrinsic_name(raw_pattern):
                ctx.report(pattern_pointer, f"expected a string, got {describe(raw_pattern)}")
                continue
            pattern = as_string(ctx, raw_pattern, pattern_pointer)
            if raw_pattern is not None and pattern is None:
                continue
            add_integration_response(
                ctx, integration, build_integration_response(ctx, item_map, item_pointer, PASCAL, pattern)
            )
        return integration

    def gateway_response(self, lid: str, api: ApiDefinition) -> None:
        ctx = self.ctx
        props = self.props(lid)
        at = lambda *t: self.pointer(lid, "Properties", *t)  # noqa: E731
        if props.get("ResponseType") is None:
            ctx.report(at(), "missing required key 'ResponseType'")
            return
        kind = as_enum(ctx, props["ResponseType"], at("ResponseType"), GATEWAY_RESPONSE_TYPES,
                       "gateway response type")
        if kind is None:
            return
        response = GatewayResponse(kind, source=ctx.source(self.pointer(lid)))
        if props.get("StatusCode") is not None:
            response.status_code = as_status_code(ctx, props["StatusCode"], at("StatusCode"))
            response.sources["status_code"] = ctx.source(at("StatusCode"))
        response.response_parameters = string_map(ctx, props.get("ResponseParameters"), at("ResponseParameters"),
                                                  response.sources, "response_parameters")
        response.response_templates = templates(ctx, props.get("ResponseTemplates"), at("ResponseTemplates"))
        self.add_gateway_response(response, api)

    def add_gateway_response(self, response: GatewayResponse, api: ApiDefinition) -> None:
        if response.response_type in api.gateway_responses:
            self.ctx.report(response.source.pointer if response.source else "",
                            f"gateway response {response.response_type} is defined twice")
            return
        api.gateway_responses[response.response_type] = response

    # -- SAM ------------------------------------------------------------------------

    def sam_api(self, api_id: str, api: ApiDefinition) -> None:
        ctx = self.ctx
        props = self.props(api_id)
        at = lambda *t: self.pointer(api_id, "Properties", *t)  # noqa: E731
        api.name = as_string(ctx, props.get("Name"), at("Name"), symbolic=True)
        if "DefinitionBody" in props:
            self.inline_openapi(props["DefinitionBody"], at("DefinitionBody"), api)
        elif "DefinitionUri" in props:
            uri = props["DefinitionUri"]
            if isinstance(uri, str) and not uri.startswith("s3://"):
                local = (self.doc.path.parent / uri)
                if not local.is_file():
                    ctx.fail(at("DefinitionUri"), f"DefinitionUri file not found: {local}")
                self.external_openapi(local, api)
            else:
                ctx.fail(at("DefinitionUri"), "a definition stored on S3 cannot be read offline: use a local "
                                              "DefinitionUri file or an inline DefinitionBody",
                         UnsupportedDefinitionError)
        self.binary_media_types(props.get("BinaryMediaTypes"), at("BinaryMediaTypes"), api)
        self.sam_endpoint_type(props, at, api)
        self.sam_gateway_responses(props.get("GatewayResponses"), at("GatewayResponses"), api)
        if self._stage is not None:
            self._stage.sam_models()
            self._stage.read_resources()

    def sam_endpoint_type(self, props: dict[str, Any], at: Any, api: ApiDefinition) -> None:
        """SAM's ``EndpointConfiguration``: ``REGIONAL``, or ``{Type: REGIONAL}``, the Api Globals' as default."""
        pointer = at("EndpointConfiguration")
        value = props.get("EndpointConfiguration")
        if value is None:
            data = self.doc.data if isinstance(self.doc.data, dict) else {}
            globals_api = data.get("Globals", {}).get("Api") if isinstance(data.get("Globals"), dict) else None
            if isinstance(globals_api, dict) and "EndpointConfiguration" in globals_api:
                value, pointer = globals_api["EndpointConfiguration"], "/Globals/Api/EndpointConfiguration"
        if isinstance(value, dict) and not intrinsics.intrinsic_name(value):
            value, pointer = value.get("Type"), join_pointer(pointer, "Type")
        if value is not None:
            api.endpoint_type = as_enum(self.ctx, value, pointer, ENDPOINT_TYPES, "endpoint type") or api.endpoint_type

    def sam_gateway_responses(self, value: Any, pointer: str, api: ApiDefinition) -> None:
        """SAM's shape: ``ResponseParameters: {Headers, Paths, QueryStrings}``."""
        ctx = self.ctx
        for kind, spec in (as_mapping(ctx, value, pointer) or {}).items():
            child = join_pointer(pointer, kind)
            if kind not in GATEWAY_RESPONSE_TYPES:
                ctx.report(child, f"unknown gateway response type {kind!r}")
                continue
            spec_map = as_mapping(ctx, spec, child) or {}
            response = GatewayResponse(kind, source=ctx.source(child))
            if spec_map.get("StatusCode") is not None:
                response.status_code = as_status_code(ctx, spec_map["StatusCode"], join_pointer(child, "StatusCode"))
            params_pointer = join_pointer(child, "ResponseParameters")
            params = as_mapping(ctx, spec_map.get("ResponseParameters"), params_pointer) or {}
            for group, location in (("Headers", "header"), ("Paths", "path"), ("QueryStrings", "querystring")):
                group_pointer = join_pointer(params_pointer, group)
                mapped = string_map(ctx, params.get(group), group_pointer)
                for name, expression in mapped.items():
                    key = f"gatewayresponse.{location}.{name}"
                    response.response_parameters[key] = expression
                    response.sources[f"response_parameters.{key}"] = ctx.source(join_pointer(group_pointer, name))
            response.response_templates = templates(ctx, spec_map.get("ResponseTemplates"),
                                                    join_pointer(child, "ResponseTemplates"))
            self.add_gateway_response(response, api)

    def sam_auth(self, api_id: str, method: Method, props: dict[str, Any], pointer: str) -> None:
        """A SAM ``Auth``: the event's authorizer, else the API's default; API keys; models and parameters."""
        api_auth = self.props(api_id).get("Auth") if api_id in self.resources else None
        api_auth = api_auth if isinstance(api_auth, dict) else {}
        if self._stage is not None:
            self._stage.sam_authorization(method, props, pointer, api_auth)
            self._stage.sam_event(method, props, pointer, api_auth)  # models, parameters, API key

    def sam_events(self, api_id: str, api: ApiDefinition) -> None:
        """Lambda proxy methods SAM adds for ``Api`` events (unless the body already defines them)."""
        ctx = self.ctx
        for function_id, event_name, event_api, props in _api_events(self.resources):
            if (event_api or IMPLICIT_API) != api_id:
                continue
            pointer = self.pointer(function_id, "Properties", "Events", event_name, "Properties")
            path = as_string(ctx, props.get("Path"), join_pointer(pointer, "Path"))
            verb = as_string(ctx, props.get("Method"), join_pointer(pointer, "Method"))
            if path is None or verb is None:
                ctx.report(pointer, "an Api event needs 'Path' and 'Method'")
                continue
            verb = "ANY" if verb.lower() in ("any", "x-amazon-apigateway-any-method") else verb.upper()
            if verb not in HTTP_METHODS:
                ctx.report(join_pointer(pointer, "Method"), f"unknown HTTP method {verb!r}")
                continue
            path = normalise_path(path)
            if (verb, path) in api.methods:
                continue
            uri_raw = {
                "Fn::Sub": "arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/"
                f"${{{function_id}.Arn}}/invocations"
            }
            uri = ctx.evaluated_text(uri_raw, pointer) if ctx.evaluator is not None else None
            integration = Integration(
                type="AWS_PROXY",
                uri=uri or intrinsics.render(uri_raw),
                http_method="POST",
                uri_raw=uri_raw,
                source=ctx.source(pointer),
            )
            method = Method(verb, path, integration=integration, source=ctx.source(pointer))
            self.sam_auth(api_id, method, props, pointer)
            api.methods[(verb, path)] = method
            parts = [p for p in path.split("/") if p]
            for index in range(len(parts) + 1):
                ancestor = "/" + "/".join(parts[:index])
                if ancestor not in api.resource_paths:
                    api.resource_paths.append(ancestor)
