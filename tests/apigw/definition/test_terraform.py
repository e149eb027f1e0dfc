"""Terraform: what ``terraform show -json`` prints for a saved plan or for state.

The fixtures under data/terraform are written by hand in the shapes Terraform prints (indented, as
``| jq .`` shows them): plan-body.json (a rest_api whose ``body`` is jsonencode()d OpenAPI),
plan-resources.json (two APIs built from aws_api_gateway_* resources; the Lambda is new, so its
invoke_arn is unknown), state-orders.json (the same orders API after apply) and plan-module.json (an
API inside ``module.api`` and a root one whose YAML body was read with file()).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vtlgw.apigw.definition import (
    AmbiguousApiError,
    DefinitionError,
    UnsupportedDefinitionError,
    list_api_ids,
    load_definition,
)
from vtlgw.apigw.pipeline import BackendError, LambdaError, LambdaHandler, LambdaResult, invoke
from vtlgw.cli import main
from vtlgw.vtl import VtlError

DATA = Path(__file__).parent / "data" / "terraform"
ORDERS = "aws_api_gateway_rest_api.orders"


@pytest.fixture(autouse=True)
def in_data(monkeypatch):
    """Files are loaded by their bare name, so messages read ``plan-resources.json:119:28: ...``."""
    monkeypatch.chdir(DATA)


def copy_with(tmp_path: Path, monkeypatch, source: str, change) -> str:
    """A copy of a fixture with ``change(data)`` applied, loaded from ``tmp_path`` by its bare name."""
    data = json.loads((DATA / source).read_text())
    change(data)
    (tmp_path / source).write_text(json.dumps(data, indent=2))
    monkeypatch.chdir(tmp_path)
    return source


def planned(data: dict, address: str) -> dict:
    """The planned_values entry of ``address`` (root module or module.api)."""
    root = data.get("planned_values", data.get("values"))["root_module"]
    for module in [root, *root.get("child_modules", [])]:
        for resource in module.get("resources", []):
            if resource["address"] == address:
                return resource
    raise KeyError(address)


def configured(data: dict, address: str) -> dict:
    for resource in data["configuration"]["root_module"]["resources"]:
        if resource["address"] == address:
            return resource
    raise KeyError(address)


def change_of(data: dict, address: str) -> dict:
    return next(c for c in data["resource_changes"] if c["address"] == address)["change"]


def get(path: str, **extra) -> dict:
    return {"httpMethod": "GET", "path": path, **extra}


# ---------------------------------------------------------------------------- choosing an API


class TestChoosingAnApi:
    def test_list_api_ids_gives_terraform_addresses(self):
        assert list_api_ids("plan-resources.json") == ["aws_api_gateway_rest_api.admin", ORDERS]
        assert list_api_ids("plan-module.json") == ["aws_api_gateway_rest_api.legacy",
                                                    "module.api.aws_api_gateway_rest_api.this"]
        assert list_api_ids("plan-body.json") == [ORDERS]
        assert list_api_ids("state-orders.json") == [ORDERS]

    def test_several_apis_need_a_choice(self):
        with pytest.raises(AmbiguousApiError) as info:
            load_definition("plan-resources.json")
        assert info.value.candidates == ["aws_api_gateway_rest_api.admin", ORDERS]
        assert str(info.value) == (
            "plan-resources.json: error: several REST APIs are defined; choose one with api=<Terraform address>: "
            "aws_api_gateway_rest_api.admin, aws_api_gateway_rest_api.orders")

    def test_api_chooses_by_address(self):
        admin = load_definition("plan-resources.json", api="aws_api_gateway_rest_api.admin")
        assert (admin.api_id, admin.name, list(admin.methods)) == (
            "aws_api_gateway_rest_api.admin", "admin-api", [("GET", "/health")])
        result = invoke(admin, get("/health"))
        assert (result.status, result.json()) == (200, {"status": "ok", "api": "admin"})

    def test_unknown_address_lists_the_apis(self):
        with pytest.raises(DefinitionError, match=r"no REST API 'aws_api_gateway_rest_api.nope' in this Terraform "
                                                  r"plan; APIs: aws_api_gateway_rest_api.admin, "
                                                  r"aws_api_gateway_rest_api.orders"):
            load_definition("plan-resources.json", api="aws_api_gateway_rest_api.nope")

    def test_a_file_without_rest_api(self, tmp_path, monkeypatch):
        (tmp_path / "empty.json").write_text('{"format_version": "1.0", "terraform_version": "1.7.5", '
                                             '"values": {"root_module": {}}}')
        monkeypatch.chdir(tmp_path)
        with pytest.raises(DefinitionError, match=r"no REST API found in this Terraform state "
                                                  r"\(no aws_api_gateway_rest_api resource\)"):
            load_definition("empty.json")
        assert list_api_ids("empty.json") == []


# ---------------------------------------------------------------------------- a plan built from resources


class TestPlanWithResources:
    @pytest.fixture
    def api(self):
        return load_definition("plan-resources.json", api=ORDERS)

    def test_tree_methods_and_responses(self, api):
        assert (api.format, api.api_id, api.name, api.binary_media_types) == (
            "terraform", ORDERS, "orders-api", ["application/pdf"])
        # paths from the path_part/parent_id chains; the plan knows no id, the configuration's references link them
        assert sorted(api.resource_paths) == ["/", "/orders", "/orders/{id}"]
        assert sorted(api.methods) == [("GET", "/orders"), ("GET", "/orders/{id}")]
        listing = api.method("GET", "/orders")
        assert listing.operation_id == "ListOrders"
        assert listing.method_responses["200"].header_names == ["Cache-Control"]
        assert listing.method_responses["200"].response_models == {"application/json": "Empty"}
        one = api.method("GET", "/orders/{id}")
        assert one.request_parameters == {"method.request.path.id": True, "method.request.querystring.expand": False}
        assert list(one.method_responses) == ["200", "404"]
        # Terraform AWS provider docs, aws_api_gateway_integration_response: omitting selection_pattern makes the
        # response the default one
        assert [(r.status_code, r.selection_pattern) for r in one.integration.integration_responses] == [
            ("200", None), ("404", ".*not found.*")]

    def test_fields_name_their_place_in_the_plan(self, api):
        integration = api.method("GET", "/orders/{id}").integration
        # Terraform AWS provider docs, aws_api_gateway_integration: integration_http_method is the backend's method
        assert (integration.type, integration.http_method, integration.passthrough_behavior) == (
            "AWS", "POST", "WHEN_NO_TEMPLATES")
        where = integration.where("passthrough_behavior")
        assert where.pointer.startswith("/planned_values/root_module/resources/")
        assert where.pointer.endswith("/values/passthrough_behavior") and where.line is not None
        template = integration.request_templates[0]
        assert template.source.pointer.endswith("/values/request_templates/application~1json")

    def test_mock_response_template_is_rendered(self, api):
        result = invoke(api, get("/orders", headers={"x-user": 'ann "the admin"'}))
        assert result.status == 200
        assert result.json() == {"orders": [{"id": "o-1", "total": 12.5}, {"id": "o-2", "total": 40}],
                                 "count": 2, "requestedBy": 'ann "the admin"'}
        assert result.headers["Cache-Control"] == "max-age=60"  # response_parameters with a static value
        assert result.warnings == []

    def test_lambda_integration_renders_the_request_template(self, api):
        events = []

        def handler(event, context):
            events.append(event)
            return {"id": event["orderId"], "total": 18.25}

        result = invoke(api, get("/orders/42", queryStringParameters={"expand": "lines"}),
                        backend=LambdaHandler(handler))
        assert events == [{"orderId": "42", "expand": "lines"}]
        assert result.status == 200
        assert result.json() == {"id": "42", "total": 18.25, "source": "lambda"}

    def test_selection_pattern_chooses_the_404(self, api):
        # Terraform AWS provider docs, aws_api_gateway_integration_response: for a Lambda backend the pattern is
        # matched against the function's error
        result = invoke(api, get("/orders/7"), backend=LambdaError("order 7 not found", "LookupError"))
        assert (result.status, result.json()) == (404, {"message": "order 7 not found"})
        assert result.match_value == "order 7 not found"
        ok = invoke(api, get("/orders/7"), backend=LambdaResult({"id": "7", "total": 1}))
        assert ok.status == 200

    def test_unknown_lambda_uri_is_a_named_placeholder_and_not_emulated(self, api):
        # Terraform AWS provider docs, aws_api_gateway_integration (Lambda integration): uri is the function's
        # invoke_arn, which a plan that creates the function cannot know yet (after_unknown)
        method = api.method("GET", "/orders/{id}")
        integration = method.integration
        assert integration.uri == ("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
                                   "${aws_lambda_function.orders.arn}/invocations")
        assert integration.is_lambda and integration.uri_raw is None
        (note,) = method.not_emulated
        assert note.what.startswith("GET /orders/{id}: aws_api_gateway_integration.get_order: uri is unknown until "
                                    "apply (it is aws_lambda_function.orders.invoke_arn)")
        assert note.source.pointer.startswith("/configuration/root_module/resources/")
        assert note.source.pointer.endswith("/expressions/uri") and note.source.line is not None
        result = invoke(api, get("/orders/1"), backend=LambdaResult({"id": "1", "total": 2}))
        assert [w.message for w in result.warnings] == [note.what]
        assert "aws_api_gateway_integration.get_order" in str(result.warnings[0])


# ---------------------------------------------------------------------------- state


class TestState:
    @pytest.fixture
    def api(self):
        return load_definition("state-orders.json")

    def test_linked_by_ids(self, api):
        assert sorted(api.resource_paths) == ["/", "/orders", "/orders/{id}"]
        assert sorted(api.methods) == [("GET", "/orders"), ("GET", "/orders/{id}")]
        assert (api.stage_name, api.stage_variables) == ("live", {"tableName": "orders-live"})
        integration = api.method("GET", "/orders/{id}").integration
        assert integration.uri == ("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
                                   "arn:aws:lambda:eu-west-1:123456789012:function:orders-get/invocations")
        assert api.method("GET", "/orders/{id}").not_emulated == []

    def test_empty_strings_are_unset(self, api):
        # state stores an unset optional string as "": no content handling, no backend method on a MOCK,
        # and an empty selection_pattern is the default response
        mock = api.method("GET", "/orders").integration
        assert (mock.type, mock.uri, mock.http_method, mock.content_handling, mock.credentials) == (
            "MOCK", None, None, None, None)
        responses = api.method("GET", "/orders/{id}").integration.integration_responses
        assert [(r.status_code, r.selection_pattern, r.content_handling) for r in responses] == [
            ("200", None, None), ("404", ".*not found.*", None)]
        assert api.method("GET", "/orders/{id}").operation_id is None

    def test_invoke(self, api):
        missing = invoke(api, get("/orders/9"), backend=LambdaError("order 9 not found"))
        assert (missing.status, missing.json(), missing.warnings) == (404, {"message": "order 9 not found"}, [])
        listing = invoke(api, get("/orders"))
        assert (listing.status, listing.json()["count"]) == (200, 2)

    def test_path_attribute_when_the_parent_is_not_in_the_file(self, tmp_path, monkeypatch):
        def detach(data):
            planned(data, "aws_api_gateway_resource.order")["values"]["parent_id"] = "zz9zz9"

        name = copy_with(tmp_path, monkeypatch, "state-orders.json", detach)
        assert ("GET", "/orders/{id}") in load_definition(name).methods  # state's computed path is used


# ---------------------------------------------------------------------------- the body attribute


class TestBody:
    def test_openapi_body_mock(self):
        api = load_definition("plan-body.json")
        assert sorted(api.methods) == [("GET", "/orders"), ("GET", "/orders/{id}")]
        assert (api.name, api.stage_name, api.stage_variables) == ("orders-body", "prod", {"backend": "orders-v1"})
        found = invoke(api, get("/orders/7"))
        assert (found.status, found.json()) == (200, {"id": "7"})
        missing = invoke(api, get("/orders/missing"))
        assert (missing.status, missing.json()) == (404, {"message": "order missing not found"})
        listing = invoke(api, get("/orders"))
        assert listing.json() == {"orders": [], "stage": "prod", "backend": "orders-v1"}

    def test_body_sources_name_the_rest_api(self):
        method = load_definition("plan-body.json").method("GET", "/orders")
        assert method.source.file == "plan-body.json (aws_api_gateway_rest_api.orders.body)"
        assert method.source.pointer == "/paths/~1orders/get"

    def test_yaml_body_in_a_module_plan(self):
        legacy = load_definition("plan-module.json", api="aws_api_gateway_rest_api.legacy")
        result = invoke(legacy, get("/ping"))
        assert (result.status, result.json()) == (200, {"pong": True, "path": "/ping"})

    def test_unknown_body_is_refused_naming_its_references(self, tmp_path, monkeypatch):
        # Terraform JSON output format: values unknown until apply are left out of planned_values and marked
        # true in after_unknown
        def unknown(data):
            del planned(data, ORDERS)["values"]["body"]
            change_of(data, ORDERS)["after_unknown"]["body"] = True
            configured(data, ORDERS)["expressions"]["body"] = {
                "references": ["aws_lambda_function.orders.invoke_arn", "aws_lambda_function.orders"]}

        name = copy_with(tmp_path, monkeypatch, "plan-body.json", unknown)
        with pytest.raises(UnsupportedDefinitionError) as info:
            load_definition(name)
        assert info.value.pointer == "/configuration/root_module/resources/1/expressions/body"
        assert info.value.line is not None
        assert info.value.message == (
            "aws_api_gateway_rest_api.orders: the OpenAPI body is unknown until apply (it refers to "
            "aws_lambda_function.orders.invoke_arn); load the state after apply (terraform show -json) instead of "
            "the plan")


# ---------------------------------------------------------------------------- modules


def test_module_api_by_address():
    api = load_definition("plan-module.json", api="module.api.aws_api_gateway_rest_api.this")
    assert (api.api_id, api.name, sorted(api.resource_paths)) == (
        "module.api.aws_api_gateway_rest_api.this", "inventory", ["/", "/stock", "/stock/{sku}"])
    method = api.method("GET", "/stock/{sku}")
    assert method.source.pointer == "/planned_values/root_module/child_modules/0/resources/2"
    result = invoke(api, get("/stock/A-1"))
    assert (result.status, result.json()) == (200, {"sku": "A-1", "inStock": 3})


# ---------------------------------------------------------------------------- errors


class TestErrors:
    def test_malformed_json_is_located(self, tmp_path, monkeypatch):
        (tmp_path / "plan.json").write_text((DATA / "plan-body.json").read_text()[:500])
        monkeypatch.chdir(tmp_path)
        with pytest.raises(DefinitionError) as info:
            load_definition("plan.json")
        assert str(info.value).startswith("plan.json:17:15: error: invalid JSON: ")

    def test_bad_status_code_points_into_the_plan(self, tmp_path, monkeypatch):
        def bad(data):
            planned(data, "aws_api_gateway_integration_response.get_order_404")["values"]["status_code"] = "4040"

        name = copy_with(tmp_path, monkeypatch, "plan-resources.json", bad)
        with pytest.raises(DefinitionError) as info:
            load_definition(name, api=ORDERS)
        assert str(info.value) == (
            "plan-resources.json:119:28: error: /planned_values/root_module/resources/4/values/status_code: "
            "invalid status code '4040': expected three digits from 100 to 599")

    def test_bad_path_part(self, tmp_path, monkeypatch):
        def bad(data):
            planned(data, "aws_api_gateway_resource.order")["values"]["path_part"] = "{id"

        name = copy_with(tmp_path, monkeypatch, "plan-resources.json", bad)
        with pytest.raises(DefinitionError, match=r"^plan-resources.json:\d+:\d+: error: "
                                                  r"/planned_values/root_module/resources/\d+/values/path_part: "
                                                  r"invalid path part '\{id'"):
            load_definition(name, api=ORDERS)

    def test_invalid_json_body_names_the_rest_api_and_the_body(self, tmp_path, monkeypatch):
        def bad(data):
            planned(data, ORDERS)["values"]["body"] = '{"openapi": "3.0.1", "paths": {'

        name = copy_with(tmp_path, monkeypatch, "plan-body.json", bad)
        with pytest.raises(DefinitionError) as info:
            load_definition(name)
        assert info.value.pointer == "/planned_values/root_module/resources/1/values/body"
        assert str(info.value).startswith(
            "plan-body.json:32:21: error: /planned_values/root_module/resources/1/values/body: the OpenAPI body of "
            "aws_api_gateway_rest_api.orders (line 1:32 of the body): invalid JSON: ")

    def test_error_inside_the_body_gives_both_pointers(self, tmp_path, monkeypatch):
        def bad(data):
            values = planned(data, ORDERS)["values"]
            body = json.loads(values["body"])
            body["paths"]["/orders"]["get"]["x-amazon-apigateway-integration"]["type"] = "lambda"
            values["body"] = json.dumps(body)

        name = copy_with(tmp_path, monkeypatch, "plan-body.json", bad)
        with pytest.raises(DefinitionError) as info:
            load_definition(name)
        assert info.value.pointer == "/planned_values/root_module/resources/1/values/body"
        assert (info.value.line, info.value.column) == (32, 21)
        assert info.value.message.startswith(
            "the OpenAPI body of aws_api_gateway_rest_api.orders, at "
            "/paths/~1orders/get/x-amazon-apigateway-integration/type (line 1:")
        assert info.value.message.endswith("unknown integration type 'lambda': expected one of MOCK, AWS, AWS_PROXY, "
                                           "HTTP, HTTP_PROXY")

    def test_yaml_body_error(self, tmp_path, monkeypatch):
        def bad(data):
            values = planned(data, "aws_api_gateway_rest_api.legacy")["values"]
            values["body"] = values["body"].replace("type: mock", "type: [mock")

        name = copy_with(tmp_path, monkeypatch, "plan-module.json", bad)
        with pytest.raises(DefinitionError, match=r"the OpenAPI body of aws_api_gateway_rest_api.legacy \(line 13:25 "
                                                  r"of the body\): invalid YAML"):
            load_definition(name, api="aws_api_gateway_rest_api.legacy")

    def test_rest_api_id_that_names_nothing(self, tmp_path, monkeypatch):
        def bad(data):
            configured(data, "aws_api_gateway_method.get_order")["expressions"]["rest_api_id"] = {
                "references": ["var.rest_api_id"]}

        name = copy_with(tmp_path, monkeypatch, "plan-resources.json", bad)
        with pytest.raises(DefinitionError) as info:
            load_definition(name, api=ORDERS)
        assert info.value.pointer.endswith("/expressions/rest_api_id") and info.value.line is not None
        assert info.value.message == ("aws_api_gateway_method.get_order: cannot resolve rest_api_id to an "
                                      "aws_api_gateway_rest_api of this file (it refers to var.rest_api_id)")

    def test_unknown_templates_are_reported(self, tmp_path, monkeypatch):
        address = "aws_api_gateway_integration.list_orders"

        def unknown(data):
            del planned(data, address)["values"]["request_templates"]
            change_of(data, address)["after_unknown"]["request_templates"] = True
            configured(data, address)["expressions"]["request_templates"] = {
                "references": ["local.list_template"]}

        name = copy_with(tmp_path, monkeypatch, "plan-resources.json", unknown)
        with pytest.raises(UnsupportedDefinitionError, match=r"aws_api_gateway_integration.list_orders: "
                                                             r"request_templates is unknown until apply \(it refers "
                                                             r"to local.list_template\)"):
            load_definition(name, api=ORDERS)

    def test_lenient_loading_collects_problems(self, tmp_path, monkeypatch):
        def bad(data):
            planned(data, "aws_api_gateway_integration_response.get_order_404")["values"]["status_code"] = "4040"
            planned(data, "aws_api_gateway_method.list_orders")["values"]["http_method"] = "FETCH"

        name = copy_with(tmp_path, monkeypatch, "plan-resources.json", bad)
        api = load_definition(name, api=ORDERS, strict=False)
        messages = [p.message for p in api.problems]
        assert "invalid status code '4040': expected three digits from 100 to 599" in messages
        assert any(m.startswith("unknown HTTP method 'FETCH'") for m in messages)
        assert ("GET", "/orders/{id}") in api.methods

    def test_problems_are_vtl_errors(self, tmp_path, monkeypatch):
        def bad(data):
            planned(data, ORDERS)["values"]["body"] = 42

        name = copy_with(tmp_path, monkeypatch, "plan-body.json", bad)
        with pytest.raises(VtlError, match="expected the body as an OpenAPI document in a string"):
            load_definition(name)


# ---------------------------------------------------------------------------- authorization, instances


def test_aws_iam_authorization_is_run(tmp_path, monkeypatch):
    """``authorization = "AWS_IAM"`` is loaded and run (docs/method-request.md, section 5.3); the
    authorizers, keys and validators of Terraform are tested in test_terraform_stage.py."""
    def iam(data):
        planned(data, "aws_api_gateway_method.list_orders")["values"]["authorization"] = "AWS_IAM"

    name = copy_with(tmp_path, monkeypatch, "plan-resources.json", iam)
    api = load_definition(name, api=ORDERS)
    method = api.method("GET", "/orders")
    assert (method.authorization_type, method.authorizer, method.not_emulated) == ("AWS_IAM", None, [])
    assert method.sources["authorizer"].pointer.endswith("/values/authorization")
    unsigned = invoke(api, get("/orders"))
    assert (unsigned.status, unsigned.json()) == (403, {"message": "Missing Authentication Token"})
    signed = invoke(api, get("/orders", headers={"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/..."}))
    assert signed.status == 200 and signed.json()["count"] == 2


def test_for_each_instances_link_by_key(tmp_path, monkeypatch):
    """``for_each`` gives ``aws_api_gateway_resource.orders["v1"]``: a reference with a key picks that instance,
    one without picks the instance with the referrer's own key."""
    def split(data):
        first = planned(data, "aws_api_gateway_resource.orders")
        second = json.loads(json.dumps(first))
        for item, key in ((first, "v1"), (second, "v2")):
            item.update(address=f'aws_api_gateway_resource.orders["{key}"]', index=key)
            item["values"]["path_part"] = key
        data["planned_values"]["root_module"]["resources"].append(second)
        for address in ("aws_api_gateway_method.list_orders", "aws_api_gateway_integration.list_orders",
                        "aws_api_gateway_method_response.list_orders_200",
                        "aws_api_gateway_integration_response.list_orders_200"):
            planned(data, address).update(address=f'{address}["v1"]', index="v1")
        configured(data, "aws_api_gateway_resource.order")["expressions"]["parent_id"] = {
            "references": ['aws_api_gateway_resource.orders["v2"].id', 'aws_api_gateway_resource.orders["v2"]']}

    name = copy_with(tmp_path, monkeypatch, "plan-resources.json", split)
    api = load_definition(name, api=ORDERS)
    assert sorted(api.resource_paths) == ["/", "/v1", "/v2", "/v2/{id}"]
    assert sorted(api.methods) == [("GET", "/v1"), ("GET", "/v2/{id}")]


