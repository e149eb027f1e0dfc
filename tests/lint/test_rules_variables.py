"""Variable rules (VTL1xx): each fires on a template that has the problem, at its line:col, and stays
silent on a close look-alike that is fine on API Gateway."""

from __future__ import annotations

import re

import pytest

from vtlgw.apigw.definition.model import Integration
from vtlgw.lint import registry
from vtlgw.lint.units import TemplateUnit
from vtlgw.vtl.diagnostics import Severity

LAMBDA_URI = ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
              "arn:aws:lambda:us-east-1:123456789012:function:f/invocations")
SQS_URI = "arn:aws:apigateway:us-east-1:sqs:path/123456789012/orders"


def findings(code: str, text: str, *, kind: str = "request", media_type: str = "application/json",
             **context) -> list[tuple[str, int, int]]:
    """(code, line, column) of each finding of one rule on ``text``."""
    unit = TemplateUnit.build(text, "t.vtl", kind=kind, media_type=media_type, **context)
    return [(d.code, d.location.line, d.location.column) for d in registry.get(code)().check(unit)]


def messages(code: str, text: str, **kw) -> list[str]:
    unit = TemplateUnit.build(text, "t.vtl", **kw)
    return [d.message for d in registry.get(code)().check(unit)]


def at(text: str, needle: str) -> tuple[int, int]:
    """1-based line:col of the first occurrence of ``needle`` (where the construct is written)."""
    pos = text.index(needle)
    return text.count("\n", 0, pos) + 1, pos - (text.rfind("\n", 0, pos) + 1) + 1


TRIGGERS = [
    ("VTL101", '{"item": $util.toJson($input.path(\'$\'))}', ["$util.toJson"]),
    ("VTL101", '#set($x = $util.time.nowISO8601())', ["$util.time"]),
    ("VTL101", '#if($util.isNull($input.params(\'id\')))x#end', ["$util.isNull"]),
    ("VTL101", '{"id": "$ctx.args.id"}', ["$ctx"]),
    ("VTL101", '{"id": "$context.arguments.id"}', ["$context.arguments"]),
    ("VTL102", '"n": "$util.escapeJson($input.params(\'n\'))"', ["$util.escapeJson"]),
    ("VTL102", '"n": "$util.urlEncode"', ["$util.urlEncode"]),
    ("VTL102", '"n": "$util.base64Encode($a, $b)"', ["$util.base64Encode"]),
    ("VTL103", '"latency": "$context.integrationLatency"', ["$context"]),
    ("VTL103", '"l": "$context.authorizer.latency", "s": "$context.status"', ["$context.a", "$context.s"]),
    ("VTL103", '"t": "$context.xrayTraceId", "w": "$context.waf.error"', ["$context.x", "$context.w"]),
    ("VTL104", '{"error": "$context.error.message"}', ["$context"]),
    ("VTL105", '"id": "$context.requestID"', ["$context"]),
    ("VTL105", '"ip": "$context.identity.sourceIP"', ["$context"]),
    ("VTL105", '"q": "$context.queueUrl"', ["$context"]),
    ("VTL105", '#set($context.responseOverride.statusCode = 404)', ["$context"]),
    ("VTL105", '"e": "$context.error.validationError"', ["$context"]),
    ("VTL106", '{"n": "$util.escapeJavaScript($input.path(\'$.name\'))"}', ["$util"]),
    ("VTL106", '{\n  "m": "Hi $util.escapeJavaScript($input.params(\'who\'))!"\n}', ["$util"]),
    ("VTL106", '#set($who = $util.escapeJavaScript($input.params(\'who\')))\n{"m": "$who"}', ['$who"']),
    ("VTL107", '"a": "$input.headers.Authorization"', ["$input"]),
    ("VTL107", '"a": "$input.param(\'x\')"', ["$input"]),
    ("VTL107", '"a": "$input.body.name"', ["$input"]),
    ("VTL107", '"a": "$input.params().headers.x"', ["headers"]),
    ("VTL108", "$input.json('$.items[?(@.price < 10]')", ["'$.items"]),
    ("VTL108", "$input.path('$.items.keys()')", ["'$.items"]),
    ("VTL108", "$input.path('$.a[?(@.x ===  1)]')", ["'$.a"]),
    ("VTL109", '{"body": $input.path(\'$\')}', ["$input"]),
    ("VTL109", '#set($b = $util.parseJson($input.body))\n{"b": $b}', ["$b}"]),
    ("VTL110", '{"name": "$input.json(\'$.name\')"}', ["$input"]),
    ("VTL111", '{"q": "$input.params(\'q\')"}', ["$input"]),
    ("VTL111", '#foreach($item in $input.path(\'$.items\'))"$item.name"#end', ["$item.name"]),
    ("VTL112", '{"id": "$method.request.path.id"}', ["$method"]),
    ("VTL112", "line one$esc.newline", ["$esc"]),
    ("VTL112", '"stage": "$stagevariables.name"', ["$stagevariables"]),
    ("VTL113", "Action=SendMessage&MessageBody=$input.body", ["$input"]),
    ("VTL113", "Action=Publish&TopicArn=$util.urlEncode($stageVariables.topic)&Message=$input.json('$.m')",
     ["$input"]),
    ("VTL113", "Action=SendMessage&MessageBody=$context.requestTime", ["$context"]),  # '+' and ' ' in it
    ("VTL113", "Action=Publish&TopicArn=$stageVariables.topic&Message=x", ["$stageVariables"]),  # '&' allowed
    ("VTL114", '\n<?xml version="1.0"?>\n<a/>', ["<?xml"]),
    ("VTL114", '  <?xml version="1.0"?><a/>', ["<?xml"]),
    ("VTL114", '$input.params(\'x\')<?xml version="1.0"?><a/>', ["<?xml"]),
]

