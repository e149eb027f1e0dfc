"""``$context`` and ``$stageVariables`` (docs/variables.md §4, §5), asserted as the spec writes them."""

import calendar
import re
import time

import pytest

from vtlgw.apigw.context import (
    ContextError,
    build_context,
    parse_context_assignments,
    stage_variables_map,
)
from vtlgw.apigw.request import load_request, request_from_dict
from vtlgw.vtl import Template
from vtlgw.vtl.values import OpaqueMap, java_hash_order, map_keys, to_text

# The orders recorded on AWS (docs/variables.md §4.1), written out here on purpose.
CONTEXT_ORDER = [
    "resourceId",
    "resourcePath",
    "httpMethod",
    "extendedRequestId",
    "requestTime",
    "path",
    "accountId",
    "protocol",
    "requestOverride",
    "stage",
    "domainPrefix",
    "requestTimeEpoch",
    "requestId",
    "identity",
    "domainName",
    "deploymentId",
    "responseOverride",
    "apiId",
]
IDENTITY_ORDER = [
    "cognitoIdentityPoolId",
    "accountId",
    "cognitoIdentityId",
    "caller",
    "sourceIp",
    "principalOrgId",
    "accessKey",
    "cognitoAuthenticationType",
    "cognitoAuthenticationProvider",
    "userArn",
    "userAgent",
    "user",
]
REQUEST_OVERRIDE_ORDER = ["path", "header", "querystring"]


def request(obj=None):
    r, _ = request_from_dict(obj or {}, "req.json")
    return r


def ctx(obj=None, **kwargs):
    return build_context(request(obj), **kwargs)


def render(src, context, stage_variables=None, copy=True):
    return Template(src).render({"context": context, "stageVariables": stage_variables or {}}, copy=copy)


# ---------------------------------------------------------------- key set and order


def test_context_key_order_is_the_recorded_order():
    c = ctx()
    assert map_keys(c) == CONTEXT_ORDER
    assert list(c) == CONTEXT_ORDER  # inserted in that order too


def test_identity_key_order_is_the_recorded_order():
    assert map_keys(ctx()["identity"]) == IDENTITY_ORDER


def test_request_override_key_order_is_the_recorded_order():
    assert map_keys(ctx()["requestOverride"]) == REQUEST_OVERRIDE_ORDER


def test_response_override_has_only_header_until_status_is_set():
    assert map_keys(ctx()["responseOverride"]) == ["header"]
    assert "status" not in ctx()["responseOverride"]


def test_keyset_iteration_in_a_template_follows_the_recorded_order():
    c = ctx()
    assert render("#foreach($k in $context.keySet())$k,#end", c) == ",".join(CONTEXT_ORDER) + ","
    assert render("#foreach($k in $context.identity.keySet())$k,#end", c) == ",".join(IDENTITY_ORDER) + ","
    out = render("#foreach($k in $context.requestOverride.keySet())$k,#end", c)
    assert out == "path,header,querystring,"


def test_added_keys_come_after_the_recorded_ones_in_hash_order():
    c = ctx({"requestContext": {"authorizer": {"principalId": "me"}}})
    keys = map_keys(c)
    assert set(keys) == set(CONTEXT_ORDER) | {"authorizer"}
    assert list(c)[-1] == "authorizer"  # inserted last
    assert [k for k in keys if k != "authorizer"] == CONTEXT_ORDER
    identity = ctx({"requestContext": {"identity": {"apiKey": "k1", "vpcId": "vpc-1"}}})["identity"]
    assert list(identity) == IDENTITY_ORDER + ["apiKey", "vpcId"]  # inserted after the listed keys
    # 14 entries pass 0.75 x 16, so Java's table doubles to 32 buckets and the order changes:
    assert map_keys(identity) == java_hash_order(IDENTITY_ORDER + ["apiKey", "vpcId"])
    assert map_keys(identity) != IDENTITY_ORDER + ["apiKey", "vpcId"]


# ---------------------------------------------------------------- defaults (one per table row)


