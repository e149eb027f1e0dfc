"""Diagnostics as data: one location and finding model for errors, warnings and lint findings.

Template errors, input-file errors and ``vtlgw lint`` findings all describe a
place (:class:`Location`) and a message with a severity (:class:`Diagnostic`).
Keeping them as data lets each output (terminal, JSON, SARIF, GitHub
annotations) format them its own way from one source.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

__all__ = ["Severity", "Location", "Edit", "Fix", "Diagnostic", "format_text"]


class Severity(enum.IntEnum):
    """How bad a finding is; ordered, so ``severity >= Severity.WARNING`` works."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    @classmethod
    def parse(cls, text: str) -> "Severity":
        """``"warning"`` -> ``Severity.WARNING``; raises ValueError for anything else."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            raise ValueError(f"unknown severity {text!r} (expected error, warning or info)") from None


@dataclass(frozen=True)
class Location:
    """A place in a file: 1-based line and column, an exclusive end column, a JSON pointer.

    Any part may be unknown (None); ``str()`` gives ``file:line:col`` as far as
    it is known.
    """

    file: str
    line: int | None = None
    column: int | None = None
    end_line: int | None = None
    end_column: int | None = None
    pointer: str | None = None
    source_line: str | None = None

    def __str__(self) -> str:
        text = self.file
        if self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        return text


@dataclass(frozen=True)
class Edit:
    """Replace the text of ``file`` from ``line:column`` up to ``end_line:end_column`` (exclusive) with ``text``.

    Lines and columns are 1-based, as in :class:`Location`; an insertion has
    its end equal to its start. ``expect`` is the text the edit replaces: where
    the file no longer holds it, the edit is not applied.
    """

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    text: str
    expect: str = ""


@dataclass(frozen=True)
class Fix:
    """A mechanical, safe correction of a finding: what it does and its edits (all or none are applied)."""

    description: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True)
class Diagnostic:
    """One finding: severity, rule code (None for plain errors), message, where, and a fix when one is safe."""

    severity: Severity
    code: str | None
    message: str
    location: Location
    notes: tuple[str, ...] = ()
    fix: Fix | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return format_text(self)


def format_text(d: Diagnostic, *, gutter: bool = True) -> str:
    """The terminal form of a diagnostic.

    ``file:line:col: severity CODE message`` (``severity: message`` without a
    code; a code-less diagnostic also prefixes its JSON pointer), then the
    source line with a caret span under the located text, then the notes.
    ``gutter=False`` is the compact form template errors have always printed:
    the line indented by two spaces and a single caret.
    """
    loc = d.location
    pointer = f"{loc.pointer}: " if loc.pointer and d.code is None else ""
    kind = f"{d.severity} {d.code} " if d.code else f"{d.severity}: "
    parts = [f"{loc}: {kind}{pointer}{d.message}"]
    if loc.source_line is not None:
        parts.extend(_gutter_snippet(loc) if gutter else _compact_snippet(loc))
    parts.extend(f"  = {note}" for note in d.notes)
    return "\n".join(parts)


def _compact_snippet(loc: Location) -> list[str]:
    line = (loc.source_line or "").rstrip("\r\n").expandtabs(1)
    caret = " " * max((loc.column or 0) - 1, 0) + "^"
    return [f"  {line}", f"  {caret}"]


def _gutter_snippet(loc: Location) -> list[str]:
    text = (loc.source_line or "").rstrip("\r\n").replace("\t", " ")
    number = str(loc.line) if loc.line is not None else ""
    width = max(len(number), 4) + 1
    column = max(loc.column or 1, 1)
    if loc.end_line in (None, loc.line) and loc.end_column is not None and loc.end_column > column:
        span = loc.end_column - column
    elif loc.end_line is not None and loc.line is not None and loc.end_line > loc.line:
        span = max(len(text) - column + 1, 1)
    else:
        span = 1
    return [f"{number:>{width}} | {text}", f"{'':>{width}} | {' ' * (column - 1)}{'^' * span}"]