LOOKALIKES = [
    ("VTL101", '"e": "$util.escapeJavaScript($x)", "b": "$util.base64Encode($x)"'),
    ("VTL101", '#set($ctx = {"a": 1})$ctx.a'),
    ("VTL102", '"n": "$util.urlEncode($x)$util.urlDecode($x)$util.parseJson($x)$util.base64Decode($x)"'),
    ("VTL103", '"p": "$context.authorizer.principalId", "t": "$context.requestTimeEpoch"'),
    ("VTL104", '"v": "$context.error.validationErrorString"'),
    ("VTL105", '"ip": "$context.identity.sourceIp", "k": "$context.identity.apiKey", '
               '"c": "$context.identity.clientCert.subjectDN", "a": "$context.authorizer.claims.sub"'),
    ("VTL105", "#set($context.myFlag = 1)$context.myFlag"),
    ("VTL105", "#set($context.responseOverride.header.Access-Control-Allow-Origin = '*')"
               "#set($context.requestOverride.querystring[$k] = 2)$context.requestOverride.path.id"),
    ("VTL106", '{"n": "$util.escapeJavaScript($input.path(\'$.name\')).replaceAll("\\\\\'","\'")"}'),
    ("VTL106", '{"v": "$util.escapeJavaScript($stageVariables.version)", '
               '"id": "$util.escapeJavaScript($context.requestId)"}'),
    ("VTL106", '{"raw": $util.escapeJavaScript($input.body)}'),
    ("VTL106", '#set($who = $util.escapeJavaScript($input.params(\'who\')).replaceAll("\\\\\'","\'"))\n'
               '{"m": "$who"}'),
    ("VTL107", "$input.body $input.body.length() $input.params() $input.params('x') $input.json('$') "
               "$input.path('$') $input.params().header.get('A') $input.params().querystring"),
    ("VTL108", "$input.json('$.items[?(@.price < 10)]') $input.path('$.items.length()') "
               "$input.path(\"$['a b'][0]\") $input.json('$..book[?(@.isbn)]') $input.path('num')"),
    ("VTL108", "$input.path($path)"),
    ("VTL109", '{"body": $input.json(\'$\'), "n": $input.path(\'$.n\'), "s": "$input.path(\'$\')"}'),
    ("VTL110", '{"name": $input.json(\'$.name\'), '
               '"s": "$util.escapeJavaScript($input.json(\'$\')).replaceAll("\\\\\'","\'")"}'),
    ("VTL111", '{"q": "$util.escapeJavaScript($input.params(\'q\')).replaceAll("\\\\\'","\'")", '
               '"r": "$context.requestId", "s": "$stageVariables.s", "i": "$foreach.index"}'),
    ("VTL111", '#set($safe = $util.escapeJavaScript($input.params(\'q\')))"q": "$safe"'),
    ("VTL112", '#foreach($i in $input.path(\'$\'))$i $foreach.index $velocityCount#end'
               '$late #set($late = 1) $null #define($block)x#end$block'),
    ("VTL112", '$stageVariables.x $context.stage $util.urlEncode("a") $input.body'),
    ("VTL113", "Action=SendMessage&MessageBody=$util.urlEncode($input.body)&Attr.$foreach.count=1"),
    ("VTL113", '#set($action = "SendMessage")Action=$action&MessageBody=$util.urlEncode($input.body)'),
    ("VTL113", "Action=SendMessage&MessageBody=x&MessageDeduplicationId=$context.requestId"),
    ("VTL111", '#set($d = "$")"price": "$d"'),
    ("VTL114", '#set($id = $input.params(\'id\'))\n<?xml version="1.0"?>\n<order id="$id"/>'),
    ("VTL114", '<?xml version="1.0"?>\n<a>$input.body</a>'),
    ("VTL114", '## an XML response\n<?xml version="1.0"?><a/>'),
]


