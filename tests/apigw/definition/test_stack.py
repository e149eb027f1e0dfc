"""CloudFormation intrinsic functions evaluated against a supposed stack.

Facts marked [CFN] come from the CloudFormation User Guide: the "Return values" section of each resource
type (what ``Ref`` and ``Fn::GetAtt`` give) and the intrinsic function reference.
"""

import pytest

from vtlgw.apigw.definition.stack import NO_VALUE, Evaluator, Stack, StackError

TEMPLATE = {
    "Parameters": {
        "Env": {"Type": "String", "Default": "dev"},
        "Subnets": {"Type": "CommaDelimitedList", "Default": "a, b"},
        "NoDefault": {"Type": "String"},
    },
    "Conditions": {
        "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
        "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
        "Both": {"Fn::And": [{"Condition": "NotProd"}, {"Fn::Equals": ["x", "x"]}]},
    },
    "Mappings": {"Sizes": {"dev": {"Memory": 128}, "prod": {"Memory": 1024}}},
    "Resources": {
        "Queue": {"Type": "AWS::SQS::Queue"},
        "NamedQueue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "orders"}},
        "FifoQueue": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "jobs", "FifoQueue": True}},
        "Topic": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": "alerts"}},
        "Table": {"Type": "AWS::DynamoDB::Table", "Properties": {"TableName": "Orders"}},
        "Machine": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"StateMachineName": "flow"}},
        "Fn": {"Type": "AWS::Serverless::Function", "Properties": {"FunctionName": "get-order"}},
        "Stream": {"Type": "AWS::Kinesis::Stream", "Properties": {"Name": "clicks"}},
        "Bus": {"Type": "AWS::Events::EventBus", "Properties": {"Name": "orders-bus"}},
        "Bucket": {"Type": "AWS::S3::Bucket"},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "api-role"}},
        "Api": {"Type": "AWS::ApiGateway::RestApi"},
        "Thing": {"Type": "Custom::Thing"},
    },
}

STACK = Stack(region="eu-west-1", account_id="111122223333", stack_name="shop")


def ev(**kw) -> Evaluator:
    return Evaluator(TEMPLATE, Stack(**{**STACK.__dict__, **kw}))


@pytest.mark.parametrize("value,expected", [
    # [CFN] Ref of AWS::SQS::Queue returns the queue URL; GetAtt Arn and QueueName.
    ({"Ref": "NamedQueue"}, "https://sqs.eu-west-1.amazonaws.com/111122223333/orders"),
    ({"Fn::GetAtt": ["NamedQueue", "Arn"]}, "arn:aws:sqs:eu-west-1:111122223333:orders"),
    ({"Fn::GetAtt": "NamedQueue.QueueName"}, "orders"),
    ({"Fn::GetAtt": ["FifoQueue", "QueueName"]}, "jobs.fifo"),
    # [CFN] Ref of AWS::SNS::Topic returns the topic ARN.
    ({"Ref": "Topic"}, "arn:aws:sns:eu-west-1:111122223333:alerts"),
    ({"Fn::GetAtt": ["Topic", "TopicName"]}, "alerts"),
    # [CFN] Ref of AWS::DynamoDB::Table returns the table name; GetAtt Arn and StreamArn.
    ({"Ref": "Table"}, "Orders"),
    ({"Fn::GetAtt": ["Table", "Arn"]}, "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders"),
    # [CFN] Ref of AWS::StepFunctions::StateMachine returns its ARN; GetAtt Name.
    ({"Ref": "Machine"}, "arn:aws:states:eu-west-1:111122223333:stateMachine:flow"),
    ({"Fn::GetAtt": ["Machine", "Name"]}, "flow"),
    # [CFN] Ref of AWS::Lambda::Function returns the function name; GetAtt Arn.
    ({"Ref": "Fn"}, "get-order"),
    ({"Fn::GetAtt": ["Fn", "Arn"]}, "arn:aws:lambda:eu-west-1:111122223333:function:get-order"),
    # [CFN] Ref of AWS::Kinesis::Stream returns the stream name; of AWS::Events::EventBus, the bus name.
    ({"Ref": "Stream"}, "clicks"),
    ({"Fn::GetAtt": ["Stream", "Arn"]}, "arn:aws:kinesis:eu-west-1:111122223333:stream/clicks"),
    ({"Ref": "Bus"}, "orders-bus"),
    ({"Fn::GetAtt": ["Bus", "Arn"]}, "arn:aws:events:eu-west-1:111122223333:event-bus/orders-bus"),
    # [CFN] Ref of AWS::IAM::Role returns the role name; GetAtt Arn.
    ({"Ref": "Role"}, "api-role"),
    ({"Fn::GetAtt": ["Role", "Arn"]}, "arn:aws:iam::111122223333:role/api-role"),
])
def test_resources_give_their_documented_physical_values(value, expected):
    assert ev().evaluate(value) == expected


def test_generated_names_follow_the_stack_logical_id_suffix_shape_and_are_stable():
    first, second = ev().evaluate({"Fn::GetAtt": ["Queue", "QueueName"]}), ev().evaluate(
        {"Fn::GetAtt": ["Queue", "QueueName"]})
    assert first == second and first.startswith("shop-Queue-") and len(first) == len("shop-Queue-") + 13
    bucket = ev().evaluate({"Ref": "Bucket"})
    assert bucket == bucket.lower() and bucket.startswith("shop-bucket-")  # S3 names are lower case
    assert ev(stack_name="other").evaluate({"Ref": "Bucket"}) != bucket


