"""Where rendered output stops being JSON, told the same way by every face.

The pytest plugin's ``.json()`` and the linter's rendered-JSON rules both
report a template whose output is not JSON; both describe the failure with one
:class:`JsonProblem`: the parser's message, the output line with a caret under
the failing character, and whether the cause is a dangling comma.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

__all__ = ["JsonProblem", "json_problem", "parse_strict"]

_WIDTH = 120  # output lines are cut to this width, the caret kept in view


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def parse_strict(text: str) -> Any:
    """``json.loads`` as API Gateway's Lambda check parses: ``NaN`` and ``Infinity`` are not JSON."""
    return json.loads(text, parse_constant=_reject_constant)


@dataclass(frozen=True)
class JsonProblem:
    """Why ``text`` is not JSON, and where (``pos`` is an offset into the output)."""

    message: str
    pos: int
    line: int
    column: int
    excerpt: tuple[str, ...]  # up to two lines before, the failing line, a caret line
    comma: int | None = None  # offset of a dangling comma (``,]`` or ``,}``) that causes it

    def summary(self) -> str:
        message = self.message[:-3] if self.message.endswith(" at") else self.message  # "Invalid control character at"
        return f"{message} at output line {self.line}, column {self.column}"


def json_problem(text: str) -> JsonProblem | None:
    """None when ``text`` parses as strict JSON, else what went wrong and where."""
    try:
        parse_strict(text)
        return None
    except json.JSONDecodeError as exc:
        return _problem(text, exc.msg, exc.pos, exc.lineno, exc.colno)
    except RecursionError:
        return _problem(text, "nested too deeply to parse", 0, 1, 1)
    except ValueError as exc:  # NaN / Infinity
        word = str(exc).split(" ", 1)[0]
        pos = max(text.find(word), 0)
        line = text.count("\n", 0, pos) + 1
        return _problem(text, str(exc), pos, line, pos - (text.rfind("\n", 0, pos) + 1) + 1)


def _problem(text: str, message: str, pos: int, line: int, column: int) -> JsonProblem:
    return JsonProblem(message, pos, line, column, _excerpt(text, pos), _dangling_comma(text, pos))


def _excerpt(text: str, pos: int) -> tuple[str, ...]:
    line_start = text.rfind("\n", 0, pos) + 1
    line_end = text.find("\n", pos)
    line = text[line_start: line_end if line_end != -1 else len(text)]
    shown = line.expandtabs(1)
    column = pos - line_start
    if len(shown) > _WIDTH:
        start = max(0, column - _WIDTH // 2)
        shown, column = ("..." if start else "") + shown[start:start + _WIDTH], column - start + (3 if start else 0)
    before = text[:line_start].splitlines()[-2:] if line_start else []
    return tuple(b[:_WIDTH] for b in before) + (shown, " " * column + "^")


def _dangling_comma(text: str, pos: int) -> int | None:
    """The offset of the ``,`` right before a closing ``]``/``}`` at or after the failure, if that is the cause."""
    at = pos
    if at < len(text) and text[at] == ",":
        after = at + 1
        while after < len(text) and text[after] in " \t\r\n":
            after += 1
        return at if after < len(text) and text[after] in "]}" else None
    if at < len(text) and text[at] in "]}":
        before = at - 1
        while before >= 0 and text[before] in " \t\r\n":
            before -= 1
        return before if before >= 0 and text[before] == "," else None
    return None
