"""Authorizers, run in-process before the API key check (docs/method-request.md §5).

* **Lambda TOKEN / REQUEST** [D:apigateway-use-lambda-authorizer,
  api-gateway-lambda-authorizer-input, api-gateway-lambda-authorizer-output]:
  the identity sources must be present (else 401 ``Unauthorized``, the
  function not called); a TOKEN authorizer's ``identityValidationExpression``
  must match the token. The function gets the documented event; the error
  ``Unauthorized`` is 401; its ``policyDocument`` is evaluated against the
  method ARN (:mod:`.policy`): a ``Deny``, or no ``Allow``, is 403. ``context``
  values must be strings, numbers or booleans. ``principalId`` and the context
  reach ``$context.authorizer``; ``usageIdentifierKey`` is the API key when the
  API takes its keys from the authorizer.
* **Cognito user pools** [D:apigateway-integrate-with-cognito]: the token of
  the identity source (the ``Authorization`` header by default) is decoded, not
  verified; its ``exp`` is checked against the request time and its ``iss``
  against the user pools. Claims given for the run replace the token.
  With authorization scopes, an access token must carry one of them.
* **AWS_IAM**: a request signed with Signature Version 4 (an ``Authorization``
  header starting ``AWS4-HMAC-SHA256``), or whose request file gives the
  caller's identity, goes on; the signature is not checked. Any other is 403
  ``Missing Authentication Token``.

Results are not cached: every request runs its authorizer (U70).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from typing import Any

from vtlgw.apigw.definition.authorizers import Authorizer
from vtlgw.vtl.values import OpaqueMap, to_text

from .policy import EXPLICIT_DENY, PolicyError, evaluate, method_arn
from .state import StageRejected, StageState

__all__ = ["check", "identity_values", "decode_jwt", "UNAUTHORIZED", "EXPLICIT_DENY_MESSAGE",
           "IMPLICIT_DENY_MESSAGE"]

UNAUTHORIZED = "Unauthorized"
EXPLICIT_DENY_MESSAGE = "User is not authorized to access this resource with an explicit deny"
IMPLICIT_DENY_MESSAGE = "User is not authorized to access this resource"
_JWT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_CONFIG_ERROR_BODY = '{"message": null}'  # as users report the 500 of a failing authorizer (U71)


def mask(text: str) -> str:
    """A token or principal as the log shows it: all but its last 6 characters starred (U71)."""
    return "*" * max(len(text) - 6, 0) + text[-6:]


def identity_values(state: StageState, sources: list[str]) -> list[tuple[str, str | None]]:
    """Each identity source expression and its value in this request (None when absent or blank)."""
    request = state.request
    found: list[tuple[str, str | None]] = []
    for expression in sources:
        value: str | None = None
        if expression.startswith("method.request.header."):
            value = request.header_any_case(expression[len("method.request.header."):])
        elif expression.startswith("method.request.multivalueheader."):
            value = request.header_any_case(expression[len("method.request.multivalueheader."):])
        elif expression.startswith(("method.request.querystring.", "method.request.multivaluequerystring.")):
            name = expression.split(".", 3)[3]
            values = request.query.get(name) or []
            value = values[-1] if values else None
        elif expression.startswith("stageVariables."):
            variables = state.stage_variables or {}
            value = variables.get(expression[len("stageVariables."):])
        elif expression.startswith("context."):
            raw: Any = state.context
            for part in expression[len("context."):].split("."):
                raw = raw.get(part) if isinstance(raw, dict) else None
            value = to_text(raw) if raw is not None else None
        found.append((expression, value if value is not None and value.strip() else None))
    return found


def check(state: StageState) -> None:
    """Run the method's authorizer, if it has one; raises :class:`StageRejected` when it refuses."""
    method = state.method
    kind = getattr(method, "authorization_type", "NONE")
    if kind == "AWS_IAM":
        _iam(state)
    elif kind == "COGNITO_USER_POOLS" and method.authorizer is not None:
        _cognito(state, method.authorizer)
    elif kind == "CUSTOM" and method.authorizer is not None and method.authorizer.type == "HTTP_LAMBDA":
        _http_lambda(state, method.authorizer)
    elif kind == "CUSTOM" and method.authorizer is not None:
        _lambda(state, method.authorizer)
    elif kind == "JWT" and method.authorizer is not None:
        _jwt(state, method.authorizer)


