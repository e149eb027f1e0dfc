"""``$input``: the payload (method request body, or integration response body) and the method's parameters.

The body is parsed at most once per ``Input``; each render gets its own
``Input``, so maps a template mutates never leak into the next render.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from vtlgw.apigw.jsonpath import MISSING, compile_path, evaluate, select
from vtlgw.vtl.values import PLAIN_DOUBLE_MAX, PLAIN_DOUBLE_MIN, HostObject, JHashMap, json_text, to_text

_NOT_JSON: Any = object()


@dataclass
class MethodParams:
    """The method request's parameters as templates see them: name → single value, request order."""

    path: dict[str, str] = field(default_factory=dict)
    querystring: dict[str, str] = field(default_factory=dict)
    header: dict[str, str] = field(default_factory=dict)


class _JavaFloat(Exception):
    """A float whose Java text differs from Python's ``repr`` (or is out of range)."""


def _plain_float(text: str) -> float:
    # Java and Python print a double alike only in [1e-3, 1e7) (and 0.0), so
    # anything else sends the body down the flagging parse below.
    value = float(text)
    if PLAIN_DOUBLE_MIN <= value < PLAIN_DOUBLE_MAX or -PLAIN_DOUBLE_MAX < value <= -PLAIN_DOUBLE_MIN or value == 0.0:
        return value
    raise _JavaFloat


def _flag_floats(flag: list) -> Any:
    """A ``parse_float`` hook noting floats whose Java text differs from Python's ``repr``."""

    def parse(text: str) -> float:
        value = float(text)
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"number out of range: {text}")
        if value != 0.0 and not PLAIN_DOUBLE_MIN <= abs(value) < PLAIN_DOUBLE_MAX:
            flag[0] = True
        return value

    return parse


def _reject(name: str) -> Any:
    raise ValueError(f"invalid JSON value {name}")


def _not_json(value: Any) -> Any:
    raise TypeError(f"{type(value).__name__} is not JSON")


def _compact_encoder() -> Any:
    """``json.dumps(value, ensure_ascii=False, separators=(",", ":"))``, built once.

    ``json.dumps`` with options builds a new encoder per call, which costs more
    than encoding a small value.
    """
    from json import encoder

    if encoder.c_make_encoder is None:  # a Python without the C accelerator
        return json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    # No circular-reference markers: a cycle (only a template's own put() can make one) ends in
    # RecursionError, which the caller turns into the slow path.
    encode_list = encoder.c_make_encoder(None, _not_json, encoder.encode_basestring, None, ":", ",",
                                         False, False, True)

    def encode(value: Any) -> str:
        if isinstance(value, str):
            return encoder.encode_basestring(value)
        return "".join(encode_list(value, 0))

    return encode


_compact_json = _compact_encoder()

# One decoder for every body: building a decoder per call costs more than parsing 1 KB.
_DECODER = json.JSONDecoder(parse_float=_plain_float, parse_constant=_reject)
_SCAN = _DECODER.scan_once
_JSON_SPACE = " \t\n\r"  # what JSONDecoder.decode skips around the value


def _decode(body: str) -> Any:
    """``_DECODER.decode(body)`` (``body`` not empty); ValueError when it is not one JSON value.

    A body that neither starts nor ends with JSON whitespace goes to the scanner
    directly: ``decode`` would spend two regular-expression matches finding no
    whitespace, which costs about as much as parsing a small body.
    """
    if body[0] in _JSON_SPACE or body[-1] in _JSON_SPACE:
        return _DECODER.decode(body)
    try:
        value, end = _SCAN(body, 0)
    except StopIteration as exc:
        raise json.JSONDecodeError("Expecting value", body, exc.value) from None
    if end != len(body):
        raise json.JSONDecodeError("Extra data", body, end)
    return value


_MEMBER_CHAINS: dict[str, Any] = {}  # path -> its member keys, or False when it is anything else


