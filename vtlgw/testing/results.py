"""What a test gets back: a rendered template, an invoked method, the request the backend received.

Each result knows how to explain itself when a test fails: ``.json()`` on
text that is not JSON says where parsing stopped, in the output and in the
template; an invoke result carries the pipeline's trace and execution log.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vtlgw.apigw.http.headers import spellings
from vtlgw.vtl.diagnostics import Diagnostic
from vtlgw.vtl.errors import VtlError

__all__ = ["Rendered", "Invoked", "IntegrationRequestView", "Headers", "OutputNotJsonError", "parsed_by_vtlgw"]

# JSON values returned by .json() recently, so the assertion hook can tell them from other dicts.
_PARSED: dict[int, Any] = {}
_PARSED_KEEP = 256


def _remember(value: Any, owner: Any) -> Any:
    if isinstance(value, (dict, list)):
        _PARSED[id(value)] = (value, owner)
        while len(_PARSED) > _PARSED_KEEP:
            _PARSED.pop(next(iter(_PARSED)))
    return value


def parsed_by_vtlgw(value: Any) -> Any:
    """The result whose ``.json()`` returned ``value`` (this very object), or None."""
    entry = _PARSED.get(id(value))
    return entry[1] if entry is not None and entry[0] is value else None


class OutputNotJsonError(VtlError, ValueError):
    """``.json()`` of output that is not JSON: the JSON error, the output line, and who wrote it."""


def _not_json(text: str, exc: json.JSONDecodeError, what: str, origin: str | None) -> OutputNotJsonError:
    from vtlgw.apigw.jsoncheck import json_problem

    problem = json_problem(text)
    if problem is None:  # pragma: no cover - json.loads failed, so the strict parse fails too
        return OutputNotJsonError(f"{what} is not JSON: {exc.msg}")
    parts = [f"{what} is not JSON: {problem.summary()}"] + [f"  {line}" for line in problem.excerpt]
    if origin:
        parts.append(f"  the character there was written by {origin}")
    return OutputNotJsonError("\n".join(parts))


def snapshot_warning(d: Diagnostic) -> dict[str, Any]:
    """A warning as a snapshot stores it: what and where in the template, not the machine's file path."""
    loc = d.location
    data = {"severity": str(d.severity), "code": d.code, "message": d.message, "line": loc.line,
            "column": loc.column, "pointer": loc.pointer}
    return {key: value for key, value in data.items() if value is not None}


class Headers(dict):
    """Response headers: a plain dict (names as API Gateway spells them) that also looks names up in any case."""

    def _key(self, name: Any) -> Any:
        if isinstance(name, str) and not dict.__contains__(self, name):
            found = spellings(self, name)
            if found:
                return found[0]
        return name

    def __getitem__(self, name: Any) -> Any:
        return dict.__getitem__(self, self._key(name))

    def __contains__(self, name: object) -> bool:
        return dict.__contains__(self, self._key(name))

    def get(self, name: Any, default: Any = None) -> Any:
        return dict.get(self, self._key(name), default)


@dataclass
class Rendered:
    """One rendered template: ``.text`` (also ``str()``), ``.json()``, the overrides it set, its warnings.

    ``result == "text"`` compares the text; ``result == {...}`` or ``[...]``
    compares the parsed JSON, so either reads naturally in an assert.
    """

    text: str
    request_override: dict[str, Any]
    response_override: dict[str, Any]
    warnings: list[Diagnostic]
    template: str
    origin: Callable[[int], str | None] = field(default=lambda offset: None, repr=False, compare=False)
    stamps: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __str__(self) -> str:
        return self.text

    def json(self) -> Any:
        """The output parsed as JSON; :class:`OutputNotJsonError` names the place it breaks."""
        try:
            return _remember(json.loads(self.text), self)
        except json.JSONDecodeError as exc:
            raise _not_json(self.text, exc, f"the output of {self.template}", self.origin(exc.pos)) from None

    def __eq__(self, other: object) -> bool:
        if _is_snapshot(other):
            return _compare_snapshot(self, other)
        if isinstance(other, str):
            return self.text == other
        if isinstance(other, (dict, list)):
            try:
                return json.loads(self.text) == other
            except json.JSONDecodeError:
                return False
        if isinstance(other, Rendered):
            return self.text == other.text
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def snapshot_data(self) -> dict[str, Any]:
        """What a snapshot stores: the output (parsed when it is JSON), overrides that were set, warnings."""
        data: dict[str, Any] = {"output": _json_or_text(self.text)}
        overrides = {k: v for k, v in self.request_override.items() if v}
        if overrides:
            data["requestOverride"] = overrides
        overrides = {k: v for k, v in self.response_override.items() if v}
        if overrides:
            data["responseOverride"] = overrides
        if self.warnings:
            data["warnings"] = [snapshot_warning(w) for w in self.warnings]
        return data


