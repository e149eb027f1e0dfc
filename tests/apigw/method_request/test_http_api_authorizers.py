"""HTTP API authorizers: JWT (issuer, audience, times, the route's scopes) and Lambda (payload 1.0 and 2.0).

Source: the AWS docs page "Control access to HTTP APIs with JWT authorizers"
(http-api-jwt-authorizer): API Gateway checks iss against the issuer, aud or
client_id against the audiences, exp, nbf and iat, and that scope or scp holds
one of the route's authorization scopes; it answers 401 when the token is
missing or invalid and 403 when the scopes do not match. The payload 2.0 event
carries requestContext.authorizer.jwt.claims and .scopes
(http-api-develop-integrations-lambda). "Control access to HTTP APIs with AWS Lambda
authorizers" (http-api-lambda-authorizer): the payload 1.0 and 2.0 events, simple
responses ({"isAuthorized", "context"}), a missing identity source is 401 without
a call, a refusal is 403.
"""

import base64
import json
import textwrap

import pytest

from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.definition.errors import DefinitionError
from vtlgw.apigw.pipeline import invoke

ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool1"

SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::HttpApi
    Properties:
      Auth:
        DefaultAuthorizer: Jwt
        Authorizers:
          Jwt:
            IdentitySource: $request.header.Authorization
            JwtConfiguration: {issuer: %s, audience: [client-1, client-2]}
          Fn:
            FunctionArn: !GetAtt AuthFn.Arn
            AuthorizerPayloadFormatVersion: "2.0"
            EnableSimpleResponses: true
            Identity: {Headers: [X-Ticket]}
          Policy:
            FunctionArn: !GetAtt PolicyFn.Arn
            AuthorizerPayloadFormatVersion: "1.0"
            Identity: {Headers: [X-Ticket]}
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: auth.simple, CodeUri: auth/}
  PolicyFn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: auth.policy, CodeUri: auth/}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Me: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /me, Method: get}}
        Admin:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Path: /admin, Method: get, Auth: {Authorizer: Jwt, AuthorizationScopes: [admin]}}
        Old:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Path: /old, Method: get, PayloadFormatVersion: "1.0"}
        Open: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /open, Method: get, Auth: {Authorizer: NONE}}}
        Custom: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /custom, Method: get, Auth: {Authorizer: Fn}}}
        Legacy:
          Type: HttpApi
          Properties: {ApiId: !Ref Api, Path: /legacy, Method: get, Auth: {Authorizer: Policy}}
