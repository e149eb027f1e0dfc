"""Authorizers run in-process: Lambda TOKEN and REQUEST, Cognito user pools, AWS_IAM.

Sources: the AWS docs pages "Use API Gateway Lambda authorizers"
(apigateway-use-lambda-authorizer: a missing identity source or a token that
fails identityValidationExpression is 401 without calling the function; the
error "Unauthorized" is 401), "Input to an API Gateway Lambda authorizer"
(api-gateway-lambda-authorizer-input: the TOKEN and REQUEST events), "Output
from an API Gateway Lambda authorizer" (api-gateway-lambda-authorizer-output:
principalId, policyDocument, context of strings, numbers and booleans,
usageIdentifierKey), "Control access to REST APIs using Amazon Cognito user
pools" (apigateway-integrate-with-cognito), and "Gateway response types"
(supported-gateway-response-types). Users' reports give the 403 bodies with a
capital "Message" and the 500 body of a failing authorizer.
"""

import base64
import json
import textwrap
from pathlib import Path

import pytest

from fixtures.handlers.auth import token_authorizer
from vtlgw.apigw.definition import load_definition
from vtlgw.apigw.definition.errors import DefinitionError
from vtlgw.apigw.definition.validation import api_key_id
from vtlgw.apigw.method_request.policy import Decision, PolicyError, evaluate, method_arn
from vtlgw.apigw.pipeline import LambdaHandler, LambdaResult, invoke
from vtlgw.apigw.pipeline.failures import BackendError

SECURED = Path(__file__).parents[3] / "fixtures" / "pets-secured.openapi.yaml"
PET = '{"name": "Rex", "kind": "dog"}'
KEY = "k-0123456789"


@pytest.fixture(scope="module")
def secured():
    return load_definition(SECURED)


def post(definition, headers, body=PET, authorizer=None, query=None, **kw):
    query = {"version": "1"} if query is None else query
    return invoke(definition, {"httpMethod": "POST", "path": "/pets", "headers": headers, "body": body,
                               "queryStringParameters": query},
                  authorizer=authorizer or LambdaHandler(token_authorizer), api_keys=[KEY], report_latency=False,
                  **kw)


ALL_GOOD = {"Authorization": "Bearer allow-bob", "x-api-key": KEY, "x-tenant": "t1"}


# ---------------------------------------------------------------------------- the done-when


def test_everything_right_renders_the_principal_and_the_context(secured):
    result = post(secured, ALL_GOOD)
    assert result.status == 201
    # principalId and the context, stringified; the key is the one given in x-api-key
    assert json.loads(result.body) == {"principal": "bob", "tenant": "acme", "tier": "2", "admin": "false",
                                       "key": api_key_id(KEY)}
    assert "Authorizer result body before parsing: " in result.log
    assert "Successfully completed authorizer execution" in result.log


def test_a_missing_token_is_401_without_calling_the_function(secured):
    calls = []

    def spy(event, context):
        calls.append(event)
        return token_authorizer(event, context)

    result = post(secured, {"x-api-key": KEY, "x-tenant": "t1"}, authorizer=LambdaHandler(spy))
    assert result.status == 401 and calls == []
    # the definition customises UNAUTHORIZED: its template and header
    assert json.loads(result.body) == {"error": "unauthorized", "type": "UNAUTHORIZED"}
    assert result.headers["WWW-Authenticate"] == "Bearer"


def test_a_token_failing_the_validation_expression_is_401_without_a_call(secured):
    calls = []
    result = post(secured, {**ALL_GOOD, "Authorization": "Basic abc"},
                  authorizer=LambdaHandler(lambda e, c: calls.append(e)))
    assert result.status == 401 and calls == []
    assert any("identityValidationExpression" in line for line in result.trace)


