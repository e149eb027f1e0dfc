"""The one model every definition format is loaded into.

It carries what the custom-integration pipeline and the linter need
(docs/integration.md, section 1) and no more: methods keyed by (HTTP method, resource
path), their integrations with templates and integration responses in
definition order, method responses, binary media types and gateway
responses. Every object remembers where it came from (:class:`Source`), so
that errors and lint findings can cite the file, JSON pointer and line:col.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterator
from urllib.parse import unquote

from vtlgw.apigw.http.paths import (  # the one resource-path module; these names stay importable from here
    is_greedy,
    is_variable,
    request_segments,
    route_segments,
    split_resource_path,
    variable_name,
)
from vtlgw.vtl.diagnostics import Diagnostic, Location
from vtlgw.vtl.warning import warning

from .authorizers import Authorizer
from .validation import ApiKey, Model, RequestValidator

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

    def to_location(self) -> Location:
        """The project-wide :class:`Location`: file, ``line:col`` when known, the JSON pointer."""
        line = self.line
        return Location(self.file, line, self.column if line is not None else None, pointer=self.pointer or None)

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
    means passthrough (docs/integration.md, section 1). ``symbolic`` marks a template
    rendered from a CloudFormation intrinsic (``!Sub``), whose ``${...}``
    references are left as written.
    """

    content_type: str
    template: str | None
    source: Source | None = field(default=None, compare=False, repr=False)
    symbolic: bool = False
    #: Written with intrinsics that were evaluated against the supposed stack: ``template`` is the
    #: text CloudFormation would deploy, so columns on a substituted line may differ from the file's.
    substituted: bool = False


def templates_as_dict(templates: list[MappingTemplate]) -> dict[str, str | None]:
    """Content type -> template text, in definition order."""
    return {t.content_type: t.template for t in templates}


class _Located:
    """``where(field)``: the source of one field or map entry, else of the whole object.

    Field names are the model's (``"uri"``, ``"selection_pattern"``,
    ``"status_code"``, ``"passthrough_behavior"``...); map entries are
    ``"request_parameters.<key>"``, ``"response_parameters.<key>"``. The
    linter uses them to point at the exact key whatever the file format
    calls it. For an OpenAPI integration response, ``selection_pattern`` is
    the response itself: its key is the pattern (use ``key_line``).
    """

    source: Source | None
    sources: dict[str, Source]

    def where(self, name: str | None = None) -> Source | None:
        if name is not None and name in self.sources:
            return self.sources[name]
        return self.source


@dataclass
class IntegrationResponse(_Located):
    """An integration response; ``selection_pattern`` None is the default response."""

    status_code: str
    selection_pattern: str | None = None
    response_parameters: dict[str, str] = field(default_factory=dict)
    response_templates: list[MappingTemplate] = field(default_factory=list)
    content_handling: str | None = None
    source: Source | None = field(default=None, compare=False, repr=False)
    sources: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_default(self) -> bool:
        return self.selection_pattern is None

    @property
    def templates(self) -> dict[str, str | None]:
        return templates_as_dict(self.response_templates)


@dataclass
class Integration(_Located):
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
    function_id: str | None = None  # the template's Lambda function this URI invokes, when it defines it
    #: An HTTP API integration's payload format, ``"1.0"`` or ``"2.0"`` (None for a REST API).
    payload_format_version: str | None = None
    source: Source | None = field(default=None, compare=False, repr=False)
    sources: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)

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
class MethodResponse(_Located):
    """A declared method response: its status, header declarations and models."""

    status_code: str
    response_parameters: dict[str, bool] = field(default_factory=dict)
    response_models: dict[str, str | None] = field(default_factory=dict)
    source: Source | None = field(default=None, compare=False, repr=False)
    sources: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)

    @property
    def header_names(self) -> list[str]:
        """Names declared as ``method.response.header.<name>``, in order."""
        prefix = "method.response.header."
        return [k[len(prefix) :] for k in self.response_parameters if k.startswith(prefix)]


