"""Issue 12, "Never a traceback": inputs that used to crash vtlgw give a defined behaviour or a located error.

Each CLI case runs in a bounded subprocess (``conftest.run_limited``): memory-capped, with a timeout, and
checked for the absence of a traceback. The Python API contract has its own file (``test_api_contract.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import Outcome, python_api, vtlgw_cli

ROOT = Path(__file__).resolve().parents[2]
ORDERS_API = str(ROOT / "fixtures" / "orders-api.openapi.yaml")


def clean(outcome: Outcome, *codes: int) -> Outcome:
    """The run ended with one of ``codes`` and printed no traceback."""
    assert not outcome.traceback, outcome.stderr[-3000:]
    assert outcome.returncode in codes, (outcome.returncode, outcome.stdout[-2000:], outcome.stderr[-2000:])
    return outcome


def write(tmp_path: Path, name: str, text: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def mock_api(tmp_path: Path, response_template: str) -> str:
    """A one-method OpenAPI file: GET /echo, a MOCK whose response template is ``response_template``."""
    definition = {
        "openapi": "3.0.1",
        "info": {"title": "echo", "version": "1"},
        "paths": {"/echo": {"post": {
            "responses": {"200": {"description": "ok"}},
            "x-amazon-apigateway-integration": {
                "type": "mock",
                "requestTemplates": {"application/json": '{"statusCode": 200}'},
                "responses": {"default": {"statusCode": "200",
                                          "responseTemplates": {"application/json": response_template}}},
            },
        }}},
    }
    return write(tmp_path, "echo.openapi.json", json.dumps(definition))


# ---------------------------------------------------------------------------- lone surrogates


SURROGATE_BODY = '{"httpMethod": "POST", "path": "/echo", "body": "a\\ud800b"}'
PARSED_SURROGATE = '{"httpMethod": "POST", "path": "/echo", "body": "\\"a\\\\ud800b\\""}'  # body: "a\ud800b" as JSON


def test_render_prints_a_lone_surrogate_of_the_body_as_a_question_mark(tmp_path):
    template = write(tmp_path, "t.vtl", "$input.body")
    request = write(tmp_path, "r.json", SURROGATE_BODY)
    out = clean(vtlgw_cli("render", template, "-r", request), 0)
    assert out.stdout == "a?b"


def test_render_json_envelope_with_a_surrogate_from_parse_json_parses(tmp_path):
    template = write(tmp_path, "t.vtl", "#set($v = $util.parseJson($input.body))"
                                        "#set($context.responseOverride.header.X = $v)$v|$v.length()")
    request = write(tmp_path, "r.json", PARSED_SURROGATE)
    out = clean(vtlgw_cli("render", template, "-r", request, "-f", "json"), 0)
    envelope = json.loads(out.stdout)
    assert envelope["output"] == "a?b|3"  # Java still counts the surrogate as one char; only the bytes show `?`
    assert envelope["responseOverride"]["header"] == {"X": "a?b"}


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_invoke_with_a_surrogate_in_the_body_and_the_output(tmp_path, fmt):
    api = mock_api(tmp_path, "#set($v = $util.parseJson('\"x\\ud800y\"'))$v")
    request = write(tmp_path, "r.json", SURROGATE_BODY)
    out = clean(vtlgw_cli("invoke", "--api", api, "-r", request, "-f", fmt), 0)
    if fmt == "json":
        result = json.loads(out.stdout)
        assert result["body"] == "x?y"
        assert "Method request body before transformations: a?b" in result["log"]
    else:
        assert "x?y" in out.stdout
        assert "Method request body before transformations: a?b" in out.stdout


def test_python_api_render_and_invoke_with_surrogates():
    out = clean(python_api(
        "from vtlgw.apigw.definition import load_definition\n"
        "from vtlgw.apigw.pipeline import invoke, to_json\n"
        "from vtlgw.apigw.request import request_from_dict\n"
        f"api = load_definition({ORDERS_API!r})\n"
        "print(vtlgw.render('$input.body', {'body': 'a\\ud800'}))\n"
        "print(vtlgw.render('$util.parseJson($input.body)', {'body': '\"\\\\ud800\"'}))\n"
        "request, _ = request_from_dict({'httpMethod': 'GET', 'path': '/health', 'body': '\\ud800'})\n"
        "result = invoke(api, request)\n"
        "import json; json.dumps(to_json(result)).encode('utf-8')\n"
        "print(result.body_bytes.decode('utf-8'))\n"), 0)
    assert out.stdout.splitlines()[:2] == ["a?", "?"]


# ---------------------------------------------------------------------------- template BOM


def test_render_drops_a_template_files_bom(tmp_path):
    template = write(tmp_path, "t.vtl", "\ufeff#if(true)\nyes\n#end".encode("utf-8"))
    out = clean(vtlgw_cli("render", template), 0)
    assert out.stdout == "yes\n"


def test_python_api_drops_a_leading_bom():
    import vtlgw

    assert vtlgw.render("\ufeff#set($a = 1)$a") == "1"


def test_definition_templates_drop_a_leading_bom(tmp_path):
    api = mock_api(tmp_path, "\ufeff{\"ok\": true}")
    request = write(tmp_path, "r.json", '{"httpMethod": "POST", "path": "/echo"}')
    out = clean(vtlgw_cli("invoke", "--api", api, "-r", request, "-f", "json"), 0)
    assert json.loads(out.stdout)["body"] == '{"ok": true}'


# ---------------------------------------------------------------------------- dates out of range


@pytest.mark.parametrize("context, pointer", [
    ('{"requestTime": "31/Dec/9999:23:59:59 -0100"}', "/requestContext/requestTime"),
    ('{"requestTime": "01/Jan/0001:00:00:00 +0100"}', "/requestContext/requestTime"),
    ('{"requestTimeEpoch": 100000000000000000000000000000}', "/requestContext/requestTimeEpoch"),
    ('{"requestTimeEpoch": -100000000000000000000000000000}', "/requestContext/requestTimeEpoch"),
    ('{"requestTimeEpoch": 1e29}', "/requestContext/requestTimeEpoch"),
])
@pytest.mark.parametrize("command", ["render", "invoke"])
def test_request_times_out_of_range_are_located_in_the_request_file(tmp_path, context, pointer, command):
    request = write(tmp_path, "r.json", '{"httpMethod": "GET", "path": "/health",\n "requestContext": ' + context + "}")
    if command == "render":
        out = clean(vtlgw_cli("render", write(tmp_path, "t.vtl", "$context.requestTime"), "-r", request), 2)
    else:
        out = clean(vtlgw_cli("invoke", "--api", ORDERS_API, "-r", request), 2)
    assert f"{request}:2:" in out.stderr and pointer in out.stderr
    assert "range" in out.stderr or "integer" in out.stderr


@pytest.mark.parametrize("assignment", ["requestTimeEpoch=100000000000000000000000000000", "requestTimeEpoch=1e29",
                                        "requestTime=31/Dec/9999:23:59:59 -0100"])
def test_request_times_out_of_range_from_the_context_option(tmp_path, assignment):
    out = clean(vtlgw_cli("render", write(tmp_path, "t.vtl", "$context.requestTime"), "-c", assignment), 2)
    assert "requestTime" in out.stderr


def test_request_time_epoch_bounds_are_the_years_1_to_9999():
    import vtlgw
    from vtlgw.apigw.request import MAX_EPOCH_MS, MIN_EPOCH_MS

    assert vtlgw.render("$context.requestTime", context={"requestTimeEpoch": MAX_EPOCH_MS}) == \
        "31/Dec/9999:23:59:59 +0000"
    assert vtlgw.render("$context.requestTime", context={"requestTimeEpoch": MIN_EPOCH_MS}) == \
        "01/Jan/0001:00:00:00 +0000"
    for epoch in (MAX_EPOCH_MS + 1, MIN_EPOCH_MS - 1, 10 ** 29):
        with pytest.raises(vtlgw.VtlError, match=r"\$context\.requestTimeEpoch: .* out of range"):
            vtlgw.render("x", context={"requestTimeEpoch": epoch})
    with pytest.raises(vtlgw.VtlError, match=r"requestTimeEpoch must be an integer"):
        vtlgw.render("x", context={"requestTimeEpoch": 1e29})
    with pytest.raises(vtlgw.VtlError, match=r"\$context\.requestTime: .* out of range"):
        vtlgw.render("x", context={"requestTime": "01/Jan/0001:00:00:00 +0100"})


# ---------------------------------------------------------------------------- in-process handlers

HANDLERS = '''\
import os, sys
print("module imported")


class Boom(BaseException):
    pass


def base_exception(event, context):
    print("about to fail")
    sys.stderr.write("on stderr\\n")
    raise Boom("boom")


def exits(event, context):
    print("bye")
    sys.exit(3)


def exits_with_message(event, context):
    sys.exit("fatal: no config")


def deep(event, context):
    value = []
    for _ in range(100_000):
        value = [value]
    return value


def prints(event, context):
    print("from print")
    os.write(1, b"from fd 1\\n")
    os.write(2, b"from fd 2\\n")
    os.system("echo from a child process")
    return {"id": "12", "status": "shipped", "total": 1}


def interrupted(event, context):
    raise KeyboardInterrupt
'''

LAMBDA_RUN = ("--api", ORDERS_API, "-X", "GET", "-p", "/orders/12")


def handler_dir(tmp_path: Path) -> Path:
    (tmp_path / "hostile_handlers.py").write_text(HANDLERS, encoding="utf-8")
    return tmp_path


def endpoint_body(log: str) -> dict:
    line = next(x for x in log.splitlines() if "Endpoint response body before transformations: " in x)
    return json.loads(line.split("Endpoint response body before transformations: ", 1)[1])


@pytest.mark.parametrize("name, error_type, message", [
    ("base_exception", "Boom", "boom"),
    ("exits", "Runtime.ExitError", "Runtime exited with error: exit status 3"),
    ("exits_with_message", "Runtime.ExitError", "Runtime exited with error: exit status 1"),
    ("deep", "Runtime.MarshalError", "Unable to marshal response: maximum recursion depth exceeded"),
])
def test_a_failing_handler_is_a_lambda_function_error(tmp_path, name, error_type, message):
    cwd = handler_dir(tmp_path)
    out = clean(vtlgw_cli("invoke", *LAMBDA_RUN, "--lambda-handler", f"hostile_handlers:{name}", "-f", "json",
                          cwd=cwd), 0, 1)
    result = json.loads(out.stdout)  # stdout is the JSON object alone, whatever the handler printed
    error = endpoint_body(result["log"])
    assert error["errorType"] == error_type
    assert message in error["errorMessage"]
    assert "Lambda execution failed with status 200 due to customer function error" in result["log"]
    assert "module imported" not in out.stdout and "bye" not in out.stdout


def test_exit_error_has_the_runtime_shape(tmp_path):
    cwd = handler_dir(tmp_path)
    out = clean(vtlgw_cli("invoke", *LAMBDA_RUN, "--lambda-handler", "hostile_handlers:exits", "-f", "json",
                          cwd=cwd), 0)
    error = endpoint_body(json.loads(out.stdout)["log"])
    assert error == {"errorType": "Runtime.ExitError",
                     "errorMessage": f"RequestId: {error['errorMessage'].split()[1]} Error: Runtime exited with "
                                     "error: exit status 3"}


def test_handler_output_is_captured_and_shown_apart(tmp_path):
    cwd = handler_dir(tmp_path)
    out = clean(vtlgw_cli("invoke", *LAMBDA_RUN, "--lambda-handler", "hostile_handlers:prints", "-f", "json",
                          cwd=cwd), 0)
    result = json.loads(out.stdout)
    assert result["status"] == 200
    for text in ("from print", "from fd 1", "from fd 2", "from a child process"):
        assert text not in out.stdout
    text = clean(vtlgw_cli("invoke", *LAMBDA_RUN, "--lambda-handler", "hostile_handlers:prints", cwd=cwd), 0)
    section = text.stdout.split("Handler output (stdout and stderr of the in-process function):\n", 1)[1]
    assert section.rstrip("\n").splitlines() == ["module imported", "from print", "from fd 1", "from fd 2",
                                    "from a child process"]


def test_keyboard_interrupt_stops_vtlgw_without_a_traceback(tmp_path):
    cwd = handler_dir(tmp_path)
    out = clean(vtlgw_cli("invoke", *LAMBDA_RUN, "--lambda-handler", "hostile_handlers:interrupted", cwd=cwd), 1)
    assert "Aborted" in out.stderr


def test_lambda_proxy_handler_that_exits_is_a_502(tmp_path):
    cwd = handler_dir(tmp_path)
    sam = str(ROOT / "fixtures" / "orders-sam.yaml")
    out = clean(vtlgw_cli("invoke", "--api", sam, "-X", "GET", "-p", "/orders",
                          "--lambda-handler", "hostile_handlers:exits", "-f", "json", cwd=cwd), 1)
    result = json.loads(out.stdout)
    assert result["status"] == 502
    assert endpoint_body(result["log"])["errorType"] == "Runtime.ExitError"


SAM = '''\
Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: src/}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      DefinitionBody:
        openapi: 3.0.1
        info: {title: t, version: "1"}
        paths:
          /x:
            get:
              responses: {"200": {description: ok}}
              x-amazon-apigateway-integration:
                type: aws
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations
                responses: {default: {statusCode: "200"}}
'''


@pytest.mark.parametrize("module, status, expect", [
    ('print("cold start")\ndef handler(event, context):\n    print("warm")\n    raise SystemExit(4)\n', 0,
     "exit status 4"),
    ('import sys\nprint("init")\nsys.exit(2)\n', 2, "importing"),
    ('class E(BaseException):\n    pass\nraise E("at import")\n', 2, "E: at import"),
])
def test_template_functions_run_in_process_are_contained(tmp_path, module, status, expect):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(module, encoding="utf-8")
    template = write(tmp_path, "template.yaml", SAM)
    out = clean(vtlgw_cli("invoke", "--api", template, "-X", "GET", "-p", "/x", "-f", "json"), status)
    if status == 0:
        result = json.loads(out.stdout)
        assert expect in endpoint_body(result["log"])["errorMessage"]
        assert "cold start" not in out.stdout and "warm" not in out.stdout
    else:
        assert expect in out.stderr and out.stdout == ""


def test_python_api_keeps_the_handler_output_on_the_result():
    out = clean(python_api(
        "import sys\n"
        "from vtlgw.apigw.definition import load_definition\n"
        "from vtlgw.apigw.pipeline import LambdaHandler, invoke\n"
        "from vtlgw.apigw.request import request_from_dict\n"
        f"api = load_definition({ORDERS_API!r})\n"
        "def handler(event, context):\n"
        "    print('hi'); sys.exit(0)\n"
        "request, _ = request_from_dict({'httpMethod': 'GET', 'path': '/orders/12'})\n"
        "result = invoke(api, request, backend=LambdaHandler(handler))\n"
        "assert result.handler_output == 'hi\\n', result.handler_output\n"
        "assert 'Runtime exited without providing a reason' in result.log\n"
        "print('done')\n"), 0)
    assert out.stdout == "done\n"


# ---------------------------------------------------------------------------- HTTP handlers


def test_an_http_handler_that_raises_is_an_unreachable_endpoint():
    import vtlgw
    from vtlgw.apigw.definition import load_definition
    from vtlgw.apigw.pipeline import HttpHandler, invoke
    from vtlgw.apigw.request import request_from_dict

    api = load_definition(ORDERS_API)
    request, _ = request_from_dict({"httpMethod": "GET", "path": "/stock/SKU-1"})
    for handler in (lambda r: 1 / 0, lambda r: sys_exit(3)):
        result = invoke(api, request, backend=HttpHandler(handler))
        assert result.status == 500
        assert json.loads(result.body) == {"message": "Internal server error"}
        assert "Execution failed due to configuration error: Invalid endpoint address" in result.log
        assert result.log.splitlines()[-1].endswith("Method completed with status: 500")
        assert "the HTTP handler" in result.error
    assert isinstance(vtlgw.VtlError, type)


def sys_exit(code: int) -> None:
    raise SystemExit(code)


def test_an_http_handler_that_prints_does_not_reach_stdout():
    out = clean(python_api(
        "from vtlgw.apigw.definition import load_definition\n"
        "from vtlgw.apigw.pipeline import HttpHandler, HttpResponse, invoke\n"
        "from vtlgw.apigw.request import request_from_dict\n"
        f"api = load_definition({ORDERS_API!r})\n"
        "def backend(request):\n"
        "    print('noise'); return HttpResponse(200, {}, '{\"sku\": \"x\", \"count\": 1}')\n"
        "request, _ = request_from_dict({'httpMethod': 'GET', 'path': '/stock/SKU-1'})\n"
        "result = invoke(api, request, backend=HttpHandler(backend))\n"
        "assert result.handler_output == 'noise\\n' and result.status == 200, (result.status, result.log)\n"
        "print('done')\n"), 0)
    assert out.stdout == "done\n"