# ---------------------------------------------------------------------------- the command line


def test_cli_invoke_a_terraform_plan():
    result = CliRunner().invoke(main, ["invoke", "--api", "plan-resources.json", "--api-id", ORDERS,
                                       "-X", "GET", "-p", "/orders"])
    assert result.exit_code == 0, result.output
    assert '"count": 2' in result.output
    assert "Traceback" not in result.output


def test_cli_several_apis_is_bad_input():
    result = CliRunner().invoke(main, ["invoke", "--api", "plan-resources.json", "-X", "GET", "-p", "/orders"])
    assert result.exit_code == 2
    assert "choose one with api=<Terraform address>: aws_api_gateway_rest_api.admin" in result.output
    assert "Traceback" not in result.output


def test_fixtures_are_terraform_json():
    for path in DATA.glob("*.json"):
        data = json.loads(path.read_text())
        assert data["terraform_version"] == "1.7.5"
        assert data["format_version"] == ("1.2" if "planned_values" in data else "1.0")


def test_body_from_a_rest_api_put(tmp_path, monkeypatch):
    # Terraform AWS provider docs, aws_api_gateway_rest_api_put: body and rest_api_id (both required)
    def moved(data):
        rest = planned(data, ORDERS)
        put = {"address": "aws_api_gateway_rest_api_put.orders", "mode": "managed",
               "type": "aws_api_gateway_rest_api_put", "name": "orders",
               "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
               "values": {"body": rest["values"]["body"], "fail_on_warnings": True, "parameters": None,
                          "triggers": None},
               "sensitive_values": {}}
        rest["values"]["body"] = None
        data["planned_values"]["root_module"]["resources"].append(put)
        data["configuration"]["root_module"]["resources"].append({
            "address": "aws_api_gateway_rest_api_put.orders", "mode": "managed",
            "type": "aws_api_gateway_rest_api_put", "name": "orders", "provider_config_key": "aws",
            "expressions": {"body": {}, "fail_on_warnings": {"constant_value": True},
                            "rest_api_id": {"references": ["aws_api_gateway_rest_api.orders.id",
                                                           "aws_api_gateway_rest_api.orders"]}},
            "schema_version": 0})

    name = copy_with(tmp_path, monkeypatch, "plan-body.json", moved)
    api = load_definition(name)
    assert api.method("GET", "/orders").source.file == "plan-body.json (aws_api_gateway_rest_api_put.orders.body)"
    assert invoke(api, get("/orders/missing")).status == 404