@dataclass(frozen=True)
class LambdaFunction:
    """A Lambda function the template defines, with where its code is on disk (when it is local).

    ``code_dir`` is absolute (a SAM ``CodeUri`` folder or a CDK asset folder);
    ``handler`` is the runtime's ``module.function``. ``invoke`` runs a Python
    function in-process when no other backend is given.
    """

    logical_id: str
    handler: str | None = None
    runtime: str | None = None
    code_dir: str | None = None
    source: Source | None = field(default=None, compare=False, repr=False)
    #: ``Environment.Variables``, intrinsics evaluated: set for the call, restored after it.
    environment: dict[str, str] = field(default_factory=dict)
    #: ``Timeout`` in seconds (Lambda's default is 3).
    timeout_seconds: int = 3

    @property
    def is_python(self) -> bool:
        return bool(self.runtime and self.runtime.startswith("python"))


@dataclass(frozen=True)
class NotEmulated:
    """A setting the definition makes that the offline pipeline does not apply (an authorizer, a validator...).

    ``invoke`` reports each as a warning, so a test never passes only because
    vtlgw skipped a step AWS would run; the pytest plugin's strict mode fails on it.
    """

    what: str
    source: Source | None = field(default=None, compare=False)

    @property
    def location(self) -> str:
        return self.source.location if self.source is not None else "<definition>"

    def diagnostic(self) -> Diagnostic:
        """The note as the warning ``invoke`` reports: at the setting's file, ``line:col`` and pointer."""
        where = self.source.to_location() if self.source is not None else Location("<definition>")
        return warning(self.what, where)


@dataclass
class Substitution:
    """One value CloudFormation would compute, computed against the supposed stack (what, where, result)."""

    written: str  # the intrinsic, readable (``${OrdersQueue}``, ``Fn::GetAtt Table.Arn``)
    value: str
    source: Source | None = field(default=None, compare=False)

    @property
    def location(self) -> str:
        return self.source.location if self.source is not None else "<definition>"


@dataclass
class Method(_Located):
    """One method of one resource (``ANY`` included).

    ``not_emulated`` lists what the definition sets on this method that vtlgw
    does not run (authorizers, API keys, request validation, proxy templates).
    """

    http_method: str
    resource_path: str
    request_parameters: dict[str, bool] = field(default_factory=dict)
    method_responses: dict[str, MethodResponse] = field(default_factory=dict)
    integration: Integration | None = None
    operation_id: str | None = None
    not_emulated: list[NotEmulated] = field(default_factory=list, compare=False, repr=False)
    #: An HTTP API route's key as written (``"GET /pets/{id}"``, ``"$default"``); None for a REST API.
    route_key: str | None = None
    #: The method request stage (docs/method-request.md): its validator, content type -> model name, API key.
    request_validator: RequestValidator | None = None
    request_models: dict[str, str] = field(default_factory=dict)
    api_key_required: bool = False
    #: ``NONE``, ``CUSTOM`` (a Lambda authorizer), ``COGNITO_USER_POOLS`` or ``AWS_IAM``; the authorizer
    #: for the first two, and the OAuth scopes a Cognito access token must have one of.
    authorization_type: str = "NONE"
    authorizer: Authorizer | None = None
    authorization_scopes: list[str] = field(default_factory=list)
    source: Source | None = field(default=None, compare=False, repr=False)
    sources: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.http_method, self.resource_path)


@dataclass
class GatewayResponse(_Located):
    """A customised gateway response (docs/integration.md, section 8)."""

    response_type: str
    status_code: str | None = None
    response_parameters: dict[str, str] = field(default_factory=dict)
    response_templates: list[MappingTemplate] = field(default_factory=list)
    source: Source | None = field(default=None, compare=False, repr=False)
    sources: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)

    @property
    def templates(self) -> dict[str, str | None]:
        return templates_as_dict(self.response_templates)


