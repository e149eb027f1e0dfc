"""Terraform: the JSON ``terraform show -json`` prints for a saved plan or for state.

A plan (``terraform show -json plan.out``) gives ``planned_values.root_module``,
whose values omit what is only known after apply, ``resource_changes`` (whose
``after_unknown`` says which values those are) and ``configuration``, whose
``expressions`` name what each attribute refers to. State (``terraform show
-json``) gives ``values.root_module`` with every id filled in. Modules nest
under ``child_modules`` (values) and ``module_calls`` (configuration).

Read, for each ``aws_api_gateway_rest_api``:

* its ``body`` (an OpenAPI document as a JSON or YAML string), or that of the
  ``aws_api_gateway_rest_api_put`` for it, built by the OpenAPI reader, with
  ``name`` and ``binary_media_types``;
* ``aws_api_gateway_resource`` (the path rebuilt from the ``parent_id`` chain,
  ``root_resource_id`` being ``/``; state's computed ``path`` when the chain
  leaves the file), ``aws_api_gateway_method``, ``aws_api_gateway_integration``,
  ``aws_api_gateway_integration_response``, ``aws_api_gateway_method_response``,
  ``aws_api_gateway_gateway_response`` and the first ``aws_api_gateway_stage``
  (its name and variables);
* the method request stage: ``aws_api_gateway_authorizer``, ``_request_validator``, ``_model``, the
  methods' ``authorization``, ``api_key_required``, ``request_validator_id`` and ``request_models``,
  ``api_key_source``, and the file's ``aws_api_gateway_api_key`` resources (:mod:`.terraform_stage`).

Resources are linked by id when the id is known (state, or a plan updating
existing resources), else by the configuration's references (``rest_api_id =
aws_api_gateway_rest_api.orders.id``). An integration ``uri`` that is unknown
in a plan (a Lambda's ``invoke_arn``) is kept as a readable placeholder and
reported as not emulated; other unknown values that decide behaviour are
reported as problems, at the JSON pointer of the value in the Terraform file.
Integration responses keep the order Terraform prints them in (by address).

Each ``aws_lambda_function`` becomes a :class:`LambdaFunction` keyed by its address (handler, runtime,
``timeout``, ``environment[0].variables``), and an integration whose ``uri`` refers to its
``invoke_arn`` (or, in state, holds its ARN) names it, so that ``invoke`` runs a Python function
in-process as it does a SAM one. Its code folder is the ``source_dir`` (or ``source_file``'s folder)
of the ``data.archive_file`` whose ``output_path`` is the function's ``filename``: a plan prints the
archive, read while planning, in ``prior_state``; otherwise the configuration's constants are used.
Relative paths are taken from the folder of the JSON file, where ``terraform`` is assumed to have run.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vtlgw.apigw.http.endpoint import ENDPOINT_TYPES

from .common import (
    Context,
    Keys,
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
    is_media_type,
    normalise_path,
    not_emulated,
    proxy_leftovers,
    string_map,
    templates,
)
from .errors import AmbiguousApiError, DefinitionError, UnsupportedDefinitionError
from .model import (
    GATEWAY_RESPONSE_TYPES,
    HTTP_METHODS,
    ApiDefinition,
    GatewayResponse,
    LambdaFunction,
    Method,
    MethodResponse,
)
from .openapi import build_openapi
from .terraform_stage import AUTHORIZER, MODEL, REQUEST_VALIDATOR, TerraformStage
from .yamlload import Document, join_pointer, parse_document

REST_API = "aws_api_gateway_rest_api"
REST_API_PUT = "aws_api_gateway_rest_api_put"
RESOURCE = "aws_api_gateway_resource"
METHOD = "aws_api_gateway_method"
INTEGRATION = "aws_api_gateway_integration"
INTEGRATION_RESPONSE = "aws_api_gateway_integration_response"
METHOD_RESPONSE = "aws_api_gateway_method_response"
GATEWAY_RESPONSE = "aws_api_gateway_gateway_response"
STAGE = "aws_api_gateway_stage"
LAMBDA_FUNCTION = "aws_lambda_function"
ARCHIVE_FILE = "archive_file"  # the hashicorp/archive provider's data source that zips a function's code
LAMBDA_DEFAULT_TIMEOUT = 3  # seconds: the AWS provider's default for aws_lambda_function.timeout
#: The attributes of a function an integration's uri names it by (its invocation URI, or its ARN written into one).
_INVOKING = ("invoke_arn", "qualified_invoke_arn", "arn", "qualified_arn")

#: How the AWS provider names the integration fields (its docs: aws_api_gateway_integration and
#: aws_api_gateway_integration_response).
TERRAFORM = Keys(
    "type", "uri", "integration_http_method", "request_templates", "request_parameters", "passthrough_behavior",
    "content_handling", "timeout_milliseconds", "credentials", "connection_type", "cache_key_parameters",
    "status_code", "selection_pattern", "response_parameters", "response_templates",
)

#: ``aws_lambda_function.orders.invoke_arn`` (or an alias's): the URI is that function's invocation.
_INVOKE_ARN = re.compile(r"(aws_lambda_(?:function|alias)\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?)\.(?:qualified_)?invoke_arn\Z")
#: ``.../functions/${aws_lambda_function.orders.arn}/invocations`` written out: the function's ARN in the URI.
_FUNCTION_ARN = re.compile(r"(aws_lambda_(?:function|alias)\.[A-Za-z0-9_-]+(?:\[[^\]]*\])?)\.(?:qualified_)?arn\Z")
#: A reference to a managed resource: ``type.name``, an optional ``[key]``, an optional ``.attribute``.
_REFERENCE = re.compile(r"(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(\[[^\]]*\])?(?:\.([a-z_]+))?\Z")
_INSTANCE_KEY = re.compile(r"\[[^\]]*\]")
#: A reference to a data source's attribute: ``data.archive_file.orders.output_path``.
_DATA_REFERENCE = re.compile(r"data\.([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.([a-z0-9_]+)\Z")


def is_terraform(data: Any) -> bool:
    """Whether ``data`` is what ``terraform show -json`` prints (a plan or a state)."""
    return isinstance(data, dict) and isinstance(data.get("format_version"), str) and (
        isinstance(data.get("planned_values"), dict) or isinstance(data.get("values"), dict)
        or isinstance(data.get("terraform_version"), str)
    )


@dataclass
class _Instance:
    """One resource instance of the plan or state, with where its parts sit in the file."""

    address: str
    type: str
    name: str
    index: Any
    module: str  # the module instance address, "" for the root module
    values: dict[str, Any]
    pointer: str  # of the resource object; its values are at <pointer>/values
    unknown: dict[str, Any] = field(default_factory=dict)
    unknown_pointer: str | None = None
    config: dict[str, Any] | None = None
    config_pointer: str | None = None

    def at(self, *tokens: str | int) -> str:
        return join_pointer(self.pointer, "values", *tokens)

    def is_unknown(self, attribute: str) -> bool:
        return self.unknown.get(attribute) is True and self.values.get(attribute) is None

    def expression(self, attribute: str) -> dict[str, Any]:
        expressions = self.config.get("expressions") if isinstance(self.config, dict) else None
        expression = expressions.get(attribute) if isinstance(expressions, dict) else None
        return expression if isinstance(expression, dict) else {}

    def references(self, attribute: str) -> list[str]:
        refs = self.expression(attribute).get("references")
        return [r for r in refs if isinstance(r, str)] if isinstance(refs, list) else []

    def shown_references(self, attribute: str) -> str:
        """The references of ``attribute`` for a message: Terraform also lists each one's resource; drop those."""
        refs = self.references(attribute)
        return ", ".join(r for r in refs if not any(o != r and o.startswith(r + ".") for o in refs))

    def expression_pointer(self, attribute: str) -> str | None:
        if self.config_pointer is None or not self.expression(attribute):
            return None
        return join_pointer(self.config_pointer, "expressions", attribute)


