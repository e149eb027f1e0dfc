"""`vtlgw render` as a user runs it: exact stdout, errors with carets, exit codes, no tracebacks."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vtlgw.cli import main

ROOT = Path(__file__).resolve().parent.parent


def run(*args, input=None):
    result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
    return result


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_prints_output_exactly_without_added_newline(tmp_path):
    t = write(tmp_path, "t.vtl", '{"id": "$input.params(\'id\')"}')
    r = write(tmp_path, "r.json", json.dumps({"path": "/items/7", "resource": "/items/{id}"}))
    result = run("render", t, "--request", r)
    assert result.exit_code == 0
    assert result.stdout == '{"id": "7"}'


def test_template_from_stdin():
    result = run("render", "-", input="a$input.body")
    assert result.exit_code == 0
    assert result.stdout == "a{}"


def test_integration_response_renders_a_response_template(tmp_path):
    t = write(tmp_path, "t.vtl", "$input.path('$.n') $input.params('q')")
    r = write(tmp_path, "r.json", json.dumps({"path": "/", "queryStringParameters": {"q": "x"}}))
    body = write(tmp_path, "body.json", '{"n": 10.00}')
    result = run("render", t, "-r", r, "--integration-response", body)
    assert result.stdout == "10.0 x"


def test_stage_variables_and_context_options(tmp_path):
    t = write(tmp_path, "t.vtl", "$stageVariables.table $context.identity.sourceIp $context.stage $context.path")
    result = run("render", t, "-s", "table=orders", "-c", "identity.sourceIp=203.0.113.9", "--stage", "prod")
    assert result.exit_code == 0
    assert result.stdout == "orders 203.0.113.9 prod /prod/"


def test_syntax_error_exit_1_with_caret(tmp_path):
    t = write(tmp_path, "bad.vtl", "{\n  #if($x)\n  1\n")
    result = run("render", t)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{t}:2:3: error: #if is never closed")
    assert lines[1] == "    #if($x)"
    assert lines[2] == "    ^"
    assert "Traceback" not in result.stderr


def test_runtime_error_exit_1_with_location(tmp_path):
    t = write(tmp_path, "bad.vtl", "ok\n$util.parseJson('{nope')")
    result = run("render", t)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{t}:2:1: error:")
    assert "^" in result.stderr


def test_invalid_request_json_exit_2_with_position(tmp_path):
    t = write(tmp_path, "t.vtl", "x")
    r = write(tmp_path, "r.json", '{\n  "headers": {"A": "b",}\n}')
    result = run("render", t, "-r", r)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{r}:2:")
    assert "Traceback" not in result.stderr


def test_wrong_type_in_request_names_pointer(tmp_path):
    t = write(tmp_path, "t.vtl", "x")
    r = write(tmp_path, "r.json", '{\n  "headers": {"X-Count": 3}\n}')
    result = run("render", t, "-r", r)
    assert result.exit_code == 2
    assert "/headers/X-Count" in result.stderr
    assert result.stderr.startswith(f"{r}:2:")


@pytest.mark.parametrize("args", [["render", "missing.vtl"], ["render", "-", "-r", "-"],
                                  ["render", "-", "-s", "novalue"]])
def test_bad_arguments_exit_2(args):
    result = run(*args, input="x")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


def test_json_envelope_reports_overrides_and_warnings(tmp_path):
    source = ('#set($context.responseOverride.status = 201)'
              '#set($context.requestOverride.header.X-Trace = "a")'
              '#foreach($i in [1..1001])#{end}'
              "done")
    t = write(tmp_path, "t.vtl", source)
    result = run("render", t, "--format", "json")
    envelope = json.loads(result.stdout)
    assert envelope["output"] == "done"
    assert envelope["responseOverride"] == {"header": {}, "status": 201}
    assert envelope["requestOverride"]["header"] == {"X-Trace": "a"}
    assert len(envelope["warnings"]) == 1
    warning = envelope["warnings"][0]
    column = source.index("#foreach") + 1
    assert {k: v for k, v in warning.items() if k != "text"} == {
        "severity": "warning", "code": None,
        "message": "#foreach stopped after 1000 iterations (API Gateway's limit per loop)",
        "file": t, "line": 1, "column": column, "endLine": None, "endColumn": None, "pointer": None, "notes": []}
    assert warning["text"].splitlines()[0] == f"{t}:1:{column}: warning: {warning['message']}"


def test_json_envelope_warnings_of_the_request_file_carry_its_pointer(tmp_path):
    t = write(tmp_path, "t.vtl", "ok")
    r = write(tmp_path, "r.json", '{"path": "/a",\n "Headers": {}}')
    warnings = json.loads(run("render", t, "--request", r, "--format", "json").stdout)["warnings"]
    assert [(w["file"], w["line"], w["column"], w["pointer"], w["message"]) for w in warnings] == [
        (r, 2, 2, "/Headers", 'unknown key "Headers" ignored')]
    assert warnings[0]["text"] == f'{r}:2:2: warning: /Headers: unknown key "Headers" ignored'


def test_text_mode_prints_warnings_on_stderr_as_before(tmp_path):
    t = write(tmp_path, "t.vtl", "a\n  #foreach($i in [1..1001])#end\nb")
    r = write(tmp_path, "r.json", '{"path": "/a",\n "Headers": {}}')
    result = run("render", t, "--request", r)
    assert result.exit_code == 0 and result.stdout == "a\n  b"
    lines = result.stderr.splitlines()
    assert lines[0] == f'{r}:2:2: warning: /Headers: unknown key "Headers" ignored'  # one line, as request errors
    assert lines[1] == f"{t}:2:3: warning: #foreach stopped after 1000 iterations (API Gateway's limit per loop)"
    assert lines[2].endswith("|   #foreach($i in [1..1001])#end")  # the loop's line, then a caret under its #
    assert lines[3].index("^") == lines[2].index("#")


def test_text_mode_reports_overrides_on_stderr(tmp_path):
    t = write(tmp_path, "t.vtl", '#set($context.responseOverride.header.X-A = "b")ok')
    result = run("render", t)
    assert result.stdout == "ok"
    assert "$context.responseOverride.header.X-A = b" in result.stderr


def test_u27_duplicate_override_is_warned(tmp_path):
    t = write(tmp_path, "t.vtl",
              '#set($context.requestOverride.header.X = "1")#set($context.requestOverride.header.X = "2")')
    result = run("render", t, "--format", "json")
    warnings = json.loads(result.stdout)["warnings"]
    assert [w["message"] for w in warnings] == [
        "requestOverride.header.X was overridden more than once (API Gateway answers 500)"]
    second = '#set($context.requestOverride.header.X = "1")'.__len__() + len("#set(") + 1
    assert (warnings[0]["file"], warnings[0]["line"], warnings[0]["column"]) == (t, 1, second)


@pytest.mark.parametrize("template,request_file,extra,expected_start", [
    ("templates/lambda-request.vtl", "fixtures/orders-post.json", [], '{\n  "body": {"customer":"O\'Brien"'),
    ("templates/sqs-send-message.vtl", "fixtures/sqs-message.json", [], "Action=SendMessage&MessageBody=%7B%22event"),
    ("templates/dynamodb-put-item.vtl", "fixtures/orders-post.json", [], '{\n  "TableName": "orders-test"'),
    ("templates/stepfunctions-start-execution.vtl", "fixtures/orders-post.json", [],
     '{\n  "stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:order-flow"'),
    ("templates/lambda-error-response.vtl", "fixtures/orders-post.json",
     ["--integration-response", "fixtures/lambda-error-body.json"], '{\n  "error": {\n    "code": "NotFound"'),
])
def test_shipped_examples_render(template, request_file, extra, expected_start, monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("render", template, "-r", request_file, *extra)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(expected_start)
    if template.endswith(("lambda-request.vtl", "dynamodb-put-item.vtl", "stepfunctions-start-execution.vtl",
                          "lambda-error-response.vtl")):
        json.loads(result.stdout)  # the examples produce valid JSON


def test_python_api_render():
    import vtlgw

    out = vtlgw.render("{\"id\": \"$input.params('id')\", \"n\": $input.json('$.n')}",
                       {"path": "/orders/7", "resource": "/orders/{id}", "body": {"n": 1.50}})
    assert out == '{"id": "7", "n": 1.5}'
    with pytest.raises(vtlgw.VtlError):
        vtlgw.render("#if(")
