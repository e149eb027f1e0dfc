"""The test harness behind the ``vtlgw`` pytest fixture, usable without pytest.

:class:`Harness` renders template files and runs methods of an API through
the pipeline from one-line keyword requests, with defaults (API, stage,
stage variables, ``$context``) that a pytest marker or option supplies.
Everything it needs is the shared core: the request reader, ``MappingContext``
and ``render_with``, ``load_definition`` and ``invoke``.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
import threading
import warnings as _warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vtlgw.apigw import files
from vtlgw.apigw.errors import InputFileError
from vtlgw.vtl.diagnostics import Diagnostic, format_text
from vtlgw.vtl.errors import VtlError

from .request import REQUEST_KEYWORDS, RequestKeywordError, build_request, split_context
from .results import Invoked, Rendered

__all__ = ["Harness", "Api", "VtlgwWarning", "StrictModeError", "BACKEND_KEYWORDS"]

#: Keywords that choose the backend of an invoke (at most one).
BACKEND_KEYWORDS = ("lambda_handler", "lambda_result", "lambda_error", "http_response", "backend")
_RUN_KEYWORDS = frozenset({"stage_variables", "context", "stage", "fresh"})

_DEFINITIONS: dict[tuple[str, int, str | None, str], tuple[Any, tuple[int, ...]]] = {}
_DEFINITIONS_LOCK = threading.Lock()


class VtlgwWarning(UserWarning):
    """Something a render or invoke did that API Gateway would do differently or that vtlgw does not emulate.

    ``.diagnostic`` is the warning as data (message, file, line, column,
    pointer); the warning's text is its formatted form.
    """

    def __init__(self, diagnostic: Diagnostic | str) -> None:
        is_text = isinstance(diagnostic, str)  # (as when the warning is copied or unpickled)
        super().__init__(diagnostic if is_text else format_text(diagnostic))
        self.diagnostic: Diagnostic | None = None if is_text else diagnostic


class StrictModeError(VtlError):
    """Strict mode: a warning (something not emulated, or set and ignored) fails the test.

    ``.diagnostics`` are the warnings that failed it.
    """

    def __init__(self, diagnostics: list[Diagnostic] | str) -> None:
        if isinstance(diagnostics, str):  # (as when the error is copied or unpickled)
            super().__init__(diagnostics)
            self.diagnostics: list[Diagnostic] = []
            return
        texts = [format_text(d) for d in diagnostics]
        if len(texts) == 1:
            message = f"strict mode: {texts[0]}"
        else:
            message = "strict mode:" + "".join("\n" + textwrap.indent(text, "  ") for text in texts)
        super().__init__(message)
        self.diagnostics = list(diagnostics)


def load_api(path: Path, api_id: str | None = None, stack: Any = None) -> Any:
    """A definition loaded once per process (per file version), as xdist workers each keep their own."""
    from vtlgw.apigw.definition import load_definition

    resolved = path.resolve()
    try:
        stamp = resolved.stat().st_mtime_ns if resolved.is_file() else max(
            (p.stat().st_mtime_ns for p in resolved.rglob("*.json")), default=0)
    except OSError:
        stamp = -1  # let the loader report the missing file
    key = (str(resolved), stamp, api_id, repr(stack))
    with _DEFINITIONS_LOCK:
        cached = _DEFINITIONS.get(key)
    if cached is not None and cached[1] == _stamps(cached[0].included_files):
        return cached[0]  # neither the file nor what it includes changed
    definition = load_definition(path, api=api_id, stack=stack)
    with _DEFINITIONS_LOCK:
        _DEFINITIONS[key] = (definition, _stamps(definition.included_files))
    return definition


def _stamps(files: list[str]) -> tuple[int, ...]:
    stamps = []
    for file in files:
        try:
            stamps.append(os.stat(file).st_mtime_ns)
        except OSError:
            stamps.append(-1)
    return tuple(stamps)


@dataclass(repr=False)
class Harness:
    """Renders and invokes for one test: paths resolve against ``root``; ``defaults`` fill unset keywords.

    ``defaults`` may hold ``api``, ``api_id``, ``stage``, ``stage_variables`` and
    ``context``; a call's own keywords win over them. With ``strict``, any
    warning raises :class:`StrictModeError`; otherwise it becomes a
    :class:`VtlgwWarning` (which pytest shows in its summary).
    """

    root: Path
    defaults: dict[str, Any] = field(default_factory=dict)
    strict: bool = False
    invocations: list[Invoked] = field(default_factory=list)
    renders: list[Rendered] = field(default_factory=list)

    def __repr__(self) -> str:
        api = self.defaults.get("api")
        return f"<vtlgw harness: root {self.root}" + (f", api {api}" if api else "") + \
            (", strict" if self.strict else "") + ">"

    # ------------------------------------------------------------------ templates

    def render(self, template: str | os.PathLike[str], /, **keywords: Any) -> Rendered:
        """Render a template file (relative to ``root``) for the method request the keywords describe."""
        file = self.resolve(template)
        try:
            text = files.read_bytes(file, files.TEMPLATE, name=self.display(file)).decode("utf-8")
        except files.InputTooLargeError as exc:
            raise RequestKeywordError(f"template {os.fspath(template)!r}: {exc.message}") from None
        except InputFileError as exc:
            raise RequestKeywordError(f"template {os.fspath(template)!r}: cannot read {file}: "
                                      f"{exc.message}") from None
        except UnicodeDecodeError as exc:
            raise RequestKeywordError(f"template {os.fspath(template)!r} is not UTF-8 text "
                                      f"(byte {exc.start})") from None
        return self.render_text(text, name=self.display(file), **keywords)

    def render_text(self, text: str, /, *, name: str = "<template>", integration_response: Any = None,
                    **keywords: Any) -> Rendered:
        """Render template text (``integration_response=`` makes it a response template over that body)."""
        from vtlgw.apigw.mapping import MappingContext, duplicate_override_warnings, render_with
        from vtlgw.vtl import Template

        run, request_kw = self._split(keywords, backends=False)
        request, warnings = build_request(self.root, **request_kw)
        mctx = MappingContext.for_request(request, stage=run["stage"], context_overrides=run["context"],
                                          stage_variables=run["stage_variables"], fresh=run["fresh"])
        body = _body_text(integration_response)
        compiled = Template.cached(text, name)
        output = render_with(compiled, mctx, body=body, warnings=warnings)
        warnings += duplicate_override_warnings(mctx, compiled)

        def origin(offset: int) -> str | None:
            return _origin(compiled, request, run, body, output, offset)

        stamps = {key: mctx.context.get(key) for key in ("requestId", "requestTime", "requestTimeEpoch")}
        result = Rendered(output, mctx.request_override(), mctx.response_override(), warnings, name, origin,
                          stamps)
        self._report(warnings)
        self.renders.append(result)
        return result

    # ------------------------------------------------------------------ APIs

    def api(self, path: str | os.PathLike[str], *, api_id: str | None = None, stack: Any = None) -> "Api":
        """An API definition (OpenAPI, CloudFormation/SAM, CDK, Serverless, Terraform output), loaded once per
        process; ``stack`` (a ``vtlgw.apigw.definition.Stack``) is what its intrinsics are evaluated against."""
        file = self.resolve(path)
        shown = self.display(file)  # messages and the trace cite the file as the user knows it
        return Api(self, load_api(Path(shown) if not os.path.isabs(shown) else file, api_id, stack), shown)

    def invoke(self, route: str, /, **keywords: Any) -> Invoked:
        """Run ``"POST /orders/42"`` through the configured API (marker, ``--vtlgw-api`` or ``vtlgw_api``)."""
        api = self.defaults.get("api")
        if not api:
            raise RequestKeywordError("no API is configured for vtlgw.invoke: set @pytest.mark.vtlgw(api=...), "
                                      "--vtlgw-api or the vtlgw_api ini option, or use vtlgw.api(path).invoke(...)")
        return self.api(api, api_id=self.defaults.get("api_id")).invoke(route, **keywords)

    def event(self, route: str | None = None, /, **keywords: Any) -> dict[str, Any]:
        """The event a Lambda proxy function receives for ``"GET /orders/7"`` (or ``method=``/``path=``).

        Routed through the configured API when there is one (its route decides
        ``resource``, ``pathParameters`` and ``stageVariables``); without one,
        the REST v1 event of the request as given. ``payload="1.0"``/``"2.0"``
        forces an HTTP API payload format. No route matching is a
        :class:`~vtlgw.apigw.proxy.request_event.NoRouteError` (API Gateway's 403 or 404).
        """
        api = self.defaults.get("api")
        if api:
            return self.api(api, api_id=self.defaults.get("api_id")).event(route, **keywords)
        return _event(self, None, route, keywords)

    # ------------------------------------------------------------------ helpers

    def resolve(self, path: str | os.PathLike[str]) -> Path:
        candidate = Path(path)
        return candidate if candidate.is_absolute() else self.root / candidate

    def display(self, file: Path) -> str:
        """``file`` as a user reads it: relative to the working directory when under it."""
        try:
            return os.path.relpath(file)
        except ValueError:  # another drive on Windows
            return str(file)

    def _split(self, keywords: dict[str, Any], *, backends: bool) -> tuple[dict[str, Any], dict[str, Any]]:
        allowed = REQUEST_KEYWORDS | _RUN_KEYWORDS | (frozenset(BACKEND_KEYWORDS) if backends else frozenset())
        unknown = sorted(set(keywords) - allowed)
        if unknown:
            raise RequestKeywordError(f"unknown keyword{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                                      f"expected some of {', '.join(sorted(allowed))}")
        context = _deep_merge(split_context(self.defaults.get("context")), split_context(keywords.get("context")))
        variables = {**(self.defaults.get("stage_variables") or {}), **(keywords.get("stage_variables") or {})}
        for name, value in variables.items():
            if not isinstance(name, str) or not isinstance(value, str):
                raise RequestKeywordError(f"stage_variables= maps names to text; got {name!r}: {value!r}")
        run = {
            "stage": keywords.get("stage", self.defaults.get("stage")),
            "context": context or None,
            "stage_variables": variables or None,
            "fresh": bool(keywords.get("fresh", self.defaults.get("fresh", False))),
        }
        request_kw = {k: v for k, v in keywords.items() if k in REQUEST_KEYWORDS}
        return run, request_kw

    def _report(self, warnings: list[Diagnostic]) -> None:
        if not warnings:
            return
        if self.strict:
            raise StrictModeError(warnings)
        for warning in warnings:
            _warnings.warn(VtlgwWarning(warning), stacklevel=4)


@dataclass
class Api:
    """One loaded API; :meth:`invoke` runs a method of it."""

    harness: Harness
    definition: Any
    name: str

    def invoke(self, route: str, /, **keywords: Any) -> Invoked:
        """Run ``"METHOD /path?query"`` with request keywords and at most one backend keyword."""
        from vtlgw.apigw.pipeline import invoke

        harness = self.harness
        verb, target = _split_route(route)
        api_keys = _api_keys(harness.defaults.get("api_keys"), keywords.pop("api_keys", None))
        api_key = keywords.pop("api_key", None)
        if api_key is not None:  # the client presents this key, and it is one the API knows
            if not isinstance(api_key, str) or not api_key:
                raise RequestKeywordError(f"api_key= is the key the client sends in x-api-key, not {api_key!r}")
            if any(name.lower() == "x-api-key" for name in (keywords.get("headers") or {})):
                raise RequestKeywordError("give api_key= or an x-api-key header, not both")
            keywords["headers"] = {**(keywords.get("headers") or {}), "x-api-key": api_key}
            api_keys.append(api_key)
        authorizer = _authorizer(keywords.pop("authorizer", None))
        claims = keywords.pop("claims", None)
        if claims is not None and not isinstance(claims, dict):
            raise RequestKeywordError(f"claims= is a dict of Cognito claims, not {type(claims).__name__}")
        backend_kw = {k: keywords.pop(k) for k in BACKEND_KEYWORDS if keywords.get(k) is not None}
        for k in BACKEND_KEYWORDS:
            keywords.pop(k, None)
        if len(backend_kw) > 1:
            raise RequestKeywordError(f"choose one backend, not {' and '.join(backend_kw)}")
        run, request_kw = harness._split(keywords, backends=True)
        request_kw["method"] = verb
        request_kw["path"] = target
        request, warnings = build_request(harness.root, **request_kw)
        backend = _backend(harness, backend_kw)
        result = invoke(self.definition, request, backend=backend, stage=run["stage"],
                        stage_variables=run["stage_variables"], context_overrides=run["context"],
                        fresh=run["fresh"], report_latency=run["fresh"], api_keys=api_keys or None,
                        authorizer=authorizer, claims=claims)
        invoked = Invoked.of(result, f"{verb.upper()} {target}")
        invoked.warnings = warnings + invoked.warnings
        harness.invocations.append(invoked)
        harness._report(invoked.warnings)
        return invoked


    def event(self, route: str | None = None, /, **keywords: Any) -> dict[str, Any]:
        """The event this API's route sends its function for ``"METHOD /path?query"`` and request keywords."""
        return _event(self.harness, self.definition, route, keywords, self.name)


# ---------------------------------------------------------------------------- helpers


def _authorizer(value: Any) -> Any:
    """``authorizer=``: a handler ``fn(event, context)``, the result it returns (a dict), or a backend."""
    from vtlgw.apigw.pipeline import LambdaHandler, LambdaResult

    if value is None or hasattr(value, "call"):
        return value
    if isinstance(value, dict):
        return LambdaResult(value)
    if callable(value):
        return LambdaHandler(value)
    raise RequestKeywordError("authorizer= is the authorizer function (event, context) -> result, the result "
                              f"itself (a dict), or a backend; not {type(value).__name__}")


def _api_keys(*given: Any) -> list[Any]:
    """Known API keys from the marker and the call (``api_keys=``): a key, or a list of keys or key maps."""
    keys: list[Any] = []
    for value in given:
        if value is None:
            continue
        if isinstance(value, (str, dict)):
            value = [value]
        if not isinstance(value, (list, tuple)):
            raise RequestKeywordError(f"api_keys= is a list of API keys (values or {{'value': ..., 'id': ...}} "
                                      f"maps), not {type(value).__name__}")
        keys.extend(value)
    return keys


def _split_route(route: Any) -> tuple[str, str]:
    """``"POST /orders/42"`` as (method, path)."""
    if not isinstance(route, str) or len(route.split()) != 2:
        raise RequestKeywordError(f"the route is 'METHOD /path', e.g. 'POST /orders/42', not {route!r}")
    verb, target = route.split()
    return verb, target


def _event(harness: Harness, definition: Any, route: str | None, keywords: dict[str, Any],
           name: str | None = None) -> dict[str, Any]:
    """``Harness.event`` and ``Api.event``: keywords to a method request, then the shared event builder."""
    from vtlgw.apigw.proxy.choose import PAYLOADS

    from vtlgw.apigw.proxy.request_event import build_event

    payload = keywords.pop("payload", None)
    if payload is not None and payload not in PAYLOADS:
        raise RequestKeywordError(f"payload= is an HTTP API payload format version, {' or '.join(map(repr, PAYLOADS))}"
                                  f", not {payload!r}")
    if route is not None:
        verb, target = _split_route(route)
        given = [k for k in ("method", "path") if keywords.get(k) is not None]
        if given:
            raise RequestKeywordError(f"give the route {route!r} or {' and '.join(k + '=' for k in given)}, not both")
        keywords["method"], keywords["path"] = verb, target
    run, request_kw = harness._split(keywords, backends=False)
    request, warnings = build_request(harness.root, **request_kw)
    event, notes = build_event(definition, request, payload=payload, stage=run["stage"],
                               stage_variables=run["stage_variables"], context_overrides=run["context"],
                               fresh=run["fresh"], api_name=name)
    harness._report(warnings + notes)
    return event


def _backend(harness: Harness, chosen: dict[str, Any]) -> Any:
    """A pipeline backend from one backend keyword: a value, a file (relative to the root), or an object."""
    from vtlgw.apigw.pipeline import LambdaHandler, backend_from_dict, backend_from_file

    if not chosen:
        return None
    (name, value), = chosen.items()
    if name == "backend":
        if not hasattr(value, "call"):
            raise RequestKeywordError("backend= expects a vtlgw backend (an object with call(), such as "
                                      "LambdaResult, HttpResponse or HttpHandler)")
        return value
    if name == "lambda_handler":
        if isinstance(value, str):
            root = str(harness.root)
            if root not in sys.path:
                sys.path.insert(0, root)  # "module:function" of the user's project
            return LambdaHandler(value)
        if not callable(value):
            raise RequestKeywordError("lambda_handler= expects a callable handler(event, context) or "
                                      "'module:function'")
        return LambdaHandler(value)
    kind = name.replace("_", "-")
    if isinstance(value, (str, os.PathLike)):
        return backend_from_file(harness.resolve(value), kind)
    return backend_from_dict(value, kind, f"{name}=")


def _body_text(value: Any) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        try:
            return bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RequestKeywordError(f"integration_response= bytes are not UTF-8 (byte {exc.start})") from None
    try:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise RequestKeywordError(f"integration_response= is not text or a JSON value: {exc}") from None


def _deep_merge(base: dict[str, Any] | None, extra: dict[str, Any] | None) -> dict[str, Any]:
    out = dict(base or {})
    for key, value in (extra or {}).items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _origin(compiled: Any, request: Any, run: dict[str, Any], body: str | None, output: str,
            offset: int) -> str | None:
    """Which template ``name:line:col`` wrote output character ``offset`` (rendered again, traced)."""
    from vtlgw.apigw.mapping import MappingContext, render_traced_with

    context = run["context"]
    if run["fresh"]:
        return None  # a fresh render would not reproduce the same output
    try:
        mctx = MappingContext.for_request(request, stage=run["stage"], context_overrides=context,
                                          stage_variables=run["stage_variables"])
        traced = render_traced_with(compiled, mctx, body=body)
    except VtlError:
        return None
    if traced.text != output:
        return None
    where = traced.origin(min(offset, max(len(output) - 1, 0)))
    if where is None:
        return None
    line, column = where
    return f"{compiled.name}:{line}:{column}"

