"""Parameter mapping expressions: ``requestParameters``, ``responseParameters`` and gateway headers.

One reader evaluates every source kind (docs/integration.md, sections 3.4, 6 and 8) so that
the three mapping places agree on what ``context.x``, ``stageVariables.x`` and
``'literal'`` mean; each place says which source prefixes it allows. A value
is a list of strings (several for the multi-value sources); None leaves the
target unset, as a missing value or an empty one does on AWS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from vtlgw.apigw.http.headers import Headers
from vtlgw.apigw.request import MethodRequest
from vtlgw.vtl.errors import JavaException
from vtlgw.vtl.values import json_text, parse_json_text, to_text

from .failures import Failure

__all__ = ["SourceReader", "MappingError", "BadRequestBody", "Mapped", "map_request_parameters",
           "map_response_parameters", "map_gateway_parameters", "FORBIDDEN_HEADERS",
           "FORBIDDEN_AWS_HEADERS", "INVALID_MAPPING"]

INVALID_MAPPING = "Invalid mapping expression specified"

#: Integration request headers that may not be mapped: a runtime 500 [AWS-rec].
FORBIDDEN_HEADERS = frozenset({"content-length", "transfer-encoding"})
#: ... and for ``AWS`` integrations also these [AWS-rec].
FORBIDDEN_AWS_HEADERS = FORBIDDEN_HEADERS | {"authorization", "connection", "expect", "proxy-authenticate", "te"}

_NAME = re.compile(r"^[a-zA-Z0-9._$-]+$")
_REQUEST_TARGET = re.compile(r"^integration\.request\.(path|querystring|header)\.(.+)$")
_RESPONSE_TARGET = re.compile(r"^method\.response\.header\.(.+)$")
_GATEWAY_TARGET = re.compile(r"^gatewayresponse\.header\.(.+)$")


class MappingError(Exception):
    """An expression API Gateway would reject; the pipeline answers 500 (configuration error)."""


class BadRequestBody(Exception):
    """A ``method.request.body.*`` mapping over a body that is not JSON (400, U38)."""


@dataclass
class IntegrationResponseView:
    """What ``integration.response.*`` sources read: the backend's headers and body text."""

    headers: dict[str, list[str]]
    body: str
    lambda_errors: bool = False  # apply the errorMessage-as-JSON rule (Lambda custom integrations)


@dataclass
class SourceReader:
    """Evaluates source expressions over one invocation's data."""

    request: MethodRequest
    context: Any
    stage_variables: dict[str, str]
    declared: set[str] | None = None  # declared method.request.* parameters (None: do not check)
    response: IntegrationResponseView | None = None
    select: Callable[[str, Any], tuple[bool, Any]] | None = None
    _request_json: Any = field(default=None, init=False, repr=False)
    _request_parsed: bool = field(default=False, init=False, repr=False)
    _response_json: Any = field(default=None, init=False, repr=False)
    _response_parsed: bool = field(default=False, init=False, repr=False)

    # ------------------------------------------------------------------ dispatch

    def read(self, expression: str, allowed: tuple[str, ...]) -> list[str] | None:
        """The value of ``expression``; raises MappingError when it is not a valid source here."""
        expr = expression.strip()
        if len(expr) >= 2 and expr.startswith("'") and expr.endswith("'"):
            if "'" not in allowed:
                raise MappingError(f"a literal is not a valid source here: {expression}")
            return _one(expr[1:-1])
        for prefix, reader in (("method.request.", self._method_request),
                               ("integration.response.", self._integration_response),
                               ("context.", self._context),
                               ("stageVariables.", self._stage_variable)):
            if expr.startswith(prefix):
                if prefix not in allowed:
                    break
                return reader(expr[len(prefix):], expression)
        raise MappingError(f"not a valid mapping source here: {expression}")

    # ------------------------------------------------------------------ method request

    def _method_request(self, rest: str, expression: str) -> list[str] | None:
        if rest == "body":
            body = self.request.body_text()
            return _one(body)
        if rest.startswith("body."):
            found, value = self._json_path(self._request_body_json(), rest[len("body."):], expression)
            return _one(_as_text(value)) if found else None
        location, _, name = rest.partition(".")
        if location not in ("path", "querystring", "header", "multivaluequerystring", "multivalueheader") \
                or not _NAME.match(name):
            raise MappingError(f"not a valid method request parameter: {expression}")
        self._check_declared(location, name, expression)
        if location == "path":
            return _one(self.request.path_parameters.get(name))
        if location in ("querystring", "multivaluequerystring"):
            values = self.request.query.get(name) or []
        else:
            values = _header_values(self.request.headers, name)
        if location.startswith("multivalue"):
            return [v for v in values if v != ""] or None
        # The single value is the last one; when that one is empty the target stays unset.
        return _one(values[-1]) if values else None

    def _check_declared(self, location: str, name: str, expression: str) -> None:
        if self.declared is None:
            return
        base = location.replace("multivalue", "")
        candidates = {f"method.request.{base}.{name}", f"method.request.multivalue{base}.{name}"}
        if location == "path":
            candidates = {f"method.request.path.{name}"}
        if not candidates & self.declared:
            raise MappingError(f"{expression} is not declared as a method request parameter")

    def _request_body_json(self) -> Any:
        if not self._request_parsed:
            text = self.request.body_text()
            if text.strip() == "":
                self._request_json = {}
            else:
                try:
                    self._request_json = parse_json_text(text)
                except (ValueError, RecursionError):
                    raise BadRequestBody() from None
            self._request_parsed = True
        return self._request_json

    # ------------------------------------------------------------------ integration response

    def _integration_response(self, rest: str, expression: str) -> list[str] | None:
        response = self.response
        if response is None:
            raise MappingError(f"not a valid source in a request mapping: {expression}")
        if rest == "body":
            return _one(response.body)
        if rest.startswith("body."):
            path = rest[len("body."):]
            data = self._response_body_json()
            if data is _NOT_JSON:
                return None
            if response.lambda_errors and path.startswith("errorMessage."):
                found, message = self._json_path(data, "errorMessage", expression)
                if found and isinstance(message, str):
                    try:
                        inner = parse_json_text(message)
                    except (ValueError, RecursionError):
                        return None
                    found, value = self._json_path(inner, path[len("errorMessage."):], expression)
                    return _one(_as_text(value)) if found else None
            found, value = self._json_path(data, path, expression)
            return _one(_as_text(value)) if found else None
        location, _, name = rest.partition(".")
        if location not in ("header", "multivalueheader") or not name:
            raise MappingError(f"not a valid integration response source: {expression}")
        values = response.headers.get(name) or []
        if not values:
            return None
        return _one(values[-1] if location == "header" else ",".join(values))

    def _response_body_json(self) -> Any:
        if not self._response_parsed:
            assert self.response is not None
            text = self.response.body
            try:
                self._response_json = parse_json_text(text) if text.strip() else {}
            except (ValueError, RecursionError):
                self._response_json = _NOT_JSON
            self._response_parsed = True
        return self._response_json

    # ------------------------------------------------------------------ context, stage variables

    def _context(self, rest: str, expression: str) -> list[str] | None:
        value: Any = self.context
        for part in rest.split("."):
            if not part:
                raise MappingError(f"not a valid context variable: {expression}")
            if not isinstance(value, dict) or part not in value:
                return None
            value = value[part]
        if value is None or isinstance(value, dict):
            return None
        return _one(to_text(value))

    def _stage_variable(self, rest: str, expression: str) -> list[str] | None:
        if not rest:
            raise MappingError(f"not a valid stage variable: {expression}")
        return _one(self.stage_variables.get(rest))

    # ------------------------------------------------------------------ JSONPath

    def _json_path(self, data: Any, path: str, expression: str) -> tuple[bool, Any]:
        selector = self.select or json_select
        try:
            return selector("$." + path, data)
        except Exception as exc:  # an unparsable path: AWS rejects the expression
            raise MappingError(f"{expression}: {exc}") from None


