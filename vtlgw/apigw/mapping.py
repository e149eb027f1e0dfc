"""Render one mapping template with the four variables API Gateway provides.

This is where the language layer meets API Gateway: ``$input`` (over the
method request body, or the integration response body in a response template),
``$util``, ``$context`` and ``$stageVariables``. The same :class:`MappingContext`
is reused across the request and the response template of one invocation, so
overrides set in the first stay visible in the second, as on AWS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vtlgw.apigw.arguments import method_request
from vtlgw.apigw.context import build_context, stage_variables_map
from vtlgw.apigw.http.headers import HIDDEN_FROM_TEMPLATES
from vtlgw.apigw.input import Input, MethodParams
from vtlgw.apigw.request import MethodRequest, _plain_proxy
from vtlgw.apigw.util import Util
from vtlgw.apigw.wire import BOM, as_sent, as_sent_deep, strip_bom
from vtlgw.vtl import Limits, Template
from vtlgw.vtl import nodes
from vtlgw.vtl.diagnostics import Diagnostic, Location
from vtlgw.vtl.nodes import walk
from vtlgw.vtl.values import OpaqueMap, map_keys
from vtlgw.vtl.warning import text_location, warning

# Headers API Gateway never shows to templates (docs/variables.md §1.4).
HIDDEN_HEADERS = HIDDEN_FROM_TEMPLATES


class OverrideMap(OpaqueMap):
    """A ``requestOverride``/``responseOverride`` map that remembers keys assigned twice (U27).

    It is made as cheaply as a plain map (one per override map, every render):
    the bookkeeping lives in the instance ``__dict__``, which appears on the
    first assignment only.
    """

    def __setitem__(self, key: Any, value: Any) -> None:
        state = self.__dict__
        assigned = state.get("assigned")
        if assigned is None:
            state["assigned"] = {key}
        elif key in assigned:
            state.setdefault("repeated", []).append(key)
        else:
            assigned.add(key)
        dict.__setitem__(self, key, value)

    def repeated_keys(self) -> list:
        """Keys assigned more than once since the last reset, once per repeat, in order."""
        return self.__dict__.get("repeated", [])

    def reset_tracking(self) -> None:
        self.__dict__.clear()


def method_params(request: MethodRequest) -> MethodParams:
    """``$input.params()`` views: single values (last of several, U18) in request order (U19)."""
    # request.single_headers() without the hidden ones, in one pass
    headers = {k: vs[-1] for k, vs in request.headers.items()
               if vs and (k in _VISIBLE_HEADERS or _visible_header(k))}
    return MethodParams(dict(request.path_parameters), request.single_query(), headers)


_VISIBLE_HEADERS: set[str] = set()  # header names (as spelled) known not to be hidden: one lookup, no lower()


def _visible_header(name: str) -> bool:
    if name.lower() in HIDDEN_HEADERS:
        return False
    if type(name) is str:
        if len(_VISIBLE_HEADERS) >= 1024:
            _VISIBLE_HEADERS.clear()
        _VISIBLE_HEADERS.add(name)
    return True


def _request_argument(request: Any) -> MethodRequest:
    """``for_request``'s request: a MethodRequest, a request-file dict (as ``vtlgw.render`` takes) or None."""
    return method_request("MappingContext.for_request", request)[0]


