"""OpenAPI's share of the method request stage: validators, models, request bodies and API keys.

Read [D:api-gateway-swagger-extensions-request-validators,
api-gateway-swagger-extensions-request-validator, api-gateway-swagger-extensions-api-key-source]:

* ``x-amazon-apigateway-request-validators`` (name -> ``validateRequestBody``,
  ``validateRequestParameters``) and ``x-amazon-apigateway-request-validator``
  at the API level (the default) or on an operation (which wins);
* models: Swagger 2 ``definitions``, OpenAPI 3 ``components.schemas``, with
  ``#/definitions/X`` references turned into model addresses as an import does;
* request bodies: a Swagger 2 ``in: body`` parameter (for each ``consumes``
  type) or an OpenAPI 3 ``requestBody.content``; an inline schema becomes a
  model of its own;
* ``x-amazon-apigateway-api-key-source`` and API key security schemes
  (``type: apiKey``, ``in: header``, ``name: x-api-key``) required by ``security``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .common import as_mapping, as_string, not_emulated
from .authorizers import (AUTHORIZER_TYPES, DEFAULT_TOKEN_SOURCE, Authorizer, check_identity_sources,
                          checked_expression, identity_source_list)
from .validation import Model, RequestValidator, model_from_schema, rewrite_local_refs, validator_from
from .yamlload import join_pointer

if TYPE_CHECKING:
    from .model import ApiDefinition, Method

__all__ = ["OpenApiStage"]

_VALIDATORS = "x-amazon-apigateway-request-validators"
_VALIDATOR = "x-amazon-apigateway-request-validator"
_KEY_SOURCE = "x-amazon-apigateway-api-key-source"
_OFFLINE_API_ID = "offline"


class OpenApiStage:
    """Reads one OpenAPI document's stage settings into ``api`` and its methods."""

    def __init__(self, reader: Any, api: ApiDefinition) -> None:
        self.reader = reader
        self.ctx = reader.ctx
        self.api = api
        self.body: dict[str, Any] = reader.body
        self.root: str = reader.root
        self.validators: dict[str, RequestValidator] = {}
        self.default_validator: tuple[str, str] | None = None
        self._read_validators()
        self._read_models()
        self._read_key_source()

    def at(self, *tokens: str | int) -> str:
        return join_pointer(self.root, *tokens)

    # -- the document ------------------------------------------------------------

    def _read_validators(self) -> None:
        pointer = self.at(_VALIDATORS)
        for name, spec in (as_mapping(self.ctx, self.body.get(_VALIDATORS), pointer) or {}).items():
            made = validator_from(self.ctx, name, spec, join_pointer(pointer, name), "validateRequestBody",
                                  "validateRequestParameters")
            if made is not None:
                self.validators[name] = made
        default = self.body.get(_VALIDATOR)
        if default is not None:
            name = as_string(self.ctx, default, self.at(_VALIDATOR))
            if name is not None:
                self.default_validator = (name, self.at(_VALIDATOR))

    def _model_tables(self) -> tuple[str, ...]:
        return ("components", "schemas") if self.reader.version == "openapi3" else ("definitions",)

    def _read_models(self) -> None:
        tokens = self._model_tables()
        table: Any = self.body
        for token in tokens:
            table = table.get(token) if isinstance(table, dict) else None
        pointer = self.at(*tokens)
        schemas = as_mapping(self.ctx, table, pointer) or {}
        names = set(schemas)
        prefix = "#/" + "/".join(tokens) + "/"
        api_id = self.api.api_id or _OFFLINE_API_ID
        for name, schema in schemas.items():
            child = join_pointer(pointer, name)
            made = model_from_schema(self.ctx, name, schema, child)
            if made is not None:
                made.schema = rewrite_local_refs(made.schema, (prefix,), names, api_id)
                self.api.models[name] = made

    def _read_key_source(self) -> None:
        value = self.body.get(_KEY_SOURCE)
        if value is None:
            return
        text = as_string(self.ctx, value, self.at(_KEY_SOURCE))
        if text is not None and text.upper() in ("HEADER", "AUTHORIZER"):
            self.api.api_key_source = text.upper()
        elif text is not None:
            self.ctx.report(self.at(_KEY_SOURCE), f"{_KEY_SOURCE} is HEADER or AUTHORIZER, not {text!r}")

    # -- an operation ------------------------------------------------------------

    def operation(self, method: Method, op: dict[str, Any], pointer: str) -> None:
        """The operation's validator, request models and API key requirement."""
        self._validator(method, op, pointer)
        self._request_models(method, op, pointer)

    def _validator(self, method: Method, op: dict[str, Any], pointer: str) -> None:
        chosen: tuple[str, str] | None = None
        if op.get(_VALIDATOR) is not None:
            name = as_string(self.ctx, op[_VALIDATOR], join_pointer(pointer, _VALIDATOR))
            chosen = (name, join_pointer(pointer, _VALIDATOR)) if name is not None else None
        chosen = chosen or self.default_validator
        if chosen is None:
            return
        name, where = chosen
        if name not in self.validators:
            known = ", ".join(sorted(self.validators)) or "none are defined"
            self.ctx.report(where, f"request validator {name!r} is not in {_VALIDATORS} ({known})")
            return
        method.request_validator = self.validators[name]
        method.sources["request_validator"] = self.ctx.source(where)

    def _request_models(self, method: Method, op: dict[str, Any], pointer: str) -> None:
        if self.reader.version == "openapi3":
            body, body_pointer = self.reader.deref(op.get("requestBody"), join_pointer(pointer, "requestBody"))
            content_pointer = join_pointer(body_pointer, "content")
            content = as_mapping(self.ctx, body.get("content"), content_pointer) if isinstance(body, dict) else None
            for media_type, media in (content or {}).items():
                if isinstance(media, dict) and "schema" in media:
                    self._use(method, media_type, media["schema"], join_pointer(content_pointer, media_type,
                                                                                "schema"))
            return
        params_pointer = join_pointer(pointer, "parameters")
        for index, item in enumerate(op.get("parameters") or [] if isinstance(op.get("parameters"), list) else []):
            param, param_pointer = self.reader.deref(item, join_pointer(params_pointer, index))
            if isinstance(param, dict) and param.get("in") == "body" and "schema" in param:
                consumes = op.get("consumes", self.body.get("consumes")) or ["application/json"]
                for media_type in consumes if isinstance(consumes, list) else []:
                    if isinstance(media_type, str):
                        self._use(method, media_type, param["schema"], join_pointer(param_pointer, "schema"))

    def _use(self, method: Method, media_type: str, schema: Any, pointer: str) -> None:
        """Method's model for ``media_type``: a named model, or an inline schema made one."""
        name = _named(schema, self._model_tables())
        if name is None:
            name = f"{method.http_method} {method.resource_path} {media_type}"
            made = model_from_schema(self.ctx, name, schema, pointer, media_type)
            if made is None:
                return
            prefix = "#/" + "/".join(self._model_tables()) + "/"
            made.schema = rewrite_local_refs(made.schema, (prefix,), set(self.api.models),
                                             self.api.api_id or _OFFLINE_API_ID)
            self.api.models[name] = made
        elif name not in self.api.models:
            self.ctx.report(join_pointer(pointer, "$ref"), f"unresolved reference to model {name!r}")
            return
        method.request_models[media_type] = name
        method.sources[f"request_models.{media_type}"] = self.ctx.source(pointer)
        model: Model = self.api.models[name]
        for keyword, where in model.unsupported:
            note = f"{method.http_method} {method.resource_path}: {model.note(keyword, where)}"
            if all(n.what != note for n in method.not_emulated):  # a model used for two content types
                not_emulated(self.ctx, method, where, model.note(keyword, where))

    def security(self, method: Method, security: list[Any], where: str) -> list[str]:
        """Apply a ``security`` requirement list to ``method``: API key schemes set ``api_key_required``,
        an ``x-amazon-apigateway-authorizer`` scheme its authorizer (with the requirement's scopes),
        ``awsSigv4`` IAM authorization. What API Gateway would not apply is returned, one phrase a scheme."""
        schemes = self._schemes()
        others: list[str] = []
        for index, requirement in enumerate(security):
            if not isinstance(requirement, dict):
                continue
            for name, scopes in requirement.items():
                scheme = schemes.get(name)
                if _is_api_key_scheme(scheme):
                    method.api_key_required = True
                    method.sources["api_key_required"] = self.ctx.source(where)
                elif isinstance(scheme, dict) and isinstance(scheme.get("x-amazon-apigateway-authorizer"), dict):
                    authorizer = self._authorizer(name, scheme)
                    if authorizer is not None:
                        method.authorizer = authorizer
                        method.authorization_type = "COGNITO_USER_POOLS" if authorizer.type == "COGNITO_USER_POOLS" \
                            else "CUSTOM"
                        method.authorization_scopes = [s for s in scopes if isinstance(s, str)] \
                            if isinstance(scopes, list) else []
                        method.sources["authorizer"] = self.ctx.source(join_pointer(where, index, name))
                elif isinstance(scheme, dict) and str(scheme.get("x-amazon-apigateway-authtype", "")).lower() \
                        == "awssigv4":
                    method.authorization_type = "AWS_IAM"
                    method.sources["authorizer"] = self.ctx.source(join_pointer(where, index, name))
                elif name not in others:
                    others.append(name)
        return [f"security scheme {name!r} " + ("is not defined" if name not in schemes else
                                                 "has no x-amazon-apigateway-authorizer")
                for name in sorted(others)]

    def auth_extension(self, method: Method, value: Any, where: str) -> None:
        """``x-amazon-apigateway-auth: {type: AWS_IAM}`` on an operation."""
        kind = value.get("type") if isinstance(value, dict) else None
        if isinstance(kind, str) and kind.upper() == "AWS_IAM":
            method.authorization_type = "AWS_IAM"
            method.sources["authorizer"] = self.ctx.source(where)
        elif isinstance(kind, str) and kind.upper() != "NONE":
            self.ctx.report(join_pointer(where, "type"), f"x-amazon-apigateway-auth type is AWS_IAM or NONE, "
                                                         f"not {kind!r}")

    def _authorizer(self, name: str, scheme: dict[str, Any]) -> Authorizer | None:
        """The scheme's ``x-amazon-apigateway-authorizer``, read once per scheme name."""
        if name in self.api.authorizers:
            return self.api.authorizers[name]
        tables = ("components", "securitySchemes") if self.reader.version == "openapi3" else ("securityDefinitions",)
        pointer = self.at(*tables, name, "x-amazon-apigateway-authorizer")
        spec = scheme["x-amazon-apigateway-authorizer"]
        ctx = self.ctx
        kind = as_string(ctx, spec.get("type"), join_pointer(pointer, "type"))
        kind = (kind or "").upper()
        if kind not in AUTHORIZER_TYPES:
            ctx.report(join_pointer(pointer, "type"), f"authorizer type is token, request or cognito_user_pools, "
                                                      f"not {spec.get('type')!r}")
            return None
        made = Authorizer(name, kind, source=ctx.source(pointer), id=_authorizer_id(name))
        if made.is_lambda:
            made.uri = as_string(ctx, spec.get("authorizerUri"), join_pointer(pointer, "authorizerUri"), symbolic=True)
            if not made.uri:
                ctx.report(pointer, f"a {kind.lower()} authorizer needs authorizerUri, the function's invocation URI")
                return None
        else:
            arns = spec.get("providerARNs")
            made.provider_arns = [a for a in arns if isinstance(a, str)] if isinstance(arns, list) else []
        sources = as_string(ctx, spec.get("identitySource"), join_pointer(pointer, "identitySource"))
        made.identity_sources = identity_source_list(sources)
        check_identity_sources(ctx, made.identity_sources, join_pointer(pointer, "identitySource"))
        if not made.identity_sources and kind != "REQUEST":
            header = scheme.get("name") if scheme.get("in") == "header" else None
            made.identity_sources = [f"method.request.header.{header}" if isinstance(header, str) and header
                                     else DEFAULT_TOKEN_SOURCE]
        made.validation_expression = checked_expression(
            ctx, as_string(ctx, spec.get("identityValidationExpression"),
                           join_pointer(pointer, "identityValidationExpression")),
            join_pointer(pointer, "identityValidationExpression"))
        ttl = spec.get("authorizerResultTtlInSeconds")
        if isinstance(ttl, int) and not isinstance(ttl, bool):
            made.ttl_seconds = ttl
        self.api.authorizers[name] = made
        return made

    def _schemes(self) -> dict[str, Any]:
        if self.reader.version == "openapi3":
            components = self.body.get("components")
            table = components.get("securitySchemes") if isinstance(components, dict) else None
        else:
            table = self.body.get("securityDefinitions")
        return table if isinstance(table, dict) else {}


