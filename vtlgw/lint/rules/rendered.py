"""Rendered-output rules (VTL2xx): render the template with the real engine and check what it writes.

Every rule here reads one :class:`~vtlgw.lint.rendercheck.RenderRun` per
template (samples and forced branches, ``docs/lint.md`` §3) and applies only
where the output is meant to be JSON (``TemplateUnit.json_output``).

One defect gives one finding:
- a failure that a sample's plain-string twin does not share comes from data
  (an unescaped value) and is left to the escaping rules (VTL106, VTL111);
- a dangling comma is VTL202's, not VTL201's;
- a Lambda request template's failures are VTL203's, a MOCK template's VTL204's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterator

from vtlgw.lint.registry import register
from vtlgw.lint.rendercheck import BUDGET, Outcome, RenderRun, render_run
from vtlgw.lint.rule import RuleDoc, TemplateRule
from vtlgw.lint.tree import facts, span
from vtlgw.lint.units import looks_like_form_body
from vtlgw.vtl import nodes as n
from vtlgw.vtl.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from vtlgw.apigw.jsoncheck import JsonProblem
    from vtlgw.lint.units import TemplateUnit


def _renders(unit: "TemplateUnit") -> bool:
    return unit.tree is not None and unit.syntax_error is None and unit.json_output


def _is_lambda_request(unit: "TemplateUnit") -> bool:
    integration = unit.integration
    return unit.kind == "request" and integration is not None and integration.is_lambda


def _is_mock_request(unit: "TemplateUnit") -> bool:
    integration = unit.integration
    return unit.kind == "request" and integration is not None and integration.is_mock


def _not_json(run: RenderRun):
    """Output that is not JSON for a reason other than a dangling comma."""
    def failing(text: str) -> bool:
        problem = run.problem(text)
        return problem is not None and problem.comma is None
    return failing


def _dangling(run: RenderRun):
    def failing(text: str) -> bool:
        problem = run.problem(text)
        return problem is not None and problem.comma is not None
    return failing


def _culprit(unit: "TemplateUnit", run: RenderRun, outcome: Outcome, problem: "JsonProblem",
             offset: int | None) -> tuple[int, int, str, bool]:
    """Where to point and what to add: the reference that printed the bad value (or nothing), else the text."""
    if offset is None:
        return 0, 0, "", False
    printed = [p.output.ref for p in facts(unit.tree or []).printed]
    for ref in printed:
        start, end = span(ref)
        if start == offset:
            return start, end, f"; {ref.source or '$' + ref.name} printed a value that is not JSON here", False
    if problem.message.startswith("Expecting value"):
        for ref in printed:
            start, end = span(ref)
            if end <= offset and not unit.text[end:offset].strip():
                shown = ref.source or "$" + ref.name
                return start, end, (f"; {shown} printed nothing (no such value in this sample): print it with "
                                    "$input.json(...), which writes \"\" for a missing value, or guard it with #if"), True
    return offset, offset + 1, "", False


def _notes(run: RenderRun, outcome: Outcome, problem: "JsonProblem") -> tuple[str, ...]:
    return (f"sample: {outcome.sample.label}",) + tuple(f"output: {line}" for line in problem.excerpt)


def _findings(unit: "TemplateUnit", failing: Callable[[str], bool]) -> Iterator[tuple[Outcome, Any]]:
    """The failing outcomes the template's structure causes, each with its JSON problem.

    A failure the sample's plain-string twin does not share comes from data and is skipped; where the twin
    fails too, the twin's render is the one reported (its failure is the structural one). A built-in sample
    that fails only because a value it lacks printed nothing is data as well (a missing field).
    """
    run = render_run(unit)
    for outcome in run.failures(lambda text: run.problem(text) is not None):
        twin = outcome.sample.benign
        if twin is not None:
            text = run.render(twin, outcome.forced)
            if text is None:
                continue
            outcome = Outcome(twin, outcome.forced, text)  # the hostile strings' own failures are data
        if not failing(outcome.text):
            continue
        problem = run.problem(outcome.text)
        assert problem is not None
        yield outcome, problem


def _json_findings(rule: type, unit: "TemplateUnit", consequence: str) -> Iterator[Diagnostic]:
    run = render_run(unit)
    for outcome, problem in _findings(unit, _not_json(run)):
        offset = run.source_offset(outcome, problem.pos)
        start, end, why, missing = _culprit(unit, run, outcome, problem, offset)
        if missing and outcome.sample.request is None:
            continue  # a field a built-in sample lacks: data, not the template's structure
        form = "; the template writes a form body (a=b&c=d), not JSON" if looks_like_form_body(outcome.text) else ""
        message = f"output is not JSON {run.describe(outcome)}: {problem.summary()}{why}{form}; {consequence}"
        yield unit.diagnostic(rule, start, end if end > start else None, message=message,
                              notes=_notes(run, outcome, problem))
        return  # one finding per template: the simplest failing combination (fixing it shows the next)


@register
class OutputNotJsonRule(TemplateRule):
    doc = RuleDoc(
        code="VTL201",
        name="output-not-json",
        severity=Severity.ERROR,
        message="make the template write valid JSON for every input and branch",
        what="A template meant to write JSON (a JSON integration Content-Type, or a response keyed by a JSON "
             "type) whose output does not parse for some built-in sample, --request sample or forced #if "
             "branch. The finding names the sample, the branch forced, the JSON error with the output line, and "
             "the template line:col that wrote the failing character.",
        why="API Gateway does not check what a template writes: the backend (DynamoDB, Step Functions, an HTTP "
            "service) or the client receives the broken JSON, and an AWS service usually answers with a 400 "
            "that the default integration response passes on as a 200.",
        example='{\n  "orderId": "$input.params(\'id\'),\n  "total": $input.path(\'$.total\')\n}\n',
        fix="Balance quotes and brackets; write numbers with $input.json('$.total') (which writes \"\" when the "
            "value is missing) or guard optional values with #if; keep #foreach items inside [ ].",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if not _renders(unit) or _is_lambda_request(unit) or _is_mock_request(unit):
            return
        yield from _json_findings(type(self), unit, "the backend or client receives broken JSON")


@register
class DanglingCommaRule(TemplateRule):
    doc = RuleDoc(
        code="VTL202",
        name="dangling-comma",
        severity=Severity.WARNING,
        message="emit the comma only between items: #if($foreach.hasNext),#end, or put optional fields first",
        what="A comma right before a closing ] or }: written by the last #foreach iteration, or left when an "
             "#if after it was skipped. Found by rendering (the output has ,] or ,}) and in the tree (a loop "
             "body ending in a comma that no #if($foreach.hasNext) guards, before a ] or }).",
        why="JSON allows no trailing comma: it is the most common reason a template's output is not JSON, and "
            "it appears only for some inputs, so a test with one sample rarely shows it.",
        example='{"items": [\n#foreach($i in $input.path(\'$.items\'))\n  {"sku": "$i.sku"},\n#end\n]}\n',
        fix="Write the comma as #if($foreach.hasNext),#end, or emit optional fields before a field that is "
            "always present.",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if not _renders(unit) or _is_mock_request(unit):
            return
        run = render_run(unit)
        reported: set[int] = set()
        for outcome, problem in _findings(unit, _dangling(run)):
            assert problem.comma is not None
            offset = run.source_offset(outcome, problem.comma)
            if offset is None or offset in reported:
                continue
            reported.add(offset)
            yield unit.diagnostic(type(self), offset, offset + 1,
                                  message=f"dangling comma {run.describe(outcome)}: the output has a comma right "
                                          f"before a closing bracket ({problem.summary()}); "
                                          "write it as #if($foreach.hasNext),#end",
                                  notes=_notes(run, outcome, problem))
        for offset in _unguarded_loop_commas(unit.tree or []):
            if offset not in reported:
                reported.add(offset)
                yield unit.diagnostic(type(self), offset, offset + 1,
                                      message="the last #foreach iteration writes this comma before a closing "
                                              "bracket; write it as #if($foreach.hasNext),#end")


def _statement_lists(tree: list) -> Iterator[list]:
    yield tree
    for node in n.walk(tree):
        if isinstance(node, n.Foreach):
            yield node.body
        elif isinstance(node, n.If):
            for _, body in node.branches:
                yield body
            if node.otherwise is not None:
                yield node.otherwise
        elif isinstance(node, n.Define):
            yield node.body


def _unguarded_loop_commas(tree: list) -> Iterator[int]:
    """Offsets of a comma ending a #foreach body, where the loop is followed by ``]`` or ``}``."""
    tree_facts = facts(tree)
    for stmts in _statement_lists(tree):
        for i, stmt in enumerate(stmts):
            if not isinstance(stmt, n.Foreach) or not tree_facts.is_printed(stmt):
                continue
            body = [s for s in stmt.body if not (isinstance(s, n.Text) and not s.text.strip())]
            if not body or not isinstance(body[-1], n.Text):
                continue
            last = body[-1]
            content = last.text.rstrip()
            if not content.endswith(","):
                continue
            following = next((s for s in stmts[i + 1:] if not (isinstance(s, n.Text) and not s.text.strip())),
                             None)
            if isinstance(following, n.Text) and following.text.lstrip()[:1] in ("]", "}"):
                yield last.source_offset(len(content) - 1)


