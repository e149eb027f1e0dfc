"""Render one template over its samples and forced branches, once, for every rendered-output rule.

The renders follow ``docs/lint.md`` (Render-based checks): every sample as the template stands,
then, one ``#if`` chain at a time, every branch of that chain forced (the other
conditions evaluated normally) over the samples that hold data. At most :data:`BUDGET`
renders are made per template; :attr:`RenderRun.truncated` says when that cut
the coverage short. Renders go through the same mapping layer ``vtlgw render``
uses, so ``$input``, ``$util`` and ``$context`` behave exactly as they do there.

Rules read :class:`Outcome` objects; the costly parts (parsing the output,
re-rendering with tracing to find who wrote a character) are done only for
the outcomes a rule asks about, and cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from vtlgw.apigw.jsoncheck import JsonProblem, json_problem
from vtlgw.lint.samples import Sample, request_samples, response_samples
from vtlgw.vtl.errors import VtlError
from vtlgw.vtl.template import IfChain

if TYPE_CHECKING:
    from vtlgw.lint.units import TemplateUnit
    from vtlgw.vtl.template import Template

__all__ = ["BUDGET", "Outcome", "RenderRun", "render_run"]

#: Renders per template at most (docs/lint.md, Render-based checks).
BUDGET = 256


@dataclass(frozen=True)
class Outcome:
    """One render: the sample, the forced branch (``(#if offset, branch)`` or None) and the output."""

    sample: Sample
    forced: tuple[int, int] | None
    text: str


class RenderRun:
    """The renders of one template unit (made on first use, then shared by the rules)."""

    def __init__(self, unit: "TemplateUnit") -> None:
        self.unit = unit
        self.template: "Template | None" = unit.template
        self.outcomes: list[Outcome] = []
        self.truncated = False
        self.planned = 0  # renders the full plan would take
        self._problems: dict[str, JsonProblem | None] = {}
        if self.template is not None and unit.tree is not None:
            self._run()

    # ------------------------------------------------------------ rendering

    def _samples(self) -> list[Sample]:
        unit = self.unit
        tree = unit.tree or []
        if unit.kind == "request":
            return request_samples(tree, _path_names(unit), _user_samples(unit))
        if unit.kind == "response":
            response = unit.response
            lambda_error = bool(unit.integration is not None and unit.integration.is_lambda
                                and response is not None and not response.is_default)
            return response_samples(tree, lambda_error)
        return [Sample("a gateway response", "{}")]

    def _run(self) -> None:
        samples = self._samples()
        chains: tuple[IfChain, ...] = self.template.if_chains()  # type: ignore[union-attr]
        forcible = _forcible_chains(self.template, chains)  # type: ignore[arg-type]
        # Forced branches run over the samples that hold data (synthesised and the user's): forcing a branch
        # over an empty body would print values its own condition exists to check for.
        rich = [s for s in samples if s.benign is not None or s.request is not None]
        plan: list[tuple[tuple[int, int] | None, list[Sample]]] = [(None, samples)]
        plan += [((chain.pos, branch), rich) for chain in chains if chain.pos in forcible
                 for branch in range(chain.branches + 1)]
        self.planned = sum(len(group) for _, group in plan)
        for forced, group in plan:
            for sample in group:
                if len(self.outcomes) >= BUDGET:
                    self.truncated = True
                    return
                text = self.render(sample, forced)
                if text is not None:
                    self.outcomes.append(Outcome(sample, forced, text))

    def _template(self, forced: tuple[int, int] | None) -> "Template":
        template = self.template
        assert template is not None
        return template if forced is None else template.variant({forced[0]: forced[1]})

    def _context(self, sample: Sample) -> tuple[Any, str | None]:
        """The mapping context for a sample, and the body ``$input`` reads (None: the request's)."""
        from vtlgw.apigw.mapping import MappingContext

        request = sample.request if sample.request is not None else self._request(sample)
        mctx = MappingContext.for_request(request, stage_variables=_stage_variables(self.unit),
                                          resource_path=request.resource)
        body = None if self.unit.kind == "request" else sample.body
        return mctx, body

    def _request(self, sample: Sample) -> Any:
        from vtlgw.apigw.request import MethodRequest

        unit = self.unit
        method = unit.method
        resource = method.resource_path if method is not None else "/"
        path = resource
        for name, value in sample.params.get("path", {}).items():
            path = path.replace("{" + name + "}", "x").replace("{" + name + "+}", "x")
        headers = {name: [value] for name, value in sample.params.get("header", {}).items()}
        if unit.kind == "request":
            headers.setdefault("Content-Type", [unit.media_type or "application/json"])
        return MethodRequest(
            http_method=method.http_method if method is not None and method.http_method != "ANY" else "POST",
            path=path, resource=resource, path_parameters=dict(sample.params.get("path", {})), headers=headers,
            query={name: [value] for name, value in sample.params.get("querystring", {}).items()},
            body=sample.body if unit.kind == "request" else None)

    def render(self, sample: Sample, forced: tuple[int, int] | None) -> str | None:
        """The output for one sample, or None when the render fails (a runtime error the data caused)."""
        from vtlgw.apigw.mapping import render_with

        mctx, body = self._context(sample)
        try:
            return render_with(self._template(forced), mctx, body=body, warnings=[])
        except VtlError:
            return None

    def traced(self, outcome: Outcome) -> Any:
        """The render of an outcome again, recording who wrote each character (None if it now fails)."""
        from vtlgw.apigw.mapping import render_traced_with

        mctx, body = self._context(outcome.sample)
        try:
            return render_traced_with(self._template(outcome.forced), mctx, body=body, warnings=[])
        except VtlError:
            return None

    # ------------------------------------------------------------ judging

    def problem(self, text: str) -> JsonProblem | None:
        """Why ``text`` is not JSON (cached: many renders print the same text)."""
        if text not in self._problems:
            self._problems[text] = json_problem(text)
        return self._problems[text]

    def structural(self, outcome: Outcome, still_fails: Any) -> bool:
        """Whether a failure is the template's own: the sample's plain-string twin fails ``still_fails`` too."""
        twin = outcome.sample.benign
        if twin is None:
            return True
        text = self.render(twin, outcome.forced)
        return text is not None and bool(still_fails(text))

    def source_offset(self, outcome: Outcome, pos: int) -> int | None:
        """The template offset that wrote output offset ``pos`` (or the nearest character before it)."""
        traced = self.traced(outcome)
        if traced is None:
            return None
        for at in range(min(pos, len(traced.text) - 1), -1, -1):
            found = traced.source_offset(at)
            if found is not None:
                return found
        return None

    def forced_label(self, forced: tuple[int, int] | None) -> str:
        """``with the #if at 3:1 forced into its #else`` (empty when nothing was forced)."""
        if forced is None:
            return ""
        pos, branch = forced
        chain = next((c for c in self.template.if_chains() if c.pos == pos), None)  # type: ignore[union-attr]
        where = self.unit.location(pos)
        at = f"the #if at {where.line}:{where.column}"
        if chain is None:
            return f"with {at} forced"
        if branch == 0:
            return f"with {at} forced true"
        if branch < chain.branches:
            return f"with {at} forced into its #elseif number {branch}"
        return f"with {at} forced into its #else" if chain.has_else else f"with {at} forced to run no branch"

    def describe(self, outcome: Outcome) -> str:
        forced = self.forced_label(outcome.forced)
        return f"for {outcome.sample.label}" + (f", {forced}" if forced else "")

    def failures(self, failing: Any) -> Iterator[Outcome]:
        """Outcomes for which ``failing(text)`` is true, in plan order (the simplest combination first)."""
        seen: dict[str, bool] = {}
        for outcome in self.outcomes:
            verdict = seen.get(outcome.text)
            if verdict is None:
                verdict = seen[outcome.text] = bool(failing(outcome.text))
            if verdict:
                yield outcome


def _forcible_chains(template: "Template", chains: tuple[IfChain, ...]) -> set[int]:
    """The #if chains worth forcing: not those testing the loop's own state (``#if($foreach.hasNext),#end``).

    Forcing ``$foreach.hasNext`` true on the last item writes a comma no input
    can produce; such a chain follows the data already, through the loop's
    0, 1 and 2 item samples.
    """
    from vtlgw.lint.tree import LOOP_HELPERS
    from vtlgw.vtl import nodes as n

    starts = {chain.pos for chain in chains}
    forcible = set()
    for node in n.walk(template.tree):
        if type(node) is n.If and node.pos in starts:
            conditions = [cond for cond, _ in node.branches]
            if not any(isinstance(x, n.Ref) and x.name in LOOP_HELPERS for x in n.walk(conditions)):
                forcible.add(node.pos)
    return forcible


def render_run(unit: "TemplateUnit") -> RenderRun:
    """The unit's render run, made once whichever rule asks first."""
    run = unit.memo.get("render_run")
    if run is None:
        run = unit.memo["render_run"] = RenderRun(unit)
    return run


def _path_names(unit: "TemplateUnit") -> list[str]:
    from vtlgw.apigw.request import resource_parameter_names

    method = unit.method
    if method is None:
        return []
    try:
        return resource_parameter_names(method.resource_path)
    except ValueError:  # a malformed resource is another rule's finding
        return []


def _user_samples(unit: "TemplateUnit") -> list[tuple[str, Any]]:
    """The user's ``--request`` samples as method requests, labelled by their file."""
    from vtlgw.apigw.request import request_from_dict

    out = []
    for i, sample in enumerate(unit.samples):
        label = sample.get("__file__") if isinstance(sample, dict) else None
        try:
            request, _ = request_from_dict({k: v for k, v in sample.items() if k != "__file__"})
        except VtlError:
            continue
        out.append((f"the request sample {label or i + 1}", request))
    return out


def _stage_variables(unit: "TemplateUnit") -> dict[str, str]:
    from vtlgw.lint.samples import BENIGN, template_shape

    if unit.tree is None:
        return {}
    return {name: BENIGN for name in template_shape(unit.tree).stage_variables}
