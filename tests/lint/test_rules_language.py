"""Template language rules (VTL0xx): each fires on a template that has the problem, at its line:col,
and stays silent on a close look-alike that is fine on API Gateway."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vtlgw.lint import lint, registry
from vtlgw.lint.units import TemplateUnit
from vtlgw.vtl.diagnostics import Severity


def findings(code: str, text: str, *, kind: str = "request", media_type: str = "application/json",
             **context) -> list[tuple[str, int, int]]:
    """(code, line, column) of each finding of one rule on ``text``."""
    unit = TemplateUnit.build(text, "t.vtl", kind=kind, media_type=media_type, **context)
    return [(d.code, d.location.line, d.location.column) for d in registry.get(code)().check(unit)]


def messages(code: str, text: str, **kw) -> list[str]:
    unit = TemplateUnit.build(text, "t.vtl", **kw)
    return [d.message for d in registry.get(code)().check(unit)]


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    """1-based line:col of the ``nth`` occurrence of ``needle`` (where the construct is written)."""
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(needle, pos + 1)
    line = text.count("\n", 0, pos) + 1
    return line, pos - (text.rfind("\n", 0, pos) + 1) + 1


# (code, template, needles: where each finding must be, in order)
TRIGGERS = [
    ("VTL001", '{\n#if($x)\n  "a": 1\n}', ["#if"]),
    ("VTL001", '{"a": 1}\n#end\n', ["#end"]),
    ("VTL001", '#set($x = null)', ["null"]),
    ("VTL001", '#if($a)x#else y#elseif($b)z#end', ["#elseif"]),
    ("VTL002", '#macro(greet $who)Hi $who#end\n#greet("Ann")', ["#macro(greet $who)", '#greet("Ann")']),
    ("VTL002", '#@wrap()body#end', ["#@wrap"]),
    ("VTL003", '{"x": "#evaluate("$a")"}', ['#evaluate("$a")']),
    ("VTL004", '{\n#parse("common.vtl")\n}', ["#parse"]),
    ("VTL004", '#include("header.json")', ["#include"]),
    ("VTL005", '#if($x)a#esle b#end', ["#esle"]),
    ("VTL005", '#if($x)\n  #return\n#end', ["#return"]),
    ("VTL005", 'a #upper($x) b', ["#upper($x)"]),
    ("VTL006", '#set($stage = "prod")\n"key": "$stage-$input.params(\'id\')"', ["$stage-"]),
    ("VTL006", '"x": "$stageVariables.env-suffix"', ["$stageVariables.env-suffix"]),
    ("VTL006", '"key": "$context.stage-$context.requestId"', ["$context.stage-"]),
    ("VTL007", "#set($n = $input.path('$.items').count())", ["count"]),
    ("VTL007", "#set($s = $input.params('q').upper())", ["upper"]),
    ("VTL007", "#foreach($i in [1, 2])#if($i == 2)$foreach.stop()#end#end", ["stop"]),
    ("VTL007", "$input.params('q').getClass()", ["getClass"]),
    ("VTL007", "#set($b = $input.params('q').isBlank())", ["isBlank"]),
    ("VTL008", "#set($ids = [])\n#foreach($i in [1, 2])$ids.add($i)#end", ["$ids.add($i)"]),
    ("VTL008", "#set($m = {})\n$m.put('k', 1)", ["$m.put"]),
    ("VTL009", '#if("$x")a#end', ['"$x"']),
    ("VTL009", '#if($a)a#elseif(1)b#end', ["1)"]),
    ("VTL010", "#if($input.path('$.flag'))a#end", ["$input.path"]),
    ("VTL010", "#set($b = $input.path('$'))#if(!$b.nextToken)last#end", ["$b.nextToken"]),
    ("VTL010", "#if($input.params('debug'))\"debug\": true#end", ["$input"]),
    ("VTL010", "#set($b = $input.path('$'))#if($b.a && $b.c != \"\")x#end", ["$b.a"]),
    ("VTL010", "#set($b = $input.path('$'))#if($b.n || $b.n == 'x')y#end", ["$b.n"]),
    ("VTL011", "#set($context.responseOverride.status = 400)\n#if($e)\n#set($context.responseOverride.status = 500)\n#end",
     ["#set", ]),
    ("VTL011", '#set($context.requestOverride.header.X-Id = "a")\n'
               '$context.requestOverride.header.put("X-Id", "b")', ["$context.requestOverride.header.put"]),
    ("VTL011", "#foreach($e in $input.path('$.errors'))\n#set($context.responseOverride.status = 400)\n#end",
     ["#set"]),
    ("VTL012", '#set($context.responseOverride.status = "Not Found")', ['"Not Found"']),
    ("VTL012", '#set($context.responseOverride.status = 700)', ["700"]),
    ("VTL013", "#set($p = $input.params('ids').split(','))\n\"ids\": \"$p\"", ['$p"']),
    ("VTL013", "$input.params('ids').split(',')", ["$input"]),
]

LOOKALIKES = [
    ("VTL001", '{\n#if($x)\n  "a": 1\n#end\n}'),
    ("VTL001", "#set($x = $util.urlEncode(null))"),
    ("VTL002", "#define($greet)Hi $who#end\n$greet"),
    ("VTL003", '#set($e = "evaluate")"$e"'),
    ("VTL004", "#set($o = $util.parseJson($input.body))"),
    ("VTL005", '{"color": "#ff0000", "link": "#top", "tag": "#hashtag"}'),
    ("VTL005", "#if($x)a#{else}b#end #foreach($i in [1])#break#end"),
    ("VTL006", '#set($stage = "prod")\n"key": "${stage}-$input.params(\'id\')"'),
    ("VTL006", "#set($my-name = 1)$my-name"),
    ("VTL006", "#set($context.responseOverride.header.Access-Control-Allow-Origin = '*')"),
    ("VTL006", "#set($context.requestOverride.header.X-Tenant- = 'a')"),
    ("VTL007", "#set($n = $input.path('$.items').size())$input.params('q').toUpperCase().trim()"),
    ("VTL007", "#foreach($i in [1])$foreach.hasNext()$foreach.getCount()$foreach.parent.isFirst()#end"),
    ("VTL007", "#set($m = $util.parseJson($input.body))$m.entrySet()$m.getOrDefault('a', 1)"),
    ("VTL008", "#set($ids = [])\n#foreach($i in [1, 2])#set($ignore = $ids.add($i))#end"),
    ("VTL008", '$context.requestOverride.querystring.put("page", "2")'),
    ("VTL008", "#if($ids.add(1))#end"),
    ("VTL009", "#if($x)a#elseif(true)b#end#if($x == \"true\")c#end"),
    ("VTL010", "#if($input.path('$.flag') != \"\")a#end#if($foreach.hasNext)b#end#if($l.isEmpty())c#end"),
    ("VTL010", "#if($x)a#end"),
    ("VTL010", "#set($b = $input.path('$'))#if($b.error && $b.error != \"\")a#end#if(!$b.next || $b.next == '')z#end"),
    ("VTL010", "#set($b = $input.path('$'))#if($b.tags && $b.tags.size() > 0)a#end"),
    ("VTL011", "#if($e)\n#set($context.responseOverride.status = 500)\n#else\n"
               "#set($context.responseOverride.status = 200)\n#end"),
    ("VTL011", "#set($context.responseOverride.header.A = 1)\n#set($context.responseOverride.header.B = 2)"),
    ("VTL011", "#foreach($h in $input.path('$.headers').keySet())"
               "#set($context.responseOverride.header[$h] = 1)#end"),
    ("VTL012", "#set($context.responseOverride.status = 404)#set($context.responseOverride.status = \"503\")"),
    ("VTL012", '#set($context.requestOverride.header.X = "a")'),
    ("VTL013", "#set($p = $input.params('ids').split(','))\n#foreach($x in $p)\"$x\"#end"),
]


def _case_id(case) -> str:
    return f"{case[0]}-{re.sub(r'[^a-z0-9]+', '_', case[1].lower())[:30]}"


@pytest.mark.parametrize("code, text, needles", TRIGGERS, ids=[_case_id(c) for c in TRIGGERS])
def test_rule_fires_where_the_problem_is(code: str, text: str, needles: list[str]) -> None:
    expected = [(code, *at(text, needle)) for needle in needles]
    if code == "VTL011":  # the second assignment is reported, not the first
        nth = 1 if needles[0] == "#set" and text.startswith("#set") else 0
        expected = [(code, *at(text, needles[0], nth=nth))]
    assert findings(code, text) == expected


@pytest.mark.parametrize("code, text", LOOKALIKES, ids=[_case_id(c) for c in LOOKALIKES])
def test_rule_is_silent_on_a_lookalike(code: str, text: str) -> None:
    assert findings(code, text) == []


def test_syntax_error_message_is_the_parsers() -> None:
    [message] = messages("VTL001", '#foreach($i in $x)\n$i\n')
    assert message.startswith("#foreach is never closed")


def test_cloudformation_placeholder_outside_sub() -> None:
    text = '{"queue": "arn:aws:sqs:${AWS::Region}:123456789012:q"}'
    assert findings("VTL001", text) == [("VTL001", *at(text, "::"))]
    [message] = messages("VTL001", text)
    assert "${AWS::Region}" in message and "Fn::Sub" in message


def test_placeholder_in_a_sub_template_is_cloudformations() -> None:
    from vtlgw.apigw.definition.model import MappingTemplate

    text = '{"arn": "arn:aws:states:${AWS::Region}:${AWS::AccountId}:stateMachine:m"}'
    assert findings("VTL001", text, mapping=MappingTemplate("application/json", text, symbolic=True)) == []


def test_oversized_template_is_vtl401_not_vtl001() -> None:
    assert findings("VTL001", "a" * 307_201) == []


def test_requestoverride_in_response_template() -> None:
    text = '#set($context.requestOverride.header.X = "a")'
    assert findings("VTL012", text, kind="response") == [("VTL012", 1, 6)]
    assert findings("VTL012", text, kind="request") == []


def test_duplicate_override_points_at_the_first() -> None:
    text = "#set($context.responseOverride.status = 400)\n#set($context.responseOverride.status = 500)"
    [message] = messages("VTL011", text)
    assert "also assigned at 1:1" in message


def test_presence_test_fix_keeps_the_meaning() -> None:
    [plain] = messages("VTL010", "#if($input.path('$.next'))a#end")
    [negated] = messages("VTL010", "#if(!$input.path('$.next'))a#end")
    assert plain.endswith("!= \"\"") and negated.endswith("== \"\"")


def test_unknown_method_suggests_the_java_one() -> None:
    [message] = messages("VTL007", "$input.path('$.items').count()")
    assert "size()" in message


def test_hyphen_fix_is_the_formal_reference() -> None:
    [message] = messages("VTL006", '#set($id = 1)"$id-suffix"')
    assert "${id}-suffix" in message


def test_escaped_directive_is_not_a_directive() -> None:
    assert findings("VTL005", "\\#esle and \\#return") == []


@pytest.mark.parametrize("code", [f"VTL{n:03d}" for n in range(1, 14)])
def test_rule_documentation(code: str) -> None:
    rule = registry.get(code)
    doc = rule.doc
    assert doc.code == code
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", doc.name)
    assert doc.severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
    for text in (doc.message, doc.what, doc.why, doc.example, doc.fix):
        assert text.strip()
    assert "\n" not in doc.message


@pytest.mark.parametrize("code, severity", [
    ("VTL001", Severity.ERROR), ("VTL002", Severity.ERROR), ("VTL003", Severity.ERROR), ("VTL004", Severity.ERROR),
    ("VTL005", Severity.WARNING), ("VTL006", Severity.WARNING), ("VTL007", Severity.WARNING),
    ("VTL008", Severity.WARNING), ("VTL009", Severity.WARNING), ("VTL010", Severity.INFO),
    ("VTL011", Severity.WARNING), ("VTL012", Severity.WARNING), ("VTL013", Severity.INFO),
])
def test_default_severities(code: str, severity: Severity) -> None:
    assert registry.get(code).doc.severity is severity


# ---------------------------------------------------------------- corpora
# tests/lint/data/templates/broken/VTLnnn-*.vtl each show one rule's problem; good/ holds realistic
# templates (Lambda, SQS, DynamoDB, Step Functions, EventBridge, Kinesis, S3, HTTP) that must lint clean,
# as must the examples the repository ships.

DATA = Path(__file__).parent / "data" / "templates"
REPO = Path(__file__).resolve().parents[2]
OWN_FAMILIES = ("VTL0", "VTL1", "VTL4")  # VTL000 is the framework's, not a template rule


def _problems(path: Path) -> list:
    """Every error or warning any rule reports on ``path``."""
    return [d for d in lint([path]) if d.severity >= Severity.WARNING]


@pytest.mark.parametrize("path", sorted((DATA / "broken").glob("VTL*.vtl")), ids=lambda p: p.name)
def test_broken_template_yields_its_rule(path: Path) -> None:
    code = path.name[:6]
    assert code in {d.code for d in lint([path])}


def test_broken_directory_covers_every_template_rule() -> None:
    covered = {path.name[:6] for path in (DATA / "broken").glob("VTL*.vtl")}
    own = {rule.doc.code for rule in registry.all_rules()
           if rule.doc.code.startswith(OWN_FAMILIES) and rule.doc.code != "VTL000"}
    # VTL401 needs a template over 300 KB: generated in test_rules_limits.py instead of stored here
    assert own - covered == {"VTL401"}


@pytest.mark.parametrize("path", sorted((DATA / "good").glob("*.vtl")), ids=lambda p: p.name)
def test_good_template_lints_clean(path: Path) -> None:
    assert [str(d) for d in _problems(path)] == []


SHIPPED = sorted(REPO.glob("templates/*.vtl")) + sorted(REPO.glob("fixtures/*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_shipped_example_lints_clean(path: Path) -> None:
    assert [str(d) for d in _problems(path)] == []
