"""CloudFormation intrinsic functions, kept symbolic.

Offline there is no stack, so ``{"Fn::GetAtt": ["Fn", "Arn"]}`` cannot be
evaluated. Where a string is needed (an integration URI, a template) the value
is rendered to a readable ``Fn::Sub``-style string instead:
``arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations``.
The shape of the string survives (a Lambda URI still looks like one), and the
original object is kept beside it.
"""

from __future__ import annotations

import json
import re
from typing import Any

INTRINSIC_KEYS = frozenset(
    [
        "Ref",
        "Condition",
        "Fn::Sub",
        "Fn::GetAtt",
        "Fn::Join",
        "Fn::Select",
        "Fn::Split",
        "Fn::If",
        "Fn::Equals",
        "Fn::Not",
        "Fn::And",
        "Fn::Or",
        "Fn::FindInMap",
        "Fn::Base64",
        "Fn::Cidr",
        "Fn::ImportValue",
        "Fn::GetAZs",
        "Fn::Transform",
        "Fn::Length",
        "Fn::ToJsonString",
    ]
)


def intrinsic_name(value: Any) -> str | None:
    """The function name if ``value`` is a one-key intrinsic object, else None."""
    if isinstance(value, dict) and len(value) == 1:
        (key,) = value
        if key in INTRINSIC_KEYS:
            return key
    return None


def is_symbolic(value: Any) -> bool:
    """True when ``value`` holds an intrinsic function anywhere."""
    if intrinsic_name(value):
        return True
    if isinstance(value, dict):
        return any(is_symbolic(v) for v in value.values())
    if isinstance(value, list):
        return any(is_symbolic(v) for v in value)
    return False


_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


def render(value: Any) -> str:
    """Render a string or intrinsic to readable text (see module doc)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if value is None:
        return ""
    name = intrinsic_name(value)
    if name is None:
        return json.dumps(value, separators=(",", ":"))
    arg = value[name]
    if name == "Ref" and isinstance(arg, str):
        return "${" + arg + "}"
    if name == "Fn::GetAtt":
        if isinstance(arg, list) and len(arg) == 2:
            return "${" + render(arg[0]) + "." + render(arg[1]) + "}"
        if isinstance(arg, str):
            return "${" + arg + "}"
    if name == "Fn::Sub":
        if isinstance(arg, str):
            return _sub(arg, {})
        if isinstance(arg, list) and arg and isinstance(arg[0], str):
            variables = arg[1] if len(arg) > 1 and isinstance(arg[1], dict) else {}
            return _sub(arg[0], variables)
    if name == "Fn::Join" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
        return render(arg[0]).join(render(part) for part in arg[1])
    if name == "Fn::Select" and isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], list):
        try:
            return render(arg[1][int(arg[0])])
        except (ValueError, TypeError, IndexError):
            pass
    return "${" + name + "(" + json.dumps(arg, separators=(",", ":")) + ")}"


def _sub(template: str, variables: dict[str, Any]) -> str:
    """Fn::Sub with its variables; ``${!x}`` is CloudFormation's escape for a literal ``${x}``."""

    def replace(match: re.Match[str]) -> str:
        inner = match.group(1)
        if inner.startswith("!"):
            return "${" + inner[1:] + "}"
        if inner in variables:
            return render(variables[inner])
        return match.group(0)

    return _SUB_VAR.sub(replace, template)