def test_the_error_unauthorized_is_401_and_any_other_error_500(secured):
    assert post(secured, {**ALL_GOOD, "Authorization": "Bearer who-knows"}).status == 401

    def broken(event, context):
        raise ValueError("database down")

    result = post(secured, ALL_GOOD, authorizer=LambdaHandler(broken))
    assert (result.status, result.body) == (500, '{"message": null}')
    assert result.headers["x-amzn-ErrorType"] == "AuthorizerConfigurationException"
    # recorded: the error object is read as the result, and its first field refused
    assert 'Authorizer result body before parsing: {"errorMessage":"database down","errorType":"ValueError"' in \
        result.log
    assert ('Execution failed due to configuration error: Invalid JSON in response: Unrecognized field '
            '"errorMessage" , not marked as ignorable\n') in result.log
    assert "AuthorizerConfigurationException" in result.log


def test_a_denying_policy_is_403_with_the_explicit_deny_message(secured):
    result = post(secured, {**ALL_GOOD, "Authorization": "Bearer deny-eve"})
    assert result.status == 403
    assert result.body == '{"Message":"User is not authorized to access this resource with an explicit deny"}'
    assert result.headers["x-amzn-ErrorType"] == "AccessDeniedException"


def test_a_policy_that_allows_another_method_is_an_implicit_deny(secured):
    other = {"principalId": "u", "policyDocument": {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "execute-api:Invoke",
         "Resource": "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/test/GET/pets"}]}}
    result = post(secured, ALL_GOOD, authorizer=LambdaResult(other))
    assert (result.status, result.body) == (403, '{"Message":"User is not authorized to access this resource"}')


def test_a_wrong_key_is_403_and_the_400s_come_after_the_authorizer(secured):
    assert post(secured, {**ALL_GOOD, "x-api-key": "wrong"}).status == 403
    result = post(secured, {"Authorization": "Bearer allow-bob", "x-api-key": KEY}, query={})
    assert json.loads(result.body) == {"message": "Missing required request parameters: [x-tenant, version]"}
    result = post(secured, ALL_GOOD, body='{"name": "Rex"}')
    assert json.loads(result.body) == {"message": "Invalid request body"}