class TerraformFile:
    """The resource instances of one ``terraform show -json`` document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        data = doc.data if isinstance(doc.data, dict) else {}
        self.is_plan = isinstance(data.get("planned_values"), dict)
        self.instances: list[_Instance] = []
        root_key = "planned_values" if self.is_plan else "values"
        root = data.get(root_key, {}).get("root_module") if isinstance(data.get(root_key), dict) else None
        #: Data sources (``data.archive_file.X``): a plan reads most while planning and prints them in
        #: ``prior_state``; one deferred to apply is in ``planned_values`` with what is known of it.
        self.data: dict[str, _Instance] = {}
        if isinstance(root, dict):
            self._walk(root, join_pointer("", root_key, "root_module"), "")
        prior = data.get("prior_state", {}).get("values") if isinstance(data.get("prior_state"), dict) else None
        if self.is_plan and isinstance(prior, dict) and isinstance(prior.get("root_module"), dict):
            self._walk(prior["root_module"], "/prior_state/values/root_module", "", only_data=True)
        self._changes(data.get("resource_changes"))
        configuration = data.get("configuration")
        self.config: dict[tuple[str, ...], dict[str, tuple[dict[str, Any], str]]] = {}
        #: The folder of each module, relative to the root module's (a local ``source`` of a module call).
        self.module_dirs: dict[tuple[str, ...], str | None] = {(): "."}
        if isinstance(configuration, dict) and isinstance(configuration.get("root_module"), dict):
            self._config_module(configuration["root_module"], "/configuration/root_module", ())
        self._configured_data()
        data_sources = set(map(id, self.data.values()))
        for instance in [*self.instances, *self.data.values()]:
            key = ("data." if id(instance) in data_sources else "") + f"{instance.type}.{instance.name}"
            found = self.config.get(_config_path(instance.module), {}).get(key)
            if found is not None:
                instance.config, instance.config_pointer = found
        self.region = _provider_region(configuration)

    def _walk(self, module: dict[str, Any], pointer: str, address: str, *, only_data: bool = False) -> None:
        resources = module.get("resources")
        for index, item in enumerate(resources if isinstance(resources, list) else []):
            mode = item.get("mode", "managed") if isinstance(item, dict) else None
            if mode not in (("data",) if only_data else ("managed", "data")):
                continue
            kind, name, full = item.get("type"), item.get("name"), item.get("address")
            if not (isinstance(kind, str) and isinstance(name, str) and isinstance(full, str)):
                continue
            values = item.get("values") if isinstance(item.get("values"), dict) else {}
            instance = _Instance(full, kind, name, item.get("index"), address, values,
                                 join_pointer(pointer, "resources", index))
            if mode == "data":
                self.data[full] = instance  # prior_state comes second: its values are the ones read
            else:
                self.instances.append(instance)
        children = module.get("child_modules")
        for index, child in enumerate(children if isinstance(children, list) else []):
            if isinstance(child, dict) and isinstance(child.get("address"), str):
                self._walk(child, join_pointer(pointer, "child_modules", index), child["address"],
                           only_data=only_data)

    def _changes(self, changes: Any) -> None:
        by_address = {i.address: i for i in self.instances}
        for index, change in enumerate(changes if isinstance(changes, list) else []):
            if not isinstance(change, dict) or not isinstance(change.get("change"), dict):
                continue
            address = change.get("address")
            instance = by_address.get(address) if isinstance(address, str) else None
            unknown = change["change"].get("after_unknown")
            if instance is not None and isinstance(unknown, dict):
                instance.unknown = unknown
                instance.unknown_pointer = join_pointer("/resource_changes", index, "change", "after_unknown")

    def _config_module(self, module: dict[str, Any], pointer: str, path: tuple[str, ...]) -> None:
        table = self.config.setdefault(path, {})
        resources = module.get("resources")
        for index, item in enumerate(resources if isinstance(resources, list) else []):
            if (isinstance(item, dict) and isinstance(item.get("address"), str)
                    and item.get("mode", "managed") in ("managed", "data")):
                table[item["address"]] = (item, join_pointer(pointer, "resources", index))
        calls = module.get("module_calls")
        for name, call in (calls.items() if isinstance(calls, dict) else ()):
            if isinstance(call, dict) and isinstance(call.get("module"), dict):
                source, parent = call.get("source"), self.module_dirs.get(path)
                local = isinstance(source, str) and source.startswith(("./", "../")) and parent is not None
                self.module_dirs[path + (name,)] = os.path.normpath(os.path.join(parent, source)) if local else None
                self._config_module(call["module"], join_pointer(pointer, "module_calls", name, "module"),
                                    path + (name,))

    def _configured_data(self) -> None:
        """Data sources the configuration declares but neither prior_state nor planned_values prints.

        Their configuration (``source_dir = "src"``) is then all there is to go by.
        """
        printed = {(_config_path(i.module), i.type, i.name) for i in self.data.values()}
        for path, table in self.config.items():
            for address, (item, pointer) in table.items():
                kind, name = item.get("type"), item.get("name")
                if (not address.startswith("data.") or not isinstance(kind, str) or not isinstance(name, str)
                        or (path, kind, name) in printed):
                    continue
                module = ".".join(f"module.{part}" for part in path)
                full = f"{module}.{address}" if module else address
                self.data[full] = _Instance(full, kind, name, None, module, {}, pointer)

    def rest_apis(self) -> list[_Instance]:
        return [i for i in self.instances if i.type == REST_API]

    def of_type(self, kind: str) -> list[_Instance]:
        return [i for i in self.instances if i.type == kind]


def _config_path(module_address: str) -> tuple[str, ...]:
    """``module.api[0].module.inner`` -> ``("api", "inner")``: the configuration's module path."""
    if not module_address:
        return ()
    bare = _INSTANCE_KEY.sub("", module_address)
    parts = bare.split(".")
    return tuple(parts[i + 1] for i in range(0, len(parts) - 1, 2) if parts[i] == "module")


