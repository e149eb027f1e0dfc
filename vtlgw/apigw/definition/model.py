"""The one model every definition format is loaded into.

It carries what the custom-integration pipeline and the linter need
(integration.md §1) and no more: methods keyed by (HTTP method, resource
path), their integrations with templates and integration responses in
definition order, method responses, binary media types and gateway
responses. Every object remembers where it came from (:class:`Source`), so
that errors and lint findings can cite the file, JSON pointer and line:col.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import DefinitionError
    from .yamlload import Position, PositionMap

INTEGRATION_TYPES = ("MOCK", "AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY")
PASSTHROUGH_BEHAVIORS = ("WHEN_NO_MATCH", "WHEN_NO_TEMPLATES", "NEVER")
CONTENT_HANDLINGS = ("CONVERT_TO_TEXT", "CONVERT_TO_BINARY")
HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY")
GATEWAY_RESPONSE_TYPES = (
    "ACCESS_DENIED",
    "API_CONFIGURATION_ERROR",
    "AUTHORIZER_CONFIGURATION_ERROR",
    "AUTHORIZER_FAILURE",
    "BAD_REQUEST_PARAMETERS",
    "BAD_REQUEST_BODY",
    "DEFAULT_4XX",
    "DEFAULT_5XX",
    "EXPIRED_TOKEN",
    "INTEGRATION_FAILURE",
    "INTEGRATION_TIMEOUT",
    "INVALID_API_KEY",
    "INVALID_SIGNATURE",
    "MISSING_AUTHENTICATION_TOKEN",
    "QUOTA_EXCEEDED",
    "REQUEST_TOO_LARGE",
    "RESOURCE_NOT_FOUND",
    "THROTTLED",
    "UNAUTHORIZED",
    "UNSUPPORTED_MEDIA_TYPE",
    "WAF_FILTERED",
)
DEFAULT_TIMEOUT_MILLIS = 29000
DEFAULT_PASSTHROUGH = "WHEN_NO_MATCH"

_LAMBDA_URI = re.compile(r":lambda:path/[^/]+/functions/.+/invocations\Z")


class Source:
    """Where a model object was defined: file, JSON pointer and (lazily) its position.

    Positions of large JSON files are only indexed when first asked for, so
    loading a big CDK template stays cheap.
    """

    __slots__ = ("file", "pointer", "_positions", "_position", "_resolved")

    def __init__(self, file: str, pointer: str, positions: PositionMap | None = None) -> None:
        self.file = file
        self.pointer = pointer
        self._positions = positions
        self._position: Position | None = None
        self._resolved = positions is None

    @property
    def position(self) -> Position | None:
        if not self._resolved:
            self._position = self._positions.lookup(self.pointer) if self._positions else None
            self._resolved = True
        return self._position

    @property
    def line(self) -> int | None:
        pos = self.position
        return pos.line if pos else None

    @property
    def column(self) -> int | None:
        pos = self.position
        return pos.column if pos else None

    @property
    def key_line(self) -> int | None:
        pos = self.position
        return pos.key_line if pos else None

    @property
    def key_column(self) -> int | None:
        pos = self.position
        return pos.key_column if pos else None

    @property
    def style(self) -> str | None:
        """YAML scalar style (``|``, ``>``, quotes) or ``"`` for a JSON string."""
        pos = self.position
        return pos.style if pos else None

    @property
    def content_line(self) -> int | None:
        """First line of a YAML block scalar's text (template line 1)."""
        pos = self.position
        return pos.content_line if pos else None

    @property
    def content_column(self) -> int | None:
        pos = self.position
        return pos.content_column if pos else None

    @property
    def location(self) -> str:
        """``file:line:col`` (or less, when unknown)."""
        text = self.file
        if self.line is not None:
            text += f":{self.line}:{self.column}"
        return text

    def __str__(self) -> str:
        return f"{self.location}: {self.pointer or '/'}"

    def __repr__(self) -> str:
        return f"Source({self.file!r}, {self.pointer!r}, line={self.line}, column={self.column})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Source) and (self.file, self.pointer) == (other.file, other.pointer)

    def __hash__(self) -> int:
        return hash((self.file, self.pointer))


