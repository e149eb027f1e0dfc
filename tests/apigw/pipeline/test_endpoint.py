"""Endpoint URLs and URI substitution (docs/integration.md §3.4)."""

from vtlgw.apigw.pipeline import HttpHandler, HttpResponse, invoke
from vtlgw.apigw.pipeline.endpoint import endpoint_url, function_arn, resolve_uri

from vtlgw.vtl.diagnostics import Location

from .helpers import LAMBDA_URI, api, req


def test_aws_path_and_action_forms():
    assert endpoint_url("arn:aws:apigateway:eu-west-1:sqs:path/123456789012/q", "AWS") == \
        "https://sqs.eu-west-1.amazonaws.com/123456789012/q"
    assert endpoint_url("arn:aws:apigateway:us-east-1:sqs:action/SendMessage", "AWS") == \
        "https://sqs.us-east-1.amazonaws.com/?Action=SendMessage"
    assert endpoint_url("arn:aws:apigateway:${AWS::Region}:dynamodb:action/PutItem", "AWS") == \
        "https://dynamodb.us-east-1.amazonaws.com/?Action=PutItem"
    assert endpoint_url(LAMBDA_URI, "AWS").startswith("https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/")
    assert endpoint_url("https://x.example.com/{id}", "HTTP") == "https://x.example.com/{id}"


def test_account_id_from_the_context():
    uri = "arn:aws:apigateway:${AWS::Region}:sqs:path/${AWS::AccountId}/q"
    assert endpoint_url(uri, "AWS", "111122223333") == "https://sqs.us-east-1.amazonaws.com/111122223333/q"


def test_resolve_uri():
    warnings = []
    out = resolve_uri("https://${stageVariables.host}/a/{id}/{missing}/${stageVariables.none}x",
                      {"id": ["a/b c"]}, {"host": "h.example.com"}, warnings)
    assert out == "https://h.example.com/a/a%2Fb%20c/{missing}/x"
    assert len(warnings) == 1 and "{missing}" in warnings[0].message
    assert warnings[0].location == Location("<integration uri>")
    where = Location("api.yaml", 9, 14, pointer="/paths/~1a/get/x-amazon-apigateway-integration/uri")
    located = []
    resolve_uri("https://h/{missing}", {}, {}, located, where)
    assert [w.location for w in located] == [where]


def test_cloudformation_references_are_not_placeholders():
    assert resolve_uri("arn:${AWS::Region}:${Fn.Arn}/{id}", {"id": ["1"]}, {}) == "arn:${AWS::Region}:${Fn.Arn}/1"


def test_function_arn():
    assert function_arn(LAMBDA_URI) == "arn:aws:lambda:us-east-1:123456789012:function:Orders"
    assert function_arn("https://x.example.com") is None


def test_http_handler_may_return_dict_or_text():
    definition = api(type="HTTP", uri="https://x.example.com/")
    as_dict = invoke(definition, req(), backend=HttpHandler(lambda r: {"statusCode": 201, "body": {"a": 1}}))
    assert (as_dict.match_value, as_dict.body) == ("201", '{"a":1}')
    as_text = invoke(definition, req(), backend=HttpHandler(lambda r: "plain"))
    assert (as_text.match_value, as_text.body) == ("200", "plain")
    assert invoke(definition, req(), backend=HttpResponse(200, body=None)).body == ""