# ---------------------------------------------------------------------------- HTTP API Lambda


def _http_values(state: StageState, sources: list[str]) -> list[tuple[str, str | None]]:
    """HTTP API identity sources (``$request.header.X``, ``$request.querystring.q``, ``$stageVariables.v``,
    ``$context.k``) and their values (None when absent or blank)."""
    rest = []
    for source in sources:
        for http, method in (("$request.header.", "method.request.header."),
                             ("$request.querystring.", "method.request.querystring."),
                             ("$stageVariables.", "stageVariables."), ("$context.", "context.")):
            if source.startswith(http):
                rest.append(method + source[len(http):])
                break
        else:
            rest.append(source)
    return [(source, value) for source, (_, value) in zip(sources, identity_values(state, rest))]


def _http_lambda(state: StageState, authorizer: Authorizer) -> None:
    """An HTTP API Lambda authorizer [D:http-api-lambda-authorizer]: payload format 1.0 or 2.0, a simple
    ``{"isAuthorized": …}`` answer or a policy; ``context`` reaches ``requestContext.authorizer.lambda``."""
    values = _http_values(state, authorizer.identity_sources)
    missing = [source for source, value in values if value is None]
    if missing:
        raise _unauthorized(state, f"{authorizer.name}: identity source {', '.join(missing)} is missing; the "
                                   "function is not called")
    arn = _method_arn(state, authorizer)
    built = state.request_event(authorizer.payload_version) if state.request_event is not None else {}
    shown = [value for _, value in values]
    if authorizer.payload_version == "2.0":
        event: dict[str, Any] = {"version": "2.0", "type": "REQUEST", "routeArn": arn, "identitySource": shown,
                                 **{k: v for k, v in built.items() if k not in ("version", "body", "isBase64Encoded")}}
    else:
        event = {"version": "1.0", "type": "REQUEST", "methodArn": arn, "identitySource": ",".join(shown),
                 **{k: v for k, v in built.items() if k not in ("version", "body", "isBase64Encoded")}}
    if state.call_authorizer is None:
        raise _configuration(state, authorizer, "no way to call the authorizer function")
    state.log.add(f"Starting authorizer: {authorizer.id} for request: {state.context.get('requestId') or ''}")
    reply = state.call_authorizer(authorizer, event)
    if reply.timed_out or reply.failure is not None:
        raise _configuration(state, authorizer, reply.failure or "the authorizer function timed out")
    if reply.error is not None:
        message = reply.error.get("errorMessage") if isinstance(reply.error, dict) else None
        if message == UNAUTHORIZED:
            raise _unauthorized(state, f"{authorizer.name}: the function failed with 'Unauthorized'")
        raise _configuration(state, authorizer, f"the function failed with {message!r}")
    state.log.add(f"Authorizer result body before parsing: {reply.payload}")
    try:
        output = json.loads(reply.payload or "")
    except ValueError:
        raise _configuration(state, authorizer, "the function's result is not JSON") from None
    if not isinstance(output, dict):
        raise _configuration(state, authorizer, "the function's result is not a JSON object")
    context = output.get("context") or {}
    if not isinstance(context, dict):
        raise _configuration(state, authorizer, "the function's context is not an object")
    if authorizer.simple_responses:
        allowed = output.get("isAuthorized")
        if not isinstance(allowed, bool):
            raise _configuration(state, authorizer, "a simple response needs isAuthorized, a boolean")
        why = "isAuthorized is false"
    else:
        if "policyDocument" not in output:
            raise _configuration(state, authorizer, "the function's result has no policyDocument")
        try:
            decision = evaluate(output["policyDocument"], arn)
        except PolicyError as exc:
            raise _configuration(state, authorizer, f"Could not parse policy: {exc}") from None
        allowed, why = decision.allowed, f"the policy does not allow {arn}"
    if not allowed:
        state.trace.append(f"authorizer: {authorizer.name}: {why} (the HTTP API answers 403 Forbidden)")
        raise StageRejected("The client is not authorized to perform this operation.", "ACCESS_DENIED",
                            "Forbidden")
    entries = {key: value for key, value in context.items()}
    if state.payload_version == "1.0":  # the route's format decides the event's shape (U78)
        state.context["authorizer"] = OpaqueMap(list(entries.items()) + (
            [("principalId", output["principalId"])] if isinstance(output.get("principalId"), str) else []))
    else:
        state.context["authorizer"] = OpaqueMap([("lambda", OpaqueMap(entries.items()))])
    state.event_authorizer = {"lambda": entries}
    state.trace.append(f"authorizer: {authorizer.name}: allowed; requestContext.authorizer carries its context")


