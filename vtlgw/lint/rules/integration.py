"""Integration configuration rules (VTL3xx): selection patterns, responses, parameter mappings, templates.

Each rule reads the loaded definition model and judges it with the modules the
pipeline itself runs: selection patterns through the Java regex engine and
whole-string matching (as ``select_response`` does), mapping expressions
through the pipeline's source reader, forbidden and remapped headers from the
pipeline's own sets. What the linter says can never be selected is therefore
what ``vtlgw invoke`` would not select either.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Iterator

from vtlgw.apigw.definition import Source
from vtlgw.apigw.http.headers import REMAPPED_HEADERS
from vtlgw.apigw.pipeline.params import (
    FORBIDDEN_AWS_HEADERS,
    FORBIDDEN_HEADERS,
    BadRequestBody,
    IntegrationResponseView,
    MappingError,
    SourceReader,
    map_request_parameters,
    map_response_parameters,
)
from vtlgw.lint.registry import register
from vtlgw.lint.rule import DefinitionRule, RuleDoc
from vtlgw.vtl.diagnostics import Diagnostic, Fix, Severity

from . import _patterns as P

if TYPE_CHECKING:
    from vtlgw.apigw.definition import Integration, IntegrationResponse, MappingTemplate, Method
    from vtlgw.apigw.errors import InputFileError
    from vtlgw.lint.units import DefinitionUnit


def _status_list(codes: list[str], limit: int = 6) -> str:
    """``100-199, 300, 301`` style, for messages about enumerated codes."""
    numbers = sorted(int(c) for c in codes)
    runs: list[tuple[int, int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    parts = [f"{a}" if a == b else f"{a}-{b}" for a, b in runs]
    return ", ".join(parts[:limit]) + (", ..." if len(parts) > limit else "")


def _pattern_diagnostic(unit: "DefinitionUnit", rule: type, response: "IntegrationResponse",
                        message: str) -> Diagnostic:
    """A finding on a selection pattern: at the OpenAPI response key, or at the SelectionPattern value."""
    source = response.where("selection_pattern")
    made = unit.diagnostic(rule, source, message)
    if _is_keyed_by_pattern(response):
        return P.at_key(made, source, response.selection_pattern)
    return made


def _token(text: str) -> str:
    return "/" + text.replace("~", "~0").replace("/", "~1")


def _is_keyed_by_pattern(response: "IntegrationResponse") -> bool:
    """OpenAPI's ``responses`` are keyed by the selection pattern itself."""
    source = response.where("selection_pattern")
    return source is not None and response.selection_pattern is not None \
        and source.pointer.endswith(_token(response.selection_pattern))


def _custom(integration: "Integration") -> bool:
    """Non-proxy integrations: the ones whose integration responses API Gateway selects among."""
    return bool(integration.type) and not integration.is_proxy


def _with_patterns(unit: "DefinitionUnit") -> Iterator[tuple["Method", "Integration", "IntegrationResponse"]]:
    for method, integration in P.rest_integrations(unit.definition):
        if _custom(integration):
            for response in P.patterned(integration.integration_responses):
                yield method, integration, response


# ============================================================================ selection patterns


@register
class InvalidSelectionPattern(DefinitionRule):
    doc = RuleDoc(
        code="VTL301",
        name="invalid-selection-pattern",
        severity=Severity.ERROR,
        message="write selectionPattern as a valid Java regular expression",
        what="A selectionPattern that java.util.regex cannot compile (an unclosed group or class, a dangling "
             "'*', an unknown escape...). The message gives Java's error and its position.",
        why="API Gateway compiles selection patterns when the API is deployed and refuses the deployment.",
        example="selectionPattern: '*Invalid*'",
        fix="Write a Java regex: selectionPattern: '.*Invalid.*'",
    )

    @classmethod
    def claims(cls, problem: "InputFileError") -> bool:
        """The loader's own report of a pattern that does not compile is this rule's finding."""
        return _invalid_pattern_of(problem) is not None

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for problem in unit.definition.problems:
            found = _invalid_pattern_of(problem)
            if found is None:
                continue
            pattern, source, keyed, error = found
            message, index = P.regex_error_text(error)
            made = unit.diagnostic(type(self), source, f"selectionPattern {pattern!r} is not a valid Java "
                                                       f"regex: {message}")
            if keyed:
                yield P.at_key(made, source, pattern, index)
            elif index is not None:
                yield P.at_offset(made, source, pattern, index, index + 1)
            else:
                yield made
        for _, _, response in _with_patterns(unit):  # in case a lenient load kept one
            error = P.compile_error(response.selection_pattern or "")
            if error is not None:
                message, _ = P.regex_error_text(error)
                yield _pattern_diagnostic(unit, type(self), response,
                                          f"selectionPattern {response.selection_pattern!r} is not a valid Java "
                                          f"regex: {message}")


_PATTERN_KEYS = ("selectionPattern", "SelectionPattern")


