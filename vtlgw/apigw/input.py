"""``$input``: the payload (method request body, or integration response body) and the method's parameters.

The body is parsed at most once per ``Input``; each render gets its own
``Input``, so maps a template mutates never leak into the next render.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from vtlgw.apigw.jsonpath import MISSING, evaluate, select
from vtlgw.vtl.values import HostObject, JHashMap, json_text, to_text

_NOT_JSON: Any = object()


@dataclass
class MethodParams:
    """The method request's parameters as templates see them: name → single value, request order."""

    path: dict[str, str] = field(default_factory=dict)
    querystring: dict[str, str] = field(default_factory=dict)
    header: dict[str, str] = field(default_factory=dict)


def _plain_floats(flag: list) -> Any:
    """A ``parse_float`` hook noting floats whose Java text differs from Python's ``repr``."""

    def parse(text: str) -> float:
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"number out of range: {text}")
        if value != 0.0 and not 1e-3 <= abs(value) < 1e7:
            flag[0] = True
        return value

    return parse


def _reject(name: str) -> Any:
    raise ValueError(f"invalid JSON value {name}")


class Input(HostObject):
    """The ``$input`` variable (variables.md §1)."""

    __slots__ = ("body", "params_", "_parsed", "_java_floats", "_params_map")

    def __init__(self, body: str, params: MethodParams | None = None) -> None:
        self.body = body if body else "{}"  # an empty payload reads as {} (recorded on AWS)
        self.params_ = params or MethodParams()
        self._parsed: Any = None
        self._java_floats = [False]
        self._params_map: JHashMap | None = None

    # ------------------------------------------------------------ payload

    def parsed(self) -> Any:
        """The payload as JSON (model values), or a marker when it is not JSON (U14)."""
        if self._parsed is None:
            try:
                self._parsed = json.loads(self.body, parse_float=_plain_floats(self._java_floats),
                                          parse_constant=_reject)
            except (ValueError, RecursionError):
                self._parsed = _NOT_JSON
        return self._parsed

    def json(self, path: str) -> str:
        """``$input.json(path)``: compact JSON text; ``""`` when missing or not JSON (U12)."""
        data = self.parsed()
        if data is _NOT_JSON:
            return '""'
        if path.strip() == "$":
            return self._dump(data)
        definite, result = evaluate(path, data)
        if definite and result is MISSING:
            return '""'
        return self._dump(result)

    def _dump(self, value: Any) -> str:
        if not self._java_floats[0]:
            # json.dumps escapes exactly what API Gateway escapes (U16) and prints these floats alike.
            try:
                return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            except (TypeError, ValueError):
                pass
        return json_text(value)

    def path(self, path: str) -> Any:
        """``$input.path(path)``: a model value; nullish when missing, null, or not JSON (U14)."""
        data = self.parsed()
        if data is _NOT_JSON:
            return None
        return select(path, data)

    # ------------------------------------------------------------ parameters

    def params_map(self) -> JHashMap:
        if self._params_map is None:
            p = self.params_
            # The outer map is a HashMap (recorded key order); each inner map keeps request order (U19).
            self._params_map = JHashMap(
                [("path", dict(p.path)), ("querystring", dict(p.querystring)), ("header", dict(p.header))])
        return self._params_map

    def param(self, name: str) -> str:
        """``$input.params(name)``: path, then query string, then header (case-sensitive); else ""."""
        p = self.params_
        for source in (p.path, p.querystring, p.header):
            if name in source:
                return source[name]
        return ""

    # ------------------------------------------------------------ the template's view

    def vtl_get(self, name: str) -> Any:
        return self.body if name == "body" else None

    def vtl_call(self, name: str, args: list) -> Any:
        if name == "params":
            if not args:
                return self.params_map()
            if len(args) == 1:
                return self.param(_text_arg(args[0]))
            return None
        if len(args) != 1:
            return None
        if name == "json":
            return self.json(_text_arg(args[0]))
        if name == "path":
            return self.path(_text_arg(args[0]))
        return None


def _text_arg(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else to_text(value)