@dataclass
class MappingContext:
    """``$context`` and ``$stageVariables`` for one invocation (shared by its templates)."""

    request: MethodRequest
    context: OpaqueMap
    stage_variables: dict
    params: MethodParams

    @classmethod
    def for_request(cls, request: MethodRequest, *, stage: str | None = None,
                    context_overrides: dict | None = None, stage_variables: dict | None = None,
                    resource_path: str | None = None, fresh: bool = False) -> "MappingContext":
        return cls._of(_request_argument(request), stage, context_overrides, stage_variables, resource_path, fresh)

    @classmethod
    def _of(cls, request: MethodRequest, stage: str | None = None, context_overrides: dict | None = None,
            stage_variables: dict | None = None, resource_path: str | None = None,
            fresh: bool = False, context_keys: frozenset[str] | None = None) -> "MappingContext":
        """:meth:`for_request` for a ``request`` that is a :class:`MethodRequest` already.

        ``context_keys``: build only those keys of ``$context`` (``build_context``'s ``keys``).
        """
        ctx = build_context(request, stage=stage, overrides=context_overrides, resource_path=resource_path,
                            fresh=fresh, override_map=OverrideMap, keys=context_keys)
        variables = stage_variables_map(request)
        if stage_variables:
            variables.update(stage_variables)
        return cls(request, ctx, variables, method_params(request))

    # ------------------------------------------------------------ overrides

    def _section(self, name: str) -> OpaqueMap:
        value = self.context.get(name)
        return value if isinstance(value, dict) else OpaqueMap()

    def request_override(self) -> dict[str, dict]:
        """``$context.requestOverride`` as plain maps: ``{"header": {...}, "querystring": {...}, "path": {...}}``."""
        section = self._section("requestOverride")
        return as_sent_deep({key: _plain(section.get(key)) for key in ("header", "querystring", "path")})

    def response_override(self) -> dict[str, Any]:
        """``$context.responseOverride``: ``{"header": {...}}`` plus ``status`` (and custom keys) once set."""
        section = self._section("responseOverride")
        out = {"header": _plain(section.get("header"))}
        for key in map_keys(section):
            if key != "header":
                out[key] = section[key]
        return as_sent_deep(out)

    def _override_maps(self) -> list[tuple[str, OverrideMap]]:
        """The tracked override maps with their names (``responseOverride.header`` …)."""
        maps: list[tuple[str, OverrideMap]] = []
        for name in ("requestOverride", "responseOverride"):
            section = self._section(name)
            named = [(name, section)] + [(f"{name}.{k}", section[k]) for k in map_keys(section)
                                         if isinstance(section[k], dict)]
            maps.extend((label, m) for label, m in named if isinstance(m, OverrideMap))
        return maps

    def duplicate_overrides(self) -> list[str]:
        """Override keys assigned more than once (the docs: a second assignment is a 5XX, U27)."""
        return [f"{label}.{key}" for label, m in self._override_maps() for key in m.repeated_keys()]

    def reset_override_tracking(self) -> None:
        """Start counting assignments afresh: duplicates count within one render (U27)."""
        for _, m in self._override_maps():
            m.reset_tracking()


def _plain(value: Any) -> dict:
    if not isinstance(value, dict):
        return {}
    return {k: value[k] for k in map_keys(value)}


@dataclass
class RenderResult:
    """The output of one template and what it left in ``$context``; ``warnings`` are warning Diagnostics."""

    output: str
    request_override: dict[str, dict]
    response_override: dict[str, Any]
    warnings: list[Diagnostic] = field(default_factory=list)
    duplicate_overrides: list[str] = field(default_factory=list)


_UTIL = Util()  # stateless, so one serves every render


def render_with(template: Template, mctx: MappingContext, *, body: str | None = None,
                warnings: list[Diagnostic] | None = None) -> str:
    """Render ``template`` in ``mctx``; ``$input`` reads ``body`` (default: the method request body).

    The output is the text API Gateway sends: a lone surrogate a value carried
    is ``?``, as Java's UTF-8 encoder writes it (:mod:`vtlgw.apigw.wire`).
    """
    return as_sent(template.render(_variables(mctx, body), warnings=warnings, copy=False))


def _variables(mctx: MappingContext, body: str | None) -> dict[str, Any]:
    payload = mctx.request.body_text() if body is None else body
    return {
        "input": Input(payload, mctx.params),
        "util": _UTIL,
        "context": mctx.context,
        "stageVariables": mctx.stage_variables,
    }


def render_traced_with(template: Template, mctx: MappingContext, *, body: str | None = None,
                       warnings: list[Diagnostic] | None = None) -> Any:
    """As :func:`render_with`, recording which template position wrote each output character."""
    return template.render_traced(_variables(mctx, body), warnings=warnings, copy=False)


def duplicate_override_warnings(mctx: MappingContext, template: Template | None = None) -> list[Diagnostic]:
    """One warning per override key assigned twice (a lone render cannot answer 500 as invoke does, U27).

    Given the ``template`` that rendered, each warning points at the key's
    second assignment in it (its only one, when a loop assigned it again);
    a key the template computes is cited by the template's name alone.
    """
    out = []
    for key in mctx.duplicate_overrides():
        message = f"{key} was overridden more than once (API Gateway answers 500)"
        out.append(warning(message, override_location(template, key)))
    return out


