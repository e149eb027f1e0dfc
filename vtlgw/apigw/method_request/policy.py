"""A Lambda authorizer's policy document, evaluated against the method ARN (docs/method-request.md §5).

[D:api-gateway-lambda-authorizer-output, api-gateway-control-access-using-iam-policies-to-invoke-api]:
a statement applies when its ``Action`` covers ``execute-api:Invoke`` and one
of its ``Resource`` ARNs matches the method ARN, ``*`` matching any run of
characters and ``?`` one character. An applicable ``Deny`` wins; else an
applicable ``Allow`` lets the request through; else it is denied implicitly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Decision", "PolicyError", "evaluate", "method_arn"]

ALLOW, EXPLICIT_DENY, IMPLICIT_DENY = "Allow", "Deny", "implicit deny"
_ACTION = "execute-api:invoke"


class PolicyError(ValueError):
    """A policy document API Gateway cannot read (its words are the message)."""


@dataclass(frozen=True)
class Decision:
    """What the policy says about the method ARN, and the statement that said it (None for an implicit deny)."""

    effect: str
    statement: int | None = None

    @property
    def allowed(self) -> bool:
        return self.effect == ALLOW


def method_arn(region: str, account: str, api_id: str, stage: str, verb: str, path: str) -> str:
    """``arn:aws:execute-api:region:account:api/stage/VERB/path`` (the request's path, without its first slash)."""
    return f"arn:aws:execute-api:{region}:{account}:{api_id}/{stage}/{verb}/{path.lstrip('/')}"


def _pattern(glob: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in glob) + r"\Z",
                      re.DOTALL)


def _strings(value: Any, what: str, index: int) -> list[str]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) for v in values):
        raise PolicyError(f"statement {index}: {what} must be a string or a list of strings")
    return values


def _covers(actions: list[str]) -> bool:
    return any(_pattern(action.lower()).match(_ACTION) for action in actions)


def evaluate(document: Any, arn: str) -> Decision:
    """The decision of ``document`` (a ``policyDocument``) for ``arn``; :class:`PolicyError` when malformed."""
    if not isinstance(document, dict):
        raise PolicyError("policyDocument must be an object")
    statements = document.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list) or not statements:
        raise PolicyError("policyDocument needs a Statement list")
    allowed: int | None = None
    for index, statement in enumerate(statements):
        if not isinstance(statement, dict):
            raise PolicyError(f"statement {index}: must be an object")
        effect = statement.get("Effect")
        if effect not in (ALLOW, EXPLICIT_DENY):
            raise PolicyError(f"statement {index}: Effect must be Allow or Deny, not {effect!r}")
        if "Action" not in statement or "Resource" not in statement:
            raise PolicyError(f"statement {index}: needs Action and Resource")
        actions = _strings(statement["Action"], "Action", index)
        resources = _strings(statement["Resource"], "Resource", index)
        if not _covers(actions) or not any(_pattern(r).match(arn) for r in resources):
            continue
        if effect == EXPLICIT_DENY:
            return Decision(EXPLICIT_DENY, index)
        if allowed is None:
            allowed = index
    return Decision(ALLOW, allowed) if allowed is not None else Decision(IMPLICIT_DENY)
