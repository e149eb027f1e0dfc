"""Terraform's method request stage: authorizers, API keys, request validators and models, loaded and run.

Sources: the AWS provider's pages for aws_api_gateway_method (``authorization``, ``authorizer_id``,
``authorization_scopes``, ``api_key_required``, ``request_validator_id``, ``request_models``,
``request_parameters``), aws_api_gateway_authorizer (``type`` TOKEN by default, ``identity_source``
``method.request.header.Authorization`` by default), aws_api_gateway_request_validator,
aws_api_gateway_model, aws_api_gateway_api_key (``enabled`` true by default) and
aws_api_gateway_rest_api (``api_key_source``); docs/method-request.md for what the stage answers.

data/terraform/plan-secured.json is ``terraform show -json`` of a saved plan creating this (state-secured.json
is the same after apply; both written by hand in the shapes Terraform prints):

    data "archive_file" "auth"      { type = "zip", source_dir = "auth", output_path = "build/auth.zip" }
    resource "aws_lambda_function" "auth" { function_name = "shop-auth", handler = "auth.handler",
                                            runtime = "python3.12", filename = data.archive_file.auth.output_path }
    resource "aws_api_gateway_rest_api" "shop" { name = "shop" }
    resource "aws_api_gateway_request_validator" "all"    { name = "all", validate_request_body = true,
                                                            validate_request_parameters = true }
    resource "aws_api_gateway_request_validator" "params" { name = "params-only",
                                                            validate_request_parameters = true }
    resource "aws_api_gateway_model" "order" { name = "Order", content_type = "application/json",
                                               schema = jsonencode({... required = ["sku", "quantity"] ...}) }
    resource "aws_api_gateway_api_key" "partner" { name = "partner", value = "partner-key-0123456789" }
    resource "aws_api_gateway_api_key" "retired" { name = "retired", value = "retired-key-9876543210",
                                                   enabled = false }
    resource "aws_api_gateway_api_key" "mobile"  { name = "mobile" }  # its value is generated on apply
    resource "aws_api_gateway_authorizer" "token" { name = "token",
        authorizer_uri = aws_lambda_function.auth.invoke_arn,
        identity_source = "method.request.header.X-Token", identity_validation_expression = "^tok-[a-z0-9]+$",
        authorizer_result_ttl_in_seconds = 0 }
    resource "aws_api_gateway_authorizer" "users" { name = "users", type = "COGNITO_USER_POOLS",
                                                    provider_arns = [aws_cognito_user_pool.users.arn] }
    POST /orders      authorization = "NONE", api_key_required = true, request_validator_id = all,
                      request_models = {"application/json" = aws_api_gateway_model.order.name},
                      request_parameters = {"method.request.header.Idempotency-Key" = true}
    GET /orders/{id}  authorization = "CUSTOM", authorizer_id = token, request_validator_id = params
    GET /profile      authorization = "COGNITO_USER_POOLS", authorizer_id = users,
                      authorization_scopes = ["shop/profile.read"]
    GET /admin        authorization = "AWS_IAM"

Each method has a MOCK integration whose 200 response template shows what the stage set.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from vtlgw.apigw.definition import DefinitionError, UnsupportedDefinitionError, load_definition
from vtlgw.apigw.definition.validation import api_key_id
from vtlgw.apigw.pipeline import LambdaResult, invoke

DATA = Path(__file__).parent / "data" / "terraform"
PLAN, STATE = "plan-secured.json", "state-secured.json"
PARTNER = "partner-key-0123456789"
ORDER = '{"sku": "ABC-1", "quantity": 2}'
FUNCTION = "aws_lambda_function.auth"
POOL = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123"
ISSUER = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123"
ALLOW = {"principalId": "alice", "context": {"tenant": "acme"}, "policyDocument": {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Action": "execute-api:Invoke",
                        "Resource": "arn:aws:execute-api:*:*:*/*/GET/orders/*"}]}}
DENY = {"principalId": "mallory", "policyDocument": {"Version": "2012-10-17", "Statement": [
    {"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "*"}]}}


@pytest.fixture(autouse=True)
def in_data(monkeypatch):
    """Files are loaded by their bare name, so messages read ``plan-secured.json:…``."""
    monkeypatch.chdir(DATA)


@pytest.fixture(scope="module", params=[PLAN, STATE])
def shop(request):
    """The same API from the plan and from the state."""
    return load_definition(DATA / request.param)


def copy_with(tmp_path: Path, monkeypatch, source: str, change) -> str:
    """A copy of a fixture with ``change(data)`` applied, loaded from ``tmp_path`` by its bare name."""
    data = json.loads((DATA / source).read_text())
    change(data)
    (tmp_path / source).write_text(json.dumps(data, indent=2))
    monkeypatch.chdir(tmp_path)
    return source


def values(data: dict, address: str) -> dict:
    """The values of ``address`` in planned_values (a plan) or values (state)."""
    root = data.get("planned_values", data.get("values"))["root_module"]
    return next(r for r in root["resources"] if r["address"] == address)["values"]


def configured(data: dict, address: str) -> dict:
    return next(r for r in data["configuration"]["root_module"]["resources"] if r["address"] == address)["expressions"]


def change_of(data: dict, address: str) -> dict:
    return next(c for c in data["resource_changes"] if c["address"] == address)["change"]


def create(definition, headers=None, body=ORDER, **kw):
    return invoke(definition, {"httpMethod": "POST", "path": "/orders", "headers": headers or {}, "body": body}, **kw)


def get(definition, path, headers=None, **kw):
    return invoke(definition, {"httpMethod": "GET", "path": path, "headers": headers or {}}, **kw)


def jwt(claims: dict) -> str:
    part = lambda obj: base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part({'alg': 'RS256', 'kid': 'k1'})}.{part(claims)}.signature"


# ---------------------------------------------------------------------------- what is loaded


def test_validators_are_linked_by_request_validator_id(shop):
    create_order, get_order = shop.method("POST", "/orders"), shop.method("GET", "/orders/{id}")
    assert (create_order.request_validator.name, create_order.request_validator.validate_body,
            create_order.request_validator.validate_parameters) == ("all", True, True)
    assert (get_order.request_validator.name, get_order.request_validator.validate_body,
            get_order.request_validator.validate_parameters) == ("params-only", False, True)
    assert shop.method("GET", "/admin").request_validator is None
    assert create_order.request_parameters == {"method.request.header.Idempotency-Key": True}
    assert create_order.sources["request_validator"].line  # located in the file: the id, or its reference


def test_models_are_read_from_their_json_text_and_named_by_request_models(shop):
    model = shop.models["Order"]
    assert (model.content_type, model.schema["required"], model.schema["properties"]["quantity"]) == (
        "application/json", ["sku", "quantity"], {"minimum": 1, "type": "integer"})
    assert model.source.pointer.endswith("/values/schema") and model.unsupported == []
    assert shop.method("POST", "/orders").request_models == {"application/json": "Order"}


def test_api_keys_enabled_by_default_and_the_key_source(shop):
    keys = {key.name: key for key in shop.api_keys}
    assert (keys["partner"].value, keys["partner"].enabled) == (PARTNER, True)
    assert (keys["retired"].value, keys["retired"].enabled) == ("retired-key-9876543210", False)
    assert shop.api_key_source == "HEADER"
    assert shop.method("POST", "/orders").api_key_required
    assert not shop.method("GET", "/orders/{id}").api_key_required


def test_plan_and_state_keys_differ_in_what_only_apply_knows():
    """A generated key's value is only in state, as are the keys' real ids; a plan's keys get stable ones (U60)."""
    plan = {key.name: key for key in load_definition(PLAN).api_keys}
    state = {key.name: key for key in load_definition(STATE).api_keys}
    assert sorted(plan) == ["partner", "retired"]  # mobile's value is unknown until apply: give it with --api-key
    assert plan["partner"].id == api_key_id(PARTNER)
    assert sorted(state) == ["mobile", "partner", "retired"]
    assert (state["partner"].id, state["mobile"].id) == ("pk0a1b2c3d", "mk8i9j0k1l")


