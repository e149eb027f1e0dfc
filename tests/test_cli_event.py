"""`vtlgw event`: the event a Lambda proxy function receives, built from the user's own request."""

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from vtlgw.cli import event as event_command, main

ROOT = Path(__file__).resolve().parent.parent
REQUEST_ID = "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"  # the fixed defaults, as for vtlgw invoke
EPOCH = 1583349317135

# A REST API (SAM) with a greedy Lambda proxy resource and stage variables on its stage.
REST_SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  ItemsFunction:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: src/}
  ItemsApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Variables: {table: items-prod}
      BinaryMediaTypes: [application~1octet-stream]
      DefinitionBody:
        openapi: 3.0.1
        info: {title: items, version: "1"}
        paths:
          /items/{proxy+}:
            x-amazon-apigateway-any-method:
              x-amazon-apigateway-integration:
                type: aws_proxy
                httpMethod: POST
                uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ItemsFunction.Arn}/invocations
"""

# An HTTP API (SAM): a route on payload format 2.0 (the default) and one on 1.0.
HTTP_SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  PetsApi:
    Type: AWS::Serverless::HttpApi
    Properties:
      StageName: live
      StageVariables: {table: pets-live}
  PetsFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Get:
          Type: HttpApi
          Properties: {ApiId: !Ref PetsApi, Path: "/pets/{id}", Method: get}
        Legacy:
          Type: HttpApi
          Properties: {ApiId: !Ref PetsApi, Path: /legacy, Method: post, PayloadFormatVersion: "1.0"}
"""


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def rest_api(tmp_path):
    path = tmp_path / "rest.yaml"
    path.write_text(REST_SAM, encoding="utf-8")
    return str(path)


@pytest.fixture
def http_api(tmp_path):
    path = tmp_path / "http.yaml"
    path.write_text(HTTP_SAM, encoding="utf-8")
    return str(path)


