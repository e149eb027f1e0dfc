"""The method request file: one HTTP request as API Gateway receives it.

``vtlgw render``, the pipeline and the pytest plugin all read the same file
(docs/variables.md §6). It is a JSON object with the keys of a REST v1 Lambda proxy
event, so that an event captured from a real API works unchanged; the console's
TestInvokeMethod shape (``pathWithQueryString`` …) is accepted too.

A bad file is reported as one line a user can act on, naming the file, the
``line:col`` of the offending value and its JSON pointer::

    req.json:3:15: error: /headers/X-Count: expected a string

The ``line:col`` comes from the shared position index
(:class:`vtlgw.apigw.jsonpos.JsonPositions`), built only when a message needs
a position; the body's insides are never indexed.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import math
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any
from urllib.parse import unquote_plus

from vtlgw.apigw import limits
from vtlgw.apigw.errors import ArgumentError, InputFileError
from vtlgw.apigw.http import paths
from vtlgw.apigw.http.headers import Headers
from vtlgw.apigw.jsonvalue import MAX_VALUE_DEPTH, describe_type, json_problem
from vtlgw.apigw.jsonpos import JsonPositions, deepest, join_pointer
from vtlgw.apigw.wire import java_utf8
from vtlgw.vtl.diagnostics import Diagnostic, Location
from vtlgw.vtl.warning import warning

__all__ = [
    "MethodRequest",
    "RequestFileError",
    "load_request",
    "request_from_dict",
    "match_resource",
    "resource_parameter_names",
    "format_request_time",
    "parse_request_time",
    "epoch_problem",
    "MIN_EPOCH_MS",
    "MAX_EPOCH_MS",
    "HTTP_METHODS",
    "PROXY_KEYS",
    "TEST_INVOKE_KEYS",
]

HTTP_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")

#: Keys of a REST v1 Lambda proxy event (docs/proxy.md §1).
PROXY_KEYS = (
    "resource",
    "path",
    "httpMethod",
    "headers",
    "multiValueHeaders",
    "queryStringParameters",
    "multiValueQueryStringParameters",
    "pathParameters",
    "stageVariables",
    "requestContext",
    "body",
    "isBase64Encoded",
)

#: Keys of the TestInvokeMethod shape [API:TestInvokeMethod].
TEST_INVOKE_KEYS = (
    "pathWithQueryString",
    "httpMethod",
    "headers",
    "multiValueHeaders",
    "stageVariables",
    "body",
    "restApiId",
    "resourceId",
    "clientCertificateId",
)

_SHARED_KEYS = frozenset(PROXY_KEYS) & frozenset(TEST_INVOKE_KEYS)
_PROXY_KEY_SET = frozenset(PROXY_KEYS)
_TEST_INVOKE_KEY_SET = frozenset(TEST_INVOKE_KEYS)
_PROXY_ONLY = tuple(k for k in PROXY_KEYS if k not in _SHARED_KEYS)
_TEST_ONLY = tuple(k for k in TEST_INVOKE_KEYS if k not in _SHARED_KEYS)
_TEST_IGNORED = ("restApiId", "resourceId", "clientCertificateId")

# Stage variables [API:CreateStage; D:api-gateway-execution-service-limits-table].
_STAGE_VAR_NAME = re.compile(r"[A-Za-z0-9_]+")
_STAGE_VAR_VALUE = re.compile(r"[A-Za-z0-9\-._~:/?#&=,]+")
_STAGE_VAR_NAME_MAX = limits.MAX_STAGE_VARIABLE_NAME_CHARS
_STAGE_VAR_VALUE_MAX = limits.MAX_STAGE_VARIABLE_VALUE_CHARS
_STAGE_VARS_MAX = limits.MAX_STAGE_VARIABLES

# $context keys whose values are strings; the loader type-checks them so that the
# mistake is reported with its position rather than surfacing in a render.
_CONTEXT_STRING_KEYS = frozenset(
    "accountId apiId deploymentId domainName domainPrefix extendedRequestId httpMethod path protocol "
    "requestId requestTime resourceId resourcePath stage".split()
)
_CONTEXT_MAP_KEYS = frozenset(("identity", "requestOverride", "responseOverride"))
_IDENTITY_STRING_KEYS = frozenset(
    "cognitoIdentityPoolId accountId cognitoIdentityId caller sourceIp principalOrgId accessKey "
    "cognitoAuthenticationType cognitoAuthenticationProvider userArn userAgent user apiKey apiKeyId "
    "vpcId vpceId".split()
)


# ---------------------------------------------------------------------------
# Errors


class RequestFileError(InputFileError):
    """A method request file that cannot be used; ``str()`` is the one-line report."""

    default_file = "<request>"

    def __init__(self, message: str, *, source: str = "<request>", pointer: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        super().__init__(message, file=source, pointer=pointer, line=line, column=column)

    @property
    def source(self) -> str:
        return self.file or self.default_file


# ---------------------------------------------------------------------------
# The request


@dataclass
class MethodRequest:
    """One method request, normalised from either file shape.

    ``headers`` and ``query`` map each name (spelled as the client sent it) to
    all its values in request order; the single-value views templates see take
    the last value (U18) and keep request order (U19).
    """

    http_method: str = "GET"
    path: str = "/"
    resource: str = "/"
    path_parameters: dict[str, str] = field(default_factory=dict)
    headers: dict[str, list[str]] = field(default_factory=dict)
    query: dict[str, list[str]] = field(default_factory=dict)
    body: str | None = None
    is_base64_encoded: bool = False
    stage_variables: dict[str, str] = field(default_factory=dict)
    request_context: dict[str, Any] = field(default_factory=dict)

    def single_headers(self) -> dict[str, str]:
        """Header name → last value (U18), names in request order (U19)."""
        return {name: values[-1] for name, values in self.headers.items() if values}

    def single_query(self) -> dict[str, str]:
        """Query name → last value (U18), names in request order (U19)."""
        return {name: values[-1] for name, values in self.query.items() if values}

    def header(self, name: str) -> str | None:
        """The last value of header ``name``, matched case-sensitively as ``$input.params`` does."""
        values = self.headers.get(name)
        return values[-1] if values else None

    def header_any_case(self, name: str) -> str | None:
        """The last value of header ``name`` matched case-insensitively, as HTTP itself does.

        When the name appears in several spellings, the spelling that comes last
        in the request wins.
        """
        return Headers(self.headers).last(name)

    @property
    def content_type(self) -> str | None:
        """The ``Content-Type`` header (any case); it drives template selection."""
        return self.header_any_case("Content-Type")

    @property
    def accept(self) -> str | None:
        """The ``Accept`` header (any case); it drives response template selection."""
        return self.header_any_case("Accept")

    def body_bytes(self) -> bytes | None:
        """The raw payload: base64-decoded when ``isBase64Encoded``, else UTF-8 (a lone surrogate as ``?``);
        ``None`` if absent."""
        if self.body is None:
            return None
        if self.is_base64_encoded:
            return base64.b64decode(self.body)
        return java_utf8(self.body)

    def body_text(self) -> str:
        """The payload as text (``""`` when absent); binary payloads decode as UTF-8 with U+FFFD.

        The empty-payload-means-``{}`` rule belongs to ``$input``, not here.
        """
        if self.body is None:
            return ""
        if not self.is_base64_encoded:
            return self.body
        return base64.b64decode(self.body).decode("utf-8", "replace")


# ---------------------------------------------------------------------------
# Resource templates


def resource_parameter_names(resource: str) -> list[str]:
    """The ``{name}``/``{name+}`` parameters of a resource template; ValueError if malformed."""
    return paths.parameter_names(resource)


# (resource, path) -> what match_resource answered: a request reads the same few resources and paths
# again and again. Only answers are kept (a malformed resource raises every time); callers get copies.
_MATCHES: dict[tuple[str, str], dict[str, str] | None] = {}
_MATCHES_SIZE = 1024
_GOOD_RESOURCES: set[str] = set()  # resource templates that parse (a malformed one is checked every time)
_GOOD_STAGE_VARIABLES: set[tuple[str, str]] = set()  # (name, value) pairs that passed every check


def match_resource(resource: str, path: str) -> dict[str, str] | None:
    """Match ``path`` against a resource template; the URL-decoded parameters, or ``None``.

    Slashes are read as API Gateway routes them (recorded on AWS): runs of
    slashes count as one and a single trailing slash is ignored, so
    ``/{proxy+}`` gives ``a/b`` for ``/a//b/``.
    """
    key = (resource, path)
    try:
        found = _MATCHES[key]
    except KeyError:
        resource_parameter_names(resource)
        found = paths.match_decoded(resource, path)
        if len(_MATCHES) >= _MATCHES_SIZE:
            _MATCHES.clear()
        _MATCHES[key] = found
    return None if found is None else dict(found)


# ---------------------------------------------------------------------------
# Request time (shared with context.py, which derives one from the other)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_CLF = re.compile(r"(\d{2})/([A-Za-z]{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


#: The instants a request time can name here: years 1 to 9999 in UTC (Python's date range), in ms since 1970.
MIN_EPOCH_MS = -62135596800000           # 01/Jan/0001:00:00:00 +0000
MAX_EPOCH_MS = 253402300799999           # 31/Dec/9999:23:59:59 +0000, the last millisecond


def epoch_problem(epoch: int) -> str | None:
    """Why ``epoch`` (ms) cannot be a ``requestTimeEpoch``, or None when it can."""
    if MIN_EPOCH_MS <= epoch <= MAX_EPOCH_MS:
        return None
    return (f"{epoch} is out of range: a requestTimeEpoch is milliseconds since 1970 from {MIN_EPOCH_MS} to "
            f"{MAX_EPOCH_MS} (the years 1 to 9999)")


@functools.lru_cache(maxsize=64)
def format_request_time(epoch_ms: int) -> str:
    """``requestTime`` for an epoch in ms: ``dd/MMM/yyyy:HH:mm:ss +0000``, English months, UTC.

    ValueError (naming the range) for an epoch outside the years 1 to 9999.
    """
    problem = epoch_problem(epoch_ms)
    if problem:
        raise ValueError(problem)
    t = _EPOCH + timedelta(milliseconds=epoch_ms)
    return f"{t.day:02d}/{_MONTHS[t.month - 1]}/{t.year:04d}:{t.hour:02d}:{t.minute:02d}:{t.second:02d} +0000"


def parse_request_time(text: str) -> int:
    """The epoch in ms of a CLF ``requestTime``; ValueError if it is not in that form or not in the years 1 to 9999."""
    m = _CLF.fullmatch(text)
    month = m.group(2).capitalize() if m else ""
    if not m or month not in _MONTHS:
        raise ValueError(f'"{text}" is not a time like 04/Mar/2020:19:15:17 +0000')
    day, _, year, hour, minute, second, sign, off_h, off_m = m.groups()
    try:
        local = datetime(int(year), _MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second))
    except ValueError as exc:
        raise ValueError(f'"{text}" is not a valid time: {exc}') from None
    offset = timedelta(hours=int(off_h), minutes=int(off_m))
    epoch = (local - _EPOCH.replace(tzinfo=None) - (offset if sign == "+" else -offset)) // timedelta(milliseconds=1)
    if epoch_problem(epoch):
        raise ValueError(f'"{text}" is out of range: in UTC it falls outside the years 1 to 9999')
    return epoch


# ---------------------------------------------------------------------------
# Loading


def load_request(data: bytes | str, source: str) -> tuple[MethodRequest, list[Diagnostic]]:
    """Parse a method request file; returns the request and its warnings (Diagnostics: file, line:col, pointer).

    Raises :class:`RequestFileError` for invalid JSON and for anything API
    Gateway could not have received, and ``ArgumentError`` for arguments of the wrong kind.
    """
    if not isinstance(source, str):
        raise ArgumentError(f"load_request(source): expected the file name to report as a str, not "
                            f"{describe_type(source)}")
    if isinstance(data, bytearray):
        data = bytes(data)
    if not isinstance(data, (bytes, str)):
        raise ArgumentError(f"load_request(data): expected the request file's content as a str or bytes, not "
                            f"{describe_type(data)}; for a dict use request_from_dict")
    if isinstance(data, bytes):
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line, column = _line_col(data[: exc.start].decode("utf-8", "replace"))
            bad = data[exc.start]
            raise RequestFileError(f"not UTF-8 text (byte 0x{bad:02x})", source=source, line=line, column=column) from None
    else:
        text = data[1:] if data.startswith("\ufeff") else data
    repeated: list[bool] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        obj = dict(items)
        if len(obj) < len(items) and not repeated:
            repeated.append(True)
        return obj

    non_finite: list[bool] = []  # NaN, Infinity or a float that overflows: then the reader looks for them

    def constant(name: str) -> float:
        non_finite.append(True)
        return float(name)

    def number(token: str) -> float:
        value = float(token)
        if value in _INFINITIES:
            non_finite.append(True)
        return value

    try:
        obj = json.loads(text, object_pairs_hook=pairs, parse_constant=constant, parse_float=number)
    except json.JSONDecodeError as exc:
        raise RequestFileError(f"invalid JSON: {exc.msg}", source=source, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        depth, offset = deepest(text)
        line, column = _line_col(text[:offset])
        raise RequestFileError(f"invalid JSON: nested too deeply ({depth} levels of lists and objects); "
                               "vtlgw reads JSON nested up to about 900 levels", source=source, line=line,
                               column=column) from None
    except ValueError as exc:  # e.g. an integer longer than Python's digit limit
        raise RequestFileError(f"invalid JSON: {exc}", source=source) from None
    index = JsonPositions(text, opaque=("/body",))
    reader = _Reader(source, index)
    reader.may_be_non_finite = bool(non_finite)
    if repeated:  # only then is the whole file scanned before an error needs it
        for pointer, _, _ in index.duplicates:
            reader.warn(pointer, "duplicate key; the last value is used", key=True)
    return reader.read(obj), reader.warnings


_INFINITIES = (math.inf, -math.inf)


def request_from_dict(obj: Any, source: str = "<request>") -> tuple[MethodRequest, list[Diagnostic]]:
    """Build a request from already-parsed data (errors carry the pointer but no ``line:col``)."""
    request = _plain_proxy(obj)
    if request is not None:
        return request, []
    reader = _Reader(source, None)
    reader.python_values = True
    return reader.read(obj), reader.warnings


def _plain_proxy(obj: Any) -> MethodRequest | None:
    """The common request dict, read in one pass; None whenever it is not plainly the common case.

    The common case is a proxy-shaped dict with known keys only, exact JSON types
    (``str`` values in the parameter maps), no multi-value entries, a resource and
    path pair and stage variables that already passed the full checks (their
    caches), and nothing that makes a warning. Then the full reader
    (:class:`_Reader`) would build exactly this request and warn of nothing;
    everything else, every error included, is left to it, so what is reported
    and in which order does not change.
    """
    if type(obj) is not dict or not obj.keys() <= _PROXY_KEY_SET:
        return None
    get = obj.get
    body = get("body")
    if body is not None and type(body) is not str:
        return None
    is_b64 = get("isBase64Encoded")
    if is_b64 is None or is_b64 is False:
        is_b64 = False
    elif is_b64 is True:
        if body is not None:
            try:
                base64.b64decode(body, validate=True)
            except (binascii.Error, ValueError):
                return None
    else:
        return None
    path = get("path")
    if path is None:
        path = "/"
    elif type(path) is not str or path[:1] != "/" or "?" in path:
        return None
    resource = get("resource")
    given = get("pathParameters")
    if given is not None:
        if type(given) is not dict:
            return None
        for name, value in given.items():
            if type(name) is not str or type(value) is not str:
                return None
    if resource is None:
        path_parameters = dict(given or {})
        resource = path
    elif type(resource) is not str or resource not in _GOOD_RESOURCES:
        return None
    else:
        derived = _MATCHES.get((resource, path), _NO_MATCH)
        if derived is _NO_MATCH or derived is None:
            return None
        if given is None:
            path_parameters = dict(derived)
        elif given == derived:
            path_parameters = dict(given)
        else:
            return None
    method = get("httpMethod")
    if method is None:
        method = "POST" if body is not None else "GET"
    elif type(method) is not str:
        return None
    else:
        method = method.upper()
        if method not in HTTP_METHODS:
            return None
    headers = _plain_single(get("headers"), get("multiValueHeaders"))
    query = _plain_single(get("queryStringParameters"), get("multiValueQueryStringParameters"))
    variables = get("stageVariables")
    if variables is None:
        variables = {}
    elif type(variables) is not dict or len(variables) > _STAGE_VARS_MAX:
        return None
    else:
        for item in variables.items():
            if type(item[0]) is not str or type(item[1]) is not str or item not in _GOOD_STAGE_VARIABLES:
                return None
    rc = get("requestContext")
    if rc is None:
        rc = {}
    elif type(rc) is not dict or not _plain_context(rc, method, resource):
        return None
    elif not rc:
        rc = {}
    if headers is None or query is None:
        return None
    # The fields in their order (positional arguments are the cheaper call).
    return MethodRequest(method, path, resource, path_parameters, headers, query, body, is_b64, dict(variables), rc)


_NO_MATCH: Any = object()


def _plain_single(single: Any, multi: Any) -> dict[str, list[str]] | None:
    """``_Reader._multi`` for a map of ``str`` to ``str`` and no (or an empty) multi-value map; else None."""
    if multi is not None and (type(multi) is not dict or multi):
        return None
    if single is None:
        return {}
    if type(single) is not dict:
        return None
    merged = {}
    for name, value in single.items():
        if type(name) is not str or type(value) is not str:
            return None
        merged[name] = [value]
    return merged


def _plain_context(rc: dict, method: str, resource: str) -> bool:
    """Whether ``_Reader._request_context`` accepts ``rc`` as it is and warns of nothing.

    Plain JSON throughout (as :func:`_plainly_json` sees it one level below the
    request), its string keys strings, its maps maps, no request time (checked
    against each other) and no authorizer (checked by shape) unless null, and
    ``httpMethod``/``resourcePath`` that agree with the request.
    """
    seen = {id(rc)}
    for key, value in rc.items():
        kind = type(value)
        if type(key) is not str:
            return False
        if value is None:
            continue
        if key in _CONTEXT_CHECKED_KEYS:
            return False
        if key in _CONTEXT_STRING_KEYS:
            if kind is str:
                continue
            return False
        if key in _CONTEXT_MAP_KEYS:
            if kind is not dict:
                return False
            if key == "identity":
                for name, item in value.items():
                    if item is not None and (type(item) is not str if name in _IDENTITY_STRING_KEYS else
                                             name == "clientCert" and type(item) is not dict):
                        return False
        if kind is not str and not _plain_tree(value, 2, seen):
            return False
    for key, value in (("httpMethod", method), ("resourcePath", resource)):
        if type(rc.get(key)) is str and rc[key] != value:
            return False
    return True


def _plain_tree(value: Any, depth: int, seen: set[int]) -> bool:
    """Whether ``value``, ``depth`` levels below the request dict, is what :func:`_plainly_json` accepts there.

    ``seen`` holds the containers already walked: one met twice (a cycle, or a shared one) is not plain.
    """
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return True
    if kind is float:
        return value - value == 0.0  # inf - inf and nan - nan are nan
    if kind is dict:
        children: Any = value.values()
        for key in value:
            if type(key) is not str:
                return False
    elif kind is list or kind is tuple:
        children = value
    else:
        return False
    if depth >= MAX_VALUE_DEPTH or id(value) in seen:
        return False
    seen.add(id(value))
    depth += 1
    for child in children:
        kind = type(child)
        if not (kind is str or child is None or kind is int or kind is bool) and not _plain_tree(child, depth, seen):
            return False
    return True


_CONTEXT_CHECKED_KEYS = frozenset(("requestTimeEpoch", "requestTime", "authorizer"))


def _key_index(obj: dict, key: str) -> int:
    for n, k in enumerate(obj):
        if k == key:
            return n
    return len(obj)


def _line_col(prefix: str) -> tuple[int, int]:
    return prefix.count("\n") + 1, len(prefix) - (prefix.rfind("\n") + 1) + 1


_join = join_pointer


def _plainly_json(value: Any, max_depth: int = MAX_VALUE_DEPTH) -> bool:
    """Whether ``value`` is a tree of plain JSON values, decided without making a single pointer.

    True only where :func:`json_problem` finds nothing: exact JSON types, string
    keys, finite floats, no container twice (so no cycle), containers less than
    ``max_depth`` deep. False sends the caller to ``json_problem``, which
    names what is wrong (or finds nothing: a shared list, an ``str`` subclass).
    """
    seen: set[int] = set()
    todo: list[tuple[Any, int]] = [(value, 0)]
    pop, push = todo.pop, todo.append
    while todo:
        container, depth = pop()
        if depth >= max_depth or id(container) in seen:
            return False
        seen.add(id(container))
        if type(container) is dict:
            for key in container:
                if type(key) is not str:
                    return False
            children: Any = container.values()
        else:
            children = container
        depth += 1
        for child in children:
            kind = type(child)
            if kind is str or kind is int or kind is bool or child is None:
                continue
            if kind is float:
                if child - child != 0.0:  # inf - inf and nan - nan are nan
                    return False
            elif kind is dict or kind is list or kind is tuple:
                push((child, depth))
            else:
                return False
    return True


def _path_pointer(path: tuple) -> str:
    """The JSON pointer of a ``(parent path, token)`` chain whose root is ``(None, pointer)``."""
    tokens = []
    while path[0] is not None:
        path, token = path
        tokens.append(token)
    pointer = path[1]
    for token in reversed(tokens):
        pointer = _join(pointer, token)
    return pointer


class _Reader:
    """Validates one parsed request object and builds the :class:`MethodRequest`."""

    def __init__(self, source: str, index: JsonPositions | None) -> None:
        self.source = source
        self.index = index
        self.warnings: list[Diagnostic] = []
        self.may_be_non_finite = True  # a parsed file says False when its text cannot hold NaN or an overflow
        self.python_values = False  # a dict from Python: it may hold what no JSON text can (bytes, sets, …)

    # -- reporting

    def _where(self, pointer: str, key: bool) -> tuple[int | None, int | None]:
        pos = self.index.position(pointer, key=key) if self.index else None
        return pos if pos else (None, None)

    def error(self, pointer: str, message: str, *, key: bool = False) -> RequestFileError:
        line, column = self._where(pointer, key)
        return RequestFileError(message, source=self.source, pointer=pointer, line=line, column=column)

    def warn(self, pointer: str, message: str, *, key: bool = False) -> None:
        """A warning at ``pointer`` (its key with ``key``), cited as request-file errors are: one line."""
        line, column = self._where(pointer, key)
        self.warnings.append(warning(message, Location(self.source, line, column, pointer=pointer or None)))

    # -- typed access

    def string(self, value: Any, pointer: str, *, nullable: bool = True) -> str | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            raise self.error(pointer, "expected a string" + (" or null" if nullable else ""))
        return value

    def obj(self, value: Any, pointer: str) -> dict | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.error(pointer, "expected an object or null")
        return value

    # -- the whole file

    def read(self, obj: Any) -> MethodRequest:
        if not isinstance(obj, dict):
            raise self.error("", "expected a JSON object with the keys of a REST v1 proxy event")
        if self.python_values:
            obj = self._python_values(obj)
        elif self.may_be_non_finite:
            self._reject_non_finite(obj, "")
        if obj.get("version") == "2.0" and ("rawPath" in obj or "routeKey" in obj):
            raise self.error(
                "/version",
                "this is an HTTP API payload 2.0 event; a method request file has the keys of a REST v1 proxy event",
            )
        test_shape = [k for k in _TEST_ONLY if k in obj]
        proxy_only = [k for k in _PROXY_ONLY if k in obj] if test_shape else []
        if test_shape and proxy_only:
            key = proxy_only[0]
            raise self.error(
                _join("", key),
                f'"{key}" is a proxy-event key but "{test_shape[0]}" is a TestInvokeMethod key; use one shape',
                key=True,
            )
        known = _TEST_INVOKE_KEY_SET if test_shape else _PROXY_KEY_SET
        for key in obj:
            if key not in known:
                self.warn(_join("", key), f'unknown key "{key}" ignored', key=True)
        return self._read_test_invoke(obj) if test_shape else self._read_proxy(obj)

    def _python_values(self, obj: dict) -> dict:
        """A request dict built in Python: JSON values only, found without recursion; a bytes ``body`` is raw.

        A bytes body is the payload itself, sent base64-encoded (``isBase64Encoded``
        implied); anything else no JSON text can hold (a set, ``object()``, a
        non-string key, a cycle, NaN, nesting past 500) is an error at its pointer.
        """
        if isinstance(obj.get("body"), (bytes, bytearray)) and not any(k in obj for k in _TEST_ONLY):
            if obj.get("isBase64Encoded") is False:
                raise self.error("/body", "a bytes body is sent base64-encoded, but isBase64Encoded is false; "
                                          "drop isBase64Encoded, or give the body as text")
            obj = {**obj, "body": base64.b64encode(bytes(obj["body"])).decode("ascii"), "isBase64Encoded": True}
        if not _plainly_json(obj):  # only then is the value walked again, to find and name the problem
            problem = json_problem(obj)
            if problem:
                pointer, message = problem
                raise self.error(pointer, message)
        return obj

    def _reject_non_finite(self, value: Any, pointer: str) -> None:
        """NaN and Infinity are accepted by Python's json but are not JSON (walked without recursion)."""
        todo: list[tuple[Any, Any]] = [(value, (None, pointer))]  # (value, its path: (parent path, token))
        while todo:
            value, path = todo.pop()
            if isinstance(value, float):
                if not math.isfinite(value):
                    name = "NaN" if value != value else ("Infinity" if value > 0 else "-Infinity")
                    raise self.error(_path_pointer(path), f"{name} is not valid JSON")
            elif isinstance(value, dict):
                todo.extend((v, (path, k)) for k, v in reversed(value.items())
                            if isinstance(v, (float, dict, list)))
            elif isinstance(value, list):
                todo.extend((value[n], (path, n)) for n in range(len(value) - 1, -1, -1)
                            if isinstance(value[n], (float, dict, list)))

    def _read_proxy(self, obj: dict) -> MethodRequest:
        body = self._body(obj)
        is_b64 = obj.get("isBase64Encoded")
        if is_b64 is None:
            is_b64 = False
        elif not isinstance(is_b64, bool):
            raise self.error("/isBase64Encoded", "expected true or false")
        if is_b64 and body is not None:
            self._check_base64(body)
        path = self.string(obj.get("path"), "/path")
        if path is None:
            path = "/"
        self._check_path(path, "/path")
        resource = self.string(obj.get("resource"), "/resource")
        if resource is not None and resource not in _GOOD_RESOURCES:
            try:
                resource_parameter_names(resource)
            except ValueError as exc:
                raise self.error("/resource", str(exc)) from None
            if len(_GOOD_RESOURCES) >= _MATCHES_SIZE:
                _GOOD_RESOURCES.clear()
            _GOOD_RESOURCES.add(resource)
        path_params = self._path_parameters(obj, resource, path)
        request = MethodRequest(
            http_method=self._method(obj, body),
            path=path,
            resource=resource if resource is not None else path,
            path_parameters=path_params,
            headers=self._multi(obj, "headers", "multiValueHeaders"),
            query=self._multi(obj, "queryStringParameters", "multiValueQueryStringParameters"),
            body=body,
            is_base64_encoded=is_b64,
            stage_variables=self._stage_variables(obj),
            request_context=self._request_context(obj),
        )
        self._warn_disagreements(request)
        return request

    def _read_test_invoke(self, obj: dict) -> MethodRequest:
        body = self.string(obj.get("body"), "/body")
        target = self.string(obj.get("pathWithQueryString"), "/pathWithQueryString")
        if target is None:
            target = "/"
        path, _, query_text = target.partition("?")
        if not path.startswith("/"):
            raise self.error("/pathWithQueryString", 'must start with "/"')
        for key in _TEST_IGNORED:
            if key in obj:
                self.string(obj[key], _join("", key))
        query: dict[str, list[str]] = {}
        for piece in query_text.split("&") if query_text else ():
            name, _, value = piece.partition("=")
            if name:
                query.setdefault(unquote_plus(name), []).append(unquote_plus(value))  # form-decoded [AWS-rec]
        return MethodRequest(
            http_method=self._method(obj, body),
            path=path,
            resource=path,
            path_parameters={},
            headers=self._multi(obj, "headers", "multiValueHeaders"),
            query=query,
            body=body,
            is_base64_encoded=False,
            stage_variables=self._stage_variables(obj),
            request_context={},
        )

    # -- parts

    def _body(self, obj: dict) -> str | None:
        body = obj.get("body")
        if body is None or isinstance(body, str):
            return body
        compact = self.index.compact("/body") if self.index else None
        if compact is not None:
            return compact
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False)

    def _check_base64(self, body: str) -> None:
        try:
            base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise self.error("/body", "isBase64Encoded is true but the body is not valid base64") from None

    def _method(self, obj: dict, body: str | None) -> str:
        method = self.string(obj.get("httpMethod"), "/httpMethod")
        if method is None:
            return "POST" if body is not None else "GET"
        upper = method.upper()
        if upper not in HTTP_METHODS:
            raise self.error("/httpMethod", f'"{method}" is not one of {", ".join(HTTP_METHODS)}')
        return upper

    def _check_path(self, path: str, pointer: str) -> None:
        if not path.startswith("/"):
            raise self.error(pointer, 'must start with "/" (the path without the stage)')
        if "?" in path:
            raise self.error(pointer, 'must not contain "?"; put the query in queryStringParameters')

    def _multi(self, obj: dict, single_key: str, multi_key: str) -> dict[str, list[str]]:
        """Merge a single-value and a multi-value map: the multi-value list wins per name."""
        single = self.obj(obj.get(single_key), "/" + single_key) or {}  # the keys need no escaping
        multi = self.obj(obj.get(multi_key), "/" + multi_key) or {}
        if not multi:
            for value in single.values():
                if not isinstance(value, str):
                    break
            else:  # the common case, checked as below: single values only, all strings
                return {name: [value] for name, value in single.items()}
        # Pointers are made only for a value that is reported.
        for name, values in multi.items():
            if not isinstance(values, list):
                raise self.error(_join(_join("", multi_key), name), "expected a list of strings")
            for n, value in enumerate(values):
                if not isinstance(value, str):
                    self.string(value, _join(_join(_join("", multi_key), name), n), nullable=False)
        for name, value in single.items():
            if not isinstance(value, str):
                self.string(value, _join(_join("", single_key), name), nullable=False)
            if multi and multi.get(name) and multi[name][-1] != value:
                self.warn(_join(_join("", single_key), name),
                          f"ignored: {multi_key} gives the values of {json.dumps(name)}")
        # Names in request order: walk the two maps in the order the file lists them.
        first, second = (single, multi) if _key_index(obj, single_key) <= _key_index(obj, multi_key) else (multi, single)
        merged: dict[str, list[str]] = {}
        for name in [*first, *second]:
            if name in merged:
                continue
            values = multi[name] if name in multi else [single[name]]
            if values:
                merged[name] = list(values)
        return merged

    def _path_parameters(self, obj: dict, resource: str | None, path: str) -> dict[str, str]:
        given = self.obj(obj.get("pathParameters"), "/pathParameters")
        if given is not None:
            for name, value in given.items():
                if not isinstance(value, str):
                    self.string(value, _join("/pathParameters", name), nullable=False)
        if resource is None:
            return dict(given or {})
        derived = match_resource(resource, path)
        if derived is None:
            raise self.error("/resource", f'resource "{resource}" does not match path "{path}"')
        if given is None:
            return derived
        for name, value in given.items():
            if name not in derived:
                raise self.error(_join("/pathParameters", name), f'resource "{resource}" has no parameter "{name}"', key=True)
            if derived[name] != value:
                raise self.error(
                    _join("/pathParameters", name),
                    f'"{value}" disagrees with "{derived[name]}" matched from path "{path}" by resource "{resource}"',
                )
        missing = [name for name in derived if name not in given]
        if missing:
            raise self.error("/pathParameters", f'missing "{missing[0]}", which resource "{resource}" matches in the path')
        return {name: given[name] for name in given}

    def _stage_variables(self, obj: dict) -> dict[str, str]:
        variables = self.obj(obj.get("stageVariables"), "/stageVariables") or {}
        if len(variables) > _STAGE_VARS_MAX:
            raise self.error("/stageVariables", f"{len(variables)} stage variables; a stage has at most {_STAGE_VARS_MAX}")
        for name, value in variables.items():
            if type(value) is str and (name, value) in _GOOD_STAGE_VARIABLES:
                continue
            if (isinstance(value, str) and len(name) <= _STAGE_VAR_NAME_MAX and len(value) <= _STAGE_VAR_VALUE_MAX
                    and _STAGE_VAR_NAME.fullmatch(name) and _STAGE_VAR_VALUE.fullmatch(value)):
                if type(value) is str and type(name) is str:
                    if len(_GOOD_STAGE_VARIABLES) >= _MATCHES_SIZE:
                        _GOOD_STAGE_VARIABLES.clear()
                    _GOOD_STAGE_VARIABLES.add((name, value))
                continue  # the checks below, in their order, find what is wrong and where
            pointer = _join("/stageVariables", name)
            if not _STAGE_VAR_NAME.fullmatch(name):
                raise self.error(pointer, "stage variable names must match [A-Za-z0-9_]+", key=True)
            if len(name) > _STAGE_VAR_NAME_MAX:
                raise self.error(pointer, f"stage variable names have at most {_STAGE_VAR_NAME_MAX} characters", key=True)
            self.string(value, pointer, nullable=False)
            if len(value) > _STAGE_VAR_VALUE_MAX:
                raise self.error(pointer, f"stage variable values have at most {_STAGE_VAR_VALUE_MAX} characters")
            if not _STAGE_VAR_VALUE.fullmatch(value):
                bad = next((ch for ch in value if not _STAGE_VAR_VALUE.fullmatch(ch)), None)
                why = "is empty" if bad is None else f"has {json.dumps(bad, ensure_ascii=False)}"
                raise self.error(pointer, f"stage variable value {why}; values must match [A-Za-z0-9-._~:/?#&=,]+")
        return dict(variables)

    def _request_context(self, obj: dict) -> dict[str, Any]:
        """Type-check the keys of ``requestContext`` that have a meaning; keep the rest as given."""
        rc = self.obj(obj.get("requestContext"), "/requestContext") or {}
        for key, value in rc.items():
            if key in _CONTEXT_STRING_KEYS:
                if value is not None and not isinstance(value, str):
                    self.string(value, _join("/requestContext", key))
            elif key in _CONTEXT_MAP_KEYS:
                if value is not None and not isinstance(value, dict):
                    self.obj(value, _join("/requestContext", key))
        if "requestTimeEpoch" in rc and rc["requestTimeEpoch"] is not None:
            epoch = rc["requestTimeEpoch"]
            if not isinstance(epoch, int) or isinstance(epoch, bool):
                raise self.error("/requestContext/requestTimeEpoch", "expected an integer (milliseconds since 1970)")
            problem = epoch_problem(epoch)
            if problem:
                raise self.error("/requestContext/requestTimeEpoch", problem)
        if rc.get("requestTime") is not None:
            try:
                from_text = parse_request_time(rc["requestTime"])
            except ValueError as exc:
                raise self.error("/requestContext/requestTime", str(exc)) from None
            epoch = rc.get("requestTimeEpoch")
            if epoch is not None and epoch // 1000 != from_text // 1000:
                # The two always describe one instant (docs/variables.md §4.2): give one, the other is derived.
                raise self.error(
                    "/requestContext/requestTime",
                    f"disagrees with requestTimeEpoch {epoch} ({format_request_time(epoch)}); give one of them "
                    "(the other is derived) or make them agree",
                )
        identity = rc.get("identity")
        if isinstance(identity, dict):
            for key, value in identity.items():
                if key in _IDENTITY_STRING_KEYS:
                    if value is not None and not isinstance(value, str):
                        self.string(value, _join("/requestContext/identity", key))
                elif key == "clientCert":
                    if value is not None and not isinstance(value, dict):
                        self.obj(value, _join("/requestContext/identity", key))
        authorizer = self.obj(rc.get("authorizer"), "/requestContext/authorizer")
        if authorizer:
            self._check_authorizer(authorizer)
        return rc

    def _warn_disagreements(self, request: MethodRequest) -> None:
        """A captured event edited at the top level but not in ``requestContext`` renders the old values."""
        rc = request.request_context
        for key, value in (("httpMethod", request.http_method), ("resourcePath", request.resource)):
            if isinstance(rc.get(key), str) and rc[key] != value:
                self.warn(
                    _join("/requestContext", key),
                    f'"{rc[key]}" differs from the request\'s "{value}"; $context.{key} uses "{rc[key]}"',
                )

    def _check_authorizer(self, authorizer: dict) -> None:
        base = "/requestContext/authorizer"
        if "claims" in authorizer:  # Cognito user pool
            claims = self.obj(authorizer["claims"], _join(base, "claims")) or {}
            for name, value in claims.items():
                if isinstance(value, (dict, list)):
                    raise self.error(_join(_join(base, "claims"), name), "a claim must be a string, number or boolean")
            return
        for key, value in authorizer.items():  # Lambda authorizer: principalId + context
            if isinstance(value, (dict, list)):
                raise self.error(
                    _join(base, key),
                    "Lambda authorizer context values must be strings, numbers or booleans "
                    "(API Gateway rejects objects and arrays)",
                )