@dataclass
class MappingTemplate:
    """One ``requestTemplates``/``responseTemplates`` entry.

    ``template`` is None when the file gives ``""`` (or null): API Gateway
    stores such a key with a null template, which can be selected and then
    means passthrough (integration.md §1). ``symbolic`` marks a template
    rendered from a CloudFormation intrinsic (``!Sub``), whose ``${...}``
    references are left as written.
    """

    content_type: str
    template: str | None
    source: Source | None = field(default=None, compare=False, repr=False)
    symbolic: bool = False


def templates_as_dict(templates: list[MappingTemplate]) -> dict[str, str | None]:
    """Content type -> template text, in definition order."""
    return {t.content_type: t.template for t in templates}


@dataclass
class IntegrationResponse:
    """An integration response; ``selection_pattern`` None is the default response."""

    status_code: str
    selection_pattern: str | None = None
    response_parameters: dict[str, str] = field(default_factory=dict)
    response_templates: list[MappingTemplate] = field(default_factory=list)
    content_handling: str | None = None
    source: Source | None = field(default=None, compare=False, repr=False)

    @property
    def is_default(self) -> bool:
        return self.selection_pattern is None

    @property
    def templates(self) -> dict[str, str | None]:
        return templates_as_dict(self.response_templates)


@dataclass
class Integration:
    """The integration of a method, with what the pipeline needs to run it offline.

    ``uri`` is the URI as given, or, for a CloudFormation intrinsic, its
    readable rendering (``arn:aws:apigateway:${AWS::Region}:lambda:path/...``);
    ``uri_raw`` keeps the original value.
    """

    type: str
    uri: str | None = None
    http_method: str | None = None
    request_templates: list[MappingTemplate] = field(default_factory=list)
    request_parameters: dict[str, str] = field(default_factory=dict)
    passthrough_behavior: str = DEFAULT_PASSTHROUGH
    content_handling: str | None = None
    timeout_in_millis: int = DEFAULT_TIMEOUT_MILLIS
    integration_responses: list[IntegrationResponse] = field(default_factory=list)
    credentials: str | None = None
    connection_type: str | None = None
    cache_key_parameters: list[str] = field(default_factory=list)
    uri_raw: Any = field(default=None, repr=False)
    source: Source | None = field(default=None, compare=False, repr=False)

    @property
    def is_proxy(self) -> bool:
        return self.type in ("AWS_PROXY", "HTTP_PROXY")

    @property
    def is_mock(self) -> bool:
        return self.type == "MOCK"

    @property
    def is_lambda(self) -> bool:
        """A Lambda invocation URI (``...:lambda:path/2015-03-31/functions/<arn>/invocations``)."""
        return self.type in ("AWS", "AWS_PROXY") and bool(self.uri and _LAMBDA_URI.search(self.uri))

    @property
    def templates(self) -> dict[str, str | None]:
        return templates_as_dict(self.request_templates)

    @property
    def default_responses(self) -> list[IntegrationResponse]:
        return [r for r in self.integration_responses if r.is_default]


@dataclass
class MethodResponse:
    """A declared method response: its status, header declarations and models."""

    status_code: str
    response_parameters: dict[str, bool] = field(default_factory=dict)
    response_models: dict[str, str | None] = field(default_factory=dict)
    source: Source | None = field(default=None, compare=False, repr=False)

    @property
    def header_names(self) -> list[str]:
        """Names declared as ``method.response.header.<name>``, in order."""
        prefix = "method.response.header."
        return [k[len(prefix) :] for k in self.response_parameters if k.startswith(prefix)]


@dataclass
class Method:
    """One method of one resource (``ANY`` included)."""

    http_method: str
    resource_path: str
    request_parameters: dict[str, bool] = field(default_factory=dict)
    method_responses: dict[str, MethodResponse] = field(default_factory=dict)
    integration: Integration | None = None
    operation_id: str | None = None
    source: Source | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.http_method, self.resource_path)