def test_gateway_response_from_state():
    # Terraform AWS provider docs, aws_api_gateway_gateway_response: response_type, status_code,
    # response_templates, response_parameters
    api = load_definition("state-orders.json")
    result = invoke(api, {"httpMethod": "POST", "path": "/nowhere"})
    assert result.status == 404
    assert result.json() == {"message": "no route for POST /live/nowhere"}  # $context.path carries the stage
    assert result.headers["Access-Control-Allow-Origin"] == "*"


def test_proxy_integration_templates_are_not_emulated(tmp_path, monkeypatch):
    def proxy(data):
        values = planned(data, "aws_api_gateway_integration.get_order")["values"]
        values["type"] = "AWS_PROXY"

    name = copy_with(tmp_path, monkeypatch, "plan-resources.json", proxy)
    method = load_definition(name, api=ORDERS).method("GET", "/orders/{id}")
    notes = [n.what for n in method.not_emulated]
    assert "GET /orders/{id}: request templates are ignored on an AWS_PROXY integration" in notes
    assert "GET /orders/{id}: integration response templates and mappings are ignored on an AWS_PROXY " \
           "integration" in notes


def test_unknown_http_uri_keeps_its_reference(tmp_path, monkeypatch):
    address = "aws_api_gateway_integration.get_order"

    def http(data):
        planned(data, address)["values"]["type"] = "HTTP"
        planned(data, address)["values"]["integration_http_method"] = "GET"
        configured(data, address)["expressions"]["uri"] = {"references": ["var.orders_backend_url"]}

    name = copy_with(tmp_path, monkeypatch, "plan-resources.json", http)
    method = load_definition(name, api=ORDERS).method("GET", "/orders/{id}")
    assert method.integration.uri == "${var.orders_backend_url}"
    assert [n.what for n in method.not_emulated] == [
        "GET /orders/{id}: aws_api_gateway_integration.get_order: uri is unknown until apply (it is "
        "var.orders_backend_url); read as ${var.orders_backend_url}"]


