"""Definition-file rules (VTL5xx): mistakes in how the definition is written, seen in real templates.

These need the file as written, not only the model: whether a string sits
inside ``Fn::Sub``, whether a template was given as ``!Ref``, which keys an
integration object really has. The raw document is re-read once per file
(:func:`vtlgw.lint.rules._patterns.raw_document`).
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any, Iterator

from vtlgw.apigw.definition import Source, StackError
from vtlgw.apigw.definition.intrinsics import intrinsic_name
from vtlgw.apigw.definition.keys import (
    AWSCLI_INTEGRATION,
    AWSCLI_INTEGRATION_RESPONSE,
    CLOUDFORMATION_INTEGRATION,
    CLOUDFORMATION_INTEGRATION_RESPONSE,
    OPENAPI_INTEGRATION,
    OPENAPI_INTEGRATION_RESPONSE,
    KeyTable,
    UnknownKeyError,
    unknown_keys,
)
from vtlgw.lint.registry import register
from vtlgw.lint.rule import DefinitionRule, RuleDoc
from vtlgw.vtl.diagnostics import Diagnostic, Location, Severity

from . import _patterns as P

if TYPE_CHECKING:
    from vtlgw.apigw.definition import Integration, MappingTemplate
    from vtlgw.apigw.errors import InputFileError
    from vtlgw.lint.units import DefinitionUnit


def _templates(unit: "DefinitionUnit") -> Iterator["MappingTemplate"]:
    """Every mapping template of the definition: request, integration response and gateway response."""
    for _, integration in P.integrations(unit.definition):
        yield from integration.request_templates
        for response in integration.integration_responses:
            yield from response.response_templates
    for gateway in unit.definition.gateway_responses.values():
        yield from gateway.response_templates


# ============================================================================ VTL501


_PLACEHOLDER = re.compile(r"\$\{([^{}]*)\}")
_NOT_CLOUDFORMATION = ("input", "context", "util", "stageVariables", "ctx", "esc")


@register
class PlaceholderOutsideSub(DefinitionRule):
    doc = RuleDoc(
        code="VTL501",
        name="cloudformation-placeholder-outside-sub",
        severity=Severity.ERROR,
        message="wrap the value in Fn::Sub (!Sub) so CloudFormation substitutes the placeholder",
        what="A CloudFormation placeholder (${AWS::Region}, ${MyQueue.Arn}, ${MyTable}) in a mapping template, "
             "an integration URI, its credentials or a parameter mapping, that is not inside Fn::Sub.",
        why="Only Fn::Sub substitutes ${...}. Anywhere else the text reaches API Gateway as written: the URI "
            "is invalid or names no resource, and the template sends the literal '${AWS::Region}'.",
        example="Uri: arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/orders",
        fix="Uri: !Sub arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/orders",
    )

    @classmethod
    def claims(cls, problem: "InputFileError") -> bool:
        """The loader rejects a URI that a literal ${AWS::Region} breaks; that is this rule's finding."""
        if not problem.file or not problem.pointer or P.pointer_tokens(problem.pointer)[-1:] not in (["uri"],
                                                                                                      ["Uri"]):
            return False
        value = P.value_at(_data(problem.file), problem.pointer)
        return isinstance(value, str) and bool(_cloudformation_placeholders(value, problem.file))

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        seen: set[tuple[str, str]] = set()
        sources = [(t.source, f"{t.content_type} template") for t in _templates(unit)]
        sources += _integration_strings(unit)
        for source, what in sources:
            if source is None or (source.file, source.pointer) in seen or P.inside_sub(source):
                continue
            seen.add((source.file, source.pointer))
            raw = P.raw_value(source)
            for text, direct in _literal_strings(raw, True):
                for found in _cloudformation_placeholders(text, source.file):
                    made = unit.diagnostic(
                        type(self), source,
                        f"{found.group(0)} in this {what} is not inside Fn::Sub, so API Gateway gets it "
                        "literally: use !Sub")
                    yield P.at_offset(made, source, text, found.start(), found.end()) if direct else made
                    break


