"""What a REST API's endpoint type does to the client's request before API Gateway sees it (docs/proxy.md,
section 1.1).

An edge-optimized API (``EDGE``, the default) is reached through a CloudFront
distribution API Gateway owns, and CloudFront re-spells some header names on
the way. A ``REGIONAL`` or ``PRIVATE`` API gets the client's request as sent.
HTTP APIs are regional.
"""

from __future__ import annotations

__all__ = ["DEFAULT_ENDPOINT_TYPE", "ENDPOINT_TYPES", "EDGE_SPELLINGS", "respell_headers"]

ENDPOINT_TYPES = ("EDGE", "REGIONAL", "PRIVATE")
#: What a REST API is when its definition does not say: API Gateway's default for a new or imported API.
DEFAULT_ENDPOINT_TYPE = "EDGE"

#: Header names the edge delivers in this spelling whatever the client sent. ``Authorization`` and
#: ``User-Agent`` are recorded on AWS (``authorization`` and ``user-Agent`` arrived re-spelled); ``Host``
#: is from users' reports of edge-optimized events. Every other name keeps the client's spelling (U63).
EDGE_SPELLINGS = {"authorization": "Authorization", "user-agent": "User-Agent", "host": "Host"}


def respell_headers(headers: dict[str, list[str]], endpoint_type: str) -> dict[str, list[str]]:
    """``headers`` as API Gateway receives them behind an endpoint of ``endpoint_type``.

    Order is kept; two spellings of one re-spelled name become one entry, values in request order.
    """
    if endpoint_type != "EDGE" or not any(name.lower() in EDGE_SPELLINGS for name in headers):
        return headers
    out: dict[str, list[str]] = {}
    for name, values in headers.items():
        name = EDGE_SPELLINGS.get(name.lower(), name)
        out.setdefault(name, []).extend(values)
    return out
