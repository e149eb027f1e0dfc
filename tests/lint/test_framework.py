"""The lint framework: diagnostics model, registry, units and their locations, runner, discovery, suppression."""

from __future__ import annotations

import dataclasses

import pytest

from vtlgw import VtlError
from vtlgw.apigw.errors import InputFileError
from vtlgw.lint import LintConfig, lint, lint_text
from vtlgw.lint.errors import LintConfigError, LintInputError
from vtlgw.lint.registry import all_rules, get, register, registered
from vtlgw.lint.rule import RuleDoc, TemplateRule
from vtlgw.lint.runner import Runner
from vtlgw.lint.units import TemplateUnit, is_json_media_type, looks_like_form_body
from vtlgw.vtl.diagnostics import Diagnostic, Location, Severity, format_text
from vtlgw.vtl.errors import TemplateSyntaxError

from .conftest import MentionsBar, PrintsFoo

OPENAPI = """\
openapi: 3.0.1
info: {title: t, version: '1'}
paths:
  /pets:
    post:
      responses:
        '200': {description: ok}
      x-amazon-apigateway-integration:
        type: aws
        uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:f/invocations
        httpMethod: POST
        requestTemplates:
          application/json: |
            {
              "a": "$foo"
            }
          application/xml: "<a>$foo</a>"
        responses:
          default:
            statusCode: '200'
            responseTemplates:
              application/json: '{"b": "$foo"}'
x-amazon-apigateway-gateway-responses:
  DEFAULT_4XX:
    statusCode: '400'
    responseTemplates:
      application/json: |
        {"message": "$foo"}
"""

POINTER = "/paths/~1pets/post/x-amazon-apigateway-integration"

# Only the framework's rule and the sample rules of conftest.py, whatever real rules are registered.
SAMPLES = LintConfig(select=["VTL000", "VTL99"])


def codes(diagnostics):
    return [d.code for d in diagnostics]


# ---------------------------------------------------------------- the model


def test_severity_prints_its_name_and_orders():
    assert str(Severity.WARNING) == "warning"
    assert f"{Severity.ERROR}" == "error"
    assert f"{Severity.INFO:>6}" == "  info"
    assert Severity.INFO < Severity.WARNING < Severity.ERROR
    assert Severity.parse(" Warning ") is Severity.WARNING
    with pytest.raises(ValueError):
        Severity.parse("fatal")


def test_location_prints_as_far_as_known():
    assert str(Location("a.vtl", 3, 7)) == "a.vtl:3:7"
    assert str(Location("a.vtl", 3)) == "a.vtl:3"
    assert str(Location("a.vtl", None, 7)) == "a.vtl"


def test_format_text_is_ruff_style_with_a_caret_span():
    line = '  "name": "$util.escapeJavaScript($body.name)",'
    start = line.index("$util") + 1
    end = line.index('",', start) + 1
    d = Diagnostic(Severity.WARNING, "VTL106", 'escapeJavaScript inside a JSON string without .replaceAll("\\\\\'","\'")',
                   Location("templates/create.request.json.vtl", 14, start, 14, end, source_line=line))
    assert format_text(d) == (
        'templates/create.request.json.vtl:14:12: warning VTL106 escapeJavaScript inside a JSON string without '
        '.replaceAll("\\\\\'","\'")\n'
        '   14 |   "name": "$util.escapeJavaScript($body.name)",\n'
        "      |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^"
    )
    assert str(d) == format_text(d)


def test_format_text_notes_and_multiline_span():
    d = Diagnostic(Severity.ERROR, "VTL201", "not JSON", Location("a.vtl", 2, 3, 4, 1, source_line="  {abc"),
                   notes=("sample: empty body",))
    assert format_text(d).splitlines() == [
        "a.vtl:2:3: error VTL201 not JSON",
        "    2 |   {abc",
        "      |   ^^^^",
        "  = sample: empty body",
    ]


