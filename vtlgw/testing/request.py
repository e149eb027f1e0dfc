"""Method requests from a test's keywords: ``method``, ``path``, ``json=``, ``headers=`` and the rest.

The keywords become a dict in the request-file shape (a REST v1 proxy event),
so one reader, :func:`vtlgw.apigw.request.request_from_dict`, checks every
request whichever way it was written. ``request=`` (a request file or a dict)
is the base the other keywords override.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from vtlgw.apigw import files
from vtlgw.apigw.errors import InputFileError
from vtlgw.apigw.request import MethodRequest, load_request, request_from_dict
from vtlgw.vtl.errors import VtlError
from vtlgw.vtl.diagnostics import Diagnostic

__all__ = ["REQUEST_KEYWORDS", "RequestKeywordError", "build_request", "split_context"]

#: The keywords that describe the method request (the rest of a call's keywords are for the run).
REQUEST_KEYWORDS = frozenset({"method", "path", "json", "body", "headers", "query", "path_params", "request"})

_MISSING: Any = object()


class RequestKeywordError(VtlError, TypeError):
    """A request keyword of the wrong type or shape; the message names the keyword."""


def _values(name: str, mapping: Any) -> dict[str, list[str]]:
    """``{"a": "1", "b": ["2", "3"]}`` -> multi-value lists (numbers and booleans become text)."""
    if not isinstance(mapping, Mapping):
        raise RequestKeywordError(f"{name}= expects a dict of names to values, not {type(mapping).__name__}")
    out: dict[str, list[str]] = {}
    for key, value in mapping.items():
        if not isinstance(key, str):
            raise RequestKeywordError(f"{name}= names must be strings, not {key!r}")
        items = list(value) if isinstance(value, (list, tuple)) else [value]
        text = []
        for item in items:
            if isinstance(item, bool):
                text.append("true" if item else "false")
            elif isinstance(item, (str, int, float)):
                text.append(str(item))
            else:
                raise RequestKeywordError(f"{name}[{key!r}] must be text (or a list of texts), not "
                                          f"{type(item).__name__}")
        out[key] = text
    return out


def _base(request: Any, base_dir: Path) -> dict[str, Any]:
    if request is None:
        return {}
    if isinstance(request, Mapping):
        return dict(request)
    if isinstance(request, (str, Path)):
        path = Path(request)
        path = path if path.is_absolute() else base_dir / path
        try:
            data = files.read_bytes(path, files.REQUEST, name=str(request))
        except files.InputTooLargeError as exc:
            raise RequestKeywordError(f"request={str(request)!r}: {exc.message}") from None
        except InputFileError as exc:
            raise RequestKeywordError(f"request={str(request)!r}: cannot read {path}: {exc.message}") from None
        # Parse once with the file reader for its located errors, then keep the raw shape to merge keywords into.
        load_request(data, str(request))
        return json.loads(data.decode("utf-8-sig"))
    raise RequestKeywordError(f"request= expects a request file path or a dict, not {type(request).__name__}")


def build_request(base_dir: Path, *, method: str | None = None, path: str | None = None, json: Any = _MISSING,
                  body: Any = None, headers: Mapping[str, Any] | None = None, query: Mapping[str, Any] | None = None,
                  path_params: Mapping[str, str] | None = None,
                  request: Any = None) -> tuple[MethodRequest, list[Diagnostic]]:
    """The method request these keywords describe, and the request reader's warnings.

    ``json=`` is serialised compactly and, like HTTP clients do, sets
    ``Content-Type: application/json`` unless ``headers`` name one; ``body=``
    is sent as it is (``bytes`` go base64-encoded with ``isBase64Encoded``).
    A ``?query`` in ``path`` and ``query=`` add to each other.
    """
    shape = _base(request, base_dir)
    if "pathWithQueryString" in shape and (path is not None or query is not None):
        target = shape.pop("pathWithQueryString")
        shape.setdefault("path", target.partition("?")[0])
        if "?" in target:
            shape["multiValueQueryStringParameters"] = _merge(
                shape.get("multiValueQueryStringParameters"), _parse_query(target.partition("?")[2]))
    if method is not None:
        if not isinstance(method, str):
            raise RequestKeywordError(f"method= expects text such as 'POST', not {type(method).__name__}")
        shape["httpMethod"] = method.upper()
    if path is not None:
        if not isinstance(path, str):
            raise RequestKeywordError(f"path= expects text such as '/orders/42', not {type(path).__name__}")
        route, sep, query_text = path.partition("?")
        shape["path"] = route
        if sep:
            shape["multiValueQueryStringParameters"] = _merge(
                _multi(shape, "queryStringParameters", "multiValueQueryStringParameters"), _parse_query(query_text))
            shape.pop("queryStringParameters", None)
    if query is not None:
        shape["multiValueQueryStringParameters"] = _merge(
            _multi(shape, "queryStringParameters", "multiValueQueryStringParameters"), _values("query", query))
        shape.pop("queryStringParameters", None)
    if headers is not None:
        given = _values("headers", headers)
        current = _multi(shape, "headers", "multiValueHeaders")
        lowered = {k.lower() for k in given}
        shape["multiValueHeaders"] = {**{k: v for k, v in current.items() if k.lower() not in lowered}, **given}
        shape.pop("headers", None)
    if json is not _MISSING and body is not None:
        raise RequestKeywordError("give json= or body=, not both")
    if json is not _MISSING:
        try:
            shape["body"] = _json_text(json)
        except (TypeError, ValueError) as exc:
            raise RequestKeywordError(f"json= is not JSON-serialisable: {exc}") from None
        shape.pop("isBase64Encoded", None)
        names = {k.lower() for k in (shape.get("multiValueHeaders") or {})} | {
            k.lower() for k in (shape.get("headers") or {})}
        if "content-type" not in names:
            shape["multiValueHeaders"] = {**(shape.get("multiValueHeaders") or {}),
                                          "Content-Type": ["application/json"]}
    elif body is not None:
        if isinstance(body, (bytes, bytearray)):
            shape["body"] = base64.b64encode(bytes(body)).decode("ascii")
            shape["isBase64Encoded"] = True
        elif isinstance(body, str):
            shape["body"] = body
            shape.pop("isBase64Encoded", None)
        else:
            raise RequestKeywordError(f"body= expects text or bytes (use json= for a JSON value), not "
                                      f"{type(body).__name__}")
    if path_params is not None:
        shape["pathParameters"] = {**(shape.get("pathParameters") or {}), **_single("path_params", path_params)}
    return request_from_dict(shape, "<request keywords>")


def split_context(context: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """``$context`` overrides: nested dicts, or dotted keys (``{"identity.sourceIp": "203.0.113.7"}``)."""
    if context is None:
        return None
    if not isinstance(context, Mapping):
        raise RequestKeywordError(f"context= expects a dict, not {type(context).__name__}")
    out: dict[str, Any] = {}
    for key, value in context.items():
        if not isinstance(key, str) or not key or any(not part for part in key.split(".")):
            raise RequestKeywordError(f"context= keys must be names such as 'identity.sourceIp', not {key!r}")
        target = out
        parts = key.split(".")
        for part in parts[:-1]:
            target = target.setdefault(part, {})
            if not isinstance(target, dict):
                raise RequestKeywordError(f"context= sets {key!r} below a value that is not a map")
        leaf = value
        if isinstance(value, Mapping):
            leaf = split_context(value)
            if isinstance(target.get(parts[-1]), dict):
                target[parts[-1]].update(leaf or {})
                continue
        target[parts[-1]] = leaf
    return out


def _multi(shape: dict[str, Any], single_key: str, multi_key: str) -> dict[str, list[str]]:
    """A request file's values of one kind as lists: its multi-value map, else its single-value one."""
    multi = shape.get(multi_key)
    if isinstance(multi, Mapping) and multi:
        return {k: list(v) if isinstance(v, list) else [v] for k, v in multi.items()}
    single = shape.get(single_key)
    return {k: [v] for k, v in single.items()} if isinstance(single, Mapping) else {}


def _single(name: str, mapping: Mapping[str, Any]) -> dict[str, str]:
    return {k: v[-1] for k, v in _values(name, mapping).items() if v}


def _merge(existing: Any, extra: dict[str, list[str]]) -> dict[str, list[str]]:
    out = {k: list(v) for k, v in (existing or {}).items()} if isinstance(existing, Mapping) else {}
    for key, values in extra.items():
        out.setdefault(key, []).extend(values)
    return out


def _parse_query(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        out.setdefault(name, []).append(value)
    return out


def _json_text(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
