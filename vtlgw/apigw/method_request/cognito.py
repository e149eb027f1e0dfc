"""Cognito user pool authorizers of a REST API (docs/method-request.md §5.2)."""

from __future__ import annotations

from vtlgw.apigw.definition.authorizers import Authorizer
from vtlgw.vtl.values import OpaqueMap

from .authorizer_common import bearer_claims, claim_text, identity_values, request_seconds, unauthorized
from .state import StageState

__all__ = ["run"]


def run(state: StageState, authorizer: Authorizer) -> None:
    """Decode the token (or take the given claims), check it, and set ``$context.authorizer.claims``."""
    if state.claims is not None:
        claims = dict(state.claims)
        state.trace.append(f"authorizer: {authorizer.name} (Cognito): claims given for the run, no token read")
    else:
        (expression, token), = identity_values(state, authorizer.identity_sources[:1] or
                                               ["method.request.header.Authorization"])
        if token is None:
            raise unauthorized(state, f"{authorizer.name} (Cognito): {expression} is missing")
        decoded = bearer_claims(token)  # with or without the Bearer prefix (U73)
        if decoded is None:
            raise unauthorized(state, f"{authorizer.name} (Cognito): {expression} is not a JWT")
        claims = decoded
        now = request_seconds(state)
        exp = claims.get("exp")
        if isinstance(exp, (int, float)) and not isinstance(exp, bool) and exp <= now:
            raise unauthorized(state, f"{authorizer.name} (Cognito): the token expired (exp {exp})",
                               message="The incoming token has expired")
        issuers = [_issuer(arn) for arn in authorizer.provider_arns]
        issuers = [i for i in issuers if i]
        if issuers and claims.get("iss") not in issuers:
            raise unauthorized(state, f"{authorizer.name} (Cognito): the token's iss {claims.get('iss')!r} is "
                               f"none of the user pools ({', '.join(issuers)})")
        audience = claims.get("aud", claims.get("client_id"))
        if authorizer.validation_expression:
            from vtlgw.vtl.jregex import compile_java

            if not isinstance(audience, str) or not compile_java(authorizer.validation_expression).matches(audience):
                raise unauthorized(state, f"{authorizer.name} (Cognito): the token's aud {audience!r} does not "
                                   f"match identityValidationExpression {authorizer.validation_expression!r}")
        state.trace.append(f"authorizer: {authorizer.name} (Cognito): token decoded, its signature not verified "
                           "offline")
    scopes = list(getattr(state.method, "authorization_scopes", []) or [])
    if scopes:  # an access token with one of the scopes
        granted = str(claims.get("scope") or "").split()
        if claims.get("token_use") not in (None, "access") or not set(scopes) & set(granted):
            raise unauthorized(state, f"{authorizer.name} (Cognito): the token has none of the scopes "
                               f"{', '.join(scopes)}")
    elif state.claims is None and claims.get("token_use") == "access":  # without scopes, the ID token
        raise unauthorized(state, f"{authorizer.name} (Cognito): an access token, but a method without "
                           "authorization scopes takes the ID token")
    state.context["authorizer"] = OpaqueMap([("claims", OpaqueMap((k, claim_text(v)) for k, v in claims.items()))])


def _issuer(arn: str) -> str | None:
    """``arn:aws:cognito-idp:region:account:userpool/us-east-1_abc`` -> its token issuer URL."""
    parts = arn.split(":")
    if len(parts) < 6 or not parts[5].startswith("userpool/"):
        return None
    return f"https://cognito-idp.{parts[3]}.amazonaws.com/{parts[5][len('userpool/'):]}"