def test_template_error_is_a_diagnostic_and_prints_as_before():
    err = TemplateSyntaxError("unclosed #if", name="t.vtl", line=2, column=3, source_line="  #if($x)\n")
    assert str(err) == "t.vtl:2:3: error: unclosed #if\n    #if($x)\n    ^"
    assert err.where == "t.vtl:2:3"
    assert err.location == Location("t.vtl", 2, 3, source_line="  #if($x)\n")
    assert err.diagnostic() == Diagnostic(Severity.ERROR, None, "unclosed #if", err.location)
    # the location follows the attributes (the pipeline relocates errors into definition files)
    err.name, err.line = "api.yaml", 40
    assert str(err.location) == "api.yaml:40:3"


def test_input_file_error_is_a_diagnostic_and_prints_as_before():
    err = InputFileError("expected a string", file="api.yaml", pointer="/x/y", line=12, column=7)
    assert str(err) == "api.yaml:12:7: error: /x/y: expected a string"
    assert err.location == Location("api.yaml", 12, 7, pointer="/x/y")
    assert err.where == "api.yaml:12:7"
    assert err.diagnostic().code is None
    assert str(InputFileError("bad", column=3)) == "<input>: error: bad"


# ---------------------------------------------------------------- registry


def test_registry_is_sorted_and_knows_the_framework_rule(sample_rules):
    found = [r.doc.code for r in all_rules()]
    assert found == sorted(found)
    assert {"VTL000", "VTL991", "VTL994"} <= set(found)
    assert get("vtl991") is PrintsFoo


def test_unknown_rule_id_is_a_vtl_error():
    with pytest.raises(LintConfigError, match="unknown rule id 'VTL9999'") as info:
        get("VTL9999")
    assert isinstance(info.value, VtlError)


def test_duplicate_and_malformed_codes_are_refused_at_import(sample_rules):
    class Copy(TemplateRule):
        doc = dataclasses.replace(PrintsFoo.doc, name="copy")

    with pytest.raises(ValueError, match="VTL991 registered twice"):
        register(Copy)

    class Malformed(TemplateRule):
        doc = dataclasses.replace(PrintsFoo.doc, code="X1")

    with pytest.raises(ValueError, match="not VTL followed by three digits"):
        register(Malformed)


def test_registered_rules_are_gone_after_the_block():
    class Temporary(TemplateRule):
        doc = RuleDoc("VTL998", "temporary", Severity.INFO, "m", "w", "y", "e", "f")

        def check(self, unit):
            return iter(())

    with registered(Temporary):
        assert get("VTL998") is Temporary
    with pytest.raises(LintConfigError):
        get("VTL998")


# ---------------------------------------------------------------- lone templates


def test_lint_text_locates_findings_in_the_template(sample_rules):
    found = lint_text('{\n  "a": "$foo"\n}', name="t.vtl", config=SAMPLES)
    assert [(d.code, str(d.location), d.location.end_column, d.severity) for d in found] == [
        ("VTL991", "t.vtl:2:9", 13, Severity.WARNING)]
    assert found[0].location.source_line == '  "a": "$foo"'


def test_unit_parses_once_and_keeps_syntax_errors(sample_rules):
    unit = TemplateUnit.build("#if($x)\nopen", "t.vtl")
    assert unit.template is None and unit.tree is None
    assert isinstance(unit.syntax_error, TemplateSyntaxError)
    found = lint_text("ok\n#if($x)\nopen", name="t.vtl", config=SAMPLES)
    assert [(d.code, d.location.line) for d in found] == [("VTL993", 2)]
    good = TemplateUnit.build("a $b", "t.vtl")
    assert good.syntax_error is None and good.tree and good.template is not None


def test_offset_of_turns_line_col_into_an_offset():
    unit = TemplateUnit(text="ab\ncd\nef", name="t")
    assert unit.offset_of(1, 1) == 0
    assert unit.text[unit.offset_of(2, 2)] == "d"
    assert unit.offset_of(9, 1) == len(unit.text)


def test_a_crashing_rule_is_reported_not_raised(sample_rules):
    found = lint_text("crash", name="t.vtl", config=SAMPLES)
    assert [d.code for d in found] == ["VTL995"]
    assert "internal error in rule VTL995 (ZeroDivisionError: boom)" in found[0].message
    assert found[0].severity is Severity.ERROR