@dataclass
class ApiDefinition:
    """A REST API or an HTTP API (``protocol`` ``"HTTP"``) as loaded from one definition.

    ``methods`` is keyed by (HTTP method, resource path) in definition order;
    ``resource_paths`` lists every resource, with or without methods. An HTTP
    API's routes are methods too (``ANY`` for ``ANY``), each with its
    ``route_key``; its ``$default`` route is ``("ANY", "$default")``.
    ``problems`` holds what was reported when loading with ``strict=False``.
    """

    source_file: str
    format: str
    methods: dict[tuple[str, str], Method] = field(default_factory=dict)
    #: ``"REST"`` (API Gateway v1) or ``"HTTP"`` (an HTTP API, API Gateway v2).
    protocol: str = "REST"
    resource_paths: list[str] = field(default_factory=list)
    binary_media_types: list[str] = field(default_factory=list)
    #: A REST API's ``EDGE``, ``REGIONAL`` or ``PRIVATE`` endpoint (vtlgw.apigw.http.endpoint); HTTP APIs: REGIONAL.
    endpoint_type: str = "EDGE"
    gateway_responses: dict[str, GatewayResponse] = field(default_factory=dict)
    name: str | None = None
    api_id: str | None = None
    stage_name: str | None = None  # the deployed stage, when the template declares one
    stage_variables: dict[str, str] = field(default_factory=dict)  # that stage's variables
    problems: list[DefinitionError] = field(default_factory=list, repr=False)
    functions: dict[str, LambdaFunction] = field(default_factory=dict, repr=False)  # by logical id
    #: The stack intrinsics were evaluated against (a ``vtlgw.apigw.definition.Stack``), or None.
    stack: Any = field(default=None, repr=False, compare=False)
    #: Other files the definition was read from (an ``AWS::Include``, a ``DefinitionUri``), for caches.
    included_files: list[str] = field(default_factory=list, repr=False, compare=False)
    #: Every intrinsic evaluated, in file order: what ``vtlgw invoke`` shows as substituted.
    substitutions: list[Substitution] = field(default_factory=list, repr=False, compare=False)
    #: Models by name (``Empty`` and ``Error`` always), the API keys defined, and where a key is read
    #: from: ``HEADER`` (``x-api-key``) or ``AUTHORIZER`` (docs/method-request.md).
    models: dict[str, Model] = field(default_factory=dict, repr=False, compare=False)
    api_keys: list[ApiKey] = field(default_factory=list, repr=False, compare=False)
    api_key_source: str = "HEADER"
    #: Authorizers by name (OpenAPI security scheme, CloudFormation logical id, SAM Auth name).
    authorizers: dict[str, Authorizer] = field(default_factory=dict, repr=False, compare=False)
    source: Source | None = field(default=None, compare=False, repr=False)
    _routes: Any = field(default=None, init=False, repr=False, compare=False)
    _http_routes: Any = field(default=None, init=False, repr=False, compare=False)

    def method(self, http_method: str, resource_path: str) -> Method | None:
        """The method defined exactly for (``http_method``, ``resource_path``)."""
        return self.methods.get((http_method.upper(), resource_path))

    def find_method(self, http_method: str, path: str) -> tuple[Method, dict[str, str]] | None:
        """Route a request as API Gateway does; None means 403 Missing Authentication Token (REST API) or
        404 ``{"message":"Not Found"}`` (HTTP API: see :meth:`find_route`).

        The resources whose path template matches ``path`` are ranked segment
        by segment from the left: a literal beats ``{name}``, which beats
        ``{name+}``. The most specific resource that has the request's method,
        or else ``ANY``, wins; a resource without it is skipped, so a request
        falls through to a less specific one such as ``/{proxy+}`` (observed
        on AWS). ``{name+}`` needs at least one character and does not match
        the root. Runs of slashes count as one (``//hardcoded`` is
        ``/hardcoded``), and a single trailing slash is ignored, a greedy value
        included (``/x/`` gives ``x``), as recorded on AWS. Path parameter
        values are the path text as given (no percent-decoding).
        """
        if self.protocol == "HTTP":
            return self.find_route(http_method, path)
        verb = http_method.upper()
        for resource_path, params in _candidates(self._route_tree(), request_segments(path)):
            method = self.methods.get((verb, resource_path)) or self.methods.get(("ANY", resource_path))
            if method is not None:
                return method, params
        return None

    def find_route(self, http_method: str, path: str) -> tuple[Method, dict[str, str]] | None:
        """Route a request to an HTTP API's routes; None means API Gateway answers 404 ``{"message":"Not Found"}``
        (the caller writes that response).

        AWS docs, "Working with routes for HTTP APIs" (http-api-develop-routes): the most specific match wins,
        a full match before a greedy ``{proxy+}`` one, and the ``$default`` route catches what no other route
        matches; ``ANY`` matches the methods not defined for a route. So routes are ranked segment by segment
        from the left (a literal beats ``{name}``, which beats ``{name+}``), a route with the request's method
        beats ``ANY`` on the same path, and ``$default`` comes last. The same page says API Gateway decodes
        URL-encoded request parameters, so path parameter values are percent-decoded. Paths are compared as
        given: case counts, and a trailing slash or a run of slashes is not folded away as a REST API folds
        it (U49: the docs say nothing of these, so ``/pets/`` does not match ``GET /pets``).
        """
        verb = http_method.upper()
        for route_path, params in _http_candidates(self._http_route_tree(), route_segments(path)):
            method = self.methods.get((verb, route_path)) or self.methods.get(("ANY", route_path))
            if method is not None:
                return method, {name: unquote(value) for name, value in params.items()}
        default = self.methods.get(("ANY", "$default"))
        return (default, {}) if default is not None else None

    def invalidate_routes(self) -> None:
        """Forget the routing tree (it is rebuilt when the number of methods or resources changes)."""
        self._routes = None
        self._http_routes = None

    def _http_route_tree(self) -> _Node:
        key = len(self.methods)
        if self._http_routes is None or self._http_routes[0] != key:
            root = _Node()
            for _, route_path in self.methods:
                if route_path == "$default":
                    continue
                node = root
                for segment in split_resource_path(route_path):
                    node = node.child(segment)
                node.path = route_path
            self._http_routes = (key, root)
        return self._http_routes[1]

    def _route_tree(self) -> _Node:
        key = (len(self.methods), len(self.resource_paths))
        if self._routes is None or self._routes[0] != key:
            root = _Node()
            for path in [*self.resource_paths, *(p for _, p in self.methods)]:
                node = root
                for segment in split_resource_path(path):
                    node = node.child(segment)
                node.path = path
            self._routes = (key, root)
        return self._routes[1]