def test_the_token_authorizer_and_its_function(shop):
    method = shop.method("GET", "/orders/{id}")
    authorizer = method.authorizer
    assert (method.authorization_type, authorizer.name, authorizer.type) == ("CUSTOM", "token", "TOKEN")
    assert (authorizer.identity_sources, authorizer.validation_expression, authorizer.ttl_seconds) == (
        ["method.request.header.X-Token"], "^tok-[a-z0-9]+$", 0)
    assert authorizer.function_id == FUNCTION  # the configuration's reference, or (state) the function's ARN
    assert authorizer.function_arn == "arn:aws:lambda:eu-west-1:123456789012:function:shop-auth"
    assert shop.authorizers["token"] is authorizer
    assert shop.functions[FUNCTION].code_dir == str((DATA / "auth").resolve())


def test_the_cognito_authorizer_and_scopes(shop):
    method = shop.method("GET", "/profile")
    assert (method.authorization_type, method.authorizer.type, method.authorization_scopes) == (
        "COGNITO_USER_POOLS", "COGNITO_USER_POOLS", ["shop/profile.read"])
    assert method.authorizer.identity_sources == ["method.request.header.Authorization"]  # the provider's default
    assert shop.method("GET", "/admin").authorization_type == "AWS_IAM"
    assert shop.method("POST", "/orders").authorization_type == "NONE"


