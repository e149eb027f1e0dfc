"""A Lambda authorizer's policy document, evaluated against the method ARN (docs/method-request.md §5).

[D:api-gateway-lambda-authorizer-output, api-gateway-control-access-using-iam-policies-to-invoke-api]:
a statement applies when its ``Action`` covers ``execute-api:Invoke`` and one
of its ``Resource`` ARNs matches the method ARN, ``*`` matching any run of
characters and ``?`` one character. An applicable ``Deny`` wins; else an
applicable ``Allow`` lets the request through; else it is denied implicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Decision", "PolicyError", "evaluate", "method_arn", "glob_match"]

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


def glob_match(glob: str, text: str) -> bool:
    """Whether ``text`` matches ``glob`` (``*`` any run, ``?`` one character), in O(len(glob) * len(text)) at worst.

    The classic two-pointer walk, backtracking only to the last ``*``: a policy
    written with many stars cannot make it take exponential time.
    """
    g = t = 0
    star, mark = -1, 0
    while t < len(text):
        if g < len(glob) and (glob[g] == "?" or glob[g] == text[t]):
            g += 1
            t += 1
        elif g < len(glob) and glob[g] == "*":
            star, mark = g, t
            g += 1
        elif star >= 0:
            g = star + 1
            mark += 1
            t = mark
        else:
            return False
    while g < len(glob) and glob[g] == "*":
        g += 1
    return g == len(glob)


def _strings(value: Any, what: str, index: int) -> list[str]:
    values = value if isinstance(value, list) else [value]
    if not values or not all(isinstance(v, str) for v in values):
        raise PolicyError(f"statement {index}: {what} must be a string or a list of strings")
    return values


def _covers(actions: list[str]) -> bool:
    return any(glob_match(action.lower(), _ACTION) for action in actions)


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
        if not _covers(actions) or not any(glob_match(r, arn) for r in resources):
            continue
        if effect == EXPLICIT_DENY:
            return Decision(EXPLICIT_DENY, index)
        if allowed is None:
            allowed = index
    return Decision(ALLOW, allowed) if allowed is not None else Decision(IMPLICIT_DENY)
