"""Payload conversions by ``contentHandling`` and ``binaryMediaTypes`` (docs/integration.md, sections 3.3 and 6).

Both directions are written as lookup tables keyed exactly like the rows of
the AWS documentation's tables [D:api-gateway-payload-encodings-workflow], so a
row can be checked against the page by eye and each has its own test.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from .media import is_binary_type

__all__ = ["Payload", "convert_request", "convert_response", "convert_proxy_response",
           "REQUEST_TABLE", "RESPONSE_TABLE", "PROXY_RESPONSE_TABLE", "ConversionError"]

# What happens to the bytes.
KEEP_TEXT = "text"          # UTF-8 text, unchanged
KEEP_BINARY = "binary"      # bytes, unchanged
DECODE = "decode"           # base64 text -> bytes
ENCODE = "encode"           # bytes -> base64 text

#: (payload is binary, contentHandling) -> action  [request table]
REQUEST_TABLE: dict[tuple[bool, str | None], str] = {
    (False, None): KEEP_TEXT,
    (False, "CONVERT_TO_TEXT"): KEEP_TEXT,
    (False, "CONVERT_TO_BINARY"): DECODE,
    (True, None): KEEP_BINARY,
    (True, "CONVERT_TO_TEXT"): ENCODE,
    (True, "CONVERT_TO_BINARY"): KEEP_BINARY,
}

#: (binaryMediaTypes set, payload binary, first Accept type binary, contentHandling) -> action.
#: The 15 rows of the documentation's response table, in its order.
RESPONSE_TABLE: dict[tuple[bool, bool, bool, str | None], str] = {
    # text or binary payload, text Accept, binaryMediaTypes undefined
    (False, False, False, None): KEEP_TEXT,
    (False, False, False, "CONVERT_TO_BINARY"): DECODE,
    (False, False, False, "CONVERT_TO_TEXT"): KEEP_TEXT,
    # text payload, text Accept
    (True, False, False, None): KEEP_TEXT,
    (True, False, False, "CONVERT_TO_BINARY"): DECODE,
    (True, False, False, "CONVERT_TO_TEXT"): KEEP_TEXT,
    # text payload, binary Accept
    (True, False, True, None): DECODE,
    (True, False, True, "CONVERT_TO_BINARY"): DECODE,
    (True, False, True, "CONVERT_TO_TEXT"): KEEP_TEXT,
    # binary payload, text Accept
    (True, True, False, None): ENCODE,
    (True, True, False, "CONVERT_TO_BINARY"): KEEP_BINARY,
    (True, True, False, "CONVERT_TO_TEXT"): ENCODE,
    # binary payload, binary Accept
    (True, True, True, None): KEEP_BINARY,
    (True, True, True, "CONVERT_TO_BINARY"): KEEP_BINARY,
    (True, True, True, "CONVERT_TO_TEXT"): ENCODE,
}

#: (binaryMediaTypes set, payload binary, first Accept type binary) -> action, for a proxy integration's response
#: (docs/proxy.md, section 7). A proxy has no integration response to set contentHandling on, so these are the
#: documentation's rows with contentHandling undefined, except one: a text payload is never base64-decoded for a
#: binary Accept. That is what was recorded on AWS for Lambda proxies (a body without isBase64Encoded comes back
#: as the text whatever the Accept), and vtlgw reads an HTTP proxy's text the same way (U65).
PROXY_RESPONSE_TABLE: dict[tuple[bool, bool, bool], str] = {
    key[:3]: KEEP_TEXT if key[:3] == (True, False, True) else action
    for key, action in RESPONSE_TABLE.items() if key[3] is None
}


class ConversionError(Exception):
    """A base64 decode that fails: API Gateway answers 500 (API_CONFIGURATION_ERROR)."""


@dataclass
class Payload:
    """A body as bytes plus whether it is binary (so the output reports it as base64)."""

    data: bytes
    binary: bool

    def text(self) -> str:
        """The bytes as text (invalid UTF-8 replaced), for logs and templates over binary data."""
        return self.data.decode("utf-8", "replace")


def _apply(action: str, data: bytes) -> Payload:
    if action == KEEP_TEXT:
        return Payload(data, False)
    if action == KEEP_BINARY:
        return Payload(data, True)
    if action == ENCODE:
        return Payload(base64.b64encode(data), False)
    try:
        return Payload(base64.b64decode(data, validate=True), True)
    except (binascii.Error, ValueError) as exc:
        raise ConversionError(f"the payload is not valid base64 ({exc})") from None


def convert_request(data: bytes, binary: bool, handling: str | None) -> Payload:
    """Convert a method request payload into the integration request payload (docs/integration.md, section 3.3)."""
    return _apply(REQUEST_TABLE[(binary, handling or None)], data)


def convert_response(data: bytes, payload_binary: bool, accept_binary: bool, types_set: bool,
                     handling: str | None) -> Payload:
    """Convert an integration response payload into the method response payload (docs/integration.md, section 6)."""
    if not types_set:
        payload_binary = accept_binary = False
    return _apply(RESPONSE_TABLE[(types_set, payload_binary, accept_binary, handling or None)], data)


def convert_proxy_response(data: bytes, payload_binary: bool, accept_binary: bool, types_set: bool) -> Payload:
    """An ``HTTP_PROXY`` backend's body as the client gets it from a REST API (docs/proxy.md, section 7).

    ``payload_binary``: the backend's ``Content-Type`` is one of the API's binary media types;
    ``accept_binary``: so is the first type of the client's ``Accept``. Bytes when both are; base64 text
    of the bytes for a binary payload the client's Accept does not ask as binary; otherwise the bytes as text.
    """
    if not types_set:
        payload_binary = accept_binary = False
    return _apply(PROXY_RESPONSE_TABLE[(types_set, payload_binary, accept_binary)], data)