def test_state_knows_everything():
    api = load_definition(STATE)
    assert all(m.not_emulated == [] for m in api.methods.values())
    assert api.authorizers["token"].id == "tk9z8y"  # the authorizer's real id, as the log names it
    assert api.authorizers["token"].uri == ("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
                                            "arn:aws:lambda:eu-west-1:123456789012:function:shop-auth/invocations")
    assert api.authorizers["users"].provider_arns == [POOL]


def test_a_plan_notes_what_only_apply_knows():
    """The function's invoke_arn is read as the ARN the plan can work out (name, account, region), as an
    integration's is; a new user pool's ARN is not known at all, so the token's issuer is not checked."""
    api = load_definition(PLAN)
    (uri,) = api.method("GET", "/orders/{id}").not_emulated
    assert uri.what == (
        "GET /orders/{id}: aws_api_gateway_authorizer.token: authorizer_uri is unknown until apply (it is "
        "aws_lambda_function.auth.invoke_arn); read as arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/"
        "functions/arn:aws:lambda:eu-west-1:123456789012:function:shop-auth/invocations")
    assert uri.source.pointer.startswith("/configuration/root_module/resources/")
    assert uri.source.pointer.endswith("/expressions/authorizer_uri")
    (pools,) = api.method("GET", "/profile").not_emulated
    assert pools.what == (
        "GET /profile: aws_api_gateway_authorizer.users: provider_arns is unknown until apply (it refers to "
        "aws_cognito_user_pool.users.arn); the token's issuer is not checked against the user pools")
    assert api.authorizers["users"].provider_arns == []
    assert api.method("POST", "/orders").not_emulated == []
    result = get(api, "/orders/1", {"X-Token": "tok-alice"}, authorizer=LambdaResult(ALLOW))
    assert uri.what in [w.message for w in result.warnings]


def test_what_a_plan_does_not_know_of_the_authorizer_function_is_noted_where_it_runs(tmp_path, monkeypatch):
    def environment(data):
        values(data, FUNCTION)["environment"] = [{"variables": {}}]
        change_of(data, FUNCTION)["after_unknown"]["environment"] = [{"variables": {"USERS_TABLE": True}}]
        configured(data, FUNCTION)["environment"] = [{"variables": {
            "references": ["aws_dynamodb_table.users.name", "aws_dynamodb_table.users"]}}]

    api = load_definition(copy_with(tmp_path, monkeypatch, PLAN, environment))
    assert [n.what for n in api.method("GET", "/orders/{id}").not_emulated][1:] == [
        "GET /orders/{id}: aws_lambda_function.auth: environment variable USERS_TABLE is unknown until apply (it "
        "refers to aws_dynamodb_table.users.name); it is left unset"]
    assert api.method("POST", "/orders").not_emulated == []