def _integration_strings(unit: "DefinitionUnit") -> list[tuple[Source | None, str]]:
    """URIs, credentials and mapping values: every other integration string that reaches API Gateway."""
    found: list[tuple[Source | None, str]] = []
    for _, integration in P.integrations(unit.definition):
        for field, what in (("uri", "integration URI"), ("credentials", "integration credentials")):
            if field in integration.sources:
                found.append((integration.sources[field], what))
        owners = [integration, *integration.integration_responses]
        for owner in owners:
            for name, source in owner.sources.items():
                if name.startswith(("request_parameters.", "response_parameters.")):
                    found.append((source, f"mapping of {name.split('.', 1)[1]}"))
    return found


def _data(file: str) -> Any:
    doc = P.raw_document(file)
    return doc.data if doc is not None else None


def _literal_strings(value: Any, direct: bool) -> Iterator[tuple[str, bool]]:
    """Strings of a raw value that reach API Gateway as written (not substituted by Fn::Sub)."""
    if isinstance(value, str):
        yield value, direct
        return
    name = intrinsic_name(value)
    if name == "Fn::Join" and isinstance(value[name], list) and len(value[name]) == 2 \
            and isinstance(value[name][1], list):
        for part in value[name][1]:
            yield from _literal_strings(part, False)
    elif name == "Fn::If" and isinstance(value[name], list):
        for branch in value[name][1:]:
            yield from _literal_strings(branch, False)


def _cloudformation_placeholders(text: str, file: str) -> list[re.Match[str]]:
    """``${AWS::Region}``, or ``${Name}``/``${Name.Attr}`` naming a resource or parameter of the template."""
    resources, parameters = P.cloudformation_names(file)
    found = []
    for match in _PLACEHOLDER.finditer(text):
        inner = match.group(1).strip()
        head = inner.split(".", 1)[0]
        if not inner or inner.startswith("!") or head in _NOT_CLOUDFORMATION:
            continue
        if "::" in inner or head in resources or head in parameters:
            found.append(match)
    return found


# ============================================================================ VTL502


_TEMPLATE_TABLES = ("requestTemplates", "responseTemplates", "RequestTemplates", "ResponseTemplates")


@register
class TemplateIsReference(DefinitionRule):
    doc = RuleDoc(
        code="VTL502",
        name="template-is-a-reference",
        severity=Severity.ERROR,
        message="give the mapping template's text, not a reference to a model or resource",
        what="A request or response template whose value is a Ref or Fn::GetAtt to a resource (an "
             "AWS::ApiGateway::Model, most often) or an OpenAPI $ref, instead of template text.",
        why="A mapping template is VTL text. A Ref gives the resource's name or id, so API Gateway uses that "
            "word as the template and sends it as the payload; models describe payloads, they do not map them.",
        example="RequestTemplates:\n  application/json: !Ref OrderModel",
        fix="RequestTemplates:\n  application/json: |\n    {\"id\": \"$input.params('id')\"}\n"
            "(and put the model in RequestModels)",
    )

    @classmethod
    def claims(cls, problem: "InputFileError") -> bool:
        """The loader rejects a template given as a mapping ($ref); that is this rule's finding."""
        return _reference_problem(problem) is not None

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for problem in unit.definition.problems:
            found = _reference_problem(problem)
            if found is not None:
                source, reference = found
                yield unit.diagnostic(type(self), source,
                                      f"this template is {reference}, not template text")
        for template in _templates(unit):
            if not template.symbolic or template.source is None:
                continue
            described = _reference(P.raw_value(template.source), template.source.file)
            if described is not None:
                yield unit.diagnostic(
                    type(self), template.source,
                    f"the {template.content_type} template is {described}: API Gateway would use the resolved "
                    "name or id as the template text")


def _reference(raw: Any, file: str) -> str | None:
    """How a raw template value that is a resource reference is described; None when it is text."""
    name = intrinsic_name(raw)
    resources, _ = P.cloudformation_names(file)
    if name == "Ref" and isinstance(raw[name], str) and raw[name] in resources:
        target = raw[name]
        return f"!Ref {target} (an {resources[target] or 'unknown'} resource)"
    if name == "Fn::GetAtt":
        arg = raw[name]
        target = arg[0] if isinstance(arg, list) and arg else arg.split(".", 1)[0] if isinstance(arg, str) else None
        kind = resources.get(target, "") if isinstance(target, str) else ""
        if not kind.startswith("Custom::") and kind != "AWS::CloudFormation::CustomResource":
            shown = ".".join(str(a) for a in arg) if isinstance(arg, list) else str(arg)
            return f"!GetAtt {shown}"
    return None