@pytest.mark.parametrize(
    "key,value",
    [
        ("accountId", "123456789012"),
        ("apiId", "a1b2c3d4e5"),
        ("deploymentId", "d1e2f3"),
        ("domainName", "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"),
        ("domainPrefix", "a1b2c3d4e5"),
        ("extendedRequestId", "AbCdEfGhIjKlMnO="),
        ("httpMethod", "GET"),
        ("path", "/test/"),
        ("protocol", "HTTP/1.1"),
        ("requestId", "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"),
        ("requestTime", "04/Mar/2020:19:15:17 +0000"),
        ("requestTimeEpoch", 1583349317135),
        ("resourceId", "abc123"),
        ("resourcePath", "/"),
        ("stage", "test"),
    ],
)
def test_default(key, value):
    assert ctx()[key] == value
    assert type(ctx()[key]) is type(value)


def test_defaults_are_reproducible():
    assert ctx() == ctx()


def test_identity_defaults():
    identity = ctx()["identity"]
    assert isinstance(identity, OpaqueMap)
    expected = {k: None for k in IDENTITY_ORDER}
    expected["sourceIp"] = "192.0.2.1"
    assert dict(identity) == expected


def test_identity_user_agent_from_the_header_in_any_case():
    assert ctx({"headers": {"User-Agent": "curl/8.5.0"}})["identity"]["userAgent"] == "curl/8.5.0"
    assert ctx({"headers": {"user-agent": "h2-client"}})["identity"]["userAgent"] == "h2-client"


def test_nested_maps_are_opaque_hash_maps():
    c = ctx()
    assert isinstance(c, OpaqueMap)
    for key in ("identity", "requestOverride", "responseOverride"):
        assert isinstance(c[key], OpaqueMap)
    for key in REQUEST_OVERRIDE_ORDER:
        assert isinstance(c["requestOverride"][key], OpaqueMap) and c["requestOverride"][key] == {}
    assert isinstance(c["responseOverride"]["header"], OpaqueMap)


def test_http_method_resource_path_and_path_follow_the_request():
    c = ctx({"httpMethod": "delete", "resource": "/pets/{petId}", "path": "/pets/1"})
    assert (c["httpMethod"], c["resourcePath"], c["path"]) == ("DELETE", "/pets/{petId}", "/test/pets/1")
    assert ctx({"resource": "/{proxy+}", "path": "/a//b"})["resourcePath"] == "/{proxy+}"


def test_keyword_arguments_replace_single_defaults():
    c = ctx(
        {"path": "/pets/1"},
        stage="prod",
        request_id="r-1",
        epoch_ms=0,
        api_id="zz99yy88xx",
        resource_path="/pets/{id}",
    )
    assert c["stage"] == "prod" and c["path"] == "/prod/pets/1"
    assert c["requestId"] == "r-1"
    assert (c["requestTimeEpoch"], c["requestTime"]) == (0, "01/Jan/1970:00:00:00 +0000")
    assert c["apiId"] == "zz99yy88xx"
    assert c["domainName"] == "zz99yy88xx.execute-api.us-east-1.amazonaws.com"
    assert c["domainPrefix"] == "zz99yy88xx"
    assert c["resourcePath"] == "/pets/{id}"


def test_domain_name_from_host_header():
    c = ctx({"headers": {"Host": "api.example.com"}})
    assert (c["domainName"], c["domainPrefix"]) == ("api.example.com", "api")
    c = ctx({"headers": {"host": "k3x9q2w7ab.execute-api.eu-west-1.amazonaws.com"}})
    assert c["domainPrefix"] == "k3x9q2w7ab"


def test_values_are_model_values():
    def walk(value):
        if isinstance(value, dict):
            assert isinstance(value, OpaqueMap)
            for k, v in value.items():
                assert isinstance(k, str)
                walk(v)
        else:
            assert value is None or type(value) in (str, int)

    walk(ctx({"headers": {"User-Agent": "x"}, "requestContext": {"authorizer": {"principalId": "p", "n": 2}}}))


# ---------------------------------------------------------------- request time (§4.2)