@dataclass
class IntegrationRequestView:
    """What the backend received: method, URI, headers, query, body, and the body as JSON."""

    method: str
    uri: str
    url: str
    headers: Headers
    multi_value_headers: dict[str, list[str]]
    query: dict[str, list[str]]
    path_parameters: dict[str, str]
    body: str
    is_base64_encoded: bool

    @classmethod
    def of(cls, request: Any) -> "IntegrationRequestView | None":
        if request is None:
            return None
        return cls(request.http_method, request.uri, request.url, Headers(request.headers),
                   dict(request.multi_value_headers), dict(request.query), dict(request.path_parameters),
                   request.body, request.is_base64_encoded)

    def json(self) -> Any:
        try:
            return _remember(json.loads(self.body), self)
        except json.JSONDecodeError as exc:
            raise _not_json(self.body, exc, "the integration request body", None) from None

    def snapshot_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"method": self.method, "url": self.url, "headers": dict(self.headers)}
        data["body"] = self.body if self.is_base64_encoded else _json_or_text(self.body)
        return data


@dataclass
class Invoked:
    """A method run through the pipeline: the client's response, the backend's request, the trace and log."""

    status: int
    headers: Headers
    multi_value_headers: dict[str, list[str]]
    body: str
    is_base64_encoded: bool
    integration_request: IntegrationRequestView | None
    log: str
    trace: list[str]
    warnings: list[Diagnostic]
    error: str | None
    latency: int
    route: str
    stamps: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def of(cls, result: Any, route: str) -> "Invoked":
        stamps = {"requestId": result.request_id, "requestTime": result.request_time,
                  "requestTimeEpoch": result.request_time_epoch}
        return cls(result.status, Headers(result.headers), dict(result.multi_value_headers), result.body,
                   result.is_base64_encoded, IntegrationRequestView.of(result.integration_request), result.log,
                   list(result.trace), list(result.warnings), result.error, result.latency_ms, route, stamps)

    def __eq__(self, other: object) -> bool:
        if _is_snapshot(other):
            return _compare_snapshot(self, other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def json(self) -> Any:
        """The response body parsed as JSON; :class:`OutputNotJsonError` names the place it breaks."""
        try:
            return _remember(json.loads(self.body), self)
        except json.JSONDecodeError as exc:
            raise _not_json(self.body, exc, f"the response body of {self.route}", None) from None

    def explain(self) -> str:
        """The trace and the execution log, as a failing test's report shows them."""
        lines = [f"vtlgw invoke {self.route} -> {self.status}"]
        lines += [f"  {line}" for line in self.trace]
        if self.error:
            lines += ["  error:"] + [f"    {line}" for line in self.error.splitlines()]
        if self.warnings:
            lines += ["  warnings:"] + [f"    {line}" for w in self.warnings for line in str(w).splitlines()]
        lines += ["", self.log]
        return "\n".join(lines)

    def snapshot_data(self) -> dict[str, Any]:
        """What a snapshot stores: status, headers, body (parsed when JSON), the integration request."""
        data: dict[str, Any] = {"status": self.status, "headers": dict(self.headers)}
        data["body"] = self.body if self.is_base64_encoded else _json_or_text(self.body)
        if self.integration_request is not None:
            data["integrationRequest"] = self.integration_request.snapshot_data()
        return data


def _is_snapshot(other: object) -> bool:
    """A syrupy ``snapshot`` (recognised without importing syrupy, an optional extra)."""
    return type(other).__name__ == "SnapshotAssertion" and hasattr(other, "use_extension")


def _compare_snapshot(result: Any, snapshot: Any) -> bool:
    from .snapshot import VtlgwSnapshotExtension

    return bool(snapshot(extension_class=VtlgwSnapshotExtension) == result)


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except (json.JSONDecodeError, ValueError):
        return text