# ---------------------------------------------------------------------------- HTTP API JWT


def _jwt(state: StageState, authorizer: Authorizer) -> None:
    """An HTTP API JWT authorizer [D:http-api-jwt-authorizer]: the token's ``iss``, ``aud``/``client_id``,
    ``exp``/``nbf`` and the route's scopes (``scope`` or ``scp``); the signature is not verified offline."""
    source = (authorizer.identity_sources or ["$request.header.Authorization"])[0]
    token = None
    if source.lower().startswith("$request.header."):
        token = state.request.header_any_case(source[len("$request.header."):])
    elif source.startswith("$request.querystring."):
        values = state.request.query.get(source[len("$request.querystring."):]) or []
        token = values[-1] if values else None
    if not token or not token.strip():
        raise _unauthorized(state, f"{authorizer.name} (JWT): {source} is missing")
    if token[:7].lower() == "bearer ":  # with or without the prefix (U77)
        token = token[7:].strip()
    claims = decode_jwt(token)
    if claims is None:
        raise _unauthorized(state, f"{authorizer.name} (JWT): {source} is not a JWT")
    now = (state.context.get("requestTimeEpoch") or int(time.time() * 1000)) / 1000
    for name, late in (("exp", True), ("nbf", False)):
        value = claims.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and (value <= now if late else value > now):
            raise _unauthorized(state, f"{authorizer.name} (JWT): the token's {name} ({value}) refuses the request "
                                       "time")
    if authorizer.issuer and claims.get("iss") != authorizer.issuer:
        raise _unauthorized(state, f"{authorizer.name} (JWT): iss {claims.get('iss')!r} is not {authorizer.issuer!r}")
    audience = claims.get("aud", claims.get("client_id"))
    audiences = audience if isinstance(audience, list) else [audience]
    if authorizer.audiences and not set(a for a in audiences if isinstance(a, str)) & set(authorizer.audiences):
        raise _unauthorized(state, f"{authorizer.name} (JWT): aud/client_id {audience!r} is none of "
                                   f"{', '.join(authorizer.audiences)}")
    scopes = list(getattr(state.method, "authorization_scopes", []) or [])
    granted_raw = claims.get("scope", claims.get("scp"))
    granted = granted_raw.split() if isinstance(granted_raw, str) else \
        [g for g in granted_raw if isinstance(g, str)] if isinstance(granted_raw, list) else []
    if scopes and not set(scopes) & set(granted):
        state.trace.append(f"authorizer: {authorizer.name} (JWT): the token has none of the scopes "
                           f"{', '.join(scopes)} (the HTTP API answers 403 Forbidden)")
        raise StageRejected("Forbidden: insufficient scopes", "ACCESS_DENIED", "Forbidden")
    shown = {k: _claim(v) for k, v in claims.items()}
    entry = {"claims": shown, "scopes": granted or None}
    state.context["authorizer"] = OpaqueMap([("jwt", OpaqueMap([("claims", OpaqueMap(shown.items())),
                                                                 ("scopes", granted or None)]))])
    if state.payload_version == "1.0":  # payload 1.0 carries the claims at the top (U77)
        state.context["authorizer"] = OpaqueMap([("claims", OpaqueMap(shown.items())), ("scopes", granted or None)])
    state.event_authorizer = entry
    state.trace.append(f"authorizer: {authorizer.name} (JWT): token accepted, its signature not verified offline")


# ---------------------------------------------------------------------------- AWS_IAM


