"""The ``X-Amzn-Trace-Id`` header API Gateway puts on a proxy integration's response."""

from __future__ import annotations

import hashlib

__all__ = ["TRACE_HEADER", "response_trace_id"]

TRACE_HEADER = "X-Amzn-Trace-Id"


def response_trace_id(client_value: str | None, epoch_ms: int, request_id: str) -> str:
    """The trace id the client gets back.

    A client's own ``Root=…`` header is continued as it was sent (with its
    ``Parent`` and ``Sampled``); otherwise API Gateway starts a trace of its
    own, ``Root=1-<epoch seconds in hex>-<24 hex digits>;Sampled=0`` for an
    untraced stage. The 24 digits are derived from the request id here, so a
    run with a fixed request id gives a fixed header.
    """
    if client_value and "root=" in client_value.lower():
        return client_value.strip()
    seconds = max(epoch_ms, 0) // 1000
    unique = hashlib.sha256(request_id.encode("utf-8", "surrogatepass")).hexdigest()[:24]
    return f"Root=1-{seconds:08x}-{unique};Sampled=0"