def _provider_region(configuration: Any) -> str | None:
    providers = configuration.get("provider_config") if isinstance(configuration, dict) else None
    for provider in (providers.values() if isinstance(providers, dict) else ()):
        if isinstance(provider, dict) and provider.get("name") == "aws":
            region = provider.get("expressions", {}).get("region") if isinstance(provider.get("expressions"),
                                                                                 dict) else None
            if isinstance(region, dict) and isinstance(region.get("constant_value"), str):
                return region["constant_value"]
    return None


def list_apis(doc: Document) -> list[str]:
    """The addresses of the REST APIs of a plan or state, in file order."""
    return [i.address for i in TerraformFile(doc).rest_apis()]


def build_terraform(ctx: Context, api: str | None = None) -> ApiDefinition:
    """Load one ``aws_api_gateway_rest_api`` of a plan or state (chosen by its address) into the model."""
    tf = TerraformFile(ctx.doc)
    candidates = tf.rest_apis()
    what = "plan" if tf.is_plan else "state"
    if api is not None:
        chosen = [c for c in candidates if c.address == api]
        if not chosen:
            listing = ", ".join(c.address for c in candidates) or "none"
            raise DefinitionError(f"no REST API {api!r} in this Terraform {what}; APIs: {listing}",
                                  file=ctx.doc.name)
        candidates = chosen
    if not candidates:
        raise DefinitionError(f"no REST API found in this Terraform {what} (no {REST_API} resource)",
                              file=ctx.doc.name)
    if len(candidates) > 1:
        raise AmbiguousApiError(
            "several REST APIs are defined; choose one with api=<Terraform address>: "
            + ", ".join(c.address for c in candidates),
            candidates=[c.address for c in candidates],
            file=ctx.doc.name,
        )
    return _Reader(ctx, tf, candidates[0]).read()


# ---------------------------------------------------------------------------
# The OpenAPI body


class _BodyDocument(Document):
    """The OpenAPI text of a rest_api's ``body``.

    Its problems are raised at the ``body`` attribute of the Terraform file (so
    the location is a real place in a real file), their message naming the
    rest_api and the pointer inside the OpenAPI document.
    """

    outer: Document
    outer_pointer: str
    address: str

    def error(self, pointer: str, message: str, cls: type[DefinitionError] = DefinitionError) -> DefinitionError:
        return _body_error(self.outer, self.outer_pointer, self.address, pointer, self.position(pointer), message,
                           cls)


def _body_error(outer: Document, outer_pointer: str, address: str, inner: str | None, position: Any,
                message: str, cls: type[DefinitionError] = DefinitionError) -> DefinitionError:
    where = f", at {inner or '/'}" if inner is not None else ""
    if position is not None:
        where += f" (line {position.line}:{position.column} of the body)"
    return outer.error(outer_pointer, f"the OpenAPI body of {address}{where}: {message}", cls)


def _body_document(outer: Document, pointer: str, address: str, text: str) -> _BodyDocument:
    name = f"{outer.name} ({address}.body)"
    try:
        parsed = parse_document(text, name=name, syntax="json" if text.lstrip()[:1] == "{" else "yaml",
                                yaml11=False)
    except DefinitionError as exc:
        position = _Position(exc.line, exc.column) if exc.line is not None else None
        raise _body_error(outer, pointer, address, None, position, exc.message, type(exc)) from None
    doc = _BodyDocument(**{k: getattr(parsed, k) for k in parsed.__dataclass_fields__})
    doc.outer, doc.outer_pointer, doc.address = outer, pointer, address
    doc.duplicates = [
        _body_error(outer, pointer, address, d.pointer, _Position(d.line, d.column) if d.line else None, d.message)
        for d in parsed.duplicates
    ]
    return doc


@dataclass(frozen=True)
class _Position:
    line: int | None
    column: int | None


# ---------------------------------------------------------------------------
# Resources