def _invalid_pattern_of(problem: "InputFileError") -> tuple[str, Source, bool, Any] | None:
    """(pattern, its source, keyed by the pattern?, Java error) when ``problem`` is about an invalid pattern."""
    if not problem.file or problem.pointer is None or "regex" not in problem.message:
        return None
    doc = P.raw_document(problem.file)
    if doc is None:
        return None
    tokens = P.pointer_tokens(problem.pointer)
    value = P.value_at(doc.data, problem.pointer)
    keyed = False
    if tokens and tokens[-1] in _PATTERN_KEYS and isinstance(value, str):
        pattern = value
    elif len(tokens) >= 2 and tokens[-2] == "responses" and isinstance(value, dict):
        pattern, keyed = tokens[-1], True
    else:
        return None
    error = P.compile_error(pattern)
    if error is None:
        return None
    return pattern, Source(doc.name, problem.pointer, doc.positions), keyed, error


@register
class WholeStringLambdaPattern(DefinitionRule):
    doc = RuleDoc(
        code="VTL302",
        name="lambda-pattern-whole-string",
        severity=Severity.WARNING,
        message="match the whole errorMessage: wrap the text in .* (.*Invalid.*)",
        what="A Lambda selectionPattern that is a plain word or phrase ('Invalid', 'Not Found'), or a glob "
             "such as 'Invalid*', which as a regex means 'Invali' followed by any number of 'd'.",
        why="API Gateway matches the pattern against the whole errorMessage (Java's matches(), not find()), "
            "so 'Invalid' selects only a message that is exactly 'Invalid'; real messages carry more text.",
        example="selectionPattern: 'Not Found'",
        fix="selectionPattern: '.*Not Found.*'",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for _, integration, response in _with_patterns(unit):
            if not P.is_lambda_like(integration):
                continue
            pattern = response.selection_pattern or ""
            compiled = P.compiled(pattern)
            if compiled is None or P.codes_matched(pattern):
                continue  # invalid (VTL301) or status-code-like (VTL304)
            glob = _glob_word(pattern)
            if glob is not None:
                yield _pattern_diagnostic(
                    unit, type(self), response,
                    f"Lambda pattern {pattern!r} is read as a regex ({glob[:-1]!r} then any number of "
                    f"{glob[-1]!r}), not as a glob: use '.*{glob}.*'")
            elif compiled.literal is not None:
                yield _pattern_diagnostic(
                    unit, type(self), response,
                    f"Lambda pattern {pattern!r} matches only the exact message {compiled.literal!r} (matching "
                    f"is whole-string): use '.*{pattern}.*'")


_GLOB = re.compile(r"\A\*?([A-Za-z0-9][A-Za-z0-9 _:\-]*[A-Za-z0-9])\*\Z")


def _glob_word(pattern: str) -> str | None:
    """The word of a glob-like pattern (``Invalid*`` -> ``Invalid``); None otherwise."""
    found = _GLOB.match(pattern)
    return found.group(1) if found else None


@register
class UnmatchableStatusPattern(DefinitionRule):
    doc = RuleDoc(
        code="VTL303",
        name="status-pattern-matches-no-code",
        severity=Severity.WARNING,
        message="write a pattern over the three-digit status code (4\\d{2}, 404, 5\\d{2})",
        what="An HTTP, AWS-service or MOCK selectionPattern that matches none of the status codes 100 to 599 "
             "('40', '4\\d', '.*error.*'). Every code is tried with the Java regex engine.",
        why="For these integrations API Gateway matches the pattern against the backend's HTTP status code "
            "as a string, never against the body or an error message, so this response can never be selected.",
        example="selectionPattern: '.*NotFound.*'",
        fix="selectionPattern: '404'",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for _, integration, response in _with_patterns(unit):
            pattern = response.selection_pattern or ""
            if not P.is_status_matched(integration) or P.compiled(pattern) is None:
                continue
            if not P.codes_matched(pattern):
                yield _pattern_diagnostic(
                    unit, type(self), response,
                    f"selectionPattern {pattern!r} matches no status code from 100 to 599; {integration.type} "
                    "integrations match the pattern against the status code, so this response is never selected")


@register
class StatusCodeLambdaPattern(DefinitionRule):
    doc = RuleDoc(
        code="VTL304",
        name="lambda-pattern-is-status-code",
        severity=Severity.WARNING,
        message="match the Lambda errorMessage, not a status code (.*\\[NotFound\\].*)",
        what="A Lambda selectionPattern that looks like a status code ('400', '4\\d{2}', '2\\d{2}').",
        why="For a Lambda custom integration the pattern is matched against the function error's errorMessage "
            "(empty on success). The invoke itself always returns 200, so a status-code pattern never matches "
            "unless a function throws exactly '400'.",
        example="selectionPattern: '4\\d{2}'",
        fix="Throw an error whose message carries a marker, and match it: selectionPattern: '.*\\[BadRequest\\].*'",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for _, integration, response in _with_patterns(unit):
            if not P.is_lambda_like(integration):
                continue
            pattern = response.selection_pattern or ""
            if P.looks_like_status_code(pattern):
                yield _pattern_diagnostic(
                    unit, type(self), response,
                    f"Lambda pattern {pattern!r} looks like a status code, but it is matched against the "
                    "function's errorMessage (the invoke status is always 200)")


@register
class EmptyMatchingLambdaPattern(DefinitionRule):
    doc = RuleDoc(
        code="VTL305",
        name="lambda-pattern-matches-success",
        severity=Severity.WARNING,
        message="make the pattern require some error text (.+ or .*Error.*), or make this the default response",
        what="A Lambda selectionPattern on a non-default response that also matches the empty string "
             "('.*', '(\\n|.)*', 'Error.*|').",
        why="A successful Lambda invocation has an empty match value, so this response also catches every "
            "success: the docs say '.*' amounts to a default response.",
        example="selectionPattern: '.*'\nstatusCode: '500'",
        fix="selectionPattern: '.+' (or '(\\n|.)+'), or remove the pattern to make it the default",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for _, integration, response in _with_patterns(unit):
            pattern = response.selection_pattern or ""
            if P.is_lambda_like(integration) and P.matches(pattern, ""):
                yield _pattern_diagnostic(
                    unit, type(self), response,
                    f"Lambda pattern {pattern!r} matches the empty match value of every successful invocation, "
                    f"so successes get status {response.status_code}")


@register
class SingleLineLambdaPattern(DefinitionRule):
    doc = RuleDoc(
        code="VTL306",
        name="lambda-pattern-single-line",
        severity=Severity.INFO,
        message="let the pattern cross lines: (\\n|.)* instead of .*, or start it with (?s)",
        what="A Lambda selectionPattern that relies on '.' to span the message ('.+', '.*Invalid.*') without "
             "'(\\n|.)' or '(?s)'.",
        why="The pattern is matched without DOTALL, so '.' stops at a line break: an errorMessage with a "
            "newline (a stack trace, a pretty-printed JSON error) falls through to the default response.",
        example="selectionPattern: '.*Invalid.*'",
        fix="selectionPattern: '(\\n|.)*Invalid(\\n|.)*'",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for _, integration, response in _with_patterns(unit):
            pattern = response.selection_pattern or ""
            if not P.is_lambda_like(integration) or P.compiled(pattern) is None or P.matches(pattern, ""):
                continue
            if _DOT_REPEAT.search(_without_classes(pattern)) and not P.lines_of_message(pattern):
                yield _pattern_diagnostic(
                    unit, type(self), response,
                    f"Lambda pattern {pattern!r} does not match a multi-line errorMessage ('.' stops at a line "
                    "break): use (\\n|.)* or (?s)")


_DOT_REPEAT = re.compile(r"(?<!\\)\.[*+{]")
_CLASS = re.compile(r"(?<!\\)\[(?:\\.|[^\]\\])*\]")


def _without_classes(pattern: str) -> str:
    return _CLASS.sub("x", pattern)


@register
class OverlappingPatterns(DefinitionRule):
    doc = RuleDoc(
        code="VTL307",
        name="overlapping-selection-patterns",
        severity=Severity.WARNING,
        message="make the selection patterns exclusive, or rely on the order knowingly",
        what="Two non-default selection patterns of one integration that can match the same value: for HTTP, "
             "AWS and MOCK every status code is tried; for Lambda, realistic error messages and strings "
             "generated from each pattern.",
        why="API Gateway takes the first pattern that matches in definition order, so which response wins "
            "depends on how the definition lists them, and a later response may never be selected.",
        example="'4\\d{2}': {statusCode: '400'}\n'404': {statusCode: '404'}",
        fix="Exclude the overlap: '4(?!04)\\d{2}' and '404', or list the specific pattern first",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for _, integration in P.rest_integrations(unit.definition):
            if not _custom(integration):
                continue
            responses = [r for r in P.patterned(integration.integration_responses)
                         if P.compiled(r.selection_pattern or "") is not None]
            status = P.is_status_matched(integration)
            for index, later in enumerate(responses):
                for earlier in responses[:index]:
                    shared = _overlap(earlier.selection_pattern or "", later.selection_pattern or "", status)
                    if shared is None:
                        continue
                    where = earlier.where("selection_pattern")
                    line = where.key_line or where.line if where is not None else None
                    at = f" (line {line})" if line else ""
                    yield _pattern_diagnostic(
                        unit, type(self), later,
                        f"selectionPattern {later.selection_pattern!r} and {earlier.selection_pattern!r}{at} both "
                        f"match {shared}; the first in definition order wins, so status {later.status_code} is "
                        "not selected for it")
                    break


def _overlap(first: str, second: str, status: bool) -> str | None:
    """Values both patterns match, described, unless ``second`` is a fallback covering all of ``first``.

    Listing a specific pattern before a broader one (``404`` then ``4\\d{2}``,
    ``.*NotFound.*`` then ``(\\n|.)+``) is the deliberate way to order them,
    so only an earlier pattern that takes part of what a later one means is reported.
    """
    if status:
        a, b = P.codes_matched(first), P.codes_matched(second)
        shared = sorted(a & b)
        return f"status {_status_list(shared)}" if shared and not a <= b else None
    values = (*P.SAMPLE_MESSAGES, *P.examples(first), *P.examples(second))
    both = [v for v in values if P.matches(first, v) and P.matches(second, v)]
    if not both or all(P.matches(second, v) for v in values if P.matches(first, v)):
        return None
    return f"the message {both[0]!r}"


# ============================================================================ responses


@register
class UndeclaredResponseStatus(DefinitionRule):
    doc = RuleDoc(
        code="VTL308",
        name="integration-response-without-method-response",
        severity=Severity.ERROR,
        message="declare a method response for this status code (or fix the statusCode)",
        what="An integration response whose statusCode has no method response on the method.",
        why="API Gateway lets you create it, but selecting it fails every time: 500 'Output mapping refers to "
            "an invalid method response'.",
        example="responses:\n  '200': {description: ok}\nx-amazon-apigateway-integration:\n  responses:\n"
                "    default: {statusCode: '201'}",
        fix="Add the method response ('201': {description: created}) or use a declared status.",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for method, integration in P.rest_integrations(unit.definition):
            if not _custom(integration):
                continue
            for response in integration.integration_responses:
                if response.status_code not in method.method_responses:
                    declared = ", ".join(method.method_responses) or "none"
                    yield unit.diagnostic(
                        type(self), response.where("status_code"),
                        f"integration response status {response.status_code} has no method response on "
                        f"{method.http_method} {method.resource_path} (declared: {declared}); selecting it "
                        "gives 500")


@register
class NoDefaultResponse(DefinitionRule):
    doc = RuleDoc(
        code="VTL309",
        name="no-default-integration-response",
        severity=Severity.ERROR,
        message="add a default integration response (one without a selectionPattern)",
        what="An integration without a default response while some match value reaches no pattern: a status "
             "code from 100 to 599 for HTTP and AWS-service integrations, one the MOCK template emits, and for "
             "Lambda always, unless a pattern matches the empty value of a successful call.",
        why="A value no pattern matches falls to the default response; without one API Gateway answers 500 "
            "'No match for output mapping and no default output mapping configured'.",
        example="responses:\n  '4\\d{2}': {statusCode: '400'}",
        fix="responses:\n  default: {statusCode: '200'}\n  '4\\d{2}': {statusCode: '400'}",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for method, integration in P.rest_integrations(unit.definition):
            if not _custom(integration) or integration.default_responses:
                continue
            patterns = [r.selection_pattern or "" for r in integration.integration_responses]
            uncovered = self.uncovered(integration, patterns)
            if uncovered is None:
                continue
            yield P.finding(
                unit, type(self), integration.source,
                f"{method.http_method} {method.resource_path} has no default integration response and no "
                f"selectionPattern matches {uncovered}: API Gateway answers 500")

    @staticmethod
    def uncovered(integration: "Integration", patterns: list[str]) -> str | None:
        def covered(value: str) -> bool:
            return any(P.matches(p, value) for p in patterns)

        if P.is_lambda_like(integration):
            return None if covered("") else "a successful invocation (empty match value)"
        if integration.is_mock:
            codes = P.mock_status_codes(integration)
            if codes is None:
                return None  # the status is computed: cannot tell offline
            if not codes:
                return None if integration.request_templates else "the passthrough call (no template)"
            missing = [c for c in codes if not covered(c)]
            return f"status {_status_list(missing)}" if missing else None
        missing = [c for c in P.STATUS_CODES if not covered(c)]
        return f"status {_status_list(missing)}" if missing else None


@register
class SeveralDefaultResponses(DefinitionRule):
    doc = RuleDoc(
        code="VTL310",
        name="several-default-responses",
        severity=Severity.ERROR,
        message="keep one default integration response; give the others a selectionPattern",
        what="More than one integration response without a selectionPattern.",
        why="Each of them claims to be the fallback; which one API Gateway uses is not defined by the "
            "definition, and the others are dead.",
        example="IntegrationResponses:\n  - StatusCode: 200\n  - StatusCode: 400",
        fix="IntegrationResponses:\n  - StatusCode: 200\n  - StatusCode: 400\n    SelectionPattern: '4\\d{2}'",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for method, integration in P.rest_integrations(unit.definition):
            defaults = integration.default_responses
            if not _custom(integration) or len(defaults) < 2:
                continue
            first = defaults[0]
            for extra in defaults[1:]:
                yield unit.diagnostic(
                    type(self), extra.source,
                    f"integration response {extra.status_code} is a second default (no selectionPattern); "
                    f"{first.status_code} is already the default of {method.http_method} {method.resource_path}")


# ============================================================================ parameter mappings

_RESPONSE_HEADER = "method.response.header."


@register
class UndeclaredResponseHeader(DefinitionRule):
    doc = RuleDoc(
        code="VTL311",
        name="response-header-not-declared",
        severity=Severity.ERROR,
        message="declare the header on the method response of this status",
        what="A responseParameters key method.response.header.<Name> whose header the method response of "
             "that status does not declare.",
        why="The deployment fails with 'Invalid mapping expression specified'.",
        example="responseParameters:\n  method.response.header.X-Request-Id: context.requestId\n"
                "# and the method response declares no X-Request-Id header",
        fix="Declare it: responses: {'200': {headers: {X-Request-Id: {schema: {type: string}}}}}",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for method, integration in P.rest_integrations(unit.definition):
            if not _custom(integration):
                continue
            for response in integration.integration_responses:
                declared = method.method_responses.get(response.status_code)
                if declared is None:
                    continue  # VTL308
                names = declared.header_names
                for target in response.response_parameters:
                    if not target.startswith(_RESPONSE_HEADER):
                        continue
                    name = target[len(_RESPONSE_HEADER):]
                    if name in names:
                        continue
                    hint = P.did_you_mean(name, names)
                    extra = f" (did you mean {hint}?)" if hint else ""
                    source = response.where(f"response_parameters.{target}")
                    yield P.at_key(unit.diagnostic(
                        type(self), source,
                        f"{target} is not declared on method response {response.status_code}{extra}: "
                        "'Invalid mapping expression specified' at deploy"), source, target)


_LITERAL_LIKE = re.compile(r"\A[\w.+\-]+/[\w.+\-*]+\Z|\A\*\Z|\A[\w\-]+\Z")


def _empty_reader(declared: set[str] | None = None) -> SourceReader:
    from vtlgw.apigw.request import MethodRequest

    return SourceReader(MethodRequest(), {}, {}, declared=declared, response=IntegrationResponseView({}, ""))


def _mapping_problem(target: str, expression: str, *, response: bool) -> str | None:
    """Why API Gateway rejects ``target: expression``, or None; evaluated by the pipeline's own reader."""
    stripped = expression.strip()
    for prefix in ("method.request.body.", "integration.response.body."):
        if stripped.startswith(prefix + "$"):
            return f"a body path starts after '$.': write {prefix}{stripped[len(prefix):].lstrip('$').lstrip('.')}"
    reader = _empty_reader()
    try:
        if response:
            map_response_parameters({target: expression}, reader)
        else:
            map_request_parameters({target: expression}, reader, aws=False)
    except MappingError as exc:
        detail = str(exc)
        if _LITERAL_LIKE.match(stripped) and "source" in detail:
            return f"{stripped!r} reads as a mapping source, not a value: quote a static value as '{stripped}'"
        return detail
    except BadRequestBody:
        return None
    except Exception:  # noqa: BLE001 - a forbidden header: VTL315's finding
        return None
    return None


@register
class MalformedMapping(DefinitionRule):
    doc = RuleDoc(
        code="VTL312",
        name="malformed-mapping-expression",
        severity=Severity.ERROR,
        message="quote static values ('application/json') and use a valid source and target",
        what="A requestParameters or responseParameters entry API Gateway cannot read: an unquoted static "
             "value, an unknown source, '$.' at the start of a body path, a wrong target prefix.",
        why="The deployment fails with 'Invalid mapping expression specified'.",
        example="integration.request.header.Content-Type: application/json",
        fix="integration.request.header.Content-Type: \"'application/json'\"",
        fixable=True,
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for _, integration in P.rest_integrations(unit.definition):
            if not integration.type:
                continue
            for target, expression in integration.request_parameters.items():
                yield from self._one(unit, integration, target, expression, response=False)
            for response in integration.integration_responses:
                for target, expression in response.response_parameters.items():
                    yield from self._one(unit, response, target, expression, response=True)

    def _one(self, unit: "DefinitionUnit", owner: Any, target: str, expression: str, *,
             response: bool) -> Iterator[Diagnostic]:
        problem = _mapping_problem(target, expression, response=response)
        if problem is None:
            return
        kind = "responseParameters" if response else "requestParameters"
        source = owner.where(f"{'response' if response else 'request'}_parameters.{target}")
        made = unit.diagnostic(type(self), source, f"{kind} {target}: {problem}",
                               fix=_quote_fix(unit, source, expression) if "quote a static value" in problem
                               else None)
        if problem.endswith(": " + target):  # the target is wrong: point at the key
            made = P.at_key(made, source, target)
        yield made


def _quote_fix(unit: "DefinitionUnit", source: Any, expression: str) -> Fix | None:
    """Write the value as the quoted static value ``"'application/json'"`` (valid in YAML and JSON alike)."""
    import json

    if source is None or source.position is None:
        return None
    pos = source.position
    line = unit.file_line(pos.line)
    if line is None or pos.end_line != pos.line or not pos.end_column:
        return None
    written = line[pos.column - 1:pos.end_column - 1]
    if _scalar_value(written) != expression:
        return None  # not the plain one-line value it seems: leave it for a hand edit
    edit = unit.edit(source, json.dumps(f"'{expression.strip()}'", ensure_ascii=False), written)
    return Fix(f"quote the static value as '{expression.strip()}'", (edit,)) if edit else None


def _scalar_value(written: str) -> Any:
    """What a one-line YAML or JSON scalar as written in the file reads as (None when it is not one)."""
    import yaml

    try:
        return yaml.safe_load(written)
    except yaml.YAMLError:
        return None


_DECLARABLE = re.compile(r"\Amethod\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.")


@register
class UndeclaredRequestParameter(DefinitionRule):
    doc = RuleDoc(
        code="VTL313",
        name="request-parameter-not-declared",
        severity=Severity.ERROR,
        message="declare the method request parameter this mapping reads",
        what="A requestParameters source method.request.<location>.<name> that the method does not declare "
             "(OpenAPI 'parameters', CloudFormation RequestParameters).",
        why="API Gateway refuses the deployment: a mapping may only read declared method request parameters.",
        example="integration.request.path.id: method.request.path.orderId   # the path is /orders/{id}",
        fix="integration.request.path.id: method.request.path.id",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for method, integration in P.rest_integrations(unit.definition):
            declared = set(method.request_parameters)
            for target, expression in integration.request_parameters.items():
                stripped = expression.strip()
                if not _DECLARABLE.match(stripped) or _mapping_problem(target, expression, response=False):
                    continue
                try:
                    map_request_parameters({target: expression}, _empty_reader(declared), aws=False)
                except MappingError:
                    pass
                except Exception:  # noqa: BLE001 - forbidden header (VTL315)
                    continue
                else:
                    continue
                location = stripped.split(".")[2].replace("multivalue", "")
                names = [k for k in declared if k.split(".")[2:3] == [location]]
                hint = P.did_you_mean(stripped, names)
                extra = f" (did you mean {hint}?)" if hint else ""
                yield unit.diagnostic(
                    type(self), integration.where(f"request_parameters.{target}"),
                    f"{stripped} is not declared on {method.http_method} {method.resource_path}{extra}")


_URI_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def _without_substitutions(uri: str) -> str:
    """The URI without its ``${...}`` parts (stage variables, rendered intrinsics, which may nest braces)."""
    out: list[str] = []
    index = 0
    while index < len(uri):
        if uri.startswith("${", index):
            depth, index = 1, index + 2
            while index < len(uri) and depth:
                depth += {"{": 1, "}": -1}.get(uri[index], 0)
                index += 1
            continue
        out.append(uri[index])
        index += 1
    return "".join(out)
_PATH_TARGET = "integration.request.path."


@register
class UriPathMismatch(DefinitionRule):
    doc = RuleDoc(
        code="VTL314",
        name="uri-path-parameter-unmapped",
        severity=Severity.ERROR,
        message="map every {name} of the integration URI with integration.request.path.<name>, and only those",
        what="A {name} placeholder in the integration URI without an integration.request.path.<name> mapping, "
             "or a path mapping whose name the URI does not contain.",
        why="API Gateway fills URI placeholders only from path mappings: the backend gets a broken URL "
            "(the literal '{id}'), or the mapping goes nowhere.",
        example="uri: https://api.example.com/orders/{id}\n# no requestParameters",
        fix="requestParameters:\n  integration.request.path.id: method.request.path.id",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for method, integration in P.rest_integrations(unit.definition):
            uri = integration.uri or ""
            if integration.type not in ("HTTP", "HTTP_PROXY", "AWS") or not uri or P.is_lambda_like(integration):
                continue
            placeholders = [m.group(1) for m in _URI_PLACEHOLDER.finditer(_without_substitutions(uri))]
            mapped = {t[len(_PATH_TARGET):]: t for t in integration.request_parameters if t.startswith(_PATH_TARGET)}
            for name in placeholders:
                if name not in mapped:
                    yield unit.diagnostic(
                        type(self), integration.where("uri"),
                        f"the integration URI has {{{name}}} but no {_PATH_TARGET}{name} mapping: the backend gets "
                        f"a URL with a literal {{{name}}}")
            for name, target in mapped.items():
                if name not in placeholders:
                    source = integration.where(f"request_parameters.{target}")
                    yield P.at_key(unit.diagnostic(
                        type(self), source,
                        f"{target} is mapped but the integration URI has no {{{name}}} placeholder"), source, target)


@register
class ForbiddenRequestHeader(DefinitionRule):
    doc = RuleDoc(
        code="VTL315",
        name="forbidden-integration-header",
        severity=Severity.ERROR,
        message="do not map this header; API Gateway sets it itself",
        what="An integration request header mapping of Content-Length or Transfer-Encoding, and for AWS "
             "integrations also Authorization, Connection, Expect, Proxy-Authenticate or TE.",
        why="Every call fails with 500 'Invalid mapping expression specified' (recorded on AWS).",
        example="integration.request.header.Content-Length: method.request.header.Content-Length",
        fix="Remove the mapping; API Gateway computes the length of the integration request itself.",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        prefix = "integration.request.header."
        for _, integration in P.rest_integrations(unit.definition):
            forbidden = FORBIDDEN_AWS_HEADERS if integration.type == "AWS" else FORBIDDEN_HEADERS
            for target in integration.request_parameters:
                if target.startswith(prefix) and target[len(prefix):].lower() in forbidden:
                    source = integration.where(f"request_parameters.{target}")
                    yield P.at_key(unit.diagnostic(
                        type(self), source,
                        f"mapping the {target[len(prefix):]} header fails every call of this "
                        f"{integration.type} integration with 500"), source, target)


# ============================================================================ templates and passthrough


def _bare(key: str) -> str:
    return key.strip().lower()


def _has_json(templates: list["MappingTemplate"]) -> bool:
    return any(_bare(t.content_type) == "application/json" for t in templates)


@register
class NeverWithoutTemplates(DefinitionRule):
    doc = RuleDoc(
        code="VTL316",
        name="never-passthrough-without-templates",
        severity=Severity.ERROR,
        message="add a request template, or use passthroughBehavior WHEN_NO_MATCH",
        what="passthroughBehavior NEVER on an integration with no request templates.",
        why="NEVER rejects every request whose Content-Type has no template; with no templates at all every "
            "request gets 415 Unsupported Media Type and the backend is never called.",
        example="passthroughBehavior: NEVER\n# no requestTemplates",
        fix="requestTemplates:\n  application/json: '$input.json(\"$\")'",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for method, integration in P.rest_integrations(unit.definition):
            if _custom(integration) and integration.passthrough_behavior == "NEVER" \
                    and not integration.request_templates:
                yield unit.diagnostic(
                    type(self), integration.where("passthrough_behavior"),
                    f"passthroughBehavior NEVER without request templates: every request to {method.http_method} "
                    f"{method.resource_path} gets 415")


@register
class NoJsonTemplateForStrictPassthrough(DefinitionRule):
    doc = RuleDoc(
        code="VTL317",
        name="strict-passthrough-without-json-template",
        severity=Severity.WARNING,
        message="add an application/json request template",
        what="passthroughBehavior WHEN_NO_TEMPLATES or NEVER with request templates, none of them for "
             "application/json.",
        why="A request without a Content-Type header is treated as application/json; with no such template "
            "these behaviours reject it with 415.",
        example="passthroughBehavior: WHEN_NO_TEMPLATES\nrequestTemplates:\n  application/xml: ...",
        fix="Add requestTemplates: {application/json: ...}",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for _, integration in P.rest_integrations(unit.definition):
            if _custom(integration) and integration.passthrough_behavior in ("WHEN_NO_TEMPLATES", "NEVER") \
                    and integration.request_templates and not _has_json(integration.request_templates):
                keys = ", ".join(t.content_type for t in integration.request_templates)
                yield P.finding(
                    unit, type(self), integration.where("request_templates"),
                    f"passthroughBehavior {integration.passthrough_behavior} with templates for {keys} only: "
                    "a request without Content-Type (read as application/json) gets 415")


def _all_template_sets(unit: "DefinitionUnit") -> Iterator[tuple[str, str, list["MappingTemplate"]]]:
    """(kind, of what, templates) for every template table: request, response, gateway response."""
    for method, integration in P.rest_integrations(unit.definition):
        if integration.is_proxy:
            continue
        name = f"{method.http_method} {method.resource_path}"
        yield "request", name, integration.request_templates
        for response in integration.integration_responses:
            yield "response", f"{name} ({response.status_code})", response.response_templates
    for kind, gateway in unit.definition.gateway_responses.items():
        yield "gateway response", kind, gateway.response_templates


@register
class UnselectableTemplateKey(DefinitionRule):
    doc = RuleDoc(
        code="VTL318",
        name="unselectable-template-key",
        severity=Severity.WARNING,
        message="key the template by the bare media type (application/json)",
        what="A template key with parameters ('application/json; charset=utf-8'), a wildcard ('*/*', "
             "'application/*') or '$default'.",
        why="API Gateway compares only the bare MIME type of the Content-Type (or Accept) with the keys, so "
            "such a key is never selected.",
        example="requestTemplates:\n  'application/json; charset=UTF-8': ...",
        fix="requestTemplates:\n  application/json: ...",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for kind, owner, templates in _all_template_sets(unit):
            for template in templates:
                key = template.content_type
                reason = _unselectable(key)
                if reason:
                    yield P.at_key(unit.diagnostic(
                        type(self), template.source,
                        f"the {kind} template of {owner} keyed {key!r} is never selected: {reason}"),
                    template.source, key)


def _unselectable(key: str) -> str | None:
    if key == "$default":
        return "'$default' is not a media type API Gateway compares"
    if ";" in key:
        return f"only the bare media type is compared: key it {key.split(';', 1)[0].strip()!r}"
    if "*" in key:
        return "wildcards are not expanded; only an exact media type matches"
    return None


@register
class NoJsonResponseTemplate(DefinitionRule):
    doc = RuleDoc(
        code="VTL319",
        name="response-templates-without-json",
        severity=Severity.WARNING,
        message="add an application/json response template",
        what="Two or more response templates and none for application/json.",
        why="When the client's Accept matches no key, API Gateway falls back to the application/json "
            "template; without one it takes 'the first', which depends on definition order.",
        example="responseTemplates:\n  application/xml: ...\n  text/html: ...",
        fix="Add responseTemplates: {application/json: ...}",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for kind, owner, templates in _all_template_sets(unit):
            if kind == "request" or len(templates) < 2 or _has_json(templates):
                continue
            keys = ", ".join(t.content_type for t in templates)
            location_source = _parent_source(templates[0].source)
            yield P.finding(
                unit, type(self), location_source,
                f"the {kind} templates of {owner} are keyed {keys}, none application/json: an unmatched Accept gets "
                f"{templates[0].content_type} only because it is listed first")


def _parent_source(source: Source | None) -> Source | None:
    """The source of the mapping that holds ``source`` (positions taken from the raw document)."""
    if source is None:
        return None
    doc = P.raw_document(source.file)
    if doc is None:
        return None
    return Source(source.file, source.pointer.rsplit("/", 1)[0], doc.positions)


@register
class RemappedResponseHeader(DefinitionRule):
    doc = RuleDoc(
        code="VTL320",
        name="remapped-response-header",
        severity=Severity.INFO,
        message="use another header name; API Gateway renames or drops this one",
        what="A mapped method response header that API Gateway sends as x-amzn-Remapped-<Name> (Date, Server, "
             "WWW-Authenticate, Authorization, Content-Length, ...) or drops (Transfer-Encoding).",
        why="The client never sees the header under the name the definition gives it.",
        example="method.response.header.Server: \"'my-server'\"",
        fix="method.response.header.X-Server: \"'my-server'\"",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for _, integration in P.rest_integrations(unit.definition):
            if not _custom(integration):
                continue
            for response in integration.integration_responses:
                for target in response.response_parameters:
                    if not target.startswith(_RESPONSE_HEADER):
                        continue
                    name = target[len(_RESPONSE_HEADER):]
                    if name.lower() in REMAPPED_HEADERS:
                        fate = f"is sent as x-amzn-Remapped-{name}"
                    elif name.lower() in P.DROPPED_HEADERS:
                        fate = "is dropped"
                    else:
                        continue
                    source = response.where(f"response_parameters.{target}")
                    yield P.at_key(unit.diagnostic(type(self), source, f"the mapped header {name} {fate}"),
                                   source, target)


@register
class ProxyLeftovers(DefinitionRule):
    doc = RuleDoc(
        code="VTL321",
        name="mapping-on-proxy-integration",
        severity=Severity.WARNING,
        message="remove the templates and response mappings, or use a non-proxy integration",
        what="Request templates, integration response templates or response parameter mappings on an "
             "AWS_PROXY or HTTP_PROXY integration.",
        why="Proxy integrations pass the request and the response through; API Gateway ignores mapping "
            "templates, overrides and integration response mappings there.",
        example="type: aws_proxy\nrequestTemplates:\n  application/json: ...",
        fix="Drop requestTemplates (the function gets the whole request as its event), or use type: aws",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for method, integration in P.rest_integrations(unit.definition):
            if not integration.is_proxy:
                continue
            name = f"{integration.type} integration of {method.http_method} {method.resource_path}"
            if integration.request_templates:
                yield P.finding(unit, type(self), integration.where("request_templates"),
                                f"request templates are ignored on the {name}")
            for response in integration.integration_responses:
                if response.response_templates or response.response_parameters:
                    what = "templates" if response.response_templates else "parameter mappings"
                    yield P.finding(unit, type(self), response.source,
                                    f"integration response {what} are ignored on the {name}")


_GATEWAY_VTL = re.compile(
    r"#\{?(?:set|if|elseif|else|end|foreach|macro|parse|include|evaluate|define|stop|break)\b"
    r"|\$!?\{?(?:util|input)\b")


@register
class VtlInGatewayResponse(DefinitionRule):
    doc = RuleDoc(
        code="VTL322",
        name="vtl-in-gateway-response",
        severity=Severity.WARNING,
        message="use only $context and $stageVariables in gateway response templates",
        what="A gateway response template using directives (#if, #set, #foreach), $util or $input.",
        why="Gateway response templates are not VTL: API Gateway substitutes $context and $stageVariables "
            "once and leaves everything else as text, so directives reach the client verbatim.",
        example="'{\"message\": \"$util.escapeJavaScript($context.error.message)\"}'",
        fix="'{\"message\": $context.error.messageString}'",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for kind, gateway in unit.definition.gateway_responses.items():
            for template in gateway.response_templates:
                text = template.template or ""
                found = _GATEWAY_VTL.search(text)
                if found is None:
                    continue
                made = unit.diagnostic(
                    type(self), template.source,
                    f"gateway response {kind} ({template.content_type}) uses {found.group(0)!r}, which gateway "
                    "responses do not evaluate: it reaches the client as written")
                yield P.at_offset(made, template.source, text, found.start(), found.end())
