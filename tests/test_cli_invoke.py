"""`vtlgw invoke` on the shipped examples, as the README shows it."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vtlgw.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


def invoke(*args):
    return CliRunner().invoke(main, ["invoke", *args], catch_exceptions=False)


def as_json(result):
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_mock_integration():
    out = as_json(invoke("--api", "fixtures/orders-api.openapi.yaml", "-X", "GET", "-p", "/health", "-f", "json"))
    assert out["status"] == 200
    assert out["body"] == '{"status": "ok", "stage": "test"}'
    assert out["headers"] == {"Content-Type": "application/json"}
    assert "Endpoint request" not in out["log"]  # MOCK logs have no endpoint lines
    assert out["log"].splitlines()[-1].endswith("Method completed with status: 200")


def test_lambda_error_with_json_message_maps_to_404_with_header_from_sam():
    out = as_json(invoke("--api", "fixtures/orders-sam.yaml", "--request", "fixtures/get-order.request.json",
                         "--lambda-error", "fixtures/order-not-found.lambda-error.json", "-f", "json"))
    assert out["status"] == 404
    assert out["headers"]["X-Error-Code"] == "NotFound"
    assert out["headers"]["X-Request-Id"] == "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"
    assert json.loads(out["body"]) == {"error": "NotFound", "message": "no order 4242"}
    assert "Lambda execution failed with status 200 due to customer function error" in out["log"]


def test_lambda_handler_in_process_success_and_error():
    ok = as_json(invoke("-a", "fixtures/orders-api.openapi.yaml", "-X", "GET", "-p", "/orders/12",
                        "--lambda-handler", "fixtures.handlers.orders:get_order", "-f", "json"))
    assert ok["status"] == 200
    assert json.loads(ok["body"]) == {"id": "12", "status": "shipped", "total": 59.9}
    bad = as_json(invoke("-a", "fixtures/orders-api.openapi.yaml", "-X", "GET", "-p", "/orders/x1",
                         "--lambda-handler", "fixtures.handlers.orders:get_order", "-f", "json"))
    assert bad["status"] == 400
    assert bad["headers"]["X-Error-Code"] == "BadOrderId"


def test_http_backend_5xx_selects_502():
    out = as_json(invoke("-a", "fixtures/orders-api.openapi.yaml", "-X", "GET", "-p", "/stock/SKU-1",
                         "--http-response", "fixtures/stock-503.http-response.json", "-f", "json"))
    assert out["status"] == 502
    assert out["body"] == '{"message": "stock service unavailable"}'
    assert "Retry-After" not in out["headers"]  # backend headers never reach the client unless mapped


def test_unknown_route_is_403_missing_authentication_token():
    out = as_json(invoke("-a", "fixtures/orders-api.openapi.yaml", "-X", "GET", "-p", "/nope", "-f", "json"))
    assert out["status"] == 403
    assert json.loads(out["body"]) == {"message": "Missing Authentication Token"}


def test_sqs_never_passthrough_rejects_unknown_content_type(tmp_path):
    req = tmp_path / "r.json"
    req.write_text(json.dumps({"httpMethod": "POST", "path": "/messages", "headers": {"Content-Type": "text/plain"},
                               "body": "hi"}))
    out = as_json(invoke("-a", "fixtures/orders-api.openapi.yaml", "-r", str(req), "--http-response",
                         "fixtures/stock-503.http-response.json", "-f", "json"))
    assert out["status"] == 415
    assert out["body"] == '{"message":"Unsupported Media Type"}'


def test_text_output_reads_like_the_console():
    result = invoke("-a", "fixtures/orders-api.openapi.yaml", "-X", "GET", "-p", "/health")
    assert result.exit_code == 0
    assert result.stdout.startswith("Status: 200\n")
    assert "Method response body after transformations:" in result.stdout


def test_template_error_exits_1_and_prints_location(tmp_path):
    api = tmp_path / "api.yaml"
    api.write_text(
        "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n"
        "        '200': {description: ok}\n      x-amazon-apigateway-integration:\n        type: mock\n"
        "        requestTemplates:\n          application/json: '#if($x)'\n        responses:\n"
        "          default: {statusCode: '200'}\n")
    result = invoke("-a", str(api), "-X", "GET", "-p", "/x")
    assert result.exit_code == 1
    assert result.stdout.startswith("Status: 500")
    assert "#if is never closed" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args,needle", [
    (["-a", "missing.yaml", "-p", "/"], "missing.yaml"),
    (["-a", "fixtures/orders-api.openapi.yaml", "-p", "/orders/1", "--lambda-error", "nope.json"], "nope.json"),
    (["-a", "fixtures/orders-api.openapi.yaml", "-p", "/orders/1"], "backend"),
    (["-a", "fixtures/orders-api.openapi.yaml", "-p", "/", "--lambda-result", "a", "--lambda-error", "b"],
     "choose one backend"),
])
def test_bad_input_exits_2_without_traceback(args, needle):
    result = invoke(*args)
    assert result.exit_code == 2
    assert needle in result.stderr
    assert "Traceback" not in result.stderr


def test_readme_python_api_example():
    from vtlgw.apigw.definition import load_definition
    from vtlgw.apigw.pipeline import LambdaError, invoke as run
    from vtlgw.apigw.request import request_from_dict

    api = load_definition("fixtures/orders-sam.yaml")
    request, _ = request_from_dict({"httpMethod": "GET", "path": "/orders/4242"})
    result = run(api, request, backend=LambdaError('{"status": 404, "code": "NotFound"}', "OrderNotFound", []))
    assert (result.status, result.headers["X-Error-Code"]) == (404, "NotFound")
    assert result.integration_request.body == '{"orderId": "4242", "caller": "192.0.2.1"}\n'


def test_lambda_proxy_method_from_a_sam_api_event():
    out = as_json(invoke("-a", "fixtures/orders-sam.yaml", "-X", "GET", "-p", "/orders?status=PENDING",
                         "--lambda-handler", "fixtures.handlers.orders:list_orders", "-f", "json"))
    assert out["status"] == 200
    assert out["headers"]["X-Order-Count"] == "1"
    assert json.loads(out["body"]) == {"orders": [{"orderId": "12", "status": "PENDING"}], "stage": "prod"}
    event_line = next(line for line in out["log"].splitlines() if "Endpoint request body after" in line)
    assert '"queryStringParameters": {"status": "PENDING"}' in event_line


def test_lambda_proxy_response_api_gateway_refuses_exits_1_with_every_reason(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"statusCode": "abc", "body": {"a": 1}}')
    result = invoke("-a", "fixtures/orders-sam.yaml", "-X", "GET", "-p", "/orders", "--lambda-result", str(bad))
    assert result.exit_code == 1
    assert result.stdout.startswith("Status: 502")
    assert "Malformed Lambda proxy response:" in result.stderr
    assert "statusCode:" in result.stderr and "body:" in result.stderr


def test_u32_proxy_headers_option(tmp_path):
    result_file = tmp_path / "result.json"
    result_file.write_text('{"multiValueHeaders": {"X-Tag": ["a"]}, "headers": {"x-tag": "b"}, "body": "ok"}')
    args = ["-a", "fixtures/orders-sam.yaml", "-X", "GET", "-p", "/orders", "--lambda-result", str(result_file),
            "-f", "json"]
    assert as_json(invoke(*args))["headers"]["X-Tag"] == "a, b"
    assert as_json(invoke(*args, "--proxy-headers", "docs"))["headers"]["X-Tag"] == "a"


def test_warnings_go_to_stderr_as_located_text_and_json_stays_the_test_invoke_shape(tmp_path):
    api = tmp_path / "api.yaml"
    api.write_text(
        "openapi: 3.0.1\n"
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /secure:\n"
        "    get:\n"
        "      security: [{MyAuthorizer: []}]\n"
        "      responses: {'200': {description: ok}}\n"
        "      x-amazon-apigateway-integration:\n"
        "        type: mock\n"
        "        requestTemplates: {application/json: '{\"statusCode\": 200}'}\n"
        "        responses: {default: {statusCode: '200'}}\n", encoding="utf-8")
    request = tmp_path / "r.json"
    request.write_text('{"httpMethod": "GET", "path": "/secure", "Headers": {}}', encoding="utf-8")
    result = invoke("--api", str(api), "--request", str(request), "-f", "json")
    assert set(as_json(result)) == {"status", "body", "headers", "multiValueHeaders", "log", "latency"}
    column = '{"httpMethod": "GET", "path": "/secure", '.__len__() + 1
    assert result.stderr.splitlines() == [
        f'{request}:1:{column}: warning: /Headers: unknown key "Headers" ignored',
        f"{api}:6:17: warning: /paths/~1secure/get/security: GET /secure: security scheme 'MyAuthorizer' "
        "is not defined: API Gateway applies no authorizer for it, and neither does vtlgw; the request is let "
        "through",
    ]


def test_http_live_sends_an_http_proxy_request_to_its_url_and_prints_the_answer(tmp_path):
    """--http-live makes the real call; here to a server on 127.0.0.1, so the test needs no network."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            seen["path"], seen["up"] = self.path, self.headers.get("X-Up")
            body = b"from the backend"
            self.send_response(203)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        api = tmp_path / "api.yaml"
        api.write_text(
            'openapi: "3.0.1"\ninfo: {title: live, version: "1"}\npaths:\n  /backend/{proxy+}:\n'
            '    x-amazon-apigateway-any-method:\n      parameters:\n'
            '        - {name: proxy, in: path, required: true, schema: {type: string}}\n'
            '      x-amazon-apigateway-integration:\n        type: http_proxy\n        httpMethod: ANY\n'
            f'        uri: http://127.0.0.1:{server.server_port}/{{proxy}}\n'
            '        requestParameters:\n          integration.request.path.proxy: method.request.path.proxy\n',
            encoding="utf-8")
        result = invoke("--api", str(api), "-X", "GET", "-p", "/backend/a/b?q=1", "-H", "X-Up: yes",
                        "--http-live", "-f", "json")
    finally:
        server.shutdown()
        server.server_close()
    assert result.exit_code == 0, result.output
    assert seen == {"path": "/a/b?q=1", "up": "yes"}
    out = as_json(result)
    assert out["status"] == 203 and out["body"] == "from the backend"


