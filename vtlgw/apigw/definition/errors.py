"""Errors raised while loading an API definition.

Every problem names the file, the ``line:col`` when it is known and the JSON
pointer of the offending value, so that a user can find it without a
traceback and the linter can cite the same place::

    api.yaml:12:7: error: /paths/~1pets/get/x-amazon-apigateway-integration/responses/default/statusCode: expected a string or integer
"""

from __future__ import annotations

from vtlgw.vtl.errors import VtlError


class DefinitionError(VtlError):
    """A definition file that cannot be read, or that API Gateway would reject."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        pointer: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.pointer = pointer
        self.line = line
        self.column = column

    @property
    def location(self) -> str:
        """``file:line:col``, ``file:line`` or ``file``, as far as it is known."""
        where = self.file or "<definition>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        text = f"{self.location}: error: "
        if self.pointer:
            text += f"{self.pointer}: "
        return text + self.message


class UnsupportedDefinitionError(DefinitionError):
    """A construct that is valid for AWS but cannot be loaded offline (S3 bodies, AWS::Include, ...)."""


class AmbiguousApiError(DefinitionError):
    """The file holds several APIs and none was chosen; ``candidates`` lists their ids."""

    def __init__(self, message: str, *, candidates: list[str], **where: object) -> None:
        super().__init__(message, **where)  # type: ignore[arg-type]
        self.candidates = candidates