# ---------------------------------------------------------------------------- Lambda functions, run in-process

FUNCTION = "aws_lambda_function.orders"
ORDER_HANDLER = '''import os


def handler(event, context):
    return {"id": event["orderId"], "total": 18.25, "table": os.environ.get("TABLE_NAME"),
            "budget": context.get_remaining_time_in_millis()}
'''


def zipped_from(source_dir: str):
    """A change making plan-resources' function the zip of a ``data.archive_file`` built from ``source_dir``.

    Only the configuration declares it (the plan printed no prior_state), so its constants are all there is.
    """
    def change(data: dict) -> None:
        data["configuration"]["root_module"]["resources"].append({
            "address": "data.archive_file.orders", "mode": "data", "type": "archive_file", "name": "orders",
            "provider_config_key": "archive",
            "expressions": {"output_path": {"constant_value": "build/orders.zip"},
                            "source_dir": {"constant_value": source_dir}, "type": {"constant_value": "zip"}},
            "schema_version": 0})
        configured(data, FUNCTION)["expressions"]["filename"] = {
            "references": ["data.archive_file.orders.output_path", "data.archive_file.orders"]}
    return change


def with_code(tmp_path: Path, monkeypatch, *changes) -> str:
    """plan-resources.json, its function zipped from ``tmp_path/lambda`` (holding orders.py), and ``changes``."""
    (tmp_path / "lambda").mkdir()
    (tmp_path / "lambda" / "orders.py").write_text(ORDER_HANDLER)

    def change(data: dict) -> None:
        zipped_from("lambda")(data)
        for extra in changes:
            extra(data)
    return copy_with(tmp_path, monkeypatch, "plan-resources.json", change)


