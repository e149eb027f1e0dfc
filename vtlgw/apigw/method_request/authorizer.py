"""The authorizer step, before the API key check (docs/method-request.md §5, §6): one module per kind.

``check`` picks the module by the method's authorization type:
``lambda_authorizer`` (REST TOKEN/REQUEST), ``cognito``, ``iam`` and
``http_authorizers`` (an HTTP API route's JWT or Lambda authorizer); what
they share is in ``authorizer_common``. In short:

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

from . import cognito, http_authorizers, iam, lambda_authorizer
from .authorizer_common import (EXPLICIT_DENY_MESSAGE, IMPLICIT_DENY_MESSAGE, UNAUTHORIZED, decode_jwt,
                                identity_values, mask)
from .state import StageState

__all__ = ["check", "identity_values", "decode_jwt", "mask", "UNAUTHORIZED", "EXPLICIT_DENY_MESSAGE",
           "IMPLICIT_DENY_MESSAGE"]


def check(state: StageState) -> None:
    """Run the method's authorizer, if it has one; raises ``StageRejected`` when it refuses."""
    method = state.method
    kind = getattr(method, "authorization_type", "NONE")
    authorizer = getattr(method, "authorizer", None)
    if kind == "AWS_IAM":
        iam.run(state)
    elif authorizer is None:
        return
    elif kind == "COGNITO_USER_POOLS":
        cognito.run(state, authorizer)
    elif kind == "JWT":
        http_authorizers.run_jwt(state, authorizer)
    elif kind == "CUSTOM" and authorizer.type == "HTTP_LAMBDA":
        http_authorizers.run_lambda(state, authorizer)
    elif kind == "CUSTOM":
        lambda_authorizer.run(state, authorizer)