def test_context_values_must_be_scalars(secured):
    bad = {"principalId": "u", "context": {"roles": ["a"]}, "policyDocument": {"Statement": [
        {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}}
    result = post(secured, ALL_GOOD, authorizer=LambdaResult(bad))
    assert result.status == 500
    assert "the context values of roles are objects or arrays" in result.log


@pytest.mark.parametrize("output, why", [
    ({"policyDocument": {"Statement": []}}, "no principalId"),
    ({"principalId": "u"}, "no policyDocument"),
    ({"principalId": "u", "policyDocument": {"Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]}},
     "Could not parse policy"),
    ("not an object", "not a JSON object"),
])
def test_a_result_api_gateway_cannot_read_is_500(secured, output, why):
    result = post(secured, ALL_GOOD, authorizer=LambdaResult(output))
    assert result.status == 500
    assert why in result.log


def test_the_token_event_as_documented(secured):
    seen = []

    def spy(event, context):
        seen.append(event)
        return token_authorizer(event, context)

    post(secured, ALL_GOOD, authorizer=LambdaHandler(spy))
    assert seen == [{"type": "TOKEN", "authorizationToken": "Bearer allow-bob",
                     "methodArn": "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/test/POST/pets"}]


def test_without_local_code_the_user_is_told_how_to_give_the_authorizer(secured):
    with pytest.raises(BackendError, match="give --authorizer-handler MOD:FN"):
        invoke(secured, {"httpMethod": "POST", "path": "/pets", "headers": ALL_GOOD, "body": PET})


# ---------------------------------------------------------------------------- policies


ARN = method_arn("us-east-1", "1", "api", "prod", "GET", "/pets/7")


@pytest.mark.parametrize("statements, effect", [
    ([{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": ARN}], "Allow"),
    ([{"Effect": "Allow", "Action": "execute-api:*", "Resource": "arn:aws:execute-api:*:*:api/*/GET/*"}], "Allow"),
    ([{"Effect": "Allow", "Action": ["s3:GetObject"], "Resource": "*"}], "implicit deny"),
    ([{"Effect": "Allow", "Action": "*", "Resource": "*"},
      {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:*:*:api/prod/GET/pets/?"}],
     "Deny"),
    ([{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": ["x", "arn:aws:execute-api:us-east-1:1:api/prod/*"]}],
     "Allow"),
])
def test_policy_wildcards_and_deny_winning(statements, effect):
    assert ARN == "arn:aws:execute-api:us-east-1:1:api/prod/GET/pets/7"
    assert evaluate({"Version": "2012-10-17", "Statement": statements}, ARN).effect == effect


def test_a_statement_object_is_a_one_statement_list_and_bad_documents_are_errors():
    assert evaluate({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}, ARN) == Decision("Allow", 0)
    for bad in (None, {}, {"Statement": [{"Effect": "Allow", "Action": 1, "Resource": "*"}]}):
        with pytest.raises(PolicyError):
            evaluate(bad, ARN)


# ---------------------------------------------------------------------------- REQUEST, Cognito, IAM

SAM = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: prod
      Auth:
        DefaultAuthorizer: Request
        Authorizers:
          Request:
            FunctionArn: !GetAtt AuthFn.Arn
            FunctionPayloadType: REQUEST
            Identity: {Headers: [X-Tenant], QueryStrings: [ticket]}
          Users:
            UserPoolArn: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Pool1
  AuthFn:
    Type: AWS::Serverless::Function
    Properties: {Runtime: python3.12, Handler: auth.handler, CodeUri: auth/}
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      Handler: app.handler
      CodeUri: src/
      Events:
        Tickets:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /tickets, Method: get}
        Me:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /me, Method: get, Auth: {Authorizer: Users}}
        Admin:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /admin, Method: get, Auth: {Authorizer: AWS_IAM}}
        Open:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /open, Method: get, Auth: {Authorizer: NONE}}
"""

AUTH_PY = '''
def handler(event, context):
    allowed = event["queryStringParameters"]["ticket"] == "t-1"
    return {"principalId": event["headers"]["X-Tenant"],
            "policyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow" if allowed else "Deny", "Action": "execute-api:Invoke",
                 "Resource": event["methodArn"]}]},
            "context": {"type": event["type"], "resource": event["resource"]}}
'''

APP_PY = '''
import json

def handler(event, context):
    return {"statusCode": 200, "body": json.dumps(event["requestContext"].get("authorizer"))}
'''


def write_sam(folder, text=SAM):
    """The SAM project: the template, the authorizer's code and the function's."""
    (folder / "auth").mkdir(exist_ok=True)
    (folder / "auth" / "auth.py").write_text(AUTH_PY, encoding="utf-8")
    (folder / "src").mkdir(exist_ok=True)
    (folder / "src" / "app.py").write_text(APP_PY, encoding="utf-8")
    path = folder / "template.yaml"
    path.write_text(text, encoding="utf-8")
    return load_definition(path)


@pytest.fixture()
def sam(tmp_path):
    return write_sam(tmp_path)


def get(definition, path, headers=None, query=None, **kw):
    return invoke(definition, {"httpMethod": "GET", "path": path, "headers": headers or {},
                               "queryStringParameters": query}, report_latency=False, **kw)


def test_sam_request_authorizer_runs_the_templates_function_with_the_request_event(sam):
    method = sam.methods[("GET", "/tickets")]
    assert (method.authorization_type, method.authorizer.type, method.authorizer.function_id) == (
        "CUSTOM", "REQUEST", "AuthFn")
    assert get(sam, "/tickets", {"X-Tenant": "acme"}).status == 401  # the ticket query parameter is missing
    denied = get(sam, "/tickets", {"X-Tenant": "acme"}, {"ticket": "t-2"})
    assert denied.status == 403
    allowed = get(sam, "/tickets", {"X-Tenant": "acme"}, {"ticket": "t-1"})
    assert allowed.status == 200
    # the proxy event's requestContext.authorizer: principalId, the context as strings, integrationLatency
    assert json.loads(allowed.body) == {"principalId": "acme", "type": "REQUEST", "resource": "/tickets",
                                        "integrationLatency": 0}


def jwt(claims):
    def part(obj):
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'RS256'})}.{part(claims)}.signature"


ISS = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool1"


def test_cognito_claims_from_the_token_reach_the_event(sam):
    token = jwt({"sub": "u-1", "email": "a@b.c", "iss": ISS, "exp": 4102444800, "cognito:groups": ["admin", "ops"]})
    result = get(sam, "/me", {"Authorization": token})
    assert result.status == 200
    assert json.loads(result.body) == {"claims": {"sub": "u-1", "email": "a@b.c", "iss": ISS, "exp": "4102444800",
                                                  "cognito:groups": "[admin, ops]"}}
    assert any("signature not verified" in line for line in result.trace)


@pytest.mark.parametrize("token", [
    None, "not-a-jwt",
    jwt({"sub": "u", "iss": "https://cognito-idp.eu-west-1.amazonaws.com/other", "exp": 4102444800}),
    # without authorization scopes the method takes the ID token, not the access token (users' reports)
    jwt({"sub": "u", "iss": ISS, "exp": 4102444800, "token_use": "access", "scope": "x"}),
])
def test_cognito_refuses_a_missing_bad_expired_or_foreign_token(sam, token):
    result = get(sam, "/me", {"Authorization": token} if token else {})
    assert (result.status, json.loads(result.body)) == (401, {"message": "Unauthorized"})


def test_an_expired_cognito_token_says_so(sam):
    # users' reports: 401 {"message": "The incoming token has expired"}
    result = get(sam, "/me", {"Authorization": jwt({"sub": "u", "iss": ISS, "exp": 1})})
    assert (result.status, json.loads(result.body)) == (401, {"message": "The incoming token has expired"})


def test_a_bearer_prefix_is_accepted(sam):
    # U73: an AWS workshop and users' clients send "Bearer <token>" to Cognito authorizers
    token = jwt({"sub": "u", "iss": ISS, "exp": 4102444800, "token_use": "id"})
    assert get(sam, "/me", {"Authorization": "Bearer " + token}).status == 200


def test_a_cognito_validation_expression_is_matched_against_aud(tmp_path):
    text = SAM.replace("UserPoolArn: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Pool1",
                       "UserPoolArn: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Pool1\n"
                       "            Identity: {ValidationExpression: 'client-[0-9]+'}")
    definition = write_sam(tmp_path, text)
    good = jwt({"sub": "u", "iss": ISS, "exp": 4102444800, "aud": "client-7"})
    bad = jwt({"sub": "u", "iss": ISS, "exp": 4102444800, "aud": "other"})
    assert get(definition, "/me", {"Authorization": good}).status == 200
    assert get(definition, "/me", {"Authorization": bad}).status == 401


def test_cognito_claims_given_for_the_run(sam):
    result = get(sam, "/me", claims={"sub": "given", "custom:tier": 3, "verified": True, "address": {"zip": 1}})
    assert json.loads(result.body) == {"claims": {"sub": "given", "custom:tier": "3", "verified": "true",
                                                  "address": '{"zip":1}'}}  # U72


def test_iam_needs_a_signed_request_or_an_identity(sam):
    result = get(sam, "/admin")
    assert (result.status, json.loads(result.body)) == (403, {"message": "Missing Authentication Token"})
    signed = get(sam, "/admin", {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIA/20200304/us-east-1/execute-api"})
    assert signed.status == 200
    # another scheme in Authorization reads as an incomplete signature (users' reports)
    bearer = get(sam, "/admin", {"Authorization": "Bearer abc"})
    assert bearer.status == 403
    assert json.loads(bearer.body)["message"].startswith("Authorization header requires 'Credential' parameter.")
    assert json.loads(bearer.body)["message"].endswith("Authorization=Bearer abc")
    given = invoke(sam, {"httpMethod": "GET", "path": "/admin",
                         "requestContext": {"identity": {"userArn": "arn:aws:iam::1:user/ci"}}})
    assert given.status == 200


def test_none_opts_out_of_the_default_authorizer(sam):
    assert sam.methods[("GET", "/open")].authorization_type == "NONE"
    assert get(sam, "/open").status == 200


def test_an_unknown_sam_authorizer_name_is_a_located_error(tmp_path):
    path = tmp_path / "template.yaml"
    path.write_text(SAM.replace("Auth: {Authorizer: Users}", "Auth: {Authorizer: Nobody}"), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"/Auth/Authorizer: no authorizer named 'Nobody' in the API's "
                                              r"Auth.Authorizers \(Request, Users\)"):
        load_definition(path)


CFN = """\
Resources:
  Api: {Type: AWS::ApiGateway::RestApi, Properties: {Name: a}}
  Token:
    Type: AWS::ApiGateway::Authorizer
    Properties:
      RestApiId: !Ref Api
      Type: TOKEN
      IdentitySource: method.request.header.X-Token
      AuthorizerUri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthFn.Arn}/invocations
  AuthFn:
    Type: AWS::Lambda::Function
    Properties: {Runtime: python3.12, Handler: auth.handler, Code: {ZipFile: "x"}}
  Get:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !GetAtt Api.RootResourceId
      HttpMethod: GET
      AuthorizationType: CUSTOM
      AuthorizerId: !Ref Token
      Integration:
        Type: MOCK
        RequestTemplates: {application/json: '{"statusCode": 200}'}
        IntegrationResponses:
          - StatusCode: "200"
            ResponseTemplates: {application/json: '$context.authorizer.principalId'}
      MethodResponses: [{StatusCode: "200"}]
"""


def test_cloudformation_authorizer_resources(tmp_path):
    path = tmp_path / "stack.yaml"
    path.write_text(CFN, encoding="utf-8")
    definition = load_definition(path)
    method = definition.methods[("GET", "/")]
    assert (method.authorization_type, method.authorizer.identity_sources, method.authorizer.function_id) == (
        "CUSTOM", ["method.request.header.X-Token"], "AuthFn")
    allow = {"principalId": "p-9", "policyDocument": {"Statement": [
        {"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "*"}]}}
    result = invoke(definition, {"httpMethod": "GET", "path": "/", "headers": {"X-Token": "t"}},
                    authorizer=LambdaResult(allow))
    assert (result.status, result.body) == (200, "p-9")
    with pytest.raises(DefinitionError, match="needs AuthorizerId"):
        path.write_text(CFN.replace("      AuthorizerId: !Ref Token\n", ""), encoding="utf-8")
        load_definition(path)


def test_openapi_aws_iam_and_cognito_scopes(tmp_path):
    text = textwrap.dedent("""\
        openapi: 3.0.1
        info: {title: t, version: "1"}
        components:
          securitySchemes:
            sigv4: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: awsSigv4}
            users:
              type: apiKey
              name: Authorization
              in: header
              x-amazon-apigateway-authtype: cognito_user_pools
              x-amazon-apigateway-authorizer:
                type: cognito_user_pools
                providerARNs: [arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_Pool1]
        paths:
          /iam:
            get:
              security: [{sigv4: []}]
              x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{"statusCode": 200}'},
                                                responses: {default: {statusCode: "200"}}}
              responses: {"200": {description: ok}}
          /scoped:
            get:
              security: [{users: [pets/read]}]
              x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{"statusCode": 200}'},
                                                responses: {default: {statusCode: "200"}}}
              responses: {"200": {description: ok}}
        """)
    path = tmp_path / "api.yaml"
    path.write_text(text, encoding="utf-8")
    definition = load_definition(path)
    assert definition.methods[("GET", "/iam")].authorization_type == "AWS_IAM"
    assert get(definition, "/iam").status == 403
    scoped = definition.methods[("GET", "/scoped")]
    assert scoped.authorization_scopes == ["pets/read"]
    id_token = jwt({"sub": "u", "iss": ISS, "token_use": "id"})
    assert get(definition, "/scoped", {"Authorization": id_token}).status == 401  # an ID token has no scopes
    access = jwt({"sub": "u", "iss": ISS, "token_use": "access", "scope": "pets/read pets/write"})
    assert get(definition, "/scoped", {"Authorization": access}).status == 200


@pytest.mark.parametrize("glob, text, expected", [
    ("*", "", True), ("a*", "abc", True), ("*c", "abc", True), ("a?c", "abc", True), ("a?c", "ac", False),
    ("*b*", "abc", True), ("a*b*c", "axxbyyc", True), ("a*b*c", "axxbyy", False), ("", "", True), ("", "a", False),
])
def test_glob_match(glob, text, expected):
    from vtlgw.apigw.method_request.policy import glob_match

    assert glob_match(glob, text) is expected


def test_a_policy_with_many_stars_stays_fast():
    from vtlgw.apigw.method_request.policy import glob_match

    # a backtracking regex would take exponential time here; the walk is quadratic at worst
    assert glob_match("*a" * 40 + "b", "a" * 5000) is False


def test_a_timed_out_authorizer_is_an_authorizer_failure(secured):
    from vtlgw.apigw.pipeline.backends import Timeout

    result = post(secured, ALL_GOOD, authorizer=Timeout())
    assert (result.status, result.body) == (500, '{"message": null}')
    assert "Execution failed due to a timeout error" in result.log


def test_access_denied_and_authorizer_failures_are_customisable(secured):
    from dataclasses import replace

    from vtlgw.apigw.definition.model import GatewayResponse, MappingTemplate
    from vtlgw.apigw.pipeline.backends import Timeout

    def custom(kind, status):
        return GatewayResponse(kind, status_code=status, response_templates=[
            MappingTemplate("application/json", '{"kind": "$context.error.responseType"}')])

    definition = replace(secured, gateway_responses={"ACCESS_DENIED": custom("ACCESS_DENIED", "404"),
                                                     "AUTHORIZER_FAILURE": custom("AUTHORIZER_FAILURE", "503")})
    denied = post(definition, {**ALL_GOOD, "Authorization": "Bearer deny-eve"})
    assert (denied.status, json.loads(denied.body)) == (404, {"kind": "ACCESS_DENIED"})
    failed = post(definition, ALL_GOOD, authorizer=Timeout())
    assert (failed.status, json.loads(failed.body)) == (503, {"kind": "AUTHORIZER_FAILURE"})


def test_a_path_parameter_is_not_an_identity_source(tmp_path):
    # api-gateway-lambda-authorizer-input: path parameters can't be used as identity sources
    path = tmp_path / "stack.yaml"
    path.write_text(CFN.replace("IdentitySource: method.request.header.X-Token",
                                "IdentitySource: method.request.path.id"), encoding="utf-8")
    with pytest.raises(DefinitionError, match="method.request.path.id: a path parameter cannot be an identity source"):
        load_definition(path)


def test_a_validation_expression_that_is_not_a_java_regex_is_a_located_error(tmp_path):
    path = tmp_path / "stack.yaml"
    path.write_text(CFN.replace("IdentitySource: method.request.header.X-Token",
                                "IdentitySource: method.request.header.X-Token\n"
                                "      IdentityValidationExpression: '^(Bearer '"), encoding="utf-8")
    with pytest.raises(DefinitionError, match=r"stack\.yaml:\d+:\d+: error: .*IdentityValidationExpression: "
                                              r"identityValidationExpression '\^\(Bearer ' is not a valid Java regex"):
        load_definition(path)