def _iam(state: StageState) -> None:
    identity = state.context.get("identity")
    identity = identity if isinstance(identity, dict) else {}
    signed = (state.request.header_any_case("Authorization") or "").startswith("AWS4-HMAC-SHA256")
    given = any(identity.get(key) for key in ("accessKey", "userArn", "caller", "user"))
    if signed or given:
        how = "a Signature Version 4 Authorization header (not verified offline)" if signed else \
            "the caller's identity in the request file"
        state.trace.append(f"authorizer: AWS_IAM: the request carries {how}; $context.identity is as given")
        return
    header = state.request.header_any_case("Authorization")
    if header:  # some other scheme (Bearer, Basic): read as an incomplete signature (U75)
        state.trace.append("authorizer: AWS_IAM: the Authorization header is not a Signature Version 4 one "
                           "(API Gateway answers 403)")
        message = ("Authorization header requires 'Credential' parameter. Authorization header requires "
                   "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization "
                   "header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
                   f"Authorization={header}")
        raise StageRejected("Request signature is incomplete", "INVALID_SIGNATURE", message)
    state.trace.append("authorizer: AWS_IAM: the request is not signed (no AWS4-HMAC-SHA256 Authorization "
                       "header, no identity.accessKey/userArn in the request file): API Gateway answers 403")
    raise StageRejected("Request is not signed: Missing Authentication Token", "MISSING_AUTHENTICATION_TOKEN",
                        "Missing Authentication Token")


# ---------------------------------------------------------------------------- Cognito


def decode_jwt(token: str) -> dict[str, Any] | None:
    """The payload of a JWT (``header.payload.signature``), not verified; None when it is not one."""
    if not _JWT.fullmatch(token):
        return None
    parts = token.split(".")
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload.encode("ascii")).decode("utf-8"))
    except (ValueError, UnicodeError, binascii.Error):
        return None
    return claims if isinstance(claims, dict) else None


def _unauthorized(state: StageState, why: str, message: str = UNAUTHORIZED) -> StageRejected:
    state.trace.append(f"authorizer: {why} (API Gateway answers 401 {message})")
    return StageRejected(f"Unauthorized request: {state.context.get('requestId') or ''}", "UNAUTHORIZED", message)


def _cognito(state: StageState, authorizer: Authorizer) -> None:
    if state.claims is not None:
        claims = dict(state.claims)
        state.trace.append(f"authorizer: {authorizer.name} (Cognito): claims given for the run, no token read")
    else:
        (expression, token), = identity_values(state, authorizer.identity_sources[:1] or
                                               ["method.request.header.Authorization"])
        if token is None:
            raise _unauthorized(state, f"{authorizer.name} (Cognito): {expression} is missing")
        if token[:7].lower() == "bearer ":  # accepted with the prefix too (U73)
            token = token[7:].strip()
        decoded = decode_jwt(token)
        if decoded is None:
            raise _unauthorized(state, f"{authorizer.name} (Cognito): {expression} is not a JWT")
        claims = decoded
        now = (state.context.get("requestTimeEpoch") or int(time.time() * 1000)) / 1000
        exp = claims.get("exp")
        if isinstance(exp, (int, float)) and not isinstance(exp, bool) and exp <= now:
            raise _unauthorized(state, f"{authorizer.name} (Cognito): the token expired (exp {exp})",
                                message="The incoming token has expired")
        issuers = [_issuer(arn) for arn in authorizer.provider_arns]
        issuers = [i for i in issuers if i]
        if issuers and claims.get("iss") not in issuers:
            raise _unauthorized(state, f"{authorizer.name} (Cognito): the token's iss {claims.get('iss')!r} is "
                                       f"none of the user pools ({', '.join(issuers)})")
        audience = claims.get("aud", claims.get("client_id"))
        if authorizer.validation_expression:
            from vtlgw.vtl.jregex import compile_java

            if not isinstance(audience, str) or not compile_java(authorizer.validation_expression).matches(audience):
                raise _unauthorized(state, f"{authorizer.name} (Cognito): the token's aud {audience!r} does not "
                                           f"match identityValidationExpression {authorizer.validation_expression!r}")
        state.trace.append(f"authorizer: {authorizer.name} (Cognito): token decoded, its signature not verified "
                           "offline")
    scopes = list(getattr(state.method, "authorization_scopes", []) or [])
    if scopes:  # an access token with one of the scopes
        granted = str(claims.get("scope") or "").split()
        if claims.get("token_use") not in (None, "access") or not set(scopes) & set(granted):
            raise _unauthorized(state, f"{authorizer.name} (Cognito): the token has none of the scopes "
                                       f"{', '.join(scopes)}")
    elif state.claims is None and claims.get("token_use") == "access":  # without scopes, the ID token
        raise _unauthorized(state, f"{authorizer.name} (Cognito): an access token, but a method without "
                                   "authorization scopes takes the ID token")
    state.context["authorizer"] = OpaqueMap([("claims", OpaqueMap((k, _claim(v)) for k, v in claims.items()))])
    state.event_authorizer = {"claims": {k: _claim(v) for k, v in claims.items()}}