def test_http_live_is_one_backend_choice_among_the_others():
    result = CliRunner().invoke(main, ["invoke", "--api", "fixtures/orders-api.openapi.yaml", "-X", "GET",
                                       "-p", "/health", "--http-live", "--lambda-result", "x.json"])
    assert result.exit_code == 2 and "choose one backend, not --lambda-result and --http-live" in result.output


def test_the_readme_method_request_examples():
    """The two commands of README's "Authorizers, API keys and request validation", as printed there."""
    import re
    import shlex
    import sys

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Authorizers, API keys and request validation"):]
    commands = re.findall(r"```sh\n(vtlgw invoke .*?)\n```", section, re.S)[:2]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # the handler module is imported from the checkout, as the CLI does
    outcomes = []
    for command in commands:
        argv = shlex.split(command.replace("\\\n", " "))
        result = invoke(*argv[2:], "-f", "json")
        assert result.exit_code == 0, result.output
        outcomes.append(as_json(result))
    assert [o["status"] for o in outcomes] == [400, 201]  # the model requires kind; then all is right
    assert json.loads(outcomes[1]["body"])["principal"] == "bob"


@pytest.mark.parametrize("option, text, message", [
    ("--api-keys", "[1", ":1:3: error: invalid JSON: Expecting ',' delimiter"),
    ("--api-keys", '{"value": "k"}', ': error: expected a list of API keys'),
    ("--api-keys", '["ok-key", {"id": "x"}]', ': error: /1: expected a non-empty key value'),
    ("--claims", '["sub"]', ': error: expected a JSON object of claims'),
])
def test_api_keys_and_claims_files_are_checked_with_their_place(tmp_path, option, text, message):
    path = tmp_path / "settings.json"
    path.write_text(text, encoding="utf-8")
    result = invoke("--api", "fixtures/pets-validated.openapi.yaml", "-X", "POST", "-p", "/pets", option, str(path))
    assert result.exit_code == 2
    assert f"{path}{message}" in result.output
    assert "Traceback" not in result.output


