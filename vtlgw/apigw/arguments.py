"""The Python API's arguments, checked where they come in: a wrong one is an :class:`ArgumentError` naming it.

``vtlgw.render`` and ``invoke`` take what the README says (template text, a
request dict or :class:`~vtlgw.apigw.request.MethodRequest`, maps of text …).
Anything else fails here, before it can surface deep inside as a raw
``TypeError`` or ``AttributeError``, with a message of the form
``render(stage_variables): /a b: stage variable names must match [A-Za-z0-9_]+``.
"""

from __future__ import annotations

from typing import Any

from vtlgw.vtl.diagnostics import Diagnostic

from .errors import ArgumentError
from .jsonvalue import describe_type, json_problem
from .request import MethodRequest, RequestFileError, request_from_dict

__all__ = ["ArgumentError", "text_argument", "optional_text", "method_request", "stage_variables_argument",
           "context_argument", "MAX_CONTEXT_DEPTH"]

#: Nesting accepted in a ``context=`` override (``$context`` itself is three levels deep).
MAX_CONTEXT_DEPTH = 32


def text_argument(function: str, name: str, value: Any, what: str = "text") -> str:
    """``value`` when it is a ``str``; otherwise an :class:`ArgumentError`."""
    if isinstance(value, str):
        return value
    hint = "; decode the bytes first (bytes.decode('utf-8'))" if isinstance(value, (bytes, bytearray)) else ""
    raise ArgumentError(f"{function}({name}): expected the {what} as a str, not {describe_type(value)}{hint}")


def optional_text(function: str, name: str, value: Any, what: str = "text") -> str | None:
    """``value`` when it is a ``str`` or None; otherwise an :class:`ArgumentError`."""
    return None if value is None else text_argument(function, name, value, what)


def method_request(function: str, value: Any) -> tuple[MethodRequest, list[Diagnostic]]:
    """The method request a caller gave: None (``GET /``), a :class:`MethodRequest`, or a dict in the
    request-file shape (checked as a request file is; its errors name ``<request>`` and the JSON pointer)."""
    if value is None:
        return MethodRequest(), []
    if isinstance(value, MethodRequest):
        return value, []
    if isinstance(value, dict):
        return request_from_dict(value, "<request>")
    raise ArgumentError(f"{function}(request): expected a dict in the request-file shape (httpMethod, path, "
                        f"headers, body …), a MethodRequest or None, not {describe_type(value)}")


def stage_variables_argument(function: str, value: Any) -> dict[str, str] | None:
    """A ``stage_variables=`` map, held to a request file's ``stageVariables`` rules (names, values, count)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ArgumentError(f"{function}(stage_variables): expected a dict of names to text, not "
                            f"{describe_type(value)}")
    try:
        request_from_dict({"stageVariables": value}, "<stage_variables>")
    except RequestFileError as exc:
        pointer = (exc.pointer or "").removeprefix("/stageVariables")
        raise ArgumentError(f"{function}(stage_variables): {pointer + ': ' if pointer else ''}{exc.message}") from None
    return dict(value)


def context_argument(function: str, name: str, value: Any) -> dict | None:
    """A ``$context`` override map: nested dicts of JSON values (string keys, no cycles, not absurdly deep)."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ArgumentError(f"{function}({name}): expected a dict of $context keys to values (nested dicts for "
                            f"identity, authorizer …), not {describe_type(value)}")
    problem = json_problem(value, max_depth=MAX_CONTEXT_DEPTH)
    if problem:
        pointer, message = problem
        raise ArgumentError(f"{function}({name}): {pointer + ': ' if pointer else ''}{message}")
    return value
