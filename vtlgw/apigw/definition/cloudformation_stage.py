"""CloudFormation's and SAM's share of the method request stage: validators, models and API keys.

CloudFormation [D:aws-resource-apigateway-requestvalidator, aws-resource-apigateway-model,
aws-resource-apigateway-apikey, aws-resource-apigateway-method]:

* ``AWS::ApiGateway::RequestValidator`` (``ValidateRequestBody``,
  ``ValidateRequestParameters``), chosen by a method's ``RequestValidatorId: !Ref V``;
* ``AWS::ApiGateway::Model`` (``Name``, ``Schema`` as an object or JSON text,
  ``ContentType``), chosen by ``RequestModels: {content type: !Ref M}`` or the
  model's name; ``!Ref`` to a model is its name, its logical id when it has none;
* ``ApiKeyRequired`` on the method, ``ApiKeySourceType`` on the REST API, and
  the ``AWS::ApiGateway::ApiKey`` resources with a ``Value``, enabled only with
  ``Enabled: true`` (CloudFormation's default is false).

SAM [D:sam-resource-api, sam-property-function-api, sam-property-function-requestmodel]:
``Models`` on the ``AWS::Serverless::Api``; on an ``Api`` event, ``RequestModel``
(``Model``, ``Required``, ``ValidateBody``, ``ValidateParameters``: either flag
gives the method a validator), ``RequestParameters`` (names, or maps with
``Required``) and ``Auth.ApiKeyRequired`` (the API's ``Auth`` as the default).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import intrinsics
from .authorizers import (AUTHORIZATION_TYPES, AUTHORIZER_TYPES, DEFAULT_TOKEN_SOURCE, Authorizer,
                          check_identity_sources, checked_expression, identity_source_list)
from .common import as_bool, as_enum, as_list, as_mapping, as_string
from .validation import ApiKey, RequestValidator, api_key_id, model_from_schema
from .yamlload import join_pointer

if TYPE_CHECKING:
    from .model import ApiDefinition, Method

__all__ = ["CloudFormationStage", "AUTHORIZER", "REQUEST_VALIDATOR", "MODEL", "API_KEY"]

AUTHORIZER = "AWS::ApiGateway::Authorizer"
REQUEST_VALIDATOR = "AWS::ApiGateway::RequestValidator"
MODEL = "AWS::ApiGateway::Model"
API_KEY = "AWS::ApiGateway::ApiKey"
_KEY_SOURCES = ("HEADER", "AUTHORIZER")
_PARAMETER_LOCATIONS = ("method.request.header.", "method.request.querystring.", "method.request.path.",
                        "method.request.multivalueheader.", "method.request.multivaluequerystring.")


def _short_id(lid: str) -> str:
    """A stable 6-character authorizer id for the log, made from the logical id."""
    import hashlib

    return hashlib.sha256(lid.encode("utf-8", "surrogatepass")).hexdigest()[:6]


def _ref(value: Any) -> str | None:
    if intrinsics.intrinsic_name(value) == "Ref" and isinstance(value["Ref"], str):
        return value["Ref"]
    return None


class CloudFormationStage:
    """Reads one template's stage settings for one API; ``reader`` is the template reader."""

    def __init__(self, reader: Any, api_id: str, api: ApiDefinition) -> None:
        self.reader = reader
        self.ctx = reader.ctx
        self.api_id = api_id
        self.api = api
        self.validators: dict[str, RequestValidator] = {}
        self.authorizers: dict[str, Authorizer] = {}  # logical id -> authorizer
        self.model_names: dict[str, str] = {}  # logical id -> model name

    # -- CloudFormation resources ---------------------------------------------------

    def read_resources(self) -> None:
        """The API's validators and models, the key source, and every API key of the template."""
        reader = self.reader
        props = reader.props(self.api_id) if self.api_id in reader.resources else {}
        if props.get("ApiKeySourceType") is not None:
            pointer = reader.pointer(self.api_id, "Properties", "ApiKeySourceType")
            text = as_string(self.ctx, props["ApiKeySourceType"], pointer)
            if text is not None and text.upper() in _KEY_SOURCES:
                self.api.api_key_source = text.upper()
            elif text is not None:
                self.ctx.report(pointer, f"ApiKeySourceType is HEADER or AUTHORIZER, not {text!r}")
        for lid, res in reader.resources.items():
            kind = res.get("Type")
            if kind == REQUEST_VALIDATOR and reader.belongs(lid, self.api_id):
                self._validator(lid)
            elif kind == MODEL and reader.belongs(lid, self.api_id):
                self._model(lid)
            elif kind == AUTHORIZER and reader.belongs(lid, self.api_id):
                self._authorizer(lid)
            elif kind == API_KEY:
                self._api_key(lid)

    def _validator(self, lid: str) -> None:
        props = self.reader.props(lid)
        at = lambda *t: self.reader.pointer(lid, "Properties", *t)  # noqa: E731
        name = as_string(self.ctx, props.get("Name"), at("Name"), symbolic=True) or lid
        flags = {}
        for key in ("ValidateRequestBody", "ValidateRequestParameters"):
            flags[key] = bool(as_bool(self.ctx, props[key], at(key))) if key in props else False
        self.validators[lid] = RequestValidator(name, flags["ValidateRequestBody"], flags["ValidateRequestParameters"],
                                                source=self.ctx.source(self.reader.pointer(lid)))

    def _model(self, lid: str) -> None:
        props = self.reader.props(lid)
        at = lambda *t: self.reader.pointer(lid, "Properties", *t)  # noqa: E731
        name = as_string(self.ctx, props.get("Name"), at("Name"), symbolic=True) or lid
        content_type = as_string(self.ctx, props.get("ContentType"), at("ContentType")) or "application/json"
        if "Schema" not in props:
            self.model_names[lid] = name  # a model without a schema validates nothing
            return
        schema = props["Schema"]
        if intrinsics.intrinsic_name(schema):  # JSON text built by !Sub or !Join: CloudFormation evaluates it first
            if self.ctx.evaluator is None:  # read as written (the linter): the schema is not known
                self.model_names[lid] = name
                return
            schema = self.reader.literal(schema, at("Schema"))
        made = model_from_schema(self.ctx, name, schema, at("Schema"), content_type)
        if made is not None:
            self.api.models[name] = made
            self.model_names[lid] = name

    def _authorizer(self, lid: str) -> None:
        props = self.reader.props(lid)
        at = lambda *t: self.reader.pointer(lid, "Properties", *t)  # noqa: E731
        ctx = self.ctx
        kind = as_enum(ctx, props.get("Type"), at("Type"), AUTHORIZER_TYPES, "authorizer type") \
            if props.get("Type") is not None else None
        if kind is None:
            if props.get("Type") is None:
                ctx.report(at(), "missing required key 'Type' (TOKEN, REQUEST or COGNITO_USER_POOLS)")
            return
        name = as_string(ctx, props.get("Name"), at("Name"), symbolic=True) or lid
        made = Authorizer(name, kind, source=ctx.source(self.reader.pointer(lid)), id=_short_id(lid))
        if made.is_lambda:
            made.uri = as_string(ctx, props.get("AuthorizerUri"), at("AuthorizerUri"), symbolic=True)
            made.uri_raw = props.get("AuthorizerUri")
        else:
            arns = as_list(ctx, props.get("ProviderARNs"), at("ProviderARNs")) or []
            made.provider_arns = [text for index, arn in enumerate(arns)
                                  if (text := self.reader.literal(arn, at("ProviderARNs", index)))]
        source = as_string(ctx, props.get("IdentitySource"), at("IdentitySource"), symbolic=True)
        made.identity_sources = identity_source_list(source)
        check_identity_sources(ctx, made.identity_sources, at("IdentitySource"))
        if not made.identity_sources and kind != "REQUEST":
            made.identity_sources = [DEFAULT_TOKEN_SOURCE]
        made.validation_expression = checked_expression(
            ctx, as_string(ctx, props.get("IdentityValidationExpression"), at("IdentityValidationExpression")),
            at("IdentityValidationExpression"))
        self.authorizers[lid] = made
        self.api.authorizers[name] = made

    def _api_key(self, lid: str) -> None:
        props = self.reader.props(lid)
        at = lambda *t: self.reader.pointer(lid, "Properties", *t)  # noqa: E731
        value = self.reader.literal(props.get("Value"), at("Value"))
        if not value:
            return  # a generated value cannot be known offline: give the key with --api-key
        enabled = bool(as_bool(self.ctx, props["Enabled"], at("Enabled"))) if "Enabled" in props else False
        name = as_string(self.ctx, props.get("Name"), at("Name"), symbolic=True) or lid
        self.api.api_keys.append(ApiKey(value, api_key_id(value), name, enabled=enabled,
                                        source=self.ctx.source(self.reader.pointer(lid))))

    # -- an AWS::ApiGateway::Method ---------------------------------------------------

    def method(self, method: Method, props: dict[str, Any], at: Any) -> None:
        """The method's authorization, validator, request models and API key requirement."""
        ctx = self.ctx
        auth = props.get("AuthorizationType")
        kind = as_enum(ctx, auth, at("AuthorizationType"), AUTHORIZATION_TYPES, "authorization type") \
            if auth is not None else ("CUSTOM" if props.get("AuthorizerId") is not None else "NONE")
        if kind in ("CUSTOM", "COGNITO_USER_POOLS"):
            target = _ref(props.get("AuthorizerId"))
            if target not in self.authorizers:
                ctx.report(at("AuthorizerId") if "AuthorizerId" in props else at("AuthorizationType"),
                           f"authorization {kind} needs AuthorizerId: !Ref to an {AUTHORIZER} of this API")
            else:
                method.authorizer = self.authorizers[target]
                method.authorization_type = kind
                method.sources["authorizer"] = ctx.source(at("AuthorizerId"))
        elif kind == "AWS_IAM":
            method.authorization_type = kind
            method.sources["authorizer"] = ctx.source(at("AuthorizationType"))
        scopes = as_list(ctx, props.get("AuthorizationScopes"), at("AuthorizationScopes")) or []
        method.authorization_scopes = [s for s in scopes if isinstance(s, str)]
        if props.get("ApiKeyRequired") is not None:
            method.api_key_required = bool(as_bool(ctx, props["ApiKeyRequired"], at("ApiKeyRequired")))
            method.sources["api_key_required"] = ctx.source(at("ApiKeyRequired"))
        if props.get("RequestValidatorId") is not None:
            target = _ref(props["RequestValidatorId"])
            if target in self.validators:
                method.request_validator = self.validators[target]
                method.sources["request_validator"] = ctx.source(at("RequestValidatorId"))
            else:
                ctx.report(at("RequestValidatorId"), f"expected !Ref to an {REQUEST_VALIDATOR} of this API")
        models = as_mapping(ctx, props.get("RequestModels"), at("RequestModels")) or {}
        for content_type, value in models.items():
            pointer = at("RequestModels", content_type)
            target = _ref(value)
            if target is not None:
                name = self.model_names.get(target)
                if name is None:
                    ctx.report(pointer, f"expected !Ref to an {MODEL} of this API")
                    continue
            else:
                name = as_string(ctx, value, pointer)
                if name is None:
                    continue
                if name not in self.api.models and name not in ("Empty", "Error"):
                    ctx.report(pointer, f"no model named {name!r} in this API")
                    continue
            self.use_model(method, content_type, name, pointer)

    def use_model(self, method: Method, content_type: str, name: str, pointer: str) -> None:
        from .common import not_emulated

        method.request_models[content_type] = name
        method.sources[f"request_models.{content_type}"] = self.ctx.source(pointer)
        model = self.api.models.get(name)
        for keyword, where in (model.unsupported if model is not None else []):
            note = f"{method.http_method} {method.resource_path}: {model.note(keyword, where)}"
            if all(n.what != note for n in method.not_emulated):  # a model used for two content types
                not_emulated(self.ctx, method, where, model.note(keyword, where))

    # -- SAM --------------------------------------------------------------------------

    def sam_models(self) -> None:
        """``Models`` of an ``AWS::Serverless::Api``: name -> schema, for application/json."""
        reader = self.reader
        if self.api_id not in reader.resources:
            return
        pointer = reader.pointer(self.api_id, "Properties", "Models")
        for name, schema in (as_mapping(self.ctx, reader.props(self.api_id).get("Models"), pointer) or {}).items():
            made = model_from_schema(self.ctx, name, schema, join_pointer(pointer, name))
            if made is not None:
                self.api.models[name] = made

    def sam_event(self, method: Method, props: dict[str, Any], pointer: str, api_auth: dict[str, Any]) -> None:
        """An ``Api`` event's ``RequestModel``, ``RequestParameters`` and ``Auth.ApiKeyRequired``."""
        ctx = self.ctx
        auth = props.get("Auth") if isinstance(props.get("Auth"), dict) else {}
        if "ApiKeyRequired" in auth:
            flag, where = auth["ApiKeyRequired"], join_pointer(pointer, "Auth", "ApiKeyRequired")
        elif "ApiKeyRequired" in api_auth:
            flag, where = api_auth["ApiKeyRequired"], self.reader.pointer(self.api_id, "Properties", "Auth",
                                                                          "ApiKeyRequired")
        else:
            flag, where = None, None
        if flag is not None and where is not None:
            method.api_key_required = bool(as_bool(ctx, flag, where))
            method.sources["api_key_required"] = ctx.source(where)
        self._sam_parameters(method, props.get("RequestParameters"), join_pointer(pointer, "RequestParameters"))
        model_pointer = join_pointer(pointer, "RequestModel")
        spec = as_mapping(ctx, props.get("RequestModel"), model_pointer)
        if spec is None:
            return
        name = as_string(ctx, spec.get("Model"), join_pointer(model_pointer, "Model"))
        if name is None:
            ctx.report(model_pointer, "a RequestModel needs 'Model', the name of one of the API's Models")
            return
        if name not in self.api.models:
            known = ", ".join(sorted(self.api.models)) or "the API defines none"
            ctx.report(join_pointer(model_pointer, "Model"), f"no model named {name!r} in the API's Models ({known})")
            return
        self.use_model(method, "application/json", name, join_pointer(model_pointer, "Model"))
        flags = {}
        for key in ("ValidateBody", "ValidateParameters"):
            flags[key] = bool(as_bool(ctx, spec[key], join_pointer(model_pointer, key))) if key in spec else False
        if flags["ValidateBody"] or flags["ValidateParameters"]:
            label = {(True, True): "body and parameters", (True, False): "body only",
                     (False, True): "parameters only"}[(flags["ValidateBody"], flags["ValidateParameters"])]
            method.request_validator = RequestValidator(f"SAM RequestModel ({label})", flags["ValidateBody"],
                                                        flags["ValidateParameters"],
                                                        source=ctx.source(model_pointer))
            method.sources["request_validator"] = ctx.source(model_pointer)

    def sam_authorizers(self, api_auth: dict[str, Any]) -> None:
        """``Auth.Authorizers`` of an ``AWS::Serverless::Api``: Lambda (``FunctionArn``) and Cognito
        (``UserPoolArn``) authorizers, by name."""
        ctx = self.ctx
        pointer = self.reader.pointer(self.api_id, "Properties", "Auth", "Authorizers")
        for name, spec in (as_mapping(ctx, api_auth.get("Authorizers"), pointer) or {}).items():
            child = join_pointer(pointer, name)
            spec = as_mapping(ctx, spec, child) or {}
            identity = as_mapping(ctx, spec.get("Identity"), join_pointer(child, "Identity")) or {}
            if self.api.protocol == "HTTP":
                made = self._http_authorizer(name, spec, child)
                if made is not None:
                    self.api.authorizers[name] = made
                continue
            if "UserPoolArn" in spec:
                made = Authorizer(name, "COGNITO_USER_POOLS", source=ctx.source(child), id=_short_id(name))
                arns = spec["UserPoolArn"] if isinstance(spec["UserPoolArn"], list) else [spec["UserPoolArn"]]
                made.provider_arns = [text for index, arn in enumerate(arns)
                                      if (text := self.reader.literal(arn, join_pointer(child, "UserPoolArn")))]
                header = identity.get("Header", "Authorization")
                made.identity_sources = [f"method.request.header.{header}"]
                expression = identity.get("ValidationExpression")
                made.validation_expression = checked_expression(
                    ctx, expression if isinstance(expression, str) else None,
                    join_pointer(child, "Identity", "ValidationExpression"))
            elif "FunctionArn" in spec:
                payload = str(spec.get("FunctionPayloadType", "TOKEN")).upper()
                if payload not in ("TOKEN", "REQUEST"):
                    ctx.report(join_pointer(child, "FunctionPayloadType"), "FunctionPayloadType is TOKEN or REQUEST")
                    continue
                made = Authorizer(name, payload, source=ctx.source(child), id=_short_id(name))
                self._sam_function(made, spec["FunctionArn"], join_pointer(child, "FunctionArn"))
                if payload == "TOKEN":
                    made.identity_sources = [f"method.request.header.{identity.get('Header', 'Authorization')}"]
                    expression = identity.get("ValidationExpression")
                    made.validation_expression = checked_expression(
                        ctx, expression if isinstance(expression, str) else None,
                        join_pointer(child, "Identity", "ValidationExpression"))
                else:
                    for key, prefix in (("Headers", "method.request.header."),
                                        ("QueryStrings", "method.request.querystring."),
                                        ("StageVariables", "stageVariables."), ("Context", "context.")):
                        for item in identity.get(key) or [] if isinstance(identity.get(key), list) else []:
                            if isinstance(item, str):
                                made.identity_sources.append(prefix + item)
            else:
                ctx.report(child, "a SAM authorizer needs FunctionArn (Lambda) or UserPoolArn (Cognito)")
                continue
            self.api.authorizers[name] = made

    def _http_authorizer(self, name: str, spec: dict[str, Any], child: str) -> Authorizer | None:
        """An ``AWS::Serverless::HttpApi`` authorizer: ``JwtConfiguration`` (run), or a Lambda one (not yet)."""
        ctx = self.ctx
        made = Authorizer(name, "JWT", source=ctx.source(child), id=_short_id(name))
        if "JwtConfiguration" not in spec:
            return self._http_lambda_authorizer(made, spec, child)
        config = as_mapping(ctx, spec["JwtConfiguration"], join_pointer(child, "JwtConfiguration")) or {}
        issuer = config.get("issuer", config.get("Issuer"))
        made.issuer = self.reader.literal(issuer, join_pointer(child, "JwtConfiguration", "issuer"))
        audience = config.get("audience", config.get("Audience"))
        audiences = audience if isinstance(audience, list) else [audience] if audience is not None else []
        made.audiences = [text for index, item in enumerate(audiences)
                          if (text := self.reader.literal(item, join_pointer(child, "JwtConfiguration", "audience",
                                                                             index)))]
        source = spec.get("IdentitySource", "$request.header.Authorization")
        made.identity_sources = [source] if isinstance(source, str) else ["$request.header.Authorization"]
        return made

    def _sam_function(self, made: Authorizer, arn: Any, pointer: str) -> None:
        """A SAM ``FunctionArn`` (``!GetAtt Fn.Arn``, ``!Ref``, or an ARN): the template function it names and
        the invocation URI API Gateway calls."""
        target = _ref(arn) or (arn["Fn::GetAtt"][0] if intrinsics.intrinsic_name(arn) == "Fn::GetAtt"
                               and isinstance(arn["Fn::GetAtt"], list) and arn["Fn::GetAtt"] else None)
        made.function_id = target if isinstance(target, str) else None
        arn_text = self.reader.literal(arn, pointer)
        made.uri = (f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn_text}/invocations"
                    if arn_text else None)

    def _http_lambda_authorizer(self, made: Authorizer, spec: dict[str, Any], child: str) -> Authorizer | None:
        """An HTTP API Lambda authorizer of SAM: ``FunctionArn``, ``AuthorizerPayloadFormatVersion``,
        ``EnableSimpleResponses``, ``Identity`` (``Headers``, ``QueryStrings``, ``StageVariables``, ``Context``)."""
        ctx = self.ctx
        if "FunctionArn" not in spec:
            ctx.report(child, "an HttpApi authorizer needs JwtConfiguration (JWT) or FunctionArn (Lambda)")
            return None
        made.type = "HTTP_LAMBDA"
        self._sam_function(made, spec["FunctionArn"], join_pointer(child, "FunctionArn"))
        version = str(spec.get("AuthorizerPayloadFormatVersion", "")).strip()
        if version not in ("1.0", "2.0"):
            ctx.report(join_pointer(child, "AuthorizerPayloadFormatVersion"),
                       "an HttpApi Lambda authorizer needs AuthorizerPayloadFormatVersion: 1.0 or 2.0")
            return None
        made.payload_version = version
        if spec.get("EnableSimpleResponses") is not None:
            made.simple_responses = bool(as_bool(ctx, spec["EnableSimpleResponses"],
                                                 join_pointer(child, "EnableSimpleResponses")))
        identity = spec.get("Identity") if isinstance(spec.get("Identity"), dict) else {}
        for key, prefix in (("Headers", "$request.header."), ("QueryStrings", "$request.querystring."),
                            ("StageVariables", "$stageVariables."), ("Context", "$context.")):
            for item in identity.get(key) or [] if isinstance(identity.get(key), list) else []:
                if isinstance(item, str):
                    made.identity_sources.append(prefix + item)
        return made

    def sam_authorization(self, method: Method, props: dict[str, Any], pointer: str,
                          api_auth: dict[str, Any]) -> None:
        """The event's ``Auth.Authorizer`` (a name, ``AWS_IAM`` or ``NONE``), else the API's ``DefaultAuthorizer``."""
        if not self.api.authorizers and api_auth.get("Authorizers") is not None:
            self.sam_authorizers(api_auth)
        auth = props.get("Auth") if isinstance(props.get("Auth"), dict) else {}
        if "Authorizer" in auth:
            name, where = auth["Authorizer"], join_pointer(pointer, "Auth", "Authorizer")
        else:
            name = api_auth.get("DefaultAuthorizer")
            where = self.reader.pointer(self.api_id, "Properties", "Auth", "DefaultAuthorizer")
        if not isinstance(name, str) or name.upper() == "NONE":
            return
        if name.upper() == "AWS_IAM":
            method.authorization_type = "AWS_IAM"
            method.sources["authorizer"] = self.ctx.source(where)
            return
        authorizer = self.api.authorizers.get(name)
        if authorizer is None:
            known = ", ".join(sorted(self.api.authorizers)) or "the API defines none"
            self.ctx.report(where, f"no authorizer named {name!r} in the API's Auth.Authorizers ({known})")
            return
        method.authorizer = authorizer
        method.authorization_type = {"COGNITO_USER_POOLS": "COGNITO_USER_POOLS", "JWT": "JWT"}.get(
            authorizer.type, "CUSTOM")
        method.sources["authorizer"] = self.ctx.source(where)
        scopes = auth.get("AuthorizationScopes")
        if isinstance(scopes, list):
            method.authorization_scopes = [s for s in scopes if isinstance(s, str)]
        else:
            spec = (api_auth.get("Authorizers") or {}).get(name)
            default_scopes = spec.get("AuthorizationScopes") if isinstance(spec, dict) else None
            if isinstance(default_scopes, list):
                method.authorization_scopes = [s for s in default_scopes if isinstance(s, str)]

    def _sam_parameters(self, method: Method, value: Any, pointer: str) -> None:
        """``RequestParameters``: ``method.request.…`` names, or one-key maps with ``Required`` (and ``Caching``)."""
        ctx = self.ctx
        for index, item in enumerate(as_list(ctx, value, pointer) or []):
            child = join_pointer(pointer, index)
            if isinstance(item, str):
                name, required = item, False
            elif isinstance(item, dict) and len(item) == 1:
                name, spec = next(iter(item.items()))
                spec = as_mapping(ctx, spec, join_pointer(child, name)) or {}
                required = bool(as_bool(ctx, spec["Required"], join_pointer(child, name, "Required"))) \
                    if "Required" in spec else False
            else:
                ctx.report(child, "a request parameter is a 'method.request.…' name or {name: {Required: true}}")
                continue
            if not name.startswith(_PARAMETER_LOCATIONS):
                ctx.report(child, f"{name!r} is not method.request.header|querystring|path.<name>")
                continue
            method.request_parameters[name] = required
            method.sources[f"request_parameters.{name}"] = ctx.source(child)
