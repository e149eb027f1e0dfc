"""Media types as API Gateway compares them: ``Content-Type`` and ``Accept`` values, ``binaryMediaTypes``."""

from __future__ import annotations

import fnmatch

__all__ = ["DEFAULT_TYPE", "mime_type", "first_accept", "is_binary_type"]

#: The media type API Gateway assumes when a request names none (docs/integration.md, section 3.1).
DEFAULT_TYPE = "application/json"


def mime_type(header: str | None) -> str | None:
    """The MIME type of a Content-Type value: parameters dropped, lower-cased; None if absent/empty."""
    if header is None:
        return None
    value = header.split(";", 1)[0].strip().lower()
    return value or None


def first_accept(header: str | None) -> str | None:
    """The MIME type of the first media type of an Accept value (parameters dropped, lower-cased)."""
    if header is None:
        return None
    return mime_type(header.split(",", 1)[0])


def is_binary_type(content_type: str | None, binary_media_types: list[str]) -> bool:
    """Whether a media type matches an entry of ``binaryMediaTypes`` (wildcards like ``image/*``, ``*/*``)."""
    kind = mime_type(content_type)
    if kind is None:
        return False
    for entry in binary_media_types:
        pattern = (mime_type(entry.replace("~1", "/")) or "")
        if pattern and fnmatch.fnmatchcase(kind, pattern):
            return True
    return False