# ---------------------------------------------------------------------------- run: API keys, parameters, body


def test_a_missing_unknown_or_disabled_api_key_is_403(shop):
    for headers in ({"Idempotency-Key": "i-1"}, {"Idempotency-Key": "i-1", "x-api-key": "guess"},
                    {"Idempotency-Key": "i-1", "x-api-key": "retired-key-9876543210"}):
        result = create(shop, headers)
        assert (result.status, result.body) == (403, '{"message":"Forbidden"}')
        assert result.headers["x-amzn-ErrorType"] == "ForbiddenException"


def test_a_known_key_passes_and_names_its_id(shop):
    result = create(shop, {"Idempotency-Key": "i-1", "x-api-key": PARTNER})
    assert result.status == 200
    expected = "pk0a1b2c3d" if shop.source_file.endswith(STATE) else api_key_id(PARTNER)  # state's id, else made
    assert result.json() == {"created": True, "apiKeyId": expected}


def test_a_missing_required_parameter_is_400(shop):
    result = create(shop, {"x-api-key": PARTNER})
    assert (result.status, result.json()) == (400, {"message": "Missing required request parameters: "
                                                               "[Idempotency-Key]"})
    assert result.headers["x-amzn-ErrorType"] == "BadRequestException"
    blank = create(shop, {"x-api-key": PARTNER, "Idempotency-Key": "  "})
    assert blank.status == 400


def test_a_body_that_does_not_match_the_model_is_400(shop):
    result = create(shop, {"x-api-key": PARTNER, "Idempotency-Key": "i-1"}, body='{"sku": "abc", "quantity": 0}')
    assert (result.status, result.json()) == (400, {"message": "Invalid request body"})
    assert "Request body does not match model schema for content type application/json: [" in result.log
    assert "numeric instance is lower than the required minimum" in result.log
    missing = create(shop, {"x-api-key": PARTNER, "Idempotency-Key": "i-1"}, body='{"sku": "ABC-1"}')
    assert missing.status == 400
    assert 'object has missing required properties (["quantity"])' in missing.log


def test_the_api_key_is_checked_before_the_parameters_and_the_body(shop):
    assert create(shop, {}, body="{}").status == 403


# ---------------------------------------------------------------------------- run: authorizers


def test_a_token_authorizer_answered_by_a_result(shop):
    allowed = get(shop, "/orders/7", {"X-Token": "tok-alice"}, authorizer=LambdaResult(ALLOW))
    assert (allowed.status, allowed.json()) == (200, {"id": "7", "principal": "alice", "tenant": "acme"})
    denied = get(shop, "/orders/7", {"X-Token": "tok-mallory"}, authorizer=LambdaResult(DENY))
    assert (denied.status, denied.json()) == (
        403, {"Message": "User is not authorized to access this resource with an explicit deny"})


def test_the_token_must_be_present_and_match_the_validation_expression(shop):
    called = []

    class Recording(LambdaResult):
        def call(self, call):
            called.append(call)
            return super().call(call)

    missing = get(shop, "/orders/7", authorizer=Recording(ALLOW))
    assert (missing.status, missing.json()) == (401, {"message": "Unauthorized"})
    malformed = get(shop, "/orders/7", {"X-Token": "Bearer x"}, authorizer=Recording(ALLOW))
    assert malformed.status == 401
    assert called == []  # API Gateway does not call the function for either