@dataclass
class GatewayResponse:
    """A customised gateway response (integration.md §8)."""

    response_type: str
    status_code: str | None = None
    response_parameters: dict[str, str] = field(default_factory=dict)
    response_templates: list[MappingTemplate] = field(default_factory=list)
    source: Source | None = field(default=None, compare=False, repr=False)

    @property
    def templates(self) -> dict[str, str | None]:
        return templates_as_dict(self.response_templates)


@dataclass
class ApiDefinition:
    """A REST API as loaded from one definition.

    ``methods`` is keyed by (HTTP method, resource path) in definition order;
    ``resource_paths`` lists every resource, with or without methods.
    ``problems`` holds what was reported when loading with ``strict=False``.
    """

    source_file: str
    format: str
    methods: dict[tuple[str, str], Method] = field(default_factory=dict)
    resource_paths: list[str] = field(default_factory=list)
    binary_media_types: list[str] = field(default_factory=list)
    gateway_responses: dict[str, GatewayResponse] = field(default_factory=dict)
    name: str | None = None
    api_id: str | None = None
    problems: list[DefinitionError] = field(default_factory=list, repr=False)
    source: Source | None = field(default=None, compare=False, repr=False)
    _routes: Any = field(default=None, init=False, repr=False, compare=False)

    def method(self, http_method: str, resource_path: str) -> Method | None:
        """The method defined exactly for (``http_method``, ``resource_path``)."""
        return self.methods.get((http_method.upper(), resource_path))

    def find_method(self, http_method: str, path: str) -> tuple[Method, dict[str, str]] | None:
        """Route a request as API Gateway does; None means 403 Missing Authentication Token.

        The resources whose path template matches ``path`` are ranked segment
        by segment from the left: a literal beats ``{name}``, which beats
        ``{name+}``. The most specific resource that has the request's method,
        or else ``ANY``, wins; a resource without it is skipped, so a request
        falls through to a less specific one such as ``/{proxy+}`` (observed
        on AWS). ``{name+}`` needs at least one character and does not match
        the root. Path parameter values are the path text as given (no
        percent-decoding); a single trailing slash is ignored except inside
        a greedy value.
        """
        routes = self._route_table()
        verb = http_method.upper()
        for _, resource_path, segments, by_method in routes:
            params = _match_path(segments, path)
            if params is None:
                continue
            method = by_method.get(verb) or by_method.get("ANY")
            if method is not None:
                return method, params
        return None

    def _route_table(self) -> list[tuple[tuple[int, ...], str, list[str], dict[str, Method]]]:
        key = (tuple(self.methods), tuple(self.resource_paths))
        if self._routes is not None and self._routes[0] == key:
            return self._routes[1]
        by_path: dict[str, dict[str, Method]] = {}
        for path in self.resource_paths:
            by_path.setdefault(path, {})
        for (verb, path), method in self.methods.items():
            by_path.setdefault(path, {})[verb] = method
        table = []
        for path, by_method in by_path.items():
            segments = split_resource_path(path)
            table.append((_rank(segments), path, segments, by_method))
        table.sort(key=lambda row: row[0])
        self._routes = (key, table)
        return table


def split_resource_path(path: str) -> list[str]:
    """``/pets/{id}`` -> ``["pets", "{id}"]``; the root is ``[]``."""
    stripped = path.strip("/")
    return stripped.split("/") if stripped else []


def is_variable(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


def is_greedy(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("+}")


def _rank(segments: list[str]) -> tuple[int, ...]:
    return tuple(2 if is_greedy(s) else 1 if is_variable(s) else 0 for s in segments)


def _match_path(segments: list[str], path: str) -> dict[str, str] | None:
    raw = path.split("?", 1)[0]
    raw = raw[1:] if raw.startswith("/") else raw
    parts = raw.split("/") if raw else []
    trimmed = parts[:-1] if parts and parts[-1] == "" else parts
    params: dict[str, str] = {}
    for index, segment in enumerate(segments):
        if is_greedy(segment):
            rest = "/".join(parts[index:])
            if index >= len(parts) or not rest:
                return None
            params[segment[1:-2]] = rest
            return params
        if index >= len(trimmed):
            return None
        value = trimmed[index]
        if is_variable(segment):
            if not value:
                return None
            params[segment[1:-1]] = value
        elif value != segment:
            return None
    return params if len(trimmed) == len(segments) else None
