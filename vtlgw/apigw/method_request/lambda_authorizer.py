"""Lambda TOKEN and REQUEST authorizers of a REST API (docs/method-request.md §5.1)."""

from __future__ import annotations

import json
from typing import Any

from vtlgw.apigw.definition.authorizers import Authorizer
from vtlgw.vtl.values import OpaqueMap, to_text

from .authorizer_common import (CONFIG_ERROR_BODY, EXPLICIT_DENY_MESSAGE, IMPLICIT_DENY_MESSAGE, UNAUTHORIZED, arn_for,
                                configuration_error, identity_values, mask, unauthorized)
from .policy import EXPLICIT_DENY, PolicyError, evaluate
from .state import StageRejected, StageState

__all__ = ["run"]


def run(state: StageState, authorizer: Authorizer) -> None:
    """Check the identity sources, call the function, and apply its policy and context."""
    values = identity_values(state, authorizer.identity_sources)
    missing = [expression for expression, value in values if value is None]
    if missing:
        raise unauthorized(state, f"{authorizer.name}: identity source {', '.join(missing)} is missing; the "
                           "function is not called")
    token = values[0][1] if authorizer.type == "TOKEN" and values else None
    if token is not None and authorizer.validation_expression:
        from vtlgw.vtl.jregex import compile_java

        if not compile_java(authorizer.validation_expression).matches(token):
            raise unauthorized(state, f"{authorizer.name}: the token does not match identityValidationExpression "
                               f"{authorizer.validation_expression!r}; the function is not called")
    arn = arn_for(state, authorizer)
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
        raise configuration_error(state, authorizer, "no way to call the authorizer function")
    reply = state.call_authorizer(authorizer, event)
    state.authorizer_latency_ms = reply.latency_ms
    if reply.timed_out:  # the gateway could not get an answer: AUTHORIZER_FAILURE (U71)
        log.add("Execution failed due to a timeout error")
        state.trace.append(f"authorizer: {authorizer.name}: the function timed out (API Gateway answers 500)")
        failed = StageRejected("Execution failed due to a timeout error", "AUTHORIZER_FAILURE",
                               "Internal server error")
        failed.body = CONFIG_ERROR_BODY
        raise failed
    if reply.failure is not None:
        raise configuration_error(state, authorizer, reply.failure)
    if reply.error is not None:
        message = reply.error.get("errorMessage") if isinstance(reply.error, dict) else None
        if message == UNAUTHORIZED:
            raise unauthorized(state, f"{authorizer.name}: the function failed with 'Unauthorized'")
        # API Gateway reads the error object as the function's result, and refuses its first field (recorded).
        log.add(f"Authorizer result body before parsing: {json.dumps(reply.error, separators=(',', ':'))}")
        first = next(iter(reply.error), "errorMessage") if isinstance(reply.error, dict) else "errorMessage"
        state.trace.append(f"authorizer: {authorizer.name}: the function failed with {message!r}; only the error "
                           "'Unauthorized' gives 401, any other is 500")
        raise configuration_error(state, authorizer, f'Invalid JSON in response: Unrecognized field "{first}" , not '
                                  "marked as ignorable")
    log.add(f"Authorizer result body before parsing: {reply.payload}")
    output = _output(state, authorizer, reply.payload or "")
    principal = output["principalId"]
    try:
        decision = evaluate(output["policyDocument"], arn)
    except PolicyError as exc:
        raise configuration_error(state, authorizer, f"Could not parse policy: {exc}") from None
    context = output.get("context") or {}
    bad = [key for key, value in context.items() if isinstance(value, (dict, list))]
    if bad:
        raise configuration_error(state, authorizer, f"the context values of {', '.join(bad)} are objects or arrays; "
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
        raise configuration_error(state, authorizer, "the function's result is not JSON") from None
    if not isinstance(output, dict):
        raise configuration_error(state, authorizer, "the function's result is not a JSON object")
    if not isinstance(output.get("principalId"), str):
        raise configuration_error(state, authorizer, "the function's result has no principalId string")
    if "policyDocument" not in output:
        raise configuration_error(state, authorizer, "the function's result has no policyDocument")
    if output.get("context") is not None and not isinstance(output["context"], dict):
        raise configuration_error(state, authorizer, "the function's context is not an object")
    return output
