"""How a result is shown: ``to_json`` for ``vtlgw invoke`` (docs/integration.md, section 9), ``format_text``
for people."""

from __future__ import annotations

from typing import Any

from vtlgw.apigw.errors import ArgumentError
from vtlgw.apigw.jsonvalue import describe_type

from .invoke import InvokeResult

__all__ = ["to_json", "format_text"]


def to_json(result: InvokeResult) -> dict[str, Any]:
    """The TestInvokeMethod-like JSON object; ``isBase64Encoded`` only for binary bodies.

    An in-process handler's output (``result.handler_output``) is not part of it:
    the CLI shows it on stderr, so that stdout stays this object alone.
    """
    if not isinstance(result, InvokeResult):
        raise ArgumentError(f"to_json(result): expected what invoke() returned (an InvokeResult), not "
                            f"{describe_type(result)}")
    out: dict[str, Any] = {
        "status": result.status,
        "body": result.body,
        "headers": dict(result.headers),
        "multiValueHeaders": {k: list(v) for k, v in result.multi_value_headers.items()},
        "log": result.log,
        "latency": result.latency_ms,
    }
    if result.is_base64_encoded:
        out["isBase64Encoded"] = True
    if result.substitutions:
        out["substitutions"] = [{"written": item.written, "value": item.value, "location": item.location}
                                for item in result.substitutions]
    return out


def format_text(result: InvokeResult) -> str:
    """Console-like text: status and latency, headers, body, the execution log, then any handler output."""
    if not isinstance(result, InvokeResult):
        raise ArgumentError(f"format_text(result): expected what invoke() returned (an InvokeResult), not "
                            f"{describe_type(result)}")
    lines = [f"Status: {result.status}", f"Latency: {result.latency_ms} ms", "", "Response headers:"]
    for name, values in result.multi_value_headers.items():
        lines.extend(f"  {name}: {value}" for value in values)
    lines.append("")
    lines.append("Response body" + (" (base64):" if result.is_base64_encoded else ":"))
    lines.append(result.body)
    lines.append("")
    if result.substitutions:
        lines.append("Substituted (as CloudFormation would, on the supposed stack):")
        width = max(len(item.written) for item in result.substitutions)
        lines.extend(f"  {item.written.ljust(width)} = {item.value}   ({item.location})"
                     for item in result.substitutions)
        lines.append("")
    lines.append("Logs:")
    lines.append(result.log.rstrip("\n"))
    if result.handler_output:
        lines.append("")
        lines.append("Handler output (stdout and stderr of the in-process function):")
        lines.append(result.handler_output.rstrip("\n"))
    return "\n".join(lines) + "\n"