def _claim(value: Any) -> str:
    """Claims reach templates as Strings; a list claim as API Gateway shows it (``[a, b]``) (U72)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(_claim(v) for v in value) + "]"
    return to_text(value) if not isinstance(value, dict) else json.dumps(value, separators=(",", ":"))


def _issuer(arn: str) -> str | None:
    """``arn:aws:cognito-idp:region:account:userpool/us-east-1_abc`` -> its token issuer URL."""
    parts = arn.split(":")
    if len(parts) < 6 or not parts[5].startswith("userpool/"):
        return None
    return f"https://cognito-idp.{parts[3]}.amazonaws.com/{parts[5][len('userpool/'):]}"


# ---------------------------------------------------------------------------- Lambda


def _lambda(state: StageState, authorizer: Authorizer) -> None:
    values = identity_values(state, authorizer.identity_sources)
    missing = [expression for expression, value in values if value is None]
    if missing:
        raise _unauthorized(state, f"{authorizer.name}: identity source {', '.join(missing)} is missing; the "
                                   "function is not called")
    token = values[0][1] if authorizer.type == "TOKEN" and values else None
    if token is not None and authorizer.validation_expression:
        from vtlgw.vtl.jregex import compile_java

        if not compile_java(authorizer.validation_expression).matches(token):
            raise _unauthorized(state, f"{authorizer.name}: the token does not match identityValidationExpression "
                                       f"{authorizer.validation_expression!r}; the function is not called")
    arn = _method_arn(state, authorizer)
    if authorizer.type == "TOKEN":
        event: dict[str, Any] = {"type": "TOKEN", "methodArn": arn, "authorizationToken": token}
    else:
        built = state.request_event() if state.request_event is not None else {}
        event = {"type": "REQUEST", "methodArn": arn, **{k: v for k, v in built.items()
                                                          if k not in ("body", "isBase64Encoded")}}
    log = state.log
    log.add(f"Starting authorizer: {authorizer.id} for request: {state.context.get('requestId') or ''}")
    if token is not None:
        log.add(f"Incoming identity: {mask(token)}")
    if state.call_authorizer is None:
        raise _configuration(state, authorizer, "no way to call the authorizer function")
    reply = state.call_authorizer(authorizer, event)
    state.authorizer_latency_ms = reply.latency_ms
    if reply.timed_out:  # the gateway could not get an answer: AUTHORIZER_FAILURE (U71)
        log.add("Execution failed due to a timeout error")
        state.trace.append(f"authorizer: {authorizer.name}: the function timed out (API Gateway answers 500)")
        failed = StageRejected("Execution failed due to a timeout error", "AUTHORIZER_FAILURE",
                               "Internal server error")
        failed.body = _CONFIG_ERROR_BODY
        raise failed
    if reply.failure is not None:
        raise _configuration(state, authorizer, reply.failure)
    if reply.error is not None:
        message = reply.error.get("errorMessage") if isinstance(reply.error, dict) else None
        if message == UNAUTHORIZED:
            raise _unauthorized(state, f"{authorizer.name}: the function failed with 'Unauthorized'")
        # API Gateway reads the error object as the function's result, and refuses its first field (recorded).
        log.add(f"Authorizer result body before parsing: {json.dumps(reply.error, separators=(',', ':'))}")
        first = next(iter(reply.error), "errorMessage") if isinstance(reply.error, dict) else "errorMessage"
        state.trace.append(f"authorizer: {authorizer.name}: the function failed with {message!r}; only the error "
                           "'Unauthorized' gives 401, any other is 500")
        raise _configuration(state, authorizer, f'Invalid JSON in response: Unrecognized field "{first}" , not '
                                                "marked as ignorable")
    log.add(f"Authorizer result body before parsing: {reply.payload}")
    output = _output(state, authorizer, reply.payload or "")
    principal = output["principalId"]
    try:
        decision = evaluate(output["policyDocument"], arn)
    except PolicyError as exc:
        raise _configuration(state, authorizer, f"Could not parse policy: {exc}") from None
    context = output.get("context") or {}
    bad = [key for key, value in context.items() if isinstance(value, (dict, list))]
    if bad:
        raise _configuration(state, authorizer, f"the context values of {', '.join(bad)} are objects or arrays; "
                                                "only strings, numbers and booleans are allowed")
    if not decision.allowed:
        explicit = decision.effect == EXPLICIT_DENY
        message = EXPLICIT_DENY_MESSAGE if explicit else IMPLICIT_DENY_MESSAGE
        log.add(f"Using valid authorizer policy for principal: {mask(principal)}")
        log.add("Successfully completed authorizer execution")
        state.trace.append(f"authorizer: {authorizer.name}: the policy "
                           + (f"denies {arn} (statement {decision.statement})" if explicit else
                              f"allows nothing matching {arn}")
                           + " (API Gateway answers 403)")
        rejected = StageRejected(f"The client is not authorized to perform this operation. ({message})",
                                 "ACCESS_DENIED", message)
        rejected.body = json.dumps({"Message": message}, separators=(",", ":"))  # capital M, as AWS sends it (U71)
        raise rejected
    log.add(f"Using valid authorizer policy for principal: {mask(principal)}")
    log.add("Successfully completed authorizer execution")
    entries: list[tuple[str, Any]] = [("principalId", principal)]
    entries += [(key, to_text(value) if value is not None else None) for key, value in context.items()]
    state.context["authorizer"] = OpaqueMap(entries)
    state.event_authorizer = {"principalId": principal, **context,
                              "integrationLatency": reply.latency_ms}
    usage_key = output.get("usageIdentifierKey")
    if isinstance(usage_key, str):
        state.usage_identifier_key = usage_key
    state.trace.append(f"authorizer: {authorizer.name}: allowed by statement {decision.statement} for principal "
                       f"{principal!r}; $context.authorizer has principalId"
                       + (f" and {', '.join(context)}" if context else ""))


def _output(state: StageState, authorizer: Authorizer, payload: str) -> dict[str, Any]:
    try:
        output = json.loads(payload)
    except ValueError:
        raise _configuration(state, authorizer, "the function's result is not JSON") from None
    if not isinstance(output, dict):
        raise _configuration(state, authorizer, "the function's result is not a JSON object")
    if not isinstance(output.get("principalId"), str):
        raise _configuration(state, authorizer, "the function's result has no principalId string")
    if "policyDocument" not in output:
        raise _configuration(state, authorizer, "the function's result has no policyDocument")
    if output.get("context") is not None and not isinstance(output["context"], dict):
        raise _configuration(state, authorizer, "the function's context is not an object")
    return output


def _configuration(state: StageState, authorizer: Authorizer, why: str) -> StageRejected:
    state.log.add(f"Execution failed due to configuration error: {why}")
    state.log.add("AuthorizerConfigurationException")
    state.trace.append(f"authorizer: {authorizer.name}: {why} (API Gateway answers 500)")
    rejected = StageRejected("Execution failed due to configuration error: " + why,
                             "AUTHORIZER_CONFIGURATION_ERROR", "Internal server error")
    rejected.body = _CONFIG_ERROR_BODY
    return rejected


def _method_arn(state: StageState, authorizer: Authorizer) -> str:
    ctx = state.context
    region = "us-east-1"
    uri = authorizer.uri or ""
    if uri.startswith("arn:") and len(uri.split(":")) > 3 and uri.split(":")[3]:
        region = uri.split(":")[3]
    return method_arn(region, to_text(ctx.get("accountId")) or "123456789012", to_text(ctx.get("apiId")) or "",
                      state.stage or to_text(ctx.get("stage")) or "", state.request.http_method.upper(),
                      state.request.path or "/")