@pytest.mark.parametrize(
    "epoch,text",
    [
        (1583349317135, "04/Mar/2020:19:15:17 +0000"),
        (0, "01/Jan/1970:00:00:00 +0000"),
        (1710252207418, "12/Mar/2024:14:03:27 +0000"),
        (951782400000, "29/Feb/2000:00:00:00 +0000"),
        (1704067199999, "31/Dec/2023:23:59:59 +0000"),
    ],
)
def test_request_time_is_derived_from_the_epoch_and_back(epoch, text):
    c = ctx({"requestContext": {"requestTimeEpoch": epoch}})
    assert (c["requestTimeEpoch"], c["requestTime"]) == (epoch, text)
    c = ctx({"requestContext": {"requestTime": text}})
    assert (c["requestTimeEpoch"], c["requestTime"]) == (epoch // 1000 * 1000, text)


def test_request_time_with_an_offset_is_converted():
    c = ctx({"requestContext": {"requestTime": "04/Mar/2020:20:15:17 +0100"}})
    assert c["requestTimeEpoch"] == 1583349317000


def test_every_month_is_english():
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for n, month in enumerate(months, 1):
        epoch = calendar.timegm((2021, n, 15, 12, 0, 0)) * 1000
        assert ctx(epoch_ms=epoch)["requestTime"] == f"15/{month}/2021:12:00:00 +0000"
        assert ctx(overrides={"requestTime": f"15/{month.upper()}/2021:12:00:00 +0000"})["requestTimeEpoch"] == epoch


def test_command_line_time_overrides_beat_the_file():
    r = request({"requestContext": {"requestTime": "04/Mar/2020:19:15:17 +0000", "requestTimeEpoch": 1583349317135}})
    c = build_context(r, overrides={"requestTimeEpoch": 0})
    assert (c["requestTimeEpoch"], c["requestTime"]) == (0, "01/Jan/1970:00:00:00 +0000")
    c = build_context(r, overrides={"requestTime": "01/Jan/2021:00:00:00 +0000"})
    assert (c["requestTimeEpoch"], c["requestTime"]) == (1609459200000, "01/Jan/2021:00:00:00 +0000")


def test_time_overrides_that_describe_different_instants_are_an_error():
    with pytest.raises(ContextError, match="describe different instants"):
        ctx(overrides={"requestTimeEpoch": 1700000000000, "requestTime": "01/Jan/2021:00:00:00 +0000"})
    same = ctx(overrides={"requestTimeEpoch": 1609459200123, "requestTime": "01/Jan/2021:00:00:00 +0000"})
    assert same["requestTimeEpoch"] == 1609459200123


def test_bad_request_time_override_is_an_error():
    with pytest.raises(ContextError):
        ctx(overrides={"requestTime": "yesterday"})
    with pytest.raises(ContextError):
        ctx(overrides={"requestTimeEpoch": "soon"})


def test_fresh_uses_a_random_request_id_and_the_clock():
    before = time.time_ns() // 1_000_000
    a, b = ctx(fresh=True), ctx(fresh=True)
    after = time.time_ns() // 1_000_000
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", a["requestId"])
    assert a["requestId"] != b["requestId"]
    assert before <= a["requestTimeEpoch"] <= after
    assert ctx(fresh=True, request_id="fixed")["requestId"] == "fixed"


# ---------------------------------------------------------------- merging requestContext and overrides


def test_request_context_is_deep_merged_over_the_defaults():
    c = ctx({"requestContext": {"stage": "prod", "identity": {"sourceIp": "203.0.113.7"}}})
    assert c["stage"] == "prod"
    assert c["identity"]["sourceIp"] == "203.0.113.7"
    assert c["identity"]["userAgent"] is None and c["identity"]["caller"] is None
    assert map_keys(c["identity"]) == IDENTITY_ORDER
    assert map_keys(c) == CONTEXT_ORDER


def test_derived_keys_follow_merged_values():
    c = ctx({"path": "/a", "requestContext": {"stage": "prod", "apiId": "qq11ww22ee"}})
    assert c["path"] == "/prod/a"
    assert c["domainName"] == "qq11ww22ee.execute-api.us-east-1.amazonaws.com"
    assert c["domainPrefix"] == "qq11ww22ee"
    c = ctx({"requestContext": {"domainName": "api.example.org"}})
    assert c["domainPrefix"] == "api"
    c = ctx({"path": "/a", "requestContext": {"stage": "prod", "path": "/custom/a"}})
    assert c["path"] == "/custom/a"


def test_file_request_context_beats_keyword_defaults():
    assert ctx({"requestContext": {"stage": "prod"}}, stage="dev")["stage"] == "prod"


def test_command_line_overrides_beat_the_file():
    r = request({"requestContext": {"stage": "prod", "identity": {"sourceIp": "203.0.113.7", "caller": "c"}}})
    c = build_context(r, overrides=parse_context_assignments(["identity.sourceIp=1.2.3.4", "stage=beta"]))
    assert c["identity"]["sourceIp"] == "1.2.3.4"
    assert c["identity"]["caller"] == "c"
    assert c["stage"] == "beta" and c["path"] == "/beta/"


def test_unknown_request_context_keys_are_added_after_the_recorded_ones():
    c = ctx({"requestContext": {"operationName": "GetPet", "isCanaryRequest": "false"}})
    assert list(c)[-2:] == ["operationName", "isCanaryRequest"]
    assert c["operationName"] == "GetPet"


def test_request_override_seeded_from_the_file():
    c = ctx({"requestContext": {"requestOverride": {"header": {"X-Trace": "1"}}}})
    assert c["requestOverride"]["header"] == {"X-Trace": "1"}
    assert isinstance(c["requestOverride"]["header"], OpaqueMap)
    assert map_keys(c["requestOverride"]) == REQUEST_OVERRIDE_ORDER


def test_client_cert_is_an_opaque_map():
    cert = {"clientCertPem": "PEM", "subjectDN": "CN=a", "validity": {"notBefore": "x", "notAfter": "y"}}
    c = ctx({"requestContext": {"identity": {"clientCert": cert}}})
    assert isinstance(c["identity"]["clientCert"], OpaqueMap)
    assert c["identity"]["clientCert"]["validity"]["notAfter"] == "y"


# ---------------------------------------------------------------- authorizer


def test_no_authorizer_unless_supplied():
    c = ctx()
    assert "authorizer" not in c
    assert render("[$context.authorizer.principalId]#foreach($k in $context.authorizer.keySet())x#end", c) == "[]"


def test_lambda_authorizer_context_is_stringified():
    c = ctx(
        {
            "requestContext": {
                "authorizer": {"principalId": "user-1", "count": 1, "admin": True, "ratio": 0.5, "integrationLatency": 12}
            }
        }
    )
    auth = c["authorizer"]
    assert isinstance(auth, OpaqueMap)
    assert dict(auth) == {"principalId": "user-1", "count": "1", "admin": "true", "ratio": "0.5"}


def test_lambda_authorizer_object_value_is_an_error():
    with pytest.raises(ContextError):
        ctx(overrides={"authorizer": {"principalId": "p", "nested": {"a": "1"}}})


def test_cognito_claims():
    c = ctx({"requestContext": {"authorizer": {"claims": {"sub": "abc", "email_verified": True}, "scopes": None}}})
    claims = c["authorizer"]["claims"]
    assert isinstance(claims, OpaqueMap)
    assert dict(claims) == {"sub": "abc", "email_verified": "true"}
    assert render("[$context.authorizer.claims][$context.authorizer.claims.sub]", c) == "[][abc]"


def test_docs_example_null_authorizer_counts_as_none():
    assert "authorizer" not in ctx({"requestContext": {"authorizer": {"claims": None, "scopes": None}}})
    assert "authorizer" not in ctx({"requestContext": {"authorizer": None}})


def test_authorizer_from_command_line():
    c = ctx(overrides=parse_context_assignments(["authorizer.principalId=me", "authorizer.claims.sub=x"]))
    assert c["authorizer"]["claims"]["sub"] == "x"


# ---------------------------------------------------------------- U05 and printing


def test_u05_context_and_nested_maps_print_as_empty():
    c = ctx({"requestContext": {"authorizer": {"principalId": "me"}}})
    for src in (
        "[$context]",
        "[$context.identity]",
        "[$context.get('identity')]",
        "[$context.requestOverride]",
        "[$context.requestOverride.header]",
        "[$context.requestOverride.path]",
        "[$context.requestOverride.querystring]",
        "[$context.responseOverride]",
        "[$context.responseOverride.header]",
        "[$context.authorizer]",
    ):
        assert render(src, c) == "[]", src
    assert to_text(c) == "" and to_text(c["identity"]) == "" and to_text(c["authorizer"]) == ""


def test_members_of_nested_maps_print_normally():
    c = ctx({"headers": {"User-Agent": "ua/1"}, "requestContext": {"authorizer": {"principalId": "me"}}})
    out = render(
        "$context.identity.sourceIp|$context.identity.userAgent|$context.authorizer.principalId|"
        "$context.requestTimeEpoch|[$context.identity.caller]",
        c,
    )
    assert out == "192.0.2.1|ua/1|me|1583349317135|[]"


def test_overrides_are_writable_from_a_template():
    c = ctx()
    src = '#set($context.requestOverride.header.X-Trace-Tag = "t")$context.requestOverride.querystring.put("p", "2")'
    render(src, c, copy=False)
    render("#set($context.responseOverride.status = 201)", c, copy=False)
    assert c["requestOverride"]["header"]["X-Trace-Tag"] == "t"
    assert c["requestOverride"]["querystring"]["p"] == "2"
    assert c["responseOverride"]["status"] == 201
    assert map_keys(c["responseOverride"]) == ["header", "status"]


# ---------------------------------------------------------------- --context assignments


def test_parse_context_assignments_builds_nested_maps():
    assert parse_context_assignments(
        ["identity.sourceIp=1.2.3.4", "stage=prod", "identity.userAgent=", "requestTimeEpoch=42", "a.b.c=x=y"]
    ) == {
        "identity": {"sourceIp": "1.2.3.4", "userAgent": ""},
        "stage": "prod",
        "requestTimeEpoch": 42,
        "a": {"b": {"c": "x=y"}},
    }


def test_parse_context_assignments_last_assignment_wins():
    assert parse_context_assignments(["stage=a", "stage=b"]) == {"stage": "b"}


@pytest.mark.parametrize(
    "items",
    [["stage"], ["=x"], ["identity..sourceIp=1"], ["requestTimeEpoch=soon"], ["identity=x", "identity.sourceIp=1"],
     ["identity.sourceIp=1", "identity=x"]],
)
def test_parse_context_assignments_errors(items):
    with pytest.raises(ContextError) as info:
        parse_context_assignments(items)
    assert str(info.value).startswith("--context ")


# ---------------------------------------------------------------- the captured event


def test_captured_event_request_context_becomes_context():
    from tests.apigw.test_request import CAPTURED_EVENT

    r, _ = load_request(CAPTURED_EVENT, "event.json")
    c = build_context(r)
    assert map_keys(c) == CONTEXT_ORDER
    assert c["stage"] == "prod" and c["path"] == "/prod/pets/7"
    assert c["requestTimeEpoch"] == 1710252207418 and c["requestTime"] == "12/Mar/2024:14:03:27 +0000"
    assert c["identity"]["sourceIp"] == "198.51.100.23"
    assert c["domainPrefix"] == "k3x9q2w7ab"
    assert c["resourcePath"] == "/pets/{petId}"
    assert c["accountId"] == "210987654321"
    assert stage_variables_map(r) == {"backend": "pets-v2", "lambdaAlias": "live"}


# ---------------------------------------------------------------- $stageVariables (§5)


def test_stage_variables_map():
    r = request({"stageVariables": {"version": "v2"}})
    sv = stage_variables_map(r)
    assert sv == {"version": "v2"}
    sv["x"] = "y"
    assert r.stage_variables == {"version": "v2"}  # a copy
    assert stage_variables_map(request()) == {}


@pytest.mark.parametrize(
    "src", ["$stageVariables.version", "$stageVariables['version']", "${stageVariables.version}", "${stageVariables['version']}"]
)
def test_stage_variable_forms(src):
    assert render(src, ctx(), {"version": "v2"}) == "v2"


def test_missing_stage_variable_is_nullish():
    assert render('"$stageVariables.version"', ctx(), stage_variables_map(request())) == '""'