# ---------------------------------------------------------------- definitions


def test_block_scalar_templates_report_definition_file_coordinates(project, write, sample_rules):
    write("api.yaml", OPENAPI)
    found = [d for d in lint(["api.yaml"], config=SAMPLES) if d.code == "VTL991"]
    block = found[0]
    assert (block.location.file, block.location.line, block.location.column, block.location.end_column) == (
        "api.yaml", 15, 21, 25)
    assert block.location.source_line == '              "a": "$foo"'
    assert block.location.pointer == f"{POINTER}/requestTemplates/application~1json"
    assert "template" not in block.message


def test_quoted_templates_report_their_key_with_template_coordinates(project, write, sample_rules):
    write("api.yaml", OPENAPI)
    found = [d for d in lint(["api.yaml"], config=SAMPLES) if d.code == "VTL991"]
    quoted = found[1]
    assert (quoted.location.line, quoted.location.column) == (17, 11)  # the key application/xml
    assert quoted.location.pointer == f"{POINTER}/requestTemplates/application~1xml"
    assert quoted.message == f"do not print $foo (template {POINTER}/requestTemplates/application~1xml, at 1:4)"
    response = found[2]
    assert response.location.line == 22
    assert response.message.endswith(f"{POINTER}/responses/default/responseTemplates/application~1json, at 1:8)")


def test_gateway_response_templates_are_linted(project, write, sample_rules):
    write("api.yaml", OPENAPI)
    runner = Runner(SAMPLES)
    findings = [f for f in runner.run(["api.yaml"]).findings if f.diagnostic.code == "VTL991"]
    assert [f.kind for f in findings] == ["request", "request", "response", "gateway"]
    gateway = findings[3].diagnostic
    assert (gateway.location.line, gateway.location.column) == (28, 22)


def test_json_definitions_report_at_the_template_key(project, write, sample_rules):
    import json

    doc = {
        "swagger": "2.0", "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"responses": {"200": {"description": "ok"}},
                                 "x-amazon-apigateway-integration": {
                                     "type": "mock", "requestTemplates": {"application/json": "{\"s\": $foo}"}}}}},
    }
    write("api.json", json.dumps(doc, indent=2))
    [d] = [d for d in lint(["api.json"], config=SAMPLES) if d.code == "VTL991"]
    assert d.location.file == "api.json"
    lines = json.dumps(doc, indent=2).split("\n")
    key_line = next(i for i, line in enumerate(lines, 1) if line.strip().startswith('"application/json"'))
    assert (d.location.line, d.location.column) == (key_line, lines[key_line - 1].index('"') + 1)
    assert d.message.endswith("/requestTemplates/application~1json, at 1:7)")


def test_definition_rules_and_load_problems(project, write, sample_rules):
    write("api.yaml", OPENAPI.replace("type: aws", "type: bogus"))
    found = lint(["api.yaml"], config=SAMPLES)
    [problem] = [d for d in found if d.code == "VTL000"]
    assert (str(problem.location), problem.severity) == ("api.yaml:9:15", Severity.ERROR)
    assert problem.location.pointer == f"{POINTER}/type"
    assert problem.message.startswith(f"{POINTER}/type: unknown integration type 'bogus'")


def test_a_definition_rule_sees_every_method(project, write, sample_rules):
    write("api.yaml", OPENAPI)
    [d] = [d for d in lint(["api.yaml"], config=SAMPLES) if d.code == "VTL994"]
    assert d.message == "integration of POST /pets"
    assert d.location.line == 9 and d.location.pointer == POINTER


def test_unparsable_definition_raises_with_its_location(project, write):
    write("api.yaml", "openapi: 3.0.1\npaths: [\n")
    with pytest.raises(VtlError) as info:
        lint(["api.yaml"], config=SAMPLES)
    assert str(info.value).startswith("api.yaml:")


def test_missing_and_non_utf8_inputs_raise_located_errors(project, write):
    with pytest.raises(LintInputError, match="no such file"):
        lint(["nope.vtl"], config=SAMPLES)
    write("bad.vtl", b"ok\n\xff")
    with pytest.raises(LintInputError) as info:
        lint(["bad.vtl"], config=SAMPLES)
    assert str(info.value) == "bad.vtl:2:1: error: not UTF-8 text (byte 0xff)"


