"""Header maps looked up in any case (:class:`Headers`), and the method response headers the client sees, for
custom and proxy integrations alike (docs/integration.md, section 6)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["Headers", "spellings", "REMAPPED_HEADERS", "DROPPED_HEADERS", "HIDDEN_FROM_EVENT",
           "HIDDEN_FROM_TEMPLATES", "finalise_headers"]


def spellings(names: Iterable[Any], name: str) -> list[str]:
    """The names among ``names`` that are ``name`` in some case, in their order (HTTP names are
    case-insensitive). Works on any map's keys, single-valued ones included."""
    wanted = name.lower()
    return [key for key in names if isinstance(key, str) and key.lower() == wanted]


class Headers:
    """A header map (``{name: [values]}``) read and changed with names in any case.

    vtlgw keeps headers as such maps everywhere: each name spelled as it was
    sent or set, with all its values in order, and names in the order they
    came. That is what the client sent and what ``$input.params()`` reads with
    names matched exactly. A ``Headers`` wraps one map, without copying it, for
    the questions HTTP itself asks in any case: is ``content-type`` there, what
    is its last value, replace it. Changes go to the wrapped map.
    """

    __slots__ = ("map",)

    def __init__(self, mapping: dict[str, list[str]] | None = None) -> None:
        self.map: dict[str, list[str]] = {} if mapping is None else mapping

    def names(self, name: str) -> list[str]:
        """The spellings of ``name`` in the map, in map order."""
        return spellings(self.map, name)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self.names(name))

    def last(self, name: str) -> str | None:
        """The last value of ``name``: when it is spelled several ways, of the last spelling that has values
        (U18: one value read from a repeated header is the last one)."""
        found: str | None = None
        for key in self.names(name):
            values = self.map[key]
            if values:
                found = values[-1]
        return found

    def values(self, name: str) -> list[str]:
        """Every value of ``name``, spelling by spelling in map order, each spelling's values in order."""
        return [value for key in self.names(name) for value in self.map[key]]

    def set(self, name: str, values: list[str]) -> None:
        """``name`` with these values only: every other spelling goes, and ``name`` comes last in the map."""
        self.remove(name)
        self.map[name] = values

    def append(self, name: str, value: str) -> None:
        """One more value for ``name``: added to its first spelling, or a new entry spelled ``name``."""
        found = self.names(name)
        self.map.setdefault(found[0] if found else name, []).append(value)

    def remove(self, name: str) -> None:
        """``name`` gone, in every spelling."""
        for key in self.names(name):
            del self.map[key]

    def __repr__(self) -> str:
        return f"Headers({self.map!r})"


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
    if "Content-Type" not in Headers(out):
        out = {"Content-Type": ["application/json"], **out}
    return out
