"""``--claims FILE``: a Cognito authorizer's claims given for the run (docs/method-request.md §5)."""

from __future__ import annotations

import json
from typing import Any

from vtlgw.apigw import files
from vtlgw.apigw.errors import InputFileError

__all__ = ["claims_from_file"]


def claims_from_file(path: str) -> dict[str, Any]:
    """The JSON object in ``path``; an ``InputFileError`` with the file (and line) when it is not one."""
    try:
        with open(path, "rb") as fh:
            raw = files.read_capped(fh, files.REQUEST, path, lambda message: InputFileError(message, file=path))
    except OSError as exc:
        raise InputFileError(f"cannot read: {exc.strerror or exc}", file=path) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputFileError("not UTF-8 text", file=path) from None
    except json.JSONDecodeError as exc:
        raise InputFileError(f"invalid JSON: {exc.msg}", file=path, line=exc.lineno, column=exc.colno) from None
    if not isinstance(data, dict):
        raise InputFileError('expected a JSON object of claims: {"sub": "...", "email": "..."}', file=path,
                             pointer="")
    return data
