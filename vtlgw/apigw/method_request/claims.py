"""``--claims FILE``: a Cognito authorizer's claims given for the run (docs/method-request.md §5)."""

from __future__ import annotations

from typing import Any

from vtlgw.apigw import files
from vtlgw.apigw.errors import InputFileError

__all__ = ["claims_from_file"]


def claims_from_file(path: str) -> dict[str, Any]:
    """The JSON object in ``path``; an ``InputFileError`` with the file (and line) when it is not one."""
    data = files.read_json(path, files.SETTINGS)
    if not isinstance(data, dict):
        raise InputFileError('expected a JSON object of claims: {"sub": "...", "email": "..."}', file=path,
                             pointer="")
    return data