# ---------------------------------------------------------------- what the output is meant to be


def _unit_in(project, write, integration: str, key: str = "application/json", kind: str = "request"):
    write("api.yaml", integration)
    from vtlgw.apigw.definition import load_definition

    definition = load_definition("api.yaml", strict=False)
    units = list(Runner().embedded_units(definition, "api.yaml"))
    return next(u for u in units if u.kind == kind and u.media_type == key)


def _api(kind: str, uri: str, extra: str = "", key: str = "application/json", template: str = '{"a": 1}') -> str:
    return f"""\
openapi: 3.0.1
info: {{title: t, version: '1'}}
paths:
  /x:
    post:
      responses:
        '200': {{description: ok}}
      x-amazon-apigateway-integration:
        type: {kind}
        uri: {uri}
        httpMethod: POST
{extra}        requestTemplates:
          {key}: '{template}'
        responses:
          default:
            statusCode: '200'
            responseTemplates:
              application/xml: '<a/>'
              application/problem+json: '{{}}'
"""


LAMBDA = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:f/invocations"
SQS = "arn:aws:apigateway:us-east-1:sqs:path/123456789012/q"


def test_json_output_lambda_request_templates_whatever_the_key(project, write):
    unit = _unit_in(project, write, _api("aws", LAMBDA, key="text/plain"), key="text/plain")
    assert unit.json_output


def test_json_output_follows_the_integration_content_type(project, write):
    form = "        requestParameters:\n          integration.request.header.Content-Type: \"'application/x-www-form-urlencoded'\"\n"
    sqs = _unit_in(project, write, _api("aws", SQS, form, template="Action=SendMessage&MessageBody=$input.body"))
    assert not sqs.json_output and sqs.renders_form_body
    assert sqs.integration_content_type == "application/x-www-form-urlencoded"
    json_header = form.replace("application/x-www-form-urlencoded", "application/json")
    http = _unit_in(project, write, _api("http", "https://example.com/x", json_header, key="text/plain"),
                    key="text/plain")
    assert http.json_output
    keyed = _unit_in(project, write, _api("http", "https://example.com/x"))
    assert keyed.json_output  # the key is the integration's Content-Type when none is mapped
    unmapped_form = _unit_in(project, write, _api("aws", SQS, template="Action=SendMessage&MessageBody=$input.body"))
    assert not unmapped_form.json_output


def test_json_output_of_response_templates_follows_the_key(project, write):
    api = _api("http", "https://example.com/x")
    assert not _unit_in(project, write, api, key="application/xml", kind="response").json_output
    assert _unit_in(project, write, api, key="application/problem+json", kind="response").json_output


def test_json_output_of_lone_templates():
    assert TemplateUnit(text='{"a": $b}', name="t").json_output
    assert not TemplateUnit(text="#set($x = 1)\nAction=SendMessage&MessageBody=$b", name="t").json_output
    assert not TemplateUnit(text="<a/>", name="t", media_type="application/xml").json_output
    assert TemplateUnit(text="<a/>", name="t", kind="response", media_type="application/hal+json").json_output


def test_media_type_and_form_helpers():
    assert is_json_media_type("application/json; charset=utf-8")
    assert is_json_media_type("application/vnd.api+json")
    assert not is_json_media_type("text/json-seq") and not is_json_media_type(None)
    assert looks_like_form_body("## comment\nAction=SendMessage&MessageBody=$x")
    assert not looks_like_form_body('{"Action": "a&b"}')
    assert not looks_like_form_body("just=text")  # one pair and no '&' is not evidence of a form


# ---------------------------------------------------------------- discovery