def _reference_problem(problem: "InputFileError") -> tuple[Source, str] | None:
    if not problem.file or not problem.pointer:
        return None
    tokens = P.pointer_tokens(problem.pointer)
    if len(tokens) < 2 or tokens[-2] not in _TEMPLATE_TABLES:
        return None
    doc = P.raw_document(problem.file)
    if doc is None:
        return None
    raw = P.value_at(doc.data, problem.pointer)
    source = Source(doc.name, problem.pointer, doc.positions)
    if isinstance(raw, dict) and isinstance(raw.get("$ref"), str):
        return source, f"a $ref to {raw['$ref']}"
    described = _reference(raw, problem.file)
    return (source, described) if described is not None else None


# ============================================================================ VTL503

#: integration key -> (its key table, where the responses are, their key table); the tables are the
#: loader's (vtlgw.apigw.definition.keys), so `vtlgw invoke` and the linter agree on what is a typo.
_DIALECTS: dict[str, tuple[KeyTable, str, KeyTable]] = {
    "x-amazon-apigateway-integration": (OPENAPI_INTEGRATION, "responses", OPENAPI_INTEGRATION_RESPONSE),
    "Integration": (CLOUDFORMATION_INTEGRATION, "IntegrationResponses", CLOUDFORMATION_INTEGRATION_RESPONSE),
    "methodIntegration": (AWSCLI_INTEGRATION, "integrationResponses", AWSCLI_INTEGRATION_RESPONSE),
}


@register
class UnknownIntegrationKey(DefinitionRule):
    doc = RuleDoc(
        code="VTL503",
        name="unknown-integration-key",
        severity=Severity.WARNING,
        message="spell the key as the format names it (see the suggestion)",
        what="A key an integration object or an integration response does not have in this format: "
             "'integrationResponses' written for OpenAPI's 'responses', 'RequestTemplate' for "
             "'RequestTemplates', camelCase keys in CloudFormation, 'HttpMethod' for 'IntegrationHttpMethod'.",
        why="The key is ignored (or the whole template is refused), so the templates, responses or settings "
            "it holds never take effect: often every response falls back to passthrough. CloudFormation "
            "refuses an unknown property of a Method's Integration or IntegrationResponses, so there it is an "
            "error.",
        example="x-amazon-apigateway-integration:\n  integrationResponses:\n    default: {statusCode: '200'}",
        fix="x-amazon-apigateway-integration:\n  responses:\n    default: {statusCode: '200'}",
    )

    @classmethod
    def claims(cls, problem: "InputFileError") -> bool:
        """The loader refuses an unknown key of a CloudFormation integration; this rule reports it (as an error)."""
        return isinstance(problem, UnknownKeyError)

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for _, integration in P.integrations(unit.definition):
            source = integration.source
            if source is None:
                continue
            tokens = P.pointer_tokens(source.pointer)
            dialect = _DIALECTS.get(tokens[-1]) if tokens else None
            raw = P.raw_value(source)
            if dialect is None or not isinstance(raw, dict) or intrinsic_name(raw):
                continue
            table, responses_key, response_table = dialect
            yield from self._keys(unit, source, raw, table, "integration")
            responses = raw.get(responses_key)
            items = responses.items() if isinstance(responses, dict) else \
                enumerate(responses) if isinstance(responses, list) else ()
            for key, item in items:
                if isinstance(item, dict) and not intrinsic_name(item):
                    pointer = f"{source.pointer}/{responses_key}/{_escape(str(key))}"
                    child = Source(source.file, pointer, _positions(source.file))
                    yield from self._keys(unit, child, item, response_table, "integration response",
                                          openapi=response_table is OPENAPI_INTEGRATION_RESPONSE)

    def _keys(self, unit: "DefinitionUnit", source: Source, raw: dict[str, Any], table: KeyTable, what: str, *,
              openapi: bool = False) -> Iterator[Diagnostic]:
        for key in unknown_keys(raw, table):
            hint = table.suggestion(key)
            if openapi and key.lower() == "selectionpattern":
                advice = ": in OpenAPI the key of the response is its selection pattern"
            else:
                advice = f" (did you mean {hint}?)" if hint else ""
            effect = "CloudFormation refuses the template" if table.refused else "it is ignored"
            child = Source(source.file, f"{source.pointer}/{_escape(key)}", _positions(source.file))
            made = unit.diagnostic(type(self), child, f"unknown {what} key {key!r}{advice}; {effect}")
            if table.refused:  # an error, as the loader's: CloudFormation does not deploy it
                made = dataclasses.replace(made, severity=Severity.ERROR)
            yield P.at_key(made, child, key)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _positions(file: str) -> Any:
    doc = P.raw_document(file)
    return doc.positions if doc is not None else None


