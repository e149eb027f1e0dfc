"""The execution log, in the shape of API Gateway's test-invoke log (docs/integration.md, section 9).

Every line but the first carries the request time printed as Java's
``Date.toString()`` in UTC, so that a log captured from the console and one
produced here can be compared line by line.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Iterable, Mapping

from vtlgw.apigw.wire import as_sent, java_utf8

__all__ = ["ExecutionLog", "java_date", "java_map", "TRUNCATE_BYTES"]

#: AWS truncates each logged value to this many bytes [D:api-gateway-known-issues].
TRUNCATE_BYTES = 1024
_TRUNCATED = " [TRUNCATED]"
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def java_date(epoch_ms: int) -> str:
    """``Date.toString()`` in UTC: ``Wed Mar 04 19:15:17 UTC 2020``."""
    t = _EPOCH + timedelta(milliseconds=epoch_ms)
    return (f"{_DAYS[t.weekday()]} {_MONTHS[t.month - 1]} {t.day:02d} "
            f"{t.hour:02d}:{t.minute:02d}:{t.second:02d} UTC {t.year}")


def java_map(items: Mapping[str, object] | Iterable[tuple[str, object]]) -> str:
    """A map printed Java-style, ``{a=1, b=2}``; list values are joined with ``,``."""
    pairs = items.items() if isinstance(items, Mapping) else items
    parts = []
    for key, value in pairs:
        if isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        parts.append(f"{key}={value}")
    return "{" + ", ".join(parts) + "}"


class ExecutionLog:
    """Collects log lines; ``truncate`` applies AWS's 1024-byte limit to logged values."""

    def __init__(self, request_id: str, epoch_ms: int, *, truncate: bool = False) -> None:
        self.request_id = request_id
        self.stamp = java_date(epoch_ms)
        self.truncate = truncate
        self.lines: list[str] = [f"Execution log for request {request_id}"]

    def add(self, text: str) -> None:
        """One ``<timestamp> : <text>`` line (no truncation: for fixed texts); lone surrogates print as ``?``."""
        self.lines.append(f"{self.stamp} : {as_sent(text)}")

    def value(self, label: str, value: str) -> None:
        """A ``<label>: <value>`` line whose value may be truncated."""
        self.add(f"{label}: {self._cut(value)}")

    def _cut(self, value: str) -> str:
        if not self.truncate:
            return value
        raw = java_utf8(value)
        if len(raw) <= TRUNCATE_BYTES:
            return value
        return raw[:TRUNCATE_BYTES].decode("utf-8", "ignore") + _TRUNCATED

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
