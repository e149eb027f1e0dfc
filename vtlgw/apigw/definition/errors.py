"""Errors raised while loading an API definition.

Every problem names the file, the ``line:col`` when it is known and the JSON
pointer of the offending value, so that a user can find it without a
traceback and the linter can cite the same place::

    api.yaml:12:7: error: /paths/~1pets/get/x-amazon-apigateway-integration/responses/default/statusCode: expected a string or integer
"""

from __future__ import annotations

from vtlgw.apigw.errors import InputFileError


class DefinitionError(InputFileError):
    """A definition file that cannot be read, or that API Gateway would reject."""

    default_file = "<definition>"


class DefinitionTooLargeError(DefinitionError):
    """A definition over one of vtlgw's caps (file size, values, alias expansion, nesting); the message names it."""


class UnsupportedDefinitionError(DefinitionError):
    """A construct that is valid for AWS but cannot be loaded offline (S3 bodies, AWS::Include, ...)."""


class AmbiguousApiError(DefinitionError):
    """The file holds several APIs and none was chosen; ``candidates`` lists their ids."""

    def __init__(self, message: str, *, candidates: list[str], **where: object) -> None:
        super().__init__(message, **where)  # type: ignore[arg-type]
        self.candidates = candidates