def test_the_authorizer_function_of_the_file_runs_in_process(shop):
    """No authorizer= given: aws_lambda_function.auth runs from data/terraform/auth (its archive's source_dir)."""
    allowed = get(shop, "/orders/7", {"X-Token": "tok-bob"})
    assert (allowed.status, allowed.json()) == (200, {"id": "7", "principal": "bob", "tenant": "acme"})
    assert "authorizer: the template's function aws_lambda_function.auth (auth.handler), run in-process" in \
        allowed.trace
    assert get(shop, "/orders/7", {"X-Token": "tok-deny"}).status == 403
    assert get(shop, "/orders/7", {"X-Token": "tok-nobody"}).status == 401  # the function raised 'Unauthorized'


def test_cognito_claims_and_scopes(shop):
    reader = {"sub": "u-1", "scope": "shop/profile.read openid", "token_use": "access"}
    result = get(shop, "/profile", claims=reader)
    assert (result.status, result.json()) == (200, {"sub": "u-1", "scope": "shop/profile.read openid"})
    assert get(shop, "/profile", claims={"sub": "u-1", "scope": "openid", "token_use": "access"}).status == 401
    assert get(shop, "/profile").status == 401  # no Authorization header


def test_state_checks_the_tokens_issuer_against_the_user_pool():
    api = load_definition(STATE)
    claims = {"sub": "u-2", "iss": ISSUER, "exp": 4102444800, "token_use": "access", "scope": "shop/profile.read"}
    assert get(api, "/profile", {"Authorization": jwt(claims)}).status == 200
    foreign = {**claims, "iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"}
    assert get(api, "/profile", {"Authorization": jwt(foreign)}).status == 401


def test_aws_iam_needs_a_signed_request(shop):
    unsigned = get(shop, "/admin")
    assert (unsigned.status, unsigned.json()) == (403, {"message": "Missing Authentication Token"})
    signed = get(shop, "/admin", {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/eu-west-1/"
                                                   "execute-api/aws4_request, SignedHeaders=host, Signature=0"})
    assert (signed.status, signed.json()) == (200, {"admin": True})


# ---------------------------------------------------------------------------- variations and errors


def test_enabled_unset_is_true_unlike_cloudformation(tmp_path, monkeypatch):
    """The provider defaults ``enabled`` to true; a file that leaves it out entirely still has an enabled key."""
    def unset(data):
        del values(data, "aws_api_gateway_api_key.partner")["enabled"]

    api = load_definition(copy_with(tmp_path, monkeypatch, PLAN, unset))
    assert next(k for k in api.api_keys if k.name == "partner").enabled
    assert create(api, {"Idempotency-Key": "i-1", "x-api-key": PARTNER}).status == 200


def test_api_key_source_authorizer_takes_the_key_from_the_authorizer(tmp_path, monkeypatch):
    """With ``api_key_source = "AUTHORIZER"``, a method's key is the Lambda authorizer's usageIdentifierKey."""
    def from_authorizer(data):
        values(data, "aws_api_gateway_rest_api.shop")["api_key_source"] = "AUTHORIZER"
        change_of(data, "aws_api_gateway_rest_api.shop")["after_unknown"].pop("api_key_source", None)
        configured(data, "aws_api_gateway_rest_api.shop")["api_key_source"] = {"constant_value": "AUTHORIZER"}
        values(data, "aws_api_gateway_method.get_order")["api_key_required"] = True

    api = load_definition(copy_with(tmp_path, monkeypatch, PLAN, from_authorizer))
    assert api.api_key_source == "AUTHORIZER"
    with_key = get(api, "/orders/7", {"X-Token": "tok-alice"},
                   authorizer=LambdaResult({**ALLOW, "usageIdentifierKey": PARTNER}))
    assert with_key.status == 200
    without = get(api, "/orders/7", {"X-Token": "tok-alice", "x-api-key": PARTNER}, authorizer=LambdaResult(ALLOW))
    assert without.status == 403  # the header is not where this API reads its keys


