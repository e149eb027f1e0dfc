"""AWS_IAM authorization of a REST API (docs/method-request.md §5.3)."""

from __future__ import annotations

from .state import StageRejected, StageState

__all__ = ["run"]


def run(state: StageState) -> None:
    """Let a signed request, or one whose caller the request file names, go on; refuse any other."""
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
