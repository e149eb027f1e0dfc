"""Errors about the files users give vtlgw (request files, API definitions, backend files).

They read ``file:line:col: error: /json/pointer: message``, so a user can find
the offending value without a traceback.
"""

from __future__ import annotations

from vtlgw.vtl.errors import VtlError


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
    def location(self) -> str:
        """``file:line:col``, ``file:line`` or ``file``, as far as it is known."""
        where = self.file or self.default_file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        pointer = f"{self.pointer}: " if self.pointer else ""
        return f"{self.location}: error: {pointer}{self.message}"
