"""HTTP API authorizers: JWT and Lambda (docs/method-request.md §6)."""

from __future__ import annotations

import json
from typing import Any

from vtlgw.apigw.definition.authorizers import Authorizer
from vtlgw.vtl.values import OpaqueMap

from .authorizer_common import (UNAUTHORIZED, arn_for, bearer_claims, claim_text, configuration_error,
                                http_identity_values, request_seconds, unauthorized)
from .policy import PolicyError, evaluate
from .state import StageRejected, StageState

__all__ = ["run_jwt", "run_lambda"]


def run_jwt(state: StageState, authorizer: Authorizer) -> None:
    """An HTTP API JWT authorizer [D:http-api-jwt-authorizer]: the token's ``iss``, ``aud``/``client_id``,
    ``exp``/``nbf`` and the route's scopes (``scope`` or ``scp``); the signature is not verified offline."""
    source = (authorizer.identity_sources or ["$request.header.Authorization"])[0]
    (_, token), = http_identity_values(state, [source])
    if token is None:
        raise unauthorized(state, f"{authorizer.name} (JWT): {source} is missing")
    claims = bearer_claims(token)  # with or without the Bearer prefix (U77)
    if claims is None:
        raise unauthorized(state, f"{authorizer.name} (JWT): {source} is not a JWT")
    now = request_seconds(state)
    for name, late in (("exp", True), ("nbf", False)):
        value = claims.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and (value <= now if late else value > now):
            raise unauthorized(state, f"{authorizer.name} (JWT): the token's {name} ({value}) refuses the request "
                               "time")
    if authorizer.issuer and claims.get("iss") != authorizer.issuer:
        raise unauthorized(state, f"{authorizer.name} (JWT): iss {claims.get('iss')!r} is not {authorizer.issuer!r}")
    audience = claims.get("aud", claims.get("client_id"))
    audiences = audience if isinstance(audience, list) else [audience]
    if authorizer.audiences and not set(a for a in audiences if isinstance(a, str)) & set(authorizer.audiences):
        raise unauthorized(state, f"{authorizer.name} (JWT): aud/client_id {audience!r} is none of "
                           f"{', '.join(authorizer.audiences)}")
    scopes = list(getattr(state.method, "authorization_scopes", []) or [])
    granted_raw = claims.get("scope", claims.get("scp"))
    granted = granted_raw.split() if isinstance(granted_raw, str) else \
        [g for g in granted_raw if isinstance(g, str)] if isinstance(granted_raw, list) else []
    if scopes and not set(scopes) & set(granted):
        state.trace.append(f"authorizer: {authorizer.name} (JWT): the token has none of the scopes "
                           f"{', '.join(scopes)} (the HTTP API answers 403 Forbidden)")
        raise StageRejected("Forbidden: insufficient scopes", "ACCESS_DENIED", "Forbidden")
    shown = {k: claim_text(v) for k, v in claims.items()}
    state.context["authorizer"] = OpaqueMap([("jwt", OpaqueMap([("claims", OpaqueMap(shown.items())),
                                                                 ("scopes", granted or None)]))])
    if state.payload_version == "1.0":  # payload 1.0 carries the claims at the top (U77)
        state.context["authorizer"] = OpaqueMap([("claims", OpaqueMap(shown.items())), ("scopes", granted or None)])
    state.trace.append(f"authorizer: {authorizer.name} (JWT): token accepted, its signature not verified offline")


def run_lambda(state: StageState, authorizer: Authorizer) -> None:
    """An HTTP API Lambda authorizer [D:http-api-lambda-authorizer]: payload format 1.0 or 2.0, a simple
    ``{"isAuthorized": …}`` answer or a policy; ``context`` reaches ``requestContext.authorizer.lambda``."""
    values = http_identity_values(state, authorizer.identity_sources)
    missing = [source for source, value in values if value is None]
    if missing:
        raise unauthorized(state, f"{authorizer.name}: identity source {', '.join(missing)} is missing; the "
                           "function is not called")
    arn = arn_for(state, authorizer)
    built = state.request_event(authorizer.payload_version) if state.request_event is not None else {}
    shown = [value for _, value in values]
    if authorizer.payload_version == "2.0":
        event: dict[str, Any] = {"version": "2.0", "type": "REQUEST", "routeArn": arn, "identitySource": shown,
                                 **{k: v for k, v in built.items() if k not in ("version", "body", "isBase64Encoded")}}
    else:
        event = {"version": "1.0", "type": "REQUEST", "methodArn": arn, "identitySource": ",".join(shown),
                 **{k: v for k, v in built.items() if k not in ("version", "body", "isBase64Encoded")}}
    if state.call_authorizer is None:
        raise configuration_error(state, authorizer, "no way to call the authorizer function")
    state.log.add(f"Starting authorizer: {authorizer.id} for request: {state.context.get('requestId') or ''}")
    reply = state.call_authorizer(authorizer, event)
    if reply.timed_out or reply.failure is not None:
        raise configuration_error(state, authorizer, reply.failure or "the authorizer function timed out")
    if reply.error is not None:
        message = reply.error.get("errorMessage") if isinstance(reply.error, dict) else None
        if message == UNAUTHORIZED:
            raise unauthorized(state, f"{authorizer.name}: the function failed with 'Unauthorized'")
        raise configuration_error(state, authorizer, f"the function failed with {message!r}")
    state.log.add(f"Authorizer result body before parsing: {reply.payload}")
    try:
        output = json.loads(reply.payload or "")
    except ValueError:
        raise configuration_error(state, authorizer, "the function's result is not JSON") from None
    if not isinstance(output, dict):
        raise configuration_error(state, authorizer, "the function's result is not a JSON object")
    context = output.get("context") or {}
    if not isinstance(context, dict):
        raise configuration_error(state, authorizer, "the function's context is not an object")
    if authorizer.simple_responses:
        allowed = output.get("isAuthorized")
        if not isinstance(allowed, bool):
            raise configuration_error(state, authorizer, "a simple response needs isAuthorized, a boolean")
        why = "isAuthorized is false"
    else:
        if "policyDocument" not in output:
            raise configuration_error(state, authorizer, "the function's result has no policyDocument")
        try:
            decision = evaluate(output["policyDocument"], arn)
        except PolicyError as exc:
            raise configuration_error(state, authorizer, f"Could not parse policy: {exc}") from None
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
    state.trace.append(f"authorizer: {authorizer.name}: allowed; requestContext.authorizer carries its context")