def test_a_missing_settings_file_is_named():
    result = invoke("--api", "fixtures/pets-validated.openapi.yaml", "-X", "POST", "-p", "/pets",
                    "--api-keys", "no-such-keys.json")
    assert result.exit_code == 2
    assert "no-such-keys.json: error: settings file does not exist" in result.output


def test_a_definition_error_shows_its_line_and_a_caret(tmp_path):
    api = tmp_path / "api.yaml"
    api.write_text("openapi: 3.0.1\ninfo:\n  title: t\n   version: 1\npaths: {}\n", encoding="utf-8")
    result = invoke("--api", str(api), "-X", "GET", "-p", "/")
    assert result.exit_code == 2
    assert result.output.splitlines() == [
        f"{api}:4:11: error: invalid YAML: mapping values are not allowed in this context",
        "    4 |    version: 1",
        "      |           ^",
    ]


def test_a_long_source_line_is_shown_around_the_error(tmp_path):
    api = tmp_path / "api.json"
    api.write_text('{"openapi": "3.0.1", "info": {"title": "t", "version": "1"}, "paths": {}, "x": "' + "y" * 300
                   + '" oops}', encoding="utf-8")
    result = invoke("--api", str(api), "-X", "GET", "-p", "/")
    assert result.exit_code == 2
    first, source, caret = result.output.splitlines()[:3]
    assert first.startswith(f"{api}:1:") and "invalid JSON" in first
    assert len(source) < 140 and source.rstrip().endswith("oops}") and "…" in source
    # the caret stands under the character the message's line:col names
    column = int(first.split(":")[2])
    text = api.read_text(encoding="utf-8")
    assert source[caret.index("^")] == text[column - 1] == "o"