""" % ISSUER

APP = '''
import json

def handler(event, context):
    return {"statusCode": 200, "body": json.dumps(event["requestContext"].get("authorizer"))}
'''


AUTH = '''
import json
import os


def seen(event):
    with open(os.path.join(os.path.dirname(__file__), "seen.json"), "w") as fh:
        json.dump(event, fh)


def simple(event, context):
    seen(event)
    if event["headers"].get("x-ticket") == "boom":
        raise RuntimeError("boom")
    return {"isAuthorized": event["identitySource"] == ["t-1"], "context": {"tenant": "acme"}}


def policy(event, context):
    seen(event)
    effect = "Allow" if event["identitySource"] == "t-1" else "Deny"
    return {"principalId": "p", "policyDocument": {"Version": "2012-10-17", "Statement": [
        {"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}]}, "context": {"k": "v"}}
'''


@pytest.fixture()
def api(tmp_path):
    (tmp_path / "auth").mkdir()
    (tmp_path / "auth" / "auth.py").write_text(AUTH, encoding="utf-8")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(APP, encoding="utf-8")
    (tmp_path / "template.yaml").write_text(SAM, encoding="utf-8")
    return load_definition(tmp_path / "template.yaml")


def jwt(**claims):
    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()
    base = {"sub": "u-1", "iss": ISSUER, "client_id": "client-1", "exp": 4102444800, "token_use": "access"}
    return f"{part({'alg': 'RS256'})}.{part({**base, **claims})}.signature"


def get(definition, path, token=None):
    headers = {"Authorization": token} if token else {}
    return invoke(definition, {"httpMethod": "GET", "path": path, "headers": headers}, report_latency=False)


def test_a_good_token_reaches_the_function_with_its_claims_and_scopes(api):
    result = get(api, "/me", "Bearer " + jwt(scope="read write"))
    assert result.status == 200
    assert json.loads(result.body) == {"jwt": {
        "claims": {"sub": "u-1", "iss": ISSUER, "client_id": "client-1", "exp": "4102444800",
                   "token_use": "access", "scope": "read write"},
        "scopes": ["read", "write"]}}
    assert get(api, "/me", jwt()).status == 200  # the Bearer prefix is optional (U77)


@pytest.mark.parametrize("token", [
    None, "not-a-jwt",
    jwt(iss="https://example.com/other"),
    jwt(client_id="client-9"),
    jwt(exp=1),
    jwt(nbf=4102444800),
])
def test_a_missing_or_invalid_token_is_401(api, token):
    result = get(api, "/me", token)
    assert (result.status, json.loads(result.body)) == (401, {"message": "Unauthorized"})


def test_missing_scopes_are_403(api):
    result = get(api, "/admin", jwt(scope="read"))
    assert (result.status, json.loads(result.body)) == (403, {"message": "Forbidden"})
    assert get(api, "/admin", jwt(scp=["admin"])).status == 200
    assert get(api, "/admin", jwt(aud="client-2", client_id=None, scope="admin")).status == 200  # an ID token's aud


def test_payload_1_0_carries_the_claims_at_the_top(api):
    result = get(api, "/old", jwt())
    assert json.loads(result.body)["claims"]["sub"] == "u-1"


def test_none_opts_out(api):
    assert get(api, "/open").status == 200


def ticket(definition, path, value=None):
    headers = {"X-Ticket": value} if value else {}
    return invoke(definition, {"httpMethod": "GET", "path": path, "headers": headers}, report_latency=False)


def test_a_lambda_authorizer_with_simple_responses(api):
    # http-api-lambda-authorizer: a missing identity source is 401 without a call; isAuthorized false is 403
    assert (ticket(api, "/custom").status, json.loads(ticket(api, "/custom").body)) == (401, {"message": "Unauthorized"})
    denied = ticket(api, "/custom", "t-2")
    assert (denied.status, json.loads(denied.body)) == (403, {"message": "Forbidden"})
    allowed = ticket(api, "/custom", "t-1")
    assert allowed.status == 200
    assert json.loads(allowed.body) == {"lambda": {"tenant": "acme"}}
    failed = ticket(api, "/custom", "boom")
    assert (failed.status, json.loads(failed.body)) == (500, {"message": "Internal Server Error"})


def test_the_2_0_authorizer_event(api, tmp_path):
    ticket(api, "/custom", "t-1")
    event = json.loads((tmp_path / "auth" / "seen.json").read_text(encoding="utf-8"))
    assert (event["version"], event["type"], event["identitySource"], event["routeKey"]) == (
        "2.0", "REQUEST", ["t-1"], "GET /custom")
    assert event["routeArn"].endswith("/$default/GET/custom")
    assert "body" not in event


def test_a_1_0_authorizer_with_a_policy(api, tmp_path):
    assert ticket(api, "/legacy", "t-1").status == 200
    event = json.loads((tmp_path / "auth" / "seen.json").read_text(encoding="utf-8"))
    assert (event["version"], event["identitySource"], event["path"]) == ("1.0", "t-1", "/legacy")
    assert ticket(api, "/legacy", "t-9").status == 403


V2 = """\
Resources:
  Api: {Type: AWS::ApiGatewayV2::Api, Properties: {Name: a, ProtocolType: HTTP}}
  Auth:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties:
      ApiId: !Ref Api
      AuthorizerType: JWT
      Name: cognito
      IdentitySource: [$request.header.Authorization]
      JwtConfiguration: {Issuer: %s, Audience: [client-1]}
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: GET /me
      AuthorizationType: JWT
      AuthorizerId: !Ref Auth
      AuthorizationScopes: [read]
      Target: !Sub integrations/${Mock}
  Mock:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: !Ref Api, IntegrationType: HTTP_PROXY, IntegrationUri: "https://example.com/me",
                 IntegrationMethod: GET, PayloadFormatVersion: "1.0"}