def _case_id(case) -> str:
    return f"{case[0]}-{re.sub(r'[^a-z0-9]+', '_', case[1].lower())[:30]}"


@pytest.mark.parametrize("code, text, needles", TRIGGERS, ids=[_case_id(c) for c in TRIGGERS])
def test_rule_fires_where_the_problem_is(code: str, text: str, needles: list[str]) -> None:
    assert findings(code, text) == [(code, *at(text, needle)) for needle in needles]


@pytest.mark.parametrize("code, text", LOOKALIKES, ids=[_case_id(c) for c in LOOKALIKES])
def test_rule_is_silent_on_a_lookalike(code: str, text: str) -> None:
    assert findings(code, text) == []


# ---------------------------------------------------------------- context-dependent


def test_gateway_error_variables_are_fine_in_gateway_responses() -> None:
    assert findings("VTL104", '{"message": $context.error.messageString}', kind="gateway") == []


def test_json_rules_apply_to_lambda_request_templates_whatever_the_key() -> None:
    text = '{"n": "$util.escapeJavaScript($input.params(\'n\'))"}'
    lambda_ = Integration(type="AWS", uri=LAMBDA_URI)
    assert findings("VTL106", text, media_type="text/plain", integration=lambda_) == [("VTL106", 1, 8)]
    assert findings("VTL106", text, media_type="application/xml") == []


def test_form_values_in_an_sqs_integration_keyed_application_json() -> None:
    text = "Action=SendMessage&MessageBody=$input.body"
    sqs = Integration(type="AWS", uri=SQS_URI)
    assert findings("VTL113", text, integration=sqs) == [("VTL113", 1, 32)]


def test_form_rule_leaves_http_integrations_alone() -> None:
    text = "Action=SendMessage&MessageBody=$input.body"
    http = Integration(type="HTTP", uri="https://example.com/form")
    assert findings("VTL113", text, integration=http) == []


def test_form_rule_is_for_request_templates() -> None:
    assert findings("VTL113", "Action=SendMessage&MessageBody=$input.body", kind="response") == []


def test_form_value_fix_names_the_wrapped_value() -> None:
    [message] = messages("VTL113", "Action=SendMessage&MessageBody=$!{input.body}")
    assert "$util.urlEncode($input.body)" in message


def test_mapping_syntax_suggests_input_params() -> None:
    [message] = messages("VTL112", '"id": "$method.request.path.id"')
    assert "$input.params('id')" in message
    [message] = messages("VTL112", '"n": "$method.request.body.name"')
    assert "$input.path('$.name')" in message


def test_context_typo_suggests_the_documented_name() -> None:
    [message] = messages("VTL105", '"$context.requestID"')
    assert "$context.requestId" in message
    [message] = messages("VTL105", '"$context.identity.sourceIP"')
    assert "$context.identity.sourceIp" in message


def test_unknown_util_suggests_the_function() -> None:
    [message] = messages("VTL102", '"$util.escapeJson($x)"')
    assert "escapeJavaScript" in message


def test_jsonpath_message_comes_from_the_parser() -> None:
    [message] = messages("VTL108", "$input.path('$.items.keys()')")
    assert "keys()" in message and "length()" in message


def test_appsync_is_not_also_an_unknown_util_or_variable() -> None:
    text = '"a": "$util.toJson($x)", "b": "$ctx.args"'
    assert findings("VTL102", text) == []
    assert [c for c, *_ in findings("VTL112", text)] == ["VTL112"]  # $x only; $ctx is VTL101's


