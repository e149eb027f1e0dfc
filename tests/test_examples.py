"""The shipped examples: one orders API as a SAM project (its OpenAPI in an included file, its function
in src/), as `serverless package` output and as a Terraform plan (`terraform show -json`, the function
zipped from src/ by a data.archive_file). Each runs with `vtlgw invoke` and nothing else, and all give
the same answers: the CloudFormation ones with the values CloudFormation would have substituted, the
Terraform one with the values the plan already resolved."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vtlgw.apigw.definition import Stack, load_definition
from vtlgw.cli import main

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SAM = EXAMPLES / "sam-orders"
SERVERLESS = EXAMPLES / "serverless-orders"
TERRAFORM = EXAMPLES / "terraform-orders"
PROJECTS = {"sam": (SAM, "template.yaml"), "serverless": (SERVERLESS, "."), "terraform": (TERRAFORM, "plan.json")}
CLOUDFORMATION = ("sam", "serverless")  # the projects whose intrinsics vtlgw evaluates (and shows as substituted)


def run(monkeypatch, project: str, *args: str):
    folder, api = PROJECTS[project]
    monkeypatch.chdir(folder)
    result = CliRunner().invoke(main, ["invoke", "--api", api, *args])
    assert "Traceback" not in result.output
    return result


@pytest.mark.parametrize("project", PROJECTS)
def test_the_readme_command_runs_with_nothing_else(monkeypatch, project):
    result = run(monkeypatch, project, "-X", "POST", "-p", "/orders")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Status: 201"
    body = json.loads(lines[lines.index("Response body:") + 1])
    assert body["table"] == "orders-prod" and body["region"] == "us-east-1" and body["items"] == 0
    if project in CLOUDFORMATION:
        assert "Substituted (as CloudFormation would, on the supposed stack):" in result.stdout


@pytest.mark.parametrize("request_file, status", [("order.request.json", 201), ("bad-order.request.json", 400)])
def test_sam_serverless_and_terraform_give_the_same_answers(monkeypatch, request_file, status):
    answers = []
    for project in PROJECTS:
        result = run(monkeypatch, project, "-r", str(SAM / request_file), "-f", "json")
        assert result.exit_code == 0, result.output
        out = json.loads(result.stdout)
        assert out["status"] == status
        answers.append((out["status"], out["body"], out["headers"]))
    assert len(answers) == 3 and answers[0] == answers[1] == answers[2]


def test_the_sam_project_shows_what_was_substituted(monkeypatch):
    out = json.loads(run(monkeypatch, "sam", "-X", "POST", "-p", "/orders", "-f", "json").stdout)
    substituted = {s["written"]: s["value"] for s in out["substitutions"]}
    function = Stack().generated_name("OrdersFunction", limit=64)
    assert substituted["GetAtt OrdersFunction.Arn"] == f"arn:aws:lambda:us-east-1:123456789012:function:{function}"
    assert substituted["Ref OrdersTable"] == "orders-prod"  # [CFN] Ref of a table is its name
    assert substituted["Ref AWS::AccountId"] == "123456789012"
    assert substituted["Ref Stage"] == "prod"
    located = {s["written"]: s["location"] for s in out["substitutions"]}
    assert located["Ref OrdersTable"].startswith("api.yaml:")  # in the included file, where it is written


def test_the_stack_options_change_what_is_substituted(monkeypatch):
    result = run(monkeypatch, "sam", "-X", "POST", "-p", "/orders", "--region", "eu-west-1",
                 "--parameter", "Stage=beta", "-f", "json")
    body = json.loads(json.loads(result.stdout)["body"])
    assert (body["table"], body["region"]) == ("orders-beta", "eu-west-1")


def test_a_mock_route_of_the_included_openapi(monkeypatch):
    result = run(monkeypatch, "sam", "-X", "GET", "-p", "/health", "--stack-name", "shop", "-f", "json")
    assert json.loads(json.loads(result.stdout)["body"]) == {"status": "ok", "stack": "shop"}


def test_the_serverless_directory_and_its_template_are_the_same_definition(monkeypatch):
    by_folder = run(monkeypatch, "serverless", "-r", str(SAM / "order.request.json"), "-f", "json")
    monkeypatch.chdir(SERVERLESS)
    by_file = CliRunner().invoke(main, ["invoke", "--api", ".serverless/cloudformation-template-update-stack.json",
                                        "-r", str(SAM / "order.request.json"), "-f", "json"])
    assert json.loads(by_folder.stdout)["body"] == json.loads(by_file.stdout)["body"]


def test_the_terraform_plan_runs_its_function_from_src_with_what_the_plan_knows(monkeypatch):
    monkeypatch.chdir(TERRAFORM)
    definition = load_definition("plan.json")
    function = definition.functions["aws_lambda_function.orders"]
    assert (function.handler, function.runtime, function.timeout_seconds) == ("app.lambda_handler", "python3.12", 5)
    assert function.code_dir == str(TERRAFORM / "src")  # data.archive_file.orders's source_dir, "${path.module}/src"
    assert function.environment == {"TABLE_NAME": "orders-prod"}
    integration = definition.method("POST", "/orders").integration
    assert integration.function_id == "aws_lambda_function.orders"
    # invoke_arn is unknown until apply; the ARN it will hold follows from the function's name, the provider's
    # region and the account data.aws_caller_identity read while planning
    assert integration.uri == ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
                               "arn:aws:lambda:us-east-1:123456789012:function:orders-create-prod/invocations")
    assert definition.stage_name == "prod"
    # the queue's URL is only known after apply: the variable is left unset, and invoke says so
    result = run(monkeypatch, "terraform", "-X", "POST", "-p", "/orders")
    assert "environment variable EVENTS_QUEUE_URL is unknown until apply (it refers to " \
           "aws_sqs_queue.order_events.url); it is left unset" in result.stderr
    health = run(monkeypatch, "terraform", "-X", "GET", "-p", "/health", "-f", "json")
    assert json.loads(json.loads(health.stdout)["body"]) == {"status": "ok", "stack": "orders-prod"}


def test_the_linter_finds_the_same_in_every_project():
    """The same templates and pattern, written three ways, get the same findings."""
    from vtlgw.lint import lint

    codes = {name: sorted(d.code for d in lint([folder / api]))
             for name, (folder, api) in PROJECTS.items() if name != "serverless"}
    codes["serverless"] = sorted(d.code for d in lint([SERVERLESS / ".serverless"
                                                       / "cloudformation-template-update-stack.json"]))
    assert codes["sam"] and codes["sam"] == codes["serverless"] == codes["terraform"]


def test_the_sam_http_api_runs_its_python_function(monkeypatch):
    # examples/sam-httpapi: SAM's implicit HTTP API, payload format 2.0, the function from src/.
    monkeypatch.chdir(EXAMPLES / "sam-httpapi")
    result = CliRunner().invoke(main, ["invoke", "--api", "template.yaml", "-X", "GET", "-p", "/notes/42", "-f",
                                       "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["status"] == 200 and out["headers"]["content-type"] == "application/json"
    assert json.loads(out["body"]) == {"id": "42", "route": "GET /notes/{id}", "table": "notes-us-east-1"}
    missing = CliRunner().invoke(main, ["invoke", "--api", "template.yaml", "-X", "DELETE", "-p", "/notes/42"])
    assert missing.exit_code == 0 and '{"message":"Not Found"}' in missing.stdout


SECURED = EXAMPLES / "sam-secured"


def secured(monkeypatch, *args: str):
    monkeypatch.chdir(SECURED)
    result = CliRunner().invoke(main, ["invoke", "--api", "template.yaml", "-X", "POST", "-p", "/tickets",
                                       "-f", "json", *args])
    assert "Traceback" not in result.output
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_secured_example_runs_its_authorizer_key_and_model_in_process(monkeypatch):
    good = ("-H", "Authorization: allow-ada", "-H", "x-api-key: demo-key-0001")
    out = secured(monkeypatch, *good, "-d", '{"title": "Printer on fire", "priority": 1}')
    assert out["status"] == 201
    body = json.loads(out["body"])
    assert (body["openedBy"], body["team"], body["ticket"]["priority"]) == ("ada", "support", 1)
    assert secured(monkeypatch, *good, "-d", '{"title": "x", "priority": 9}')["status"] == 400
    assert secured(monkeypatch, "-H", "Authorization: deny-bob", "-H", "x-api-key: demo-key-0001",
                   "-d", "{}")["status"] == 403
    assert secured(monkeypatch, "-H", "Authorization: allow-ada", "-d", "{}")["status"] == 403  # no API key
    assert secured(monkeypatch, "-d", "{}")["status"] == 401  # no token: the authorizer is not called


def test_the_secured_example_lints_clean():
    from vtlgw.lint import lint

    assert [str(d) for d in lint([SECURED / "template.yaml"])] == []