def test_rest_api_ref_and_root_resource_id():
    api_id = ev().evaluate({"Ref": "Api"})
    assert len(api_id) == 10 and api_id.isalnum()
    assert ev().evaluate({"Fn::GetAtt": ["Api", "RootResourceId"]}) != api_id


@pytest.mark.parametrize("value,expected", [
    ({"Ref": "AWS::Region"}, "eu-west-1"),
    ({"Ref": "AWS::AccountId"}, "111122223333"),
    ({"Ref": "AWS::StackName"}, "shop"),
    ({"Ref": "AWS::Partition"}, "aws"),
    ({"Ref": "AWS::URLSuffix"}, "amazonaws.com"),
    ({"Ref": "Env"}, "dev"),
    ({"Ref": "Subnets"}, ["a", "b"]),  # [CFN] a CommaDelimitedList parameter is a list
])
def test_pseudo_parameters_and_parameters(value, expected):
    assert ev().evaluate(value) == expected


def test_stack_id_is_an_arn_of_the_stack():
    assert ev().evaluate({"Ref": "AWS::StackId"}).startswith("arn:aws:cloudformation:eu-west-1:111122223333:stack/shop/")


def test_parameter_overrides_win_over_defaults():
    assert ev(parameters={"Env": "prod"}).evaluate({"Fn::If": ["IsProd", "big", "small"]}) == "big"


def test_sub_both_forms_and_escape():
    e = ev()
    assert e.evaluate({"Fn::Sub": '{"QueueUrl": "${NamedQueue}", "Machine": "${Machine}", "r": "${AWS::Region}"}'}) \
        == ('{"QueueUrl": "https://sqs.eu-west-1.amazonaws.com/111122223333/orders", '
            '"Machine": "arn:aws:states:eu-west-1:111122223333:stateMachine:flow", "r": "eu-west-1"}')
    assert e.evaluate({"Fn::Sub": "${Table.Arn}/index/*"}) == "arn:aws:dynamodb:eu-west-1:111122223333:table/Orders/index/*"
    assert e.evaluate({"Fn::Sub": ["${Name}-${Env}", {"Name": {"Ref": "Table"}}]}) == "Orders-dev"
    # [CFN] ${!Literal} writes ${Literal}: a Velocity formal reference in a template survives.
    assert e.evaluate({"Fn::Sub": "$${!input.body} ${Env}"}) == "$${input.body} dev"


def test_join_select_split_base64_find_in_map_and_get_azs():
    e = ev()
    assert e.evaluate({"Fn::Join": [":", ["arn", {"Ref": "AWS::Partition"}, "x"]]}) == "arn:aws:x"
    assert e.evaluate({"Fn::Select": ["1", {"Fn::Split": [",", "a,b,c"]}]}) == "b"
    assert e.evaluate({"Fn::Base64": "hi"}) == "aGk="
    assert e.evaluate({"Fn::FindInMap": ["Sizes", {"Ref": "Env"}, "Memory"]}) == 128
    assert e.evaluate({"Fn::GetAZs": ""}) == ["eu-west-1a", "eu-west-1b", "eu-west-1c"]


def test_conditions_and_no_value():
    e = ev()
    assert e.evaluate({"Fn::If": ["Both", "yes", "no"]}) == "yes"
    value = {"A": {"Fn::If": ["IsProd", "x", {"Ref": "AWS::NoValue"}]}, "B": 1}
    assert e.evaluate(value) == {"B": 1}  # [CFN] AWS::NoValue removes the property
    assert e.evaluate([{"Ref": "AWS::NoValue"}, 2]) == [2]
    assert e.evaluate({"Ref": "AWS::NoValue"}) is NO_VALUE


def test_unresolvable_values_are_inert_text_with_their_pointer():
    e = ev()
    assert e.evaluate({"x": {"Fn::ImportValue": "SharedTopicArn"}}, "/Resources/M") == {
        "x": "<Fn::ImportValue SharedTopicArn>"}
    assert e.evaluate({"Fn::GetAtt": ["Thing", "Endpoint"]}) == "<Fn::GetAtt Thing.Endpoint>"
    assert e.evaluate({"Ref": "NoDefault"}) == "<Ref NoDefault>"
    assert [(u.pointer, u.text) for u in e.unresolved][0] == ("/Resources/M/x/Fn::ImportValue",
                                                              "<Fn::ImportValue SharedTopicArn>")
    assert all("$" not in u.text and "#" not in u.text for u in e.unresolved)  # never Velocity syntax


@pytest.mark.parametrize("value,message", [
    ({"Ref": "Nope"}, "neither a parameter nor a resource"),
    ({"Fn::GetAtt": ["Nope", "Arn"]}, "not a resource of the template"),
    ({"Fn::Select": [5, ["a"]]}, "out of range"),
    ({"Fn::If": ["Missing", 1, 2]}, "not defined in Conditions"),
    ({"Fn::FindInMap": ["Sizes", "qa", "Memory"]}, "Mappings has no Sizes.qa.Memory"),
    ({"Fn::Join": [","]}, "takes a list of 2 values"),
])
def test_what_cloudformation_refuses_is_a_located_error(value, message):
    with pytest.raises(StackError, match=message) as caught:
        ev().evaluate({"Body": value}, "/Resources/Api/Properties")
    assert caught.value.pointer.startswith("/Resources/Api/Properties/Body")