def test_a_plan_keeps_the_key_source_the_configuration_does_not_set(tmp_path, monkeypatch):
    """An existing API's planned api_key_source is its current one, which a new body may change: without a
    configured value the body's (or the default) stands."""
    def current(data):
        values(data, "aws_api_gateway_rest_api.shop")["api_key_source"] = "AUTHORIZER"

    assert load_definition(copy_with(tmp_path, monkeypatch, PLAN, current)).api_key_source == "HEADER"
    state = json.loads((DATA / STATE).read_text())
    values(state, "aws_api_gateway_rest_api.shop")["api_key_source"] = "AUTHORIZER"
    (tmp_path / STATE).write_text(json.dumps(state))
    assert load_definition(tmp_path / STATE).api_key_source == "AUTHORIZER"


def test_a_request_authorizer_without_identity_source(tmp_path, monkeypatch):
    """A REQUEST authorizer reads what ``identity_source`` names; none (state's ``""``) means no check before
    the call."""
    def request(data):
        authorizer = values(data, "aws_api_gateway_authorizer.token")
        authorizer.update(type="REQUEST", identity_source="", identity_validation_expression="")

    api = load_definition(copy_with(tmp_path, monkeypatch, STATE, request))
    authorizer = api.authorizers["token"]
    assert (authorizer.type, authorizer.identity_sources, authorizer.validation_expression) == ("REQUEST", [], None)
    assert get(api, "/orders/7", authorizer=LambdaResult(ALLOW)).status == 200


def test_type_defaults_to_token(tmp_path, monkeypatch):
    def unset(data):
        del values(data, "aws_api_gateway_authorizer.token")["type"]

    assert load_definition(copy_with(tmp_path, monkeypatch, STATE, unset)).authorizers["token"].type == "TOKEN"


@pytest.mark.parametrize("change, message", [
    (lambda d: (configured(d, "aws_api_gateway_method.get_order").pop("authorizer_id"),
                change_of(d, "aws_api_gateway_method.get_order")["after_unknown"].pop("authorizer_id")),
     r"plan-secured.json:\d+:\d+: error: /planned_values/root_module/resources/\d+/values/authorization: "
     r"aws_api_gateway_method.get_order: authorization CUSTOM needs authorizer_id, an aws_api_gateway_authorizer "
     r"of aws_api_gateway_rest_api.shop"),
    (lambda d: configured(d, "aws_api_gateway_method.get_order").update(
        authorizer_id={"references": ["aws_api_gateway_authorizer.gone.id", "aws_api_gateway_authorizer.gone"]}),
     r"/configuration/root_module/resources/\d+/expressions/authorizer_id: aws_api_gateway_method.get_order: cannot "
     r"resolve authorizer_id to an aws_api_gateway_authorizer of aws_api_gateway_rest_api.shop \(it refers to "
     r"aws_api_gateway_authorizer.gone.id\)"),
    (lambda d: configured(d, "aws_api_gateway_method.get_order").update(
        authorizer_id={"references": ["aws_api_gateway_authorizer.users.id", "aws_api_gateway_authorizer.users"]}),
     r"aws_api_gateway_method.get_order: authorization CUSTOM needs a TOKEN or REQUEST authorizer, and "
     r"aws_api_gateway_authorizer.users is COGNITO_USER_POOLS"),
    (lambda d: configured(d, "aws_api_gateway_method.get_order").update(
        request_validator_id={"references": ["aws_api_gateway_model.order.id", "aws_api_gateway_model.order"]}),
     r"aws_api_gateway_method.get_order: request_validator_id designates aws_api_gateway_model.order.id, not an "
     r"aws_api_gateway_request_validator of aws_api_gateway_rest_api.shop"),
    (lambda d: values(d, "aws_api_gateway_method.create_order").update(request_models={"application/json": "Ordr"}),
     r"/values/request_models/application~1json: aws_api_gateway_method.create_order: no model named 'Ordr' in "
     r"aws_api_gateway_rest_api.shop \(Order, besides Empty and Error\)"),
    (lambda d: values(d, "aws_api_gateway_model.order").update(schema="{type: object}"),
     r"/values/schema: model Order: the schema is not valid JSON"),
    (lambda d: values(d, "aws_api_gateway_method.admin").update(authorization="IAM"),
     r"/values/authorization: unknown authorization type 'IAM': expected one of NONE, CUSTOM, AWS_IAM, "
     r"COGNITO_USER_POOLS"),
    (lambda d: values(d, "aws_api_gateway_authorizer.token").update(identity_source="method.request.path.id"),
     r"/values/identity_source: method.request.path.id: a path parameter cannot be an identity source"),
    (lambda d: values(d, "aws_api_gateway_authorizer.token").update(type="LAMBDA"),
     r"/values/type: unknown authorizer type 'LAMBDA': expected one of TOKEN, REQUEST, COGNITO_USER_POOLS"),
])
def test_located_errors(tmp_path, monkeypatch, change, message):
    with pytest.raises(DefinitionError, match=message):
        load_definition(copy_with(tmp_path, monkeypatch, PLAN, change))