class TestFunctions:
    def test_functions_are_keyed_by_address_and_integrations_name_theirs(self):
        api = load_definition("plan-resources.json", api=ORDERS)
        function = api.functions[FUNCTION]
        # Terraform AWS provider docs, aws_lambda_function: handler is "module.function" for Python
        assert (function.logical_id, function.handler, function.runtime) == (FUNCTION, "orders.handler",
                                                                              "python3.12")
        assert function.timeout_seconds == 10 and function.environment == {}
        assert function.source.pointer.startswith("/planned_values/root_module/resources/")
        assert api.method("GET", "/orders/{id}").integration.function_id == FUNCTION
        assert api.method("GET", "/orders").integration.function_id is None  # a MOCK

    def test_state_links_the_function_by_its_arn(self):
        api = load_definition("state-orders.json")
        assert api.method("GET", "/orders/{id}").integration.function_id == FUNCTION

    def test_the_code_folder_is_the_archive_source_dir(self, tmp_path, monkeypatch):
        api = load_definition(with_code(tmp_path, monkeypatch), api=ORDERS)
        assert api.functions[FUNCTION].code_dir == str((tmp_path / "lambda").resolve())
        result = invoke(api, get("/orders/42"))  # no backend: the function runs in-process
        assert result.status == 200
        assert result.json() == {"id": "42", "total": 18.25, "source": "lambda"}

    def test_the_code_folder_from_prior_state_and_a_filename_equal_to_output_path(self, tmp_path, monkeypatch):
        """What a plan prints: the archive, read while planning, in prior_state; ``filename`` written as the same
        literal path as ``output_path`` (no reference)."""
        (tmp_path / "code").mkdir()
        (tmp_path / "code" / "orders.py").write_text(ORDER_HANDLER)

        def read(data):
            data["prior_state"] = {"format_version": "1.0", "terraform_version": "1.7.5", "values": {"root_module": {
                "resources": [{"address": "data.archive_file.orders", "mode": "data", "type": "archive_file",
                               "name": "orders", "provider_name": "registry.terraform.io/hashicorp/archive",
                               "schema_version": 0,
                               "values": {"output_path": "./build/orders.zip", "source_dir": "./code",
                                          "source_file": None, "type": "zip"},
                               "sensitive_values": {}}]}}}

        api = load_definition(copy_with(tmp_path, monkeypatch, "plan-resources.json", read), api=ORDERS)
        assert api.functions[FUNCTION].code_dir == str((tmp_path / "code").resolve())

    def test_a_source_file_gives_its_folder(self, tmp_path, monkeypatch):
        def single(data):
            expressions = configured(data, "data.archive_file.orders")["expressions"]
            del expressions["source_dir"]
            expressions["source_file"] = {"constant_value": "lambda/orders.py"}

        api = load_definition(with_code(tmp_path, monkeypatch, single), api=ORDERS)
        assert api.functions[FUNCTION].code_dir == str((tmp_path / "lambda").resolve())

    def test_timeout_defaults_to_3_and_is_checked(self, tmp_path, monkeypatch):
        def unset(data):
            del planned(data, FUNCTION)["values"]["timeout"]

        assert load_definition(copy_with(tmp_path, monkeypatch, "plan-resources.json", unset),
                               api=ORDERS).functions[FUNCTION].timeout_seconds == 3

        def too_long(data):
            planned(data, FUNCTION)["values"]["timeout"] = 901

        with pytest.raises(DefinitionError, match=r"/values/timeout: aws_lambda_function.orders: a Lambda timeout "
                                                  r"is 1 to 900 seconds, not '901'"):
            load_definition(copy_with(tmp_path, monkeypatch, "plan-resources.json", too_long), api=ORDERS)

    def test_environment_and_timeout_apply_to_the_call(self, tmp_path, monkeypatch):
        def environment(data):
            planned(data, FUNCTION)["values"]["environment"] = [{"variables": {"TABLE_NAME": "orders-live"}}]
            configured(data, FUNCTION)["expressions"]["environment"] = [
                {"variables": {"constant_value": {"TABLE_NAME": "orders-live"}}}]
            templates = planned(data, "aws_api_gateway_integration_response.get_order_200")["values"]
            templates["response_templates"] = {"application/json": '{"table": "$input.path(\'$.table\')", '
                                                                   '"budget": $input.path(\'$.budget\')}'}

        api = load_definition(with_code(tmp_path, monkeypatch, environment), api=ORDERS)
        assert api.functions[FUNCTION].environment == {"TABLE_NAME": "orders-live"}
        out = invoke(api, get("/orders/1")).json()
        assert out["table"] == "orders-live"
        assert 9000 < out["budget"] <= 10000  # timeout = 10: the remaining time counts down from it

    def test_an_unknown_variable_is_followed_to_a_known_attribute(self, tmp_path, monkeypatch):
        """``TABLE_NAME = aws_dynamodb_table.orders.name`` when the plan does not know the variable but knows the
        table's name."""
        def table(data):
            data["planned_values"]["root_module"]["resources"].append({
                "address": "aws_dynamodb_table.orders", "mode": "managed", "type": "aws_dynamodb_table",
                "name": "orders", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 1,
                "values": {"billing_mode": "PAY_PER_REQUEST", "hash_key": "id", "name": "orders-live"},
                "sensitive_values": {}})
            planned(data, FUNCTION)["values"]["environment"] = [{"variables": {}}]
            change_of(data, FUNCTION)["after_unknown"]["environment"] = [{"variables": {"TABLE_NAME": True}}]
            configured(data, FUNCTION)["expressions"]["environment"] = [{"variables": {
                "references": ["aws_dynamodb_table.orders.name", "aws_dynamodb_table.orders"]}}]

        api = load_definition(copy_with(tmp_path, monkeypatch, "plan-resources.json", table), api=ORDERS)
        assert api.functions[FUNCTION].environment == {"TABLE_NAME": "orders-live"}
        assert len(api.method("GET", "/orders/{id}").not_emulated) == 1  # only the uri's

    def test_an_unknown_variable_is_left_unset_with_a_note(self, tmp_path, monkeypatch):
        def queue(data):
            planned(data, FUNCTION)["values"]["environment"] = [{"variables": {"TABLE_NAME": "orders-live"}}]
            change_of(data, FUNCTION)["after_unknown"]["environment"] = [{"variables": {"QUEUE_URL": True}}]
            configured(data, FUNCTION)["expressions"]["environment"] = [{"variables": {
                "references": ["aws_sqs_queue.events.url", "aws_sqs_queue.events"]}}]

        api = load_definition(copy_with(tmp_path, monkeypatch, "plan-resources.json", queue), api=ORDERS)
        assert api.functions[FUNCTION].environment == {"TABLE_NAME": "orders-live"}
        method = api.method("GET", "/orders/{id}")
        note = method.not_emulated[-1]
        assert note.what == ("GET /orders/{id}: aws_lambda_function.orders: environment variable QUEUE_URL is "
                             "unknown until apply (it refers to aws_sqs_queue.events.url); it is left unset")
        assert note.source.pointer.endswith("/expressions/environment/0/variables") and note.source.line
        result = invoke(api, get("/orders/1"), backend=LambdaResult({"id": "1", "total": 2}))
        assert note.what in [w.message for w in result.warnings]

    def test_without_a_code_folder_invoke_names_the_function_and_asks_for_a_backend(self):
        """plan-resources' function is ``filename = "build/orders.zip"``, a zip no archive_file of the plan builds."""
        api = load_definition("plan-resources.json", api=ORDERS)
        assert api.functions[FUNCTION].code_dir is None
        with pytest.raises(BackendError) as info:
            invoke(api, get("/orders/1"))
        assert "aws_lambda_function.orders" in str(info.value) and "give a backend" in str(info.value)
        result = CliRunner().invoke(main, ["invoke", "--api", "plan-resources.json", "--api-id", ORDERS,
                                           "-p", "/orders/1"])
        assert result.exit_code == 2 and "Traceback" not in result.output
        assert "the function aws_lambda_function.orders has no local code folder" in result.output

    def test_a_source_dir_that_is_not_there_is_no_code_folder(self, tmp_path, monkeypatch):
        name = copy_with(tmp_path, monkeypatch, "plan-resources.json", zipped_from("missing"))
        assert load_definition(name, api=ORDERS).functions[FUNCTION].code_dir is None