# ============================================================================ VTL504


@register
class LambdaArnAsUri(DefinitionRule):
    doc = RuleDoc(
        code="VTL504",
        name="lambda-arn-as-integration-uri",
        severity=Severity.WARNING,
        message="use the Lambda invocation URI: arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/"
                "<function arn>/invocations",
        what="A Lambda function ARN (arn:aws:lambda:...:function:f, or !GetAtt Fn.Arn) given as the URI of an "
             "AWS or AWS_PROXY integration.",
        why="API Gateway integrates with Lambda through the Lambda service's invoke path, not the function "
            "ARN: the deployment is refused ('AWS ARN for integration must contain path or action').",
        example="Uri: !GetAtt OrdersFunction.Arn",
        fix="Uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${OrdersFunction.Arn}"
            "/invocations",
    )

    @classmethod
    def claims(cls, problem: "InputFileError") -> bool:
        """The loader's 'must contain path or action' for a function ARN is this rule's finding."""
        if not problem.file or not problem.pointer or P.pointer_tokens(problem.pointer)[-1:] not in (["uri"],
                                                                                                      ["Uri"]):
            return False
        value = P.value_at(_data(problem.file), problem.pointer)
        return isinstance(value, str) and bool(P.PLAIN_LAMBDA_ARN.match(value.strip()))

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for _, integration in P.integrations(unit.definition):
            if P.plain_lambda_arn(integration):
                yield unit.diagnostic(
                    type(self), integration.where("uri"),
                    f"{_as_written(integration.uri or '')} is the function's ARN; the {integration.type} integration "
                    "needs its "
                    f"invocation URI: {_invocation_uri(integration)}")


def _as_written(uri: str) -> str:
    """``${Fn.Arn}`` (the loader's rendering of ``!GetAtt Fn.Arn``) shown as the user wrote it."""
    uri = uri.strip()
    return f"!GetAtt {uri[2:-1]}" if uri.startswith("${") else uri


def _invocation_uri(integration: "Integration") -> str:
    uri = (integration.uri or "").strip()
    if "${" in uri:  # written with intrinsics: the fix is a Sub around the same ARN
        return f"!Sub arn:aws:apigateway:${{AWS::Region}}:lambda:path/2015-03-31/functions/{uri}/invocations"
    region = uri.split(":")[3] if uri.count(":") >= 4 else "<region>"
    return f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{uri}/invocations"


# ============================================================================ VTL505


# A class that spells a word or words: [Error], [NotFound], [Bad Request], [INVALID_INPUT] (four characters or more).
_WORD_CLASS = re.compile(r"(?<!\\)\[(?=[A-Za-z0-9 _]{4,}\])([A-Za-z][A-Za-z0-9]*(?:[ _][A-Za-z0-9]+)*)\]")


