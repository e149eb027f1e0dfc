"""The method response headers the client sees, for custom and proxy integrations alike (docs/integration.md,
section 6)."""

from __future__ import annotations

__all__ = ["REMAPPED_HEADERS", "DROPPED_HEADERS", "HIDDEN_FROM_EVENT", "HIDDEN_FROM_TEMPLATES", "finalise_headers"]

#: Method response headers API Gateway sends as ``x-amzn-Remapped-<Name>`` (docs/integration.md, section 6).
REMAPPED_HEADERS = frozenset(name.lower() for name in (
    "Authorization", "Connection", "Content-Length", "Content-MD5", "Date", "Expect", "Host",
    "Max-Forwards", "Proxy-Authenticate", "Server", "Trailer", "Upgrade", "User-Agent", "WWW-Authenticate"))
#: Client headers a REST proxy event leaves out (recorded on AWS; docs/proxy.md, section 1).
HIDDEN_FROM_EVENT = frozenset(name.lower() for name in (
    "Connection", "Content-MD5", "Expect", "Max-Forwards", "Proxy-Authenticate", "Server", "TE", "Trailer",
    "Transfer-Encoding", "Upgrade", "WWW-Authenticate"))
#: Client headers mapping templates never see (docs/variables.md, section 1.4): those, and Content-Length.
HIDDEN_FROM_TEMPLATES = HIDDEN_FROM_EVENT | {"content-length"}

#: Method response headers API Gateway leaves out.
DROPPED_HEADERS = frozenset({"transfer-encoding"})


def finalise_headers(headers: list[tuple[str, list[str]]], *, remap: bool = True) -> dict[str, list[str]]:
    """Remap reserved names, drop Transfer-Encoding, default Content-Type to application/json (U25).

    ``remap=False`` is for API Gateway's own answers (gateway responses), which it does not rename.
    """
    out: dict[str, list[str]] = {}
    for name, values in headers:
        lower = name.lower()
        if remap and lower in DROPPED_HEADERS:
            continue
        if remap and lower in REMAPPED_HEADERS:
            name = f"x-amzn-Remapped-{name}"
        out[name] = list(values)
    if not any(k.lower() == "content-type" for k in out):
        out = {"Content-Type": ["application/json"], **out}
    return out