class _Node:
    """A routing tree node: literal children, then ``{var}`` children, then ``{var+}`` children."""

    __slots__ = ("path", "literals", "variables", "greedy")

    def __init__(self) -> None:
        self.path: str | None = None
        self.literals: dict[str, _Node] = {}
        self.variables: dict[str, _Node] = {}  # API Gateway allows one; a lenient load may hold more
        self.greedy: dict[str, _Node] = {}

    def child(self, segment: str) -> _Node:
        if is_greedy(segment):
            return self.greedy.setdefault(variable_name(segment), _Node())
        if is_variable(segment):
            return self.variables.setdefault(variable_name(segment), _Node())
        return self.literals.setdefault(segment, _Node())


def _candidates(root: _Node, parts: list[str]) -> Iterator[tuple[str, dict[str, str]]]:
    """Resources matching the request, most specific first (literal, then ``{var}``, then ``{var+}``)."""
    def walk(node: _Node, index: int, params: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
        if index == len(parts):
            if node.path is not None:
                yield node.path, params
            return
        segment = parts[index]
        literal = node.literals.get(segment)
        if literal is not None:
            yield from walk(literal, index + 1, params)
        if segment:
            for name, child in node.variables.items():
                yield from walk(child, index + 1, {**params, name: segment})
        rest = "/".join(parts[index:])  # /x/ gives {proxy+} "x": no trailing segment [AWS-rec]
        for name, child in node.greedy.items():
            if rest and child.path is not None:
                yield child.path, {**params, name: rest}

    yield from walk(root, 0, {})


def _http_candidates(root: _Node, parts: list[str]) -> Iterator[tuple[str, dict[str, str]]]:
    """HTTP API routes matching the request, most specific first; an empty segment (a trailing or doubled
    slash) matches no literal, no ``{name}`` and is no greedy value on its own."""

    def walk(node: _Node, index: int, params: dict[str, str]) -> Iterator[tuple[str, dict[str, str]]]:
        if index == len(parts):
            if node.path is not None:
                yield node.path, params
            return
        segment = parts[index]
        literal = node.literals.get(segment) if segment else None
        if literal is not None:
            yield from walk(literal, index + 1, params)
        if segment:
            for name, child in node.variables.items():
                yield from walk(child, index + 1, {**params, name: segment})
        rest = "/".join(parts[index:])
        for name, child in node.greedy.items():
            if rest and child.path is not None:
                yield child.path, {**params, name: rest}

    yield from walk(root, 0, {})

