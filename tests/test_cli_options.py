"""The options `render` and `invoke` share: parsed the same way with or without a request file, which they override."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vtlgw.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAM = "fixtures/orders-sam.yaml"
OPENAPI = "fixtures/orders-api.openapi.yaml"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.fixture
def request_file(tmp_path):
    path = tmp_path / "health.json"
    path.write_text(json.dumps({"httpMethod": "GET", "path": "/health", "queryStringParameters": {"a": "1"},
                                "requestContext": {"stage": "dev"}}), encoding="utf-8")
    return str(path)


def cli(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def log_line(result, prefix):
    data = json.loads(result.stdout)
    return next(line.split(" : ", 1)[1] for line in data["log"].splitlines() if " : " + prefix in line)


@pytest.mark.parametrize("with_file", [False, True])
def test_path_with_query_is_split_with_or_without_a_request_file(with_file, request_file):
    args = ["invoke", "-a", SAM, "-X", "GET", "-p", "/orders?status=PENDING", "-f", "json",
            "--lambda-handler", "fixtures.handlers.orders:list_orders"]
    if with_file:
        args += ["-r", request_file]
    result = cli(*args)
    assert result.exit_code == 0, result.stderr
    assert log_line(result, "HTTP Method") == "HTTP Method: GET, Resource Path: /orders"
    assert log_line(result, "Method request query string") == "Method request query string: {status=PENDING}"


def test_a_path_without_query_keeps_the_files_query(request_file):
    result = cli("invoke", "-a", OPENAPI, "-r", request_file, "-p", "/health", "-f", "json")
    assert log_line(result, "Method request query string") == "Method request query string: {a=1}"


@pytest.mark.parametrize("with_file", [False, True])
@pytest.mark.parametrize("flag,value,message", [
    ("-p", "health", "Invalid value for '--path' / '-p': 'health' must start with \"/\""),
    ("-X", "FOO", "Invalid value for '--method' / '-X': 'FOO' is not one of DELETE, GET, HEAD, OPTIONS, PATCH, "
                  "POST, PUT"),
])
def test_bad_method_or_path_names_the_flag(with_file, flag, value, message, request_file):
    args = ["invoke", "-a", OPENAPI, flag, value] + (["-r", request_file] if with_file else [])
    result = cli(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "/httpMethod" not in result.stderr and "Traceback" not in result.stderr


def test_method_is_case_insensitive():
    result = cli("invoke", "-a", OPENAPI, "-X", "get", "-p", "/health", "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["status"] == 200


@pytest.mark.parametrize("command", ["render", "invoke"])
def test_stage_flag_overrides_the_request_file(command, request_file, tmp_path):
    if command == "render":
        template = tmp_path / "t.vtl"
        template.write_text("$context.stage $context.path", encoding="utf-8")
        result = cli("render", str(template), "-r", request_file, "--stage", "prod")
        assert result.stdout == "prod /prod/health"
    else:
        result = cli("invoke", "-a", OPENAPI, "-r", request_file, "--stage", "prod", "-f", "json")
        assert json.loads(json.loads(result.stdout)["body"])["stage"] == "prod"


def test_stage_and_context_stage_must_agree(tmp_path):
    template = tmp_path / "t.vtl"
    template.write_text("$context.stage", encoding="utf-8")
    assert cli("render", str(template), "--stage", "prod", "-c", "stage=prod").stdout == "prod"
    result = cli("render", str(template), "--stage", "prod", "-c", "stage=beta")
    assert result.exit_code == 2 and "--stage and --context stage=... name different stages" in result.stderr


@pytest.mark.parametrize("command", ["render", "invoke"])
def test_stage_variable_names_are_checked_as_in_a_request_file(command, tmp_path):
    template = tmp_path / "t.vtl"
    template.write_text("x", encoding="utf-8")
    target = [str(template)] if command == "render" else ["-a", OPENAPI, "-p", "/health"]
    result = cli(command, *target, "-s", "a b=c")
    assert result.exit_code == 2
    assert "Invalid value for '--stage-variable' / '-s': a b=c: stage variable names must match [A-Za-z0-9_]+" \
        in result.stderr
    result = cli(command, *target, "-s", "novalue")
    assert result.exit_code == 2 and "expected NAME=VALUE, got 'novalue'" in result.stderr


def test_context_map_cannot_be_replaced_by_a_value(tmp_path):
    template = tmp_path / "t.vtl"
    template.write_text("$context.identity.sourceIp", encoding="utf-8")
    result = cli("render", str(template), "-c", "identity=1.2.3.4")
    assert result.exit_code == 2
    assert "identity=1.2.3.4: $context.identity is a map; assign one of its keys" in result.stderr
    assert cli("render", str(template), "-c", "identity.sourceIp=1.2.3.4").stdout == "1.2.3.4"


def test_stage_variable_flag_overrides_the_request_file(tmp_path):
    request = tmp_path / "r.json"
    request.write_text(json.dumps({"stageVariables": {"table": "orders"}}), encoding="utf-8")
    template = tmp_path / "t.vtl"
    template.write_text("$stageVariables.table", encoding="utf-8")
    assert cli("render", str(template), "-r", str(request), "-s", "table=archive").stdout == "archive"


def test_latency_is_fixed_unless_fresh():
    args = ["invoke", "-a", SAM, "-X", "GET", "-p", "/orders", "--lambda-handler",
            "fixtures.handlers.orders:list_orders"]
    assert "Latency: 0 ms" in cli(*args).stdout
    assert json.loads(cli(*args, "-f", "json").stdout)["latency"] == 0


def test_errors_are_shown_once(tmp_path):
    template = tmp_path / "t.vtl"
    template.write_text("#if($x", encoding="utf-8")
    result = cli("render", str(template))
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert result.stderr.count(first) == 1 and "Error:" not in result.stderr


def test_api_dash_reads_the_definition_from_stdin():
    text = (ROOT / SAM).read_text(encoding="utf-8")
    from_file = cli("invoke", "-a", SAM, "-X", "GET", "-p", "/orders?status=PENDING", "-f", "json",
                    "--lambda-handler", "fixtures.handlers.orders:list_orders")
    result = CliRunner().invoke(main, ["invoke", "-a", "-", "-X", "GET", "-p", "/orders?status=PENDING", "-f", "json",
                                       "--lambda-handler", "fixtures.handlers.orders:list_orders"],
                                input=text, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["body"] == json.loads(from_file.stdout)["body"]
    assert json.loads(result.stdout)["status"] == 200


def test_api_from_stdin_reports_errors_as_stdin():
    result = CliRunner().invoke(main, ["invoke", "-a", "-"], input="x: [\n", catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.startswith("<stdin>:2:1: error: invalid YAML")
    assert "Traceback" not in result.output


def test_api_and_request_cannot_both_be_stdin():
    result = CliRunner().invoke(main, ["invoke", "-a", "-", "-r", "-"], input="{}", catch_exceptions=False)
    assert result.exit_code == 2
    assert "--api and --request cannot both read stdin" in result.stderr


@pytest.mark.parametrize("assignment, message", [
    ("requestTimeEpoch=99999999999999999", "99999999999999999 is out of range: a requestTimeEpoch is milliseconds"),
    ("requestTime=abc", '"abc" is not a time like 04/Mar/2020:19:15:17 +0000'),
    ("requestTime=01/Jan/10000:00:00:00 +0000", "is not a time like"),
])
def test_context_times_out_of_range_name_the_context_option(assignment, message):
    result = CliRunner().invoke(main, ["render", "-", "-c", assignment], input="$context.requestTime")
    assert result.exit_code == 2
    assert "Invalid value for '--context'" in result.stderr and message in result.stderr