def cli(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def event(*args, input=None):
    result = cli("event", *args, input=input)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def refused(result, code):
    assert result.exit_code == code, result.stdout
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return result.stderr


# ---------------------------------------------------------------------------- without a definition


def test_rest_v1_event_from_curl_like_flags():
    out = event("-X", "PUT", "-p", "/orders/7?tag=a+b&tag=c", "-H", "Content-Type: application/json",
                "-H", "X-Trace: 1", "-H", "x-trace:2", "-d", '{"a": 1}')
    assert "version" not in out  # a REST API event has none
    assert out["resource"] == "/orders/7"  # no definition: the path itself, as in a request file naming none
    assert out["path"] == "/orders/7"
    assert out["httpMethod"] == "PUT"
    assert out["headers"] == {"Content-Type": "application/json", "X-Trace": "2"}  # the last value
    assert out["multiValueHeaders"] == {"Content-Type": ["application/json"], "X-Trace": ["1", "2"]}
    assert out["queryStringParameters"] == {"tag": "c"}
    assert out["multiValueQueryStringParameters"] == {"tag": ["a b", "c"]}  # + in a query is a space
    assert out["pathParameters"] is None and out["stageVariables"] is None
    assert out["body"] == '{"a": 1}' and out["isBase64Encoded"] is False
    ctx = out["requestContext"]
    assert (ctx["httpMethod"], ctx["path"], ctx["resourcePath"], ctx["stage"]) == (
        "PUT", "/test/orders/7", "/orders/7", "test")
    assert (ctx["requestId"], ctx["requestTimeEpoch"]) == (REQUEST_ID, EPOCH)
    assert ctx["identity"]["sourceIp"] == "192.0.2.1"


def test_a_body_alone_makes_a_post_to_the_root_and_the_output_is_indented_json():
    result = cli("event", "-d", "x=1")
    assert result.exit_code == 0
    assert result.stdout.startswith('{\n  "resource": "/",\n  "path": "/",\n  "httpMethod": "POST",')
    assert json.loads(result.stdout)["body"] == "x=1"
    assert event()["httpMethod"] == "GET"


def test_request_file_with_flags_overriding_it():
    out = event("--request", "fixtures/orders-post.json", "-H", "content-type: text/plain", "-d", "hi")
    assert out["resource"] == "/orders/{id}" and out["pathParameters"] == {"id": "42"}
    assert out["httpMethod"] == "POST"
    # -H replaces the file's header of that name in any case, spelled as -H gives it; the others stay
    assert out["headers"]["content-type"] == "text/plain" and "Content-Type" not in out["headers"]
    assert out["headers"]["User-Agent"] == "curl/8.5.0"
    assert out["body"] == "hi"
    assert out["stageVariables"] == {"tableName": "orders-test", "stateMachine": "order-flow"}
    assert out["requestContext"]["identity"]["sourceIp"] == "203.0.113.7"
    plain = event("-r", "fixtures/orders-post.json")
    assert json.loads(plain["body"])["customer"] == "O'Brien"


def test_data_from_a_file_and_from_stdin(tmp_path):
    body = tmp_path / "body.json"
    body.write_bytes(b'{"n": "\xc3\xa9"}\n')
    assert event("-d", f"@{body}")["body"] == '{"n": "é"}\n'  # byte for byte, the line break kept
    assert event("-d", "@-", input="from stdin")["body"] == "from stdin"


def test_fresh_gives_a_new_request_id_and_the_current_time():
    ctx = event("--fresh")["requestContext"]
    assert ctx["requestId"] != REQUEST_ID
    assert ctx["requestTimeEpoch"] > EPOCH
    assert event()["requestContext"]["requestId"] == REQUEST_ID


def test_a_lone_surrogate_stays_a_json_escape(tmp_path):
    request = tmp_path / "r.json"
    request.write_text('{"path": "/x", "body": "\\ud800 \u00e9"}', encoding="utf-8")
    result = cli("event", "-r", str(request))
    assert result.exit_code == 0
    assert '"body": "\\ud800 é"' in result.stdout
    assert json.loads(result.stdout)["body"] == "\ud800 é"


# ---------------------------------------------------------------------------- with a definition


def test_rest_route_decides_resource_path_parameters_and_stage_variables(rest_api):
    result = cli("event", "--api", rest_api, "-X", "PUT", "-p", "/items/test%2Balias/x?q=a+b")
    assert result.exit_code == 0 and result.stderr == ""  # a Lambda proxy route: nothing to warn of
    out = json.loads(result.stdout)
    assert out["resource"] == "/items/{proxy+}"
    assert out["path"] == "/items/test%2Balias/x"
    assert out["pathParameters"] == {"proxy": "test%2Balias/x"}  # kept encoded, as recorded on AWS
    assert out["queryStringParameters"] == {"q": "a b"}
    assert out["stageVariables"] == {"table": "items-prod"}  # the definition's stage's
    ctx = out["requestContext"]
    assert (ctx["stage"], ctx["resourcePath"], ctx["path"]) == ("prod", "/items/{proxy+}", "/prod/items/test%2Balias/x")


def test_stage_and_stage_variable_flags_override_the_definitions(rest_api):
    out = event("-a", rest_api, "-p", "/items/1", "--stage", "beta", "-s", "table=items-beta", "-s", "extra=1")
    assert out["stageVariables"] == {"table": "items-beta", "extra": "1"}
    assert out["requestContext"]["stage"] == "beta"


def test_binary_media_type_bodies_are_base64(rest_api, tmp_path):
    blob = tmp_path / "blob.bin"
    blob.write_bytes(b"\xff\x00\x01")
    out = event("-a", rest_api, "-p", "/items/1", "-H", "Content-Type: application/octet-stream",
                "-d", f"@{blob}")
    assert (out["body"], out["isBase64Encoded"]) == ("/wAB", True)


def test_payload_2_0_of_a_rest_route(rest_api):
    out = event("-a", rest_api, "-X", "POST", "-p", "/items/a/b?x=1", "--payload", "2.0",
                "-H", "Cookie: a=1; b=2", "-H", "X-Up: A", "-d", "hi")
    assert out["version"] == "2.0"
    assert out["routeKey"] == "ANY /items/{proxy+}" == out["requestContext"]["routeKey"]
    assert out["rawPath"] == "/prod/items/a/b" and out["rawQueryString"] == "x=1"
    assert out["cookies"] == ["a=1", "b=2"]
    assert out["headers"] == {"x-up": "A"}  # lower-cased; cookies are not a header here
    assert out["pathParameters"] == {"proxy": "a/b"}
    assert out["requestContext"]["http"]["method"] == "POST"
    assert out["body"] == "hi"
    assert "resource" not in out and "multiValueHeaders" not in out


def test_payload_1_0_adds_the_version_to_the_rest_shape():
    out = event("-p", "/x", "--payload", "1.0")
    assert out["version"] == "1.0" and out["resource"] == "/x" and "multiValueHeaders" in out


def test_http_api_route_gives_its_route_key_and_payload_version(http_api):
    out = event("-a", http_api, "-p", "/pets/7")
    assert out["version"] == "2.0" and out["routeKey"] == "GET /pets/{id}"
    assert out["pathParameters"] == {"id": "7"}
    assert out["rawPath"] == "/live/pets/7" and out["requestContext"]["stage"] == "live"
    assert out["stageVariables"] == {"table": "pets-live"}
    legacy = event("-a", http_api, "-p", "/legacy", "-d", "hi")  # POST by -d; the route is on 1.0
    assert legacy["version"] == "1.0"
    assert (legacy["resource"], legacy["httpMethod"], legacy["body"]) == ("/legacy", "POST", "hi")
    forced = event("-a", http_api, "-X", "POST", "-p", "/legacy", "--payload", "2.0")
    assert forced["routeKey"] == "POST /legacy"


def test_custom_integration_route_warns_that_its_function_gets_the_template_output():
    result = cli("event", "-a", "fixtures/orders-sam.yaml", "-p", "/orders/7")
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert (out["resource"], out["pathParameters"]) == ("/orders/{id}", {"id": "7"})
    assert re.search(r"^fixtures/orders-sam\.yaml:\d+:\d+: warning: .*GET /orders/\{id\} has a Lambda custom "
                     r"integration \(type AWS\)", result.stderr, re.M)


# ---------------------------------------------------------------------------- no route, bad input


def test_no_rest_route_is_the_403_and_no_event(rest_api):
    message = refused(cli("event", "-a", rest_api, "-p", "/nope"), 1)
    assert message.startswith(f"error: GET /nope matches no method of {rest_api} (its methods: ANY /items/{{proxy+}});")
    assert 'API Gateway answers 403 {"message":"Missing Authentication Token"} itself and sends no event' in message


def test_no_http_api_route_is_the_404_and_no_event(http_api):
    message = refused(cli("event", "-a", http_api, "-X", "DELETE", "-p", "/pets/7"), 1)
    assert "DELETE /pets/7 matches no route" in message
    assert "(its routes: GET /pets/{id}, POST /legacy)" in message
    assert 'API Gateway answers 404 {"message":"Not Found"} itself and sends no event' in message


@pytest.mark.parametrize("command", ["event", "invoke"])
@pytest.mark.parametrize("value, message", [
    ("novalue", "expected 'Name: value' (the header name, a colon, the value), got 'novalue'"),
    (": x", "': x' has no header name before the colon"),
    ("Bad Name: x", "the header name 'Bad Name' has ' '; names are letters, digits"),
    ("X-A: a\nb", "header values cannot hold line breaks or other control characters"),
])
def test_a_bad_header_is_exit_2_naming_the_flag(command, value, message):
    api = ["-a", "fixtures/orders-api.openapi.yaml"] if command == "invoke" else []
    stderr = refused(cli(command, *api, "-H", value), 2)
    assert "Invalid value for '--header' / '-H'" in stderr and message in stderr


@pytest.mark.parametrize("args, message", [
    (["-d", "@"], "'@' names no file: give -d @FILE, -d @- for stdin, or the body itself"),
    (["-d", "@no-such-body.json"], "@no-such-body.json: request body does not exist"),
    (["-d", "@-", "-r", "-"], "--request and -d @- cannot both read stdin"),
    (["--payload", "3.0"], "'3.0' is not one of '1.0', '2.0'"),
    (["--region", "eu-west-1"], "--region is for the definition --api reads; give --api FILE or leave it out"),
    (["-r", "fixtures/no-such.json"], "request file 'fixtures/no-such.json' does not exist"),
    (["-a", "fixtures/no-such.yaml"], "fixtures/no-such.yaml: error: cannot read file"),
])
def test_bad_input_is_exit_2_with_a_message(args, message):
    assert message in refused(cli("event", *args), 2)


def test_payload_choices_are_the_builders():
    from vtlgw.apigw.proxy.choose import PAYLOADS

    option = next(p for p in event_command.params if p.name == "payload")
    assert tuple(option.type.choices) == PAYLOADS


# ---------------------------------------------------------------------------- -H and -d in vtlgw invoke


def test_invoke_takes_the_same_header_and_body_flags():
    args = ["invoke", "-a", "fixtures/orders-api.openapi.yaml", "-p", "/messages", "-f", "json",
            "--http-response", "fixtures/stock-503.http-response.json"]
    rejected = json.loads(cli(*args, "-H", "Content-Type: text/plain", "-d", "hi").stdout)
    assert rejected["status"] == 415  # POST by -d; the SQS method refuses text/plain
    assert "Method request body before transformations: hi" in rejected["log"]
    sent = json.loads(cli(*args, "-H", "Content-Type: application/json", "-d", '{"m":1}').stdout)
    assert "Endpoint request body after transformations: Action=SendMessage&MessageBody=%7B%22m%22%3A1%7D" \
        in sent["log"]


# ---------------------------------------------------------------------------- the README


def test_the_readme_command_runs_from_a_clean_checkout():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## `vtlgw event`"):]
    command = re.search(r"```sh\n(vtlgw event .*?)\n```", section, re.S).group(1)
    argv = shlex.split(command.replace("\\\n", " "))
    out = event(*argv[2:])
    assert out["resource"] == "/orders" and out["httpMethod"] == "GET"
    assert out["queryStringParameters"] == {"status": "PENDING"}
    assert out["requestContext"]["stage"] == "prod"
    assert out["headers"] == {"Accept": "application/json"}


def test_importing_the_cli_does_not_load_the_event_machinery():
    """``vtlgw --help`` stays fast: ``event`` imports what it needs only when it runs."""
    import subprocess
    import sys

    code = ("import sys, vtlgw.cli; print([m for m in ('vtlgw.testing', 'vtlgw.apigw.proxy', 'vtlgw.apigw.routed', "
            "'vtlgw.apigw.request', 'vtlgw.apigw.files') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_readme_http_api_example(monkeypatch):
    monkeypatch.chdir(ROOT / "examples" / "sam-httpapi")
    out = event("--api", "template.yaml", "-p", "/notes/7")
    assert (out["version"], out["routeKey"], out["pathParameters"]) == ("2.0", "GET /notes/{id}", {"id": "7"})