def test_xml_declaration_after_a_directive_line_is_first() -> None:
    # a #set line leaves no text at all, so the declaration is at offset 0 of the output
    assert findings("VTL114", '#set($x = 1)\n<?xml version="1.0"?><a>$x</a>') == []


@pytest.mark.parametrize("code", [f"VTL{n}" for n in range(101, 116)])
def test_rule_documentation(code: str) -> None:
    doc = registry.get(code).doc
    assert doc.code == code
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", doc.name)
    for text in (doc.message, doc.what, doc.why, doc.example, doc.fix):
        assert text.strip()
    assert "\n" not in doc.message


@pytest.mark.parametrize("code, severity", [
    ("VTL101", Severity.ERROR), ("VTL102", Severity.ERROR), ("VTL103", Severity.WARNING),
    ("VTL104", Severity.WARNING), ("VTL105", Severity.WARNING), ("VTL106", Severity.WARNING),
    ("VTL107", Severity.WARNING), ("VTL108", Severity.ERROR), ("VTL109", Severity.WARNING),
    ("VTL110", Severity.WARNING), ("VTL111", Severity.INFO), ("VTL112", Severity.WARNING),
    ("VTL113", Severity.WARNING), ("VTL114", Severity.WARNING), ("VTL115", Severity.WARNING),
])
def test_default_severities(code: str, severity: Severity) -> None:
    assert registry.get(code).doc.severity is severity


def test_gateway_responses_are_not_judged_as_vtl_output() -> None:
    # gateway-response templates are plain substitution (VTL322 reports VTL constructs there)
    text = '{"m": "$util.escapeJavaScript($x)", "n": "$input.params(\'q\')", "s": "$custom"}'
    for code in ("VTL106", "VTL111", "VTL112"):
        assert findings(code, text, kind="gateway") == []
    assert findings("VTL106", text, kind="response") != []


@pytest.mark.parametrize("text, media_type, needle", [
    ('#set($o = $input.path(\'$\'))\n  {"id": "$o.id"}', "application/xml", "{"),
    ('[1, 2]', "text/xml", "["),
    ('<order id="1"/>', "application/json", "<"),
    ('<order id="1"/>', "application/vnd.api+json", "<"),
])
def test_response_output_unlike_its_key(text: str, media_type: str, needle: str) -> None:
    assert findings("VTL115", text, kind="response", media_type=media_type) == [("VTL115", *at(text, needle))]


@pytest.mark.parametrize("text, media_type", [
    ('{"id": 1}', "application/json"),
    ('<?xml version="1.0"?><a/>', "application/xml"),
    ('<a/>', "application/atom+xml"),
    ('{"id": 1}', "text/plain"),  # neither JSON nor XML declared: nothing to compare
    ('$input.body', "application/xml"),  # output unknown until rendered
])
def test_response_output_like_its_key(text: str, media_type: str) -> None:
    assert findings("VTL115", text, kind="response", media_type=media_type) == []


def test_request_template_key_is_the_clients_type_not_the_outputs() -> None:
    # an XML client, a JSON backend: the usual transformation, not a mismatch
    assert findings("VTL115", '{"id": "$input.path(\'$.id\')"}', media_type="application/xml") == []


def test_request_template_against_a_mapped_integration_content_type() -> None:
    http = Integration(type="HTTP", uri="https://example.com/orders",
                       request_parameters={"integration.request.header.Content-Type": "'application/xml'"})
    assert findings("VTL115", '{"id": 1}', integration=http) == [("VTL115", 1, 1)]
    assert findings("VTL115", '<id>1</id>', integration=http) == []


def test_cloudformation_placeholders_of_a_sub_template_are_not_variables() -> None:
    from vtlgw.apigw.definition.model import MappingTemplate

    text = "Action=SendMessage&MessageBody=$util.urlEncode($input.body)&Attr.Value=${Stage}"
    sub = MappingTemplate("application/json", text, symbolic=True)
    sqs = Integration(type="AWS", uri=SQS_URI)
    for code in ("VTL112", "VTL113"):
        assert findings(code, text, integration=sqs, mapping=sub) == []
        assert findings(code, text, integration=sqs) != []  # written as plain text, ${Stage} is VTL