_NOT_JSON = object()


def json_select(path: str, data: Any) -> tuple[bool, Any]:
    """Evaluate a Jayway JSONPath; (False, None) when it finds nothing or only null."""
    from vtlgw.apigw.jsonpath import select

    try:
        value = select(path, data)
    except JavaException as exc:
        if "PathNotFound" in exc.java_class:
            return False, None
        raise
    if value is None:
        return False, None
    if isinstance(value, list) and not value and _is_indefinite(path):
        return False, None
    return True, value


def _is_indefinite(path: str) -> bool:
    return any(token in path for token in ("..", "*", "?(", ",", ":"))


def _as_text(value: Any) -> str:
    """Strings raw, everything else as compact JSON (numbers as their text)."""
    if isinstance(value, str):
        return value
    return json_text(value)


def _one(value: str | None) -> list[str] | None:
    return [value] if value else None


def _header_values(headers: dict[str, list[str]], name: str) -> list[str]:
    """All values of a header, whatever the case of its name (HTTP names are case-insensitive)."""
    return Headers(headers).values(name)


# ---------------------------------------------------------------------------- the three mapping places


@dataclass
class Mapped:
    """Mapped integration request parameters: name -> values, in mapping order."""

    path: dict[str, list[str]] = field(default_factory=dict)
    querystring: dict[str, list[str]] = field(default_factory=dict)
    header: dict[str, list[str]] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, list[str]]:
        return {"path": self.path, "querystring": self.querystring, "header": self.header}[name]


def map_request_parameters(mapping: dict[str, str], reader: SourceReader, *, aws: bool) -> Mapped:
    """Evaluate ``requestParameters`` (§3.4); forbidden headers raise a configuration Failure."""
    out = Mapped()
    forbidden = FORBIDDEN_AWS_HEADERS if aws else FORBIDDEN_HEADERS
    for target, source in mapping.items():
        m = _REQUEST_TARGET.match(target)
        if not m:
            raise MappingError(f"not a valid integration request parameter: {target}")
        location, name = m.groups()
        if location == "header" and name.lower() in forbidden:
            raise Failure.config(INVALID_MAPPING, f"{target}: the {name} header cannot be mapped")
        values = reader.read(source, ("'", "method.request.", "context.", "stageVariables."))
        if values is not None:
            out.section(location)[name] = values
    return out


def map_response_parameters(mapping: dict[str, str], reader: SourceReader) -> list[tuple[str, list[str]]]:
    """Evaluate ``responseParameters`` (§6): (header name, values) for each target that got a value."""
    out: list[tuple[str, list[str]]] = []
    for target, source in mapping.items():
        m = _RESPONSE_TARGET.match(target)
        if not m:
            raise MappingError(f"not a valid method response parameter: {target}")
        values = reader.read(source, ("'", "integration.response.", "context.", "stageVariables."))
        if values is not None:
            out.append((m.group(1), values))
    return out


def map_gateway_parameters(mapping: dict[str, str], reader: SourceReader) -> list[tuple[str, list[str]]]:
    """Evaluate a gateway response's ``responseParameters`` (§8); invalid entries are skipped."""
    out: list[tuple[str, list[str]]] = []
    for target, source in mapping.items():
        m = _GATEWAY_TARGET.match(target)
        if not m:
            continue
        try:
            values = reader.read(source, ("'", "method.request.", "context.", "stageVariables."))
        except (MappingError, BadRequestBody):
            continue
        if values is not None:
            out.append((m.group(1), values))
    return out

