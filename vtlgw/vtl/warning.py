"""Warnings as diagnostics: the one way vtlgw makes a warning, and a warning's JSON form.

Every warning a render, a request file, a definition or an invocation
produces is a code-less :class:`~vtlgw.vtl.diagnostics.Diagnostic` of
severity ``warning``, so each face prints it its own way from one source:
``str()`` is :func:`~vtlgw.vtl.diagnostics.format_text`, :func:`to_json` the
machine-readable form. (These helpers sit beside ``diagnostics.py`` and may
move into it.)
"""

from __future__ import annotations

from typing import Any

from vtlgw.vtl.diagnostics import Diagnostic, Location, Severity, format_text
from vtlgw.vtl.errors import locate

__all__ = ["warning", "text_location", "to_json"]

MAX_SHOWN_LINE = 300
"""Longer source lines are not shown under a warning (a minified file would fill the screen)."""


def warning(message: str, location: Location, *notes: str) -> Diagnostic:
    """A warning at ``location``: no rule code, ``message`` says what happens and why."""
    return Diagnostic(Severity.WARNING, None, message, location, notes)


def text_location(file: str, text: str, offset: int, *, end: int | None = None,
                  pointer: str | None = None) -> Location:
    """The :class:`Location` of ``text[offset:end]`` in a file (or template) called ``file``.

    Line and column are 1-based; the source line comes along (for the caret)
    unless it is longer than :data:`MAX_SHOWN_LINE`.
    """
    line, column, source_line = locate(text, offset)
    end_line = end_column = None
    if end is not None and end > offset:
        end_line, end_column, _ = locate(text, end)
    return Location(file=file, line=line, column=column, end_line=end_line, end_column=end_column,
                    pointer=pointer, source_line=source_line if len(source_line) <= MAX_SHOWN_LINE else None)


def to_json(d: Diagnostic) -> dict[str, Any]:
    """A diagnostic as JSON data, in the keys ``vtlgw lint --format json`` uses, plus its ``text``.

    ``text`` is the formatted form (what the terminal shows), for readers that
    only want to print it.
    """
    loc = d.location
    return {
        "severity": str(d.severity),
        "code": d.code,
        "message": d.message,
        "file": loc.file,
        "line": loc.line,
        "column": loc.column,
        "endLine": loc.end_line,
        "endColumn": loc.end_column,
        "pointer": loc.pointer,
        "notes": list(d.notes),
        "text": format_text(d),
    }