def _member_chain(path: str) -> Any:
    """The keys of ``path`` when it is a definite path of member steps only (``$``, ``$.a.b``), else False.

    A path that does not compile is False too: :func:`select` raises its error every time.
    """
    try:
        compiled = compile_path(path)
    except Exception:
        return False
    keys: Any = False
    if compiled.definite and all(step.kind == "member" for step in compiled.steps):
        keys = tuple(step.arg for step in compiled.steps)
    if len(_MEMBER_CHAINS) < 1024:
        _MEMBER_CHAINS[path] = keys
    return keys


class Input(HostObject):
    """The ``$input`` variable (docs/variables.md §1)."""

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
                try:
                    self._parsed = _decode(self.body)
                except _JavaFloat:
                    self._parsed = json.loads(self.body, parse_float=_flag_floats(self._java_floats),
                                              parse_constant=_reject)
            except (ValueError, RecursionError):
                self._parsed = _NOT_JSON
        return self._parsed

    def json(self, path: str) -> str:
        """``$input.json(path)``: compact JSON text; ``""`` when missing (U12).

        A payload that is not JSON is one String to JSONPath (U14): ``$`` gives it as a JSON string, any
        other path ``""``.
        """
        data = self.parsed()
        if data is _NOT_JSON:
            return self._dump(self.body) if path.strip() == "$" else '""'
        if path.strip() == "$":
            return self._dump(data)
        keys = _MEMBER_CHAINS.get(path)
        if keys is None:
            keys = _member_chain(path)
        if keys is not False:  # evaluate's walk for a path of member steps only
            for key in keys:
                if not isinstance(data, dict) or key not in data:
                    return '""'
                data = data[key]
            return self._dump(data)
        definite, result = evaluate(path, data)
        if definite and result is MISSING:
            return '""'
        return self._dump(result)

    def _dump(self, value: Any) -> str:
        if not self._java_floats[0]:
            # json.dumps escapes exactly what API Gateway escapes (U16) and prints these floats alike.
            try:
                return _compact_json(value)
            except (TypeError, ValueError, RecursionError):
                pass
        return json_text(value)

    def path(self, path: str) -> Any:
        """``$input.path(path)``: a model value; nullish when missing or null.

        A payload that is not JSON is read as one String (U14): ``$input.path('$')`` is the payload itself
        (the form-body recipe ``$input.path('$').split('&')`` relies on it), any other path nullish.
        """
        data = self.parsed()
        if data is _NOT_JSON:
            return self.body if path.strip() == "$" else None
        keys = _MEMBER_CHAINS.get(path)
        if keys is None:
            keys = _member_chain(path)
        if keys is False:
            return select(path, data)
        # What select gives for a definite path of member steps only ($, $.a.b): the walk, or None.
        for key in keys:
            if not isinstance(data, dict) or key not in data:
                return None
            data = data[key]
        return data

    # ------------------------------------------------------------ parameters

    def params_map(self) -> JHashMap:
        if self._params_map is None:
            p = self.params_
            # The outer map is a HashMap (recorded key order); each inner map keeps request order (U19).
            self._params_map = JHashMap(path=dict(p.path), querystring=dict(p.querystring), header=dict(p.header))
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

    @classmethod
    def vtl_method(cls, name: str, argc: int) -> Callable[..., Any] | None:
        if argc == 1:
            return _ONE_ARG.get(name)
        return Input.params_map if argc == 0 and name == "params" else None


def _text_arg(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else to_text(value)


def _path(inp: Input, arg: Any) -> Any:
    return inp.path(arg if type(arg) is str else _text_arg(arg))


def _json(inp: Input, arg: Any) -> str:
    return inp.json(arg if type(arg) is str else _text_arg(arg))


def _param(inp: Input, arg: Any) -> str:
    return inp.param(arg if type(arg) is str else _text_arg(arg))


_ONE_ARG = {"path": _path, "json": _json, "params": _param}