class _Reader:
    def __init__(self, ctx: Context, tf: TerraformFile, rest_api: _Instance) -> None:
        self.ctx = ctx
        self.tf = tf
        self.rest_api = rest_api
        self._paths: dict[str, str | None] = {}
        self._ids: dict[str, tuple[_Instance, str]] = {}
        self._named: dict[tuple[str, str, str], list[_Instance]] = {}
        self._stage: TerraformStage | None = None  # authorizers, validators, models, API keys (method-request.md)
        for instance in tf.instances:
            self._named.setdefault((instance.module, instance.type, instance.name), []).append(instance)
            for attribute in ("id", "root_resource_id") if instance.type == REST_API else ("id",):
                value = instance.values.get(attribute)
                if isinstance(value, str) and value:
                    self._ids.setdefault(value, (instance, attribute))

    def read(self) -> ApiDefinition:
        ctx, rest = self.ctx, self.rest_api
        api = ApiDefinition(source_file=ctx.doc.name, format="terraform", api_id=rest.address,
                            source=ctx.source(rest.pointer))
        api.problems = ctx.problems
        api.name = as_string(ctx, rest.values.get("name"), rest.at("name"))
        for index, item in enumerate(as_list(ctx, rest.values.get("binary_media_types"),
                                             rest.at("binary_media_types")) or []):
            text = as_string(ctx, item, rest.at("binary_media_types", index))
            if text and text not in api.binary_media_types:
                api.binary_media_types.append(text)
        self.endpoint_type(api)
        self.body(api)
        self.orphans()
        self._stage = TerraformStage(self, api)
        self._stage.read_resources()
        mine = lambda kind: [i for i in self.tf.of_type(kind) if self.belongs(i)]  # noqa: E731
        defined: dict[str, str] = {}
        for instance in mine(RESOURCE):
            path = self.resource_path(instance, [])
            if path is not None:
                defined.setdefault(path, instance.pointer)
                if path not in api.resource_paths:
                    api.resource_paths.append(path)
        check_resource_tree(ctx, defined)
        built: list[Method] = []
        for instance in mine(METHOD):
            method = self.method(instance)
            if method is not None and method.key not in api.methods:
                built.append(method)
            if method is not None:
                add_method(ctx, api.methods, method)
        for instance in mine(METHOD_RESPONSE):
            self.method_response(instance, api)
        for instance in mine(INTEGRATION):
            self.integration(instance, api)
        for instance in mine(INTEGRATION_RESPONSE):
            self.integration_response(instance, api)
        for method in built:
            if method.integration is not None and method.integration.source is not None:
                proxy_leftovers(ctx, method, method.integration.source.pointer, TERRAFORM)
        for instance in mine(GATEWAY_RESPONSE):
            self.gateway_response(instance, api)
        stages = mine(STAGE)
        if stages:
            self.stage(stages[0], api)
        self.functions(api)
        if "/" not in api.resource_paths:
            api.resource_paths.insert(0, "/")
        return api

    def orphans(self) -> None:
        """API Gateway resources whose ``rest_api_id`` names no REST API of the file would be lost silently."""
        kinds = (REST_API_PUT, RESOURCE, METHOD, INTEGRATION, INTEGRATION_RESPONSE, METHOD_RESPONSE,
                 GATEWAY_RESPONSE, STAGE, AUTHORIZER, REQUEST_VALIDATOR, MODEL)
        for instance in self.tf.instances:
            if instance.type in kinds and self.link(instance, "rest_api_id") is None:
                self.unresolved(instance, "rest_api_id", f"an {REST_API} of this file")

    # -- linking --------------------------------------------------------------------

    def link(self, instance: _Instance, attribute: str) -> tuple[_Instance, str] | None:
        """What ``attribute`` (an id) of ``instance`` designates: a known id, else the configuration's reference."""
        value = instance.values.get(attribute)
        if isinstance(value, str) and value in self._ids:
            return self._ids[value]
        if isinstance(value, str) and value and not instance.is_unknown(attribute):
            return None
        for reference in instance.references(attribute):
            target = self.referenced(instance, reference)
            if target is not None:
                return target
        return None

    def referenced(self, instance: _Instance, reference: str) -> tuple[_Instance, str] | None:
        """The instance (and attribute) a configuration reference names, in ``instance``'s module."""
        match = _REFERENCE.match(reference)
        if match is None or match.group(4) is None:
            return None
        kind, name, key, attribute = match.groups()
        candidates = self._named.get((instance.module, kind, name), [])
        if key is not None:
            candidates = [i for i in candidates if i.address.endswith(f"{kind}.{name}{key}")]
        if len(candidates) > 1:
            candidates = [i for i in candidates if i.index == instance.index]
        return (candidates[0], attribute) if len(candidates) == 1 else None

    def belongs(self, instance: _Instance) -> bool:
        target = self.link(instance, "rest_api_id")
        return target is not None and target[0] is self.rest_api

    def unresolved(self, instance: _Instance, attribute: str, what: str) -> None:
        """Report an id that designates nothing this file defines (or that is unknown and unreferenced)."""
        value = instance.values.get(attribute)
        refs = instance.references(attribute)
        if refs:
            detail = f"it refers to {instance.shown_references(attribute)}"
        elif instance.is_unknown(attribute):
            detail = "it is unknown until apply and the plan names no reference for it"
        elif isinstance(value, str) and value:
            detail = f"{value!r} is the id of nothing in this file"
        else:
            detail = "it is missing"
        pointer = instance.expression_pointer(attribute) if refs else None
        if pointer is None:
            pointer = instance.at(attribute) if attribute in instance.values else instance.pointer
        self.ctx.report(pointer, f"{instance.address}: cannot resolve {attribute} to {what} ({detail})")

    def text(self, instance: _Instance, attribute: str) -> str | None:
        """A string attribute, followed through a reference when the plan does not know it yet."""
        value = instance.values.get(attribute)
        if isinstance(value, str) or (value is not None and not isinstance(value, (dict, list))):
            return as_string(self.ctx, value, instance.at(attribute), integer=True)
        for reference in instance.references(attribute):
            target = self.referenced(instance, reference)
            if target is not None:
                followed = target[0].values.get(target[1])
                if isinstance(followed, str):
                    return followed
        return None

    def unknown_problem(self, instance: _Instance, attribute: str, *, required: bool = False) -> bool:
        """Report a value that decides behaviour but is only known after apply; True when it was.

        An optional attribute that is unknown and refers to nothing was left unset: the provider
        computes it (``passthrough_behavior`` is one), so it is read as absent, as AWS would default it.
        """
        if not instance.is_unknown(attribute):
            return False
        refs = instance.references(attribute)
        if not refs and not required:
            return False
        pointer = instance.expression_pointer(attribute) or join_pointer(instance.unknown_pointer or "", attribute)
        self.ctx.report(pointer, f"{instance.address}: {attribute} is unknown until apply"
                                 + (f" (it refers to {instance.shown_references(attribute)})" if refs else "")
                        + "; vtlgw cannot emulate it from this plan: load the state after apply (terraform show "
                          "-json) or give a literal value", UnsupportedDefinitionError)
        return True

    # -- the body ---------------------------------------------------------------------

    def endpoint_type(self, api: ApiDefinition) -> None:
        """The ``endpoint_configuration`` block (a list of one in ``terraform show -json``): its ``types``."""
        ctx, rest = self.ctx, self.rest_api
        blocks = as_list(ctx, rest.values.get("endpoint_configuration"), rest.at("endpoint_configuration")) or []
        block = as_mapping(ctx, blocks[0], rest.at("endpoint_configuration", 0)) if blocks else None
        types = as_list(ctx, (block or {}).get("types"), rest.at("endpoint_configuration", 0, "types")) or []
        if len(types) > 1:
            ctx.report(rest.at("endpoint_configuration", 0, "types"),
                       f"a REST API has one endpoint type, got {len(types)}")
        elif types:
            chosen = as_enum(ctx, types[0], rest.at("endpoint_configuration", 0, "types", 0), ENDPOINT_TYPES,
                             "endpoint type")
            api.endpoint_type = chosen or api.endpoint_type

    def body(self, api: ApiDefinition) -> None:
        """The OpenAPI body: the rest_api's own, else that of the one ``aws_api_gateway_rest_api_put`` for it."""
        rest = self.rest_api
        owner = rest
        if rest.values.get("body") is None and not rest.is_unknown("body"):
            puts = [i for i in self.tf.of_type(REST_API_PUT) if self.belongs(i)]
            if len(puts) > 1:
                self.ctx.fail(puts[1].pointer, f"{rest.address} has several {REST_API_PUT} "
                                               f"({', '.join(p.address for p in puts)}): the body the API ends "
                                               "with depends on the order they are applied, which vtlgw cannot "
                                               "tell; load the state, or a plan with one of them",
                              UnsupportedDefinitionError)
            if puts:
                owner = puts[0]
        value = owner.values.get("body")
        if value is None:
            if owner.is_unknown("body"):
                refs = owner.references("body")
                self.ctx.fail(owner.expression_pointer("body") or join_pointer(owner.unknown_pointer or "", "body"),
                              f"{owner.address}: the OpenAPI body is unknown until apply"
                              + (f" (it refers to {owner.shown_references('body')})" if refs else "")
                              + "; load the state after apply (terraform show -json) instead of the plan",
                              UnsupportedDefinitionError)
            return
        if not isinstance(value, str):
            self.ctx.report(owner.at("body"), f"{owner.address}: expected the body as an OpenAPI document in a "
                                              "string (jsonencode(...) or file(...))")
            return
        if not value.strip():
            return
        doc = _body_document(self.ctx.doc, owner.at("body"), owner.address, value)
        build_openapi(self.ctx.derive(doc, cloudformation=False), doc.data, "", api)

    # -- resources and methods ----------------------------------------------------------

    def resource_path(self, instance: _Instance, chain: list[str]) -> str | None:
        """A resource's path, from its parent_id chain (state's ``path`` when the chain cannot be followed)."""
        if instance.address in self._paths:
            return self._paths[instance.address]
        if instance.address in chain:
            self.ctx.report(instance.at("parent_id"),
                            "parent_id chain loops: " + " -> ".join(chain + [instance.address]))
            return None
        parent = self.parent_path(instance, "parent_id", chain + [instance.address], fallback=True)
        part = as_string(self.ctx, instance.values.get("path_part"), instance.at("path_part"))
        path = None
        if parent is None:
            known = instance.values.get("path")
            if isinstance(known, str) and known.startswith("/"):
                path = normalise_path(known)
            else:
                self.unresolved(instance, "parent_id", f"the root of {self.rest_api.address} or an {RESOURCE}")
        elif part is None:
            if not self.unknown_problem(instance, "path_part", required=True):
                self.ctx.report(instance.at() if instance.values else instance.pointer,
                                f"{instance.address}: missing required attribute 'path_part'")
        elif check_path_part(self.ctx, part, instance.at("path_part")):
            path = normalise_path(f"{parent.rstrip('/')}/{part}")
        self._paths[instance.address] = path
        return path

    def parent_path(self, instance: _Instance, attribute: str, chain: list[str], *,
                    fallback: bool = False) -> str | None:
        """The path a ``parent_id``/``resource_id`` designates; None (unreported when ``fallback``) if nothing."""
        target = self.link(instance, attribute)
        if target is not None:
            other, which = target
            if other is self.rest_api and which == "root_resource_id":
                return "/"
            if other.type == RESOURCE and which == "id":
                return self.resource_path(other, chain)
        if not fallback:
            self.unresolved(instance, attribute, f"the root of {self.rest_api.address} or an {RESOURCE}")
        return None

    def verb(self, instance: _Instance) -> str | None:
        text = self.text(instance, "http_method")
        if text is None:
            if not self.unknown_problem(instance, "http_method", required=True):
                self.ctx.report(instance.at() if instance.values else instance.pointer,
                                f"{instance.address}: missing required attribute 'http_method'")
            return None
        return as_enum(self.ctx, text, instance.at("http_method"), HTTP_METHODS, "HTTP method")

    def method(self, instance: _Instance) -> Method | None:
        ctx = self.ctx
        path = self.parent_path(instance, "resource_id", [])
        verb = self.verb(instance)
        if path is None or verb is None:
            return None
        values = instance.values
        method = Method(verb, path, source=ctx.source(instance.pointer))
        method.sources["http_method"] = ctx.source(instance.at("http_method"))
        operation = values.get("operation_name")
        method.operation_id = as_string(ctx, operation, instance.at("operation_name")) if operation else None
        method.request_parameters = bool_map(ctx, values.get("request_parameters"), instance.at("request_parameters"),
                                             method.sources, "request_parameters")
        if self._stage is not None:
            self._stage.method(method, instance)  # authorization, API key, validator, models (method-request.md)
        return method

    def method_of(self, instance: _Instance, api: ApiDefinition) -> Method | None:
        """The method an integration or response attaches to (by resource and HTTP method)."""
        path = self.parent_path(instance, "resource_id", [])
        verb = self.verb(instance)
        if path is None or verb is None:
            return None
        method = api.methods.get((verb, path))
        if method is None:
            self.ctx.report(instance.at("http_method") if "http_method" in instance.values else instance.pointer,
                            f"{instance.address}: no {METHOD} {verb} for resource {path} in "
                            f"{self.rest_api.address}")
        return method

    def method_response(self, instance: _Instance, api: ApiDefinition) -> None:
        ctx = self.ctx
        method = self.method_of(instance, api)
        status_text = self.text(instance, "status_code")
        if method is None:
            return
        if status_text is None:
            if not self.unknown_problem(instance, "status_code", required=True):
                ctx.report(instance.at(), f"{instance.address}: missing required attribute 'status_code'")
            return
        status = as_status_code(ctx, status_text, instance.at("status_code"))
        if status is None:
            return
        if status in method.method_responses:
            ctx.report(instance.at("status_code"), f"method response {status} is declared twice")
            return
        declared = MethodResponse(status, source=ctx.source(instance.pointer))
        declared.sources["status_code"] = ctx.source(instance.at("status_code"))
        declared.response_parameters = bool_map(ctx, instance.values.get("response_parameters"),
                                                instance.at("response_parameters"), declared.sources,
                                                "response_parameters")
        models = as_mapping(ctx, instance.values.get("response_models"), instance.at("response_models")) or {}
        for media_type, model in models.items():
            if not is_media_type(media_type):
                ctx.report(instance.at("response_models", media_type),
                           f"Invalid content type specified: {media_type!r}")
            declared.response_models[media_type] = as_string(ctx, model, instance.at("response_models", media_type))
        method.method_responses[status] = declared

    def integration(self, instance: _Instance, api: ApiDefinition) -> None:
        ctx = self.ctx
        method = self.method_of(instance, api)
        if method is None:
            return
        if method.integration is not None:
            ctx.report(instance.pointer, f"{instance.address}: {method.http_method} {method.resource_path} already "
                                         "has an integration")
            return
        if self.unknown_problem(instance, "type", required=True):
            return
        for attribute in ("request_templates", "request_parameters", "integration_http_method",
                          "passthrough_behavior", "content_handling", "credentials", "timeout_milliseconds"):
            if self.unknown_problem(instance, attribute):
                return
        spec = _present(instance.values)
        placeholder = None
        mock = str(instance.values.get("type", "")).upper() == "MOCK"
        if not mock and (instance.is_unknown("uri") or (instance.values.get("uri") is None
                                                        and instance.references("uri"))):
            placeholder = self.unknown_uri(instance)
            spec["uri"] = placeholder[1]
        integration = build_integration(ctx, spec, instance.at(), TERRAFORM)
        integration.function_id = self.invoked_function(instance)
        if placeholder is not None:
            integration.uri, integration.uri_raw = placeholder[0], None
            integration.sources.pop("uri", None)
            pointer = instance.expression_pointer("uri") or join_pointer(instance.unknown_pointer or "", "uri")
            integration.sources["uri"] = ctx.source(pointer)
            refs = instance.references("uri")
            not_emulated(ctx, method, pointer,
                         f"{instance.address}: uri is unknown until apply"
                         + (f" (it is {instance.shown_references('uri')})" if refs else "")
                         + f"; read as {placeholder[0]}")
        method.integration = integration

    def invoked_function(self, instance: _Instance) -> str | None:
        """The ``aws_lambda_function`` whose ``invoke_arn`` the integration's uri refers to (by the configuration)."""
        for reference in instance.references("uri"):
            target = self.referenced(instance, reference)
            if target is not None and target[0].type == LAMBDA_FUNCTION and target[1] in _INVOKING:
                return target[0].address
        return None

    def function_arn(self, instance: _Instance, reference: str) -> str | None:
        """The ARN a function will have, when the plan knows its name, its region and the account.

        A function's ARN is ``arn:aws:lambda:<region>:<account>:function:<function_name>``: the account
        comes from a ``data.aws_caller_identity`` the plan read, the region from the provider.
        """
        target = self.referenced(instance, reference)
        if target is None or target[0].type != LAMBDA_FUNCTION or target[1] not in ("invoke_arn", "arn"):
            return None
        name = target[0].values.get("function_name")
        accounts = {d.values.get("account_id") for d in self.tf.data.values() if d.type == "aws_caller_identity"}
        account = accounts.pop() if len(accounts) == 1 else None
        region = self.tf.region
        if not (isinstance(name, str) and name and isinstance(account, str) and account and region):
            return None
        return f"arn:aws:lambda:{region}:{account}:function:{name}"

    def unknown_uri(self, instance: _Instance) -> tuple[str, str]:
        """(readable placeholder, a stand-in the URI checks accept) for a URI only known after apply."""
        refs = instance.references("uri")
        region = self.tf.region or "${region}"
        kind = str(instance.values.get("type", "")).upper()
        for reference in refs:
            match = _INVOKE_ARN.match(reference) or (_FUNCTION_ARN.match(reference)
                                                     if kind in ("AWS", "AWS_PROXY") else None)
            if match:
                function = self.function_arn(instance, reference) or f"${{{match.group(1)}.arn}}"
                arn = f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function}/invocations"
                return arn, arn
        shown = "${" + (refs[0] if refs else f"{instance.address}.uri") + "}"
        if kind in ("HTTP", "HTTP_PROXY"):
            return shown, "https://unknown.invalid"
        return shown, f"arn:aws:apigateway:{region}:unknown:path/unknown"

    def integration_response(self, instance: _Instance, api: ApiDefinition) -> None:
        ctx = self.ctx
        method = self.method_of(instance, api)
        if method is None:
            return
        if method.integration is None:
            ctx.report(instance.pointer, f"{instance.address}: {method.http_method} {method.resource_path} has no "
                                         f"{INTEGRATION}")
            return
        for attribute in ("selection_pattern", "response_templates", "response_parameters"):
            if self.unknown_problem(instance, attribute):
                return
        spec = _present(instance.values)
        status = self.text(instance, "status_code")
        if status is not None:
            spec["status_code"] = status
        elif self.unknown_problem(instance, "status_code", required=True):
            return
        pattern = as_string(ctx, spec.get("selection_pattern"), instance.at("selection_pattern"))
        add_integration_response(ctx, method.integration,
                                 build_integration_response(ctx, spec, instance.at(), TERRAFORM, pattern))

    def gateway_response(self, instance: _Instance, api: ApiDefinition) -> None:
        ctx = self.ctx
        values = instance.values
        kind = as_enum(ctx, values.get("response_type"), instance.at("response_type"), GATEWAY_RESPONSE_TYPES,
                       "gateway response type")
        if kind is None:
            if values.get("response_type") is None:
                ctx.report(instance.at(), f"{instance.address}: missing required attribute 'response_type'")
            return
        response = GatewayResponse(kind, source=ctx.source(instance.pointer))
        if values.get("status_code"):
            response.status_code = as_status_code(ctx, values["status_code"], instance.at("status_code"))
            response.sources["status_code"] = ctx.source(instance.at("status_code"))
        response.response_parameters = string_map(ctx, values.get("response_parameters"),
                                                  instance.at("response_parameters"), response.sources,
                                                  "response_parameters")
        response.response_templates = templates(ctx, values.get("response_templates"),
                                                instance.at("response_templates"))
        if kind in api.gateway_responses:
            ctx.report(instance.pointer, f"gateway response {kind} is defined twice")
            return
        api.gateway_responses[kind] = response

    def functions(self, api: ApiDefinition) -> None:
        """The file's Lambda functions, by address, and which one each Lambda integration invokes."""
        builder = _Functions(self)
        for instance in self.tf.of_type(LAMBDA_FUNCTION):
            api.functions[instance.address] = builder.build(instance)
        arns = {}
        for instance in self.tf.of_type(LAMBDA_FUNCTION):
            for attribute in ("invoke_arn", "arn"):
                value = instance.values.get(attribute)
                if isinstance(value, str) and value:
                    arns[value] = instance.address
        for method in api.methods.values():
            integration = method.integration
            if integration is None or not integration.is_lambda or not integration.uri:
                continue
            if integration.function_id is None:  # state (or a body) holds the function's real ARN
                integration.function_id = next(
                    (address for arn, address in arns.items()
                     if integration.uri == arn or f"/functions/{arn}/invocations" in integration.uri), None)
            for pointer, what in builder.notes.get(integration.function_id or "", []):
                not_emulated(self.ctx, method, pointer, what)
        for method in api.methods.values():  # a Lambda authorizer's function (linked by terraform_stage)
            authorizer = method.authorizer
            for pointer, what in builder.notes.get(authorizer.function_id or "", []) if authorizer else ():
                not_emulated(self.ctx, method, pointer, what)

    def stage(self, instance: _Instance, api: ApiDefinition) -> None:
        """The stage's name and variables, so that ``$stageVariables`` works without flags."""
        name = instance.values.get("stage_name")
        if isinstance(name, str) and name:
            api.stage_name = name
        variables = instance.values.get("variables")
        for key, value in (variables.items() if isinstance(variables, dict) else ()):
            if isinstance(value, str):
                api.stage_variables[str(key)] = value


