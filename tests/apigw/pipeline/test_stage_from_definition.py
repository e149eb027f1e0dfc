"""A template's stage name and variables reach `$context.stage` and `$stageVariables` without flags."""

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.pipeline import invoke
from vtlgw.apigw.request import request_from_dict

MOCK_RESPONSE = ('{"stage": "$context.stage", "table": "$stageVariables.tableName", '
                 '"region": "$stageVariables.region"}')

SAM = f"""
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: prod
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      Variables:
        tableName: orders-prod
        region: !Ref AWS::Region
      DefinitionBody:
        openapi: 3.0.1
        info: {{title: t, version: "1"}}
        paths:
          /s:
            get:
              responses: {{"200": {{description: ok}}}}
              x-amazon-apigateway-integration:
                type: mock
                requestTemplates: {{application/json: '{{"statusCode": 200}}'}}
                responses:
                  default:
                    statusCode: "200"
                    responseTemplates: {{application/json: '{MOCK_RESPONSE}'}}
"""

CFN = """
Resources:
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: t}
  Thing:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: s}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref Thing
      HttpMethod: GET
      AuthorizationType: NONE
      MethodResponses: [{StatusCode: "200"}]
      Integration:
        Type: MOCK
        RequestTemplates: {application/json: '{"statusCode": 200}'}
        IntegrationResponses:
          - StatusCode: "200"
            ResponseTemplates: {application/json: 'TEMPLATE'}
  Live:
    Type: AWS::ApiGateway::Stage
    Properties:
      RestApiId: !Ref Api
      StageName: live
      Variables: {tableName: orders-live}
""".replace("TEMPLATE", MOCK_RESPONSE.replace("'", "''"))


def run(tmp_path, text, name, **kwargs):
    path = tmp_path / name
    path.write_text(text)
    api = load_definition(path)
    request, _ = request_from_dict({"httpMethod": "GET", "path": "/s", **kwargs.pop("request", {})})
    return api, invoke(api, request, **kwargs)


def test_sam_stage_name_and_variables(tmp_path):
    api, result = run(tmp_path, SAM, "sam.yaml")
    assert (api.stage_name, api.stage_variables["tableName"]) == ("prod", "orders-prod")
    # !Ref AWS::Region evaluated against the supposed stack (us-east-1 unless --region says otherwise)
    assert result.json() == {"stage": "prod", "table": "orders-prod", "region": "us-east-1"}


def test_cloudformation_stage_resource(tmp_path):
    api, result = run(tmp_path, CFN, "cfn.yaml")
    assert (api.stage_name, api.stage_variables) == ("live", {"tableName": "orders-live"})
    assert result.json()["stage"] == "live" and result.json()["table"] == "orders-live"


def test_request_file_and_caller_override_the_definition(tmp_path):
    _, result = run(tmp_path, SAM, "sam.yaml", request={"stageVariables": {"tableName": "from-request"}},
                    stage="beta", stage_variables={"region": "eu-west-1"})
    assert result.json() == {"stage": "beta", "table": "from-request", "region": "eu-west-1"}
