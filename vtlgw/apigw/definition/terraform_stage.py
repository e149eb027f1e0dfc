"""Terraform's share of the method request stage: authorizers, validators, models and API keys.

Read from ``terraform show -json`` (a plan or state), in the AWS provider's names
[D:aws_api_gateway_authorizer, aws_api_gateway_request_validator, aws_api_gateway_model,
aws_api_gateway_api_key, aws_api_gateway_method, aws_api_gateway_rest_api]:

* ``aws_api_gateway_authorizer``: ``type`` (``TOKEN`` by default, ``REQUEST``,
  ``COGNITO_USER_POOLS``), ``authorizer_uri``, ``identity_source``,
  ``identity_validation_expression``, ``provider_arns``; a method uses it with
  ``authorization = "CUSTOM"`` (or ``"COGNITO_USER_POOLS"``) and ``authorizer_id``,
  and ``authorization_scopes``. ``AWS_IAM`` needs no authorizer;
* ``aws_api_gateway_request_validator`` (``validate_request_body``,
  ``validate_request_parameters``, both false by default), chosen by
  ``request_validator_id``;
* ``aws_api_gateway_model`` (``name``, ``content_type``, ``schema`` as JSON text),
  chosen by name in ``request_models = {content type = model name}``;
* ``api_key_required`` on the method, ``api_key_source`` on the REST API, and every
  ``aws_api_gateway_api_key`` of the file whose ``value`` is known, enabled unless
  ``enabled = false`` (the provider's default is true, CloudFormation's false).

Ids are linked as the rest of the Terraform reader links them: by a known id
(state), else by the configuration's reference. A Lambda authorizer's function
is found the way an integration's is: the ``aws_lambda_function`` whose
``invoke_arn`` ``authorizer_uri`` refers to, or (in state) whose ARN it holds.
What a plan cannot know is a note on every method that uses it: an
``authorizer_uri`` only known after apply (read as a placeholder, as an
integration's is) and ``provider_arns`` only known after apply (the token's
issuer is then not checked).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from .authorizers import (AUTHORIZATION_TYPES, AUTHORIZER_TYPES, DEFAULT_TOKEN_SOURCE, Authorizer,
                          check_identity_sources, checked_expression, identity_source_list)
from .common import as_bool, as_enum, as_list, as_mapping, as_string, not_emulated
from .validation import BUILT_IN_MODELS, ApiKey, RequestValidator, api_key_id, model_from_schema
from .yamlload import join_pointer

if TYPE_CHECKING:
    from .model import ApiDefinition, Method

__all__ = ["TerraformStage", "AUTHORIZER", "REQUEST_VALIDATOR", "MODEL", "API_KEY"]

AUTHORIZER = "aws_api_gateway_authorizer"
REQUEST_VALIDATOR = "aws_api_gateway_request_validator"
MODEL = "aws_api_gateway_model"
API_KEY = "aws_api_gateway_api_key"
_LAMBDA_FUNCTION = "aws_lambda_function"
_INVOKING = ("invoke_arn", "qualified_invoke_arn", "arn", "qualified_arn")
_KEY_SOURCES = ("HEADER", "AUTHORIZER")
_DEFAULT_TTL = 300  # seconds: the provider's default authorizer_result_ttl_in_seconds


def _short_id(address: str) -> str:
    """A stable 6-character authorizer id for the log, made from the address (a plan has no id yet)."""
    return hashlib.sha256(address.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def _set(value: Any) -> bool:
    """Whether an optional attribute is set: state stores an unset string as ``""``."""
    return value is not None and value != ""


class TerraformStage:
    """Reads one REST API's stage settings; ``reader`` is the Terraform reader (``terraform._Reader``)."""

    def __init__(self, reader: Any, api: ApiDefinition) -> None:
        self.reader = reader
        self.ctx = reader.ctx
        self.tf = reader.tf
        self.api = api
        self.validators: dict[str, RequestValidator] = {}  # address -> validator
        self.authorizers: dict[str, Authorizer] = {}  # address -> authorizer
        self.model_names: set[str] = set()  # the names of this API's aws_api_gateway_model resources
        #: What a plan does not know of an authorizer, noted on each method that uses it: (pointer, what).
        self.notes: dict[str, list[tuple[str, str]]] = {}

    # -- the resources ----------------------------------------------------------------

    def read_resources(self) -> None:
        """The key source, this API's validators, models and authorizers, and every API key of the file."""
        self._key_source()
        for instance in self.tf.instances:
            if instance.type == REQUEST_VALIDATOR and self.reader.belongs(instance):
                self._validator(instance)
            elif instance.type == MODEL and self.reader.belongs(instance):
                self._model(instance)
            elif instance.type == AUTHORIZER and self.reader.belongs(instance):
                self._authorizer(instance)
            elif instance.type == API_KEY:
                self._api_key(instance)

    def _key_source(self) -> None:
        """``api_key_source``; it overrides a body's ``x-amazon-apigateway-api-key-source`` when set.

        In a plan, the value of an API that already exists is the one it has now, which a new body may
        change: it is only taken when the configuration sets it.
        """
        rest = self.reader.rest_api
        value = rest.values.get("api_key_source")
        if not _set(value) or (self.tf.is_plan and rest.config is not None and not rest.expression("api_key_source")):
            return
        text = as_string(self.ctx, value, rest.at("api_key_source"))
        if text is not None and text.upper() in _KEY_SOURCES:
            self.api.api_key_source = text.upper()
        elif text is not None:
            self.ctx.report(rest.at("api_key_source"), f"api_key_source is HEADER or AUTHORIZER, not {text!r}")

    def _flag(self, instance: Any, attribute: str, default: bool) -> bool:
        value = instance.values.get(attribute)
        if value is None:
            return default
        flag = as_bool(self.ctx, value, instance.at(attribute))
        return default if flag is None else flag

    def _name(self, instance: Any) -> str:
        name = self.reader.text(instance, "name")
        return name if name else instance.address

    def _validator(self, instance: Any) -> None:
        self.validators[instance.address] = RequestValidator(
            self._name(instance), self._flag(instance, "validate_request_body", False),
            self._flag(instance, "validate_request_parameters", False), source=self.ctx.source(instance.pointer))

    def _model(self, instance: Any) -> None:
        ctx, reader = self.ctx, self.reader
        name = self._name(instance)
        content_type = reader.text(instance, "content_type") or "application/json"
        if name in self.model_names:
            ctx.report(instance.at("name"), f"{instance.address}: model {name} is defined twice in "
                                            f"{reader.rest_api.address}")
            return
        self.model_names.add(name)
        schema = instance.values.get("schema")
        if not _set(schema):
            reader.unknown_problem(instance, "schema", required=True)
            return  # a model without a schema validates nothing
        made = model_from_schema(ctx, name, schema, instance.at("schema"), content_type)
        if made is not None:
            self.api.models[name] = made

    def _authorizer(self, instance: Any) -> None:
        ctx, reader, values = self.ctx, self.reader, instance.values
        if reader.unknown_problem(instance, "type"):
            return
        kind = as_enum(ctx, values["type"], instance.at("type"), AUTHORIZER_TYPES, "authorizer type") \
            if _set(values.get("type")) else "TOKEN"  # the provider's default
        if kind is None:
            return
        known_id = values.get("id")
        made = Authorizer(self._name(instance), kind, source=ctx.source(instance.pointer),
                          id=known_id if isinstance(known_id, str) and known_id else _short_id(instance.address))
        if made.is_lambda:
            self._authorizer_uri(instance, made)
        else:
            self._provider_arns(instance, made)
        if not reader.unknown_problem(instance, "identity_source"):
            made.identity_sources = identity_source_list(reader.text(instance, "identity_source"))
            check_identity_sources(ctx, made.identity_sources, instance.at("identity_source"))
        if not made.identity_sources and kind != "REQUEST":
            made.identity_sources = [DEFAULT_TOKEN_SOURCE]
        expression = values.get("identity_validation_expression")
        if _set(expression):
            made.validation_expression = checked_expression(
                ctx, as_string(ctx, expression, instance.at("identity_validation_expression")),
                instance.at("identity_validation_expression"))
        ttl = values.get("authorizer_result_ttl_in_seconds")
        made.ttl_seconds = ttl if isinstance(ttl, int) and not isinstance(ttl, bool) else _DEFAULT_TTL
        self.authorizers[instance.address] = made
        key = made.name if made.name not in self.api.authorizers else instance.address
        self.api.authorizers[key] = made

    def _authorizer_uri(self, instance: Any, made: Authorizer) -> None:
        """``authorizer_uri`` and the file's function it invokes; a placeholder when only apply knows it."""
        reader = self.reader
        uri = instance.values.get("authorizer_uri")
        for reference in instance.references("authorizer_uri"):
            target = reader.referenced(instance, reference)
            if target is not None and target[0].type == _LAMBDA_FUNCTION and target[1] in _INVOKING:
                made.function_id = target[0].address
                break
        if _set(uri):
            made.uri = as_string(self.ctx, uri, instance.at("authorizer_uri"))
            if made.function_id is None and made.uri:
                made.function_id = self._function_by_arn(made.uri)
            return
        refs = instance.references("authorizer_uri")
        if not instance.is_unknown("authorizer_uri") and not refs:
            self.ctx.report(instance.at("authorizer_uri") if "authorizer_uri" in instance.values else instance.pointer,
                            f"{instance.address}: a {made.type} authorizer needs authorizer_uri, the function's "
                            "invocation URI")
            return
        region = self.tf.region or "${region}"
        function = None
        for reference in refs:
            target = reader.referenced(instance, reference)
            if target is not None and target[0].type.startswith("aws_lambda_"):
                function = reader.function_arn(instance, reference) or f"${{{target[0].address}.arn}}"
                break
        made.uri = (f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function}/invocations"
                    if function is not None else "${" + (refs[0] if refs else f"{instance.address}.authorizer_uri")
                    + "}")
        pointer = instance.expression_pointer("authorizer_uri") or join_pointer(instance.unknown_pointer or "",
                                                                               "authorizer_uri")
        shown = f" (it is {instance.shown_references('authorizer_uri')})" if refs else ""
        self.notes.setdefault(instance.address, []).append(
            (pointer, f"{instance.address}: authorizer_uri is unknown until apply{shown}; read as {made.uri}"))

    def _function_by_arn(self, uri: str) -> str | None:
        """In state (or a plan updating it), the function whose ARN or invocation ARN the URI holds."""
        for function in self.tf.of_type(_LAMBDA_FUNCTION):
            for attribute in ("invoke_arn", "arn"):
                arn = function.values.get(attribute)
                if isinstance(arn, str) and arn and (uri == arn or f"/functions/{arn}/invocations" in uri):
                    return function.address
        return None

    def _provider_arns(self, instance: Any, made: Authorizer) -> None:
        """A Cognito authorizer's user pools; unknown ones (a new pool) leave the issuer unchecked, with a note."""
        arns = as_list(self.ctx, instance.values.get("provider_arns"), instance.at("provider_arns")) or []
        made.provider_arns = [arn for index, arn in enumerate(arns)
                              if as_string(self.ctx, arn, instance.at("provider_arns", index))]
        unknown = instance.unknown.get("provider_arns")
        if unknown is True or (isinstance(unknown, list) and True in unknown):
            refs = instance.references("provider_arns")
            pointer = instance.expression_pointer("provider_arns") or join_pointer(instance.unknown_pointer or "",
                                                                                  "provider_arns")
            shown = f" (it refers to {instance.shown_references('provider_arns')})" if refs else ""
            self.notes.setdefault(instance.address, []).append(
                (pointer, f"{instance.address}: provider_arns is unknown until apply{shown}; the token's issuer "
                          "is not checked against the user pools"))
            made.provider_arns = []  # a partial list would refuse the tokens of the pools not yet known
        elif not made.provider_arns:
            self.ctx.report(instance.at("provider_arns") if "provider_arns" in instance.values else instance.pointer,
                            f"{instance.address}: a COGNITO_USER_POOLS authorizer needs provider_arns, the ARNs of "
                            "its user pools")

    def _api_key(self, instance: Any) -> None:
        value = instance.values.get("value")
        if not isinstance(value, str) or not value:
            return  # generated on apply, so unknown in a plan: give the key with --api-key
        known_id = instance.values.get("id")
        self.api.api_keys.append(ApiKey(
            value, known_id if isinstance(known_id, str) and known_id else api_key_id(value), self._name(instance),
            enabled=self._flag(instance, "enabled", True), source=self.ctx.source(instance.pointer)))

    # -- an aws_api_gateway_method -----------------------------------------------------

    def method(self, method: Method, instance: Any) -> None:
        """The method's authorization, scopes, API key requirement, validator and request models."""
        ctx, reader, values = self.ctx, self.reader, instance.values
        if reader.unknown_problem(instance, "authorization", required=True):
            return
        auth = reader.text(instance, "authorization")
        kind = as_enum(ctx, auth, instance.at("authorization"), AUTHORIZATION_TYPES, "authorization type") \
            if _set(auth) else "NONE"
        if kind in ("CUSTOM", "COGNITO_USER_POOLS"):
            self._use_authorizer(method, instance, kind)
        elif kind == "AWS_IAM":
            method.authorization_type = kind
            method.sources["authorizer"] = ctx.source(instance.at("authorization"))
        scopes = as_list(ctx, values.get("authorization_scopes"), instance.at("authorization_scopes")) or []
        method.authorization_scopes = [s for s in scopes if isinstance(s, str)]
        if values.get("api_key_required") is not None:
            method.api_key_required = bool(as_bool(ctx, values["api_key_required"], instance.at("api_key_required")))
            method.sources["api_key_required"] = ctx.source(instance.at("api_key_required"))
        if self._is_set(instance, "request_validator_id"):
            validator = self._linked(instance, "request_validator_id", self.validators, REQUEST_VALIDATOR)
            if validator is not None:
                method.request_validator = validator
                method.sources["request_validator"] = ctx.source(self._pointer(instance, "request_validator_id"))
        self._request_models(method, instance)

    def _is_set(self, instance: Any, attribute: str) -> bool:
        return (_set(instance.values.get(attribute)) or instance.is_unknown(attribute)
                or bool(instance.references(attribute)))

    def _pointer(self, instance: Any, attribute: str) -> str:
        """Where an id is written: the value in the file, else its reference in the configuration."""
        if _set(instance.values.get(attribute)):
            return instance.at(attribute)
        return instance.expression_pointer(attribute) or instance.pointer

    def _use_authorizer(self, method: Method, instance: Any, kind: str) -> None:
        ctx, reader = self.ctx, self.reader
        if not self._is_set(instance, "authorizer_id"):
            ctx.report(instance.at("authorization"), f"{instance.address}: authorization {kind} needs authorizer_id, "
                                                     f"an {AUTHORIZER} of {reader.rest_api.address}")
            return
        authorizer = self._linked(instance, "authorizer_id", self.authorizers, AUTHORIZER)
        if authorizer is None:
            return
        address = next(a for a, made in self.authorizers.items() if made is authorizer)
        if (kind == "CUSTOM") != authorizer.is_lambda:
            wanted = "a TOKEN or REQUEST" if kind == "CUSTOM" else "a COGNITO_USER_POOLS"
            ctx.report(self._pointer(instance, "authorizer_id"),
                       f"{instance.address}: authorization {kind} needs {wanted} authorizer, and {address} is "
                       f"{authorizer.type}")
            return
        method.authorizer = authorizer
        method.authorization_type = kind
        method.sources["authorizer"] = ctx.source(self._pointer(instance, "authorizer_id"))
        for pointer, what in self.notes.get(address, []):
            not_emulated(ctx, method, pointer, what)

    def _linked(self, instance: Any, attribute: str, table: dict[str, Any], kind: str) -> Any:
        """The validator or authorizer an id designates, reported when it is none of this API's."""
        reader = self.reader
        target = reader.link(instance, attribute)
        if target is not None and target[1] == "id" and target[0].address in table:
            return table[target[0].address]
        what = f"an {kind} of {reader.rest_api.address}"
        if target is None:
            reader.unresolved(instance, attribute, what)
        else:
            self.ctx.report(self._pointer(instance, attribute), f"{instance.address}: {attribute} designates "
                                                                f"{target[0].address}.{target[1]}, not {what}")
        return None

    def _request_models(self, method: Method, instance: Any) -> None:
        """``request_models``: content type -> the name of a model of this API (a body's, or a resource's)."""
        ctx = self.ctx
        if self.reader.unknown_problem(instance, "request_models"):
            return
        pointer = instance.at("request_models")
        for content_type, value in (as_mapping(ctx, instance.values.get("request_models"), pointer) or {}).items():
            where = join_pointer(pointer, content_type)
            name = as_string(ctx, value, where)
            if not name:
                continue
            if name not in self.api.models and name not in self.model_names and name not in BUILT_IN_MODELS:
                known = ", ".join(sorted(set(self.api.models) | self.model_names)) or "the API defines none"
                ctx.report(where, f"{instance.address}: no model named {name!r} in {self.reader.rest_api.address} "
                                  f"({known}, besides Empty and Error)")
                continue
            method.request_models[content_type] = name
            method.sources[f"request_models.{content_type}"] = ctx.source(where)
            model = self.api.models.get(name)
            for keyword, at in (model.unsupported if model is not None else []):
                note = f"{method.http_method} {method.resource_path}: {model.note(keyword, at)}"
                if all(n.what != note for n in method.not_emulated):  # a model used for two content types
                    not_emulated(ctx, method, at, model.note(keyword, at))
