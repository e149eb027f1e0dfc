"""Request paths as API Gateway's front end reads them before routing."""

from __future__ import annotations

import re

__all__ = ["collapse_slashes"]

_RUN_OF_SLASHES = re.compile(r"/{2,}")


def collapse_slashes(path: str) -> str:
    """``path`` with every run of slashes made one, as API Gateway routes it and reports it in a proxy
    event's ``path`` (recorded on AWS: ``//hardcoded`` is ``/hardcoded``; ``requestContext.path`` stays raw)."""
    return _RUN_OF_SLASHES.sub("/", path) if "//" in path else path
