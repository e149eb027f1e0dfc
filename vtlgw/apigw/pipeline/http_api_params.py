"""HTTP API parameter mapping: ``append|overwrite|remove:header.x``, ``…:querystring.x`` and ``overwrite:path``.

AWS docs, "Transform API requests and responses for HTTP APIs" (http-api-parameter-mapping): a value is
``$request.header.x``, ``$request.querystring.x``, ``$request.body.x``, ``$request.path``,
``$request.path.x``, ``$context.x``, ``$stageVariables.x`` or static text, and ``${…}`` puts one inside
text. Several header or query values are joined with commas; header names are case-insensitive.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from vtlgw.apigw.http.headers import Headers
from vtlgw.apigw.request import MethodRequest

from .failures import Failure
from .params import json_select

__all__ = ["HttpApiMapped", "map_http_api_request"]

_REFERENCE = re.compile(r"\$\{([^}]*)\}|\$((?:request|context|stageVariables)(?:\.[A-Za-z0-9_.\-]+)?)")
_KEY = re.compile(r"(append|overwrite|remove):(header|querystring)\.(.+)\Z|overwrite:path\Z")


@dataclass
class HttpApiMapped:
    """The request after mapping: headers and query as name -> values, and the path if overwritten."""

    headers: dict[str, list[str]]
    query: dict[str, list[str]]
    path: str | None = None
    applied: list[str] = field(default_factory=list)


def _lookup(reference: str, request: MethodRequest, context: dict, stage_variables: dict[str, str],
            path_parameters: dict[str, str]) -> str:
    head, _, rest = reference.partition(".")
    if head == "stageVariables":
        return stage_variables.get(rest, "")
    if head == "context":
        value: Any = context
        for part in rest.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        return "" if value is None else str(value)
    kind, _, name = rest.partition(".")
    if kind == "header":
        return ",".join(Headers(request.headers).values(name))
    if kind == "querystring":
        return ",".join(request.query.get(name, []))
    if kind == "path":
        return path_parameters.get(name, "") if name else request.path
    if kind == "body":
        try:
            data = json.loads(request.body_text() or "null")
        except ValueError:
            return ""
        if not name:
            return request.body_text() or ""
        found, value = json_select("$." + name, data)
        if not found or value is None:
            return ""
        return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))
    raise Failure.config(f"Invalid mapping expression specified: ${reference}",
                         f"the parameter mapping value ${reference} names nothing an HTTP API maps "
                         "($request.header|querystring|body|path, $context, $stageVariables)")


def _value(text: str, *args: Any) -> str:
    return _REFERENCE.sub(lambda m: _lookup(m.group(1) or m.group(2), *args), text)


def map_http_api_request(mapping: dict[str, str], request: MethodRequest, context: dict,
                         stage_variables: dict[str, str], path_parameters: dict[str, str],
                         headers: dict[str, list[str]], query: dict[str, list[str]]) -> HttpApiMapped:
    """Apply ``mapping`` (``requestParameters``, in definition order) to ``headers`` and ``query``."""
    out = HttpApiMapped({k: list(v) for k, v in headers.items()}, {k: list(v) for k, v in query.items()})
    args = (request, context, stage_variables, path_parameters)
    for key, raw in mapping.items():
        found = _KEY.match(key)
        if found is None:
            raise Failure.config(f"Invalid mapping key specified: {key}",
                                 f"the parameter mapping key {key!r} is not append|overwrite|remove:header.<name>, "
                                 "append|overwrite|remove:querystring.<name> or overwrite:path")
        value = _value(str(raw), *args)
        out.applied.append(f"{key} = {value!r}")
        if found.group(1) is None:
            out.path = value
            continue
        op, where, name = found.groups()
        if where == "header":  # names in any case
            headers = Headers(out.headers)
            if op == "remove":
                headers.remove(name)
            elif op == "overwrite":
                headers.set(name, [value])
            else:
                headers.append(name, value)
            continue
        if op == "remove" or op == "overwrite":  # query names as written
            out.query.pop(name, None)
        if op == "overwrite":
            out.query[name] = [value]
        elif op == "append":
            out.query.setdefault(name, []).append(value)
    return out