@register
class LambdaRequestNotJsonRule(TemplateRule):
    doc = RuleDoc(
        code="VTL203",
        name="lambda-request-not-json",
        severity=Severity.ERROR,
        message="make the Lambda request template write JSON: Lambda takes only a JSON payload",
        what="The request template of a Lambda custom (non-proxy) integration whose output does not parse as "
             "JSON for some sample or forced branch (a form body, an unbalanced quote, a missing value).",
        why="API Gateway parses the payload before it invokes the function: the client gets 400 \"Could not "
            "parse request body into json\" and the function is never called.",
        example="q=$util.urlEncode($input.params('q'))&limit=20\n",
        fix="Write a JSON object: {\"q\": \"$util.escapeJavaScript($input.params('q')).replaceAll(\"\\\\'\",\"'\")\", "
            "\"limit\": 20}.",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if not _renders(unit) or not _is_lambda_request(unit):
            return
        yield from _json_findings(type(self), unit, "API Gateway answers 400 \"Could not parse request body into "
                                                    "json\" and the function is never called")


@register
class MockStatusCodeRule(TemplateRule):
    doc = RuleDoc(
        code="VTL204",
        name="mock-status-code",
        severity=Severity.ERROR,
        message='make the MOCK request template write {"statusCode": 200} (an integer)',
        what="A MOCK integration's request template that writes no integer statusCode for some sample or "
             "forced branch (a misspelt key, a status that is not a number, an #if with no #else).",
        why="A MOCK integration takes its status from the request template's statusCode; without one API "
            "Gateway answers 500 \"Unable to parse statusCode. It should be an integer that is defined in the "
            "request template.\"",
        example='{"status": 200}\n',
        fix='Write {"statusCode": 200}; a chosen status needs a value on every branch (an #else).',
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if not _renders(unit) or not _is_mock_request(unit):
            return
        from vtlgw.apigw.pipeline.lenient import mock_status_code

        run = render_run(unit)

        def failing(text: str) -> bool:
            return mock_status_code(text) is None

        for outcome in run.failures(failing):
            if not run.structural(outcome, failing):
                continue
            at = unit.text.find("statusCode")
            start = at if at >= 0 else 0
            shown = outcome.text.strip().replace("\n", " ")
            yield unit.diagnostic(type(self), start, start + (10 if at >= 0 else 0) or None,
                                  message=f"no integer statusCode {run.describe(outcome)}: the template wrote "
                                          f"{shown[:80]!r}; API Gateway answers 500 \"Unable to parse statusCode\"")
            return  # one finding per template: the first combination that shows it


@register
class RenderCoverageRule(TemplateRule):
    doc = RuleDoc(
        code="VTL205",
        name="render-coverage-truncated",
        severity=Severity.INFO,
        message=f"only {BUDGET} sample and branch combinations were rendered; split the template to check it all",
        what=f"A template with so many #if branches that rendering every sample with every branch forced "
             f"takes more than {BUDGET} renders: the rendered-output rules checked the first {BUDGET}.",
        why="A defect in a branch past the budget goes unreported; nothing is wrong with the template itself.",
        example="(fifty optional fields, each in its own #if)\n",
        fix="Nothing is required. To check every branch, move repeated fields into a #foreach over a list, or "
            "split the method.",
    )

    def check(self, unit: "TemplateUnit") -> Iterator[Diagnostic]:
        if not _renders(unit):
            return
        run = render_run(unit)
        if run.truncated:
            yield unit.diagnostic(type(self), 0, None,
                                  message=f"rendered {BUDGET} of {run.planned} sample and branch combinations; "
                                          "the rest were not checked for valid JSON")