@register
class LostBackslashClass(DefinitionRule):
    doc = RuleDoc(
        code="VTL505",
        name="selection-pattern-lost-backslash",
        severity=Severity.WARNING,
        message="escape the brackets (\\[Error\\]) to match them literally",
        what="A selectionPattern of an AWS integration with a character class that spells a word, such as "
             "'^[Error].*', where '\\[Error\\]' was meant: a string literal in the language that generated the "
             "definition (TypeScript, Python, JSON) ate the backslashes.",
        why="[Error] is a class matching one character (E, r or o), so the pattern never matches messages "
            "like '[Error] not found' the way it reads, and matches unrelated ones.",
        example="selectionPattern: '^[BadRequest].*'",
        fix="selectionPattern: '^\\[BadRequest\\].*' (in a TypeScript string: '^\\\\[BadRequest\\\\].*')",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for _, integration in P.integrations(unit.definition):
            if integration.type != "AWS":
                continue
            for response in P.patterned(integration.integration_responses):
                pattern = response.selection_pattern or ""
                found = _WORD_CLASS.search(pattern)
                if found is None or P.compiled(pattern) is None:
                    continue
                meant = _WORD_CLASS.sub(lambda m: "\\[" + m.group(1) + "\\]", pattern)
                source = response.where("selection_pattern")
                made = unit.diagnostic(
                    type(self), source,
                    f"{found.group(0)} in selectionPattern {pattern!r} is a character class (one character of "
                    f"{found.group(1)!r}), not the text {found.group(0)}: did you mean {meant!r}?")
                if source is not None and source.pointer.endswith("/" + _escape(pattern)):
                    yield P.at_key(made, source, pattern)
                else:
                    yield P.at_offset(made, source, pattern, found.start(), found.end())


# ============================================================================ VTL506


@register
class RefusedIntrinsic(DefinitionRule):
    doc = RuleDoc(
        code="VTL506",
        name="intrinsic-refused-by-cloudformation",
        severity=Severity.ERROR,
        message="make the intrinsic evaluate: escape a literal ${x} as ${!x}, or name a parameter or resource",
        what="An intrinsic function CloudFormation cannot evaluate: most often a Velocity ${x} inside a "
             "mapping template written with !Sub, which Fn::Sub reads as a reference to a resource x; also a "
             "Ref to a name the template does not define, or a condition that is not in Conditions.",
        why="CloudFormation refuses the template when it evaluates it, so the stack does not deploy.",
        example="RequestTemplates:\n  application/json: !Sub '{\"id\": \"${context.requestId}\", "
                "\"queue\": \"${Queue}\"}'",
        fix="Write ${!context.requestId} (Fn::Sub prints ${context.requestId}), or use $context.requestId "
            "without braces.",
    )

    @classmethod
    def claims(cls, problem: "InputFileError") -> bool:
        """Evaluating the template's intrinsics failed; this rule reports it."""
        return isinstance(problem, StackError)

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for problem in unit.definition.problems:
            if not isinstance(problem, StackError):
                continue
            where = problem.location
            line = unit.file_line(where.line)
            column = where.column
            named = _SUB_REFERENCE.search(problem.message)
            if named and line and named.group(1) in line:  # point at the reference itself, on its line
                column = line.index(named.group(1)) + 1
            location = Location(file=unit.display(where.file), line=where.line, column=column,
                                pointer=where.pointer, source_line=line)
            yield Diagnostic(self.doc.severity, self.doc.code, problem.message, location)


#: The ``${name}`` a refused Fn::Sub message names.
_SUB_REFERENCE = re.compile(r"Fn::Sub refers to (\$\{[^}]*\})")



# ============================================================================ VTL507


@register
class ModelKeywordNotApplied(DefinitionRule):
    doc = RuleDoc(
        code="VTL507",
        name="model-keyword-not-applied",
        severity=Severity.WARNING,
        message="write the constraint in JSON Schema draft 4, or drop the keyword",
        what="A model (an OpenAPI schema, an AWS::ApiGateway::Model, a SAM model) uses a keyword API Gateway's "
             "draft 4 validator does not apply: an OpenAPI keyword such as discriminator, nullable or example, "
             "or one of a later draft such as const or if/then/else (docs/method-request.md section 3).",
        why="Request validation silently ignores the keyword, so bodies it was meant to refuse reach the "
            "integration.",
        example="NewPet:\n  type: object\n  properties:\n    kind: {type: string, const: cat}",
        fix="kind: {type: string, enum: [cat]}   (and type: [string, 'null'] for nullable: true)",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        for model in unit.definition.models.values():
            if model.source is None:
                continue
            for keyword, pointer in model.unsupported:
                child = Source(model.source.file, pointer, _positions(model.source.file))
                made = unit.diagnostic(type(self), child, model.note(keyword, pointer))
                yield P.at_key(made, child, keyword)


# ============================================================================ VTL508


@register
class ModelNotDraft4(DefinitionRule):
    doc = RuleDoc(
        code="VTL508",
        name="model-not-a-draft-4-schema",
        severity=Severity.ERROR,
        message="make the model a valid JSON Schema draft 4 schema",
        what="A model that is not a valid JSON Schema draft 4 schema, such as required given as a string "
             "instead of a list of names.",
        why="API Gateway refuses to create the model, so the API does not deploy.",
        example="Order:\n  type: object\n  required: sku",
        fix="Order:\n  type: object\n  required: [sku]",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        import jsonschema

        for model in unit.definition.models.values():
            if model.source is None:
                continue
            try:
                jsonschema.Draft4Validator.check_schema(model.schema)
            except jsonschema.SchemaError as exc:
                tokens = "".join("/" + _escape(str(token)) for token in exc.path)
                child = Source(model.source.file, model.source.pointer + tokens, _positions(model.source.file))
                yield unit.diagnostic(type(self), child, f"model {model.name} is not a valid JSON Schema draft 4 "
                                                        f"schema: {exc.message}")


# ============================================================================ VTL509


_TEMPLATE_FORMATS = ("cloudformation", "sam", "cdk", "serverless")


@register
class ApiKeyWithoutUsagePlan(DefinitionRule):
    doc = RuleDoc(
        code="VTL509",
        name="api-key-without-usage-plan",
        severity=Severity.WARNING,
        message="add an AWS::ApiGateway::UsagePlan for the stage and a UsagePlanKey for each key (SAM: "
                "Auth.UsagePlan.CreateUsagePlan: PER_API)",
        what="A CloudFormation or SAM template whose methods require an API key, with no usage plan in the "
             "template (no AWS::ApiGateway::UsagePlan, no SAM Auth.UsagePlan that creates one).",
        why="API Gateway accepts a key only through a usage plan of the API's stage: without one every request "
            "is 403 Forbidden, whatever key it sends. vtlgw does not check usage plans (docs/method-request.md "
            "section 4), so offline runs pass where the deployed API refuses.",
        example="Get:\n  Type: AWS::ApiGateway::Method\n  Properties: {ApiKeyRequired: true, ...}\n"
                "# and no AWS::ApiGateway::UsagePlan anywhere",
        fix="Plan:\n  Type: AWS::ApiGateway::UsagePlan\n  Properties:\n    ApiStages: [{ApiId: !Ref Api, Stage: "
            "prod}]\nPlanKey:\n  Type: AWS::ApiGateway::UsagePlanKey\n  Properties: {KeyId: !Ref Key, KeyType: "
            "API_KEY, UsagePlanId: !Ref Plan}",
    )

    def check(self, unit: "DefinitionUnit") -> Iterator[Diagnostic]:
        definition = unit.definition
        if definition.format not in _TEMPLATE_FORMATS:
            return  # an OpenAPI file's usage plans live elsewhere
        needing = [m for m in definition.methods.values() if m.api_key_required]
        if not needing:
            return
        doc = P.raw_document(definition.source_file)
        data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
        if _has_usage_plan(data):
            return
        for method in needing:
            yield unit.diagnostic(type(self), method.sources.get("api_key_required") or method.source,
                                  f"{method.http_method} {method.resource_path} requires an API key, but the "
                                  "template defines no usage plan: API Gateway answers 403 Forbidden to every key")


def _has_usage_plan(data: dict[str, Any]) -> bool:
    resources = data.get("Resources") if isinstance(data.get("Resources"), dict) else {}
    for resource in resources.values():
        if not isinstance(resource, dict):
            continue
        if resource.get("Type") == "AWS::ApiGateway::UsagePlan":
            return True
        props = resource.get("Properties") if isinstance(resource.get("Properties"), dict) else {}
        auth = props.get("Auth") if resource.get("Type") == "AWS::Serverless::Api" else None
        plan = auth.get("UsagePlan") if isinstance(auth, dict) else None
        if isinstance(plan, dict) and str(plan.get("CreateUsagePlan", "NONE")).upper() in ("PER_API", "SHARED"):
            return True
    globals_api = (data.get("Globals") or {}).get("Api") if isinstance(data.get("Globals"), dict) else None
    plan = (globals_api.get("Auth") or {}).get("UsagePlan") if isinstance(globals_api, dict) else None
    return isinstance(plan, dict) and str(plan.get("CreateUsagePlan", "NONE")).upper() in ("PER_API", "SHARED")
