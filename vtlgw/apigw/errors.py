"""Errors about the files users give vtlgw (request files, API definitions, backend files).

They read ``file:line:col: error: /json/pointer: message``, so a user can find
the offending value without a traceback.
"""

from __future__ import annotations

from vtlgw.vtl.diagnostics import Diagnostic, Location, Severity, format_text
from vtlgw.vtl.errors import VtlError


#: At most this many characters of a source line are shown under an error.
_SHOWN_WIDTH = 120


class InputFileError(VtlError):
    """A problem at a place inside an input file: the file, ``line:col`` when known, a JSON pointer."""

    default_file = "<input>"

    def __init__(self, message: str, *, file: str | None = None, pointer: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.pointer = pointer
        self.line = line
        self.column = column

    @property
    def where(self) -> str:
        """``file:line:col``, ``file:line`` or ``file``, as far as it is known."""
        return str(self.location)

    @property
    def location(self) -> Location:
        """Where the problem is, as the project-wide :class:`Location` (pointer included)."""
        line = self.line
        return Location(file=self.file or self.default_file, line=line,
                        column=self.column if line is not None else None, pointer=self.pointer or None)

    def diagnostic(self) -> Diagnostic:
        """The error as a code-less error :class:`Diagnostic`."""
        return Diagnostic(Severity.ERROR, None, self.message, self.location)

    def __str__(self) -> str:
        return format_text(self.diagnostic())

    def shown(self) -> str:
        """The error as a terminal shows it: ``str(self)``, then the file's line with a caret under the place."""
        from dataclasses import replace

        from vtlgw.apigw.files import file_line  # read only for an error that is shown

        diagnostic = self.diagnostic()
        line = file_line(self.file, self.line)
        if line is None:
            return format_text(diagnostic)
        location = diagnostic.location
        column = location.column or 1
        if len(line) > _SHOWN_WIDTH:  # a minified JSON file is one long line: show the part around the place
            start = max(0, min(column - 1 - _SHOWN_WIDTH // 2, len(line) - _SHOWN_WIDTH))
            window = line[start:start + _SHOWN_WIDTH]
            column -= start
            if start > 0:
                window, column = "…" + window, column + 1
            if start + _SHOWN_WIDTH < len(line):
                window += "…"
            line = window
        # the caret's column within the shown text; the message keeps the file's line:col
        shown = replace(location, source_line=line)
        text = format_text(replace(diagnostic, location=replace(shown, column=column)))
        first, _, rest = text.partition("\n")
        return format_text(diagnostic).partition("\n")[0] + ("\n" + rest if rest else "")


class ArgumentError(VtlError, TypeError):
    """A Python API argument of the wrong kind; the message names the function, the argument and the field."""