def _present(values: dict[str, Any]) -> dict[str, Any]:
    """The attributes that are set: the provider stores an unset optional string as ``""`` in state."""
    return {k: v for k, v in values.items() if v is not None and v != ""}


# ---------------------------------------------------------------------------
# Lambda functions with local code


class _Functions:
    """The file's ``aws_lambda_function`` resources as :class:`LambdaFunction` (for in-process runs).

    The code folder is the one the zip is built from: ``filename`` is usually the ``output_path`` of a
    ``data.archive_file`` (the configuration's reference says which), whose ``source_dir`` (or
    ``source_file``'s folder) holds the code. Relative paths are Terraform's, relative to the folder
    ``terraform`` ran in, taken to be the folder of the JSON file.
    """

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.ctx = reader.ctx
        self.tf = reader.tf
        self.base = Path(self.ctx.doc.path).parent
        #: What a function sets that the plan does not know (an environment variable), by address.
        self.notes: dict[str, list[tuple[str, str]]] = {}

    def build(self, instance: _Instance) -> LambdaFunction:
        values = instance.values
        handler, runtime = values.get("handler"), values.get("runtime")
        return LambdaFunction(
            instance.address, handler if isinstance(handler, str) and handler else None,
            runtime if isinstance(runtime, str) and runtime else None, self.code_dir(instance),
            source=self.ctx.source(instance.pointer), environment=self.environment(instance),
            timeout_seconds=self.timeout(instance))

    def timeout(self, instance: _Instance) -> int:
        """``timeout`` in seconds, 1 to 900 (the provider's default, 3, when unset)."""
        value = instance.values.get("timeout")
        if value is None:
            return LAMBDA_DEFAULT_TIMEOUT
        seconds = as_string(self.ctx, value, instance.at("timeout"), integer=True)
        if seconds is None:
            return LAMBDA_DEFAULT_TIMEOUT
        if not (seconds.isdigit() and 1 <= int(seconds) <= 900):
            self.ctx.report(instance.at("timeout"), f"{instance.address}: a Lambda timeout is 1 to 900 seconds, "
                                                    f"not {seconds!r}")
            return LAMBDA_DEFAULT_TIMEOUT
        return int(seconds)

    # -- environment -------------------------------------------------------------------

    def environment(self, instance: _Instance) -> dict[str, str]:
        """``environment[0].variables``; a value unknown in a plan is followed through the configuration.

        The configuration gives the references of the whole ``variables`` map, not of each key: a
        reference whose value a known variable already has is that variable's; when one unknown
        variable and one other reference remain, the reference is its value if the plan knows it
        (``aws_dynamodb_table.orders.name``). Anything else is left unset, with a note.
        """
        blocks = instance.values.get("environment")
        block = blocks[0] if isinstance(blocks, list) and blocks and isinstance(blocks[0], dict) else {}
        variables = block.get("variables") if isinstance(block.get("variables"), dict) else {}
        environment = {str(k): v if isinstance(v, str) else json.dumps(v) for k, v in variables.items()
                       if v is not None}
        unknown = instance.unknown.get("environment")  # [{"variables": {"KEY": true}}], or true for all of it
        if isinstance(unknown, list):
            unknown = unknown[0] if unknown else None
        if isinstance(unknown, dict):
            unknown = unknown.get("variables")
        if unknown is not True and not (isinstance(unknown, dict) and True in unknown.values()):
            return environment
        config = instance.config.get("expressions") if isinstance(instance.config, dict) else None
        expressions = config.get("environment") if isinstance(config, dict) else None
        expression: dict[str, Any] = {}
        if isinstance(expressions, list) and expressions and isinstance(expressions[0], dict):
            expression = expressions[0].get("variables") if isinstance(expressions[0].get("variables"), dict) else {}
        refs = [r for r in expression.get("references", []) if isinstance(r, str)]
        refs = [r for r in refs if not any(o != r and o.startswith(r + ".") for o in refs)]
        pointer = (join_pointer(instance.config_pointer, "expressions", "environment", 0, "variables")
                   if expression and instance.config_pointer else
                   join_pointer(instance.unknown_pointer or instance.pointer, "environment", 0, "variables"))
        if not isinstance(unknown, dict):  # the whole map is unknown: not even its keys are known
            shown = f" (it refers to {', '.join(refs)})" if refs else ""
            self.note(instance, pointer, f"{instance.address}: the environment variables are unknown until "
                                         f"apply{shown}; they are left unset")
            return environment
        keys = [str(k) for k, v in unknown.items() if v is True and k not in environment]
        followed = {r: self.followed(instance, r) for r in refs}
        remaining = [r for r in refs if followed[r] is None or followed[r] not in environment.values()]
        if len(keys) == 1 and len(remaining) == 1 and followed[remaining[0]] is not None:
            environment[keys[0]] = followed[remaining[0]]  # type: ignore[assignment]
            return environment
        for key in keys:
            shown = f" (it refers to {' or '.join(remaining)})" if remaining else ""
            self.note(instance, pointer, f"{instance.address}: environment variable {key} is unknown until "
                                         f"apply{shown}; it is left unset")
        return environment

    def followed(self, instance: _Instance, reference: str) -> str | None:
        """The value a reference to another resource's attribute has in this file, when it is known."""
        target = self.reader.referenced(instance, reference)
        if target is None:
            return None
        value = target[0].values.get(target[1])
        return value if isinstance(value, str) else None

    def note(self, instance: _Instance, pointer: str, what: str) -> None:
        self.notes.setdefault(instance.address, []).append((pointer, what))

    # -- the code folder -----------------------------------------------------------------

    def code_dir(self, instance: _Instance) -> str | None:
        """The folder the function's zip is built from, when it is on disk."""
        archive = self.archive(instance)
        if archive is None:
            return None
        folder = self.attribute(archive, "source_dir")
        if folder is None:
            file = self.attribute(archive, "source_file")
            folder = os.path.dirname(file) or "." if file is not None else None
        if folder is None:
            return None
        resolved = (self.base / folder).resolve()
        return str(resolved) if resolved.is_dir() else None

    def archive(self, instance: _Instance) -> _Instance | None:
        """The ``data.archive_file`` of ``filename`` (by reference, else by equal ``output_path``)."""
        archives = [d for d in self.tf.data.values() if d.type == ARCHIVE_FILE and d.module == instance.module]
        for reference in instance.references("filename") + instance.references("source_code_hash"):
            match = _DATA_REFERENCE.match(reference)
            if match and match.group(1) == ARCHIVE_FILE:
                named = [a for a in archives if a.name == match.group(2)]
                if named:
                    return named[0]
        filename = self.attribute(instance, "filename")
        if filename is not None:
            for archive in archives:
                output = self.attribute(archive, "output_path")
                if output is not None and os.path.normpath(output) == os.path.normpath(filename):
                    return archive
        return None

    def attribute(self, instance: _Instance, name: str) -> str | None:
        """A string attribute's value, else its constant in the configuration (``${path.module}`` made the
        module's folder)."""
        value = instance.values.get(name)
        if not isinstance(value, str) or not value:
            value = instance.expression(name).get("constant_value")
        if not isinstance(value, str) or not value:
            return None
        if "${path.module}" in value:
            folder = self.tf.module_dirs.get(_config_path(instance.module))
            if folder is None:
                return None
            value = value.replace("${path.module}", folder)
        return value