def test_a_lambda_authorizer_needs_a_uri_and_a_cognito_one_its_pools(tmp_path, monkeypatch):
    def bare(data):
        values(data, "aws_api_gateway_authorizer.token")["authorizer_uri"] = ""
        values(data, "aws_api_gateway_authorizer.users")["provider_arns"] = []

    api = load_definition(copy_with(tmp_path, monkeypatch, STATE, bare), strict=False)
    assert [p.message for p in api.problems] == [
        "aws_api_gateway_authorizer.token: a TOKEN authorizer needs authorizer_uri, the function's invocation URI",
        "aws_api_gateway_authorizer.users: a COGNITO_USER_POOLS authorizer needs provider_arns, the ARNs of its "
        "user pools"]


def test_an_authorizer_of_no_api_is_reported(tmp_path, monkeypatch):
    def orphan(data):
        configured(data, "aws_api_gateway_authorizer.users")["rest_api_id"] = {
            "references": ["aws_api_gateway_rest_api.gone.id", "aws_api_gateway_rest_api.gone"]}

    api = load_definition(copy_with(tmp_path, monkeypatch, PLAN, orphan), strict=False)
    messages = [p.message for p in api.problems]
    assert ("aws_api_gateway_authorizer.users: cannot resolve rest_api_id to an aws_api_gateway_rest_api of this "
            "file (it refers to aws_api_gateway_rest_api.gone.id)") in messages
    assert api.method("GET", "/profile").authorizer is None


def test_a_schema_only_apply_knows_is_an_error_of_the_plan(tmp_path, monkeypatch):
    """``schema = jsonencode({... "$ref" = ".../restapis/${aws_api_gateway_rest_api.shop.id}/models/Item" })``."""
    def unknown(data):
        del values(data, "aws_api_gateway_model.order")["schema"]
        change_of(data, "aws_api_gateway_model.order")["after_unknown"]["schema"] = True
        configured(data, "aws_api_gateway_model.order")["schema"] = {
            "references": ["aws_api_gateway_rest_api.shop.id", "aws_api_gateway_rest_api.shop"]}

    with pytest.raises(UnsupportedDefinitionError, match=r"/expressions/schema: aws_api_gateway_model.order: schema "
                                                         r"is unknown until apply \(it refers to "
                                                         r"aws_api_gateway_rest_api.shop.id\)"):
        load_definition(copy_with(tmp_path, monkeypatch, PLAN, unknown))


def test_an_openapi_body_api_uses_the_files_api_keys(tmp_path, monkeypatch):
    """Keys are not tied to one API (usage plans, which vtlgw does not check, are): a body's API knows them too."""
    def with_key(data):
        data["planned_values"]["root_module"]["resources"].append({
            "address": "aws_api_gateway_api_key.ci", "mode": "managed", "type": "aws_api_gateway_api_key",
            "name": "ci", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": {"description": "Managed by Terraform", "enabled": True, "name": "ci", "value": "ci-key-000111"},
            "sensitive_values": {"value": True}})

    api = load_definition(copy_with(tmp_path, monkeypatch, "plan-body.json", with_key))
    assert [(k.name, k.value, k.enabled) for k in api.api_keys] == [("ci", "ci-key-000111", True)]
