"""Authorizers as a definition declares them: what the method request stage runs (docs/method-request.md §5).

The loaders (OpenAPI ``x-amazon-apigateway-authorizer``, CloudFormation
``AWS::ApiGateway::Authorizer``, SAM ``Auth.Authorizers``) fill in an
:class:`Authorizer` per name and set ``Method.authorization_type`` and
``Method.authorizer``. ``AWS_IAM`` needs no authorizer object.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Source

__all__ = ["Authorizer", "AUTHORIZER_TYPES", "AUTHORIZATION_TYPES", "DEFAULT_TOKEN_SOURCE", "identity_source_list",
           "function_reference", "check_identity_sources", "checked_expression"]

#: ``type`` of a REST API authorizer, as CloudFormation spells it (OpenAPI writes them in lower case);
#: an HTTP API's JWT authorizer is ``JWT``.
AUTHORIZER_TYPES = ("TOKEN", "REQUEST", "COGNITO_USER_POOLS")
#: A method's ``AuthorizationType`` (``JWT``: an HTTP API route's).
AUTHORIZATION_TYPES = ("NONE", "CUSTOM", "AWS_IAM", "COGNITO_USER_POOLS")
#: What a TOKEN or Cognito authorizer reads when its identity source is not given.
DEFAULT_TOKEN_SOURCE = "method.request.header.Authorization"

_FUNCTION_IN_URI = re.compile(r"/functions/(.+?)/invocations")


@dataclass
class Authorizer:
    """One authorizer: its kind, where the caller's identity is read, and what decides.

    ``type`` is a REST API's ``TOKEN``, ``REQUEST`` or ``COGNITO_USER_POOLS``, or an
    HTTP API's ``JWT`` or ``HTTP_LAMBDA`` (a Lambda authorizer with its own payload
    formats, ``payload_version`` and ``simple_responses``).

    ``identity_sources`` are ``method.request.header.X``,
    ``method.request.querystring.q``, ``stageVariables.v`` or ``context.k``
    expressions. ``uri`` is a Lambda authorizer's invocation URI;
    ``function_id`` the template function it invokes, when the template defines
    it. ``provider_arns`` are a Cognito authorizer's user pools.
    """

    name: str
    type: str
    uri: str | None = None
    function_id: str | None = None
    identity_sources: list[str] = field(default_factory=list)
    validation_expression: str | None = None
    ttl_seconds: int = 300
    provider_arns: list[str] = field(default_factory=list)
    #: A JWT authorizer's issuer and the audiences (``aud`` or ``client_id``) it accepts.
    issuer: str | None = None
    audiences: list[str] = field(default_factory=list)
    #: An HTTP API Lambda authorizer's payload format ("1.0", "2.0") and whether it answers
    #: ``{"isAuthorized": …}`` (simple responses, 2.0 only) instead of a policy.
    payload_version: str = "2.0"
    simple_responses: bool = False
    id: str = ""
    #: The URI as written (an intrinsic in CloudFormation), to find the template function it invokes.
    uri_raw: Any = field(default=None, compare=False, repr=False)
    source: Source | None = field(default=None, compare=False, repr=False)

    @property
    def is_lambda(self) -> bool:
        return self.type in ("TOKEN", "REQUEST", "HTTP_LAMBDA")

    @property
    def function_arn(self) -> str | None:
        """The function ARN inside ``uri`` (``…/functions/<arn>/invocations``)."""
        match = _FUNCTION_IN_URI.search(self.uri or "")
        return match.group(1) if match else None


def identity_source_list(value: str | None) -> list[str]:
    """``"method.request.header.Auth, method.request.querystring.q"`` as a list (comma separated)."""
    if not value:
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


_SOURCE_PREFIXES = ("method.request.header.", "method.request.querystring.", "method.request.multivalueheader.",
                    "method.request.multivaluequerystring.", "stageVariables.", "context.")


def check_identity_sources(ctx: Any, sources: list[str], pointer: str) -> None:
    """Report identity sources API Gateway refuses: a path parameter [D:api-gateway-lambda-authorizer-input],
    or anything that is not a header, query string, stage variable or context value."""
    for source in sources:
        if source.startswith("method.request.path."):
            ctx.report(pointer, f"{source}: a path parameter cannot be an identity source")
        elif not source.startswith(_SOURCE_PREFIXES):
            ctx.report(pointer, f"{source!r} is not an identity source: use method.request.header.<name>, "
                                "method.request.querystring.<name>, stageVariables.<name> or context.<name>")


def checked_expression(ctx: Any, expression: str | None, pointer: str) -> str | None:
    """An ``identityValidationExpression``, which API Gateway refuses unless it is a Java regex."""
    if not expression:
        return expression
    from vtlgw.vtl.errors import JavaException
    from vtlgw.vtl.jregex import compile_java

    try:
        compile_java(expression)
    except JavaException as exc:
        ctx.report(pointer, f"identityValidationExpression {expression!r} is not a valid Java regex: "
                            f"{exc.message or exc}")
        return None
    return expression


def function_reference(uri: Any) -> str | None:
    """The logical id a rendered URI names as ``${Fn.Arn}`` (``None`` when it names none)."""
    if not isinstance(uri, str):
        return None
    match = re.search(r"\$\{([A-Za-z0-9]+)(?:\.Arn)?\}", uri)
    return match.group(1) if match else None
