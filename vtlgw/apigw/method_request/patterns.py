"""Regular expressions of models, matched with a time limit (docs/method-request.md §3).

JSON Schema's ``pattern`` is an ECMA 262 expression; the ``regex`` module reads
the common ones alike and, unlike ``re``, can stop a search that backtracks
without end, so a model cannot make one request take unbounded time.
"""

from __future__ import annotations

__all__ = ["search", "PatternProblem", "PATTERN_SECONDS"]


#: How long one ``pattern`` may take on one value: a pattern that backtracks for longer is refused (U76).
PATTERN_SECONDS = 1.0


class PatternProblem(Exception):
    """A model's ``pattern`` that cannot be compiled, or that ran past :data:`PATTERN_SECONDS`."""


def search(pattern: str, text: str) -> bool:
    """``re.search`` semantics through the ``regex`` module, with a time limit."""
    import regex

    try:
        return regex.search(pattern, text, timeout=PATTERN_SECONDS) is not None
    except regex.error as exc:
        raise PatternProblem(f"pattern {pattern!r} is not a valid regular expression ({exc})") from None
    except TimeoutError:
        raise PatternProblem(f"pattern {pattern!r} ran for more than {PATTERN_SECONDS:g} s on a "
                             f"{len(text)}-character value (catastrophic backtracking): simplify the "
                             "pattern") from None
