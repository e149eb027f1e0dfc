"""Integration response selection (docs/integration.md, section 5).

Patterns are Java regexes matched against the *whole* match value, without
DOTALL, in definition order; the first match wins (U21), else the default
response. The regex engine is :mod:`vtlgw.vtl.jregex`, so ``.`` and ``\\d``
behave exactly as in Java.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from vtlgw.apigw.definition.model import IntegrationResponse
from vtlgw.vtl.errors import JavaException

__all__ = ["select_response", "Selection", "PatternError", "MATCH_TIMEOUT"]

#: Seconds a single pattern may take before it counts as a configuration error.
MATCH_TIMEOUT = 2.0


class PatternError(Exception):
    """A selectionPattern that does not compile (API Gateway rejects it at deploy) or runs away."""

    def __init__(self, response: IntegrationResponse, detail: str, *, timed_out: bool = False) -> None:
        where = response.where("selection_pattern")
        location = f"{where.location}: " if where is not None else ""
        what = "took too long to match" if timed_out else "is not a valid Java regex"
        super().__init__(f"{location}selectionPattern {response.selection_pattern!r} {what}: {detail}")


@dataclass
class Selection:
    """The chosen integration response; ``matched`` is False when it is the default by fallback."""

    response: IntegrationResponse
    matched: bool


@lru_cache(maxsize=512)
def _compile(pattern: str):  # type: ignore[no-untyped-def]
    from vtlgw.vtl.jregex import compile_java

    return compile_java(pattern)


def select_response(responses: list[IntegrationResponse], match_value: str | None,
                    tried: list[tuple[IntegrationResponse, bool]] | None = None) -> Selection | None:
    """The integration response for ``match_value``; None means no match and no default (500).

    ``tried`` collects each pattern tested, in order, with whether it matched.
    """
    value = match_value or ""
    default: IntegrationResponse | None = None
    for response in responses:
        pattern = response.selection_pattern
        if not pattern:
            if default is None:
                default = response
            continue
        try:
            compiled = _compile(pattern)
            matched = compiled.matches(value, timeout=MATCH_TIMEOUT)
        except JavaException as exc:
            timed_out = exc.java_class == "RegexTimeout"
            raise PatternError(response, exc.message or str(exc), timed_out=timed_out) from None
        if tried is not None:
            tried.append((response, matched))
        if matched:
            return Selection(response, True)
    return Selection(default, False) if default is not None else None