def test_directories_honour_gitignore_and_skip_hidden_and_vendored(project, write, sample_rules):
    write(".gitignore", "build/\n*.generated.vtl\n!keep.generated.vtl\n")
    write("a.vtl", "$foo")
    write("sub/b.vtl", "$foo")
    write("sub/.gitignore", "local.vtl\n")
    write("sub/local.vtl", "$foo")
    write("build/c.vtl", "$foo")
    write("x.generated.vtl", "$foo")
    write("keep.generated.vtl", "$foo")
    write(".hidden/d.vtl", "$foo")
    write("node_modules/pkg/e.vtl", "$foo")
    write("venv/pyvenv.cfg", "")
    write("venv/lib/f.vtl", "$foo")
    write("env2/pyvenv.cfg", "")
    write("env2/g.vtl", "$foo")
    write("package.json", '{"name": "x"}')
    result = Runner(SAMPLES).run(["."])
    assert not result.errors
    assert sorted(result.files) == ["a.vtl", "keep.generated.vtl", "sub/b.vtl"]


def test_gitignore_of_the_repository_applies_to_a_subdirectory(project, write, sample_rules):
    write(".gitignore", "templates/old/\n")
    write("templates/new.vtl", "$foo")
    write("templates/old/x.vtl", "$foo")
    assert Runner(SAMPLES).run(["templates"]).files == ["templates/new.vtl"]


def test_explicit_non_definition_is_an_error_unless_skipped(project, write):
    write("package.json", '{"name": "x"}')
    result = Runner(SAMPLES).run(["package.json"])
    assert [str(e) for e in result.errors] == [
        "package.json: error: not a recognised API definition: expected OpenAPI ('openapi: 3.x' or "
        "'swagger: \"2.0\"'), a CloudFormation/SAM/CDK template ('Resources'), 'aws apigateway "
        "get-method'/'get-resources' JSON, or Terraform's 'terraform show -json' of a plan or state "
        "('format_version')"]
    skipped = Runner(SAMPLES, skip_unrecognised=True).run(["package.json"])
    assert not skipped.errors and skipped.files == []


def test_cloudformation_without_rest_api_is_skipped_in_a_directory(project, write):
    write("stack.yaml", "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: a}\n")
    result = Runner(SAMPLES).run(["."])
    assert not result.errors and result.files == []


def test_each_file_is_linted_once(project, write, sample_rules):
    write("a.vtl", "$foo")
    assert codes(lint(["a.vtl", ".", "./a.vtl"], config=SAMPLES)) == ["VTL991"]


# ---------------------------------------------------------------- inline suppression


def test_ignore_comment_silences_the_next_line_only(sample_rules):
    text = "$foo\n## vtlgw: ignore[VTL991]\n$foo bar\n$foo"
    found = lint_text(text, name="t.vtl", config=SAMPLES)
    assert [(d.code, d.location.line) for d in found] == [("VTL991", 1), ("VTL991", 4), ("VTL992", 3)]


def test_ignore_comment_takes_several_ids_and_ignore_file_the_whole_template(sample_rules):
    assert lint_text("## vtlgw: ignore[vtl991, VTL992]\n$foo bar", name="t", config=SAMPLES) == []
    found = lint_text("$foo bar\n## vtlgw: ignore-file[VTL992]\nbar $foo", name="t", config=SAMPLES)
    assert [(d.code, d.location.line) for d in found] == [("VTL991", 1), ("VTL991", 3)]


def test_suppression_works_inside_a_definition_block_scalar(project, write, sample_rules):
    text = OPENAPI.replace('              "a": "$foo"\n',
                           '              ## vtlgw: ignore[VTL991]\n              "a": "$foo"\n')
    write("api.yaml", text)
    found = [d for d in lint(["api.yaml"], config=SAMPLES) if d.code == "VTL991"]
    assert [d.location.line for d in found] == [18, 23, 29]  # the block scalar's finding is gone


def test_python_api_applies_configuration(sample_rules):
    text = "$foo bar"
    assert codes(lint_text(text, config=LintConfig(select=["VTL992"]))) == ["VTL992"]
    assert codes(lint_text(text, config=LintConfig(select=["VTL99"], ignore=["VTL99"]))) == []
    [d] = lint_text(text, config=LintConfig(select=["VTL991"], severity={"VTL991": Severity.ERROR}))
    assert d.severity is Severity.ERROR