def test_environment_unknown_as_a_whole_is_left_unset_with_a_note(tmp_path, monkeypatch):
    """``variables = merge(local.common, {...})`` with an unknown part: the plan knows not even the keys."""
    def whole(data):
        planned(data, FUNCTION)["values"].pop("environment", None)
        change_of(data, FUNCTION)["after_unknown"]["environment"] = [{"variables": True}]
        configured(data, FUNCTION)["expressions"]["environment"] = [{"variables": {
            "references": ["local.common", "aws_sqs_queue.events.url", "aws_sqs_queue.events"]}}]

    api = load_definition(copy_with(tmp_path, monkeypatch, "plan-resources.json", whole), api=ORDERS)
    assert api.functions[FUNCTION].environment == {}
    assert api.method("GET", "/orders/{id}").not_emulated[-1].what == (
        "GET /orders/{id}: aws_lambda_function.orders: the environment variables are unknown until apply (it "
        "refers to local.common, aws_sqs_queue.events.url); they are left unset")


def test_a_module_function_with_path_module(tmp_path, monkeypatch):
    """In ``module "api" { source = "./modules/api" }``, ``${path.module}`` in a constant is modules/api.

    (Terraform prints ``"${path.module}/src"`` as a reference to path.module, not a constant; a plan that
    read the archive gives its evaluated ``source_dir`` in prior_state, which is what is used then.)"""
    code = tmp_path / "modules" / "api" / "src"
    code.mkdir(parents=True)
    (code / "stock.py").write_text("def handler(event, context):\n    return {'sku': 'A-1', 'inStock': 3}\n")

    def lambda_in_module(data):
        module = data["planned_values"]["root_module"]["child_modules"][0]
        module["resources"].append({
            "address": "module.api.aws_lambda_function.stock", "mode": "managed", "type": "aws_lambda_function",
            "name": "stock", "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": {"filename": "stock.zip", "handler": "stock.handler", "runtime": "python3.12"},
            "sensitive_values": {}})
        config = data["configuration"]["root_module"]["module_calls"]["api"]
        config["source"] = "./modules/api"
        config["module"].setdefault("resources", []).extend([
            {"address": "aws_lambda_function.stock", "mode": "managed", "type": "aws_lambda_function",
             "name": "stock", "provider_config_key": "aws",
             "expressions": {"filename": {"references": ["data.archive_file.stock.output_path",
                                                         "data.archive_file.stock"]}},
             "schema_version": 0},
            {"address": "data.archive_file.stock", "mode": "data", "type": "archive_file", "name": "stock",
             "provider_config_key": "archive",
             "expressions": {"source_dir": {"constant_value": "${path.module}/src"},
                             "type": {"constant_value": "zip"}},
             "schema_version": 0}])

    name = copy_with(tmp_path, monkeypatch, "plan-module.json", lambda_in_module)
    api = load_definition(name, api="module.api.aws_api_gateway_rest_api.this")
    assert api.functions["module.api.aws_lambda_function.stock"].code_dir == str(code.resolve())