""" % ISSUER


def test_apigatewayv2_authorizer_resources(tmp_path):
    path = tmp_path / "stack.yaml"
    path.write_text(V2, encoding="utf-8")
    definition = load_definition(path)
    route = definition.methods[("GET", "/me")]
    assert (route.authorization_type, route.authorizer.issuer, route.authorizer.audiences,
            route.authorization_scopes) == ("JWT", ISSUER, ["client-1"], ["read"])
    assert get(definition, "/me").status == 401
    assert get(definition, "/me", jwt(scope="write")).status == 403
    path.write_text(V2.replace("AuthorizerId: !Ref Auth", "AuthorizerId: !Ref Nothing"), encoding="utf-8")
    with pytest.raises(DefinitionError, match="a JWT route needs AuthorizerId"):
        load_definition(path)


def test_openapi_http_api_jwt_scheme(tmp_path):
    path = tmp_path / "api.yaml"
    path.write_text(textwrap.dedent(f"""\
        openapi: 3.0.1
        info: {{title: t, version: "1"}}
        components:
          securitySchemes:
            jwt:
              type: oauth2
              x-amazon-apigateway-authorizer:
                type: jwt
                identitySource: $request.header.Authorization
                jwtConfiguration: {{issuer: "{ISSUER}", audience: [client-1]}}
        paths:
          /me:
            get:
              security: [{{jwt: [read]}}]
              x-amazon-apigateway-integration:
                type: http_proxy
                httpMethod: GET
                uri: https://example.com/me
                payloadFormatVersion: "1.0"
        """), encoding="utf-8")
    definition = load_definition(path)
    assert definition.methods[("GET", "/me")].authorization_scopes == ["read"]
    assert get(definition, "/me").status == 401
    assert get(definition, "/me", jwt(scope="other")).status == 403


V2_LAMBDA = """\
Resources:
  Api: {Type: AWS::ApiGatewayV2::Api, Properties: {Name: a, ProtocolType: HTTP}}
  Auth:
    Type: AWS::ApiGatewayV2::Authorizer
    Properties:
      ApiId: !Ref Api
      AuthorizerType: REQUEST
      Name: tickets
      AuthorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:auth/invocations
      AuthorizerPayloadFormatVersion: "2.0"
      EnableSimpleResponses: true
      IdentitySource: [$request.header.X-Ticket]
  Route:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      ApiId: !Ref Api
      RouteKey: GET /me
      AuthorizationType: CUSTOM
      AuthorizerId: !Ref Auth
      Target: !Sub integrations/${Mock}
  Mock:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: !Ref Api, IntegrationType: HTTP_PROXY, IntegrationUri: "https://example.com/me",
                 IntegrationMethod: GET, PayloadFormatVersion: "1.0"}
"""


def test_apigatewayv2_lambda_authorizer(tmp_path):
    from vtlgw.apigw.pipeline import LambdaResult

    path = tmp_path / "stack.yaml"
    path.write_text(V2_LAMBDA, encoding="utf-8")
    definition = load_definition(path)
    route = definition.methods[("GET", "/me")]
    assert (route.authorization_type, route.authorizer.type, route.authorizer.simple_responses) == (
        "CUSTOM", "HTTP_LAMBDA", True)
    request = {"httpMethod": "GET", "path": "/me", "headers": {"X-Ticket": "t"}}
    no = invoke(definition, request, authorizer=LambdaResult({"isAuthorized": False}))
    assert no.status == 403
    bad = invoke(definition, request, authorizer=LambdaResult({"isAuthorized": "yes"}))
    assert bad.status == 500  # a simple response's isAuthorized is a boolean
    assert invoke(definition, {"httpMethod": "GET", "path": "/me"},
                  authorizer=LambdaResult({"isAuthorized": True})).status == 401