def override_location(template: Template | None, key: str) -> Location:
    """Where ``template`` assigns ``$context.<key>`` (``responseOverride.status`` …) a second time, or first.

    Read from the parse tree: ``#set`` targets and ``.put(...)`` calls whose
    path is written out (``.header.X``, ``.header["X-A"]``). Without such a
    place, the template's name alone.
    """
    if template is None:
        return Location("<template>")
    sites = _assignment_sites(template.tree, key)
    if not sites:
        return Location(template.name)
    start, end = sites[1] if len(sites) > 1 else sites[0]
    return text_location(template.name, template.source, start, end=end)


def _assignment_sites(tree: Any, key: str) -> list[tuple[int, int]]:
    sites = []
    for node in walk(tree):
        if isinstance(node, nodes.Set):
            path = _ref_path(node.target, node.target.parts)
            if path == key:
                sites.append((node.target.pos, node.target.end))
        elif isinstance(node, nodes.Ref) and node.parts:
            last = node.parts[-1]
            if isinstance(last, nodes.Call) and last.name == "put" and len(last.args) == 2:
                name = _literal_key(last.args[0])
                path = _ref_path(node, node.parts[:-1])
                if path is not None and name is not None and f"{path}.{name}" == key:
                    sites.append((node.pos, node.end))
    return sites


def _ref_path(ref: Any, parts: list) -> str | None:
    """``$context.a.b["c"]`` -> ``"a.b.c"``; None when it is not ``$context`` or a step is computed."""
    if ref.name != "context" or not parts:
        return None
    names = []
    for part in parts:
        if isinstance(part, nodes.Prop):
            names.append(part.name)
        elif isinstance(part, nodes.Index) and _literal_key(part.key) is not None:
            names.append(_literal_key(part.key))
        else:
            return None
    return ".".join(names)


def _literal_key(expr: Any) -> str | None:
    return expr.value if isinstance(expr, nodes.Literal) and isinstance(expr.value, str) else None


def render_mapping(template_text: str, request: MethodRequest | None = None, *, name: str = "<template>",
                   integration_response: str | None = None, stage: str | None = None,
                   context_overrides: dict | None = None, stage_variables: dict | None = None,
                   limits: Limits | None = None) -> RenderResult:
    """Render a request template (or, given ``integration_response``, a response template)."""
    request = request or MethodRequest()
    mctx = MappingContext.for_request(request, stage=stage, context_overrides=context_overrides,
                                      stage_variables=stage_variables)
    template = Template.cached(strip_bom(template_text), name, limits)
    warnings: list[Diagnostic] = []
    output = render_with(template, mctx, body=integration_response, warnings=warnings)
    return RenderResult(output, mctx.request_override(), mctx.response_override(), warnings,
                        mctx.duplicate_overrides())


def render_request(template_text: str, request: Any, *, name: str = "<template>",
                   integration_response: str | None = None) -> str:
    """:func:`render_output` for ``vtlgw.render``'s request argument (a request dict, a MethodRequest or None).

    A request dict that :func:`~vtlgw.apigw.request.request_from_dict` reads by
    its plain path cannot fail to make a ``$context`` (plain JSON, no request
    time, no authorizer) and there are no overrides, so ``$context`` is built
    with only the keys the template can observe (``Template.top_level_reads``).
    Nothing before the render can fail then but the template's compile, so the
    errors are the ones :func:`render_output` gives.
    """
    plain = _plain_proxy(request) if type(request) is dict else None
    if plain is None:
        return render_output(template_text, method_request("render", request)[0], name=name,
                             integration_response=integration_response)
    template = Template.cached(template_text[1:] if template_text[:1] == BOM else template_text, name, None)
    mctx = MappingContext._of(plain, context_keys=template.top_level_reads("context"))
    return as_sent(template.render(_variables(mctx, integration_response), copy=False))


def render_output(template_text: str, request: MethodRequest | None = None, *, name: str = "<template>",
                  integration_response: str | None = None, stage: str | None = None,
                  context_overrides: dict | None = None, stage_variables: dict | None = None,
                  limits: Limits | None = None) -> str:
    """:func:`render_mapping`'s output alone, for callers that want nothing else (``vtlgw.render``).

    The render is the same; what it left in ``$context`` (the overrides, keys
    assigned twice) and its warnings are not collected.
    """
    mctx = MappingContext._of(_request_argument(request or MethodRequest()), stage, context_overrides,
                              stage_variables)
    template = Template.cached(template_text[1:] if template_text[:1] == BOM else template_text, name, limits)
    return as_sent(template.render(_variables(mctx, integration_response), copy=False))
