"""What the authorizers share: identity sources, tokens, the method ARN and how a refusal is answered."""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from typing import Any

from vtlgw.apigw.definition.authorizers import Authorizer
from vtlgw.vtl.values import to_text

from .policy import method_arn
from .state import StageRejected, StageState

__all__ = ["UNAUTHORIZED", "EXPLICIT_DENY_MESSAGE", "IMPLICIT_DENY_MESSAGE", "CONFIG_ERROR_BODY", "mask",
           "identity_values", "http_identity_values", "decode_jwt", "bearer_claims", "request_seconds",
           "claim_text", "unauthorized",
           "configuration_error", "arn_for"]

UNAUTHORIZED = "Unauthorized"
EXPLICIT_DENY_MESSAGE = "User is not authorized to access this resource with an explicit deny"
IMPLICIT_DENY_MESSAGE = "User is not authorized to access this resource"
CONFIG_ERROR_BODY = '{"message": null}'  # as users report the 500 of a failing authorizer (U71)
_JWT = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")


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


def http_identity_values(state: StageState, sources: list[str]) -> list[tuple[str, str | None]]:
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


def bearer_claims(token: str) -> dict[str, Any] | None:
    """The claims of a JWT sent alone or after ``Bearer `` (U73, U77); None when it is not a JWT."""
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    return decode_jwt(token)


def request_seconds(state: StageState) -> float:
    """The request time in seconds, against which a token's ``exp`` and ``nbf`` are read."""
    return (state.context.get("requestTimeEpoch") or int(time.time() * 1000)) / 1000


def claim_text(value: Any) -> str:
    """Claims reach templates as Strings; a list claim as API Gateway shows it (``[a, b]``) (U72)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(claim_text(v) for v in value) + "]"
    return to_text(value) if not isinstance(value, dict) else json.dumps(value, separators=(",", ":"))


def unauthorized(state: StageState, why: str, message: str = UNAUTHORIZED) -> StageRejected:
    state.trace.append(f"authorizer: {why} (API Gateway answers 401 {message})")
    return StageRejected(f"Unauthorized request: {state.context.get('requestId') or ''}", "UNAUTHORIZED", message)


def configuration_error(state: StageState, authorizer: Authorizer, why: str) -> StageRejected:
    state.log.add(f"Execution failed due to configuration error: {why}")
    state.log.add("AuthorizerConfigurationException")
    state.trace.append(f"authorizer: {authorizer.name}: {why} (API Gateway answers 500)")
    rejected = StageRejected("Execution failed due to configuration error: " + why,
                             "AUTHORIZER_CONFIGURATION_ERROR", "Internal server error")
    rejected.body = CONFIG_ERROR_BODY
    return rejected


def arn_for(state: StageState, authorizer: Authorizer) -> str:
    ctx = state.context
    region = "us-east-1"
    uri = authorizer.uri or ""
    if uri.startswith("arn:") and len(uri.split(":")) > 3 and uri.split(":")[3]:
        region = uri.split(":")[3]
    return method_arn(region, to_text(ctx.get("accountId")) or "123456789012", to_text(ctx.get("apiId")) or "",
                      state.stage or to_text(ctx.get("stage")) or "", state.request.http_method.upper(),
                      state.request.path or "/")