def test_mentions_bar_rule_is_text_based(sample_rules):
    assert MentionsBar.doc.severity is Severity.INFO
    [d] = lint_text("a\n  bar", name="t", config=SAMPLES)
    assert (d.location.line, d.location.column, d.location.end_column) == (2, 3, 6)


def test_a_problem_claimed_by_a_rule_is_not_also_vtl000(project, write, sample_rules):
    from vtlgw.lint.rule import DefinitionRule

    class ClaimsTypes(DefinitionRule):
        doc = RuleDoc("VTL997", "claims-types", Severity.ERROR, "m", "w", "y", "e", "f")

        @classmethod
        def claims(cls, problem):
            return "unknown integration type" in problem.message

        def check(self, unit):
            return iter(())

    write("api.yaml", OPENAPI.replace("type: aws", "type: bogus"))
    assert "VTL000" in codes(lint(["api.yaml"], config=SAMPLES))
    with registered(ClaimsTypes):
        assert "VTL000" not in codes(lint(["api.yaml"], config=SAMPLES))


def test_parallel_run_gives_the_serial_result_in_order(project, write, sample_rules):
    for i in range(12):
        write(f"t{i:02d}.vtl", "$foo bar\n" * (i % 3 + 1))
    write("broken.json", '{"swagger": "2.0", "paths": {"/x": {"get": {"x-amazon-apigateway-integration": [}}}}')
    serial = Runner(SAMPLES).run(["."], jobs=1)
    parallel = Runner(SAMPLES).run(["."], jobs=2)
    assert parallel.findings == serial.findings and parallel.files == serial.files
    assert [str(e) for e in parallel.errors] == [str(e) for e in serial.errors] and serial.errors


def test_units_compile_only_when_a_rule_asks(sample_rules):
    unit = TemplateUnit.build("#set($a = 1)$a", "t.vtl")
    assert unit._template is None and unit.tree
    assert unit.template is not None and unit.template.render({}) == "1"
    assert TemplateUnit.build("x" * 307_201, "big.vtl").syntax_error.message.startswith("template is 307201 bytes")


def test_definition_unit_locations_span_one_line_values(project, write):
    from vtlgw.apigw.definition import load_definition
    from vtlgw.lint.units import DefinitionUnit

    write("api.yaml", OPENAPI)
    definition = load_definition("api.yaml", strict=False)
    integration = definition.methods[("POST", "/pets")].integration
    unit = DefinitionUnit(definition, "api.yaml")
    http_method = unit.location(integration.where("http_method"))
    assert (http_method.line, http_method.column, http_method.end_line, http_method.end_column) == (11, 21, 11, 25)
    assert http_method.source_line == "        httpMethod: POST"
    assert http_method.pointer == f"{POINTER}/httpMethod"
    whole = unit.location(integration.source)  # a mapping over several lines: its start only
    assert (whole.line, whole.end_line) == (9, None)
    assert unit.location(None) == Location("api.yaml")


def test_suppression_follows_a_diagnostic_rebuilt_by_a_rule(project, write, sample_rules):
    """A rule may copy its finding (dataclasses.replace); inside a block scalar the line still maps back."""
    from vtlgw.apigw.definition import load_definition

    definition = load_definition(write("api.yaml", OPENAPI), strict=False)
    unit = next(Runner(SAMPLES).embedded_units(definition, "api.yaml"))
    made = unit.diagnostic(PrintsFoo, unit.text.index("$foo"))
    copy = dataclasses.replace(made, message="changed")
    assert unit.template_line(made) == unit.template_line(copy) == 2


def test_an_unknown_id_in_a_suppression_comment_is_a_warning(sample_rules):
    found = lint_text("$foo\n## vtlgw: ignore[VTL991, VTL9x1]\n$foo", name="t.vtl", config=SAMPLES)
    assert [(d.code, d.severity, str(d.location), d.location.end_column) for d in found] == [
        (None, Severity.WARNING, "t.vtl:2:26", 32), ("VTL991", Severity.WARNING, "t.vtl:1:1", 5)]
    assert found[0].message == "unknown rule id 'VTL9X1' in a vtlgw: ignore comment (it silences nothing)"
