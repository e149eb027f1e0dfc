"""Explaining a failed ``==`` on vtlgw results: a structural JSON diff instead of two long strings.

The pytest plugin calls :func:`explain_comparison` from
``pytest_assertrepr_compare``; it knows a result, and the value a result's
``.json()`` returned, from any other object, and leaves those alone.
"""

from __future__ import annotations

import difflib
from typing import Any

from .jsondiff import json_diff
from .results import IntegrationRequestView, Invoked, OutputNotJsonError, Rendered, parsed_by_vtlgw

__all__ = ["explain_comparison"]

_RESULTS = (Rendered, Invoked, IntegrationRequestView)


def _describe(owner: Any) -> str:
    if isinstance(owner, Rendered):
        return f"the output of {owner.template}"
    if isinstance(owner, Invoked):
        return f"the response body of {owner.route}"
    if isinstance(owner, IntegrationRequestView):
        return "the integration request body"
    return "expected"


def _trace(owner: Any) -> list[str]:
    if isinstance(owner, Invoked):
        return ["", f"pipeline trace of {owner.route} (status {owner.status}):"] + [f"  {t}" for t in owner.trace]
    return []


def _json_lines(left: Any, right: Any, left_owner: Any, right_owner: Any) -> list[str]:
    differences = json_diff(left, right)
    count = f"{len(differences)} difference{'s' if len(differences) != 1 else ''}"
    head = f"vtlgw JSON differs, {count} (left: {_describe(left_owner)}; right: {_describe(right_owner)}):"
    return [head] + [f"  {d}" for d in differences] + _trace(left_owner) + _trace(right_owner)


def explain_comparison(left: Any, right: Any, *, verbose: bool = False) -> list[str] | None:
    """Lines for pytest to show under a failed ``left == right``, or None when vtlgw has nothing to add."""
    if isinstance(left, _RESULTS) or isinstance(right, _RESULTS):
        on_left = isinstance(left, _RESULTS)
        result, other = (left, right) if on_left else (right, left)
        if isinstance(other, (dict, list)):
            try:
                actual = result.json()
            except OutputNotJsonError as exc:
                return ["vtlgw: the result is not JSON, so it cannot equal a JSON value:"] + \
                    [f"  {line}" for line in str(exc).splitlines()] + _trace(result)
            if on_left:
                return _json_lines(actual, other, result, None)
            return _json_lines(other, actual, None, result)
        if isinstance(other, str) and isinstance(result, Rendered):
            diff = difflib.ndiff(other.splitlines(keepends=True), result.text.splitlines(keepends=True))
            return [f"vtlgw: the output of {result.template} differs from the expected text "
                    "(- expected, + output):"] + \
                [f"  {line.rstrip(chr(10))}" for line in diff if verbose or not line.startswith("?")]
        return None
    left_owner, right_owner = parsed_by_vtlgw(left), parsed_by_vtlgw(right)
    if (left_owner is not None or right_owner is not None) and isinstance(left, (dict, list)) \
            and isinstance(right, (dict, list)):
        return _json_lines(left, right, left_owner, right_owner)
    return None
