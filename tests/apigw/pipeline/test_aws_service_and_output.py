"""AWS service (SQS) integration end to end, and the output forms (docs/integration.md §9)."""

import json

from vtlgw.apigw.definition import Stack, load_definition
from vtlgw.apigw.pipeline import HttpResponse, backend_from_file, format_text, invoke, to_json

from .helpers import DATA, req

MESSAGE_ID = "9f1c4c1e-7c62-4a8e-b6f0-3c3f2f7b2d11"


def intake(backend, body='{"order": 1, "note": "a&b"}', content_type="application/json"):
    definition = load_definition(DATA / "queue-cfn.yaml")
    request = req(httpMethod="POST", path="/intake", headers={"Content-Type": content_type}, body=body)
    return invoke(definition, request, backend=backend)


def test_sqs_send_message():
    result = intake(backend_from_file(DATA / "sqs-sent.json", "http-response"))
    sent = result.integration_request
    # !Sub arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/${QueueName}, evaluated [CFN]
    assert sent.uri == "https://sqs.us-east-1.amazonaws.com/123456789012/order-intake"
    assert sent.http_method == "POST"
    assert sent.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert sent.body.startswith("Action=SendMessage&MessageBody=%7B%22order%22%3A+1%2C+%22note%22%3A+%22a%26b%22%7D&")
    assert result.status == 202
    assert result.headers["X-Message-Id"] == MESSAGE_ID
    assert result.json() == {"accepted": True, "messageId": MESSAGE_ID}
    assert result.match_value == "200"


def test_sqs_errors_select_by_status():
    assert intake(HttpResponse(403, body="<ErrorResponse/>")).status == 400
    assert intake(HttpResponse(503)).status == 500


def test_sqs_never_passthrough_rejects_other_types():
    assert intake(HttpResponse(200), body="a=b", content_type="application/x-www-form-urlencoded").status == 415


def test_to_json_shape():
    result = intake(backend_from_file(DATA / "sqs-sent.json"))
    out = to_json(result)
    assert list(out) == ["status", "body", "headers", "multiValueHeaders", "log", "latency", "substitutions"]
    assert out["status"] == 202
    file = str(DATA / "queue-cfn.yaml")
    # What CloudFormation would have substituted into this method's URI, each where it is written
    assert [(s["written"], s["value"]) for s in out["substitutions"]] == [
        ("Ref AWS::Region", "us-east-1"), ("Ref AWS::AccountId", "123456789012"), ("Ref QueueName", "order-intake"),
        ("GetAtt IntakeRole.Arn", f"arn:aws:iam::123456789012:role/{Stack().generated_name('IntakeRole', limit=64)}")]
    assert all(s["location"].startswith(file + ":39:") for s in out["substitutions"][:3])
    assert out["headers"]["Content-Type"] == "application/json"
    assert out["multiValueHeaders"]["X-Message-Id"] == [MESSAGE_ID]
    assert out["log"].startswith("Execution log for request ")
    assert isinstance(out["latency"], int)
    json.dumps(out)


def test_to_json_binary_flag():
    from vtlgw.apigw.pipeline.invoke import InvokeResult

    result = InvokeResult(200, {}, {}, "AAE=", True, None, "", [], 1)
    assert to_json(result)["isBase64Encoded"] is True
    assert "substitutions" not in to_json(result)  # only when the definition had intrinsics


def test_format_text():
    result = intake(backend_from_file(DATA / "sqs-sent.json"))
    text = format_text(result)
    assert text.startswith("Status: 202\n")
    assert f"  X-Message-Id: {MESSAGE_ID}\n" in text
    assert f'"messageId": "{MESSAGE_ID}"' in text
    assert "Logs:\nExecution log for request" in text
