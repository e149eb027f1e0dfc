"""``$context`` and ``$stageVariables`` for one method request (docs/variables.md §4, §5).

API Gateway builds ``$context`` as a Java ``HashMap``; templates that walk its
``keySet()`` see Java's bucket order, which depends on the order the keys went
in. The keys are therefore inserted in the order recorded on AWS, into
:class:`~vtlgw.vtl.values.OpaqueMap` instances: the nested ``$context`` maps
print as ``""`` on AWS, and the engine extends that to ``$context`` itself and
to ``authorizer`` (U05).

Every default is fixed (request id, clock), so that a render is reproducible;
``fresh=True`` asks for a random request id and the current time instead.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Callable, Iterable

from vtlgw.vtl.errors import VtlError
from vtlgw.vtl.values import OpaqueMap, to_text

from .request import MethodRequest, epoch_problem, format_request_time, parse_request_time

__all__ = [
    "ContextError",
    "build_context",
    "parse_context_assignments",
    "stage_variables_map",
    "CONTEXT_KEY_ORDER",
    "IDENTITY_KEY_ORDER",
    "REQUEST_OVERRIDE_KEY_ORDER",
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_API_ID",
    "DEFAULT_DEPLOYMENT_ID",
    "DEFAULT_EXTENDED_REQUEST_ID",
    "DEFAULT_PROTOCOL",
    "DEFAULT_REQUEST_ID",
    "DEFAULT_EPOCH_MS",
    "DEFAULT_RESOURCE_ID",
    "DEFAULT_STAGE",
    "DEFAULT_SOURCE_IP",
]

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_API_ID = "a1b2c3d4e5"
DEFAULT_DEPLOYMENT_ID = "d1e2f3"
DEFAULT_EXTENDED_REQUEST_ID = "AbCdEfGhIjKlMnO="
DEFAULT_PROTOCOL = "HTTP/1.1"
DEFAULT_REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
DEFAULT_EPOCH_MS = 1583349317135
DEFAULT_RESOURCE_ID = "abc123"
DEFAULT_STAGE = "test"
DEFAULT_SOURCE_IP = "192.0.2.1"
REGION = "us-east-1"

#: Insertion order of ``$context``; with Java's HashMap it reproduces the recorded ``keySet()`` order.
CONTEXT_KEY_ORDER = (
    "resourceId resourcePath httpMethod extendedRequestId requestTime path accountId protocol "
    "requestOverride stage domainPrefix requestTimeEpoch requestId identity domainName deploymentId "
    "responseOverride apiId"
).split()

#: Insertion order of ``$context.identity`` (recorded).
IDENTITY_KEY_ORDER = (
    "cognitoIdentityPoolId accountId cognitoIdentityId caller sourceIp principalOrgId accessKey "
    "cognitoAuthenticationType cognitoAuthenticationProvider userArn userAgent user"
).split()

#: Insertion order of ``$context.requestOverride`` (recorded).
REQUEST_OVERRIDE_KEY_ORDER = ("path", "header", "querystring")

_TIME_KEYS = ("requestTimeEpoch", "requestTime")

# Per-request prototypes: every key in its recorded order, the fixed values filled in. Copying one and
# assigning the request's values (an existing key keeps its place) is cheaper than building the map.
_IDENTITY_PROTOTYPE = dict.fromkeys(IDENTITY_KEY_ORDER)
_IDENTITY_PROTOTYPE["sourceIp"] = DEFAULT_SOURCE_IP
_CONTEXT_PROTOTYPE = dict.fromkeys(CONTEXT_KEY_ORDER)
_CONTEXT_PROTOTYPE.update(resourceId=DEFAULT_RESOURCE_ID, extendedRequestId=DEFAULT_EXTENDED_REQUEST_ID,
                          accountId=DEFAULT_ACCOUNT_ID, protocol=DEFAULT_PROTOCOL, deploymentId=DEFAULT_DEPLOYMENT_ID)
_SCALARS = frozenset({str, int, float, bool, type(None)})  # model values as they are
_UNSET: Any = object()

# Access-log-only value API Gateway adds to a Lambda authorizer's entry in proxy
# events; in mapping templates it is nullish (docs/variables.md §4), so a captured
# event's value is dropped.
_AUTHORIZER_LOG_ONLY = ("integrationLatency",)


class ContextError(VtlError):
    """A ``$context`` override that cannot be applied (a bad ``--context`` assignment, a bad value)."""


def build_context(
    request: MethodRequest,
    *,
    stage: str | None = None,
    overrides: dict | None = None,
    request_id: str | None = None,
    epoch_ms: int | None = None,
    api_id: str | None = None,
    resource_path: str | None = None,
    fresh: bool = False,
    override_map: Callable[[], OpaqueMap] = OpaqueMap,
    keys: frozenset[str] | None = None,
) -> OpaqueMap:
    """The ``$context`` map for ``request``.

    Layers, lowest first: the engine defaults (the keyword arguments replace
    individual defaults), the request file's ``requestContext``, then
    ``overrides`` (from ``--context``). Maps are merged key by key. Derived keys
    follow the merged values unless set themselves: ``path`` from ``stage``,
    ``domainName`` from ``apiId``, ``domainPrefix`` from ``domainName``, and
    ``requestTime``/``requestTimeEpoch`` from each other (§4.2).

    ``override_map()`` makes the writable override maps
    (``requestOverride.<part>``, ``responseOverride`` and its ``header``), so a
    caller can track what templates assign; layers merged into them here are
    not assignments.

    ``keys`` (a template's :meth:`~vtlgw.vtl.Template.top_level_reads`) asks
    for only those top-level keys, each with the value the whole map would give
    it. It is for layers that cannot fail to merge, since the keys left out are
    not merged and so not checked: plain JSON without request times or an
    authorizer, as :func:`~vtlgw.apigw.request.request_from_dict` reads a plain
    request dict, and no overrides.
    """
    layers = [request.request_context or {}, overrides or {}]
    for layer in layers:
        if not isinstance(layer, dict):
            raise ContextError(f"$context overrides must be a map, not {type(layer).__name__}")
    if fresh:
        request_id = request_id or str(uuid.uuid4())
        epoch_ms = epoch_ms if epoch_ms is not None else time.time_ns() // 1_000_000
    if epoch_ms is None and not _sets_time(layers):
        epoch, time_text = _DEFAULT_TIME  # what _resolve_time answers when no layer sets a time
    else:
        epoch, time_text = _resolve_time(layers, DEFAULT_EPOCH_MS if epoch_ms is None else epoch_ms)

    # The highest layer that sets a key wins.
    stage_name: Any = DEFAULT_STAGE if stage is None else stage
    api: Any = api_id or DEFAULT_API_ID
    domain: Any = _UNSET
    for layer in layers:
        if layer:
            stage_name = layer.get("stage", stage_name)
            api = layer.get("apiId", api)
            domain = layer.get("domainName", domain)
    host, user_agent = _host_and_user_agent(request)
    if domain is _UNSET:
        domain = host or f"{api if type(api) is str else to_text(api)}.execute-api.{REGION}.amazonaws.com"
    if keys is not None:
        return _some_keys(keys, request, time_text, epoch, stage_name, api, domain, user_agent, request_id,
                          resource_path, layers, override_map)
    response_override = override_map()
    dict.__setitem__(response_override, "header", override_map())  # `status` appears once set
    identity = OpaqueMap(_IDENTITY_PROTOTYPE)
    identity["userAgent"] = user_agent

    # Keys stay in CONTEXT_KEY_ORDER: the prototype has them all, in that order.
    ctx = OpaqueMap(_CONTEXT_PROTOTYPE)
    ctx["resourcePath"] = request.resource if resource_path is None else resource_path
    ctx["httpMethod"] = request.http_method
    ctx["requestTime"] = time_text
    # An HTTP API's $default stage is served without a prefix (AWS docs, http-api-stages).
    ctx["path"] = (request.path if stage_name == "$default" else
                   f"/{stage_name if isinstance(stage_name, str) else ''}{request.path}")
    # REQUEST_OVERRIDE_KEY_ORDER, spelled out
    ctx["requestOverride"] = OpaqueMap({"path": override_map(), "header": override_map(),
                                        "querystring": override_map()})
    ctx["stage"] = stage_name
    ctx["domainPrefix"] = domain.split(".", 1)[0] if isinstance(domain, str) else None
    ctx["requestTimeEpoch"] = epoch
    ctx["requestId"] = request_id or DEFAULT_REQUEST_ID
    ctx["identity"] = identity
    ctx["domainName"] = domain
    ctx["responseOverride"] = response_override
    ctx["apiId"] = api

    for layer in layers:
        for key, value in layer.items():
            if key not in _TIME_KEYS:
                ctx[key] = value if type(value) in _SCALARS else _merge(ctx.get(key), value, key)

    if "authorizer" in ctx:
        authorizer = _authorizer(ctx.pop("authorizer"))
        if authorizer is not None:
            ctx["authorizer"] = authorizer
    return ctx


_DEFAULT_TIME = (DEFAULT_EPOCH_MS, format_request_time(DEFAULT_EPOCH_MS))


def _sets_time(layers: list[dict]) -> bool:
    """Whether a layer has a ``_TIME_KEYS`` key (a loop: a generator costs more than the look-ups)."""
    for layer in layers:
        if "requestTimeEpoch" in layer or "requestTime" in layer:
            return True
    return False


def _some_keys(keys: frozenset[str], request: MethodRequest, time_text: str, epoch: int, stage_name: Any, api: Any,
               domain: Any, user_agent: str | None, request_id: str | None, resource_path: str | None,
               layers: list[dict], override_map: Callable[[], OpaqueMap]) -> OpaqueMap:
    """``build_context``'s map with only ``keys``, each built as there (see its ``keys``)."""
    ctx = OpaqueMap()
    for key in keys:
        if key in _FIXED:
            ctx[key] = _FIXED[key]
        elif key == "resourcePath":
            ctx[key] = request.resource if resource_path is None else resource_path
        elif key == "httpMethod":
            ctx[key] = request.http_method
        elif key == "requestTime":
            ctx[key] = time_text
        elif key == "path":
            ctx[key] = (request.path if stage_name == "$default" else
                        f"/{stage_name if isinstance(stage_name, str) else ''}{request.path}")
        elif key == "requestOverride":
            ctx[key] = OpaqueMap({"path": override_map(), "header": override_map(), "querystring": override_map()})
        elif key == "stage":
            ctx[key] = stage_name
        elif key == "domainPrefix":
            ctx[key] = domain.split(".", 1)[0] if isinstance(domain, str) else None
        elif key == "requestTimeEpoch":
            ctx[key] = epoch
        elif key == "requestId":
            ctx[key] = request_id or DEFAULT_REQUEST_ID
        elif key == "identity":
            identity = ctx[key] = OpaqueMap(_IDENTITY_PROTOTYPE)
            identity["userAgent"] = user_agent
        elif key == "domainName":
            ctx[key] = domain
        elif key == "responseOverride":
            response_override = ctx[key] = override_map()
            dict.__setitem__(response_override, "header", override_map())
        elif key == "apiId":
            ctx[key] = api
    for layer in layers:
        for key, value in layer.items():
            if key in keys and key not in _TIME_KEYS:
                ctx[key] = value if type(value) in _SCALARS else _merge(ctx.get(key), value, key)
    if "authorizer" in ctx:
        authorizer = _authorizer(ctx.pop("authorizer"))
        if authorizer is not None:
            ctx["authorizer"] = authorizer
    return ctx


_FIXED = {key: value for key, value in _CONTEXT_PROTOTYPE.items() if value is not None}  # the engine's constants


def stage_variables_map(request: MethodRequest) -> dict[str, str]:
    """``$stageVariables``: the stage's variables, an empty map when there are none (§5)."""
    return dict(request.stage_variables)


def parse_context_assignments(items: Iterable[str]) -> dict:
    """Turn ``["identity.sourceIp=203.0.113.7", "stage=prod"]`` into nested override maps.

    Values are strings, except ``requestTimeEpoch`` (an integer of milliseconds).
    A later assignment to the same key replaces an earlier one.
    """
    result: dict = {}
    for item in items:
        key, sep, value = item.partition("=")
        parts = key.split(".")
        if not sep or any(not part for part in parts):
            raise ContextError(f'--context "{item}": expected KEY=VALUE, e.g. identity.sourceIp=203.0.113.7')
        typed: Any = value
        if parts == ["requestTimeEpoch"]:
            try:
                typed = int(value)
            except ValueError:
                raise ContextError(f'--context "{item}": requestTimeEpoch must be an integer (milliseconds)') from None
            if epoch_problem(typed):
                raise ContextError(f'--context "{item}": {epoch_problem(typed)}')
        elif parts == ["requestTime"]:
            try:
                parse_request_time(value)
            except ValueError as exc:
                raise ContextError(f'--context "{item}": {exc}') from None
        target = result
        for depth, part in enumerate(parts[:-1]):
            nxt = target.setdefault(part, {})
            if not isinstance(nxt, dict):
                prefix = ".".join(parts[: depth + 1])
                raise ContextError(f'--context "{item}": {prefix} was assigned a value, so it cannot hold keys')
            target = nxt
        if isinstance(target.get(parts[-1]), dict):
            raise ContextError(f'--context "{item}": {key} holds keys, so it cannot be assigned a value')
        target[parts[-1]] = typed
    return result


# ---------------------------------------------------------------------------


def _resolve_time(layers: list[dict], default_epoch: int) -> tuple[int, str]:
    """``requestTimeEpoch`` and ``requestTime`` from the highest layer that sets either."""
    for layer in reversed(layers):
        epoch = layer.get("requestTimeEpoch")
        text = layer.get("requestTime")
        if epoch is None and text is None:
            continue
        if epoch is not None and (not isinstance(epoch, int) or isinstance(epoch, bool)):
            raise ContextError(f"requestTimeEpoch must be an integer of milliseconds, not {epoch!r}")
        if text is not None and not isinstance(text, str):
            raise ContextError(f"requestTime must be a string, not {text!r}")
        if epoch is not None and epoch_problem(epoch):
            raise ContextError(f"$context.requestTimeEpoch: {epoch_problem(epoch)}")
        try:
            from_text = None if text is None else parse_request_time(text)
        except ValueError as exc:
            raise ContextError(f"$context.requestTime: {exc}") from None
        if epoch is None:
            return from_text, text
        if from_text is not None and from_text // 1000 != epoch // 1000:
            raise ContextError(f"requestTime {text!r} and requestTimeEpoch {epoch} describe different "
                               "instants; give one of them (the other is derived) or make them agree")
        return epoch, text if text is not None else format_request_time(epoch)
    if epoch_problem(default_epoch):
        raise ContextError(f"$context.requestTimeEpoch: {epoch_problem(default_epoch)}")
    return default_epoch, format_request_time(default_epoch)


def _host_and_user_agent(request: MethodRequest) -> tuple[str | None, str | None]:
    """``Host`` and ``User-Agent`` in any case, in one pass (the last spelling wins, as in
    :meth:`MethodRequest.header_any_case`)."""
    host = agent = None
    for key, values in request.headers.items():
        if values:
            low = key.lower()
            if low == "host":
                host = values[-1]
            elif low == "user-agent":
                agent = values[-1]
    return host, agent


def _model(value: Any, where: str) -> Any:
    """A JSON-ish value as a ``$context`` model value: every map becomes an OpaqueMap."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, dict):
        return OpaqueMap((k, _model(v, f"{where}.{k}")) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [_model(v, where) for v in value]
    raise ContextError(f"$context.{where}: a {type(value).__name__} cannot be a template value")


def _merge(existing: Any, value: Any, where: str) -> Any:
    """Merge ``value`` over ``existing``: maps key by key, anything else replaces."""
    if isinstance(existing, dict) and isinstance(value, dict):
        for k, v in value.items():
            # dict.__setitem__: a layer merged in is not a template's assignment to an override map.
            dict.__setitem__(existing, k, v if type(v) in _SCALARS else _merge(existing.get(k), v, f"{where}.{k}"))
        return existing
    return _model(value, where)


def _authorizer(value: Any) -> OpaqueMap | None:
    """``$context.authorizer`` in the Lambda or Cognito shape; ``None`` when there is none.

    An authorizer whose entries are all null (the docs' example event,
    ``{"claims": null, "scopes": null}``) counts as none: recorded events have
    no ``authorizer`` without an authorizer.
    """
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ContextError("$context.authorizer must be a map")
    if value and all(v is None for v in value.values()):
        return None
    result = OpaqueMap()
    if "claims" in value:  # Cognito user pool: claims.<name> are Strings
        for key, v in value.items():
            if key == "claims" and isinstance(v, dict):
                v = OpaqueMap((name, _stringify(c, f"authorizer.claims.{name}")) for name, c in v.items())
            result[key] = v
        return result
    for key, v in value.items():  # Lambda authorizer: principalId + stringified context
        if key not in _AUTHORIZER_LOG_ONLY:
            result[key] = _stringify(v, f"authorizer.{key}")
    return result


def _stringify(value: Any, where: str) -> str | None:
    """Lambda authorizer context values reach templates as Strings (``1`` → ``"1"``)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return to_text(value)
    raise ContextError(f"$context.{where}: must be a string, number or boolean (API Gateway rejects objects and arrays)")