def _authorizer_id(name: str) -> str:
    """A stable 6-character authorizer id, as API Gateway's look (``$context.authorizer`` logs name it)."""
    import hashlib

    return hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def _named(schema: Any, tokens: tuple[str, ...]) -> str | None:
    """The model a ``$ref`` schema names (``#/definitions/Pet`` -> ``Pet``); None for an inline schema."""
    if not (isinstance(schema, dict) and isinstance(schema.get("$ref"), str)):
        return None
    ref = schema["$ref"]
    prefix = "#/" + "/".join(tokens) + "/"
    if ref.startswith(prefix):
        return ref[len(prefix):].replace("~1", "/").replace("~0", "~")
    from .validation import model_name_from_url

    return model_name_from_url(ref)


def _is_api_key_scheme(scheme: Any) -> bool:
    """An API key requirement as API Gateway imports it: ``apiKey`` in the ``x-api-key`` header, and no
    authorizer (``x-amazon-apigateway-authtype``/``-authorizer``) behind it."""
    if not isinstance(scheme, dict) or scheme.get("type") != "apiKey":
        return False
    if "x-amazon-apigateway-authorizer" in scheme or "x-amazon-apigateway-authtype" in scheme:
        return False
    name = scheme.get("name")
    return scheme.get("in") == "header" and isinstance(name, str) and name.lower() == "x-api-key"