def test_an_invocation_uri_written_out_with_the_function_arn(tmp_path, monkeypatch):
    """``uri = "arn:aws:apigateway:${data.aws_region.current.name}:lambda:path/2015-03-31/functions/${aws_lambda_
    function.orders.arn}/invocations"``: the function is the one whose ARN the URI holds."""
    def written_out(data):
        configured(data, "aws_api_gateway_integration.get_order")["expressions"]["uri"] = {"references": [
            "data.aws_region.current.name", "data.aws_region.current", "aws_lambda_function.orders.arn",
            "aws_lambda_function.orders"]}

    api = load_definition(with_code(tmp_path, monkeypatch, written_out), api=ORDERS)
    integration = api.method("GET", "/orders/{id}").integration
    assert integration.is_lambda and integration.function_id == FUNCTION
    assert integration.uri == ("arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
                               "${aws_lambda_function.orders.arn}/invocations")
    assert invoke(api, get("/orders/5")).json() == {"id": "5", "total": 18.25, "source": "lambda"}


def test_the_arn_invoke_arn_will_hold_when_the_plan_read_the_account(tmp_path, monkeypatch):
    # [AWS Lambda docs] a function's ARN is arn:aws:lambda:<region>:<account>:function:<name>
    def identity(data):
        data["prior_state"] = {"format_version": "1.0", "terraform_version": "1.7.5", "values": {"root_module": {
            "resources": [{"address": "data.aws_caller_identity.current", "mode": "data",
                           "type": "aws_caller_identity", "name": "current",
                           "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
                           "values": {"account_id": "210987654321", "arn": "arn:aws:iam::210987654321:user/ci",
                                      "id": "210987654321", "user_id": "AIDAEXAMPLE"},
                           "sensitive_values": {}}]}}}

    api = load_definition(copy_with(tmp_path, monkeypatch, "plan-resources.json", identity), api=ORDERS)
    assert api.method("GET", "/orders/{id}").integration.uri == (
        "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"
        "arn:aws:lambda:eu-west-1:210987654321:function:orders-get/invocations")
